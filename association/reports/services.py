"""Every change to a report job: asking for one, a worker claiming it, its progress, its
end (succeeded or failed, with the reason in Chinese), deleting it, and the monthly summary
e-mailed to the leaders.

Job states::

    queued ──claim──▶ running ──▶ succeeded
       │   ◀─requeue──┘ │
       └──▶ failed ◀────┘   (a section raised, a file could not be written, time ran out,
                             the worker vanished twice, or the queue lost the job)

A running job beats a heartbeat (``heartbeat``, every ``REPORT_HEARTBEAT_SECONDS``) from
the process that runs it. When the heartbeat stops, or a worker starting under the same
name finds the job its predecessor held, the worker is gone: the job is queued again once
(``requeue_orphans``), and failed with the reason the second time. Beat's sweep
(``fail_stale_jobs``) records this every two minutes; until it has, the pages that show a
lost job show it as the sweep will record it, and write nothing (``liveness``).

Whoever asked for a report is told when it is ready or failed, and the monthly summary goes to the
leaders, through the notification service (``notices``: e-mail with the PDF, and inbox).
"""

import logging
import threading
import uuid
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from association import audit, extensions, notices, queue, scoping
from association.models import AuditEntry, ReportJob, SiteSettings
from association.reporting import ReportParams
from association.roles import LEADERS
from association.states import DomainError, StateMachine

from ..formatting import chinese_date, chinese_datetime, chinese_numeral, format_cell
from . import liveness
from . import notices as report_notices
from .kinds import get_kind
from .liveness import (  # noqa: F401 - the tasks' time limits are read from here
    HARD_TIME_LIMIT,
    HEARTBEAT_SECONDS,
    HEARTBEAT_STALE,
    MAX_REQUEUES,
    SOFT_TIME_LIMIT,
)
from .pdf import write_pdf
from .runner import TRANSIENT_FAULTS, SectionFailed, SectionResult, describe_error, run_sections
from .xlsx import ReportMeta, write_xlsx

logger = logging.getLogger(__name__)
S = ReportJob.Status


JOBS = StateMachine(S, {
    S.QUEUED: {S.RUNNING, S.FAILED},
    S.RUNNING: {S.SUCCEEDED, S.FAILED, S.QUEUED},
    S.SUCCEEDED: set(),
    S.FAILED: set(),
})
RUN_TASK = "association.tasks.run_report_job"


def _held(queryset, *, skip_locked: bool = False):
    """Jobs locked for a move (the county is read for the audit entry's name, not locked)."""
    return queryset.select_for_update(of=("self",), skip_locked=skip_locked).select_related("county", "unit")


def params_key(report: str, params: ReportParams) -> str:
    return "|".join(
        [report, str(params.year or ""), str(params.date_from or ""), str(params.date_to or ""), str(params.county_id or "")]
        + ([f"u{params.unit_id}"] if params.unit_id else [])
    )


def validate_request(*, report: str, year: int | None, date_from: date | None, date_to: date | None) -> None:
    """Raise ``DomainError`` (with what to correct) for a request no report can answer."""
    if get_kind(report) is None:
        raise DomainError(_("没有这种报表。"))
    if bool(date_from) != bool(date_to):
        raise DomainError(_("自定义日期范围需要同时填写起始日期和截止日期。"))
    if date_from and date_to and date_from > date_to:
        raise DomainError(_("起始日期不能晚于截止日期。"))
    if not year and not date_from:
        raise DomainError(_("请选择统计年度，或填写日期范围。"))
    if get_kind(report).files is not None and not year:
        raise DomainError(_("%(kind)s按年度生成，请选择统计年度。") % {"kind": get_kind(report).label})
    this_year = timezone.localdate().year
    if year and not 2000 <= year <= this_year + 1:
        raise DomainError(_("统计年度应在 2000 年至 %(last)s 年之间。") % {"last": this_year + 1})


