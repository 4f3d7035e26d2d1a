"""A report job never stays "running" for ever: a job whose worker is gone is queued again
once, then failed with a Chinese reason. The last test kills a real worker mid-report."""

import datetime
import os
import socket
import time

import pytest
from django.utils import timezone

from association.models import AuditEntry, ReportJob
from association.reports import services
from association.tasks import _recover_on_start

S = ReportJob.Status


def running_job(*, heartbeat_age: float, worker="celery@gone", requeued=0, **kwargs) -> ReportJob:
    now = timezone.now()
    return ReportJob.objects.create(
        report="annual", year=2025, params_key=f"annual|2025|{worker}|{requeued}", status=S.RUNNING, task_id="t-1",
        worker=worker, started=now - datetime.timedelta(seconds=heartbeat_age + 5),
        heartbeat=now - datetime.timedelta(seconds=heartbeat_age), requeued=requeued, sections_total=3, sections_done=2,
        **kwargs,
    )


@pytest.mark.django_db
def test_job_whose_heartbeat_stopped_is_queued_again_once(django_capture_on_commit_callbacks):
    job = running_job(heartbeat_age=services.HEARTBEAT_STALE.total_seconds() + 5)
    with django_capture_on_commit_callbacks() as sent:
        assert services.fail_stale_jobs() == 1
    job.refresh_from_db()
    assert (job.status, job.requeued, job.task_id, job.worker, job.sections_done) == (S.QUEUED, 1, "", "", 0)
    assert len(sent) == 1  # the task is sent again (through the outbox if the broker is down)
    entry = AuditEntry.objects.get(action=AuditEntry.Action.TRANSITION, object_id=str(job.pk))
    assert (entry.from_state, entry.to_state) == (S.RUNNING, S.QUEUED)


@pytest.mark.django_db
def test_job_that_loses_its_worker_a_second_time_fails_with_the_reason():
    job = running_job(heartbeat_age=200, requeued=1)
    services.fail_stale_jobs()
    job.refresh_from_db()
    assert job.status == S.FAILED
    assert job.error == "后台进程在生成过程中意外退出，已自动重新排队 1 次仍未完成，请稍后重新生成；如反复出现，请联系管理员。"
    assert job.finished is not None


@pytest.mark.django_db
def test_job_with_a_fresh_heartbeat_is_left_running():
    job = running_job(heartbeat_age=1)
    assert services.fail_stale_jobs() == 0
    job.refresh_from_db()
    assert job.status == S.RUNNING


@pytest.mark.django_db
def test_worker_starting_under_the_same_name_takes_back_its_predecessors_job_at_once():
    job = running_job(heartbeat_age=1, worker="reports@host-1")
    other = running_job(heartbeat_age=1, worker="reports@host-2")

    class Consumer:
        hostname = "reports@host-1"

    _recover_on_start(sender=Consumer())
    job.refresh_from_db()
    other.refresh_from_db()
    assert job.status == S.QUEUED and job.requeued == 1
    assert other.status == S.RUNNING


@pytest.mark.django_db
def test_old_worker_coming_back_after_a_requeue_cannot_finish_the_job():
    job = running_job(heartbeat_age=200)
    services.fail_stale_jobs()
    # The "lost" worker was only slow: its claim is gone, its files are not kept.
    assert services._finish(job, "t-1", b"xlsx", b"pdf") is False
    job.refresh_from_db()
    assert job.status == S.QUEUED and not job.xlsx


@pytest.mark.django_db(transaction=True)
def test_heartbeat_marks_a_running_job_alive_while_it_runs():
    job = running_job(heartbeat_age=200)
    before = job.heartbeat
    with services.Heartbeat(job.pk, "t-1", interval=0.1):
        time.sleep(0.5)
    job.refresh_from_db()
    assert job.heartbeat > before
    assert services.fail_stale_jobs() == 0


def test_sweep_is_scheduled_every_few_minutes(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["报表：处理中断的报表任务"]
    assert entry["task"] == "association.sweep_report_jobs" and entry["schedule"] <= 300


# -- a real worker killed mid-report ---------------------------------------------------------


@pytest.fixture
def worker_env(django_db_setup):
    from django.db import connection

    db = connection.settings_dict
    url = f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    return {**os.environ, "DATABASE_URL": url, "CONN_MAX_AGE": "0", "TEST_DATABASE_NAME": db["NAME"],
            "REPORT_HEARTBEAT_SECONDS": "1", "SLOW_SECTION_SECONDS": "3"}


def wait_for(job, predicate, timeout=40):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if predicate(job):
            return job
        time.sleep(0.1)
    raise AssertionError(f"job {job.pk} stuck: {job.status} {job.current_step} {job.error}")


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_report_survives_its_worker_being_killed_mid_job(worker_env, tmp_path):
    from association.tasks import run_report_job
    from tests.hardening import slow_worker

    name = f"killtest-{os.getpid()}@{socket.gethostname()}"
    queue = f"killtest-{os.getpid()}"
    job, _created = services.request_report(report="annual", year=2025, enqueue=False)
    first = slow_worker.start_worker(name, env=worker_env, queues=queue, log_path=tmp_path / "w1.log")
    try:
        run_report_job.apply_async(args=[job.pk], queue=queue)
        wait_for(job, lambda j: j.status == S.RUNNING and slow_worker.SLOW_TITLE in j.current_step)
    finally:
        slow_worker.kill(first)  # SIGKILL mid-report: no clean-up, no acknowledgement
    job.refresh_from_db()
    assert job.status == S.RUNNING  # nobody can tell yet

    second = slow_worker.start_worker(name, env=worker_env, queues=f"{queue},celery,reports", log_path=tmp_path / "w2.log")
    try:
        job = wait_for(job, lambda j: not j.is_active, timeout=60)
    finally:
        slow_worker.stop(second)
    assert job.status == S.SUCCEEDED, job.error
    assert job.requeued == 1 and job.attempts == 2
    assert job.xlsx and job.pdf
    states = list(AuditEntry.objects.filter(object_id=str(job.pk), action=AuditEntry.Action.TRANSITION)
                  .order_by("created", "pk").values_list("from_state", "to_state"))
    assert states == [(S.QUEUED, S.RUNNING), (S.RUNNING, S.QUEUED), (S.QUEUED, S.RUNNING), (S.RUNNING, S.SUCCEEDED)]
    services.delete_jobs([job])
