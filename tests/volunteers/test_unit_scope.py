"""A unit's staff and the volunteers' work: county A (华龙区科协) reviews, keeps and reports on
its own volunteers, teams, orders, hours and certificates, and reaches none of county B's
(濮阳县科协) however the address, the action's ids or the filter are forged."""

import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from association.reporting import ReportParams
from tests.association.factories import StaffFactory
from volunteers.idcard import synthetic_identity
from volunteers.models import HoursCertificate, Membership, ServiceOrder, ServiceProject, ServiceRecord, Volunteer
from volunteers.reports import volunteers_section
from volunteers.services import certificates, registration, units

from .factories import (
    MembershipFactory,
    OrderFactory,
    ProjectFactory,
    RecordFactory,
    TeamFactory,
    VolunteerFactory,
    VolunteerWithUserFactory,
)
from .test_roster import row, workbook

pytestmark = pytest.mark.django_db
ADMIN = "/admin/volunteers/"


class World:
    """County A with a team, a township with its own team, county B with a team; volunteers,
    memberships, projects, orders, hours and certificates on each side, and an order nobody
    has dispatched yet."""

    def __init__(self, tree):
        self.tree = tree
        self.team_a = TeamFactory(name="华龙区社区科普服务队", organization=tree.county_a)
        self.team_town = TeamFactory(name="岳村镇农技服务队", organization=tree.township_a)
        self.team_b = TeamFactory(name="濮阳县农技服务队", organization=tree.county_b)
        area_a, area_b = tree.county_a_area, tree.county_b_area
        self.pending_a = VolunteerFactory(name="华龙待审", status="pending", unit=tree.county_a, county=area_a)
        self.pending_b = VolunteerFactory(name="濮阳待审", status="pending", unit=tree.county_b, county=area_b)
        self.vol_a = VolunteerWithUserFactory(name="华龙队员", unit=tree.county_a, county=area_a)
        self.vol_town = VolunteerFactory(name="岳村队员", unit=tree.township_a, county=area_a)
        self.vol_b = VolunteerWithUserFactory(name="濮阳队员", unit=tree.county_b, county=area_b)
        self.member_a = MembershipFactory(volunteer=self.vol_a, team=self.team_a)
        self.member_town = MembershipFactory(volunteer=self.vol_town, team=self.team_town)
        self.member_b = MembershipFactory(volunteer=self.vol_b, team=self.team_b)
        self.project_a = ProjectFactory(title="社区健康讲座", team=self.team_a)
        self.project_b = ProjectFactory(title="蔬菜大棚技术指导", team=self.team_b)
        self.order_a = OrderFactory(project=self.project_a, team=self.team_a, status="dispatched", orderer_name="华龙社区")
        self.order_b = OrderFactory(project=self.project_b, team=self.team_b, status="dispatched", orderer_name="濮阳村委")
        self.order_new = OrderFactory(project=self.project_a, team=None, status="submitted", orderer_name="未派单小学")
        self.record_a = RecordFactory(volunteer=self.vol_a, team=self.team_a, status="pending", title="华龙宣讲")
        self.record_b = RecordFactory(volunteer=self.vol_b, team=self.team_b, status="pending", title="濮阳宣讲")
        self.cert_a = self._certificate(self.vol_a)
        self.cert_b = self._certificate(self.vol_b)

    @staticmethod
    def _certificate(volunteer):
        RecordFactory(volunteer=volunteer, hours=Decimal("3"), title="已确认的服务")
        certificate = certificates.request_certificate(volunteer_id=volunteer.pk)
        return certificates.build(certificate.pk)  # what the worker does, run here


@pytest.fixture
def world(tree):
    return World(tree)


