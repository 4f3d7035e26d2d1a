"""Public pages of the core: organisation directory, news and the fixed pages."""

from django.urls import include, path

from . import views
from .feeds import LatestNewsFeed

urlpatterns = [
    path("organizations/", views.organization_directory, name="organizations"),
    path("dashboard/", include("association.reports.urls")),
    path("news/", views.news_list, name="news-list"),
    path("news/feed/", LatestNewsFeed(), name="news-feed"),
    path("news/<int:pk>/", views.news_detail, name="news-detail"),
    path("news/attachments/<int:pk>/", views.news_attachment, name="news-attachment"),
    path("about/", views.about_index, name="about"),
    path("about/<slug:slug>/", views.about_page, name="about-page"),
]
