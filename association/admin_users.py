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
- only a superuser changes what a group may do (its permissions).
"""

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

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
    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        return [
            (name, {**options, "fields": [f for f in options.get("fields", ()) if f not in SUPERUSER_ONLY]})
            for name, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser and obj is not None and obj.pk == request.user.pk:
            readonly += ["groups", "is_staff", "is_active"]
        return readonly

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups" and not request.user.is_superuser:
            kwargs["queryset"] = Group.objects.filter(user=request.user)
            kwargs["form_class"] = HeldGroupsField
        return super().formfield_for_manytomany(db_field, request, **kwargs)

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
