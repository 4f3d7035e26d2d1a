"""Report jobs tell people through the one notification service, sent by the real worker:
whoever asked for a report hears it is ready, and the leaders get the monthly 工作简报 with
its PDF attached and in their inbox, each once."""

import email
import email.policy
import uuid

import pytest
from django.contrib.auth.models import Group

from association import notices, queue, roles
from association.models import Delivery, ReportJob
from association.reports import services
from tests.association.factories import StaffFactory
from tests.association.test_reports_worker import wait_until_done
from tests.worker_output import MAIL_DIR, mails_to, wait_until_sent

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]


def address(who: str) -> str:
    return f"{who}-{uuid.uuid4().hex[:8]}@example.org"


def attachments_to(to: str) -> list[str]:
    """The names of the files attached to the e-mails the worker sent to ``to``."""
    names = []
    for path in sorted(MAIL_DIR.glob("*.log")):
        for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            message = email.message_from_bytes(chunk.lstrip(b"\n"), policy=email.policy.default)
            if chunk.strip() and to in str(message.get("To", "")):
                names += [part.get_filename() for part in message.iter_attachments()]
    return names


@pytest.fixture
def remove_files():
    yield
    services.delete_jobs(ReportJob.objects.all())


def test_whoever_asked_hears_the_report_is_ready_once(celery_worker_process, remove_files, tree):
    tree.staff_a.email = address("staff")
    tree.staff_a.save()
    job, created = services.request_report(report="annual", year=2025, user=tree.staff_a)
    job = wait_until_done(job)
    assert job.status == ReportJob.Status.SUCCEEDED, job.error
    rows = Delivery.objects.filter(kind="reports.ready")
    wait_until_sent(rows, expected=2)
    assert sorted(rows.values_list("channel", "user")) == [("email", tree.staff_a.pk), ("inbox", tree.staff_a.pk)]
    (message,) = mails_to(tree.staff_a.email)
    assert message["subject"].strip() == f"【报表已生成】{job.title}"
    assert f"/dashboard/reports/{job.pk}/xlsx/" in message["body"] and f"/dashboard/reports/{job.pk}/pdf/" in message["body"]
    assert notices.inbox_of(tree.staff_a).get().subject == f"【报表已生成】{job.title}"


def test_the_leaders_get_the_monthly_summary_with_its_pdf_once(celery_worker_process, remove_files, tree):
    leaders = Group.objects.get(name=roles.LEADERS)
    leader = StaffFactory(username="leader", email=address("leader"))
    leader.groups.add(leaders)
    no_mail = StaffFactory(username="leader2", email="")  # told in the inbox only
    no_mail.groups.add(leaders)
    clerk = StaffFactory(username="clerk", email=address("clerk"))  # no leader: nothing
    for _ in range(2):  # beat running the task twice
        queue.enqueue("association.tasks.send_monthly_summary", year=2026, month=10)
    rows = Delivery.objects.filter(kind="reports.monthly_summary")
    wait_until_sent(rows, timeout=90, expected=3)
    assert sorted(rows.values_list("channel", "user")) == [("email", leader.pk), ("inbox", leader.pk),
                                                            ("inbox", no_mail.pk)]
    (message,) = mails_to(leader.email)
    assert "2026年10月工作简报" in message["subject"] and "2026年10月1日至2026年10月31日" in message["body"]
    assert attachments_to(leader.email) == ["2026年10月工作简报.pdf"]
    assert "2026年10月工作简报" in notices.inbox_of(no_mail).get().subject
    assert not mails_to(clerk.email)
    assert ReportJob.objects.get(report="monthly").notified is not None


def test_whoever_asked_hears_why_a_report_failed(celery_worker_process, tree):
    tree.staff_a.email = address("staff")
    tree.staff_a.save()
    job = ReportJob.objects.create(report="retired", requested_by=tree.staff_a, params_key="retired:test")
    queue.enqueue(services.RUN_TASK, job.pk)  # a report kind no longer there: the worker fails the job
    rows = Delivery.objects.filter(kind="reports.failed")
    wait_until_sent(rows, expected=2)
    assert ReportJob.objects.get(pk=job.pk).status == ReportJob.Status.FAILED
    (message,) = mails_to(tree.staff_a.email)
    assert "【报表生成失败】" in message["subject"] and "原因：没有这种报表（retired），可能已停用。" in message["body"]
    assert notices.inbox_of(tree.staff_a).get().kind == "reports.failed"
    assert not Delivery.objects.filter(kind="reports.ready").exists()
