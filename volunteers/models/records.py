"""Service records (hours a volunteer served on a date) and hours certificates."""

from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import storages
from django.db import models
from django.utils.translation import gettext_lazy as _

from association.formatting import chinese_date

from .orders import ServiceOrder
from .people import Volunteer
from .teams import ServiceTeam


class ServiceRecord(models.Model):
    """Hours on one date, for an order, for anything else (an event: generic relation) or by title only."""

    unit_owner = "volunteer__unit"

    class Status(models.TextChoices):
        PENDING = "pending", _("待确认")
        CONFIRMED = "confirmed", _("已确认")
        REJECTED = "rejected", _("不予确认")

    volunteer = models.ForeignKey(Volunteer, verbose_name=_("志愿者"), on_delete=models.CASCADE, related_name="records")
    team = models.ForeignKey(
        ServiceTeam, verbose_name=_("服务队伍"), null=True, blank=True, on_delete=models.SET_NULL, related_name="records"
    )
    date = models.DateField(_("服务日期"))
    hours = models.DecimalField(_("服务时长（小时）"), max_digits=4, decimal_places=1)
    title = models.CharField(_("服务内容"), max_length=200)
    order = models.ForeignKey(
        ServiceOrder, verbose_name=_("点单"), null=True, blank=True, on_delete=models.SET_NULL, related_name="records"
    )
    activity_type = models.ForeignKey(
        ContentType, verbose_name=_("活动类型"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    activity_id = models.PositiveBigIntegerField(_("活动编号"), null=True, blank=True)
    activity = GenericForeignKey("activity_type", "activity_id")
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("确认人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("服务记录")
        verbose_name_plural = _("服务记录")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hours__gt=Decimal("0"), hours__lte=Decimal("24")), name="servicerecord_hours_0_24"
            ),
        ]
        indexes = [
            models.Index(fields=["volunteer", "-date"], name="record_volunteer_date"),
            models.Index(fields=["date", "status"], name="record_date_status"),
            models.Index(fields=["activity_type", "activity_id"], name="record_activity"),
        ]

    def __str__(self):
        return f"{chinese_date(self.date)} {self.title}"


def private_storage():
    return storages["private"]


class NextCertificateNumber(models.Func):
    """证明编号, given by the database to every new certificate: ZM + the year + a sequence
    number (``volunteers_next_certificate_number()``, migration 0007), never reused."""

    function = "volunteers_next_certificate_number"
    output_field = models.CharField()


class HoursCertificate(models.Model):
    """志愿服务记录证明: a snapshot of confirmed hours and of who issues it, a PDF built by a
    worker, a number printed on it and a secret code that anyone holding the paper can check."""

    unit_owner = "volunteer__unit"

    class Status(models.TextChoices):
        PENDING = "pending", _("生成中")
        READY = "ready", _("已生成")
        FAILED = "failed", _("生成失败")
        REVOKED = "revoked", _("已撤销")

    volunteer = models.ForeignKey(Volunteer, verbose_name=_("志愿者"), on_delete=models.CASCADE, related_name="certificates")
    number = models.CharField(_("证明编号"), max_length=20, unique=True, editable=False, db_default=NextCertificateNumber())
    # Random, unlike the number: the public check answers only to whoever holds the paper.
    code = models.CharField(_("核验码"), max_length=16, unique=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    issuer = models.ForeignKey(
        "association.Organization", verbose_name=_("出具单位"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    # As they were on the day of issue: a unit renamed later does not change a paper already given.
    issuer_name = models.CharField(_("出具单位名称"), max_length=120, blank=True)
    handler = models.CharField(_("经办人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    issued_on = models.DateField(_("出具日期"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("撤销人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revocation_reason = models.TextField(_("撤销原因"), blank=True)
    total_hours = models.DecimalField(_("累计服务时长"), max_digits=8, decimal_places=1)
    record_count = models.PositiveIntegerField(_("服务记录数"))
    first_date = models.DateField(_("最早服务日期"), null=True, blank=True)
    last_date = models.DateField(_("最近服务日期"), null=True, blank=True)
    file = models.FileField(_("证明文件"), storage=private_storage, upload_to="certificates/%Y/", blank=True)
    error = models.TextField(_("错误信息"), blank=True)
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    generated_at = models.DateTimeField(_("生成时间"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("志愿服务记录证明")
        verbose_name_plural = _("志愿服务记录证明")

    def __str__(self):
        return f"{self.volunteer} · {self.display_code}"

    @property
    def is_revoked(self) -> bool:
        return self.status == self.Status.REVOKED

    @property
    def display_code(self) -> str:
        return "-".join(self.code[i : i + 4] for i in range(0, len(self.code), 4))
