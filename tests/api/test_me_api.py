"""A volunteer's own in the open API (/api/v1/me/…): what /accounts/me/ shows, and sign-up,
cancel, check-in and 点单 through the web pages' services and rules, every write audited,
every refusal in Chinese with a stable code."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from association.api import auth
from association.models import ApiToken, AuditEntry
from events.models import Event, Registration, ServiceAttendance
from events.services import attendance, registrations
from tests.association.factories import UserFactory
from tests.events.factories import EventFactory, PastEventFactory, mobile
from tests.volunteers.factories import (
    MembershipFactory,
    OrderFactory,
    RecordFactory,
    TeamFactory,
    VolunteerFactory,
)
from volunteers.models import Membership, ServiceOrder, ServiceRecord

from .conftest import ApiClient, token_for

pytestmark = pytest.mark.django_db
S = Registration.Status


def _error(response, status, code):
    assert response.status_code == status, response.content.decode()
    body = response.json()
    assert body["code"] == code
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["message"]), body  # said in Chinese
    return body["message"]


# -- tokens -----------------------------------------------------------------------------------
def test_without_a_good_token_every_me_address_is_401(volunteer):
    key = token_for(volunteer.user)
    for path in ("/api/v1/me/", "/api/v1/me/hours", "/api/v1/me/events/", "/api/v1/me/orders/"):
        _error(ApiClient().get(path), 401, "unauthorized")
        _error(ApiClient("kx_not-a-token").get(path), 401, "unauthorized")
        assert ApiClient(key).get(path).status_code == 200


def test_a_revoked_token_is_401(volunteer):
    key = token_for(volunteer.user)
    client = ApiClient(key)
    assert client.get("/api/v1/me/").status_code == 200
    assert client.client.delete("/api/v1/auth/token", **client.headers).status_code == 204
    _error(client.get("/api/v1/me/"), 401, "unauthorized")


def test_an_expired_token_is_401(volunteer):
    token, key = auth.issue(user=volunteer.user, kind=ApiToken.Kind.VOLUNTEER, name="小程序")
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    _error(ApiClient(key).get("/api/v1/me/"), 401, "unauthorized")


def test_an_account_without_a_volunteer_profile_is_403_in_chinese():
    client = ApiClient(token_for(UserFactory()))
    for path in ("/api/v1/me/", "/api/v1/me/hours", "/api/v1/me/events/", "/api/v1/me/orders/"):
        message = _error(client.get(path), 403, "not_a_volunteer")
        assert "志愿者" in message
    event = EventFactory()
    _error(client.post(f"/api/v1/me/events/{event.pk}/registration", {"consent": True}), 403, "not_a_volunteer")
    assert not Registration.objects.exists()


# -- profile and hours ------------------------------------------------------------------------
def test_the_profile_is_masked_as_on_the_page(volunteer, me):
    team = TeamFactory(name="化工服务队")
    MembershipFactory(volunteer=volunteer, team=team, role=Membership.Role.TEAM_LEADER)
    response = me.get("/api/v1/me/")
    body = response.json()
    assert body["name"] == "王建国" and body["number"] == volunteer.number
    assert body["id_number"] == volunteer.masked_id_number != volunteer.id_number
    assert body["mobile"] == volunteer.masked_mobile != volunteer.mobile
    assert volunteer.id_number not in response.content.decode()
    assert volunteer.mobile not in response.content.decode()
    assert body["memberships"] == [{"team_id": team.pk, "team": "化工服务队", "parent": None,
                                    "role": "team_leader", "role_label": "队长", "is_leader": True}]
    assert "private" in response["Cache-Control"]


def test_hours_give_the_pages_totals_and_records(volunteer, me):
    this_year = timezone.localdate().replace(month=1, day=2)
    RecordFactory(volunteer=volunteer, date=this_year, hours=Decimal("3.5"))
    RecordFactory(volunteer=volunteer, date=this_year.replace(year=this_year.year - 1), hours=Decimal("2"))
    RecordFactory(volunteer=volunteer, date=this_year, hours=Decimal("1.5"), status=ServiceRecord.Status.PENDING)
    RecordFactory(hours=Decimal("9"))  # somebody else's

    totals = me.get("/api/v1/me/hours").json()
    assert Decimal(totals["total_hours"]) == Decimal("5.5")
    assert Decimal(totals["year_hours"]) == Decimal("3.5")
    assert Decimal(totals["pending_hours"]) == Decimal("1.5")
    assert (totals["confirmed"], totals["records"]) == (2, 3)
    assert len(totals["monthly"]) == 2

    records = me.get("/api/v1/me/hours/records", {"page_size": 2}).json()
    assert records["count"] == 3 and records["has_next"] is True
    assert [(r["hours"], r["status_label"]) for r in records["items"]] == [("1.5", "待确认"), ("3.5", "已确认")]


# -- sign-up and cancel -----------------------------------------------------------------------
def test_signing_up_takes_a_seat_shows_in_my_activities_and_is_audited(volunteer, me, anonymous):
    event = EventFactory(capacity=2)
    response = me.post(f"/api/v1/me/events/{event.pk}/registration", {"consent": True})
    assert response.status_code == 201, response.content.decode()
    body = response.json()
    assert body["registration"]["status"] == "confirmed"
    assert body["registration"]["check_in_code"]
    registration = Registration.objects.get()
    # The volunteer's own name and mobile, and their account: it shows on their page.
    assert (registration.name, registration.mobile, registration.user) == ("王建国", volunteer.mobile, volunteer.user)
    assert AuditEntry.objects.filter(action=AuditEntry.Action.CREATE, object_id=str(registration.pk),
                                     actor=volunteer.user).exists()
    assert anonymous.get(f"/api/v1/events/{event.pk}/").json()["places_left"] == 1

    mine = me.get("/api/v1/me/events/").json()
    assert [r["event"]["id"] for r in mine["upcoming"]] == [event.pk]
    assert mine["past"] == []


def test_my_activities_include_sign_ups_made_with_my_mobile_on_the_web(volunteer, me):
    past = PastEventFactory(registration_open=True, status=Event.Status.PUBLISHED)
    Registration.objects.create(event=past, name="王建国", mobile=volunteer.mobile,
                                mobile_hash=registrations.mobile_hash(volunteer.mobile),
                                status=S.CHECKED_IN, token="t-past", check_in_code="PAST0001")
    upcoming = EventFactory()
    registrations.register(event_id=upcoming.pk, name="王建国", mobile=volunteer.mobile)
    registrations.register(event_id=upcoming.pk, name="别人", mobile=mobile(77))
    mine = me.get("/api/v1/me/events/").json()
    assert [r["event"]["id"] for r in mine["upcoming"]] == [upcoming.pk]
    assert [(r["event"]["id"], r["status_label"]) for r in mine["past"]] == [(past.pk, "已签到")]
    assert mine["past"][0]["check_in_code"] is None


def test_sign_up_refusals_are_the_web_forms_in_chinese_with_stable_codes(volunteer, me, settings):
    settings.PUBLIC_FORM_PERSON_RATE = "100/h"  # many tries with one mobile: the limit has its own test
    event = EventFactory(capacity=2, waiting_list=False)
    url = f"/api/v1/me/events/{event.pk}/registration"
    assert "勾选同意" in _error(me.post(url, {"consent": False}), 422, "consent_required")
    _error(me.post(url, {}), 422, "invalid")  # consent not given at all
    assert "11 位手机号码" in _error(me.post(url, {"consent": True, "mobile": "12345"}), 422, "invalid_mobile")
    _error(me.post(url, {"consent": True, "name": "王"}), 422, "invalid_name")
    assert "电子邮箱" in _error(me.post(url, {"consent": True, "email": "不是邮箱"}), 422, "invalid_email")
    # A NUL character (which PostgreSQL cannot keep) is a field error, not a server error.
    nul = me.post(url, {"consent": True, "name": "王\x00明"})
    _error(nul, 422, "invalid")
    assert nul.json()["fields"][0]["field"] == "name"
    assert me.post(url, {"consent": True}).status_code == 201
    assert "请勿重复报名" in _error(me.post(url, {"consent": True}), 409, "duplicate_registration")
    assert me.post(url, {"consent": True, "name": "王小明", "mobile": mobile(5)}).status_code == 201
    assert _error(me.post(url, {"consent": True, "name": "王小红", "mobile": mobile(6)}), 409, "signup_closed") \
        == "名额已满。"
    _error(me.post("/api/v1/me/events/999999/registration", {"consent": True}), 404, "not_found")
    draft = EventFactory(status=Event.Status.DRAFT)
    assert "尚未发布" in _error(me.post(f"/api/v1/me/events/{draft.pk}/registration", {"consent": True}),
                               409, "signup_closed")
    assert Registration.objects.count() == 2
    event.refresh_from_db()
    assert event.seats_taken == 2


def test_a_full_event_with_a_waiting_list_puts_me_on_it(volunteer, me):
    event = EventFactory(capacity=1, waiting_list=True)
    registrations.register(event_id=event.pk, name="先到者", mobile=mobile(1))
    body = me.post(f"/api/v1/me/events/{event.pk}/registration", {"consent": True}).json()
    assert body["registration"]["status"] == "waitlisted"
    assert "候补" in body["message"]


def test_a_youth_event_asks_the_age_and_a_guardians_consent(volunteer, me):
    event = EventFactory(for_youth=True)
    url = f"/api/v1/me/events/{event.pk}/registration"
    child = {"consent": True, "name": "王小明", "mobile": mobile(9)}
    assert "14周岁" in _error(me.post(url, child), 409, "guardian_required")
    _error(me.post(url, {**child, "under_14": True}), 422, "guardian_required")
    _error(me.post(url, {**child, "under_14": True, "guardian_name": "王建国", "guardian_mobile": mobile(8)}),
           422, "guardian_required")  # the statement not agreed
    assert not Registration.objects.exists()
    ok = me.post(url, {**child, "under_14": True, "guardian_name": "王建国", "guardian_mobile": mobile(8),
                       "guardian_statement": True})
    assert ok.status_code == 201
    registration = Registration.objects.get()
    assert (registration.guardian_name, registration.guardian_mobile) == ("王建国", mobile(8))
    assert registration.guardian_statement_version


def test_sign_ups_count_on_the_web_forms_per_person_limit(volunteer, me, settings):
    settings.PUBLIC_FORM_PERSON_RATE = "2/h"
    events = [EventFactory() for _ in range(3)]
    for event in events[:2]:
        assert me.post(f"/api/v1/me/events/{event.pk}/registration", {"consent": True}).status_code == 201
    assert "次数过多" in _error(me.post(f"/api/v1/me/events/{events[2].pk}/registration", {"consent": True}),
                                429, "too_many_submissions")
    assert Registration.objects.count() == 2


def test_cancelling_frees_the_seat_for_the_waiting_list_and_only_my_own(volunteer, me):
    event = EventFactory(capacity=1)
    mine = me.post(f"/api/v1/me/events/{event.pk}/registration", {"consent": True}).json()["registration"]
    (waiting,) = [registrations.register(event_id=event.pk, name="候补者", mobile=mobile(2))]
    assert waiting.status == S.WAITLISTED

    # Somebody else's sign-up is not found, whatever its number.
    _error(me.post(f"/api/v1/me/events/registrations/{waiting.pk}/cancel"), 404, "not_found")

    response = me.post(f"/api/v1/me/events/registrations/{mine['id']}/cancel")
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    waiting.refresh_from_db()
    assert waiting.status == S.CONFIRMED
    assert AuditEntry.objects.filter(action=AuditEntry.Action.TRANSITION, object_id=str(mine["id"]),
                                     to_state="cancelled", actor=volunteer.user).exists()
    assert "已经取消" in _error(me.post(f"/api/v1/me/events/registrations/{mine['id']}/cancel"),
                                409, "transition_not_allowed")


# -- check-in at service activities ------------------------------------------------------------
@pytest.fixture
def service_activity(volunteer):
    team = TeamFactory(name="科普宣讲队")
    MembershipFactory(volunteer=volunteer, team=team)
    now = timezone.now()
    event = EventFactory(start=now - timedelta(hours=2), end=now + timedelta(hours=1), registration_open=False)
    event.teams.add(team)
    return event


def test_check_in_and_out_by_the_activitys_code(volunteer, me, service_activity):
    code = attendance.activity_code(service_activity.pk)
    _error(me.post("/api/v1/me/events/check-in", {"code": "ABCDEFGH"}), 404, "unknown_activity_code")

    response = me.post("/api/v1/me/events/check-in", {"code": code.lower()})
    assert response.status_code == 200, response.content.decode()
    assert response.json()["attendance"]["team"] == "科普宣讲队"
    assert "签到成功" in response.json()["message"]
    assert AuditEntry.objects.filter(detail="志愿者扫码签到", actor=volunteer.user).exists()
    assert "重复签到" in _error(me.post("/api/v1/me/events/check-in", {"code": code}), 409, "already_checked_in")
    assert "不足 6 分钟" in _error(me.post("/api/v1/me/events/check-in", {"code": code, "action": "out"}),
                                  409, "served_too_short")

    ServiceAttendance.objects.update(checked_in_at=timezone.now() - timedelta(hours=2))
    # The address the QR code holds works as well as the bare code.
    out = me.post("/api/v1/me/events/check-in", {"code": attendance.check_in_url(service_activity.pk), "action": "out"})
    assert out.status_code == 200, out.content.decode()
    assert Decimal(out.json()["attendance"]["hours"]) == Decimal("2.0")
    assert out.json()["attendance"]["hours_status"] == "pending"
    record = ServiceRecord.objects.get(volunteer=volunteer)
    assert record.hours == Decimal("2.0") and record.status == ServiceRecord.Status.PENDING
    recent = me.get("/api/v1/me/events/check-ins").json()["recent"]
    assert [a["event_id"] for a in recent] == [service_activity.pk]


def test_a_volunteer_outside_the_serving_teams_cannot_check_in(service_activity):
    outsider = VolunteerFactory(user=UserFactory())
    client = ApiClient(token_for(outsider.user))
    message = _error(client.post("/api/v1/me/events/check-in", {"code": attendance.activity_code(service_activity.pk)}),
                     409, "not_in_serving_team")
    assert "不在参与本活动的服务队伍中" in message
    assert not ServiceAttendance.objects.exists()


# -- 点单 follow-up ----------------------------------------------------------------------------
@pytest.fixture
def led_order(volunteer):
    team = TeamFactory(name="医疗服务队")
    MembershipFactory(volunteer=volunteer, team=team, role=Membership.Role.TEAM_LEADER)
    return OrderFactory(team=team, status=ServiceOrder.Status.DISPATCHED)


def test_a_leader_sees_accepts_completes_and_records_hours_for_an_order(volunteer, me, led_order):
    items = me.get("/api/v1/me/orders/").json()
    assert [(o["id"], o["can_accept"]) for o in items] == [(led_order.pk, True)]
    detail = me.get(f"/api/v1/me/orders/{led_order.pk}").json()
    assert detail["contact_phone"] is None  # not before accepting, as on the page

    accepted = me.post(f"/api/v1/me/orders/{led_order.pk}/accept")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    assert accepted.json()["contact_phone"] == "13912345678"
    assert AuditEntry.objects.filter(object_id=str(led_order.pk), action=AuditEntry.Action.TRANSITION,
                                     to_state="accepted", actor=volunteer.user).exists()
    assert AuditEntry.objects.filter(object_id=str(led_order.pk), action=AuditEntry.Action.VIEW_PERSONAL).exists()

    member = MembershipFactory(team=led_order.team).volunteer
    members = me.get(f"/api/v1/me/orders/{led_order.pk}/members").json()
    assert {m["id"] for m in members} == {volunteer.pk, member.pk}
    url = f"/api/v1/me/orders/{led_order.pk}/hours"
    today = timezone.localdate()
    assert "晚于今天" in _error(me.post(url, {"volunteer_ids": [member.pk], "hours": "2",
                                              "date": (today + timedelta(days=1)).isoformat()}), 422, "invalid_hours")
    outsider = VolunteerFactory()
    _error(me.post(url, {"volunteer_ids": [outsider.pk], "hours": "2", "date": today.isoformat()}), 422, "invalid_hours")
    done = me.post(url, {"volunteer_ids": [member.pk, volunteer.pk], "hours": "2.5", "date": today.isoformat()})
    assert done.status_code == 201 and done.json()["recorded"] == 2
    assert ServiceRecord.objects.filter(order=led_order, status=ServiceRecord.Status.PENDING).count() == 2

    completed = me.post(f"/api/v1/me/orders/{led_order.pk}/complete")
    assert completed.json()["status"] == "done"
    assert "不能" in _error(me.post(f"/api/v1/me/orders/{led_order.pk}/accept"), 409, "transition_not_allowed")


def test_a_leader_declines_with_a_reason(me, led_order):
    _error(me.post(f"/api/v1/me/orders/{led_order.pk}/decline", {}), 422, "invalid")
    _error(me.post(f"/api/v1/me/orders/{led_order.pk}/decline", {"reason": "\x00"}), 422, "invalid")
    assert "拒单的原因" in _error(me.post(f"/api/v1/me/orders/{led_order.pk}/decline", {"reason": "  "}),
                                  409, "reason_required")
    declined = me.post(f"/api/v1/me/orders/{led_order.pk}/decline", {"reason": "当天队员外出"})
    assert declined.json()["status"] == "declined" and declined.json()["decline_reason"] == "当天队员外出"


def test_a_member_who_does_not_lead_sees_no_orders_and_cannot_act(led_order):
    member = MembershipFactory(team=led_order.team, volunteer=VolunteerFactory(user=UserFactory())).volunteer
    client = ApiClient(token_for(member.user))
    assert client.get("/api/v1/me/orders/").json() == []
    _error(client.get(f"/api/v1/me/orders/{led_order.pk}"), 404, "not_found")
    _error(client.post(f"/api/v1/me/orders/{led_order.pk}/accept"), 404, "not_found")
    led_order.refresh_from_db()
    assert led_order.status == ServiceOrder.Status.DISPATCHED
