"""Volunteers check themselves in and out by QR at the events their teams serve at; the
check-out becomes hours on their own page."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from association.states import DomainError
from events.models import ServiceAttendance
from events.services import attendance
from tests.events.factories import EventFactory
from tests.volunteers.factories import MembershipFactory, TeamFactory, VolunteerWithUserFactory
from volunteers.models import ServiceRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def activity():
    """A three-hour service activity that started an hour ago, its team and a member."""
    team = TeamFactory()
    start = timezone.now().replace(second=0, microsecond=0) - timedelta(hours=1)
    event = EventFactory(start=start, end=start + timedelta(hours=3))
    event.teams.add(team)
    volunteer = VolunteerWithUserFactory()
    MembershipFactory(volunteer=volunteer, team=team)
    return event, volunteer


def _code(event):
    return attendance.activity_code(event.pk)


def test_check_in_then_out_records_pending_hours_between(activity):
    event, volunteer = activity
    checked_in = event.start + timedelta(minutes=10)
    attendance.check_in(event_id=event.pk, volunteer_id=volunteer.pk, code=_code(event), now=checked_in)
    done = attendance.check_out(event_id=event.pk, volunteer_id=volunteer.pk, code=_code(event),
                                now=checked_in + timedelta(hours=2, minutes=20))
    record = done.record
    assert (record.hours, record.status, record.volunteer_id) == (Decimal("2.3"), ServiceRecord.Status.PENDING,
                                                                  volunteer.pk)
    assert record.activity == event and record.title == event.title


def test_hours_are_capped_at_the_activitys_length(activity):
    event, volunteer = activity
    attendance.check_in(event_id=event.pk, volunteer_id=volunteer.pk, code=_code(event),
                        now=event.start - timedelta(minutes=50))
    done = attendance.check_out(event_id=event.pk, volunteer_id=volunteer.pk, code=_code(event),
                                now=event.end + timedelta(minutes=50))
    assert done.record.hours == Decimal("3.0")


def test_check_in_is_refused_before_the_window_opens_and_after_the_end(activity):
    event, volunteer = activity
    with pytest.raises(DomainError, match="活动开始前 60 分钟"):
        attendance.check_in(event_id=event.pk, volunteer_id=volunteer.pk, code=_code(event),
                            now=event.start - timedelta(minutes=61))
    with pytest.raises(DomainError, match="不能再签到"):
        attendance.check_in(event_id=event.pk, volunteer_id=volunteer.pk, code=_code(event),
                            now=event.end + timedelta(minutes=1))
    assert not ServiceAttendance.objects.exists()


def test_check_out_closes_an_hour_after_the_end(activity):
    event, volunteer = activity
    attendance.check_in(event_id=event.pk, volunteer_id=volunteer.pk, code=_code(event), now=event.start)
    with pytest.raises(DomainError, match="签退已于"):
        attendance.check_out(event_id=event.pk, volunteer_id=volunteer.pk, code=_code(event),
                             now=event.end + timedelta(minutes=61))
    assert not ServiceRecord.objects.exists()


def test_checking_in_or_out_twice_is_refused(activity):
    event, volunteer = activity
    attendance.check_in(event_id=event.pk, volunteer_id=volunteer.pk, code=_code(event), now=event.start)
    with pytest.raises(DomainError, match="请勿重复签到"):
        attendance.check_in(event_id=event.pk, volunteer_id=volunteer.pk, code=_code(event),
                            now=event.start + timedelta(minutes=5))
    attendance.check_out(event_id=event.pk, volunteer_id=volunteer.pk, code=_code(event),
                         now=event.start + timedelta(hours=1))
    with pytest.raises(DomainError, match="请勿重复签退"):
        attendance.check_out(event_id=event.pk, volunteer_id=volunteer.pk, code=_code(event),
                             now=event.start + timedelta(hours=2))
    assert ServiceRecord.objects.count() == 1


def test_a_wrong_code_or_a_volunteer_of_another_team_is_refused(activity):
    event, volunteer = activity
    with pytest.raises(DomainError, match="签到码不正确"):
        attendance.check_in(event_id=event.pk, volunteer_id=volunteer.pk, code="ABCDEFGH", now=event.start)
    outsider = VolunteerWithUserFactory()
    MembershipFactory(volunteer=outsider, team=TeamFactory())
    with pytest.raises(DomainError, match="不在参与本活动的服务队伍中"):
        attendance.check_in(event_id=event.pk, volunteer_id=outsider.pk, code=_code(event), now=event.start)


def test_a_member_of_a_group_under_the_serving_team_may_check_in(activity):
    event, _volunteer = activity
    group = TeamFactory(kind="group", parent=event.teams.get())
    member = VolunteerWithUserFactory()
    MembershipFactory(volunteer=member, team=group)
    done = attendance.check_in(event_id=event.pk, volunteer_id=member.pk, code=_code(event), now=event.start)
    assert done.team == group


def test_the_qr_link_checks_in_and_out_and_the_hours_show_on_my_page(client, activity):
    event, volunteer = activity
    client.force_login(volunteer.user)
    url = f"/events/{event.pk}/service/?code={_code(event)}"
    page = client.get(url).content.decode()
    assert ">签到</button>" in page and "活动开始前 60 分钟" in page
    assert not ServiceAttendance.objects.exists()  # opening the link writes nothing
    client.post(f"/events/{event.pk}/service/", {"code": _code(event), "action": "in"})
    ServiceAttendance.objects.update(checked_in_at=timezone.now() - timedelta(minutes=95))
    response = client.post(f"/events/{event.pk}/service/", {"code": _code(event), "action": "out"}, follow=True)
    html = response.content.decode()
    assert "签退成功，本次服务时长 1.6 小时" in html
    me = client.get("/accounts/me/").content.decode()
    assert event.title in me and "<strong>1.6</strong> 小时" in me


def test_typed_code_finds_the_open_activity(client, activity):
    event, volunteer = activity
    client.force_login(volunteer.user)
    response = client.post("/events/service/", {"code": _code(event).lower()})
    assert response.status_code == 302 and response["Location"] == f"/events/{event.pk}/service/?code={_code(event)}"
    html = client.post("/events/service/", {"code": "ZZZZ9999"}).content.decode()
    assert "没有找到正在进行、可以签到的服务活动" in html


def test_activity_qr_is_shown_to_the_team_leader_and_checking_staff_only(client, activity, staff_with):
    event, volunteer = activity
    client.force_login(volunteer.user)
    assert client.get(f"/events/{event.pk}/service-qr/").status_code == 404
    leader = VolunteerWithUserFactory()
    MembershipFactory(volunteer=leader, team=event.teams.get(), role="team_leader")
    client.force_login(leader.user)
    html = client.get(f"/events/{event.pk}/service-qr/").content.decode()
    assert "class=\"segno\"" in html and _code(event) in html
    client.force_login(staff_with("events.check_in_registration"))
    assert _code(event) in client.get(f"/events/{event.pk}/service-qr/").content.decode()


@pytest.mark.django_db(transaction=True)
def test_two_scans_at_the_same_moment_check_in_once():
    import threading

    from django.db import connection

    team = TeamFactory()
    start = timezone.now().replace(second=0, microsecond=0) - timedelta(hours=1)
    event = EventFactory(start=start, end=start + timedelta(hours=3))
    event.teams.add(team)
    volunteer = VolunteerWithUserFactory()
    MembershipFactory(volunteer=volunteer, team=team)
    barrier = threading.Barrier(4)
    outcomes, errors = [], []

    def scan():
        try:
            barrier.wait()
            attendance.check_in(event_id=event.pk, volunteer_id=volunteer.pk, code=_code(event))
            outcomes.append("in")
        except DomainError as error:
            outcomes.append(error.message)
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=scan) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    assert outcomes.count("in") == 1 and all("请勿重复签到" in o for o in outcomes if o != "in")
    assert ServiceAttendance.objects.count() == 1


def test_my_page_costs_the_same_queries_for_one_and_five_check_ins(client, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    team = TeamFactory()
    volunteer = VolunteerWithUserFactory()
    MembershipFactory(volunteer=volunteer, team=team, role="team_leader")
    client.force_login(volunteer.user)

    def add_check_ins(n):
        for _ in range(n):
            start = timezone.now().replace(second=0, microsecond=0) - timedelta(hours=1)
            event = EventFactory(start=start, end=start + timedelta(hours=3))
            event.teams.add(team)
            attendance.check_in(event_id=event.pk, volunteer_id=volunteer.pk, code=_code(event))

    add_check_ins(1)
    client.get("/accounts/me/")  # the first visit fills caches (content types, the session)
    with CaptureQueriesContext(connection) as small:
        assert client.get("/accounts/me/").status_code == 200
    expected = len(small)  # read now: the next request empties the connection's log
    add_check_ins(4)
    with django_assert_num_queries(expected):
        html = client.get("/accounts/me/").content.decode()
    assert html.count("签到中，离开前请再扫码签退") == 5 and html.count("出示签到二维码") == 5


def test_a_missed_check_out_points_to_asking_for_the_hours(client, activity):
    event, volunteer = activity
    attendance.check_in(event_id=event.pk, volunteer_id=volunteer.pk, code=_code(event), now=event.start)
    type(event).objects.filter(pk=event.pk).update(start=event.start - timedelta(hours=6),
                                                   end=event.end - timedelta(hours=6))
    client.force_login(volunteer.user)
    html = client.get("/accounts/me/").content.decode()
    assert "未签退" in html and 'href="/accounts/me/claims/new/">申请补录' in html
