"""单位数据交换 through the open API: a unit token reads its unit's subtree and nothing else,
volunteers come masked unless its holder may see more, and every read of them is recorded."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.test import RequestFactory
from django.utils import timezone

from association.api import auth as api_auth
from association.api.core import get_api
from association.models import ApiToken, AuditEntry
from events.models import Event, Registration
from returns import services as return_services
from tests.association.factories import UserFactory
from tests.events.factories import EventFactory, EventOutcomeFactory, PastEventFactory
from tests.volunteers.factories import MembershipFactory, TeamFactory, VolunteerFactory

pytestmark = pytest.mark.django_db
EVENTS, VOLUNTEERS, RETURNS = "/api/v1/exchange/events/", "/api/v1/exchange/volunteers/", "/api/v1/exchange/returns/"


def unit_token(user) -> str:
    return api_auth.issue(user=user, kind=ApiToken.Kind.UNIT, name="省科协数据交换")[1]


def get(client, url, key, **params):
    return client.get(url, params, HTTP_AUTHORIZATION=f"Bearer {key}")


@pytest.fixture
def work(tree):
    """Events and volunteers of county A, its township, county B and the 学会."""
    return {
        "events": {unit: EventFactory(organiser=getattr(tree, unit), title=f"{unit}的活动")
                   for unit in ("county_a", "township_a", "county_b", "society")},
        "volunteers": {unit: VolunteerFactory(unit=getattr(tree, unit), name=f"志愿者{i}")
                       for i, unit in enumerate(("county_a", "township_a", "county_b", "society"))},
    }


def test_a_countys_token_reads_its_county_and_townships_events_and_never_a_neighbours(client, tree, work):
    key = unit_token(tree.staff_a)
    answer = get(client, EVENTS, key)
    assert answer.status_code == 200, answer.content
    titles = {e["title"] for e in answer.json()["items"]}
    assert titles == {"county_a的活动", "township_a的活动"}
    assert answer.json()["count"] == 2

    # The 学会 beside it sees its own only; county B its own.
    assert {e["title"] for e in get(client, EVENTS, unit_token(tree.society_staff)).json()["items"]} == {"society的活动"}
    assert {e["title"] for e in get(client, EVENTS, unit_token(tree.staff_b)).json()["items"]} == {"county_b的活动"}


def test_a_countys_token_reads_its_subtrees_volunteers_only(client, tree, work):
    names = {v["name"] for v in get(client, VOLUNTEERS, unit_token(tree.staff_a)).json()["items"]}
    assert names == {"志愿者0", "志愿者1"}
    names = {v["name"] for v in get(client, VOLUNTEERS, unit_token(tree.staff_b)).json()["items"]}
    assert names == {"志愿者2"}


def test_a_countys_token_reads_its_own_return_and_not_a_neighbours(client, tree):
    year = timezone.localdate().year
    own = return_services.open_return(tree.county_a.pk, year)
    return_services.open_return(tree.county_b.pk, year)
    answer = get(client, RETURNS, unit_token(tree.staff_a), year=year)
    assert answer.status_code == 200, answer.content
    (found,) = answer.json()["items"]
    assert found["id"] == own.pk and found["organization_name"] == "华龙区科协"
    assert found["status"] == "draft" and found["status_label"] == "填报中"
    assert found["figures"], "the return's items and their figures"
    assert {"table", "code", "name", "unit", "value", "computed"} <= set(found["figures"][0])
    assert get(client, RETURNS, unit_token(tree.staff_a), year=year - 1).json()["items"] == []


def test_events_come_with_their_sign_up_counts_and_outcome(client, tree):
    event = PastEventFactory(organiser=tree.county_a, capacity=10)
    EventOutcomeFactory(event=event, participants=120, beneficiaries=900)
    Event.objects.filter(pk=event.pk).update(seats_taken=5, checked_in_count=4, waitlisted_count=1, pending_count=0)
    for n in range(3):
        Registration.objects.create(event=event, name="某某", mobile_hash=f"h{n}", status=Registration.Status.CANCELLED,
                                    token=f"t{n}", check_in_code=f"c{n}")
    (found,) = get(client, EVENTS, unit_token(tree.staff_a)).json()["items"]
    assert (found["signed_up"], found["confirmed"], found["waitlisted"], found["attended"], found["cancelled"]) == (
        6, 5, 1, 4, 3)
    assert found["outcome"]["participants"] == 120 and found["outcome"]["beneficiaries"] == 900
    assert found["venue"] == "濮阳市科技馆报告厅" and found["organiser_name"] == "华龙区科协"
    assert "某某" not in get(client, EVENTS, unit_token(tree.staff_a)).content.decode()  # counted, never listed


def test_events_filter_by_year_and_by_what_changed_since_the_last_sync(client, tree):
    now = timezone.now()
    this_year = EventFactory(organiser=tree.county_a, title="今年的活动")
    last_year = EventFactory(organiser=tree.county_a, title="去年的活动",
                             start=now.replace(year=now.year - 1), end=now.replace(year=now.year - 1) + timedelta(hours=2))
    key = unit_token(tree.staff_a)
    assert [e["title"] for e in get(client, EVENTS, key, year=now.year).json()["items"]] == ["今年的活动"]
    assert [e["title"] for e in get(client, EVENTS, key, year=now.year - 1).json()["items"]] == ["去年的活动"]

    Event.objects.filter(pk=last_year.pk).update(updated=now - timedelta(days=3))
    Event.objects.filter(pk=this_year.pk).update(updated=now - timedelta(days=1))
    since = (now - timedelta(days=2)).isoformat()
    assert [e["title"] for e in get(client, EVENTS, key, updated_since=since).json()["items"]] == ["今年的活动"]
    # An outcome recorded later brings its event back into the next sync.
    EventOutcomeFactory(event=last_year)
    assert {e["title"] for e in get(client, EVENTS, key, updated_since=since).json()["items"]} == {"今年的活动", "去年的活动"}

    # So does a sign-up cancelled since, whose count the event keeps without a new stamp.
    quiet = EventFactory(organiser=tree.county_a, title="报名有变动的活动")
    registration = Registration.objects.create(event=quiet, name="某某", mobile_hash="h", token="t", check_in_code="c",
                                               status=Registration.Status.CONFIRMED,
                                               created=now - timedelta(days=5))
    Event.objects.filter(pk=quiet.pk).update(updated=now - timedelta(days=5))
    assert "报名有变动的活动" not in {e["title"] for e in get(client, EVENTS, key, updated_since=since).json()["items"]}
    Registration.objects.filter(pk=registration.pk).update(status=Registration.Status.CANCELLED, cancelled_at=now)
    found = {e["title"]: e for e in get(client, EVENTS, key, updated_since=since).json()["items"]}
    assert found["报名有变动的活动"]["cancelled"] == 1


def test_events_come_in_pages(client, tree):
    for n in range(5):
        EventFactory(organiser=tree.county_a, title=f"活动{n}")
    first = get(client, EVENTS, unit_token(tree.staff_a), page_size=2).json()
    assert (len(first["items"]), first["count"], first["pages"], first["has_next"]) == (2, 5, 3, True)


def test_the_events_list_costs_the_same_queries_for_many_events(client, tree, django_assert_max_num_queries):
    key = unit_token(tree.staff_a)
    EventOutcomeFactory(event=PastEventFactory(organiser=tree.county_a))
    get(client, EVENTS, key)  # the subtree and permissions cached, as they are after the first request
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        get(client, EVENTS, key)
    for _n in range(15):
        EventOutcomeFactory(event=PastEventFactory(organiser=tree.township_a))
    with django_assert_max_num_queries(len(few.captured_queries)):
        answer = get(client, EVENTS, key)
    assert answer.json()["count"] == 16


def test_volunteers_are_masked_and_every_read_is_recorded_without_the_data(client, tree, work):
    volunteer = work["volunteers"]["county_a"]
    team = TeamFactory(organization=tree.county_a, name="华龙区科普服务队")
    MembershipFactory(volunteer=volunteer, team=team)
    MembershipFactory(volunteer=volunteer, team=TeamFactory(organization=tree.county_b, name="濮阳县服务队"))
    key = unit_token(tree.staff_a)
    before = AuditEntry.objects.count()

    answer = get(client, VOLUNTEERS, key)
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["masked"] is True
    row = next(v for v in body["items"] if v["id"] == volunteer.pk)
    assert row["mobile"] != volunteer.mobile and "*" in row["mobile"] and row["mobile"][:3] == volunteer.mobile[:3]
    assert row["id_number"] != volunteer.id_number and "*" in row["id_number"]
    assert volunteer.mobile not in answer.content.decode() and volunteer.id_number not in answer.content.decode()
    assert [t["team"] for t in row["teams"]] == ["华龙区科普服务队"]  # not another county's team

    assert AuditEntry.objects.count() == before + 1  # one entry per request
    entry = AuditEntry.objects.latest("id")
    assert entry.actor == tree.staff_a and entry.action == AuditEntry.Action.EXPORT
    assert "接口读取志愿者信息 2 人" in entry.detail and "已遮蔽" in entry.detail
    assert entry.object_repr.startswith("省科协数据交换")  # which token
    assert volunteer.mobile not in entry.detail and volunteer.name not in entry.detail

    get(client, VOLUNTEERS, key, page=2)
    assert AuditEntry.objects.count() == before + 2
    assert "接口读取志愿者信息 0 人（第 2 页" in AuditEntry.objects.latest("id").detail


def test_a_holder_granted_full_personal_data_reads_it_in_full_and_it_is_recorded_as_such(client, tree, work):
    volunteer = work["volunteers"]["county_a"]
    tree.staff_a.user_permissions.add(Permission.objects.get(codename="view_personal_data",
                                                             content_type__app_label="volunteers"))
    answer = get(client, VOLUNTEERS, unit_token(tree.staff_a))
    assert answer.json()["masked"] is False
    row = next(v for v in answer.json()["items"] if v["id"] == volunteer.pk)
    assert row["mobile"] == volunteer.mobile and row["id_number"] == volunteer.id_number
    entry = AuditEntry.objects.latest("id")
    assert entry.action == AuditEntry.Action.VIEW_PERSONAL and "含完整身份证号与手机号码" in entry.detail
    assert volunteer.mobile not in entry.detail


def test_a_volunteers_token_reads_no_units_data(client, tree, work):
    person = UserFactory(username="volunteer_person")
    key = api_auth.issue(user=person, kind=ApiToken.Kind.VOLUNTEER, name="微信小程序")[1]
    before = AuditEntry.objects.count()
    for url in (EVENTS, VOLUNTEERS, RETURNS):
        answer = get(client, url, key)
        assert answer.status_code == 401 and answer.json()["code"] == "unauthorized"
    assert AuditEntry.objects.count() == before


def volunteer_only_reads():
    """The API's GETs (without path parameters) that only a volunteer's token may use."""
    api = get_api()
    found = []
    for prefix, router in api._routers:
        for path, view in router.path_operations.items():
            for operation in view.operations:
                callbacks = operation.auth_callbacks or router.auth or api.auth
                callbacks = list(callbacks) if isinstance(callbacks, list | tuple) else [callbacks]
                if "GET" in operation.methods and "{" not in path and callbacks == [api_auth.volunteer_auth]:
                    found.append(f"/api/v1/{prefix.strip('/')}/{path.lstrip('/')}".replace("//", "/"))
    return found


def test_a_unit_token_is_no_volunteers_token(client, tree):
    key = unit_token(tree.staff_a)
    request = RequestFactory().get("/api/v1/")
    assert api_auth.volunteer_auth.authenticate(request, key) is None
    assert api_auth.unit_auth.authenticate(request, key) is not None
    for url in volunteer_only_reads():
        answer = get(client, url, key)
        assert answer.status_code == 401, url


def test_a_token_whose_holder_left_the_staff_reads_nothing(client, tree, work):
    key = unit_token(tree.staff_a)
    tree.staff_a.is_staff = False
    tree.staff_a.save(update_fields=["is_staff"])
    answer = get(client, EVENTS, key)
    assert answer.status_code == 403 and answer.json()["code"] == "not_staff"
    assert "不是工作人员" in answer.json()["message"]


def test_a_holder_without_the_right_to_view_returns_is_refused_in_chinese(client, tree):
    staff = UserFactory(username="no_rights", is_staff=True)
    answer = get(client, RETURNS, unit_token(staff))
    assert answer.status_code == 403 and answer.json() == {"code": "forbidden", "message": "令牌持有人没有查看这类数据的权限。"}


def test_a_revoked_or_expired_unit_token_reads_nothing(client, tree, work):
    token, key = api_auth.issue(user=tree.staff_a, kind=ApiToken.Kind.UNIT, name="旧令牌")
    api_auth.revoke(token_id=token.pk, actor=tree.staff_a)
    assert get(client, EVENTS, key).status_code == 401
    token, key = api_auth.issue(user=tree.staff_a, kind=ApiToken.Kind.UNIT, name="过期令牌")
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert get(client, VOLUNTEERS, key).status_code == 401


def test_no_two_schemas_of_the_api_share_a_name():
    """The OpenAPI components are named after the schema classes: two ``Outcome`` classes in
    two apps' routers would publish one of them for both, and answers would break it."""
    import importlib
    import inspect

    from ninja import Schema

    from association import extensions

    modules = {"association.api.public", "association.api.tokens",
               *(entry.router.rpartition(".")[0] for entry in extensions.api_routers())}
    seen: dict[str, str] = {}
    clashes = []
    for name in sorted(modules):
        module = importlib.import_module(name)
        for cls_name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, Schema) and cls.__module__ == name:
                if cls_name in seen:
                    clashes.append(f"{cls_name}: {seen[cls_name]} and {name}")
                seen.setdefault(cls_name, name)
    assert not clashes, clashes