def request_report(
    *, report: str, year: int | None = None, date_from: date | None = None, date_to: date | None = None,
    county_id: int | None = None, user=None, enqueue: bool = True,
) -> tuple[ReportJob, bool]:
    """Ask for a report: ``(job, created)``. The same report with the same parameters while
    one is queued or running gives that job back instead of starting another. A unit's staff
    get their unit's report (its subtree's work only), whatever they ask."""
    validate_request(report=report, year=year, date_from=date_from, date_to=date_to)
    if date_from:
        year = None  # a date range says it all; keeps one key per range
    unit = scoping.unit_of(user) if getattr(user, "is_authenticated", False) else None
    unit_id = unit.pk if unit is not None else None
    params = ReportParams(year=year, date_from=date_from, date_to=date_to, county_id=county_id, unit_id=unit_id)
    key = params_key(report, params)
    fail_stale_jobs()
    existing = ReportJob.objects.filter(params_key=key, status__in=ReportJob.ACTIVE).first()
    if existing:
        return existing, False
    with transaction.atomic():
        try:
            with transaction.atomic():
                job = ReportJob.objects.create(
                    report=report, year=year, date_from=date_from, date_to=date_to, county_id=county_id, unit_id=unit_id,
                    requested_by=user if getattr(user, "is_authenticated", False) else None,
                    params_key=key, sections_total=get_kind(report).steps if get_kind(report).files else len(get_kind(report).sections()),
                )
        except IntegrityError:
            # Someone asked for the same report at the same moment and won the insert.
            return ReportJob.objects.get(params_key=key, status__in=ReportJob.ACTIVE), False
        audit.record(AuditEntry.Action.CREATE, actor=user, obj=job, detail=_("申请生成报表：%(title)s") % {"title": job.title})
        if enqueue:
            # In the job's own transaction, through the outbox: no job is ever committed
            # without its task, and a broker outage delays the job, never loses it.
            queue.enqueue(RUN_TASK, job.pk)
    return job, True


def claim_job(job_id: int, task_id: str, worker: str = "") -> bool:
    """Queued → running, by one worker only (the first to hold the row). The same task
    retrying after a passing fault, or redelivered after its worker was lost, claims it again."""
    now = timezone.now()
    with transaction.atomic():
        job = _held(ReportJob.objects.filter(pk=job_id)).first()
        again = job is not None and job.status == S.RUNNING and job.task_id == task_id
        if job is None or (job.status != S.QUEUED and not again):
            return False
        job.task_id, job.started, job.attempts, job.worker, job.heartbeat = task_id, now, job.attempts + 1, worker[:200], now
        job.sections_done, job.current_step, job.error = 0, "", ""
        fields = ["task_id", "started", "attempts", "worker", "heartbeat", "sections_done", "current_step", "error"]
        if again:
            job.save(update_fields=fields)
        else:
            JOBS.move(job, S.RUNNING, fields=fields, subject=job.title)
    return True


def _progress(job_id: int, task_id: str, done: int, step: str) -> None:
    ReportJob.objects.filter(pk=job_id, status=S.RUNNING, task_id=task_id).update(sections_done=done, current_step=step[:120])


def fail_job(job_id: int, reason: str, *, task_id: str | None = None) -> bool:
    """Queued or running → failed, with the reason staff will read."""
    with transaction.atomic():
        qs = _held(ReportJob.objects.filter(pk=job_id, status__in=ReportJob.ACTIVE))
        if task_id is not None:
            qs = qs.filter(task_id=task_id)
        job = qs.first()
        if job is None:
            return False
        job.error, job.finished, job.current_step = reason[:2000], timezone.now(), ""
        JOBS.move(job, S.FAILED, fields=["error", "finished", "current_step"], detail=reason[:500], subject=job.title)
        _tell_requester(job, report_notices.FAILED)
    return True


def _tell_requester(job: ReportJob, kind) -> None:
    """Whoever asked for the report hears it is ready, or why it failed (in the job's move)."""
    if job.requested_by_id:
        notices.notify(kind.key, user=job.requested_by, context={"job": job, **report_notices.links(job)},
                       key=f"report:{job.pk}:{kind.key.rsplit('.', 1)[1]}")


