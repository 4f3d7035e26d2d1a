"""The core's own addresses: home, health, log-in and its pages, news, the fixed pages, the
organisation directory, the dashboard, open data and public uploads."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path

from . import accounts, health, media, opendata, views
from .feeds import LatestNewsFeed
from .notices import views as notice_views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    # Browsers ask for /favicon.ico whatever the page says (error pages, feeds): the emblem.
    path("favicon.ico", views.favicon),
    path("accounts/login/", accounts.LoginView.as_view(), name="login"),
    path("accounts/two-factor/", accounts.two_factor_page, name="two_factor"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password-reset/", accounts.password_reset, name="password_reset"),
    path("accounts/password-reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("accounts/reset/<uidb64>/<token>/", accounts.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("accounts/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("accounts/inbox/", notice_views.inbox, name="notice-inbox"),
    path("accounts/inbox/<int:pk>/", notice_views.message, name="notice-message"),
    path("accounts/inbox/preferences/", notice_views.preferences, name="notice-preferences"),
    path("organizations/", views.organization_directory, name="organizations"),
    path("dashboard/", include("association.reports.urls")),
    path("news/", views.news_list, name="news-list"),
    path("news/feed/", LatestNewsFeed(), name="news-feed"),
    path("news/<int:pk>/", views.news_detail, name="news-detail"),
    path("news/attachments/<int:pk>/", views.news_attachment, name="news-attachment"),
    path("about/", views.about_index, name="about"),
    path("about/<slug:slug>/", views.about_page, name="about-page"),
    # 开放数据: a stable address per table and year (association.opendata).
    path("open-data/", opendata.index, name="open-data"),
    path("open-data/<int:year>/<slug:key>.<str:fmt>", opendata.yearly_file, name="open-data-yearly"),
    path("open-data/<slug:key>.<str:fmt>", opendata.current_file, name="open-data-current"),
    # Public uploads with safe headers (never as a web page), answered only in DEBUG or with
    # SERVE_MEDIA=1; production normally leaves /media/ to the reverse proxy (README).
    re_path(rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.+)$", media.serve_public_media, name="media"),
]
