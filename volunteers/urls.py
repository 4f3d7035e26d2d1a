from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "volunteers"

urlpatterns = [
    # The section's own address (the breadcrumb's 志愿服务) opens its first page.
    path("", RedirectView.as_view(pattern_name="volunteers:teams"), name="index"),
    path("teams/", views.teams, name="teams"),
    path("register/", views.register, name="register"),
    path("register/done/", views.register_done, name="register_done"),
    path("privacy/", views.privacy_notice, name="privacy"),
    path("projects/", views.projects, name="projects"),
    path("projects/<int:pk>/order/", views.order_project, name="order"),
    path("orders/<str:token>/", views.order_status, name="order_status"),
    path("certificates/verify/", views.certificate_verify, name="certificate_verify"),
    path("certificates/verify/<str:code>/", views.certificate_verify, name="certificate_verify_code"),
]
