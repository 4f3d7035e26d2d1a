"""Removing or anonymising what the privacy notices say is no longer kept.

``apply_retention()`` (a Celery beat task, daily at 03:30) runs every rule registered with
``association.extensions.retention_rule``, each in its own transaction so one failing rule
does not undo the others, and records a ``RetentionRun`` with the counts. The periods are
settings, so the notices and the rules are changed together:

- ``AUDIT_RETENTION_YEARS`` (default 5): audit entries older than this are deleted;
- ``REPORT_FILE_RETENTION_DAYS`` (default 730): finished report jobs and their files;
- ``OUTBOX_RETENTION_DAYS`` (default 30): outbox messages already sent;
- ``TASK_RESULT_RETENTION_DAYS`` (default 7): Celery's task and group results (任务结果);
- ``NOTICE_RETENTION_DAYS`` (default 365): the delivery log of notices and the inbox
  messages (``association.notices``).

Each app registers its own rules (the volunteers' in ``volunteers/retention.py``).
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from . import extensions
from .models import AuditEntry, OutboxMessage, ReportJob, RetentionRun

logger = logging.getLogger(__name__)


def audit_years() -> int:
    return getattr(settings, "AUDIT_RETENTION_YEARS", 5)


def years_ago(now, years: int):
    return now - timedelta(days=365 * years + years // 4)


def forget_in_audit(obj, label: str) -> int:
    """Replace the name an audit entry shows for ``obj`` (its ``str()`` at the time, e.g. a
    person's name) once the record itself is anonymised or gone; the entries stay."""
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False), object_id=str(obj.pk)
    ).update(object_repr=label[:200])


@extensions.retention_rule(10)
def expire_audit_entries(now) -> dict:
    deleted, _ = AuditEntry.objects.filter(created__lt=years_ago(now, audit_years())).delete()
    return {"审计记录（超过保存年限）": deleted}


@extensions.retention_rule(20)
def expire_report_files(now) -> dict:
    from .reports.services import delete_jobs

    days = getattr(settings, "REPORT_FILE_RETENTION_DAYS", 730)
    old = ReportJob.objects.filter(status__in=[ReportJob.Status.SUCCEEDED, ReportJob.Status.FAILED],
                                   created__lt=now - timedelta(days=days))
    return {"统计报表及其文件": delete_jobs(old.iterator())}


@extensions.retention_rule(30)
def expire_outbox(now) -> dict:
    days = getattr(settings, "OUTBOX_RETENTION_DAYS", 30)
    deleted, _ = OutboxMessage.objects.filter(sent_at__lt=now - timedelta(days=days)).delete()
    return {"已发送的待发任务": deleted}


@extensions.retention_rule(35)
def expire_notices(now) -> dict:
    from .models import Delivery

    days = getattr(settings, "NOTICE_RETENTION_DAYS", 365)
    deleted, _ = Delivery.objects.filter(created__lt=now - timedelta(days=days)).delete()
    return {"通知发送记录": deleted}


@extensions.retention_rule(40)
def expire_task_results(now) -> dict:
    from django_celery_results.models import GroupResult, TaskResult

    before = now - timedelta(days=getattr(settings, "TASK_RESULT_RETENTION_DAYS", 7))
    tasks, _ = TaskResult.objects.filter(date_done__lt=before).delete()
    groups, _ = GroupResult.objects.filter(date_done__lt=before).delete()
    return {"后台任务结果": tasks + groups}


def apply_retention(now=None) -> RetentionRun:
    now = now or timezone.now()
    run = RetentionRun.objects.create()
    counts, failed = {}, []
    for entry in extensions.retention_rules():
        try:
            with transaction.atomic():
                result = entry.func(now)
        except Exception:
            logger.exception("retention rule %s failed", entry.name)
            failed.append(entry.name)
            continue
        counts[entry.name] = {str(k): int(v) for k, v in result.items()}
    run.counts = counts
    run.total = sum(n for rule in counts.values() for n in rule.values())
    run.errors = "\n".join(failed)
    run.finished = timezone.now()
    run.save(update_fields=["counts", "total", "errors", "finished"])
    logger.info("retention: %s item(s) removed or anonymised", run.total)
    return run
