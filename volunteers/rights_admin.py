"""Staff screens for the volunteers' rights over their data: correction and real-name
change requests (handled by the managing unit's staff through the services), and the
consents each volunteer gave (read only)."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from association.admin_actions import ServiceActionsMixin, service_action
from association.admin_masking import MaskedFieldsMixin
from association.admin_scoping import ScopedAdminMixin

from .models import ChangeRequest, Consent
from .services import rights

PERSONAL = "volunteers.view_personal_data"


class ApproveForm(forms.Form):
    reply = forms.CharField(label=_("处理意见（选填）"), required=False, max_length=1000,
                            widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
                            help_text=_("例如：已将9月15日的服务时长更正为3小时。申请人会看到。"))


class RefuseForm(forms.Form):
    reply = forms.CharField(label=_("不同意的理由"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
                            error_messages={"required": _("请填写不同意的理由，申请人会看到。")})


@admin.register(ChangeRequest)
class ChangeRequestAdmin(ScopedAdminMixin, MaskedFieldsMixin, ServiceActionsMixin, admin.ModelAdmin):
    masked_fields = {"new_id_number": PERSONAL}
    masked_view_detail = _("查看实名变更申请中的完整身份证号")
    list_display = ["volunteer", "kind", "status", "new_name", "created", "decided_at", "decided_by"]
    list_filter = ["status", "kind"]
    search_fields = ["volunteer__name", "message"]
    list_select_related = ["volunteer", "decided_by"]
    fields = ["volunteer", "kind", "message", "new_name", "new_id_number", "status", "reply", "created", "decided_at",
              "decided_by"]
    readonly_fields = fields
    actions = ["approve_selected", "refuse_selected"]

    def has_add_permission(self, request):
        return False  # the volunteer asks on their own page

    approve_selected = service_action(
        rights.approve_change, "change_request_id", description=_("同意所选申请（实名变更随即生效）"),
        done=_("已办理 %(n)s 份申请。"), form=ApproveForm,
        confirm={"title": _("同意申请"), "intro": _("实名信息变更将写入志愿者资料；更正申请请先在志愿者或服务记录页更正，再标记为已办理。"),
                 "submit_label": _("确认同意")},
    )
    refuse_selected = service_action(
        rights.refuse_change, "change_request_id", description=_("不同意所选申请（需填写理由）"),
        done=_("已答复 %(n)s 份申请。"), form=RefuseForm,
        confirm={"title": _("不同意申请"), "submit_label": _("确认不同意")},
    )


@admin.register(Consent)
class ConsentAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["volunteer", "kind", "version", "given_at", "given_by", "withdrawn_at"]
    list_filter = ["kind", "version"]
    search_fields = ["volunteer__name"]
    list_select_related = ["volunteer"]
    readonly_fields = ["volunteer", "kind", "version", "given_at", "given_by", "withdrawn_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
