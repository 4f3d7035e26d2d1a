"""Fixtures for the attack, fault and retention tests: one of each thing a role may or may
not reach, built with the apps' own factories."""

import datetime
import io

import pytest
from django.core.files.storage import FileSystemStorage
from django.utils import timezone

from talents.models import AwardRound, Nomination, NominationMaterial
from tests.association.factories import CountyFactory, UserFactory
from tests.talents.factories import NominationFactory, RoundFactory
from tests.volunteers.factories import ProjectFactory, TeamFactory


@pytest.fixture(autouse=True)
def _private_files_in_tmp(tmp_path, settings):
    """Uploads and private files go to temporary folders, never into the working tree."""
    settings.MEDIA_ROOT = tmp_path / "media"
    private = FileSystemStorage(location=tmp_path / "private", base_url=None)
    fields = [NominationMaterial._meta.get_field("file")]
    from association.models import ReportJob
    from volunteers.models import HoursCertificate

    fields += [HoursCertificate._meta.get_field("file"), ReportJob._meta.get_field("xlsx"), ReportJob._meta.get_field("pdf")]
    originals = [(f, f.storage) for f in fields]
    for f in fields:
        f.storage = private
    yield
    for f, storage in originals:
        f.storage = storage


@pytest.fixture
def county(db):
    return CountyFactory(name="华龙区")


@pytest.fixture
def project(db):
    return ProjectFactory(team=TeamFactory(name="化工新材料服务队"))


@pytest.fixture
def open_round(db):
    return RoundFactory()


@pytest.fixture
def publicised_round(db):
    from talents.services import awards

    award_round = RoundFactory(status=AwardRound.Status.REVIEWING)
    nomination = NominationFactory(round=award_round, status=Nomination.Status.SHORTLISTED, nominee_name="公示中的人")
    awards.publish_notice(round_id=award_round.pk, starts=timezone.localdate() - datetime.timedelta(days=1))
    award_round.refresh_from_db()
    return award_round, nomination


# -- the demo data, loaded once for a whole module ---------------------------------------------


class DemoSite:
    """What a module's tests find loaded: the demo data, a row of every model the demo
    leaves empty, and one user per role."""

    def __init__(self, media_root):
        self.media_root = media_root
        self.users = {}

    def log_in(self, client, who: str):
        """Log ``who`` in; one with a two-step device has passed the second step too."""
        from django_otp import DEVICE_ID_SESSION_KEY, devices_for_user

        user = self.users[who]
        client.force_login(user)
        device = next(devices_for_user(user), None)
        if device is not None:
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()
        return user


