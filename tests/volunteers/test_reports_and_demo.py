import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from association import extensions
from association.reporting import ReportParams, sections
from volunteers.models import Membership, ServiceOrder, ServiceProject, ServiceRecord, ServiceTeam, Volunteer
from volunteers.reports import volunteers_section

from .factories import OrderFactory, RecordFactory, TeamFactory, VolunteerFactory

pytestmark = pytest.mark.django_db


def aware(y, m, d):
    return timezone.make_aware(datetime(y, m, d, 10))


def test_report_section_is_registered():
    assert "volunteers" in [s.key for s in sections()]


def test_report_figures_equal_independent_counts():
    chem, bio = TeamFactory(name="化工新材料服务队"), TeamFactory(name="生物基材料服务队")
    registered_2024 = VolunteerFactory.create_batch(3, status=Volunteer.Status.PENDING)
    approved = VolunteerFactory.create_batch(2)
    Volunteer.objects.filter(pk__in=[v.pk for v in registered_2024 + approved]).update(created=aware(2024, 3, 1))
    Volunteer.objects.filter(pk__in=[v.pk for v in approved]).update(reviewed_at=aware(2024, 3, 3))
    old = VolunteerFactory()
    Volunteer.objects.filter(pk=old.pk).update(created=aware(2022, 1, 1), reviewed_at=aware(2022, 1, 2))
    for v, team, month, hours in [(approved[0], chem, 1, "2.5"), (approved[0], chem, 1, "3"), (approved[1], bio, 5, "4"),
                                  (old, bio, 5, "1")]:
        RecordFactory(volunteer=v, team=team, date=date(2024, month, 10), hours=Decimal(hours))
    RecordFactory(volunteer=old, team=bio, date=date(2024, 5, 11), status=ServiceRecord.Status.PENDING)
    RecordFactory(volunteer=old, team=bio, date=date(2023, 5, 11))
    for status, rating in [("rated", 5), ("rated", 4), ("rated", 5), ("done", None), ("submitted", None)]:
        o = OrderFactory(status=status, rating=rating)
        ServiceOrder.objects.filter(pk=o.pk).update(submitted_at=aware(2024, 4, 1))

    tables = {t.title: t for t in volunteers_section(ReportParams(year=2024))}
    reg = dict(tables["志愿者注册与审核"].rows)
    assert reg["本期新注册"] == Volunteer.objects.filter(created__year=2024).count() == 5
    assert reg["本期审核通过"] == Volunteer.objects.filter(reviewed_at__year=2024, status="approved").count() == 2
    assert reg["在册志愿者（已通过）"] == Volunteer.objects.filter(status="approved").count()

    by_team = {r[0]: r for r in tables["服务时长（按队伍）"].rows}
    confirmed_2024 = ServiceRecord.objects.filter(status="confirmed", date__year=2024)
    for team in (chem, bio):
        qs = confirmed_2024.filter(team=team)
        assert by_team[team.name][3] == float(sum(r.hours for r in qs))
        assert by_team[team.name][1] == qs.values("volunteer").distinct().count()
    assert by_team["化工新材料服务队"][3] == 5.5 and by_team["生物基材料服务队"][3] == 5.0

    by_month = {r[0]: r[2] for r in tables["服务时长（按月）"].rows}
    assert by_month == {"2024年1月": 5.5, "2024年5月": 5.0}

    by_status = dict(tables["点单（按状态）"].rows)
    for value, label in ServiceOrder.Status.choices:
        assert by_status[str(label)] == ServiceOrder.objects.filter(status=value, submitted_at__year=2024).count()
    ratings = dict(tables["点单评价"].rows)
    assert (ratings["5 星"], ratings["4 星"]) == (2, 1)
    assert tables["点单评价"].note == "平均评分 4.67 星"


def test_headline_figures_count_approved_volunteers_hours_this_year_and_done_orders():
    VolunteerFactory.create_batch(2)
    VolunteerFactory(status="pending")
    RecordFactory(date=timezone.localdate(), hours=Decimal("3"))
    RecordFactory(date=date(2020, 1, 1), hours=Decimal("9"))
    OrderFactory(status="done")
    OrderFactory(status="rated", rating=5)
    OrderFactory(status="accepted")
    (entry,) = [e for e in extensions.headline_figures() if e.name.startswith("volunteers.")]
    figures = {label: value for label, value, _unit in entry.func()}
    assert figures["注册科技志愿者"] == Volunteer.objects.filter(status="approved").count() == 4
    assert figures[f"{timezone.localdate().year}年志愿服务时长"] == "3"
    assert figures["完成点单服务"] == 2


def test_home_page_shows_the_volunteer_block(client):
    from .factories import ProjectFactory

    ProjectFactory(title="科普大篷车进校园")
    html = client.get("/").content.decode()
    assert "科技志愿服务" in html and "科普大篷车进校园" in html and "志愿者实名注册" in html


