"""Service teams and volunteers."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from association.models import County, Organization


class ServiceTeam(models.Model):
    """服务团 → 服务队 → 工作组: one tree, the kind says the level."""

    class Kind(models.TextChoices):
        CORPS = "corps", _("服务团")
        TEAM = "team", _("服务队")
        GROUP = "group", _("工作组")

    name = models.CharField(_("名称"), max_length=120)
    kind = models.CharField(_("层级"), max_length=10, choices=Kind.choices, default=Kind.TEAM)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("所属单位"), null=True, blank=True, on_delete=models.SET_NULL, related_name="service_teams"
    )
    field = models.CharField(_("服务领域"), max_length=100, blank=True)
    description = models.TextField(_("简介"), blank=True)
    founded = models.DateField(_("成立日期"), null=True, blank=True)
    is_active = models.BooleanField(_("有效"), default=True)
    order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("服务队伍")
        verbose_name_plural = _("服务队伍")
        constraints = [models.UniqueConstraint(fields=["parent", "name"], name="serviceteam_unique_name_in_parent")]

    def __str__(self):
        return self.name


class Volunteer(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("审核中")
        APPROVED = "approved", _("已通过")
        REJECTED = "rejected", _("未通过")
        SUSPENDED = "suspended", _("已暂停")

    class Gender(models.TextChoices):
        MALE = "M", _("男")
        FEMALE = "F", _("女")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("登录账号"), null=True, blank=True, on_delete=models.SET_NULL, related_name="volunteer"
    )
    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices)
    email = models.EmailField(_("电子邮箱"), blank=True)
    county = models.ForeignKey(County, verbose_name=_("所在县（区）"), null=True, blank=True, on_delete=models.PROTECT)
    employer = models.CharField(_("工作单位"), max_length=120, blank=True)
    field = models.CharField(_("专业领域"), max_length=100, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    created = models.DateTimeField(_("注册时间"), auto_now_add=True)
    updated = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("志愿者")
        verbose_name_plural = _("志愿者")

    def __str__(self):
        return self.name
