"""The daily retention run removes or anonymises what the privacy notice says is no longer
kept, leaves everything else, and records what it did as counts only."""

import datetime
import json
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from association import audit, extensions, retention
from association.models import AuditEntry, OutboxMessage, ReportJob, RetentionRun
from association.tasks import apply_retention
from tests.association.factories import UserFactory
from tests.volunteers.factories import RecordFactory, VolunteerFactory, VolunteerWithUserFactory
from volunteers.models import HoursCertificate, ServiceRecord, Volunteer
from volunteers.services import certificates

pytestmark = pytest.mark.django_db
NOW = timezone.now()


def days_ago(n):
    return NOW - datetime.timedelta(days=n)


def rejected(days, **kwargs):
    volunteer = VolunteerWithUserFactory(status=Volunteer.Status.REJECTED, **kwargs)
    Volunteer.objects.filter(pk=volunteer.pk).update(reviewed_at=days_ago(days))
    return volunteer


def test_rejected_registration_is_deleted_with_its_account_after_the_notice_period(settings):
    settings.VOLUNTEER_REJECTED_RETENTION_DAYS = 180
    old, recent = rejected(181, name="秦未过"), rejected(30)
    pending = VolunteerWithUserFactory(status=Volunteer.Status.PENDING)
    Volunteer.objects.filter(pk=pending.pk).update(created=days_ago(400))
    audit.record(AuditEntry.Action.TRANSITION, obj=old, from_state="pending", to_state="rejected", detail="材料不全")
    old_user = old.user_id

    run = retention.apply_retention(now=NOW)

    assert not Volunteer.objects.filter(pk=old.pk).exists()
    assert not get_user_model().objects.filter(pk=old_user).exists()
    assert set(Volunteer.objects.values_list("pk", flat=True)) == {recent.pk, pending.pk}
    entry = AuditEntry.objects.get(object_id=str(old.pk))
    assert "秦未过" not in entry.object_repr and entry.object_repr.startswith("已注销志愿者")
    assert run.counts["volunteers.retention.delete_rejected_registrations"] == {"未通过审核的注册信息": 1, "随之删除的登录账号": 1}


def test_staff_account_linked_to_a_rejected_registration_is_kept():
    staff = UserFactory(is_staff=True)
    volunteer = rejected(400, user=staff)
    retention.apply_retention(now=NOW)
    assert not Volunteer.objects.filter(pk=volunteer.pk).exists()
    assert get_user_model().objects.filter(pk=staff.pk).exists()


def test_volunteer_suspended_past_the_period_is_anonymised_and_the_hours_stay(settings):
    settings.VOLUNTEER_SUSPENDED_RETENTION_YEARS = 3
    gone = VolunteerWithUserFactory(name="冯离开", status=Volunteer.Status.SUSPENDED, employer="濮阳市某厂", skills="焊接")
    recent = VolunteerFactory(status=Volunteer.Status.SUSPENDED)
    RecordFactory(volunteer=gone, hours=Decimal("4.5"))
    Volunteer.objects.filter(pk=gone.pk).update(reviewed_at=days_ago(3 * 365 + 5))
    Volunteer.objects.filter(pk=recent.pk).update(reviewed_at=days_ago(365))
    user_id, id_number = gone.user_id, gone.id_number

    retention.apply_retention(now=NOW)

    gone.refresh_from_db()
    assert gone.name == "已注销志愿者"
    assert (gone.id_number, gone.mobile, gone.email, gone.employer, gone.skills) == ("", "", "", "", "")
    assert gone.id_number_hash is None and gone.mobile_hash is None and gone.birth_date is None
    assert gone.user_id is None and not get_user_model().objects.filter(pk=user_id).exists()
    assert gone.county_id and gone.gender  # kept for statistics
    assert ServiceRecord.objects.get(volunteer=gone).hours == Decimal("4.5")
    assert not Volunteer.objects.with_id_number(id_number).exists()
    recent.refresh_from_db()
    assert recent.name != "已注销志愿者"


def test_certificate_file_expires_but_its_code_still_verifies(settings, client):
    settings.CERTIFICATE_FILE_RETENTION_DAYS = 365
    volunteer = VolunteerWithUserFactory()
    old = HoursCertificate.objects.create(volunteer=volunteer, code="OLDC0DE23456", status="ready", total_hours=8,
                                          record_count=2, generated_at=days_ago(400))
    old.file.save("old.pdf", ContentFile(b"%PDF-1.4\n%%EOF"))
    new = HoursCertificate.objects.create(volunteer=volunteer, code="NEWC0DE23456", status="ready", total_hours=8,
                                          record_count=2, generated_at=days_ago(10))
    new.file.save("new.pdf", ContentFile(b"%PDF-1.4\n%%EOF"))
    path = old.file.path

    retention.apply_retention(now=NOW)

    old.refresh_from_db()
    new.refresh_from_db()
    assert not old.file and new.file
    import os

    assert not os.path.exists(path)
    assert certificates.verify("OLDC-0DE2-3456") == old
    client.force_login(volunteer.user)
    html = client.get("/accounts/me/").content.decode()
    assert "文件已过保存期，可重新申请" in html
    assert client.get(f"/accounts/me/certificates/{old.pk}/download/").status_code == 404


