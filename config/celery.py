"""The Celery application: workers run reports, exports, certificates and e-mail.

Tasks go to three queues by kind, so that a long report never holds up an e-mail:

- ``mail``: every task that writes to a person (password reset, sign-up and review
  notices, order links, event cancellations);
- ``reports``: report jobs, the monthly summary, exports, certificate PDFs, the dashboard;
- ``celery`` (the default): housekeeping (the outbox relay, retention, sweeps).

Each queue needs at least one worker (``celery worker -Q mail`` …); ``/healthz`` says which
queues have none.
"""

import os

from celery import Celery
from celery.signals import task_prerun, worker_init, worker_process_init
from kombu import Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

DEFAULT_QUEUE = "celery"
MAIL_QUEUE = "mail"
REPORTS_QUEUE = "reports"
QUEUES = (DEFAULT_QUEUE, MAIL_QUEUE, REPORTS_QUEUE)

# Every task by name; a task not listed here runs on the default queue. A new task that
# writes to a person and is named ``send_…`` goes to ``mail`` even before it is listed
# (tests/association/test_task_routes.py asks for every task to be placed on purpose).
ROUTES = {
    MAIL_QUEUE: [
        "association.send_password_reset",
        "association.send_deliveries",  # every notice (association.notices)
        "events.tasks.send_registration_notice",
        "events.tasks.send_event_cancelled_notices",
        "events.tasks.send_event_reminders",
        "volunteers.tasks.send_review_notice",
        "volunteers.tasks.send_order_link",
        "volunteers.tasks.send_registration_attempt_notice",
        "returns.tasks.send_status_notice",
    ],
    REPORTS_QUEUE: [
        "association.tasks.run_report_job",
        "association.tasks.send_monthly_summary",  # a report first, then one e-mail to the leaders
        "association.warm_dashboard",
        "events.tasks.build_roster_export",
        "volunteers.tasks.build_hours_certificate",
    ],
    DEFAULT_QUEUE: [
        "association.flush_outbox",
        "association.apply_retention",
        "association.sweep_report_jobs",
        "events.tasks.finish_past_events",
    ],
}
MAIL_PATTERN = "*.send_*"

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Celery looks exact names up before it tries the pattern.
app.conf.task_routes = {name: {"queue": queue} for queue, names in ROUTES.items() for name in names} | {
    MAIL_PATTERN: {"queue": MAIL_QUEUE}
}
# Declared, so that a worker started without -Q serves all three and a purge reaches them all.
app.conf.task_queues = [Queue(name) for name in QUEUES]
app.conf.task_default_queue = DEFAULT_QUEUE
app.autodiscover_tasks()


def queue_of(task_name: str) -> str:
    """The queue a task is sent to."""
    return app.amqp.router.route({}, task_name).get("queue").name if task_name else DEFAULT_QUEUE


@task_prerun.connect
def _forget_content_types(**kwargs):
    """The audit log points at content types through a per-process cache. A worker lives
    long enough to see those rows recreated (a test database flushed between tests), so
    each task looks them up afresh: one small query."""
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()


@worker_init.connect
@worker_process_init.connect
def _server_timeouts(**kwargs):
    """A worker process's connections are closed by the server when idle (association/dbsessions.py)."""
    from association.dbsessions import enable_server_timeouts

    enable_server_timeouts()
