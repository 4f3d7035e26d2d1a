"""Celery tasks of the returns: ids in, safe to run twice."""

from celery import shared_task
from django.db import DatabaseError

from . import notices
from .models import StatisticsReturn

PASSING_FAULTS = (DatabaseError, ConnectionError, TimeoutError, OSError)
Status = StatisticsReturn.Status


@shared_task(autoretry_for=PASSING_FAULTS, retry_backoff=True, retry_backoff_max=300, max_retries=5,
             soft_time_limit=30, time_limit=60, label="统计年报：通知报送、退回或审核通过")
def send_status_notice(return_id: int, status: str) -> str:
    """Tell of a return's move (``notices.tell``); nothing if the return has moved on since.
    The moves now write their notices themselves; this serves the tasks already queued."""
    statistics_return = StatisticsReturn.objects.select_related("organization").filter(pk=return_id).first()
    if statistics_return is None or statistics_return.status != status or status not in (
        Status.SUBMITTED, Status.RETURNED, Status.ACCEPTED,
    ):
        return "skipped"
    return "sent" if notices.tell(statistics_return) else "skipped"