def _fill_empty_models(site: DemoSite) -> None:
    """A row for each model the admin shows that the demo data leaves empty, made through
    the services where there is one (so the audit log holds what they record)."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.core.files.base import ContentFile
    from django_celery_beat.models import ClockedSchedule, IntervalSchedule, SolarSchedule
    from django_celery_results.models import GroupResult, TaskResult
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from PIL import Image as PILImage

    from association.models import NoticeTemplate, OutboxMessage, ReportJob, RetentionRun
    from association.reports import services as report_services
    from association.services import accounts as account_services
    from events.models import Event
    from events.services import attendance, exports
    from talents.models import Match, Nomination, TechDemand
    from talents.services import awards, demands
    from tests.events.factories import PastEventFactory
    from tests.talents.factories import NominationFactory
    from tests.volunteers.factories import MembershipFactory, RecordFactory, TeamFactory, VolunteerWithUserFactory
    from volunteers.models import Volunteer
    from volunteers.services import certificates, claims

    admin_user = site.users["superuser"]
    now = timezone.now()

    # A demand match's outcome: its audit entry names a model whose state is not "status".
    match = Match.objects.filter(demand__status=TechDemand.Status.MATCHED).select_related("demand").first()
    demands.record_match_outcome(match_id=match.pk, outcome=Match.Outcome.IN_CONTACT, note="已约定面谈", actor=admin_user)

    job, _created = report_services.request_report(report="annual", year=now.year - 1, user=admin_user, enqueue=False)
    failed, _created = report_services.request_report(report="annual", year=now.year - 2, user=admin_user, enqueue=False)
    report_services.fail_job(failed.pk, "测试：生成失败的报表")
    # A job whose worker vanished mid-run: its heartbeat stopped long ago.
    orphan, _created = report_services.request_report(report="annual", year=now.year - 3, user=admin_user, enqueue=False)
    report_services.claim_job(orphan.pk, "vanished-task", "reports@gone")
    ReportJob.objects.filter(pk=orphan.pk).update(heartbeat=now - datetime.timedelta(hours=1))

    event = Event.objects.filter(registrations__isnull=False).order_by("pk").first()
    exports.request_roster(event_id=event.pk, user=admin_user)

    volunteer = VolunteerWithUserFactory(status=Volunteer.Status.APPROVED, name="张志愿")
    RecordFactory(volunteer=volunteer)
    certificates.request_certificate(volunteer_id=volunteer.pk)
    site.users["volunteer"] = volunteer.user
    # Their rights over their data: a consent with its text version and a pending real-name change.
    from volunteers.models import ChangeRequest, Consent
    from volunteers.services import rights

    Consent.objects.create(volunteer=volunteer, kind=Consent.Kind.PRIVACY_NOTICE, version="2026-12", given_at=now)
    rights.request_change(volunteer_id=volunteer.pk, kind=ChangeRequest.Kind.REAL_NAME, message="改名", new_name="张自愿")

    # The volunteer's own check-in and check-out at a service activity, and a 补录 with a photo.
    team = TeamFactory()
    MembershipFactory(volunteer=volunteer, team=team)
    served = PastEventFactory(title="志愿服务扫码签到的活动")
    served.teams.add(team)
    code = attendance.activity_code(served.pk)
    attendance.check_in(event_id=served.pk, volunteer_id=volunteer.pk, code=code, now=served.start)
    attendance.check_out(event_id=served.pk, volunteer_id=volunteer.pk, code=code,
                         now=served.start + datetime.timedelta(hours=2))
    photo = io.BytesIO()
    PILImage.new("RGB", (40, 30), (20, 120, 200)).save(photo, "PNG")
    claims.submit(volunteer_id=volunteer.pk, date=timezone.localdate() - datetime.timedelta(days=3),
                  title="科普讲座布展", hours="2", reason="当天未能签到。", evidence=ContentFile(photo.getvalue(), "现场.png"))

    award_round = RoundFactory(status=AwardRound.Status.REVIEWING, number=99)
    nomination = NominationFactory(round=award_round, status=Nomination.Status.SHORTLISTED, nominee_name="公示中的人")
    awards.publish_notice(round_id=award_round.pk, starts=timezone.localdate() - datetime.timedelta(days=1))
    awards.raise_objection(round_id=award_round.pk, nomination_id=nomination.pk, name="李群众", contact="13900002222",
                           reason="推荐材料中的获奖情况与事实不符。")

    OutboxMessage.objects.create(task_name="association.sweep_report_jobs", last_error="broker unreachable")
    NoticeTemplate.objects.create(kind="events.cancelled", subject="【活动取消】{{ event.title }}")
    RetentionRun.objects.create(finished=now, counts={"审计日志": {"删除": 3}}, total=3)
    AccessAttempt.objects.create(username="office", ip_address="203.0.113.7", user_agent="Mozilla/5.0", path_info="/accounts/login/",
                                 failures_since_start=2, get_data="", post_data="")
    AccessLog.objects.create(username="office", ip_address="203.0.113.7", user_agent="Mozilla/5.0", path_info="/accounts/login/")
    AccessFailureLog.objects.create(username="office", ip_address="203.0.113.7", user_agent="Mozilla/5.0",
                                    path_info="/accounts/login/", locked_out=False)
    ClockedSchedule.objects.create(clocked_time=now + datetime.timedelta(days=1))
    IntervalSchedule.objects.get_or_create(every=10, period=IntervalSchedule.MINUTES)
    SolarSchedule.objects.create(event="sunrise", latitude=35.76, longitude=115.03)
    owner = UserFactory(username="totp-owner")
    TOTPDevice.objects.create(user=owner, name="手机", confirmed=True)
    account_services.new_backup_codes(owner)  # the backup codes' device
    TaskResult.objects.create(task_id="demo-task-1", task_name="association.sweep_report_jobs", status="SUCCESS",
                              worker="reports@host", periodic_task_name="报表：处理中断的报表任务", result="0")
    GroupResult.objects.create(group_id="demo-group-1", result="[]")
    # API tokens: a unit's data-exchange token (its admin's) and the volunteer's, one revoked.
    from association.api import auth as api_auth
    from association.models import ApiToken
    from association.roles import UNIT_ADMIN

    api_auth.issue(user=site.users[UNIT_ADMIN], kind=ApiToken.Kind.UNIT, name="省科协数据交换")
    phone, _key = api_auth.issue(user=volunteer.user, kind=ApiToken.Kind.VOLUNTEER, name="微信小程序")
    api_auth.revoke(token_id=phone.pk, actor=volunteer.user)
    assert job.pk


@pytest.fixture(scope="module")
def demo_site(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo data (``load_demo``) and a row of every other model, loaded once for the
    module inside a transaction that is rolled back after its last test; each test runs in
    a savepoint of it, as usual."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import transaction
    from django.test import override_settings
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from association.models import Organization, UnitMembership
    from association.roles import GROUPS, UNIT_ADMIN, UNIT_STAFF

    UNIT_ROLES = {UNIT_STAFF: UnitMembership.Role.STAFF, UNIT_ADMIN: UnitMembership.Role.ADMIN}

    media_root = tmp_path_factory.mktemp("demo-media")
    site = DemoSite(media_root)
    private = FileSystemStorage(location=media_root / "private", base_url=None)
    from association.models import ReportJob
    from events.models import RosterExport
    from volunteers.models import HoursCertificate, HoursClaim

    fields = [NominationMaterial._meta.get_field("file"), HoursCertificate._meta.get_field("file"),
              HoursClaim._meta.get_field("evidence"),
              RosterExport._meta.get_field("file"), ReportJob._meta.get_field("xlsx"), ReportJob._meta.get_field("pdf")]
    originals = [(f, f.storage) for f in fields]
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media_root):
        for f in fields:
            f.storage = private
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            cache.clear()  # Redis outlives the rolled-back data of an earlier run
            call_command("load_demo", stdout=io.StringIO())
            users = get_user_model().objects
            site.users["superuser"] = users.create_superuser("root-demo", "root@example.org", "Passw0rd!23")
            for name in GROUPS:
                user = users.create_user(f"staff-{len(site.users)}", password="Passw0rd!23", is_staff=True,
                                         last_name=f"{name}职员")
                user.groups.add(Group.objects.get(name=name))
                if name in UNIT_ROLES:
                    # A unit's accounts open the admin as 华龙区科协's staff: scoped pages.
                    UnitMembership.objects.create(user=user, organization=Organization.objects.get(name="华龙区科协"),
                                                  role=UNIT_ROLES[name])
                site.users[name] = user
            # Staff pass the second step of log-in (see log_in), whether or not it is required.
            for user in site.users.values():
                TOTPDevice.objects.create(user=user, name="手机", confirmed=True)
            _fill_empty_models(site)
            yield site
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            for f, storage in originals:
                f.storage = storage