def listed(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, url
    return {str(obj) for obj in response.context["cl"].result_list}


def export_names(response) -> set[str]:
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    return {r[0] for r in rows[1:]}


# -- the journey ---------------------------------------------------------------------------


def test_county_a_approves_its_own_pending_volunteer_cannot_approve_county_bs_and_exports_only_its_own(client, world):
    tree = world.tree
    client.force_login(tree.staff_a)
    page = client.get(f"{ADMIN}volunteer/", {"status__exact": "pending"})
    assert {str(v) for v in page.context["cl"].result_list} == {"华龙待审"}

    response = client.post(f"{ADMIN}volunteer/", {"action": "approve_selected", "_selected_action": [world.pending_a.pk]},
                           follow=True)
    assert "已审核通过 1 名志愿者" in response.content.decode()
    world.pending_a.refresh_from_db()
    assert world.pending_a.status == Volunteer.Status.APPROVED and world.pending_a.reviewed_by == tree.staff_a

    # The same action with county B's volunteer's id forged into the POST: nothing happens to it.
    client.post(f"{ADMIN}volunteer/", {"action": "approve_selected", "_selected_action": [world.pending_b.pk]})
    world.pending_b.refresh_from_db()
    assert world.pending_b.status == Volunteer.Status.PENDING and world.pending_b.reviewed_by is None

    # The export of everything it may see, and of a selection with B's ids slipped in: its own only.
    every = [v.pk for v in Volunteer.objects.all()]
    response = client.post(f"{ADMIN}volunteer/", {"action": "export_selected", "_selected_action": every})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert export_names(response) == {"华龙待审", "华龙队员", "岳村队员"}
    content = " ".join(str(c) for r in load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
                       for c in r)
    assert world.vol_a.id_number not in content and world.vol_a.masked_id_number in content


# -- guessed addresses ---------------------------------------------------------------------


def test_county_bs_records_answer_404_at_their_addresses_and_county_as_open(client, world):
    client.force_login(world.tree.staff_a)
    theirs = [("volunteer", world.pending_b), ("volunteer", world.vol_b), ("serviceteam", world.team_b),
              ("membership", world.member_b), ("serviceproject", world.project_b), ("serviceorder", world.order_b),
              ("serviceorder", world.order_new), ("servicerecord", world.record_b), ("hourscertificate", world.cert_b)]
    for model, obj in theirs:
        assert client.get(f"{ADMIN}{model}/{obj.pk}/change/").status_code == 404, model
        assert client.get(f"{ADMIN}{model}/{obj.pk}/history/").status_code == 404, model
    ours = [("volunteer", world.vol_a), ("volunteer", world.vol_town), ("serviceteam", world.team_a),
            ("serviceteam", world.team_town), ("membership", world.member_a), ("serviceproject", world.project_a),
            ("serviceorder", world.order_a), ("servicerecord", world.record_a), ("hourscertificate", world.cert_a)]
    for model, obj in ours:
        assert client.get(f"{ADMIN}{model}/{obj.pk}/change/").status_code == 200, model


def test_a_unit_never_deletes_volunteers_nor_sees_full_id_numbers(client, world):
    client.force_login(world.tree.staff_a)
    assert client.get(f"{ADMIN}volunteer/{world.vol_a.pk}/delete/").status_code == 403
    html = client.get(f"{ADMIN}volunteer/{world.vol_a.pk}/change/").content.decode()
    assert world.vol_a.id_number not in html and world.vol_a.mobile not in html
    assert world.vol_a.masked_id_number in html
    assert client.get(f"{ADMIN}volunteer/{world.vol_a.pk}/personal/").status_code == 403


def test_the_full_id_number_right_given_to_a_units_staff_member_reaches_their_own_volunteers_only(client, world):
    staff = world.tree.staff_a
    staff.user_permissions.add(Permission.objects.get(codename="view_personal_data", content_type__app_label="volunteers"))
    client.force_login(staff)
    assert world.vol_a.id_number in client.get(f"{ADMIN}volunteer/{world.vol_a.pk}/personal/").content.decode()
    assert client.get(f"{ADMIN}volunteer/{world.vol_b.pk}/personal/").status_code == 404


def test_looking_up_county_bs_volunteer_by_id_number_finds_nobody(client, world):
    client.force_login(world.tree.staff_a)
    response = client.post(f"{ADMIN}volunteer/lookup/", {"number": world.vol_b.id_number})
    assert response.status_code == 200 and "没有找到" in response.content.decode()
    response = client.post(f"{ADMIN}volunteer/lookup/", {"number": world.vol_b.mobile})
    assert response.status_code == 200 and "没有找到" in response.content.decode()
    response = client.post(f"{ADMIN}volunteer/lookup/", {"number": world.vol_town.id_number})
    assert response.status_code == 302 and response["Location"].endswith(f"/{world.vol_town.pk}/change/")


def test_certificates_of_county_bs_volunteers_are_not_downloaded_by_county_a(client, world):
    client.force_login(world.tree.staff_a)
    assert client.get(reverse("me:certificate_download", args=[world.cert_b.pk])).status_code == 404
    response = client.get(reverse("me:certificate_download", args=[world.cert_a.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert listed(client, f"{ADMIN}hourscertificate/") == {str(world.cert_a)}


# -- lists, filters and autocompletes ------------------------------------------------------


def test_county_a_lists_its_own_and_its_townships_work_and_none_of_county_bs(client, world):
    client.force_login(world.tree.staff_a)
    assert listed(client, f"{ADMIN}volunteer/") == {"华龙待审", "华龙队员", "岳村队员"}
    assert listed(client, f"{ADMIN}serviceteam/") == {"华龙区社区科普服务队", "岳村镇农技服务队"}
    assert listed(client, f"{ADMIN}membership/") == {str(world.member_a), str(world.member_town)}
    assert listed(client, f"{ADMIN}serviceproject/") == {"社区健康讲座"}
    # The order nobody has dispatched yet is the city's, though its project is A's.
    assert listed(client, f"{ADMIN}serviceorder/") == {str(world.order_a)}
    assert listed(client, f"{ADMIN}servicerecord/") == {str(world.record_a), *(str(r) for r in world.vol_a.records.all())}


def test_filtering_by_county_bs_team_lists_nothing(client, world):
    client.force_login(world.tree.staff_a)
    team = world.team_b.pk
    assert listed(client, f"{ADMIN}volunteer/", team=team) == set()
    for model in ("membership", "serviceproject", "serviceorder", "servicerecord"):
        assert listed(client, f"{ADMIN}{model}/", team__id__exact=team) == set(), model
    # And the filters offer A's teams only.
    html = client.get(f"{ADMIN}volunteer/").content.decode()
    assert "华龙区社区科普服务队" in html and "濮阳县农技服务队" not in html
    html = client.get(f"{ADMIN}serviceorder/").content.decode()
    assert "濮阳县农技服务队" not in html


def autocomplete(client, model, field, term=""):
    response = client.get("/admin/autocomplete/", {"app_label": "volunteers", "model_name": model, "field_name": field,
                                                   "term": term})
    assert response.status_code == 200, (model, field)
    return {r["text"] for r in response.json()["results"]}


def test_autocompletes_offer_none_of_county_bs_records(client, world):
    client.force_login(world.tree.staff_a)
    assert autocomplete(client, "servicerecord", "volunteer") == {"华龙待审", "华龙队员", "岳村队员"}
    assert autocomplete(client, "serviceorder", "team") == {"华龙区社区科普服务队", "岳村镇农技服务队"}
    assert autocomplete(client, "servicerecord", "order") == {str(world.order_a)}
    assert autocomplete(client, "serviceorder", "project") == {"社区健康讲座"}
    assert autocomplete(client, "volunteer", "unit", "科协") == {"华龙区科协", "岳村镇科协"}


# -- actions and forms with forged ids -----------------------------------------------------


def test_order_actions_with_county_bs_order_forged_in_leave_it_as_it_was(client, world):
    client.force_login(world.tree.staff_a)
    url = f"{ADMIN}serviceorder/"
    for action in ("accept_selected", "cancel_selected"):
        client.post(url, {"action": action, "_selected_action": [world.order_b.pk, world.order_new.pk]})
    client.post(url, {"action": "dispatch_selected", "_selected_action": [world.order_b.pk, world.order_new.pk],
                      "apply": "1", "team": world.team_a.pk})
    world.order_b.refresh_from_db()
    world.order_new.refresh_from_db()
    assert (world.order_b.status, world.order_b.team) == ("dispatched", world.team_b)
    assert (world.order_new.status, world.order_new.team) == ("submitted", None)


def test_dispatching_offers_only_the_units_own_teams(client, world):
    client.force_login(world.tree.staff_a)
    url = f"{ADMIN}serviceorder/"
    response = client.post(url, {"action": "dispatch_selected", "_selected_action": [world.order_a.pk], "apply": "1",
                                 "team": world.team_b.pk})
    assert response.status_code == 200 and response.context["form"].errors["team"]
    world.order_a.refresh_from_db()
    assert world.order_a.team == world.team_a
    response = client.post(url, {"action": "dispatch_selected", "_selected_action": [world.order_a.pk], "apply": "1",
                                 "team": world.team_town.pk}, follow=True)
    assert "已派单 1 张点单" in response.content.decode()
    world.order_a.refresh_from_db()
    assert world.order_a.team == world.team_town


def test_county_a_accepts_and_completes_an_order_dispatched_to_its_team(client, world):
    client.force_login(world.tree.staff_a)
    url = f"{ADMIN}serviceorder/"
    response = client.post(url, {"action": "accept_selected", "_selected_action": [world.order_a.pk]}, follow=True)
    assert "已接单 1 张点单" in response.content.decode()
    response = client.post(url, {"action": "complete_selected", "_selected_action": [world.order_a.pk]}, follow=True)
    assert "已标记完成 1 张点单" in response.content.decode()
    world.order_a.refresh_from_db()
    assert world.order_a.status == ServiceOrder.Status.DONE


def test_project_actions_with_county_bs_project_forged_in_leave_it_published(client, world):
    client.force_login(world.tree.staff_a)
    client.post(f"{ADMIN}serviceproject/", {"action": "close_selected",
                                            "_selected_action": [world.project_a.pk, world.project_b.pk]})
    world.project_a.refresh_from_db()
    world.project_b.refresh_from_db()
    assert world.project_a.status == ServiceProject.Status.CLOSED
    assert world.project_b.status == ServiceProject.Status.PUBLISHED


def test_confirming_hours_with_county_bs_record_forged_in_confirms_only_its_own(client, world):
    client.force_login(world.tree.staff_a)
    response = client.post(f"{ADMIN}servicerecord/", {"action": "confirm_selected",
                                                      "_selected_action": [world.record_a.pk, world.record_b.pk]},
                           follow=True)
    assert "已确认 1 条服务记录" in response.content.decode()
    world.record_a.refresh_from_db()
    world.record_b.refresh_from_db()
    assert (world.record_a.status, world.record_b.status) == ("confirmed", "pending")


def test_recording_hours_offers_only_the_units_own_volunteers_teams_and_orders(client, world):
    client.force_login(world.tree.staff_a)
    url = f"{ADMIN}servicerecord/record/"
    before = ServiceRecord.objects.count()
    for forged in ({"volunteers": [world.vol_b.pk]}, {"volunteers": [world.vol_a.pk], "team": world.team_b.pk},
                   {"volunteers": [world.vol_a.pk], "order": world.order_b.pk}):
        response = client.post(url, {"date": "2024-09-15", "hours": "2", "title": "科普日", **forged})
        assert response.status_code == 200 and response.context["form"].errors, forged
    assert ServiceRecord.objects.count() == before
    response = client.post(url, {"volunteers": [world.vol_a.pk, world.vol_town.pk], "team": world.team_a.pk,
                                 "date": "2024-09-15", "hours": "2", "title": "科普日", "confirm": "on"}, follow=True)
    assert "已登记 2 条服务记录" in response.content.decode()
    assert ServiceRecord.objects.filter(title="科普日", status="confirmed").count() == 2


def test_a_volunteer_is_put_only_in_the_units_own_teams(client, world):
    client.force_login(world.tree.staff_a)
    url = f"{ADMIN}membership/add/"
    response = client.post(url, {"volunteer": world.vol_a.pk, "team": world.team_b.pk, "role": "member"})
    assert response.status_code == 200 and response.context["adminform"].form.errors["team"]
    response = client.post(url, {"volunteer": world.vol_b.pk, "team": world.team_a.pk, "role": "member"})
    assert response.status_code == 200 and response.context["adminform"].form.errors["volunteer"]
    assert not Membership.objects.filter(team=world.team_b, volunteer=world.vol_a).exists()
    assert not Membership.objects.filter(team=world.team_a, volunteer=world.vol_b).exists()
    response = client.post(url, {"volunteer": world.vol_town.pk, "team": world.team_a.pk, "role": "member"})
    assert response.status_code == 302
    assert Membership.objects.filter(team=world.team_a, volunteer=world.vol_town).exists()


def volunteer_form(volunteer, **changes):
    data = {"name": volunteer.name, "gender": volunteer.gender, "birth_date": volunteer.birth_date.isoformat(),
            "email": volunteer.email, "political_status": volunteer.political_status, "education": volunteer.education,
            "title": volunteer.title, "title_level": volunteer.title_level, "field": volunteer.field, "employer": "",
            "county": volunteer.county_id, "skills": "", "unit": volunteer.unit_id or "", "rejection_reason": "",
            "memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0"}
    data.update(changes)
    return data


def test_the_volunteer_form_offers_only_the_units_own_teams_and_units(client, world):
    client.force_login(world.tree.staff_a)
    url = f"{ADMIN}volunteer/{world.vol_a.pk}/change/"
    for forged in ({"wished_teams": [world.team_b.pk]}, {"unit": world.tree.county_b.pk},
                   {"memberships-TOTAL_FORMS": "1", "memberships-0-team": world.team_b.pk,
                    "memberships-0-role": "member"}):
        response = client.post(url, volunteer_form(world.vol_a, **forged))
        assert response.status_code == 200, forged
    world.vol_a.refresh_from_db()
    assert world.vol_a.unit == world.tree.county_a and not world.vol_a.wished_teams.exists()
    assert not world.vol_a.memberships.filter(team=world.team_b).exists()
    # Moving a volunteer to the township below is the county's to do.
    response = client.post(url, volunteer_form(world.vol_a, unit=world.tree.township_a.pk))
    assert response.status_code == 302
    world.vol_a.refresh_from_db()
    assert world.vol_a.unit == world.tree.township_a


def test_a_wish_for_another_units_team_stays_when_the_unit_edits_the_volunteer(client, world):
    world.vol_a.wished_teams.set([world.team_a, world.team_b])
    client.force_login(world.tree.staff_a)
    response = client.post(f"{ADMIN}volunteer/{world.vol_a.pk}/change/",
                           volunteer_form(world.vol_a, wished_teams=[world.team_a.pk], skills="讲解"))
    assert response.status_code == 302
    assert set(world.vol_a.wished_teams.all()) == {world.team_a, world.team_b}


# -- the roster in Excel -------------------------------------------------------------------


def test_county_a_imports_volunteers_it_then_manages_and_is_refused_county_bs_team(client, world):
    client.force_login(world.tree.staff_a)
    url = f"{ADMIN}volunteer/import/"
    assert "未填服务队的由<strong>华龙区科协</strong>管理" in client.get(url).content.decode()
    rows = [row(810_001, **{"服务队": "濮阳县农技服务队", "所在县（区）": "华龙区"}), row(810_002, **{"服务队": "", "所在县（区）": "华龙区"})]
    response = client.post(url, {"file": SimpleUploadedFile("roster.xlsx", workbook(rows).read())})
    html = response.content.decode()
    assert response.status_code == 200 and "第 2 行" in html and "不属于本单位" in html
    assert not Volunteer.objects.filter(name__startswith="花名册").exists()

    rows = [row(810_003, **{"服务队": "岳村镇农技服务队", "所在县（区）": "华龙区"}),
            row(810_004, **{"服务队": "", "所在县（区）": "濮阳县"}), row(810_005, **{"服务队": "", "所在县（区）": "华龙区"})]
    response = client.post(url, {"file": SimpleUploadedFile("roster.xlsx", workbook(rows).read())})
    assert response.status_code == 302
    units_by_name = dict(Volunteer.objects.filter(name__startswith="花名册").values_list("name", "unit__name"))
    # The team's unit (A's township), else the importing unit, even for a volunteer living in county B.
    assert units_by_name == {"花名册810003": "岳村镇科协", "花名册810004": "华龙区科协", "花名册810005": "华龙区科协"}
    assert listed(client, f"{ADMIN}volunteer/") >= set(units_by_name)


# -- the managing unit ---------------------------------------------------------------------


def registration_data(tree, serial, county):
    id_number = synthetic_identity(serial)[0]
    return {"name": f"注册{serial}", "id_number": id_number, "mobile": f"199{serial:08d}", "email": f"r{serial}@example.org",
            "political_status": "masses", "education": "bachelor", "title": "", "title_level": None, "field": "农业",
            "employer": "", "county": county, "skills": ""}


def test_self_registration_is_managed_by_the_wished_teams_unit_else_the_countys_else_the_city(world):
    tree = world.tree
    citywide = TeamFactory(name="市级队伍", organization=None)
    by_team = registration.register_volunteer(data=registration_data(tree, 820_001, tree.county_b_area),
                                              password="Kexie-2025-abc", wished_teams=[citywide, world.team_a])
    by_county = registration.register_volunteer(data=registration_data(tree, 820_002, tree.county_b_area),
                                                password="Kexie-2025-abc")
    from tests.association.factories import CountyFactory

    nowhere = registration.register_volunteer(data=registration_data(tree, 820_003, CountyFactory(name="台前县")),
                                              password="Kexie-2025-abc")
    assert (by_team.unit, by_county.unit, nowhere.unit) == (tree.county_a, tree.county_b, tree.city)
    assert by_team.status == Volunteer.Status.PENDING


def test_the_rule_keeps_a_units_registrations_within_its_own_work(world):
    tree = world.tree
    assert units.managing_unit_id(teams=[world.team_b], county_id=tree.county_b_area.pk) == tree.county_b.pk
    assert units.managing_unit_id(teams=[world.team_town], registered_by=tree.staff_a) == tree.township_a.pk
    assert units.managing_unit_id(county_id=tree.county_b_area.pk, registered_by=tree.staff_a) == tree.county_a.pk
    assert units.managing_unit_id(county_id=tree.county_a_area.pk, registered_by=tree.society_staff) == tree.society.pk


def test_a_volunteer_entered_by_county_a_is_its_own_and_one_entered_by_the_city_follows_the_rule(client, world):
    tree = world.tree
    client.force_login(tree.staff_a)
    base = {"name": "后台录入", "gender": "M", "birth_date": "1980-01-01", "email": "", "political_status": "masses",
            "education": "bachelor", "title": "", "title_level": "", "field": "农业", "employer": "",
            "county": tree.county_b_area.pk, "skills": "", "rejection_reason": "", "status": "pending",
            "memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0"}
    response = client.post(f"{ADMIN}volunteer/add/", {**base, "unit": ""})
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Volunteer.objects.get(name="后台录入").unit == tree.county_a

    popsci = StaffFactory(username="popsci-clerk")
    popsci.groups.add(Group.objects.get(name="科学技术普及部"))
    client.force_login(popsci)
    response = client.post(f"{ADMIN}volunteer/add/", {**base, "name": "市里录入", "unit": "",
                                                     "wished_teams": [world.team_town.pk]})
    assert response.status_code == 302
    assert Volunteer.objects.get(name="市里录入").unit == tree.township_a
    response = client.post(f"{ADMIN}volunteer/add/", {
        **base, "name": "市里入队", "unit": "", "memberships-TOTAL_FORMS": "1", "memberships-0-team": world.team_b.pk,
        "memberships-0-role": "member", "county": tree.county_a_area.pk})
    assert response.status_code == 302
    assert Volunteer.objects.get(name="市里入队").unit == tree.county_b


# -- reports and the city ------------------------------------------------------------------


def test_county_as_report_counts_its_own_volunteers_hours_and_orders(world):
    tree = world.tree
    tables = {t.title: t for t in volunteers_section(ReportParams(unit_id=tree.county_a.pk))}
    figures = dict(tables["志愿者注册与审核"].rows)
    assert figures["在册志愿者（已通过）"] == 2 and figures["待审核"] == 1
    teams = {r[0] for r in tables["服务时长（按队伍）"].rows}
    assert "濮阳县农技服务队" not in teams
    orders = dict(tables["点单（按状态）"].rows)
    assert orders["已派单"] == 1 and orders["待派单"] == 0
    city = {t.title: t for t in volunteers_section(ReportParams())}
    assert dict(city["点单（按状态）"].rows)["待派单"] == 1
    assert dict(city["志愿者注册与审核"].rows)["待审核"] == 2


def test_the_citys_popsci_department_still_sees_every_units_work(client, world):
    popsci = StaffFactory(username="popsci-clerk")
    popsci.groups.add(Group.objects.get(name="科学技术普及部"))
    client.force_login(popsci)
    assert listed(client, f"{ADMIN}volunteer/") == {"华龙待审", "濮阳待审", "华龙队员", "岳村队员", "濮阳队员"}
    assert listed(client, f"{ADMIN}serviceorder/") == {str(world.order_a), str(world.order_b), str(world.order_new)}
    assert client.get(f"{ADMIN}volunteer/{world.vol_b.pk}/change/").status_code == 200
    assert client.get(reverse("me:certificate_download", args=[world.cert_b.pk])).status_code == 200
    assert len(autocomplete(client, "serviceorder", "team")) == 3
    assert HoursCertificate.objects.count() == 2


def test_a_unit_keeps_its_team_under_the_citys_corps_and_a_record_served_with_a_city_team(client, world):
    tree = world.tree
    corps = TeamFactory(name="市志愿服务团", kind="corps", organization=tree.city)
    chem = TeamFactory(name="化工新材料服务队", parent=corps, organization=tree.society)
    client.force_login(tree.society_staff)
    url = f"{ADMIN}serviceteam/{chem.pk}/change/"
    assert "市志愿服务团" in client.get(url).content.decode()  # shown, not offered
    response = client.post(url, {"name": chem.name, "kind": "team", "organization": tree.society.pk, "field": "化工",
                                 "description": "分为6个工作组。", "founded": "", "is_active": "on", "order": "1"})
    assert response.status_code == 302, response.context["adminform"].form.errors
    chem.refresh_from_db()
    assert (chem.parent, chem.description) == (corps, "分为6个工作组。")

    served = RecordFactory(volunteer=world.vol_a, team=corps, status="pending", title="市里组织的服务")
    client.force_login(tree.staff_a)
    response = client.post(f"{ADMIN}servicerecord/{served.pk}/change/", {
        "volunteer": world.vol_a.pk, "date": "2024-03-05", "hours": "2.5", "title": "市里组织的服务", "status": "pending"})
    assert response.status_code == 302, response.context["adminform"].form.errors
    served.refresh_from_db()
    assert (served.team, served.hours) == (corps, Decimal("2.5"))


def test_a_volunteer_county_a_enters_for_its_townships_team_is_the_townships(client, world):
    tree = world.tree
    client.force_login(tree.staff_a)
    assert client.get(f"{ADMIN}volunteer/add/").context["adminform"].form["unit"].value() in (None, "")
    response = client.post(f"{ADMIN}volunteer/add/", {
        "name": "镇里队员", "gender": "F", "birth_date": "1985-05-01", "email": "", "political_status": "masses",
        "education": "bachelor", "title": "", "title_level": "", "field": "农业", "employer": "",
        "county": tree.county_a_area.pk, "skills": "", "rejection_reason": "", "status": "pending", "unit": "",
        "wished_teams": [world.team_town.pk], "memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0"})
    assert response.status_code == 302
    assert Volunteer.objects.get(name="镇里队员").unit == tree.township_a
