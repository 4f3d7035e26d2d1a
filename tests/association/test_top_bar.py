"""The top bar of every public page: where a logged-in member of staff can go from there."""

import pytest
from django.contrib.auth.models import Group

from association import roles
from tests.association.factories import StaffFactory

pytestmark = pytest.mark.django_db


def _top_bar(client) -> str:
    html = client.get("/news/").content.decode()
    return html[html.index('class="topbar'):html.index("</header>")]


def test_leader_finds_the_dashboard_and_the_admin_in_the_top_bar(client):
    leader = StaffFactory()
    leader.groups.add(Group.objects.get(name=roles.LEADERS))
    client.force_login(leader)
    bar = _top_bar(client)
    assert 'href="/dashboard/"' in bar and "工作数据看板" in bar
    assert 'href="/admin/"' in bar


def test_staff_without_the_dashboard_permission_get_no_dashboard_link(client):
    staff = StaffFactory()
    staff.groups.add(Group.objects.get(name=roles.POPSCI))
    client.force_login(staff)
    bar = _top_bar(client)
    assert 'href="/admin/"' in bar
    assert "/dashboard/" not in bar


def test_staff_who_do_not_volunteer_are_not_sent_to_the_volunteer_page(client):
    client.force_login(StaffFactory())
    assert "/accounts/me/" not in _top_bar(client)


def test_every_page_names_the_emblem_as_its_icon(client):
    assert 'rel="icon" href="/static/img/emblem.svg"' in client.get("/").content.decode()


def test_admin_pages_name_the_emblem_as_their_icon(admin_client):
    assert 'rel="icon" href="/static/img/emblem.svg"' in admin_client.get("/admin/association/article/").content.decode()


def test_browsers_asking_for_favicon_ico_get_the_emblem(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == "/static/img/emblem.svg"
