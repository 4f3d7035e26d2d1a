"""Scheduled work, declared in one place: each app says what beat runs and when
(``extensions.periodic_task``, beside the task), and this module writes those rows into
django-celery-beat's tables after every migrate. A fresh installation has them all;
running migrate again changes nothing; staff read them under 周期性任务 by their Chinese
names, with a description.

Rows stored under earlier names (English keys, an older Chinese name) are renamed here,
keeping their last run, and Celery's own "celery.backend_cleanup" row is removed now that
the retention run clears old results: beat runs every enabled row it finds, so a row left
behind would run twice.
"""

from . import extensions

# The core's own. (The apps declare theirs in their extensions modules.)
MONTHLY_SUMMARY_NAME = "报表：领导月度工作简报"
extensions.periodic_task(
    "系统：发送待发任务", task="association.flush_outbox", every=10,
    description="把因故障没有及时发出的后台任务（邮件、报表等）补发出去；正常情况下无事可做。",
)
extensions.periodic_task(
    "报表：处理中断的报表任务", task="association.sweep_report_jobs", every=120,
    description="后台进程意外退出时，把中断的报表重新排队一次，再次中断则标记失败并写明原因。",
)
extensions.periodic_task(
    "系统：按保存期限清理数据", task="association.apply_retention", crontab={"hour": "3", "minute": "30"},
    description="每天3时30分按隐私告知中写明的保存期限删除或匿名化到期数据，结果见“到期数据清理记录”。",
)
extensions.periodic_task(
    # The dashboard's sections are cached for 5 minutes; rebuilding them every 4 keeps the
    # page warm for leaders.
    "报表：预先计算工作数据看板", task="association.warm_dashboard", every=240,
    description="每4分钟预先计算工作数据看板，领导打开时无需等待。",
)
extensions.periodic_task(
    MONTHLY_SUMMARY_NAME, task="association.tasks.send_monthly_summary",
    crontab={"minute": "0", "hour": "8", "day_of_month": "1"},
    description="每月1日8时统计上月工作数据，生成月度工作简报并发送给“领导”组成员。",
)

FORMER_NAMES = ["flush-outbox", "sweep-report-jobs", "retention", "warm-dashboard", "领导月度工作简报"]
RETIRED_NAMES = ["celery.backend_cleanup"]


def sync_periodic_tasks(sender=None, using="default", **kwargs):
    """Idempotent: schedules are looked up by their fields, rows by their names."""
    if sender is not None and getattr(sender, "name", "") != "association":
        return
    from django.conf import settings
    from django.db import connections
    from django.utils import timezone
    from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask, PeriodicTasks

    if PeriodicTask._meta.db_table not in connections[using].introspection.table_names():
        return  # django_celery_beat not migrated yet on this database
    tasks = PeriodicTask.objects.using(using)
    changed = 0
    for entry in extensions.periodic_tasks():
        # Keep an old row's history under the new name, or drop it when the new one exists.
        former = tasks.filter(name__in=FORMER_NAMES, task=entry.task)
        changed += former.delete()[0] if tasks.filter(name=entry.name).exists() else former.update(name=entry.name)
        if entry.every is not None:
            interval, _new = IntervalSchedule.objects.using(using).get_or_create(
                every=int(entry.every), period=IntervalSchedule.SECONDS)
            when = {"interval": interval, "crontab": None}
        else:
            fields = {"minute": "*", "hour": "*", "day_of_month": "*", "month_of_year": "*", "day_of_week": "*",
                      **entry.crontab}
            crontab, _new = CrontabSchedule.objects.using(using).get_or_create(**fields, timezone=settings.TIME_ZONE)
            when = {"interval": None, "crontab": crontab}
        row, created = tasks.get_or_create(name=entry.name, defaults={"task": entry.task, "description": entry.description,
                                                                         **when})
        wanted = {"task": entry.task, "description": entry.description, **when}
        if not created and any(getattr(row, key) != value for key, value in wanted.items()):
            for key, value in wanted.items():
                setattr(row, key, value)
            row.save()
            changed += 1
        changed += created
    changed += tasks.filter(name__in=RETIRED_NAMES).delete()[0]
    if changed:  # a running beat reloads its schedule when this moves
        PeriodicTasks.objects.using(using).update_or_create(ident=1, defaults={"last_update": timezone.now()})
    return changed
