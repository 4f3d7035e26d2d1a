"""Unit accounts and the scoping rule in the core: the directory, news, accounts, the checks."""

from datetime import datetime, timedelta

import pytest
from django.apps.registry import Apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import checks
from django.db import models
from django.utils import timezone

from association import scoping
from association.checks import owner_errors
from association.models import Article, AuditEntry, Organization, UnitMembership
from tests.association.factories import ArticleFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Hualong-2026-kexie"


def test_a_model_added_without_an_owner_fails_the_checks():
    registry = Apps()  # a model made here, as a later change would add one, outside the real registry

    class Bulletin(models.Model):  # noqa: DJ008
        title = models.CharField(max_length=20)

        class Meta:
            apps = registry
            app_label = "association"

    class Notice(models.Model):  # noqa: DJ008
        unit_owner = "title"  # not a unit
        title = models.CharField(max_length=20)

        class Meta:
            apps = registry
            app_label = "association"

    errors = owner_errors([Bulletin, Notice])
    assert [e.id for e in errors] == ["association.E100", "association.E101"]
    assert "Bulletin 没有声明所属单位" in errors[0].msg


def test_every_model_and_admin_of_the_portal_passes_the_checks():
    found = [e for e in checks.run_checks() if e.id.startswith("association.E10")]
    assert found == []


def test_the_subtree_follows_the_tree_as_it_changes(tree):
    assert scoping.subtree_ids(tree.county_a.pk) == {tree.county_a.pk, tree.township_a.pk}
    village = Organization.objects.create(name="岳村镇农技协", kind=Organization.Kind.RURAL_TECHNICAL_ASSOCIATION,
                                          parent=tree.township_a)
    assert village.pk in scoping.subtree_ids(tree.county_a.pk)
    assert village.pk not in scoping.subtree_ids(tree.county_b.pk)
    assert scoping.subtree_ids(tree.city.pk) >= {tree.county_a.pk, tree.county_b.pk, tree.society.pk, village.pk}


def test_a_county_sees_its_own_and_its_townships_units_in_the_directory_and_never_another_county(client, tree):
    client.force_login(tree.staff_a)
    page = client.get("/admin/association/organization/")
    assert page.status_code == 200
    names = [str(o) for o in page.context["cl"].result_list]
    assert sorted(names) == ["华龙区科协", "岳村镇科协"]
    assert client.get(f"/admin/association/organization/{tree.county_b.pk}/change/").status_code == 404
    assert client.get(f"/admin/association/organization/{tree.city.pk}/change/").status_code == 404
    # The autocomplete of units (the parent of an event, a team, a demand…) offers the same.
    found = client.get("/admin/autocomplete/", {"app_label": "association", "model_name": "organization",
                                                 "field_name": "parent", "term": "科协"}).json()
    assert {r["text"] for r in found["results"]} <= {"华龙区科协", "岳村镇科协"}


def test_a_county_cannot_move_itself_out_from_under_the_city(client, tree):
    client.force_login(tree.staff_a)
    page = client.get(f"/admin/association/organization/{tree.county_a.pk}/change/")
    assert page.status_code == 200
    assert 'name="parent"' not in page.content.decode()
    assert 'name="kind"' not in page.content.decode()


def test_a_county_publishes_its_own_news_and_sees_no_one_elses(client, tree):
    city_news = ArticleFactory(title="市科协召开全委会", unit=tree.city)
    other = ArticleFactory(title="濮阳县科协开展科普日活动", unit=tree.county_b)
    client.force_login(tree.staff_a)
    response = client.post("/admin/association/article/add/", {
        "title": "华龙区科协走进社区", "category": Article.Category.GRASSROOTS, "summary": "", "body": "<p>科普进社区。</p>",
        "source": "华龙区科协", "author": "", "published_at_0": "", "published_at_1": "", "cover_caption": "",
        "attachments-TOTAL_FORMS": "0", "attachments-INITIAL_FORMS": "0",
    })
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    mine = Article.objects.get(title="华龙区科协走进社区")
    assert mine.unit == tree.county_a
    listed = [a.title for a in client.get("/admin/association/article/").context["cl"].result_list]
    assert listed == ["华龙区科协走进社区"]
    for article in (city_news, other):
        assert client.get(f"/admin/association/article/{article.pk}/change/").status_code == 404


