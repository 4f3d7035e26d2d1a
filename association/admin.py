from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import AuditEntry, County, Organization, OutboxMessage, SiteSettings


@admin.register(SiteSettings)
class SiteSettingsAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "hotline", "address"]

    def has_add_permission(self, request):
        return not SiteSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(County)
class CountyAdmin(admin.ModelAdmin):
    list_display = ["name", "order"]
    list_editable = ["order"]
    search_fields = ["name"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "parent", "county", "contact_person", "founded", "is_active"]
    list_filter = ["kind", "county", "is_active"]
    search_fields = ["name", "short_name", "address"]
    autocomplete_fields = ["parent", "county"]
    list_select_related = ["parent", "county"]
    list_per_page = 50
    fieldsets = [
        (None, {"fields": ["name", "short_name", "kind", "parent", "county"]}),
        (_("联系方式"), {"fields": ["address", "contact_person", "phone"]}),
        (_("其他"), {"fields": ["founded", "description", "order", "is_active"]}),
    ]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["created", "actor", "action", "content_type", "object_repr", "from_state", "to_state", "ip_address"]
    list_filter = ["action", "content_type"]
    search_fields = ["object_repr", "detail", "actor__username"]
    list_select_related = ["actor", "content_type"]
    date_hierarchy = "created"
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["created", "task_name", "attempts", "sent_at", "last_error"]
    list_filter = [("sent_at", admin.EmptyFieldListFilter)]
    readonly_fields = ["task_name", "args", "kwargs", "created", "attempts", "last_error", "sent_at"]

    def has_add_permission(self, request):
        return False


from . import admin_reports  # noqa: E402, F401  (report jobs)
