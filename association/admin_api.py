"""接口令牌 in the admin: a staff member makes a unit's data-exchange token for themselves.

A staff account's log-in needs the second factor, so its tokens are not obtained through
``POST /api/v1/auth/token`` but made here, by the person who will hold it, after passing
two-step log-in: the token acts as that person and reads what they may reach (their
unit's subtree under ``association.scoping``), nothing more.

- Only the keyed hash is kept (``api.auth.issue``): the token is shown once, on the page
  answering the form, and never again. That page is rendered in place, not put in a
  message for the next page: a message would travel in a cookie.
- Nothing of a token is edited: a token whose purpose changed is revoked and a new one
  made. Revoking (``api.auth.revoke``) is audited; tokens are never deleted, since the
  audit log names them.
- A unit's staff see their unit's tokens (and the units' below it); the volunteers' tokens
  (whose accounts have no unit) only the city office.
"""

from django import forms
from django.contrib import admin
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import scoping
from .admin_actions import ServiceActionsMixin, service_action
from .admin_scoping import ScopedAdminMixin
from .api import auth as api_auth
from .models import ApiToken, person_name


class StateFilter(admin.SimpleListFilter):
    title = _("状态")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("usable", _("有效")), ("revoked", _("已撤销")), ("expired", _("已过期"))]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "usable":
            return queryset.filter(revoked_at__isnull=True, expires_at__gt=now)
        if self.value() == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        if self.value() == "expired":
            return queryset.filter(revoked_at__isnull=True, expires_at__lte=now)
        return queryset


class NewTokenForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ["name"]


@admin.register(ApiToken)
class ApiTokenAdmin(ScopedAdminMixin, ServiceActionsMixin, admin.ModelAdmin):
    list_display = ["name", "holder", "kind", "state_shown", "expires_at", "hint_shown", "created"]
    list_filter = [StateFilter, "kind"]
    search_fields = ["name", "user__username", "hint"]
    list_select_related = ["user"]
    list_per_page = 50
    actions = ["revoke"]
    fields = ["name", "holder", "kind", "state_shown", "hint_shown", "created", "expires_at", "revoked_at"]
    readonly_fields = fields

    revoke = service_action(
        api_auth.revoke, "token_id", description=_("撤销所选令牌"), done=_("已撤销 %(n)s 个令牌。"),
        permissions=["revoke"],
    )

    @admin.display(description=_("持有人"), ordering="user__username")
    def holder(self, obj):
        name = person_name(obj.user)
        return f"{obj.user.username}（{name}）" if name and name != obj.user.username else obj.user.username

    @admin.display(description=_("状态"))
    def state_shown(self, obj):
        return obj.state

    @admin.display(description=_("尾号"), ordering="hint")
    def hint_shown(self, obj):
        return f"…{obj.hint}"

    # --- rights ------------------------------------------------------------------------

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        # A volunteer's token names their account (often their mobile): only those who keep
        # the accounts (the city office) see them; leaders and units see the units' tokens.
        if not request.user.has_perm("auth.view_user") or scoping.is_unit_staff(request.user):
            queryset = queryset.filter(kind=ApiToken.Kind.UNIT)
        return queryset

    def has_revoke_permission(self, request):
        # Who may make tokens may revoke them, among the tokens they see.
        return request.user.has_perm("association.add_apitoken")

    def has_change_permission(self, request, obj=None):
        return False  # nothing of a token is edited; the change page shows it read only

    def has_delete_permission(self, request, obj=None):
        return False  # revoked, never deleted: the audit log names it

    # --- a new token -------------------------------------------------------------------

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = NewTokenForm
            kwargs["fields"] = ["name"]
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        return ["name"] if obj is None else self.fields

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def get_changeform_initial_data(self, request):
        return {"name": _("数据交换")}

    def save_model(self, request, obj, form, change):
        # Only ever a unit token for the person at the screen: no one makes a token that
        # acts as somebody else.
        token, key = api_auth.issue(user=request.user, kind=ApiToken.Kind.UNIT, name=form.cleaned_data["name"],
                                    request=request)
        obj.pk, obj.user, obj.kind, obj.hint, obj.expires_at, obj.created = (
            token.pk, token.user, token.kind, token.hint, token.expires_at, token.created)
        request._issued_token_key = key

    def log_addition(self, request, obj, message):
        return None  # the audit log has the issue (接口令牌签发)

    def response_add(self, request, obj, post_url_continue=None):
        key = getattr(request, "_issued_token_key", None)
        if key is None:
            return super().response_add(request, obj, post_url_continue)
        response = TemplateResponse(request, "admin/association/apitoken/issued.html", {
            **self.admin_site.each_context(request),
            "title": _("令牌已创建"), "opts": self.model._meta, "token": obj, "key": key,
        })
        response["Cache-Control"] = "no-store"
        return response
