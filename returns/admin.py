"""The returns in the admin: a read-only list (year, status) leading to the return's page,
where it is filled in or reviewed (``returns.views``)."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from association.admin_scoping import ScopedAdminMixin

from .models import StatisticsReturn


@admin.register(StatisticsReturn)
class StatisticsReturnAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["organization", "year", "status", "submitted_at", "accepted_at", "open_link"]
    list_filter = ["year", "status"]
    search_fields = ["organization__name"]
    list_select_related = ["organization"]
    fields = ["organization", "year", "status", "returned_reason", "head", "statistician", "filled_by", "phone",
              "reported_on", "submitted_at", "accepted_at", "accepted_by", "open_link"]
    readonly_fields = fields

    @admin.display(description=_("年报"))
    def open_link(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("returns:review", args=[obj.pk]), _("打开"))

    # Changed only through its own page (returns.workflow): never here.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
