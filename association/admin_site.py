"""The staff admin: the association's name in its header, and two-step log-in honoured."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django_otp import user_has_device


class PortalAdminSite(admin.AdminSite):
    site_title = "科协门户"
    index_title = "工作台"

    def each_context(self, request):
        from .models import SiteSettings

        context = super().each_context(request)
        name = SiteSettings.load().name
        context["site_header"] = f"{name} · 管理后台"
        return context

    def has_permission(self, request):
        user = request.user
        if not super().has_permission(request):
            return False
        # A staff member who turned two-step log-in on must have passed it in this session.
        return not user_has_device(user) or user.is_verified()

    def login(self, request, extra_context=None):
        # One log-in page for everyone (with lockout and the second step).
        return redirect_to_login(request.GET.get("next", request.get_full_path()), settings.LOGIN_URL)
