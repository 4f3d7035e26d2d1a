"""What each daily retention run removed or anonymised: counts only, never personal data."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .. import scoping
from ..formatting import chinese_datetime


class RetentionRun(models.Model):
    unit_owner = scoping.CITY

    started = models.DateTimeField(_("开始时间"), auto_now_add=True, db_index=True)
    finished = models.DateTimeField(_("结束时间"), null=True, blank=True)
    # {"规则名称": {"项目": 数量, ...}, ...}
    counts = models.JSONField(_("处理数量"), default=dict, blank=True)
    total = models.PositiveIntegerField(_("合计处理"), default=0)
    errors = models.TextField(_("出错的规则"), blank=True)

    class Meta:
        ordering = ["-started"]
        verbose_name = _("到期数据清理记录")
        verbose_name_plural = _("到期数据清理记录")

    def __str__(self):
        return chinese_datetime(self.started)
