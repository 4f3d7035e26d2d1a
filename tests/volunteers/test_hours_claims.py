"""补录: a volunteer asks for missing hours with a photo; the team leader or the unit's
staff approve (the hours count) or refuse (the volunteer reads why)."""

import io
import json
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from association import retention
from tests.events.factories import PastEventFactory
from tests.volunteers.factories import MembershipFactory, TeamFactory, VolunteerWithUserFactory
from volunteers.models import HoursClaim, Membership, ServiceRecord

PASSWORD = "Passw0rd!23"  # UserFactory's

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _remove_evidence_files():
    yield
    for claim in HoursClaim.objects.exclude(evidence=""):
        claim.evidence.delete(save=False)


def photo(name="现场照片.jpg"):
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # the camera's make: metadata the stored copy must not keep
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


@pytest.fixture
def served(tree):
    """A past three-hour event a team served at, a member (of county A) and the team's leader."""
    team = TeamFactory(organization=tree.county_a)
    event = PastEventFactory(title="秋季科普大篷车进乡村", organiser=tree.county_a)
    event.teams.add(team)
    volunteer = VolunteerWithUserFactory(unit=tree.county_a)
    leader = VolunteerWithUserFactory(unit=tree.county_a)
    MembershipFactory(volunteer=volunteer, team=team)
    MembershipFactory(volunteer=leader, team=team, role=Membership.Role.TEAM_LEADER)
    return event, volunteer, leader


def _ask(client, event, **changes):
    data = {"activity": f"events.event:{event.pk}", "hours": "2.5", "reason": "当天手机没电，未能扫码签到。",
            "evidence": photo(), "date": "", "title": "", **changes}
    return client.post("/accounts/me/claims/new/", data, follow=True)


def test_volunteer_asks_for_hours_with_a_photo_and_sees_it_waiting(client, served, settings):
    event, volunteer, _leader = served
    client.force_login(volunteer.user)
    assert event.title in client.get("/accounts/me/claims/new/").content.decode()
    html = _ask(client, event).content.decode()
    assert "补录申请已提交" in html and "待审核" in html and event.title in html
    claim = HoursClaim.objects.get()
    assert (claim.hours, claim.max_hours, claim.status) == (Decimal("2.5"), Decimal("3.0"), "pending")
    stored = Image.open(claim.evidence.open("rb"))
    assert 0x010F not in stored.getexif()  # re-encoded: the phone's metadata is gone
    assert "现场照片" not in claim.evidence.name
    assert claim.evidence.path.startswith(str(settings.PRIVATE_MEDIA_ROOT))  # never under the public media


def test_hours_beyond_the_activitys_length_are_refused_and_what_was_typed_stays(client, served):
    event, volunteer, _leader = served
    client.force_login(volunteer.user)
    html = _ask(client, event, hours="3.5").content.decode()
    assert "申请时长不能超过活动时长 3 小时" in html or "申请时长不能超过活动时长 3.0 小时" in html
    assert "当天手机没电" in html
    assert not HoursClaim.objects.exists()


def test_a_file_that_is_not_a_photo_is_refused_at_the_evidence_field(client, served):
    event, volunteer, _leader = served
    client.force_login(volunteer.user)
    fake = SimpleUploadedFile("photo.jpg", b"<script>alert(1)</script>", content_type="image/jpeg")
    html = _ask(client, event, evidence=fake).content.decode()
    assert "photo.jpg" in html and "补录申请已提交" not in html
    assert not HoursClaim.objects.exists()


def test_a_day_holds_at_most_24_hours(client, served):
    _event, volunteer, _leader = served
    day = timezone.localdate() - timedelta(days=3)
    ServiceRecord.objects.create(volunteer=volunteer, date=day, hours=Decimal("22"), title="值守",
                                 status=ServiceRecord.Status.CONFIRMED)
    client.force_login(volunteer.user)
    html = _ask(client, _event, activity="", date=f"{day:%Y-%m-%d}", title="防汛科普值守", hours="3").content.decode()
    assert "将超过每天 24 小时" in html
    assert not HoursClaim.objects.exists()


