"""Celery tasks of the core: the outbox, report jobs, the leaders' monthly summary and the
password-reset e-mail.

Tasks take ids, call a service and are safe to run twice: a report job is claimed with a
conditional UPDATE, so a second delivery of the same job finds it taken and does nothing.

The housekeeping that beat runs every few minutes stores no result (``HOUSEKEEPING``): its
rows would bury the report and certificate results staff look for under 任务结果.
"""

import logging
from smtplib import SMTPException

from celery import shared_task
from celery.signals import worker_ready
from django.utils.translation import gettext as _

from . import queue
from .reports import services
from .reports.runner import TRANSIENT_FAULTS
from .services import accounts

logger = logging.getLogger(__name__)

HOUSEKEEPING = {"acks_late": True, "ignore_result": True}


# expires: beat asks for the relay every few seconds; runs that waited in the broker longer
# than that (no worker was up) are dropped, since one run sends everything.
@shared_task(
    name="association.flush_outbox", label="系统：发送待发任务", **HOUSEKEEPING, time_limit=120, soft_time_limit=100,
    expires=60,
)
def flush_outbox(min_age: float | None = None):
    """The outbox relay: sends the tasks the fast path left (``association.queue``)."""
    return queue.flush_outbox(min_age=queue.RELAY_AFTER_SECONDS if min_age is None else min_age)


@worker_ready.connect
def _flush_on_start(sender=None, **kwargs):
    # A worker coming back after an outage sends everything that waited meanwhile, the
    # youngest rows too: the row locks keep it from sending one a web process is sending.
    flush_outbox.delay(min_age=0)


@worker_ready.connect
def _recover_on_start(sender=None, **kwargs):
    """A worker starting under a name finds the jobs its previous run held (it was killed
    mid-job): they are queued again once, or failed with the reason."""
    hostname = getattr(sender, "hostname", "") or ""
    try:
        handled = services.requeue_orphans(lost_worker=hostname)
    except Exception:  # noqa: BLE001 - never keep a worker from starting; the sweep retries
        logger.exception("report jobs: recovery at worker start failed")
        return
    if handled:
        logger.warning("report jobs: %s job(s) of a lost worker queued again or failed", handled)


@shared_task(name="association.apply_retention", label="系统：按保存期限清理数据", **HOUSEKEEPING, time_limit=1800, soft_time_limit=1700)
def apply_retention() -> int:
    """Daily (beat): remove or anonymise what the privacy notices say is no longer kept."""
    from . import retention

    return retention.apply_retention().pk


@shared_task(name="association.sweep_report_jobs", label="报表：处理中断的报表任务", **HOUSEKEEPING, time_limit=120, soft_time_limit=100)
def sweep_report_jobs() -> int:
    """Every few minutes (beat): jobs whose worker vanished are queued again or failed."""
    return services.fail_stale_jobs()


RETRY = {
    "autoretry_for": TRANSIENT_FAULTS,
    "retry_backoff": 5,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 5,
}


@shared_task(
    bind=True, acks_late=True, soft_time_limit=services.SOFT_TIME_LIMIT, time_limit=services.HARD_TIME_LIMIT, **RETRY,
    label="报表：生成统计报表",
)
def run_report_job(self, job_id: int) -> str:
    try:
        return services.execute_job(job_id, task_id=self.request.id, worker=self.request.hostname or "")
    except TRANSIENT_FAULTS as exc:
        if self.request.retries >= self.max_retries:
            logger.error("report job %s: giving up after %s retries", job_id, self.request.retries)
            services.fail_job(
                job_id, _("数据库或缓存服务暂时不可用，已重试 %(n)s 次仍失败，请稍后重新生成。") % {"n": self.request.retries}
            )
        raise exc


@shared_task(
    bind=True, acks_late=True, soft_time_limit=services.SOFT_TIME_LIMIT, time_limit=services.HARD_TIME_LIMIT, **RETRY,
    label="报表：领导月度工作简报",
)
def send_monthly_summary(self, year: int | None = None, month: int | None = None) -> str:
    return services.monthly_summary(year=year, month=month, task_id=self.request.id)


@shared_task(name="association.warm_dashboard", label="报表：预先计算工作数据看板", **HOUSEKEEPING, time_limit=240, soft_time_limit=200)
def warm_dashboard():
    """Rebuild this year's dashboard sections before their cache runs out."""
    from django.utils import timezone

    from .reports.selectors import section_tables

    return len(section_tables(timezone.localdate().year, refresh=True))


@shared_task(
    name="association.send_password_reset", label="账号：发送重设密码邮件", soft_time_limit=30, time_limit=60,
    autoretry_for=(SMTPException, ConnectionError, TimeoutError, *TRANSIENT_FAULTS),
    retry_backoff=5, retry_backoff_max=300, retry_jitter=True, max_retries=5,
)
def send_password_reset(user_id: int) -> str:
    """A reset link for one account; a second run sends another valid link, nothing worse."""
    return accounts.send_password_reset(user_id)


@shared_task(bind=True, name="association.send_deliveries", label="系统：发送通知（邮件、短信）", acks_late=True,
             ignore_result=True, max_retries=6, time_limit=900, soft_time_limit=870)
def send_deliveries(self, ids: list[int]) -> int:
    """Send these notices (``association.notices``); the ones that met a passing fault are
    tried again with back-off (30 s, 1, 2, 4 … minutes), the attempts recorded on each."""
    from .notices import service as notices

    retry = notices.send_deliveries(ids, last_try=self.request.retries >= self.max_retries)
    if retry:
        raise self.retry(args=[retry], countdown=min(30 * 2 ** self.request.retries, 1800))
    return len(ids)
