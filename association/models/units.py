"""单位账号: a person who works in the portal for one unit of the organisation tree."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .organizations import Organization


class UnitMembership(models.Model):
    class Role(models.TextChoices):
        ADMIN = "admin", _("管理员")
        STAFF = "staff", _("工作人员")

    unit_owner = "organization"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("账号"), on_delete=models.CASCADE, related_name="unit_membership"
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("所属单位"), on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("单位内角色"), max_length=10, choices=Role.choices, default=Role.STAFF)
    created = models.DateTimeField(_("创建时间"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["organization__name", "-role", "user__username"]
        verbose_name = _("单位账号")
        verbose_name_plural = _("单位账号")

    def __str__(self):
        return f"{self.organization} · {self.get_role_display()}"

    @property
    def is_admin(self) -> bool:
        return self.role == self.Role.ADMIN
