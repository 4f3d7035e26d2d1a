"""人才库: experts, the fields they work in and the registries they belong to."""

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Collate
from django.utils.translation import gettext_lazy as _

from association import scoping
from association.choices import Gender, TitleLevel
from association.crypto import EncryptedTextField, lookup_hash, mask_mobile
from association.filecheck import SafeImageField
from association.models import County

from ..validators import validate_photo


def mask_contact(value: str) -> str:
    """138****1234, or z***@example.org for an e-mail address."""
    if not value:
        return ""
    if "@" in value:
        local, _at, domain = value.partition("@")
        return f"{local[:1]}***@{domain}"
    return mask_mobile(value)


class Field(models.Model):
    """专业领域: the short list that experts, nominations and demands share, so they can meet."""

    unit_owner = scoping.SHARED

    name = models.CharField(_("名称"), max_length=40, unique=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("专业领域")
        verbose_name_plural = _("专业领域")

    def __str__(self):
        return self.name


class DoctorsCommittee(models.Model):
    """博士联谊会 专业委员会."""

    unit_owner = scoping.CITY

    name = models.CharField(_("名称"), max_length=40, unique=True)
    description = models.TextField(_("简介"), blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("博士联谊会专业委员会")
        verbose_name_plural = _("博士联谊会专业委员会")

    def __str__(self):
        return self.name


_TITLE_LEVEL_LABELS = dict(TitleLevel.choices)


class Degree(models.TextChoices):
    DOCTOR = "doctor", _("博士")
    MASTER = "master", _("硕士")
    BACHELOR = "bachelor", _("学士")
    COLLEGE = "college", _("大专")
    OTHER = "other", _("其他")


class Registry(models.TextChoices):
    """The registries an expert may belong to (a filter on the public directory)."""

    EXPERT_POOL = "pool", _("专家库")
    DOCTORS = "doctors", _("博士联谊会")
    HAIZHI = "haizhi", _("海智专家")


class TalentQuerySet(models.QuerySet):
    def public(self):
        return self.filter(public_profile=True)

    def in_registry(self, registry: str):
        return self.filter(**{Talent.REGISTRY_FLAGS[registry]: True})


class Talent(models.Model):
    """An expert in the talent registry (人才库)."""

    unit_owner = scoping.CITY

    class DoctorsRole(models.TextChoices):
        ADVISER = "adviser", _("顾问")
        PRESIDENT = "president", _("会长")
        VICE_PRESIDENT = "vice_president", _("副会长")
        SECRETARY_GENERAL = "secretary", _("秘书长")
        CHAIR = "chair", _("专委会主任")
        MEMBER = "member", _("会员")

    REGISTRY_FLAGS = {
        Registry.EXPERT_POOL: "in_expert_pool",
        Registry.DOCTORS: "in_doctors_association",
        Registry.HAIZHI: "is_haizhi",
    }

    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices)
    birth_year = models.PositiveSmallIntegerField(_("出生年份"), null=True, blank=True)
    title = models.CharField(_("职称 / 职务"), max_length=60, blank=True, help_text=_("如：教授级高级工程师、主任医师"))
    title_level = models.PositiveSmallIntegerField(
        _("职称级别"), choices=TitleLevel.choices, default=TitleLevel.NONE, db_index=True
    )
    degree = models.CharField(_("学位"), max_length=10, choices=Degree.choices, blank=True, db_index=True)
    field = models.ForeignKey(
        Field, verbose_name=_("专业领域"), null=True, blank=True, on_delete=models.PROTECT, related_name="talents"
    )
    specialty = models.CharField(_("研究方向 / 专长"), max_length=200, blank=True)
    employer = models.CharField(_("工作单位"), max_length=120, blank=True)
    native_place = models.CharField(_("籍贯"), max_length=60, blank=True)
    county = models.ForeignKey(
        County, verbose_name=_("所在县（区）"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    is_haizhi = models.BooleanField(_("海智专家"), default=False, help_text=_("海外或留学归国人才，属“海智计划”专家"))
    overseas_country = models.CharField(_("海外国家或地区"), max_length=40, blank=True)
    in_expert_pool = models.BooleanField(_("专家库"), default=False)
    in_doctors_association = models.BooleanField(_("博士联谊会"), default=False)
    committee = models.ForeignKey(
        DoctorsCommittee,
        verbose_name=_("博士联谊会专业委员会"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    doctors_role = models.CharField(_("联谊会职务"), max_length=20, choices=DoctorsRole.choices, blank=True)
    # Never shown on a public page; masked in the staff screens without the permission.
    contact = EncryptedTextField(_("联系方式"), blank=True, help_text=_("手机或电子邮箱，仅工作人员可见"))
    contact_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    bio = models.TextField(_("简介"), blank=True)
    photo = SafeImageField(_("照片"), upload_to="talents/photos/%Y/", blank=True, validators=[validate_photo], max_side=1200)
    public_profile = models.BooleanField(
        _("同意公开简介"), default=False, help_text=_("本人同意后，姓名、职称、单位、领域和简介在专家名录公开；联系方式从不公开。")
    )
    volunteer = models.OneToOneField(
        "volunteers.Volunteer",
        verbose_name=_("志愿者账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="talent",
    )
    created = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = TalentQuerySet.as_manager()

    class Meta:
        ordering = ["title_level", "name", "id"]
        verbose_name = _("人才")
        verbose_name_plural = _("人才库")
        permissions = [
            ("reveal_talent_contact", _("查看人才的完整联系方式")),
            ("export_talent", _("导出人才库")),
            ("import_talent", _("从 Excel 导入人才")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(committee__isnull=True) | Q(in_doctors_association=True),
                name="talent_committee_needs_doctors_association",
            ),
            models.CheckConstraint(
                condition=Q(birth_year__isnull=True) | Q(birth_year__gte=1900, birth_year__lte=2100),
                name="talent_birth_year_plausible",
            ),
        ]
        indexes = [
            models.Index(
                F("title_level"), Collate("name", "zh-x-icu"), F("id"), condition=Q(public_profile=True), name="talent_public_order"
            ),
            models.Index(fields=["field", "title_level"], name="talent_field_level"),
            models.Index(fields=["name", "birth_year"], name="talent_identity"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.contact_hash = lookup_hash(self.contact, purpose="talent-contact") if self.contact else ""
        if not self.in_doctors_association:
            self.committee = None
        super().save(*args, **kwargs)

    @property
    def masked_contact(self) -> str:
        return mask_contact(self.contact)

    @property
    def title_level_label(self) -> str:
        """Like get_title_level_display(), without rebuilding the choices on every call (list pages)."""
        return _TITLE_LEVEL_LABELS.get(self.title_level, "")

    @property
    def registries(self) -> list[str]:
        return [str(label) for value, label in Registry.choices if getattr(self, self.REGISTRY_FLAGS[value])]
