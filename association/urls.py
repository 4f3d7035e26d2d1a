from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path

from . import accounts, health, media, views

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
    path("admin/", admin.site.urls),
    path("captcha/", include("captcha.urls")),
    path("", include("association.public_urls")),
    path("accounts/", include("volunteers.account_urls")),
    path("volunteers/", include("volunteers.urls")),
    path("events/", include("events.urls")),
    path("talents/", include("talents.urls")),
]

# Public uploads with safe headers (never as a web page), answered only in DEBUG or with
# SERVE_MEDIA=1; production normally leaves /media/ to the reverse proxy (README).
urlpatterns += [re_path(rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.+)$", media.serve_public_media, name="media")]
