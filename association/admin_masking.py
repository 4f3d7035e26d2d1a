"""Personal data in the staff admin, one way for every app: masked unless the staff member
holds the permission to see it in full, and every full view recorded.

A ``ModelAdmin`` lists its personal fields with the permission that shows each in full::

    class RegistrationAdmin(MaskedFieldsMixin, admin.ModelAdmin):
        masked_fields = {"mobile": "events.view_personal_data"}
        list_display = ["name", "masked_mobile", ...]

The model gives the masked value as a ``masked_<field>`` property (``association.crypto``
masks names, mobiles, ID numbers). The mixin makes a ``masked_<field>`` column named after
the field; on the change page a staff member without the permission sees that column in
the field's place, read only; one with it sees (and may correct) the field, and opening the
page writes a 查看完整个人信息 entry in the audit log.
"""

from django.utils.translation import gettext as _

from . import audit
from .models import AuditEntry


class MaskedFieldsMixin:
    masked_fields: dict[str, str] = {}
    masked_view_detail = ""  # what the audit entry says was seen; the fields' names by default

    def __init__(self, model, admin_site):
        super().__init__(model, admin_site)
        for name in self.masked_fields:
            if not hasattr(type(self), f"masked_{name}"):
                setattr(self, f"masked_{name}", self._masked_column(model, name))

    @staticmethod
    def _masked_column(model, name):
        def column(obj):
            return getattr(obj, f"masked_{name}") or "—"

        column.short_description = model._meta.get_field(name).verbose_name
        return column

    def hidden_fields(self, request) -> list[str]:
        """The personal fields this staff member sees masked."""
        return [name for name, perm in self.masked_fields.items() if not request.user.has_perm(perm)]

    def revealed_fields(self, request) -> list[str]:
        return [name for name, perm in self.masked_fields.items() if request.user.has_perm(perm)]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), *(f"masked_{name}" for name in self.hidden_fields(request))]

    def get_fields(self, request, obj=None):
        hidden = set(self.hidden_fields(request))
        return [f"masked_{f}" if f in hidden else f for f in super().get_fields(request, obj)]

    def get_fieldsets(self, request, obj=None):
        hidden = set(self.hidden_fields(request))

        def swap(fields):
            return [tuple(swap(f)) if isinstance(f, list | tuple) else (f"masked_{f}" if f in hidden else f) for f in fields]

        return [(title, {**options, "fields": swap(options["fields"])})
                for title, options in super().get_fieldsets(request, obj)]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        revealed = self.revealed_fields(request)
        if request.method == "GET" and object_id and revealed:
            obj = self.get_object(request, object_id)
            if obj is not None and any(getattr(obj, name, None) for name in revealed):
                detail = self.masked_view_detail or _("在管理后台查看完整个人信息：%(fields)s") % {
                    "fields": "、".join(str(obj._meta.get_field(name).verbose_name) for name in revealed)}
                audit.record(AuditEntry.Action.VIEW_PERSONAL, obj=obj, request=request, detail=detail)
        return super().change_view(request, object_id, form_url, extra_context)

