"""补录: a volunteer asks for hours that were never recorded, with evidence; the team
leader or staff approve (the hours become a confirmed service record) or refuse (with a
reason the volunteer reads)."""

from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from association.formatting import chinese_date

from .orders import ServiceOrder
from .people import Volunteer
from .records import ServiceRecord, private_storage
from .teams import ServiceTeam


class HoursClaim(models.Model):
    unit_owner = "volunteer__unit"

    class Status(models.TextChoices):
        PENDING = "pending", _("待审核")
        APPROVED = "approved", _("已通过")
        REFUSED = "refused", _("未通过")

    volunteer = models.ForeignKey(Volunteer, verbose_name=_("志愿者"), on_delete=models.CASCADE, related_name="hours_claims")
    team = models.ForeignKey(
        ServiceTeam, verbose_name=_("服务队伍"), null=True, blank=True, on_delete=models.SET_NULL, related_name="hours_claims"
    )
    date = models.DateField(_("服务日期"))
    title = models.CharField(_("服务内容"), max_length=200)
    hours = models.DecimalField(_("申请时长（小时）"), max_digits=4, decimal_places=1)
    max_hours = models.DecimalField(
        _("活动时长上限"), max_digits=4, decimal_places=1, null=True, blank=True,
        help_text=_("关联活动时，按活动时长计算的上限。"),
    )
    order = models.ForeignKey(
        ServiceOrder, verbose_name=_("点单"), null=True, blank=True, on_delete=models.SET_NULL, related_name="hours_claims"
    )
    activity_type = models.ForeignKey(
        ContentType, verbose_name=_("活动类型"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    activity_id = models.PositiveBigIntegerField(_("活动编号"), null=True, blank=True)
    activity = GenericForeignKey("activity_type", "activity_id")
    reason = models.TextField(_("补录理由"), max_length=1000)
    evidence = models.FileField(_("证明材料"), storage=private_storage, upload_to="claims/%Y/%m/", blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    refusal_reason = models.CharField(_("未通过原因"), max_length=300, blank=True)
    record = models.OneToOneField(
        ServiceRecord, verbose_name=_("服务记录"), null=True, blank=True, on_delete=models.SET_NULL, related_name="claim"
    )
    submitted_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("审核人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("补录申请")
        verbose_name_plural = _("补录申请")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hours__gt=Decimal("0"), hours__lte=Decimal("24")), name="hoursclaim_hours_0_24"
            ),
            models.CheckConstraint(
                condition=models.Q(max_hours__isnull=True) | models.Q(hours__lte=models.F("max_hours")),
                name="hoursclaim_within_activity",
            ),
            # One open or granted claim per volunteer and activity.
            models.UniqueConstraint(
                fields=["volunteer", "activity_type", "activity_id"], condition=models.Q(status__in=["pending", "approved"]),
                name="hoursclaim_once_per_activity",
            ),
        ]
        indexes = [models.Index(fields=["status", "team", "date"], name="hoursclaim_queue")]

    def __str__(self):
        return f"{chinese_date(self.date)} {self.title}"
