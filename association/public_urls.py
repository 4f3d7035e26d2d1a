"""Public pages of the core: organisation directory, news and the fixed pages."""

from django.urls import include, path

from . import views

urlpatterns = [
    path("organizations/", views.organization_directory, name="organizations"),
    path("dashboard/", include("association.reports.urls")),
]
