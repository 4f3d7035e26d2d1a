from django.urls import path

from . import views

app_name = "volunteers"

urlpatterns = [
    path("teams/", views.teams, name="teams"),
    path("register/", views.register, name="register"),
    path("privacy/", views.privacy_notice, name="privacy"),
    path("projects/", views.projects, name="projects"),
    path("projects/<int:pk>/order/", views.order_project, name="order"),
    path("orders/<str:token>/", views.order_status, name="order_status"),
    path("certificates/verify/", views.certificate_verify, name="certificate_verify"),
    path("certificates/verify/<str:code>/", views.certificate_verify, name="certificate_verify_code"),
]
