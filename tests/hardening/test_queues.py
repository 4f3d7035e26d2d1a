"""Mail and reports on queues of their own: a long report taking the reports worker holds
up no e-mail. Two real workers, one per queue, on a redis-server of the test's own, so the
session's test worker (which serves every queue) can take neither task."""

import importlib.util
import os
import shutil
import socket
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from association.models import ReportJob
from association.reports import services
from config.celery import app
from events.models import Registration
from events.services import registrations
from tests.events.factories import EventFactory

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("bench_faults", ROOT / "bench" / "faults.py")
faults = importlib.util.module_from_spec(spec)
spec.loader.exec_module(faults)

pytestmark = [
    pytest.mark.celery,
    pytest.mark.skipif(not shutil.which("redis-server"), reason="redis-server is not installed"),
]


def _reset_pools():
    app._pool = None
    app.amqp._producer_pool = None


@contextmanager
def broker_at(url: str):
    """This process sends tasks and asks workers through the broker at ``url``."""
    original = app.conf.broker_url, app.conf.broker_read_url, app.conf.broker_write_url
    _reset_pools()
    app.conf.broker_url = app.conf.broker_read_url = app.conf.broker_write_url = url
    try:
        yield
    finally:
        _reset_pools()
        app.conf.broker_url, app.conf.broker_read_url, app.conf.broker_write_url = original


@pytest.fixture
def own_broker(django_db_setup, tmp_path):
    from django.db import connection

    redis = faults.OwnRedis().start()
    db = connection.settings_dict
    url = f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "CONN_MAX_AGE": "0", "TEST_DATABASE_NAME": db["NAME"],
           "TEST_REDIS_URL": redis.url, "SLOW_SECTION_SECONDS": "40"}
    try:
        with broker_at(redis.url):
            yield env
    finally:
        redis.stop()


def wait_until(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"{what} within {timeout} s")


@pytest.mark.django_db(transaction=True)
def test_a_long_report_does_not_hold_up_an_e_mail(own_broker, tmp_path):
    # Imported here: importing it adds its slow section to this process's reports too.
    from tests.hardening import slow_worker

    host = socket.gethostname()
    workers = [
        slow_worker.start_worker(f"reports-{os.getpid()}@{host}", env=own_broker, queues="reports",
                                 log_path=tmp_path / "reports.log"),
        slow_worker.start_worker(f"mail-{os.getpid()}@{host}", env=own_broker, queues="mail",
                                 log_path=tmp_path / "mail.log"),
    ]
    try:
        job, _created = services.request_report(report="annual", year=2012)

        def report_is_busy():
            job.refresh_from_db()
            return job.status == ReportJob.Status.RUNNING and slow_worker.SLOW_TITLE in job.current_step

        wait_until(report_is_busy, 60, "the report did not reach its slow section")

        event = EventFactory(capacity=10)
        registration = registrations.register(event_id=event.pk, name="李华", mobile="13912345678",
                                              email="lihua@example.com")

        def notice_sent():
            registration.refresh_from_db()
            return registration.notified_status == Registration.Status.CONFIRMED

        wait_until(notice_sent, 20, "the sign-up's e-mail was not sent while the report ran")
        job.refresh_from_db()
        assert job.status == ReportJob.Status.RUNNING, "the e-mail went out while the report was still running"
    finally:
        for worker in workers:
            slow_worker.kill(worker)
