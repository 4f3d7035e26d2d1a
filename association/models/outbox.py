"""Every task the portal asks for, written in the transaction that asks for it
(``association.queue``): sent at once after the commit and marked ``sent_at``, or later by
the outbox relay when the process died in between or the broker did not answer. Sent rows
are removed after ``OUTBOX_RETENTION_DAYS``."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .. import scoping


class OutboxMessage(models.Model):
    unit_owner = scoping.CITY

    task_name = models.CharField(_("任务"), max_length=200)
    args = models.JSONField(_("参数"), default=list)
    kwargs = models.JSONField(_("关键字参数"), default=dict)
    created = models.DateTimeField(_("创建时间"), auto_now_add=True)
    attempts = models.PositiveIntegerField(_("尝试次数"), default=0)
    last_error = models.CharField(_("最近错误"), max_length=500, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["created"]
        verbose_name = _("待发送任务")
        verbose_name_plural = _("待发送任务")

    def __str__(self):
        return self.task_name