def test_load_demo_builds_the_corps_from_the_source_documents_and_is_idempotent():
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    counts = (Volunteer.objects.count(), ServiceTeam.objects.count(), Membership.objects.count(), ServiceOrder.objects.count(),
              ServiceRecord.objects.count())
    call_command("load_demo", stdout=out)
    assert counts == (Volunteer.objects.count(), ServiceTeam.objects.count(), Membership.objects.count(),
                      ServiceOrder.objects.count(), ServiceRecord.objects.count())

    corps = ServiceTeam.objects.get(name="濮阳市党外专家“科创中国”志愿服务团")
    assert corps.founded == date(2020, 12, 28)
    assert corps.memberships.get(role="corps_leader").volunteer.name == "何建中"
    assert [t.name for t in corps.children.order_by("order")] == ["化工新材料服务队", "生物基材料服务队", "乡村振兴服务队"]
    chem = corps.children.get(name="化工新材料服务队")
    assert chem.memberships.get(role="team_leader").volunteer.name == "孟庆臻"
    assert chem.children.count() == 6
    assert set(ServiceTeam.objects.get(name="乡村振兴服务队").children.values_list("name", flat=True)) == {
        "农林组", "畜牧组", "食品组", "其他组"}
    members = Volunteer.objects.filter(memberships__team__in=[corps, *corps.children.all(),
                                                              *ServiceTeam.objects.filter(parent__parent=corps)]).distinct()
    assert members.count() == 71
    by_party = dict(members.values_list("political_status").annotate(n=Count("id")).order_by())
    assert by_party == {"rcck": 12, "cdl": 13, "cndca": 7, "capd": 17, "cpwdp": 4, "jiusan": 10, "non_party": 3,
                        "new_stratum": 5}
    assert ServiceTeam.objects.get(name="濮阳市新时代文明实践科普志愿服务队").children.count() == 17
    assert ServiceProject.objects.published().count() == 7
    assert ServiceOrder.objects.filter(status__in=["done", "rated"]).count() == 10
    assert all(v.id_number.startswith("419900") for v in Volunteer.objects.all())
    # This year's work shows in the year's figures: new sign-ups waiting for review, hours served.
    this_year = timezone.localdate().year
    # 3 for 科普部, 4 wishing to join 华龙区科协's and 化工学会's teams, 1 each entered by two units.
    assert Volunteer.objects.filter(status="pending", created__year=this_year).count() == 9
    assert ServiceRecord.objects.filter(status="confirmed", date__year=this_year).exists()
    # Names fit the gender their ID numbers give (no 刘刚 who is 女).
    from volunteers.demo import GIVEN, NAMED_GENDERS

    assert {v.name: v.gender for v in Volunteer.objects.filter(name__in=NAMED_GENDERS)} == NAMED_GENDERS
    assert all(v.name[-1] in GIVEN[v.gender] for v in Volunteer.objects.exclude(name__in=NAMED_GENDERS))


def test_load_demo_gives_each_demo_unit_its_own_volunteers_teams_and_orders_to_work_on(client, monkeypatch):
    from django.contrib.auth import get_user_model

    from association import scoping

    monkeypatch.setenv("DEMO_ADMIN_PASSWORD", "Demo-2026-kexie")
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    call_command("ensure_demo_admin", stdout=out)
    # Every volunteer has a managing unit; the corps of the city stays the city's.
    assert not Volunteer.objects.filter(unit__isnull=True).exists()
    assert not ServiceTeam.objects.filter(organization__isnull=True).exists()
    assert Volunteer.objects.get(name="何建中").unit.name == "濮阳市科学技术协会"
    assert ServiceTeam.objects.get(name="化工新材料服务队").organization.name == "濮阳市化工学会"
    assert Volunteer.objects.get(name="孟庆臻").unit.name == "濮阳市化工学会"
    for unit in ("华龙区科协", "濮阳市化工学会", "河南源博新材料有限公司科协", "濮阳县蔬菜种植农技协"):
        mine = Volunteer.objects.filter(unit__name=unit)
        assert mine.filter(status="approved").exists() and mine.filter(status="pending").exists(), unit
    for unit in ("华龙区科协", "濮阳市化工学会"):
        assert ServiceOrder.objects.filter(team__organization__name=unit, status="dispatched").exists(), unit

    # The demo account of 华龙区科协 sees its own volunteers waiting and approves one.
    hualong = get_user_model().objects.get(username="hualong")
    client.force_login(hualong)
    page = client.get("/admin/volunteers/volunteer/", {"status__exact": "pending"})
    waiting = list(page.context["cl"].result_list)
    reach = scoping.subtree_ids(hualong.unit_membership.organization_id)
    assert waiting and all(v.unit_id in reach for v in waiting)
    client.post("/admin/volunteers/volunteer/", {"action": "approve_selected", "_selected_action": [waiting[0].pk]})
    waiting[0].refresh_from_db()
    assert waiting[0].status == "approved"
    orders = client.get("/admin/volunteers/serviceorder/").context["cl"].result_list
    assert {o.team.name for o in orders} == {"华龙区社区科普服务队"}