def test_leader_approves_in_the_queue_and_the_hours_count(client, served):
    event, volunteer, leader = served
    client.force_login(volunteer.user)
    _ask(client, event)
    client.force_login(leader.user)
    assert "1 条待审核" in client.get("/accounts/me/").content.decode()
    queue = client.get("/accounts/me/claims/review/").content.decode()
    assert volunteer.name in queue and "当天手机没电" in queue
    claim = HoursClaim.objects.get()
    html = client.post("/accounts/me/claims/review/", {"claim": [claim.pk], "action": "approve"},
                       follow=True).content.decode()
    assert "已审核 1 条补录申请" in html
    claim.refresh_from_db()
    assert claim.status == "approved" and claim.record.status == ServiceRecord.Status.CONFIRMED
    assert claim.record.activity == event
    client.force_login(volunteer.user)
    me = client.get("/accounts/me/").content.decode()
    assert '<div class="value">2.5</div><div class="label">累计服务时长（小时）</div>' in me
    assert "已通过" in me


def test_leader_refuses_with_a_reason_the_volunteer_reads(client, served):
    event, volunteer, leader = served
    client.force_login(volunteer.user)
    _ask(client, event)
    claim = HoursClaim.objects.get()
    client.force_login(leader.user)
    html = client.post("/accounts/me/claims/review/", {"claim": [claim.pk], "action": "refuse", "reason": ""},
                       follow=True).content.decode()
    assert "请填写未通过的原因" in html
    client.post("/accounts/me/claims/review/", {"claim": [claim.pk], "action": "refuse",
                                                "reason": "签到表上没有您的名字"})
    client.force_login(volunteer.user)
    me = client.get("/accounts/me/").content.decode()
    assert "未通过原因：签到表上没有您的名字" in me
    assert not ServiceRecord.objects.exists()


def test_evidence_is_seen_by_the_volunteer_and_reviewers_only(client, served, tree):
    event, volunteer, leader = served
    client.force_login(volunteer.user)
    _ask(client, event)
    url = f"/accounts/me/claims/{HoursClaim.objects.get().pk}/evidence/"
    assert client.get(url).status_code == 200
    client.force_login(leader.user)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    stranger = VolunteerWithUserFactory()
    MembershipFactory(volunteer=stranger, team=TeamFactory(), role=Membership.Role.TEAM_LEADER)
    client.force_login(stranger.user)
    assert client.get(url).status_code == 404
    client.force_login(tree.staff_b)  # another county's staff
    assert client.get(url).status_code == 404
    client.force_login(tree.staff_a)
    assert client.get(url).status_code == 200


def test_unit_staff_approve_through_the_admin_queue(client, served, tree):
    event, volunteer, _leader = served
    client.force_login(volunteer.user)
    _ask(client, event)
    claim = HoursClaim.objects.get()
    client.force_login(tree.staff_b)
    listing = client.get("/admin/volunteers/hoursclaim/?status__exact=pending").content.decode()
    assert volunteer.name not in listing
    client.force_login(tree.staff_a)
    listing = client.get("/admin/volunteers/hoursclaim/?status__exact=pending").content.decode()
    assert volunteer.name in listing
    client.post("/admin/volunteers/hoursclaim/", {"action": "approve_selected", "_selected_action": [claim.pk]})
    claim.refresh_from_db()
    assert claim.status == "approved" and claim.record.hours == Decimal("2.5")


def test_a_leader_may_not_approve_their_own_claim(client, served):
    event, _volunteer, leader = served
    client.force_login(leader.user)
    _ask(client, event)
    claim = HoursClaim.objects.get()
    assert claim.volunteer == leader
    client.post("/accounts/me/claims/review/", {"claim": [claim.pk], "action": "approve"})
    claim.refresh_from_db()
    assert claim.status == "pending"


def test_evidence_goes_a_year_after_the_decision_and_the_hours_stay(client, served, settings):
    event, volunteer, leader = served
    client.force_login(volunteer.user)
    _ask(client, event)
    claim = HoursClaim.objects.get()
    from volunteers.services import claims

    claims.approve(claim_id=claim.pk, actor=leader.user)
    HoursClaim.objects.update(decided_at=timezone.now() - timedelta(days=settings.CLAIM_EVIDENCE_RETENTION_DAYS + 1))
    retention.apply_retention()
    claim.refresh_from_db()
    assert not claim.evidence and claim.record.hours == Decimal("2.5")


