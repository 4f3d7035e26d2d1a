"""When a report job is lost: its worker vanished (the heartbeat stopped, or it ran past the
hard time limit) or the queue never delivered it.

One rule for two readers: the sweep (``services.fail_stale_jobs``, run by beat every two
minutes) records what it finds, queuing the job again once or failing it with the reason;
the pages that show a job (the admin, the dashboard, the status JSON) only read, and show
at once what the sweep will record.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# A report task's time limits (seconds). A running job older than the hard limit has lost
# its worker; a queued job this old was lost by the queue.
SOFT_TIME_LIMIT = 600
HARD_TIME_LIMIT = 660
OVERRUN = timedelta(seconds=HARD_TIME_LIMIT + 120)
QUEUED_TOO_LONG = timedelta(hours=1)
# A running job's heartbeat; four missed beats mean its worker is gone.
HEARTBEAT_SECONDS = getattr(settings, "REPORT_HEARTBEAT_SECONDS", 15)
HEARTBEAT_STALE = timedelta(seconds=4 * HEARTBEAT_SECONDS)
MAX_REQUEUES = 1

# Why a job is lost; "" when it is not.
OVERRAN = "overran"  # failed
NEVER_STARTED = "never_started"  # failed
WORKER_GONE = "worker_gone"  # queued again
WORKER_GONE_AGAIN = "worker_gone_again"  # failed: it was queued again MAX_REQUEUES times

FAILED = {OVERRAN, NEVER_STARTED, WORKER_GONE_AGAIN}

OVERRAN_REASON = _("生成过程意外中断（超过时限或后台进程退出），请重新生成；如反复出现，请缩小统计范围或联系管理员。")
NEVER_STARTED_REASON = _("排队超过 1 小时仍未开始：后台任务服务可能没有运行，请联系管理员后重新生成。")
WORKER_LOST_REASON = _(
    "后台进程在生成过程中意外退出，已自动重新排队 %(n)s 次仍未完成，请稍后重新生成；如反复出现，请联系管理员。"
)


def heartbeat_stopped(job, now: datetime) -> bool:
    last_sign = job.heartbeat or job.started
    return last_sign is not None and last_sign < now - HEARTBEAT_STALE


def lost(job, now: datetime | None = None) -> str:
    """Why this job is lost (one of the codes above), or "" when it is not."""
    from association.models import ReportJob

    S = ReportJob.Status
    now = now or timezone.now()
    if job.status == S.QUEUED:
        return NEVER_STARTED if job.created and job.created < now - QUEUED_TOO_LONG else ""
    if job.status != S.RUNNING:
        return ""
    if job.started and job.started < now - OVERRUN:
        return OVERRAN
    if heartbeat_stopped(job, now):
        return WORKER_GONE_AGAIN if job.requeued >= MAX_REQUEUES else WORKER_GONE
    return ""


def reason(job, why: str) -> str:
    """The reason staff read on a job failed for being lost."""
    if why == OVERRAN:
        return str(OVERRAN_REASON)
    if why == NEVER_STARTED:
        return str(NEVER_STARTED_REASON)
    if why == WORKER_GONE_AGAIN:
        return str(WORKER_LOST_REASON % {"n": job.requeued})
    return ""