def fail_stale_jobs() -> int:
    """Record what became of jobs whose worker vanished (killed past the hard time limit,
    machine restarted) or whose message the queue lost; they would otherwise block the same
    request for ever. Run by beat (``sweep_report_jobs``); pages only show it (``liveness``).

    A job that ran past the hard time limit, or waited in the queue too long, is failed; one
    whose heartbeat stopped earlier lost its worker and is queued again once
    (``requeue_orphans``)."""
    now = timezone.now()
    failed = 0
    # Active jobs are few: at most one per report and parameters.
    for job in ReportJob.objects.filter(status__in=ReportJob.ACTIVE).order_by("pk"):
        why = liveness.lost(job, now)
        if why in (liveness.OVERRAN, liveness.NEVER_STARTED):
            failed += fail_job(job.pk, liveness.reason(job, why))
    return failed + requeue_orphans()


def requeue_orphans(*, lost_worker: str = "") -> int:
    """Running jobs whose worker is gone: queued again once, then failed with the reason.

    Gone means its heartbeat stopped, or (``lost_worker``) a worker starting under that
    name finds the job its previous run held. Returns how many jobs were dealt with."""

    def gone(job) -> bool:
        return job.status == S.RUNNING and (
            liveness.heartbeat_stopped(job, timezone.now()) or bool(lost_worker and job.worker == lost_worker)
        )

    handled = 0
    for job in ReportJob.objects.filter(status=S.RUNNING).order_by("pk"):
        if gone(job):
            handled += _requeue_or_fail(job.pk, gone)
    return handled


def _requeue_or_fail(job_id: int, gone) -> bool:
    with transaction.atomic():
        job = _held(ReportJob.objects.filter(pk=job_id), skip_locked=True).first()
        if job is None or not gone(job):
            return False  # beat again meanwhile, or another sweep has it
        if job.requeued >= MAX_REQUEUES:
            reason = liveness.reason(job, liveness.WORKER_GONE_AGAIN)
            job.error, job.finished, job.current_step = reason, timezone.now(), ""
            JOBS.move(job, S.FAILED, fields=["error", "finished", "current_step"], detail=reason, subject=job.title)
            _tell_requester(job, report_notices.FAILED)
            logger.warning("report job %s: worker %s lost again, job failed", job.pk, job.worker)
            return True
        lost = job.worker
        job.task_id, job.worker, job.heartbeat = "", "", None
        job.requeued += 1
        job.sections_done, job.current_step = 0, ""
        JOBS.move(job, S.QUEUED, fields=["task_id", "worker", "heartbeat", "requeued", "sections_done", "current_step"],
                  detail=_("后台进程意外退出，自动重新排队"), subject=job.title)
        logger.warning("report job %s: worker %s lost, queued again", job.pk, lost)
        queue.enqueue(RUN_TASK, job.pk)
    return True


class Heartbeat:
    """While a job runs, a thread of the running process marks it alive every few seconds.
    It dies with the process, which is the point."""

    def __init__(self, job_id: int, task_id: str, interval: float | None = None):
        self.job_id, self.task_id = job_id, task_id
        self.interval = interval or HEARTBEAT_SECONDS
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"report-heartbeat-{job_id}", daemon=True)

    def _run(self):
        from django.db import connection

        try:
            while not self._stop.wait(self.interval):
                try:
                    ReportJob.objects.filter(pk=self.job_id, status=S.RUNNING, task_id=self.task_id).update(
                        heartbeat=timezone.now()
                    )
                except Exception:  # noqa: BLE001 - a missed beat is retried at the next one
                    logger.warning("report job %s: heartbeat not recorded", self.job_id, exc_info=True)
        finally:
            connection.close()

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(timeout=5)
        return False


def report_meta(job: ReportJob) -> ReportMeta:
    return ReportMeta(
        title=job.title,
        association=SiteSettings.load().name,
        scope=job.scope_text,
        generated=chinese_datetime(timezone.now()),
        requested_by=job.requested_by_name,
    )


def execute_job(job_id: int, *, task_id: str | None = None, worker: str = "") -> str:
    """Run a job to its end. Returns the job's status, or "skipped" when another worker has
    it (no duplicate work). Passing faults propagate so the task retries."""
    task_id = task_id or f"inline-{uuid.uuid4()}"
    if not claim_job(job_id, task_id, worker):
        return "skipped"
    with Heartbeat(job_id, task_id):
        return _execute_claimed(job_id, task_id)


