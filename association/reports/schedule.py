"""Scheduled reporting work kept in django_celery_beat: created after every migrate, so a
fresh installation has it and running migrate again changes nothing."""

MONTHLY_SUMMARY_NAME = "领导月度工作简报"
MONTHLY_SUMMARY_TASK = "association.tasks.send_monthly_summary"


def ensure_periodic_tasks(sender=None, using="default", **kwargs):
    """Idempotent: the crontab and the task are looked up by their fields and name."""
    if sender is not None and getattr(sender, "name", "") != "association":
        return
    from django.db import connections
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    if PeriodicTask._meta.db_table not in connections[using].introspection.table_names():
        return  # django_celery_beat not migrated yet on this database
    crontab, _created = CrontabSchedule.objects.using(using).get_or_create(
        minute="0", hour="8", day_of_month="1", month_of_year="*", day_of_week="*", timezone="Asia/Shanghai"
    )
    PeriodicTask.objects.using(using).update_or_create(
        name=MONTHLY_SUMMARY_NAME,
        defaults={
            "task": MONTHLY_SUMMARY_TASK,
            "crontab": crontab,
            "interval": None,
            "description": "每月1日8时统计上月工作数据，生成月度工作简报并发送给“领导”组成员。",
            "queue": None,
        },
    )
