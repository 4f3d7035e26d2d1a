"""Volunteers: real-name registration, personal data encrypted at rest, review status."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from association.choices import Gender, TitleLevel
from association.crypto import EncryptedTextField, lookup_hash, mask_id_number, mask_mobile, mask_name
from association.models import County

ID_PURPOSE = "volunteer-id-number"
MOBILE_PURPOSE = "volunteer-mobile"


def id_number_hash(value: str) -> str:
    return lookup_hash(value, purpose=ID_PURPOSE)


def mobile_hash(value: str) -> str:
    return lookup_hash(value, purpose=MOBILE_PURPOSE)


class NextVolunteerNumber(models.Func):
    """志愿者编号, given by the database to every new row: 4109 (濮阳市's division code) + the
    year + a sequence number (``volunteers_next_volunteer_number()``, created by migration
    0007). The sequence never hands out a number twice, rolled-back transactions included,
    so a number is never reused, and every way a volunteer is made (self-registration, the
    staff form, the Excel roster, bulk inserts) gets one without having to remember it."""

    function = "volunteers_next_volunteer_number"
    output_field = models.CharField()


class VolunteerQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Volunteer.Status.APPROVED)

    def people(self):
        """Volunteers as persons: without the anonymised rows kept of closed accounts."""
        return self.exclude(status=Volunteer.Status.DELETED)

    def with_id_number(self, value: str):
        return self.filter(id_number_hash=id_number_hash(value))

    def with_mobile(self, value: str):
        return self.filter(mobile_hash=mobile_hash(value))


class Volunteer(models.Model):
    # The unit that reviews and manages the volunteer (属地管理).
    unit_owner = "unit"

    class Status(models.TextChoices):
        PENDING = "pending", _("审核中")
        APPROVED = "approved", _("已通过")
        REJECTED = "rejected", _("未通过")
        SUSPENDED = "suspended", _("已暂停")
        # Closed by the person (注销): only what the retention rules keep, anonymised.
        DELETED = "deleted", _("已注销")

    class PoliticalStatus(models.TextChoices):
        CPC = "cpc", _("中共党员")
        RCCK = "rcck", _("民革")
        CDL = "cdl", _("民盟")
        CNDCA = "cndca", _("民建")
        CAPD = "capd", _("民进")
        CPWDP = "cpwdp", _("农工党")
        CZGP = "czgp", _("致公党")
        JIUSAN = "jiusan", _("九三学社")
        TDSGL = "tdsgl", _("台盟")
        NON_PARTY = "non_party", _("无党派人士")
        # 新的社会阶层人士: counted apart in the united-front figures the corps reports.
        NEW_STRATUM = "new_stratum", _("新的社会阶层人士")
        MASSES = "masses", _("群众")

    class Education(models.TextChoices):
        DOCTORATE = "doctorate", _("博士研究生")
        MASTER = "master", _("硕士研究生")
        BACHELOR = "bachelor", _("大学本科")
        COLLEGE = "college", _("大学专科")
        SECONDARY = "secondary", _("高中及中专")
        OTHER = "other", _("其他")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("登录账号"), null=True, blank=True, on_delete=models.SET_NULL, related_name="volunteer"
    )
    number = models.CharField(
        _("志愿者编号"), max_length=20, unique=True, editable=False, db_default=NextVolunteerNumber(),
        help_text=_("注册时自动生成，终身不变，不会重复使用。"),
    )
    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices)
    # Personal data: ciphertext in the column, a keyed hash beside it for uniqueness and look-up.
    id_number = EncryptedTextField(_("身份证号"), blank=True, default="")
    id_number_hash = models.CharField(_("身份证号索引"), max_length=64, null=True, blank=True, editable=False)
    mobile = EncryptedTextField(_("手机号码"), blank=True, default="")
    mobile_hash = models.CharField(_("手机号码索引"), max_length=64, null=True, blank=True, editable=False)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    # A guardian for a volunteer under 14 (their statement is a Consent of kind GUARDIAN).
    guardian_name = models.CharField(_("监护人姓名"), max_length=50, blank=True, db_default="")
    guardian_mobile = EncryptedTextField(_("监护人手机号码"), blank=True, default="", db_default="")
    email = models.EmailField(_("电子邮箱"), blank=True)
    political_status = models.CharField(_("政治面貌"), max_length=20, choices=PoliticalStatus.choices, blank=True, db_index=True)
    education = models.CharField(_("学历"), max_length=20, choices=Education.choices, blank=True)
    title = models.CharField(_("职称"), max_length=60, blank=True)
    # Empty when not given; TitleLevel.NONE when the volunteer holds no title.
    title_level = models.PositiveSmallIntegerField(_("职称级别"), choices=TitleLevel.choices, null=True, blank=True, db_index=True)
    county = models.ForeignKey(County, verbose_name=_("所在县（区）"), null=True, blank=True, on_delete=models.PROTECT)
    unit = models.ForeignKey(
        "association.Organization", verbose_name=_("管理单位"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="volunteers", help_text=_("审核、管理这名志愿者的单位：所在服务队的单位，或所在县（区）科协。"),
    )
    employer = models.CharField(_("工作单位"), max_length=120, blank=True)
    field = models.CharField(_("专业领域"), max_length=100, blank=True, db_index=True)
    skills = models.TextField(_("专业特长"), blank=True)
    wished_teams = models.ManyToManyField(
        "volunteers.ServiceTeam", verbose_name=_("意向服务队"), blank=True, related_name="applicants"
    )
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    consent_version = models.CharField(_("同意的个人信息告知版本"), max_length=20, blank=True)
    consent_at = models.DateTimeField(_("同意时间"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("审核人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rejection_reason = models.TextField(_("未通过原因"), blank=True)
    # The status the volunteer was last told about by e-mail: keeps the notice task idempotent.
    notified_status = models.CharField(_("已通知的状态"), max_length=10, blank=True, editable=False)
    created = models.DateTimeField(_("注册时间"), auto_now_add=True)
    updated = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = VolunteerQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        verbose_name = _("志愿者")
        verbose_name_plural = _("志愿者")
        permissions = [("view_personal_data", _("可查看完整的身份证号与手机号码"))]
        constraints = [
            models.UniqueConstraint(fields=["id_number_hash"], name="volunteer_unique_id_number"),
            models.UniqueConstraint(fields=["mobile_hash"], name="volunteer_unique_mobile"),
        ]
        indexes = [
            models.Index(fields=["status", "-created"], name="volunteer_status_created"),
            models.Index(fields=["county", "status"], name="volunteer_county_status"),
            # the units' data exchange: changed since the last sync, in the order it pages through
            models.Index(fields=["updated", "id"], name="volunteer_updated_id"),
            # Ids of approved volunteers, read index-only when member counts join on them.
            models.Index(fields=["id"], condition=models.Q(status="approved"), name="volunteer_approved_ids"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.refresh_hashes()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            extra = {"id_number": "id_number_hash", "mobile": "mobile_hash"}
            kwargs["update_fields"] = {*update_fields, *(extra[f] for f in update_fields if f in extra)}
        super().save(*args, **kwargs)

    def refresh_hashes(self) -> None:
        self.id_number_hash = id_number_hash(self.id_number) if self.id_number else None
        self.mobile_hash = mobile_hash(self.mobile) if self.mobile else None

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def masked_mobile(self) -> str:
        return mask_mobile(self.mobile)

    @property
    def masked_name(self) -> str:
        return mask_name(self.name)

    @property
    def masked_guardian_mobile(self) -> str:
        return mask_mobile(self.guardian_mobile)
