"""The public events, service teams and projects in the open API: what /events/ and
/volunteers/ show, with the same filters and the same words, and nothing personal."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.http import http_date

from events.models import Event
from events.services import registrations
from tests.association.factories import CountyFactory
from tests.events.factories import EventFactory, EventOutcomeFactory, PastEventFactory, mobile
from tests.volunteers.factories import (
    CorpsFactory,
    MembershipFactory,
    ProjectFactory,
    TeamFactory,
    VolunteerFactory,
)
from volunteers.models import Membership, ServiceProject, ServiceTeam

pytestmark = pytest.mark.django_db


def _items(response):
    assert response.status_code == 200, response.content.decode()
    return response.json()["items"]


def test_the_list_shows_public_events_with_places_left_and_the_pages_words(anonymous):
    open_one = EventFactory(title="开放报名的讲座", capacity=5)
    registrations.register(event_id=open_one.pk, name="张三", mobile=mobile(1))
    full = EventFactory(title="满员可候补", capacity=1, waiting_list=True)
    registrations.register(event_id=full.pk, name="李四", mobile=mobile(2))
    full_closed = EventFactory(title="满员不候补", capacity=1, waiting_list=False)
    registrations.register(event_id=full_closed.pk, name="王五", mobile=mobile(3))
    EventFactory(title="不限名额", capacity=None)
    EventFactory(title="已截止", registration_deadline=timezone.now() - timedelta(hours=1))
    EventFactory(title="已取消", status=Event.Status.CANCELLED)
    PastEventFactory(title="往期活动")
    EventFactory(title="草稿", status=Event.Status.DRAFT)

    items = {item["title"]: item for item in _items(anonymous.get("/api/v1/events/", {"page_size": 50}))}

    assert "草稿" not in items
    assert items["开放报名的讲座"]["places_left"] == 4
    assert items["开放报名的讲座"]["seats_taken"] == 1
    assert (items["开放报名的讲座"]["signup_state"], items["开放报名的讲座"]["signup_state_label"]) == (
        "open", "报名中 · 剩余 4 个名额")
    assert (items["满员可候补"]["signup_state"], items["满员可候补"]["signup_state_label"]) == (
        "waiting_list", "名额已满 · 可候补")
    assert (items["满员不候补"]["signup_state"], items["满员不候补"]["signup_state_label"]) == ("full", "名额已满")
    assert items["满员不候补"]["closed_reason"] == "名额已满。"
    assert items["不限名额"]["places_left"] is None
    assert items["不限名额"]["signup_state_label"] == "报名中 · 不限名额"
    assert items["已截止"]["signup_state_label"] == "报名已截止"
    assert items["已取消"]["signup_state"] == "cancelled"
    assert items["往期活动"]["signup_state"] == "ended"
    assert items["开放报名的讲座"]["url"].endswith(f"/events/{open_one.pk}/")


def test_the_web_list_shows_the_same_badge_words(client):
    EventFactory(title="满员可候补", capacity=1, waiting_list=True)
    event = Event.objects.get()
    registrations.register(event_id=event.pk, name="李四", mobile=mobile(2))
    page = client.get("/events/").content.decode()
    assert "名额已满 · 可候补" in page


def test_the_list_takes_the_pages_filters(anonymous):
    county = CountyFactory(name="清丰县")
    other = CountyFactory(name="范县")
    EventFactory(title="清丰县培训", county=county, kind=Event.Kind.TRAINING)
    EventFactory(title="清丰县义诊", county=county, kind=Event.Kind.HEALTH_CLINIC)
    EventFactory(title="范县培训", county=other, kind=Event.Kind.TRAINING)
    past = PastEventFactory(title="上月活动", county=county, kind=Event.Kind.SEMINAR)

    titles = [i["title"] for i in _items(anonymous.get("/api/v1/events/", {"county": county.pk, "kind": "training"}))]
    assert titles == ["清丰县培训"]
    month = f"{timezone.localtime(past.start):%Y-%m}"
    assert [i["title"] for i in _items(anonymous.get("/api/v1/events/", {"month": month}))] == ["上月活动"]
    # What the page would drop (an unknown kind) is dropped here too.
    assert len(_items(anonymous.get("/api/v1/events/", {"kind": "nonsense"}))) == 4
    upcoming = [i["title"] for i in _items(anonymous.get("/api/v1/events/", {"when": "upcoming"}))]
    assert "上月活动" not in upcoming and len(upcoming) == 3
    assert [i["title"] for i in _items(anonymous.get("/api/v1/events/", {"when": "past"}))] == ["上月活动"]
    refused = anonymous.get("/api/v1/events/", {"when": "tomorrow"})
    assert refused.status_code == 422 and refused.json()["code"] == "invalid"


def test_the_list_costs_the_same_queries_for_3_events_as_for_15(anonymous):
    def queries(n):
        Event.objects.all().delete()
        for i in range(n):
            EventOutcomeFactory(event=PastEventFactory(title=f"往期{i}"))
            EventFactory(title=f"近期{i}")
        with CaptureQueriesContext(connection) as ctx:
            assert len(_items(anonymous.get("/api/v1/events/", {"page_size": 100}))) == 2 * n
        return len(ctx.captured_queries)

    assert queries(3) == queries(15)


def test_the_detail_follows_sign_ups_and_answers_304_only_while_nothing_changed(anonymous):
    event = EventFactory(capacity=3, description="第一段\n第二段")
    an_hour_ago = timezone.now() - timedelta(hours=1)
    Event.objects.filter(pk=event.pk).update(updated=an_hour_ago)
    url = f"/api/v1/events/{event.pk}/"

    first = anonymous.get(url)
    assert first.status_code == 200
    assert first.json()["places_left"] == 3
    assert first.json()["description"] == "第一段\n第二段"
    assert first["Last-Modified"] == http_date(an_hour_ago.timestamp())
    assert anonymous.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert anonymous.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304

    registrations.register(event_id=event.pk, name="张三", mobile=mobile(1))

    # The sign-up does not touch the event's own stamp, yet the page's counts changed.
    again = anonymous.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert again.status_code == 200
    assert again.json()["places_left"] == 2
    assert anonymous.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_a_draft_or_missing_event_is_a_json_404(anonymous):
    draft = EventFactory(status=Event.Status.DRAFT)
    for url in (f"/api/v1/events/{draft.pk}/", "/api/v1/events/999999/"):
        response = anonymous.get(url)
        assert response.status_code == 404
        assert response.json() == {"code": "not_found", "message": "未找到，或尚未公开。"}


def test_the_detail_names_partners_teams_and_outcome(anonymous):
    outcome = EventOutcomeFactory(participants=320, beneficiaries=5000)
    team = TeamFactory(name="科普宣讲队")
    outcome.event.teams.add(team)
    body = anonymous.get(f"/api/v1/events/{outcome.event.pk}/").json()
    assert body["outcome"]["participants"] == 320
    assert body["teams"] == [{"id": team.pk, "name": "科普宣讲队"}]
    assert body["signup_state"] == "ended"


# -- service teams and projects ---------------------------------------------------------------
def test_the_team_tree_counts_members_and_names_leaders_but_nothing_personal(anonymous):
    corps = CorpsFactory(name="濮阳市科技志愿服务团")
    team = TeamFactory(name="医疗卫生服务队", parent=corps)
    group = TeamFactory(name="义诊组", parent=team, kind=ServiceTeam.Kind.GROUP)
    TeamFactory(name="已撤销的队", is_active=False)
    leader = VolunteerFactory(name="刘立新")
    MembershipFactory(volunteer=leader, team=team, role=Membership.Role.TEAM_LEADER)
    for _ in range(2):
        MembershipFactory(team=group)
    MembershipFactory(team=group, volunteer=VolunteerFactory(status="pending"))

    response = anonymous.get("/api/v1/volunteers/teams/")
    assert response.status_code == 200
    (root,) = response.json()
    assert root["name"] == "濮阳市科技志愿服务团" and root["kind_label"] == "服务团"
    assert root["members"] == 3
    (child,) = root["children"]
    assert child["leaders"] == [{"role": "team_leader", "role_label": "队长", "name": "刘立新"}]
    assert child["children"][0]["name"] == "义诊组" and child["children"][0]["members"] == 2
    text = response.content.decode()
    assert leader.mobile not in text and leader.id_number not in text and "mobile" not in text


def test_projects_are_the_published_menu_with_orders_done(anonymous):
    team = TeamFactory(name="农技服务队")
    project = ProjectFactory(team=team, title="果树修剪技术指导", audience="种植户")
    ProjectFactory(team=team, title="草稿项目", status=ServiceProject.Status.DRAFT)
    from tests.volunteers.factories import OrderFactory

    OrderFactory(project=project, status="done")
    OrderFactory(project=project, status="submitted")

    items = _items(anonymous.get("/api/v1/volunteers/projects/"))
    assert [i["title"] for i in items] == ["果树修剪技术指导"]
    assert items[0]["done"] == 1 and items[0]["team"] == "农技服务队"
    assert items[0]["order_url"].endswith(f"/volunteers/projects/{project.pk}/order/")
    assert "赵主任" not in str(items) and "13912345678" not in str(items)
    assert anonymous.get(f"/api/v1/volunteers/projects/{project.pk}/").json()["audience"] == "种植户"
    draft = ServiceProject.objects.get(title="草稿项目")
    assert anonymous.get(f"/api/v1/volunteers/projects/{draft.pk}/").status_code == 404


def test_the_schema_and_the_chinese_guide_list_these_endpoints_and_which_need_a_token(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "security" not in schema["paths"]["/api/v1/events/"]["get"]
    assert schema["paths"]["/api/v1/me/events/{event_id}/registration"]["post"]["security"]
    assert schema["paths"]["/api/v1/me/hours"]["get"]["tags"] == ["志愿者本人"]
    guide = client.get("/api/v1/docs/").content.decode()
    for words in ("活动列表", "服务队伍（服务团 → 服务队 → 工作组）", "报名活动", "服务活动扫码签到或签退", "接单"):
        assert words in guide


def test_upcoming_is_soonest_first_and_past_latest_first(anonymous):
    now = timezone.now()
    for days in (9, 2, 5):
        EventFactory(title=f"{days}天后", start=now + timedelta(days=days))
    for days in (40, 10, 90):
        PastEventFactory(title=f"{days}天前", start=now - timedelta(days=days))
    upcoming = [i["title"] for i in _items(anonymous.get("/api/v1/events/", {"when": "upcoming"}))]
    assert upcoming == ["2天后", "5天后", "9天后"]
    past = [i["title"] for i in _items(anonymous.get("/api/v1/events/", {"when": "past"}))]
    assert past == ["10天前", "40天前", "90天前"]
    everything = [i["title"] for i in _items(anonymous.get("/api/v1/events/"))]
    assert everything == ["9天后", "5天后", "2天后", "10天前", "40天前", "90天前"]
