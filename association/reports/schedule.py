"""Scheduled work kept in django_celery_beat: the reporting rows are created after every
migrate, so a fresh installation has them and running migrate again changes nothing.

Beat stores ``CELERY_BEAT_SCHEDULE`` under its keys, the names staff read. Rows it stored
under the earlier English keys are renamed here (keeping their last run), and Celery's
"celery.backend_cleanup" row is removed now that the retention run clears old results:
beat runs every enabled row it finds, so a row left behind would run twice.
"""

MONTHLY_SUMMARY_NAME = "报表：领导月度工作简报"
MONTHLY_SUMMARY_TASK = "association.tasks.send_monthly_summary"
FORMER_NAMES = ["flush-outbox", "sweep-report-jobs", "retention", "warm-dashboard", "领导月度工作简报"]
RETIRED_NAMES = ["celery.backend_cleanup"]


def ensure_periodic_tasks(sender=None, using="default", **kwargs):
    """Idempotent: the crontab and the task are looked up by their fields and name."""
    if sender is not None and getattr(sender, "name", "") != "association":
        return
    from django.conf import settings
    from django.db import connections
    from django.utils import timezone
    from django_celery_beat.models import CrontabSchedule, PeriodicTask, PeriodicTasks

    if PeriodicTask._meta.db_table not in connections[using].introspection.table_names():
        return  # django_celery_beat not migrated yet on this database
    crontab, _created = CrontabSchedule.objects.using(using).get_or_create(
        minute="0", hour="8", day_of_month="1", month_of_year="*", day_of_week="*", timezone="Asia/Shanghai"
    )
    tasks = PeriodicTask.objects.using(using)

    def take_over_former_rows(name: str, task: str) -> int:
        # Keep an old row's history under the new name, or drop it when the new one exists.
        former = tasks.filter(name__in=FORMER_NAMES, task=task)
        return former.delete()[0] if tasks.filter(name=name).exists() else former.update(name=name)

    changed = take_over_former_rows(MONTHLY_SUMMARY_NAME, MONTHLY_SUMMARY_TASK)
    tasks.update_or_create(
        name=MONTHLY_SUMMARY_NAME,
        defaults={
            "task": MONTHLY_SUMMARY_TASK,
            "crontab": crontab,
            "interval": None,
            "description": "每月1日8时统计上月工作数据，生成月度工作简报并发送给“领导”组成员。",
            "queue": None,
        },
    )
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        changed += take_over_former_rows(name, entry["task"])
    changed += tasks.filter(name__in=RETIRED_NAMES).delete()[0]
    if changed:  # a running beat reloads its schedule when this moves (saves and deletes of rows do it)
        PeriodicTasks.objects.using(using).update_or_create(ident=1, defaults={"last_update": timezone.now()})
