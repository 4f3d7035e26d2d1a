"""User accounts and groups in the staff admin. 办公室 manages users and roles, but nobody
may hand out more than they hold:

- only a superuser sees and sets ``is_superuser`` and single permissions
  (``user_permissions``, where ``volunteers.view_personal_data`` is granted person by person);
- a non-superuser assigns only groups they belong to themselves (a clerk of 办公室 cannot
  put an account into 科学技术普及部 to read the volunteers), checked on the server, not only
  by the choices offered;
- a non-superuser edits, deletes or sets the password only of accounts whose rights are
  within their own (never a superuser's, nor one in a group they are not in);
- nobody changes the groups of their own account;
- only a superuser changes what a group may do (its permissions);
- only a superuser resets a staff member's two-step log-in (a lost phone), recorded in the
  audit log.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .services import accounts as account_services

User = get_user_model()
SUPERUSER_ONLY = ("is_superuser", "user_permissions")


class HeldGroupsField(forms.ModelMultipleChoiceField):
    """The groups a non-superuser may assign: their own. Anything else sent is refused by
    name, whatever the form offered."""

    def _check_values(self, value):
        try:
            return super()._check_values(value)
        except ValidationError as error:
            if error.code != "invalid_choice":
                raise
            keys = [str(v) for v in value if str(v).isdigit()]
            names = Group.objects.filter(pk__in=keys).exclude(pk__in=self.queryset.values("pk")).values_list("name", flat=True)
            raise ValidationError(
                _("不能授予您自己不属于的组：%(names)s。只有超级管理员或该组的成员可以把账号加入该组。"),
                code="group_not_held",
                params={"names": "、".join(names) or _("所选的组")},
            ) from error


def permission_keys(user) -> set[str]:
    """Every permission an account holds through its groups and by itself, active or not
    (``get_all_permissions`` says nothing of an inactive account)."""
    rows = Permission.objects.filter(Q(group__user=user) | Q(user=user)).values_list("content_type__app_label", "codename")
    return {f"{app}.{codename}" for app, codename in rows.distinct()}


def rights_within(target, actor) -> bool:
    """Does ``target`` hold nothing ``actor`` does not (no superuser, no other group, no
    other permission)?"""
    if actor.is_superuser:
        return True
    if target.is_superuser:
        return False
    if target.groups.exclude(pk__in=actor.groups.values("pk")).exists():
        return False
    return permission_keys(target) <= actor.get_all_permissions()


class PortalUserAdmin(UserAdmin):
    change_form_template = "admin/auth/user/portal_change_form.html"

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None:
            fieldsets = [*fieldsets, (gettext_lazy("两步验证"), {"fields": ["two_factor_status"]})]
        if request.user.is_superuser:
            return fieldsets
        return [
            (name, {**options, "fields": [f for f in options.get("fields", ()) if f not in SUPERUSER_ONLY]})
            for name, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        readonly = [*super().get_readonly_fields(request, obj), "two_factor_status"]
        if not request.user.is_superuser and obj is not None and obj.pk == request.user.pk:
            readonly += ["groups", "is_staff", "is_active"]
        return readonly

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups" and not request.user.is_superuser:
            kwargs["queryset"] = Group.objects.filter(user=request.user)
            kwargs["form_class"] = HeldGroupsField
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description=gettext_lazy("两步验证"))
    def two_factor_status(self, obj):
        if account_services.confirmed_device(obj) is None:
            return _("未开启")
        return _("已开启（未使用的备用码 %(n)s 个）") % {"n": account_services.backup_codes_left(obj)}

    def _may_edit(self, request, obj) -> bool:
        return obj is None or rights_within(obj, request.user)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may_edit(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._may_edit(request, obj)

    def user_change_password(self, request, id, form_url=""):
        target = self.get_object(request, id)
        if target is not None and not self._may_edit(request, target):
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)

    def save_model(self, request, obj, form, change):
        if not request.user.is_superuser:
            if change:
                obj.is_superuser = User.objects.filter(pk=obj.pk).values_list("is_superuser", flat=True).first() or False
            else:
                obj.is_superuser = False
        super().save_model(request, obj, form, change)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "can_reset_two_factor": request.user.is_superuser}
        return super().change_view(request, object_id, form_url, extra_context)

    # -- a lost phone: a superuser resets the person's two-step log-in ----------------------

    def get_urls(self):
        return [
            path("<id>/two-factor/reset/", self.admin_site.admin_view(self.reset_two_factor_view),
                 name="auth_user_two_factor_reset"),
            *super().get_urls(),
        ]

    def reset_two_factor_view(self, request, id):
        if not request.user.is_superuser:
            raise PermissionDenied
        target = get_object_or_404(User, pk=id)
        if request.method == "POST":
            account_services.reset_two_factor(target, actor=request.user, request=request)
            self.message_user(
                request,
                _("已重置 %(name)s 的两步验证：原有的身份验证器和备用码已作废，该账号下次登录后需重新开启。") % {"name": target.get_username()},
                messages.SUCCESS,
            )
            return redirect(reverse("admin:auth_user_change", args=[target.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": _("重置两步验证"),
            "opts": self.opts,
            "original": target,
            "enrolled": account_services.confirmed_device(target) is not None,
        }
        return TemplateResponse(request, "admin/auth/user/two_factor_reset.html", context)


class PortalGroupAdmin(GroupAdmin):
    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly.append("permissions")
        return readonly


for model, model_admin in ((User, PortalUserAdmin), (Group, PortalGroupAdmin)):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, model_admin)