def test_the_city_office_makes_a_county_account_and_the_county_admin_makes_one_for_its_own_unit_only(client, tree):
    from django.contrib.auth.models import Group

    from association.roles import OFFICE, UNIT_ADMIN, UNIT_STAFF
    from tests.association.factories import StaffFactory

    office = StaffFactory(username="office_clerk")
    office.groups.add(Group.objects.get(name=OFFICE))
    client.force_login(office)
    response = client.post("/admin/association/unitmembership/add/", {
        "organization": tree.county_b.pk, "role": "admin", "username": "puyang_admin", "full_name": "王芳",
        "email": "", "password1": PASSWORD, "password2": PASSWORD,
    })
    assert response.status_code == 302
    made = get_user_model().objects.get(username="puyang_admin")
    assert made.is_staff and made.groups.filter(name=UNIT_ADMIN).exists()
    assert made.unit_membership.organization == tree.county_b
    assert AuditEntry.objects.filter(action=AuditEntry.Action.CREATE, detail__contains="puyang_admin").exists()

    # County A's 管理员: its own unit, yes; above it, beside it or below it, no.
    client.force_login(tree.admin_a)
    for unit in (tree.city, tree.county_b, tree.township_a):
        page = client.post("/admin/association/unitmembership/add/", {
            "organization": unit.pk, "role": "staff", "username": "sneaky", "full_name": "李明",
            "email": "", "password1": PASSWORD, "password2": PASSWORD,
        })
        assert page.status_code == 200
        assert page.context["adminform"].form.errors["organization"]
        assert 'value="李明"' in page.content.decode()  # what was typed stays
    assert not get_user_model().objects.filter(username="sneaky").exists()
    response = client.post("/admin/association/unitmembership/add/", {
        "organization": tree.county_a.pk, "role": "staff", "username": "hualong02", "full_name": "李明",
        "email": "", "password1": PASSWORD, "password2": PASSWORD,
    })
    assert response.status_code == 302
    assert get_user_model().objects.get(username="hualong02").groups.filter(name=UNIT_STAFF).exists()
    listed = {m.user.username for m in client.get("/admin/association/unitmembership/").context["cl"].result_list}
    assert listed == {"hualong_staff", "hualong_admin", "hualong02"}
    other = UnitMembership.objects.get(user__username="puyang_admin")
    assert client.get(f"/admin/association/unitmembership/{other.pk}/change/").status_code == 404

    # A unit's 工作人员 keeps no accounts at all.
    client.force_login(tree.staff_a)
    assert client.get("/admin/association/unitmembership/add/").status_code == 403


def test_a_unit_admin_cannot_switch_off_an_account_of_another_unit_by_a_forged_action(client, tree):
    client.force_login(tree.admin_a)
    other = tree.staff_b.unit_membership
    client.post("/admin/association/unitmembership/", {
        "action": "switch_off", "_selected_action": [other.pk, tree.staff_a.unit_membership.pk],
    })
    tree.staff_b.refresh_from_db()
    tree.staff_a.refresh_from_db()
    assert tree.staff_b.is_active
    assert not tree.staff_a.is_active


def test_a_unit_staff_member_sees_none_of_the_citys_own_records(client, tree):
    client.force_login(tree.staff_a)
    assert scoping.scope(AuditEntry.objects.all(), tree.staff_a).count() == 0
    assert client.get("/admin/association/auditentry/").status_code == 403


def _events_of(tree):
    from tests.events.factories import PastEventFactory

    year = timezone.localdate().year
    start = timezone.make_aware(datetime(year, 3, 5, 9, 0))
    PastEventFactory(title="华龙区科普日", organiser=tree.county_a, start=start, end=start + timedelta(hours=2))
    PastEventFactory(title="岳村镇农技培训", organiser=tree.township_a, start=start, end=start + timedelta(hours=2))
    PastEventFactory(title="濮阳县科技周", organiser=tree.county_b, start=start, end=start + timedelta(hours=2))
    return year


