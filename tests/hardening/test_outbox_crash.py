"""A process killed between the commit and the send loses no task: the task was written in
the same transaction as the change, and the outbox relay sends it later."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from association.models import OutboxMessage, ReportJob
from association.reports import services
from association.tasks import flush_outbox
from events.models import Registration
from tests.events.factories import EventFactory

ROOT = Path(__file__).resolve().parents[2]


def _run_and_kill(what: str, value: int) -> None:
    from django.db import connection

    db = connection.settings_dict
    url = f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "CONN_MAX_AGE": "0", "TEST_DATABASE_NAME": db["NAME"]}
    result = subprocess.run([sys.executable, "-m", "tests.hardening.crash_after_commit", what, str(value)],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 9, result.stderr[-2000:]


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_sign_up_notice_is_delivered_after_the_process_died_between_commit_and_send(celery_worker_process):
    event = EventFactory(capacity=10)
    _run_and_kill("signup", event.pk)

    registration = Registration.objects.get(event=event)
    assert registration.status == Registration.Status.CONFIRMED  # the sign-up was committed …
    assert registration.notified_status == ""  # … and its e-mail not sent when the process died

    # Beat asks for the relay every few seconds; the test asks the same way.
    deadline = time.monotonic() + 45
    while registration.notified_status != Registration.Status.CONFIRMED and time.monotonic() < deadline:
        flush_outbox.delay()
        time.sleep(1)
        registration.refresh_from_db()
    assert registration.notified_status == Registration.Status.CONFIRMED, "the confirmation e-mail was never sent"
    [message] = OutboxMessage.objects.filter(task_name="events.tasks.send_registration_notice", args=[registration.pk])
    assert message.sent_at is not None


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_no_report_job_is_left_queued_without_its_task_when_the_process_dies(celery_worker_process):
    _run_and_kill("report", 2011)
    # Either the job and its task were both committed, or neither: a job without its task
    # would answer every later request for the same report and never run.
    for job in ReportJob.objects.filter(status__in=ReportJob.ACTIVE):
        assert OutboxMessage.objects.filter(task_name="association.tasks.run_report_job", args=[job.pk]).exists()
    # Asked for again, the report is made: a new job with its task, not a dead one.
    job, created = services.request_report(report="annual", year=2011, enqueue=True)
    assert created
    assert OutboxMessage.objects.filter(task_name="association.tasks.run_report_job", args=[job.pk]).exists()
    # … and the worker makes it (the test waits for it, so that nothing still writes when
    # the test's data are cleared).
    deadline = time.monotonic() + 60
    while job.status in ReportJob.ACTIVE and time.monotonic() < deadline:
        time.sleep(0.5)
        job.refresh_from_db()
    assert job.status == ReportJob.Status.SUCCEEDED, job.error