def _execute_claimed(job_id: int, task_id: str) -> str:
    from celery.exceptions import SoftTimeLimitExceeded

    job = ReportJob.objects.select_related("county", "unit", "requested_by").get(pk=job_id)
    kind = job.kind
    if kind is None:
        fail_job(job_id, _("没有这种报表（%(report)s），可能已停用。") % {"report": job.report}, task_id=task_id)
        return S.FAILED
    sections = kind.sections()
    results = None
    ReportJob.objects.filter(pk=job_id).update(sections_total=kind.steps if kind.files else len(sections),
                                               sections_done=0)
    try:
        if kind.files is not None:
            xlsx, pdf = kind.files(job.params, lambda done, label: _progress(job_id, task_id, done, label))
        else:
            results = run_sections(
                sections, job.params,
                lambda done, section: _progress(job_id, task_id, done, _("正在统计：%(title)s") % {"title": section.title}),
            )
            _progress(job_id, task_id, len(sections), _("正在生成 Excel 文件"))
            meta = report_meta(job)
            xlsx = write_xlsx(meta, results)
            _progress(job_id, task_id, len(sections), _("正在生成 PDF 文件"))
            pdf = write_pdf(meta, results)
    except DomainError as exc:
        fail_job(job_id, exc.message, task_id=task_id)
        return S.FAILED
    except SectionFailed as exc:
        fail_job(job_id, str(exc), task_id=task_id)
        return S.FAILED
    except SoftTimeLimitExceeded:
        fail_job(job_id, _("生成超时：超过 %(minutes)s 分钟仍未完成，请缩小统计范围后重试或联系管理员。") % {"minutes": SOFT_TIME_LIMIT // 60},
                 task_id=task_id)
        return S.FAILED
    except TRANSIENT_FAULTS:
        raise
    except Exception as exc:
        logger.exception("report job %s failed while writing its files", job_id)
        fail_job(job_id, _("生成报表文件失败：%(reason)s") % {"reason": describe_error(exc)}, task_id=task_id)
        return S.FAILED
    try:
        finished = _finish(job, task_id, xlsx, pdf)
    except TRANSIENT_FAULTS:
        raise
    except Exception as exc:
        logger.exception("report job %s: could not store its files", job_id)
        fail_job(job_id, _("保存报表文件失败：%(reason)s") % {"reason": describe_error(exc)}, task_id=task_id)
        return S.FAILED
    if not finished:
        return "skipped"
    if kind.notify_leaders:
        send_summary(job_id, results)
    return S.SUCCEEDED


def _file_stem(job: ReportJob) -> str:
    return f"{job.report}-{job.pk}-{timezone.localtime():%Y%m%d%H%M%S}"


def _finish(job: ReportJob, task_id: str, xlsx: bytes, pdf: bytes) -> bool:
    stem = _file_stem(job)
    with transaction.atomic():
        locked = _held(ReportJob.objects.filter(pk=job.pk, status=S.RUNNING, task_id=task_id)).first()
        if locked is None:
            return False  # failed meanwhile (e.g. marked stale); its files are not wanted
        locked.xlsx.save(f"{stem}.xlsx", ContentFile(xlsx), save=False)
        locked.pdf.save(f"{stem}.pdf", ContentFile(pdf), save=False)
        locked.finished, locked.current_step = timezone.now(), ""
        locked.sections_done = locked.sections_total
        JOBS.move(locked, S.SUCCEEDED, fields=["xlsx", "pdf", "finished", "current_step", "sections_done"],
                  subject=locked.title)
        _tell_requester(locked, report_notices.READY)
    return True


def delete_jobs(jobs) -> int:
    """Delete jobs and their files."""
    count = 0
    for job in jobs:
        for field in (job.xlsx, job.pdf):
            if field:
                field.delete(save=False)
        job.delete()
        count += 1
    return count


# -- the monthly summary --------------------------------------------------------------------

def previous_month(today: date | None = None) -> tuple[int, int]:
    today = today or timezone.localdate()
    first = today.replace(day=1)
    last_month = first - timedelta(days=1)
    return last_month.year, last_month.month


def month_range(year: int, month: int) -> tuple[date, date]:
    start = date(year, month, 1)
    end = (date(year + (month == 12), month % 12 + 1, 1)) - timedelta(days=1)
    return start, end


def monthly_summary(*, year: int | None = None, month: int | None = None, task_id: str | None = None) -> str:
    """Make last month's 工作简报 and send it to the leaders; safe to run twice."""
    if not (year and month):
        year, month = previous_month()
    date_from, date_to = month_range(year, month)
    key = params_key("monthly", ReportParams(date_from=date_from, date_to=date_to))
    done = ReportJob.objects.filter(params_key=key, status=S.SUCCEEDED).order_by("-finished").first()
    if done:
        if done.notified is None:
            send_summary(done.pk)
            return "sent"
        return "already sent"
    job, _created = request_report(report="monthly", date_from=date_from, date_to=date_to, enqueue=False)
    return execute_job(job.pk, task_id=task_id)


def leaders() -> list:
    """The accounts of the 领导 group: each gets the summary by e-mail (when it has an address)
    and in its inbox."""
    return list(get_user_model().objects.filter(groups__name=LEADERS, is_active=True).distinct().order_by("pk"))


def headline_lines() -> list[str]:
    lines = []
    for entry in extensions.headline_figures():
        try:
            figures = entry.func()
        except Exception:
            logger.exception("headline figures %s failed", entry.name)
            continue
        lines += [f"  · {label}：{format_cell(value)}{unit}" for label, value, unit in figures]
    return lines


def _table_lines(results: list[SectionResult], max_rows: int = 12) -> list[str]:
    lines = []
    for i, result in enumerate(results, 1):
        lines.append(f"（{chinese_numeral(i)}）{result.title}")
        for table in result.tables:
            lines.append(f"  {table.title}：")
            if not table.rows:
                lines.append("    " + _("无数据"))
            for row in table.rows[:max_rows]:
                values = "，".join(
                    f"{column} {format_cell(value)}" for column, value in zip(table.columns[1:], row[1:], strict=False)
                )
                lines.append(f"    {format_cell(row[0])}：{values}")
            if len(table.rows) > max_rows:
                lines.append("    " + _("……共 %(n)s 项，详见附件") % {"n": len(table.rows)})
    return lines


def summary_text(job: ReportJob, results: list[SectionResult]) -> str:
    site = SiteSettings.load()
    params = job.params
    lines = [
        _("各位领导："),
        "",
        _("现将%(association)s%(title)s报送如下（统计时段：%(start)s至%(end)s）。")
        % {"association": site.name, "title": job.title, "start": chinese_date(params.start), "end": chinese_date(params.end)},
        "",
        _("一、主要数据（截至%(today)s）") % {"today": chinese_date(timezone.localdate())},
    ]
    lines += headline_lines() or ["  " + _("暂无")]
    lines += ["", _("二、本期各项工作统计")]
    lines += _table_lines(results)
    lines += [
        "",
        _("完整报表见附件《%(title)s.pdf》，也可登录 %(url)s 查看工作数据看板。")
        % {"title": job.title, "url": f"{settings.SITE_URL}/dashboard/"},
        "",
        _("%(association)s门户（系统自动发送，请勿直接回复）") % {"association": site.name},
    ]
    return "\n".join(lines)


def send_summary(job_id: int, results: list[SectionResult] | None = None) -> bool:
    """Tell the leaders of a finished job once (e-mail with the PDF attached, and inbox): the
    send is claimed by setting ``notified``, and the notices are written once by their key."""
    if not ReportJob.objects.filter(pk=job_id, status=S.SUCCEEDED, notified__isnull=True).update(notified=timezone.now()):
        return False
    job = ReportJob.objects.select_related("county", "unit").get(pk=job_id)
    try:
        recipients = leaders()
        if not recipients:
            logger.warning("monthly summary %s: nobody is in the %s group", job_id, LEADERS)
            ReportJob.objects.filter(pk=job_id).update(notified=None)  # send when someone is
            return False
        if results is None:
            results = run_sections(job.kind.sections(), job.params)
        notices.notify_many(
            report_notices.MONTHLY_SUMMARY.key, [notices.Recipient(user=user) for user in recipients],
            context={"job": job, "summary": summary_text(job, results), "short_name": SiteSettings.load().short_name},
            key=f"report:{job.pk}:summary",
        )
    except Exception:
        ReportJob.objects.filter(pk=job_id).update(notified=None)
        raise
    return True