def test_staff_refuse_through_the_admin_with_a_reason(client, served, tree):
    event, volunteer, _leader = served
    client.force_login(volunteer.user)
    _ask(client, event)
    claim = HoursClaim.objects.get()
    client.force_login(tree.staff_a)
    asked = client.post("/admin/volunteers/hoursclaim/", {"action": "refuse_selected", "_selected_action": [claim.pk]})
    assert "填写未通过原因" in asked.content.decode()
    client.post("/admin/volunteers/hoursclaim/", {"action": "refuse_selected", "_selected_action": [claim.pk],
                                                  "apply": "1", "reason": "活动名单中无此人"})
    claim.refresh_from_db()
    assert (claim.status, claim.refusal_reason, claim.decided_by) == ("refused", "活动名单中无此人", tree.staff_a)


def test_leaders_queue_filters_by_status_team_and_date(client, served):
    event, volunteer, leader = served
    team = event.teams.get()
    group = TeamFactory(kind="group", parent=team, name="第一工作组")
    member = VolunteerWithUserFactory()
    MembershipFactory(volunteer=member, team=group)
    client.force_login(volunteer.user)
    _ask(client, event)
    client.force_login(member.user)
    day = timezone.localdate() - timedelta(days=2)
    _ask(client, event, activity="", date=f"{day:%Y-%m-%d}", title="科普讲座布展", hours="2")
    client.force_login(leader.user)
    everything = client.get("/accounts/me/claims/review/").content.decode()
    assert "科普讲座布展" in everything and event.title in everything
    by_group = client.get("/accounts/me/claims/review/", {"team": group.pk, "status": "pending"}).content.decode()
    assert "科普讲座布展" in by_group and "当天手机没电" in by_group and event.title not in by_group
    by_date = client.get("/accounts/me/claims/review/", {"date_from": f"{day:%Y-%m-%d}"}).content.decode()
    assert "科普讲座布展" in by_date and event.title not in by_date
    approved = client.get("/accounts/me/claims/review/", {"status": "approved"}).content.decode()
    assert "没有符合条件的申请" in approved


def test_queue_costs_the_same_queries_for_two_and_twelve_claims(client, served, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    event, _volunteer, leader = served
    team = event.teams.get()

    def add_claims(n):
        for i in range(n):
            member = VolunteerWithUserFactory()
            MembershipFactory(volunteer=member, team=team)
            client.force_login(member.user)
            _ask(client, event, activity="", date=f"{timezone.localdate() - timedelta(days=1 + i % 5):%Y-%m-%d}",
                 title=f"补录{i}", hours="1")

    add_claims(2)
    client.force_login(leader.user)
    client.get("/accounts/me/claims/review/")
    with CaptureQueriesContext(connection) as small:
        client.get("/accounts/me/claims/review/")
    expected = len(small)  # read now: the next request empties the connection's log
    add_claims(10)
    client.force_login(leader.user)
    client.get("/accounts/me/claims/review/")
    with django_assert_num_queries(expected):
        html = client.get("/accounts/me/claims/review/").content.decode()
    assert html.count('name="claim"') == 12


def test_a_claim_is_in_the_copy_of_my_data_and_goes_with_its_evidence_when_i_close_my_account(client, served):
    event, volunteer, _leader = served
    client.force_login(volunteer.user)
    _ask(client, event)
    evidence_path = Path(HoursClaim.objects.get().evidence.path)
    assert evidence_path.exists()

    response = client.post("/accounts/me/data/download/", {"password": PASSWORD, "fmt": "json"})
    sheet = json.loads(response.content)["补录申请"]
    assert [(row["服务内容"], row["状态"], row["证明材料"]) for row in sheet] == [(event.title, "待审核", "已上传")]

    client.post("/accounts/me/delete/", {"password": PASSWORD, "confirm": "on"})
    assert not HoursClaim.objects.exists()
    assert not evidence_path.exists()
