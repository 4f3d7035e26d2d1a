"""User accounts in the staff admin. 办公室 manages users and roles, but a clerk must not be
able to make anyone (least of all themselves) all-powerful:

- only a superuser sees and sets ``is_superuser`` and single permissions
  (``user_permissions``, where ``volunteers.view_personal_data`` is granted person by person);
- only a superuser edits a superuser's account or password;
- nobody changes the groups of their own account (a clerk cannot join 科学技术普及部 to
  read the volunteers' data).
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied

User = get_user_model()
SUPERUSER_ONLY = ("is_superuser", "user_permissions")


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

    def _may_edit(self, request, obj) -> bool:
        return obj is None or request.user.is_superuser or not obj.is_superuser

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


if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, PortalUserAdmin)
