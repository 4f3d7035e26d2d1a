"""The staff workbench on the admin index: what waits for each person, in their unit, among
what they may act on; and where leaders land after logging in."""

import pytest
from django.contrib.auth.models import Group

from association import roles
from tests.association.factories import StaffFactory
from tests.volunteers.factories import RecordFactory, VolunteerFactory

pytestmark = pytest.mark.django_db

VOLUNTEERS = "待审核的志愿者"
HOURS = "待确认的服务时长"


def _workbench(client, user):
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 200
    return {item["label"]: item for item in response.context["workbench"]}, response.content.decode()


def _pending_volunteers(tree):
    for unit, n in ((tree.county_a, 2), (tree.township_a, 1), (tree.county_b, 1)):
        for _ in range(n):
            VolunteerFactory(unit=unit, status="pending")
    VolunteerFactory(unit=tree.county_a, status="approved")


def test_each_unit_sees_what_waits_in_its_own_subtree(client, tree):
    _pending_volunteers(tree)
    RecordFactory(volunteer=VolunteerFactory(unit=tree.county_b), status="pending")

    items, html = _workbench(client, tree.staff_a)
    assert items[VOLUNTEERS]["count"] == 3  # its own two and the township's one
    assert items[VOLUNTEERS]["url"] == "/admin/volunteers/volunteer/?status__exact=pending"
    assert items[HOURS]["count"] == 0
    assert '<a href="/admin/volunteers/volunteer/?status__exact=pending">待审核的志愿者</a>' in html
    assert "<strong>3</strong> 项" in html

    client.logout()
    items, _html = _workbench(client, tree.staff_b)
    assert items[VOLUNTEERS]["count"] == 1
    assert items[HOURS]["count"] == 1

    client.logout()
    popsci = StaffFactory(username="popsci_clerk")
    popsci.groups.add(Group.objects.get(name=roles.POPSCI))
    items, _html = _workbench(client, popsci)
    assert items[VOLUNTEERS]["count"] == 4  # the city's department: every unit


def test_items_follow_permissions(client, tree):
    _pending_volunteers(tree)
    office = StaffFactory(username="office_clerk")
    office.groups.add(Group.objects.get(name=roles.OFFICE))
    items, html = _workbench(client, office)
    assert VOLUNTEERS not in items
    assert "待审核的志愿者" not in html


def test_each_item_is_one_query_and_kept_for_a_while(client, tree, django_assert_max_num_queries):
    from association import extensions, workbench

    _pending_volunteers(tree)
    user = tree.staff_a
    allowed = [item for item in extensions.workbench_items() if user.has_perm(item.permission)]
    assert len(allowed) >= 5
    # One COUNT each, plus the unit membership and the subtree (cached) the scope needs.
    with django_assert_max_num_queries(len(allowed) + 3):
        first = workbench.items_for(user)
    VolunteerFactory(unit=tree.county_a, status="pending")
    with django_assert_max_num_queries(0):
        assert workbench.items_for(user) == first


def test_leaders_land_on_the_dashboard_and_other_staff_in_the_admin(client):
    leader = StaffFactory(username="leader1")
    leader.groups.add(Group.objects.get(name=roles.LEADERS))
    StaffFactory(username="office2")
    data = {"password": "Passw0rd!23"}
    assert client.post("/accounts/login/", {**data, "username": "leader1"}, REMOTE_ADDR="10.3.1.2")["Location"] == "/dashboard/"
    client.logout()
    assert client.post("/accounts/login/", {**data, "username": "office2"}, REMOTE_ADDR="10.3.1.3")["Location"] == "/admin/"


def test_returns_to_accept_are_those_submitted_below_not_the_units_own(client, tree):
    from returns.models import StatisticsReturn

    for unit in (tree.county_a, tree.township_a, tree.county_b):
        StatisticsReturn.objects.create(organization=unit, year=2025, status=StatisticsReturn.Status.SUBMITTED)
    label = "下级报送待审核的统计年报"
    items, _html = _workbench(client, tree.staff_a)
    assert items[label]["count"] == 1  # the township's; its own goes to the city
    client.logout()
    office = StaffFactory(username="office_returns")
    office.groups.add(Group.objects.get(name=roles.OFFICE))
    items, _html = _workbench(client, office)
    assert items[label]["count"] == 3
