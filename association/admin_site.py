"""The staff admin: the association's name in its header, and two-step log-in honoured."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render

from . import scoping, two_factor


class PortalAdminSite(admin.AdminSite):
    site_title = "科协门户"
    index_title = "工作台"
    # The lists need the width at 1280 px; the way between sections is the breadcrumbs and
    # this index.
    enable_nav_sidebar = False

    def each_context(self, request):
        from .models import SiteSettings

        context = super().each_context(request)
        name = SiteSettings.load().name
        context["site_header"] = f"{name} · 管理后台"
        # A unit's account works within its unit: every page says which one.
        context["work_unit"] = scoping.unit_of(request.user)
        return context

    def index(self, request, extra_context=None):
        from . import workbench

        # What waits for this person, in their unit, among what they may act on.
        extra_context = {**(extra_context or {}), "workbench": workbench.items_for(request.user)}
        return super().index(request, extra_context)

    def has_permission(self, request):
        # Staff who have not passed two-step log-in (where it binds them) reach no admin page.
        return super().has_permission(request) and two_factor.passed(request.user)

    def login(self, request, extra_context=None):
        next_url = request.GET.get("next", request.get_full_path())
        # A staff member held back by two-step log-in goes to its page, not back to log-in.
        if two_factor.is_bound(request.user) and not two_factor.passed(request.user):
            return redirect(two_factor.step_url(next_url))
        # Logged in, but not as staff (a volunteer, a reviewer): the log-in page would send
        # them straight back here. Say so instead, and offer to log in as someone else.
        if request.user.is_authenticated and not request.user.is_staff:
            return render(request, "registration/not_staff.html", status=403)
        # One log-in page for everyone (with lockout and the second step).
        return redirect_to_login(next_url, settings.LOGIN_URL)
