"""Report jobs: a staff member (or the monthly schedule) asks for a report, a worker makes it.

The sections a report contains are registered by the apps (``association.reporting``);
which reports exist is registered in ``association.reports.kinds``. A job's files live in
the private storage and are served only by a view that checks permission.
"""

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .accounts import person_name
from .organizations import County


def private_storage():
    return storages["private"]


def report_upload_to(instance, filename):
    return f"reports/{instance.created:%Y/%m}/{filename}"


class ReportJob(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("生成中")
        SUCCEEDED = "succeeded", _("已完成")
        FAILED = "failed", _("失败")

    ACTIVE = (Status.QUEUED, Status.RUNNING)

    # A unit's report covers its own subtree; the city's (no unit) covers everything.
    unit_owner = "unit"

    report = models.CharField(_("报表"), max_length=40, db_index=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申请人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="report_jobs",
    )
    year = models.PositiveSmallIntegerField(_("年度"), null=True, blank=True)
    date_from = models.DateField(_("起始日期"), null=True, blank=True)
    date_to = models.DateField(_("截止日期"), null=True, blank=True)
    county = models.ForeignKey(
        County, verbose_name=_("县（区）"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text=_("留空表示全市"),
    )
    unit = models.ForeignKey(
        "association.Organization", verbose_name=_("单位"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", help_text=_("留空为全市；单位的报表只统计本单位及下级单位"),
    )
    # The report and its parameters in one string: two requests with the same key while
    # one is queued or running share the job (see the partial unique constraint).
    params_key = models.CharField(_("参数标识"), max_length=120, editable=False)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True)
    sections_total = models.PositiveSmallIntegerField(_("部分总数"), default=0)
    sections_done = models.PositiveSmallIntegerField(_("已完成部分"), default=0)
    current_step = models.CharField(_("当前步骤"), max_length=120, blank=True)
    xlsx = models.FileField(_("Excel 文件"), upload_to=report_upload_to, storage=private_storage, blank=True, max_length=200)
    pdf = models.FileField(_("PDF 文件"), upload_to=report_upload_to, storage=private_storage, blank=True, max_length=200)
    error = models.TextField(_("失败原因"), blank=True)
    task_id = models.CharField(_("任务编号"), max_length=64, blank=True, editable=False)
    attempts = models.PositiveSmallIntegerField(_("执行次数"), default=0, editable=False)
    # The worker running it and the last sign of life from that run: a job whose heartbeat
    # stopped lost its worker (killed, machine restarted) and is queued again once.
    worker = models.CharField(_("执行进程"), max_length=200, blank=True, editable=False)
    heartbeat = models.DateTimeField(_("最近心跳"), null=True, blank=True, editable=False)
    requeued = models.PositiveSmallIntegerField(_("自动重新排队次数"), default=0, editable=False)
    created = models.DateTimeField(_("申请时间"), auto_now_add=True, db_index=True)
    started = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished = models.DateTimeField(_("完成时间"), null=True, blank=True)
    notified = models.DateTimeField(_("邮件发送时间"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("报表任务")
        verbose_name_plural = _("统计报表")
        permissions = [("view_dashboard", _("可以查看工作数据看板"))]
        constraints = [
            models.UniqueConstraint(
                fields=["params_key"],
                condition=models.Q(status__in=["queued", "running"]),
                name="reportjob_one_active_per_params",
            ),
            models.CheckConstraint(
                condition=models.Q(date_from__isnull=True)
                | models.Q(date_to__isnull=True)
                | models.Q(date_from__lte=models.F("date_to")),
                name="reportjob_date_range_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(sections_done__lte=models.F("sections_total")),
                name="reportjob_progress_within_total",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def kind(self):
        from association.reports.kinds import get_kind

        return get_kind(self.report)

    @property
    def params(self):
        from association.reporting import ReportParams

        return ReportParams(year=self.year, date_from=self.date_from, date_to=self.date_to, county_id=self.county_id,
                            unit_id=self.unit_id)

    @property
    def requested_by_name(self) -> str:
        """Who asked, as staff read it; empty for the monthly schedule."""
        return person_name(self.requested_by) if self.requested_by_id else ""

    @property
    def title(self) -> str:
        from association.reports.kinds import report_title

        where = self.unit.name if self.unit_id else (self.county.name if self.county_id else "")
        return report_title(self.report, self.params, county_name=where)

    @property
    def scope_text(self) -> str:
        """``全市，2025年1月1日至2025年12月31日``"""
        from association.formatting import chinese_date

        params = self.params
        where = (self.unit.name + gettext("及下级单位")) if self.unit_id else (
            self.county.name if self.county_id else gettext("全市"))
        return gettext("%(where)s，%(start)s至%(end)s") % {
            "where": where, "start": chinese_date(params.start), "end": chinese_date(params.end)
        }

    # -- as staff see it -------------------------------------------------------------------
    # A job whose worker vanished, or that the queue never delivered, stays "running" or
    # "queued" in its row until the report sweep (beat, every two minutes) records what
    # became of it. Pages only read: they show it at once as the sweep will record it.

    @property
    def lost(self) -> str:
        """Why this job is lost ("" when it is not); see ``association.reports.liveness``."""
        from association.reports import liveness

        return liveness.lost(self)

    @property
    def shown_status(self) -> str:
        from association.reports import liveness

        if self.lost in liveness.FAILED:
            return self.Status.FAILED
        if self.lost == liveness.WORKER_GONE:
            return self.Status.QUEUED  # queued again by the sweep
        return self.status

    @property
    def shown_status_label(self) -> str:
        return str(self.Status(self.shown_status).label)

    @property
    def shown_error(self) -> str:
        from association.reports import liveness

        return liveness.reason(self, self.lost) or self.error

    @property
    def is_active(self) -> bool:
        return self.shown_status in self.ACTIVE

    @property
    def percent(self) -> int:
        if self.status == self.Status.SUCCEEDED:
            return 100
        if not self.sections_total or self.lost:
            return 0
        return int(self.sections_done * 100 / self.sections_total)

    @property
    def progress_label(self) -> str:
        from association.reports import liveness

        status = self.shown_status
        if self.lost == liveness.WORKER_GONE:
            return gettext("排队中：后台进程意外退出，即将自动重新开始生成")
        if status == self.Status.QUEUED:
            return gettext("排队中：等待后台开始生成")
        if status == self.Status.RUNNING:
            step = f"（{self.current_step}）" if self.current_step else ""
            return gettext("生成中：已完成 %(done)s/%(total)s 个部分") % {"done": self.sections_done, "total": self.sections_total} + step
        if status == self.Status.SUCCEEDED:
            return gettext("已完成：共 %(total)s 个部分") % {"total": self.sections_total}
        return gettext("生成失败")