def test_audit_entries_older_than_the_configured_years_are_deleted(settings):
    settings.AUDIT_RETENTION_YEARS = 2
    old = audit.record(AuditEntry.Action.EXPORT, detail="三年前的导出")
    kept = audit.record(AuditEntry.Action.EXPORT, detail="去年的导出")
    AuditEntry.objects.filter(pk=old.pk).update(created=days_ago(3 * 365))
    AuditEntry.objects.filter(pk=kept.pk).update(created=days_ago(365))

    retention.apply_retention(now=NOW)

    assert not AuditEntry.objects.filter(pk=old.pk).exists()
    assert AuditEntry.objects.filter(pk=kept.pk).exists()


def test_old_report_jobs_go_with_their_files_and_sent_outbox_messages_are_cleared(settings):
    settings.REPORT_FILE_RETENTION_DAYS = 730
    old = ReportJob.objects.create(report="annual", year=2020, params_key="a|2020", status=ReportJob.Status.SUCCEEDED)
    old.pdf.save("old.pdf", ContentFile(b"%PDF-1.4\n%%EOF"))
    ReportJob.objects.filter(pk=old.pk).update(created=days_ago(800))
    recent = ReportJob.objects.create(report="annual", year=2025, params_key="a|2025", status=ReportJob.Status.SUCCEEDED)
    running = ReportJob.objects.create(report="annual", year=2019, params_key="a|2019", status=ReportJob.Status.RUNNING)
    ReportJob.objects.filter(pk=running.pk).update(created=days_ago(800))
    OutboxMessage.objects.create(task_name="x", args=[1], kwargs={}, sent_at=days_ago(40))
    waiting = OutboxMessage.objects.create(task_name="x", args=[2], kwargs={})
    OutboxMessage.objects.filter(pk=waiting.pk).update(created=days_ago(40))
    path = old.pdf.path

    retention.apply_retention(now=NOW)

    assert set(ReportJob.objects.values_list("pk", flat=True)) == {recent.pk, running.pk}
    import os

    assert not os.path.exists(path)
    assert list(OutboxMessage.objects.values_list("pk", flat=True)) == [waiting.pk]  # unsent work is never dropped


def test_each_run_is_recorded_as_counts_without_personal_data():
    volunteer = rejected(400, name="秦未过")
    id_number, mobile = volunteer.id_number, volunteer.mobile

    pk = apply_retention()  # the Celery task, run in process

    run = RetentionRun.objects.get(pk=pk)
    assert run.finished and run.total >= 2 and not run.errors
    stored = json.dumps(run.counts, ensure_ascii=False)
    for secret in ("秦未过", id_number, mobile, volunteer.email):
        assert secret not in stored
    assert all(isinstance(n, int) for rule in run.counts.values() for n in rule.values())


def test_a_failing_rule_is_recorded_and_does_not_undo_the_others():
    old = rejected(400)

    @extensions.retention_rule(45)
    def broken_rule(now):
        raise RuntimeError("boom")

    try:
        run = retention.apply_retention(now=NOW)
    finally:
        extensions._retention_rules[:] = [e for e in extensions._retention_rules if e.func is not broken_rule]
    assert "broken_rule" in run.errors
    assert not Volunteer.objects.filter(pk=old.pk).exists()


def test_running_twice_changes_nothing_more():
    rejected(400)
    first = retention.apply_retention(now=NOW)
    second = retention.apply_retention(now=NOW)
    assert first.total >= 1 and second.total == 0


def test_privacy_notice_states_the_periods_the_rules_apply(client, settings):
    settings.VOLUNTEER_REJECTED_RETENTION_DAYS = 90
    settings.VOLUNTEER_SUSPENDED_RETENTION_YEARS = 4
    html = client.get("/volunteers/privacy/").content.decode()
    assert "个人信息保存 4 年" in html and "审核结束 90 天后删除" in html
    assert "审核结束 90 天后删除" in client.get("/volunteers/register/").content.decode()


def test_task_results_past_their_days_are_removed_by_the_retention_run(settings):
    from django_celery_results.models import TaskResult

    settings.TASK_RESULT_RETENTION_DAYS = 7
    TaskResult.objects.create(task_id="old", task_name="association.tasks.run_report_job", status="SUCCESS")
    TaskResult.objects.create(task_id="new", task_name="association.tasks.run_report_job", status="SUCCESS")
    TaskResult.objects.filter(task_id="old").update(date_done=days_ago(8))
    TaskResult.objects.filter(task_id="new").update(date_done=days_ago(6))
    run = retention.apply_retention(now=NOW)
    assert list(TaskResult.objects.filter(task_id__in=["old", "new"]).values_list("task_id", flat=True)) == ["new"]
    assert run.counts["association.retention.expire_task_results"] == {"后台任务结果": 1}


def test_retention_runs_daily_from_beat():
    from django_celery_beat.models import PeriodicTask

    entry = PeriodicTask.objects.select_related("crontab").get(name="系统：按保存期限清理数据")
    assert entry.task == "association.apply_retention" and entry.enabled
    assert (entry.crontab.hour, entry.crontab.minute, entry.crontab.day_of_month) == ("3", "30", "*")
