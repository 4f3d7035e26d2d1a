"""Scheduled the nightly job that marks past events as finished. The schedule is now declared
with the app's other contributions (events/extensions.py, ``extensions.periodic_task``) and
written after every migrate (association/schedule.py); this migration is kept, empty, for
the databases that have applied it."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = []
