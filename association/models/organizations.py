"""组织体系: the association, its departments, institutions and grassroots bodies."""

from django.core.files.storage import storages
from django.db import models
from django.utils.translation import gettext_lazy as _

from .. import filecheck, scoping

SEAL_MAX_BYTES = 2 * 1024 * 1024


def seal_storage():
    # A seal image can be misused to forge papers: kept out of the public media folder.
    return storages["private"]


def validate_seal(file) -> None:
    if filecheck.is_new(file):
        filecheck.check_image(file, max_bytes=SEAL_MAX_BYTES, formats=("PNG", "JPEG"))


class County(models.Model):
    """A county, district or zone of the city (县区)."""

    unit_owner = scoping.SHARED

    name = models.CharField(_("名称"), max_length=50, unique=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("县（区）")
        verbose_name_plural = _("县（区）")

    def __str__(self):
        return self.name


class OrganizationQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Organization(models.Model):
    class Kind(models.TextChoices):
        ASSOCIATION = "association", _("科协")
        DEPARTMENT = "department", _("内设部门")
        INSTITUTION = "institution", _("直属事业单位")
        COUNTY_ASSOCIATION = "county", _("县（区）科协")
        TOWNSHIP_ASSOCIATION = "township", _("乡镇（街道）科协")
        ENTERPRISE_ASSOCIATION = "enterprise", _("企业科协")
        UNIVERSITY_ASSOCIATION = "university", _("高校科协")
        PARK_ASSOCIATION = "park", _("园区科协")
        SOCIETY = "society", _("学会")
        RURAL_TECHNICAL_ASSOCIATION = "rural_ta", _("农技协")
        E_STATION = "e_station", _("科普e站")
        POPSCI_BASE = "base", _("科普教育基地")
        RURAL_POPSCI_BASE = "rural_base", _("农村科普示范基地")
        COMMUNITY_HALL = "community_hall", _("社区科普馆")
        ENTERPRISE = "company", _("企业")
        OTHER = "other", _("其他单位")

    # A unit's staff see their own unit and the units below it.
    unit_owner = "id"

    name = models.CharField(_("名称"), max_length=120)
    short_name = models.CharField(_("简称"), max_length=60, blank=True)
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices, db_index=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    county = models.ForeignKey(
        County, verbose_name=_("所在县（区）"), null=True, blank=True, on_delete=models.PROTECT, related_name="organizations"
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    contact_person = models.CharField(_("联系人"), max_length=50, blank=True)
    phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    founded = models.DateField(_("成立日期"), null=True, blank=True)
    description = models.TextField(_("简介"), blank=True)
    # What the unit's 志愿服务记录证明 carry (the unit, or the nearest unit above it with a seal, issues them).
    seal = filecheck.SafeImageField(
        _("印章图片"), storage=seal_storage, upload_to="seals/", blank=True, validators=[validate_seal], max_side=800,
        help_text=_("盖在本单位出具的志愿服务记录证明上：透明背景的PNG最佳，不超过2MB。"),
    )
    certificate_handler = models.CharField(_("证明经办人"), max_length=50, blank=True)
    certificate_phone = models.CharField(_("证明咨询电话"), max_length=40, blank=True)
    is_active = models.BooleanField(_("有效"), default=True)
    order = models.PositiveIntegerField(_("排序"), default=0)
    created = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "order", "name"]
        verbose_name = _("单位")
        verbose_name_plural = _("组织体系")
        constraints = [
            models.UniqueConstraint(fields=["name", "kind"], name="organization_unique_name_kind"),
            models.CheckConstraint(condition=~models.Q(parent=models.F("id")), name="organization_not_own_parent"),
        ]
        indexes = [models.Index(fields=["kind", "county"])]

    def __str__(self):
        return self.name
