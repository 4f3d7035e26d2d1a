"""Staff screens of the talent registry: search, filters, Excel import and export."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from association.admin_masking import MaskedFieldsMixin
from association.admin_scoping import ScopedAdminMixin

from ..forms import ImportForm, TalentAdminForm
from ..models import DoctorsCommittee, Field, Talent
from ..services import registry as registry_services


@admin.register(Field)
class FieldAdmin(admin.ModelAdmin):
    list_display = ["name", "order"]
    list_editable = ["order"]
    search_fields = ["name"]


@admin.register(DoctorsCommittee)
class DoctorsCommitteeAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "order"]
    list_editable = ["order"]
    search_fields = ["name"]


class RegistryFilter(admin.SimpleListFilter):
    title = gettext_lazy("所属名录")
    parameter_name = "registry"

    def lookups(self, request, model_admin):
        return [("pool", _("专家库")), ("doctors", _("博士联谊会")), ("haizhi", _("海智专家")), ("none", _("未入名录"))]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "none":
            return queryset.filter(in_expert_pool=False, in_doctors_association=False, is_haizhi=False)
        if value in Talent.REGISTRY_FLAGS:
            return queryset.in_registry(value)
        return queryset


class EmployerFilter(admin.SimpleListFilter):
    """The employers with most experts; any other is found through the search box."""

    title = gettext_lazy("工作单位")
    parameter_name = "employer"

    def lookups(self, request, model_admin):
        from django.db.models import Count

        rows = (
            Talent.objects.exclude(employer="").values_list("employer").annotate(n=Count("id")).order_by("-n", "employer")[:25]
        )
        return [(name, f"{name}（{n}）") for name, n in rows]

    def queryset(self, request, queryset):
        return queryset.filter(employer=self.value()) if self.value() else queryset


@admin.register(Talent)
class TalentAdmin(ScopedAdminMixin, MaskedFieldsMixin, admin.ModelAdmin):
    list_display = ["name", "gender", "birth_year", "title_level", "field", "employer", "county", "registry_badges",
                    "public_profile"]
    list_filter = [RegistryFilter, "field", "title_level", "degree", EmployerFilter, "committee", "county",
                   "public_profile", "is_haizhi"]
    search_fields = ["name", "employer", "specialty", "title", "native_place"]
    list_select_related = ["field", "county"]
    autocomplete_fields = ["field", "committee"]
    form = TalentAdminForm
    list_per_page = 50
    actions = ["export_xlsx", "add_to_expert_pool"]
    masked_fields = {"contact": registry_services.REVEAL_PERMISSION}
    fieldsets = [
        (gettext_lazy("基本信息"), {"fields": ["name", "gender", "birth_year", "native_place", "county", "photo"]}),
        (gettext_lazy("职称与专业"), {"fields": ["title", "title_level", "degree", "field", "specialty", "employer"]}),
        (gettext_lazy("所属名录"), {"fields": ["in_expert_pool", "in_doctors_association", "committee", "doctors_role",
                                              "is_haizhi", "overseas_country"]}),
        (gettext_lazy("联系与公开"), {"fields": ["contact", "public_profile", "bio"]}),
        (gettext_lazy("志愿者账号"), {"fields": ["linked_volunteer", "volunteer_number", "unlink_volunteer"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "linked_volunteer"]

    @admin.display(description=gettext_lazy("已关联的志愿者账号"))
    def linked_volunteer(self, obj):
        volunteer = obj.volunteer if obj is not None and obj.pk else None
        return volunteer.name if volunteer is not None else _("未关联")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        volunteer = form.cleaned_data.get("volunteer_number")
        if volunteer is not None:
            registry_services.link_volunteer(talent_id=obj.pk, volunteer_id=volunteer.pk, actor=request.user, request=request)
        elif form.cleaned_data.get("unlink_volunteer"):
            registry_services.unlink_volunteer(talent_id=obj.pk, actor=request.user, request=request)

    @admin.display(description=gettext_lazy("名录"))
    def registry_badges(self, obj):
        return "、".join(obj.registries) or "—"

    @admin.action(description=gettext_lazy("导出所选人才为 Excel"), permissions=["export"])
    def export_xlsx(self, request, queryset):
        content = registry_services.export_workbook(talents=queryset, actor=request.user, request=request)
        response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        name = f"talents-{timezone.localdate():%Y%m%d}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    @admin.action(description=gettext_lazy("加入专家库"), permissions=["change"])
    def add_to_expert_pool(self, request, queryset):
        n = queryset.filter(in_expert_pool=False).update(in_expert_pool=True)
        self.message_user(request, _("已将 %(n)s 位人才加入专家库。") % {"n": n}, messages.SUCCESS)

    def has_export_permission(self, request):
        return request.user.has_perm("talents.export_talent")

    def has_import_permission(self, request):
        return request.user.has_perm("talents.import_talent") and request.user.has_perm("talents.add_talent")

    def get_urls(self):
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="talents_talent_import"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_import": self.has_import_permission(request)}
        return super().changelist_view(request, extra_context)

    def import_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None)
        errors = []
        if request.method == "POST" and form.is_valid():
            talents = registry_services.TalentImport(actor=request.user, request=request)
            result = talents.run(form.cleaned_data["file"])
            if result.ok:
                self.message_user(
                    request, _("导入完成：新增 %(c)s 位，更新 %(u)s 位。") % {"c": result.created, "u": talents.updated}, messages.SUCCESS
                )
                return redirect(reverse("admin:talents_talent_changelist"))
            errors = result.errors
        context = {
            **self.admin_site.each_context(request),
            "title": _("从 Excel 导入人才"),
            "form": form,
            "errors": errors,
            "opts": self.model._meta,
            "columns": [label for _key, label in registry_services.COLUMNS],
        }
        return TemplateResponse(request, "admin/talents/import.html", context)