def test_a_county_dashboard_counts_its_own_work_with_the_units_below_broken_out(client, pass_two_step, tree):
    year = _events_of(tree)
    client.force_login(tree.staff_a)
    page = client.get("/dashboard/", {"year": year})
    assert page.status_code == 200
    html = page.content.decode()
    assert "华龙区科协 · " in html
    held = next(f for f in page.context["figures"] if f["label"] == "举办活动")
    assert held["value"] == 2  # its own and its township's; not county B's
    rows = {row[0]: row[1] for row in page.context["overview"].rows}
    assert rows == {"本级": "1", "岳村镇科协": "1"}
    assert "濮阳县科协" not in html
    directory = next(s for s in page.context["sections"] if s.key == "organizations")
    assert all("濮阳县" not in str(row) for chart in directory.charts for row in chart.rows)


def test_the_city_leaders_see_each_county_broken_out(client, pass_two_step, tree):
    from association.roles import LEADERS
    from tests.association.factories import StaffFactory

    year = _events_of(tree)
    leader = StaffFactory(username="city_leader")
    leader.groups.add(Group.objects.get(name=LEADERS))
    client.force_login(leader)
    page = client.get("/dashboard/", {"year": year})
    rows = {row[0]: row[1] for row in page.context["overview"].rows}
    assert rows["华龙区科协"] == "2" and rows["濮阳县科协"] == "1"


def test_a_unit_report_covers_its_subtree_and_another_units_report_is_out_of_reach(client, pass_two_step, tree):
    from association.reports import services

    mine, _created = services.request_report(report="annual", year=2025, user=tree.staff_a, enqueue=False)
    theirs, _created = services.request_report(report="annual", year=2025, user=tree.staff_b, enqueue=False)
    city, _created = services.request_report(report="annual", year=2025, enqueue=False)
    assert mine.unit == tree.county_a and "华龙区科协" in mine.title
    assert mine.params.unit_id == tree.county_a.pk
    assert len({mine.pk, theirs.pk, city.pk}) == 3  # one job per unit, not one shared
    client.force_login(tree.staff_a)
    assert client.get(f"/dashboard/reports/{mine.pk}/status/").status_code == 200
    assert client.get(f"/dashboard/reports/{theirs.pk}/status/").status_code == 404
    assert client.get(f"/dashboard/reports/{city.pk}/pdf/").status_code == 404
    listed = [job.pk for job in client.get("/dashboard/").context["jobs"]]
    assert listed == [mine.pk]


def test_a_county_adds_a_unit_below_itself_and_nowhere_else(client, tree):
    client.force_login(tree.staff_a)
    form = client.get("/admin/association/organization/add/")
    assert form.context["adminform"].form.initial["parent"] == tree.county_a.pk
    kinds = dict(form.context["adminform"].form.fields["kind"].choices)
    assert Organization.Kind.DEPARTMENT not in kinds and Organization.Kind.RURAL_TECHNICAL_ASSOCIATION in kinds
    data = {"name": "华龙区孟轲乡科协", "short_name": "", "kind": Organization.Kind.TOWNSHIP_ASSOCIATION,
            "county": tree.county_a_area.pk, "address": "", "contact_person": "", "phone": "", "founded": "",
            "description": "", "order": "0", "is_active": "on"}
    for elsewhere in (tree.county_b.pk, tree.city.pk, ""):
        page = client.post("/admin/association/organization/add/", {**data, "parent": elsewhere})
        assert page.status_code == 200 and page.context["adminform"].form.errors["parent"]
    assert not Organization.objects.filter(name="华龙区孟轲乡科协").exists()
    assert client.post("/admin/association/organization/add/", {**data, "parent": tree.county_a.pk}).status_code == 302
    added = Organization.objects.get(name="华龙区孟轲乡科协")
    assert added.pk in scoping.subtree_ids(tree.county_a.pk)
    listed = [str(o) for o in client.get("/admin/association/organization/").context["cl"].result_list]
    assert "华龙区孟轲乡科协" in listed
