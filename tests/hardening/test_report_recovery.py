"""A report job never stays "running" for ever: a job whose worker is gone is queued again
once, then failed with a Chinese reason. The last test kills a real worker mid-report."""

import datetime
import os
import socket
import time

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from association.models import AuditEntry, ReportJob
from association.reports import services
from association.roles import LEADERS
from association.tasks import _recover_on_start
from tests.association.factories import StaffFactory
from tests.db_writes import count_writes

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


# -- pages that show a lost job only read ------------------------------------------------


def leader_client(client):
    user = StaffFactory(username="leader-reader")
    user.groups.add(Group.objects.get(name=LEADERS))
    client.force_login(user)
    return client


def job_pages(client, job) -> dict[str, str]:
    """The job as each page shows it: the status JSON, the job list, the job's page, the dashboard."""
    pages = {}
    with count_writes() as writes:
        state = client.get(f"/dashboard/reports/{job.pk}/status/").json()
        pages["json"] = f"{state['status_label']} {state['progress_label']} {state['error']} active={state['active']}"
        for name, url in (("list", "/admin/association/reportjob/"), ("page", f"/admin/association/reportjob/{job.pk}/change/"),
                          ("dashboard", "/dashboard/")):
            response = client.get(url)
            assert response.status_code == 200
            pages[name] = response.content.decode()
    assert not writes, f"reading a report job wrote {dict(writes)}"
    return pages


@pytest.mark.django_db
def test_pages_show_a_job_whose_worker_vanished_as_queued_again_without_writing(client):
    job = running_job(heartbeat_age=services.HEARTBEAT_STALE.total_seconds() + 5)
    pages = job_pages(leader_client(client), job)

    assert pages["json"] == "排队中 排队中：后台进程意外退出，即将自动重新开始生成  active=True"
    assert "排队中：后台进程意外退出" in pages["page"] and 'data-active="1"' in pages["page"]
    assert 'report-status-queued">排队中<' in pages["list"] and "report-status-running" not in pages["list"]
    job.refresh_from_db()
    assert job.status == S.RUNNING  # the sweep records it
    services.fail_stale_jobs()
    job.refresh_from_db()
    assert job.status == S.QUEUED


@pytest.mark.django_db
def test_pages_show_a_job_that_lost_its_worker_twice_as_failed_with_the_reason_the_sweep_records(client):
    job = running_job(heartbeat_age=200, requeued=1)
    reason = "后台进程在生成过程中意外退出，已自动重新排队 1 次仍未完成，请稍后重新生成；如反复出现，请联系管理员。"
    before = job_pages(leader_client(client), job)

    assert before["json"] == f"失败 生成失败 {reason} active=False"
    assert reason in before["page"] and 'data-active="0"' in before["page"]
    assert 'report-status-failed">失败<' in before["list"] and "见失败原因" in before["list"]
    assert reason[:30] in before["dashboard"]
    job.refresh_from_db()
    assert job.status == S.RUNNING

    services.fail_stale_jobs()
    job.refresh_from_db()
    assert (job.status, job.error) == (S.FAILED, reason)
    after = job_pages(client, job)
    assert after["json"] == before["json"]


@pytest.mark.django_db
def test_pages_show_a_job_the_queue_never_delivered_as_failed(client):
    job, _created = services.request_report(report="annual", year=2025, enqueue=False)
    ReportJob.objects.filter(pk=job.pk).update(created=timezone.now() - datetime.timedelta(hours=2))
    pages = job_pages(leader_client(client), job)
    assert pages["json"].startswith("失败 生成失败 排队超过 1 小时仍未开始")
    job.refresh_from_db()
    assert job.status == S.QUEUED


@pytest.mark.django_db
def test_pages_show_a_job_past_the_hard_time_limit_as_interrupted(client):
    job = running_job(heartbeat_age=1)
    ReportJob.objects.filter(pk=job.pk).update(started=timezone.now() - datetime.timedelta(hours=1))
    pages = job_pages(leader_client(client), job)
    assert pages["json"].startswith("失败 生成失败 生成过程意外中断")
    services.fail_stale_jobs()
    job.refresh_from_db()
    assert job.status == S.FAILED and "意外中断" in job.error


@pytest.mark.django_db
def test_sweep_is_scheduled_every_few_minutes():
    from django_celery_beat.models import PeriodicTask

    entry = PeriodicTask.objects.select_related("interval").get(name="报表：处理中断的报表任务")
    assert entry.task == "association.sweep_report_jobs" and entry.enabled and entry.interval.every <= 300


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
