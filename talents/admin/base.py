"""What the talents admin classes share: actions that call services, masked personal data."""

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from association import audit
from association.crypto import mask_mobile
from association.models import AuditEntry

from ..states import TalentsError


class ServiceActionsMixin:
    """Admin actions run a service per selected row; refusals are shown in Chinese, the rest go on."""

    def run_service(self, request, queryset, service, *, success: str, **kwargs) -> None:
        done, refused = 0, []
        for obj in queryset:
            try:
                service(obj, actor=request.user, request=request, **kwargs)
                done += 1
            except TalentsError as exc:
                refused.append(f"{obj}：{exc}")
        if done:
            self.message_user(request, success % {"n": done}, messages.SUCCESS)
        for line in refused[:20]:
            self.message_user(request, line, messages.ERROR)

    def intermediate(self, request, queryset, *, form, title: str, action: str, intro: str = ""):
        """Render the page that asks for a reason / reviewers before an action runs."""
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "intro": intro,
            "form": form,
            "objects": queryset,
            "action": action,
            "opts": self.model._meta,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/talents/action_form.html", context)


class MaskedContactMixin:
    """Show an encrypted contact masked, unless the staff member holds the reveal permission.

    Set ``masked_fields = {"field_name": "app.permission"}``. A full view is recorded.
    """

    masked_fields: dict[str, str] = {}

    def _hidden(self, request) -> list[str]:
        return [name for name, perm in self.masked_fields.items() if not request.user.has_perm(perm)]

    def get_readonly_fields(self, request, obj=None):
        extra = [f"masked_{name}" for name in self._hidden(request)]
        return [*super().get_readonly_fields(request, obj), *extra]

    def get_fieldsets(self, request, obj=None):
        hidden = set(self._hidden(request))
        return [
            (title, {**opts, "fields": [f"masked_{f}" if f in hidden else f for f in opts["fields"]]})
            for title, opts in super().get_fieldsets(request, obj)
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET" and object_id:
            revealed = [n for n, perm in self.masked_fields.items() if request.user.has_perm(perm)]
            if revealed:
                obj = self.get_object(request, object_id)
                if obj is not None and any(getattr(obj, n) for n in revealed):
                    audit.record(
                        AuditEntry.Action.VIEW_PERSONAL, obj=obj, request=request,
                        detail=_("在管理后台查看完整联系方式"),
                    )
        return super().change_view(request, object_id, form_url, extra_context)


def masked(value: str) -> str:
    if not value:
        return "—"
    if "@" in value:
        local, _at, domain = value.partition("@")
        return f"{local[:1]}***@{domain}"
    return mask_mobile(value)


def masked_display(field_name: str, label: str):
    @admin.display(description=label)
    def show(self, obj):
        return masked(getattr(obj, field_name, "")) if obj else "—"

    show.__name__ = f"masked_{field_name}"
    return show
