"""A person's rights over their own data (个人信息保护法): the consents they gave, each with
the version of the text they agreed to, and their requests to correct or change their
real-name particulars, which staff handle."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from association.crypto import EncryptedTextField, mask_id_number

from .people import Volunteer


class Consent(models.Model):
    """One consent a volunteer gave, kept with the exact version of the text shown.

    The privacy notice (告知同意), the separate consent to processing the ID number
    (敏感个人信息单独同意) and a guardian's statement (监护人同意) are separate rows: each
    text has its own version, and each is given or withdrawn on its own."""

    unit_owner = "volunteer__unit"

    class Kind(models.TextChoices):
        PRIVACY_NOTICE = "privacy_notice", _("个人信息处理告知同意")
        ID_NUMBER = "id_number", _("身份证号单独同意")
        GUARDIAN = "guardian", _("监护人同意声明")

    volunteer = models.ForeignKey(Volunteer, verbose_name=_("志愿者"), on_delete=models.CASCADE, related_name="consents")
    kind = models.CharField(_("同意事项"), max_length=20, choices=Kind.choices)
    version = models.CharField(_("文本版本"), max_length=20)
    given_at = models.DateTimeField(_("同意时间"))
    # Who gave it when it was not the volunteer (a guardian); never the guardian's mobile here.
    given_by = models.CharField(_("同意人"), max_length=50, blank=True)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)

    class Meta:
        ordering = ["volunteer", "given_at", "id"]
        verbose_name = _("个人信息同意记录")
        verbose_name_plural = _("个人信息同意记录")
        indexes = [models.Index(fields=["volunteer", "kind"], name="consent_volunteer_kind")]

    def __str__(self):
        return f"{self.get_kind_display()}（{self.version} 版）"


class ChangeRequest(models.Model):
    """更正申请 and 实名信息变更: what the volunteer says is wrong, or the real-name
    particulars they ask to change; staff of the managing unit handle it."""

    unit_owner = "volunteer__unit"

    class Kind(models.TextChoices):
        CORRECTION = "correction", _("更正申请")
        REAL_NAME = "real_name", _("实名信息变更")

    class Status(models.TextChoices):
        PENDING = "pending", _("待处理")
        APPROVED = "approved", _("已办理")
        REFUSED = "refused", _("未同意")

    volunteer = models.ForeignKey(Volunteer, verbose_name=_("志愿者"), on_delete=models.CASCADE, related_name="change_requests")
    kind = models.CharField(_("类别"), max_length=12, choices=Kind.choices)
    message = models.TextField(_("申请说明"), max_length=2000)
    new_name = models.CharField(_("新姓名"), max_length=50, blank=True)
    new_id_number = EncryptedTextField(_("新身份证号"), blank=True, default="")
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    reply = models.TextField(_("处理意见"), blank=True, max_length=1000)
    created = models.DateTimeField(_("申请时间"), auto_now_add=True)
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("处理人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("更正与变更申请")
        verbose_name_plural = _("更正与变更申请")
        constraints = [
            # One open request of each kind: a second one waits for the first to be handled.
            models.UniqueConstraint(fields=["volunteer", "kind"], condition=Q(status="pending"),
                                    name="changerequest_one_pending_per_kind"),
        ]

    def __str__(self):
        return f"{self.volunteer} · {self.get_kind_display()}"

    @property
    def masked_new_id_number(self) -> str:
        return mask_id_number(self.new_id_number)
