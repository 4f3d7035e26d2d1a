from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("reports/<int:pk>/status/", views.job_status, name="status"),
    path("reports/<int:pk>/<str:kind>/", views.download, name="download"),
]
