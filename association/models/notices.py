"""Notices to people (``association.notices``): the delivery log, which is also the in-site
inbox (its ``inbox`` rows), the staff's templates and each person's choices."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .. import extensions, scoping
from ..crypto import EncryptedTextField


class Channel(models.TextChoices):
    EMAIL = "email", _("电子邮件")
    SMS = "sms", _("短信")
    INBOX = "inbox", _("站内消息")


class Delivery(models.Model):
    """One notice on one channel to one person: the log staff read, the row the worker
    sends, and for the inbox the message itself. ``key`` with the kind, the channel and the
    recipient is unique, so a service or a task that runs twice writes (and sends) once."""

    unit_owner = scoping.CITY

    class Status(models.TextChoices):
        QUEUED = "queued", _("待发送")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")
        LIMITED = "limited", _("超出频率未发送")
        SKIPPED = "skipped", _("本人已关闭")

    kind = models.CharField(_("通知类型"), max_length=80, db_index=True)
    key = models.CharField(_("去重键"), max_length=120)
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    # Who: a keyed hash of the address (or the account for the inbox), never the address.
    recipient = models.CharField(_("收件人标识"), max_length=64)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("账号"), null=True, blank=True,
                             on_delete=models.CASCADE, related_name="+")
    address = EncryptedTextField(_("地址"), blank=True)
    address_mask = models.CharField(_("地址"), max_length=80, blank=True)
    subject = models.CharField(_("标题"), max_length=200, blank=True)
    # What was sent: the person's name and their private links, as the records it speaks
    # of keep them; never a mobile or an ID number (those the templates are not given).
    body = models.TextField(_("内容"), blank=True)
    params = models.TextField(_("短信模板参数"), blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    last_error = models.CharField(_("最近错误"), max_length=300, blank=True)
    created = models.DateTimeField(_("创建时间"), auto_now_add=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知发送记录")
        verbose_name_plural = _("通知发送记录")
        ordering = ["-created", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "key", "channel", "recipient"], name="delivery_once_per_recipient"),
        ]
        indexes = [
            models.Index(fields=["user", "channel", "status", "-created"], name="delivery_inbox"),
        ]

    def __str__(self):
        return f"{self.kind_label} · {self.get_channel_display()} · {self.address_mask}"

    @property
    def kind_label(self) -> str:
        kind = extensions.notice_kinds().get(self.kind)
        return kind.label if kind else self.kind


class NoticeTemplate(models.Model):
    """Staff's wording of one kind of notice; an empty field keeps the code's default."""

    unit_owner = scoping.CITY

    kind = models.CharField(_("通知类型"), max_length=80, unique=True)
    subject = models.CharField(_("标题（邮件、站内消息）"), max_length=200, blank=True)
    body = models.TextField(_("正文（邮件、站内消息）"), blank=True)
    sms = models.TextField(_("短信内容"), blank=True, help_text=_("不含签名，签名会自动加在开头。"))
    updated = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("通知模板")
        verbose_name_plural = _("通知模板")
        ordering = ["kind"]

    def __str__(self):
        kind = extensions.notice_kinds().get(self.kind)
        return kind.label if kind else self.kind

    def save(self, *args, **kwargs):
        self.full_clean()
        super().save(*args, **kwargs)

    def clean(self):
        from django.template import Template, TemplateSyntaxError

        kinds = extensions.notice_kinds()
        if self.kind not in kinds:
            raise ValidationError({"kind": _("没有这种通知类型。")})
        # Only the writing is checked here: the data a notice carries exists only when one is
        # sent, and wording that fails with it then gives way to the code's (notices.service).
        errors = {}
        for name in ("subject", "body", "sms"):
            source = getattr(self, name)
            if not source:
                continue
            try:
                Template(source)
            except TemplateSyntaxError as exc:
                errors[name] = _("模板写法有误：%(error)s") % {"error": exc}
        if errors:
            raise ValidationError(errors)


class NoticePreference(models.Model):
    """A kind of notice a person turned off on one channel (the row means: do not send)."""

    unit_owner = scoping.CITY

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("账号"), on_delete=models.CASCADE,
                             related_name="+")
    kind = models.CharField(_("通知类型"), max_length=80)
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)

    class Meta:
        verbose_name = _("已关闭的通知")
        verbose_name_plural = _("已关闭的通知")
        constraints = [models.UniqueConstraint(fields=["user", "kind", "channel"], name="notice_preference_once")]

    def __str__(self):
        return f"{self.user} · {self.kind} · {self.channel}"
