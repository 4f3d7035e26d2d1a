"""单位账号 in the admin: the city office makes accounts for any unit, a unit's 管理员 for
its own unit; both go through ``services.units`` (the rule and the audit entry)."""

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from . import scoping
from .admin_actions import ServiceActionsMixin, service_action
from .admin_scoping import ScopedAdminMixin
from .models import UnitMembership, person_name
from .services import units as unit_services


class UnitAccountForm(forms.ModelForm):
    """A new unit account: the person's log-in and the unit and role it works in."""

    username = forms.CharField(label=_("用户名"), max_length=150, help_text=_("登录用，字母、数字或 @ . + - _，例如 hualong01。"),
                               validators=[get_user_model().username_validator])
    full_name = forms.CharField(label=_("姓名"), max_length=150)
    email = forms.EmailField(label=_("电子邮箱"), required=False, help_text=_("用于找回密码。"))
    password1 = forms.CharField(label=_("初始密码"), strip=False, widget=forms.PasswordInput(render_value=True),
                                help_text=_("至少 10 位，不要与用户名相近；请当面或电话告知本人，登录后可自行修改。"))
    password2 = forms.CharField(label=_("再次输入密码"), strip=False, widget=forms.PasswordInput(render_value=True))

    actor = None  # set by the admin for the request

    class Meta:
        model = UnitMembership
        fields = ["organization", "role"]

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password2") and data["password1"] != data["password2"]:
            self.add_error("password2", _("两次输入的密码不一致。"))
        if self.errors or not data.get("organization"):
            return data
        errors = unit_services.check_new_account(
            actor=self.actor, organization=data["organization"], username=data["username"],
            password=data["password1"], full_name=data["full_name"],
        )
        for field, message in errors.items():
            self.add_error(field, message)
        return data


class UnitAccountChangeForm(forms.ModelForm):
    is_active = forms.BooleanField(label=_("启用"), required=False, help_text=_("停用后不能再登录，记录都保留。"))

    class Meta:
        model = UnitMembership
        fields = ["role"]

    actor = None  # set by the admin for the request

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["is_active"].initial = self.instance.user.is_active

    def clean(self):
        data = super().clean()
        refusal = unit_services.check_change(actor=self.actor, membership=self.instance, role=data.get("role"),
                                             is_active=data.get("is_active"))
        if refusal:
            raise forms.ValidationError(refusal)
        return data


@admin.register(UnitMembership)
class UnitMembershipAdmin(ScopedAdminMixin, ServiceActionsMixin, admin.ModelAdmin):
    list_display = ["username", "name", "organization", "role", "is_active", "created"]
    list_filter = ["role", "organization__kind"]
    search_fields = ["user__username", "user__last_name", "user__first_name", "organization__name"]
    list_select_related = ["user", "organization"]
    list_per_page = 50
    actions = ["switch_off", "switch_on"]

    switch_off = service_action(unit_services.change_unit_account, "membership_id", description=_("停用所选账号"),
                                done=_("已停用 %(n)s 个账号。"), arguments={"is_active": False})
    switch_on = service_action(unit_services.change_unit_account, "membership_id", description=_("启用所选账号"),
                               done=_("已启用 %(n)s 个账号。"), arguments={"is_active": True})

    @admin.display(description=_("用户名"), ordering="user__username")
    def username(self, obj):
        return obj.user.username

    @admin.display(description=_("姓名"), ordering="user__last_name")
    def name(self, obj):
        return person_name(obj.user)

    @admin.display(description=_("启用"), boolean=True, ordering="user__is_active")
    def is_active(self, obj):
        return obj.user.is_active

    def get_autocomplete_fields(self, request):
        # The city office picks among all the units; a unit's 管理员 has only its own.
        return [] if scoping.is_unit_staff(request.user) else ["organization"]

    def has_delete_permission(self, request, obj=None):
        return False  # an account is switched off, never deleted: the audit log names it

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            form = type("UnitAccountForm", (UnitAccountForm,), {"actor": request.user})
            kwargs["form"] = form
            kwargs["fields"] = ["organization", "role", "username", "full_name", "email", "password1", "password2"]
        else:
            kwargs["form"] = type("UnitAccountChangeForm", (UnitAccountChangeForm,), {"actor": request.user})
            kwargs["fields"] = ["role", "is_active"]
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [
                (_("所在单位"), {"fields": ["organization", "role"]}),
                (_("本人"), {"fields": ["username", "full_name", "email", "password1", "password2"]}),
            ]
        return [(None, {"fields": ["account", "organization", "role", "is_active"]})]

    def get_readonly_fields(self, request, obj=None):
        return ["account", "organization"] if obj is not None else []

    @admin.display(description=_("账号"))
    def account(self, obj):
        return f"{obj.user.username}（{person_name(obj.user)}）"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organization":
            kwargs["queryset"] = unit_services.units_managed_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            unit_services.change_unit_account(membership_id=obj.pk, actor=request.user, role=data["role"],
                                              is_active=data["is_active"], request=request)
            return
        created = unit_services.create_unit_account(
            actor=request.user, organization_id=data["organization"].pk, role=data["role"],
            username=data["username"], password=data["password1"], full_name=data["full_name"],
            email=data.get("email", ""), request=request,
        )
        obj.pk, obj.user = created.pk, created.user
