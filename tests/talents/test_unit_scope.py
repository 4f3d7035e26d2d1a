"""Talents by unit: a unit nominates within its 推荐名额, follows its own nominations, collects
its own demands; another unit's records are not there for it, and the city sees them all."""

import datetime
import threading

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import close_old_connections, connection

from association.reporting import ReportParams
from association.states import DomainError
from talents.models import Match, Nomination, NominationMaterial, NominationQuota, Objection, Review, TechDemand
from talents.reports import awards_section, demands_section, talents_section
from talents.services import awards as award_services
from talents.services import demands as demand_services
from tests.association.factories import StaffFactory
from tests.volunteers.factories import TeamFactory

from .factories import (
    DemandFactory,
    FieldFactory,
    NominationFactory,
    ReviewerFactory,
    RoundFactory,
    TalentFactory,
    pdf_upload,
)

pytestmark = pytest.mark.django_db

QUOTA_USED_UP = "名额已用完，不能再推荐"


@pytest.fixture
def academic():
    user = StaffFactory(username="academic_staff")
    user.groups.add(Group.objects.get(name="学会学术部"))
    return user


def _material(nomination, name="推荐表.pdf"):
    return NominationMaterial.objects.create(
        nomination=nomination, kind=NominationMaterial.Kind.RECOMMENDATION, original_name=name,
        content_type="application/pdf", size=4, file=ContentFile(b"%PDF", name="recommendation.pdf"),
    )


def _listed(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return {str(obj) for obj in response.context["cl"].result_list}


def _nomination_post(**overrides):
    data = {
        "contact_person": "王联系",
        "contact_phone": "13838383838",
        "nominee_name": "刘化工",
        "nominee_gender": "M",
        "nominee_birth_date": "1980-05-01",
        "nominee_title": "高级工程师",
        "nominee_title_level": "2",
        "nominee_employer": "濮阳市化工研究所",
        "nominee_field": FieldFactory().pk,
        "summary": "长期从事化工新材料研发，成果转化效益显著。",
        "recommendation": pdf_upload(),
    }
    data.update(overrides)
    return data


# -- nominations -----------------------------------------------------------------------------


def test_a_county_lists_its_own_and_its_townships_nominations_and_never_another_countys(client, tree):
    award_round = RoundFactory()
    NominationFactory(round=award_round, nominating_unit=tree.county_a, nominee_name="甲县推荐")
    NominationFactory(round=award_round, nominating_unit=tree.township_a, nominee_name="岳村镇推荐")
    other = NominationFactory(round=award_round, nominating_unit=tree.county_b, nominee_name="乙县推荐")
    client.force_login(tree.staff_a)
    names = {n.split("（")[0] for n in _listed(client, "/admin/talents/nomination/")}
    assert names == {"甲县推荐", "岳村镇推荐"}
    assert client.get(f"/admin/talents/nomination/{other.pk}/change/").status_code == 404
    assert client.get(f"/admin/talents/nomination/{other.pk}/history/").status_code == 404


def test_a_county_follows_the_status_of_its_nomination_but_sees_no_review_of_it(client, tree):
    mine = NominationFactory(nominating_unit=tree.county_a, status=Nomination.Status.IN_REVIEW,
                             eligibility_note="经系统核验，符合推荐条件。")
    Review.objects.create(nomination=mine, reviewer=ReviewerFactory(last_name="评审甲"), score=88, comment="同意推荐，业绩突出。")
    client.force_login(tree.staff_a)
    listing = client.get("/admin/talents/nomination/").content.decode()
    assert "评审中" in listing
    assert "已评 / 分配" not in listing
    page = client.get(f"/admin/talents/nomination/{mine.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "评审中" in html and "经系统核验，符合推荐条件。" in html
    assert "评审甲" not in html and "同意推荐，业绩突出。" not in html
    # Reviews and the ranking are the city's and the reviewers' business.
    assert client.get("/admin/talents/review/").status_code == 403
    assert client.get(f"/admin/talents/awardround/{mine.round_id}/ranking/").status_code == 403


def test_a_county_filtering_by_a_round_of_another_countys_nomination_finds_nothing(client, tree):
    theirs = RoundFactory()
    NominationFactory(round=theirs, nominating_unit=tree.county_b)
    NominationFactory(nominating_unit=tree.county_a)
    client.force_login(tree.staff_a)
    assert _listed(client, "/admin/talents/nomination/", round=theirs.pk) == set()


def test_a_countys_forged_action_on_another_countys_nomination_changes_nothing(client, tree):
    theirs = NominationFactory(nominating_unit=tree.county_b)
    client.force_login(tree.staff_a)
    client.post("/admin/talents/nomination/", {"action": "check_eligibility", "_selected_action": [theirs.pk]})
    theirs.refresh_from_db()
    assert theirs.status == Nomination.Status.SUBMITTED


def test_nomination_materials_are_downloaded_by_their_own_unit_only(client, tree):
    mine = _material(NominationFactory(nominating_unit=tree.township_a), "岳村镇推荐表.pdf")
    theirs = _material(NominationFactory(nominating_unit=tree.county_b), "濮阳县推荐表.pdf")
    client.force_login(tree.staff_a)
    assert client.get(f"/talents/materials/{theirs.pk}/").status_code == 404
    own = client.get(f"/talents/materials/{mine.pk}/")
    assert own.status_code == 200
    assert "attachment" in own["Content-Disposition"]


def test_objections_are_none_of_a_units_business(client, tree):
    nomination = NominationFactory(nominating_unit=tree.county_a, status=Nomination.Status.PUBLICISED)
    objection = Objection.objects.create(round=nomination.round, nomination=nomination, name="举报人", contact="13800000000",
                                         reason="所报业绩与事实不符，请核查。")
    client.force_login(tree.staff_a)
    assert client.get("/admin/talents/objection/").status_code == 403
    assert client.get(f"/admin/talents/objection/{objection.pk}/change/").status_code in (403, 404)


def test_the_award_rounds_and_their_quotas_are_the_citys(client, tree):
    award_round = RoundFactory()
    NominationQuota.objects.create(round=award_round, unit=tree.county_b, quota=3)
    client.force_login(tree.staff_a)
    assert client.get(f"/admin/talents/awardround/{award_round.pk}/change/").status_code == 403


# -- the quota ---------------------------------------------------------------------------------


def _submit(round_id, unit_id, name, **extra):
    return award_services.submit_nomination(
        round_id=round_id, nominating_unit_id=unit_id, nominee_name=name, nominee_birth_date=datetime.date(1980, 1, 1),
        nominee_employer="濮阳市化工研究所", summary="业绩突出。", contact_person="李", contact_phone="13800000000",
        recommendation=pdf_upload(), **extra,
    )


def test_a_unit_nominates_up_to_its_quota_and_an_ineligible_nomination_gives_its_place_back(tree):
    award_round = RoundFactory()
    NominationQuota.objects.create(round=award_round, unit=tree.society, quota=1)
    first = _submit(award_round.pk, tree.society.pk, "第一位")
    with pytest.raises(award_services.QuotaExceeded, match=QUOTA_USED_UP):
        _submit(award_round.pk, tree.society.pk, "第二位")
    assert award_round.nominations.count() == 1
    assert not NominationMaterial.objects.exclude(nomination=first).exists()  # nothing half-saved
    award_services.reject_as_ineligible(nomination_id=first.pk, reason="推荐表未盖章。")
    assert _submit(award_round.pk, tree.society.pk, "第二位").nominee_name == "第二位"


def test_a_round_with_quotas_takes_no_nomination_from_a_unit_not_given_one_and_a_round_without_has_no_limit(tree):
    limited = RoundFactory()
    NominationQuota.objects.create(round=limited, unit=tree.society, quota=2)
    with pytest.raises(award_services.QuotaExceeded, match="没有分配到名额"):
        _submit(limited.pk, tree.county_b.pk, "未分配")
    open_round = RoundFactory()
    for i in range(3):
        _submit(open_round.pk, tree.county_b.pk, f"不限{i}")
    assert open_round.nominations.count() == 3


@pytest.mark.django_db(transaction=True)
def test_two_submissions_racing_for_the_last_place_one_gets_it(tree):
    award_round = RoundFactory()
    NominationQuota.objects.create(round=award_round, unit=tree.society, quota=2)
    _submit(award_round.pk, tree.society.pk, "已推荐")
    start = threading.Barrier(2)
    results = []

    def race(name):
        try:
            start.wait()
            results.append(_submit(award_round.pk, tree.society.pk, name).nominee_name)
        except DomainError as error:
            results.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=race, args=(name,)) for name in ("甲", "乙")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    close_old_connections()
    won = [r for r in results if isinstance(r, str)]
    lost = [r for r in results if isinstance(r, DomainError)]
    assert len(won) == 1 and len(lost) == 1
    assert QUOTA_USED_UP in lost[0].message
    assert Nomination.objects.filter(round=award_round, nominating_unit=tree.society).count() == 2


def test_a_round_with_unit_quotas_takes_no_nomination_from_the_public_form(client, tree):
    """A stranger choosing a unit on the public form could use up its places: such a round
    sends visitors to the units' accounts, and a forged post is refused with nothing saved."""
    award_round = RoundFactory()
    NominationQuota.objects.create(round=award_round, unit=tree.society, quota=1)
    page = client.get(f"/talents/awards/{award_round.pk}/nominate/", follow=True)
    assert "按单位分配推荐名额" in page.content.decode()
    assert "推荐单位登录推荐" in client.get(f"/talents/awards/{award_round.pk}/").content.decode()
    response = client.post(f"/talents/awards/{award_round.pk}/nominate/",
                           _nomination_post(nominating_unit=tree.society.pk, nominee_name="公开表推荐"))
    assert response.status_code == 302
    assert award_round.nominations.count() == 0
    with pytest.raises(DomainError, match="不接受公开填报"):
        _submit(award_round.pk, tree.society.pk, "公开表推荐", public=True)
    assert award_round.nominations.count() == 0


# -- the journey: a 学会 nominates through its own account --------------------------------------


def test_a_society_nominates_within_its_quota_follows_the_status_and_another_county_cannot_see_it(client, tree):
    award_round = RoundFactory()
    NominationQuota.objects.create(round=award_round, unit=tree.society, quota=1)
    client.force_login(tree.society_staff)
    listing = client.get("/admin/talents/nomination/").content.decode()
    assert "本单位推荐" in listing
    index = client.get("/admin/talents/nomination/nominate/").content.decode()
    assert "名额 1 名，已推荐 0 名，剩余 1 名" in index
    page = client.get(f"/admin/talents/nomination/nominate/{award_round.pk}/").content.decode()
    assert 'name="nominating_unit"' not in page  # the unit is the account's own

    done = client.post(f"/admin/talents/nomination/nominate/{award_round.pk}/", _nomination_post(), follow=True)
    nomination = Nomination.objects.get()
    assert nomination.nominating_unit == tree.society
    assert nomination.submitted_by == tree.society_staff
    assert nomination.reference_no in done.content.decode()
    assert "已提交" in done.content.decode()

    again = client.post(f"/admin/talents/nomination/nominate/{award_round.pk}/", _nomination_post(nominee_name="第二位"))
    html = again.content.decode()
    assert again.status_code == 200
    assert "濮阳市化工学会在第" in html and QUOTA_USED_UP in html
    assert 'value="第二位"' in html  # everything typed is kept
    assert Nomination.objects.count() == 1

    award_services.check_eligibility(nomination_id=nomination.pk)
    status = client.get(f"/admin/talents/nomination/{nomination.pk}/change/").content.decode()
    assert "资格审查通过" in status

    client.force_login(tree.staff_b)
    assert _listed(client, "/admin/talents/nomination/") == set()
    assert client.get(f"/admin/talents/nomination/{nomination.pk}/change/").status_code == 404
    material = nomination.materials.get()
    assert client.get(f"/talents/materials/{material.pk}/").status_code == 404


def test_the_citys_staff_type_in_a_paper_nomination_for_a_unit_within_its_quota(client, tree, academic):
    award_round = RoundFactory()
    NominationQuota.objects.create(round=award_round, unit=tree.county_b, quota=1)
    client.force_login(academic)
    page = client.get(f"/admin/talents/nomination/nominate/{award_round.pk}/").content.decode()
    assert 'name="nominating_unit"' in page
    client.post(f"/admin/talents/nomination/nominate/{award_round.pk}/", _nomination_post(nominating_unit=tree.county_b.pk))
    again = client.post(f"/admin/talents/nomination/nominate/{award_round.pk}/",
                        _nomination_post(nominating_unit=tree.county_b.pk, nominee_name="第二位")).content.decode()
    assert QUOTA_USED_UP in again
    assert list(award_round.nominations.values_list("nominating_unit", flat=True)) == [tree.county_b.pk]


def test_the_city_sets_the_quotas_on_the_round(client, tree, academic):
    award_round = RoundFactory()
    client.force_login(academic)
    page = client.get(f"/admin/talents/awardround/{award_round.pk}/change/").content.decode()
    assert "推荐名额" in page and 'name="unit_quotas-TOTAL_FORMS"' in page


# -- demands and their 对接 ------------------------------------------------------------------------


def test_a_public_demand_is_collected_by_the_countys_association_or_else_the_city(tree):
    kwargs = {"kind": "technology", "industry": "new_materials", "title": "聚乳酸增韧", "description": "x" * 30,
              "budget": None, "enterprise_name": "某企业", "contact_person": "张", "contact_phone": "13700000000"}
    in_county = demand_services.post_demand(county_id=tree.county_a_area.pk, **kwargs)
    nowhere = demand_services.post_demand(county_id=None, **kwargs)
    assert in_county.collected_by == tree.county_a
    assert nowhere.collected_by == tree.city


def test_a_county_lists_changes_and_adds_its_own_demands_only(client, tree):
    DemandFactory(title="甲县需求", collected_by=tree.county_a)
    DemandFactory(title="岳村镇需求", collected_by=tree.township_a)
    theirs = DemandFactory(title="乙县需求", collected_by=tree.county_b)
    client.force_login(tree.staff_a)
    assert _listed(client, "/admin/talents/techdemand/") == {"甲县需求", "岳村镇需求"}
    assert client.get(f"/admin/talents/techdemand/{theirs.pk}/change/").status_code == 404
    assert client.get(f"/admin/talents/techdemand/{theirs.pk}/match/").status_code == 404

    response = client.post("/admin/talents/techdemand/add/", {
        "kind": "technology", "title": "秸秆综合利用", "industry": "agriculture", "description": "企业需要秸秆综合利用技术。",
        "enterprise_name": "华龙区某农业公司", "contact_person": "赵", "contact_phone": "13700001111",
        "review_note": "", "collected_by": "",
        "matches-TOTAL_FORMS": "0", "matches-INITIAL_FORMS": "0",
    })
    assert response.status_code == 302
    added = TechDemand.objects.get(title="秸秆综合利用")
    assert added.collected_by == tree.county_a
    assert added.contact_phone == "13700001111"
    # Its own demand is workable: changed, the phone kept (shown masked), still the county's.
    page = client.get(f"/admin/talents/techdemand/{added.pk}/change/").content.decode()
    assert "137****1111" in page and "13700001111" not in page
    response = client.post(f"/admin/talents/techdemand/{added.pk}/change/", {
        "kind": "technology", "title": "秸秆综合利用（饲料化）", "industry": "agriculture",
        "description": "企业需要秸秆饲料化利用技术。", "enterprise_name": "华龙区某农业公司", "contact_person": "赵",
        "review_note": "", "collected_by": tree.township_a.pk,
        "matches-TOTAL_FORMS": "0", "matches-INITIAL_FORMS": "0",
    })
    assert response.status_code == 302
    added.refresh_from_db()
    assert (added.title, added.contact_phone, added.collected_by) == ("秸秆综合利用（饲料化）", "13700001111", tree.township_a)
    # Handing it to another county is not among the choices.
    response = client.post(f"/admin/talents/techdemand/{added.pk}/change/", {
        "kind": "technology", "title": "秸秆综合利用（饲料化）", "industry": "agriculture",
        "description": "企业需要秸秆饲料化利用技术。", "enterprise_name": "华龙区某农业公司", "contact_person": "赵",
        "review_note": "", "collected_by": tree.county_b.pk,
        "matches-TOTAL_FORMS": "0", "matches-INITIAL_FORMS": "0",
    })
    assert response.status_code == 200
    added.refresh_from_db()
    assert added.collected_by == tree.township_a


def test_a_countys_forged_actions_on_another_countys_demand_and_match_change_nothing(client, tree):
    theirs = DemandFactory(collected_by=tree.county_b)
    mine = DemandFactory(collected_by=tree.county_a)
    published = DemandFactory(collected_by=tree.county_b, status=TechDemand.Status.MATCHED)
    match = Match.objects.create(demand=published, team=TeamFactory(organization=tree.county_b))
    client.force_login(tree.staff_a)
    client.post("/admin/talents/techdemand/", {"action": "approve", "_selected_action": [theirs.pk, mine.pk]})
    theirs.refresh_from_db()
    mine.refresh_from_db()
    assert theirs.status == TechDemand.Status.COLLECTED
    assert mine.status == TechDemand.Status.CHECKED
    client.post("/admin/talents/match/", {"action": "record_outcome", "_selected_action": [match.pk], "apply": "1",
                                          "outcome": "succeeded", "note": "伪造"})
    match.refresh_from_db()
    assert match.outcome == Match.Outcome.PROPOSED
    assert client.get(f"/admin/talents/match/{match.pk}/change/").status_code == 404


def test_a_countys_match_page_offers_its_own_teams_and_no_expert(client, tree):
    bio = FieldFactory(name="生物基材料")
    demand = DemandFactory(collected_by=tree.county_a, status=TechDemand.Status.PUBLISHED)
    demand.fields.set([bio])
    expert = TalentFactory(name="吴敏", field=bio)
    own_team = TeamFactory(name="华龙区生物基材料服务队", field="生物基材料", organization=tree.county_a)
    other_team = TeamFactory(name="濮阳县生物基材料服务队", field="生物基材料", organization=tree.county_b)
    client.force_login(tree.staff_a)
    page = client.get(f"/admin/talents/techdemand/{demand.pk}/match/").content.decode()
    assert "华龙区生物基材料服务队" in page
    assert "濮阳县生物基材料服务队" not in page
    assert "吴敏" not in page and "推荐专家对接请与市科协学会学术部联系" in page
    client.post(f"/admin/talents/techdemand/{demand.pk}/match/",
                {"talents": [expert.pk], "other_talent": expert.pk, "teams": [other_team.pk]})
    assert not demand.matches.exists()
    client.post(f"/admin/talents/techdemand/{demand.pk}/match/", {"teams": [own_team.pk], "note": "赴企业调研"})
    assert list(demand.matches.values_list("team__name", flat=True)) == ["华龙区生物基材料服务队"]
    # The service refuses an expert from a unit's account however it is asked.
    with pytest.raises(DomainError, match="市科协学会学术部办理"):
        demand_services.match_demand(demand_id=demand.pk, talent_ids=[expert.pk], actor=tree.staff_a)


def test_the_autocomplete_of_collecting_units_offers_a_county_only_its_subtree(client, tree):
    client.force_login(tree.staff_a)
    found = client.get("/admin/autocomplete/", {"app_label": "talents", "model_name": "techdemand",
                                                 "field_name": "collected_by", "term": "科协"}).json()
    assert {r["text"] for r in found["results"]} == {"华龙区科协", "岳村镇科协"}


def test_the_expert_registry_is_not_a_units(client, tree):
    talent = TalentFactory()
    client.force_login(tree.staff_a)
    assert client.get("/admin/talents/talent/").status_code == 403
    assert client.get(f"/admin/talents/talent/{talent.pk}/change/").status_code in (403, 404)


# -- the city, and reports -------------------------------------------------------------------------


def test_the_citys_staff_still_see_every_units_nominations_and_demands(client, tree, academic):
    NominationFactory(nominating_unit=tree.county_a, nominee_name="甲县推荐")
    NominationFactory(nominating_unit=tree.county_b, nominee_name="乙县推荐")
    DemandFactory(title="甲县需求", collected_by=tree.county_a)
    DemandFactory(title="乙县需求", collected_by=tree.county_b)
    client.force_login(academic)
    assert {n.split("（")[0] for n in _listed(client, "/admin/talents/nomination/")} == {"甲县推荐", "乙县推荐"}
    assert _listed(client, "/admin/talents/techdemand/") == {"甲县需求", "乙县需求"}


def test_a_units_report_counts_its_own_nominations_and_demands_and_none_of_the_registry(tree):
    award_round = RoundFactory(year=2026)
    NominationFactory(round=award_round, nominating_unit=tree.county_a, status=Nomination.Status.AWARDED)
    NominationFactory(round=award_round, nominating_unit=tree.township_a)
    NominationFactory.create_batch(3, round=award_round, nominating_unit=tree.county_b)
    DemandFactory(collected_by=tree.county_a)
    DemandFactory.create_batch(2, collected_by=tree.county_b)
    TalentFactory.create_batch(2)
    mine = ReportParams(year=2026, unit_id=tree.county_a.pk)
    rounds, by_programme = awards_section(mine)
    assert rounds.rows[0][5] == 2 and rounds.rows[0][8] == 1
    assert by_programme.rows == [["优秀科技工作者", 1]]
    assert sum(row[1] for row in demands_section(ReportParams(unit_id=tree.county_a.pk))[0].rows) == 1
    assert talents_section(mine)[2].rows[-1][1] == 0
    assert awards_section(ReportParams(year=2026))[0].rows[0][5] == 5


# -- demo data -------------------------------------------------------------------------------------


def test_the_demo_units_have_quotas_a_nomination_each_and_demands_they_collect():
    import io

    from django.core.management import call_command

    from association.models import Organization

    call_command("load_demo", stdout=io.StringIO())
    quotas = NominationQuota.objects.count()
    call_command("load_demo", stdout=io.StringIO())
    assert NominationQuota.objects.count() == quotas
    units = {name: Organization.objects.get(name=name) for name in
             ["华龙区科协", "濮阳市化工学会", "河南源博新材料有限公司科协", "濮阳县蔬菜种植农技协"]}
    taking = Nomination.objects.filter(round__status="nominating").values_list("round", flat=True).first()
    for unit in units.values():
        standing = award_services.quota_standing(taking, unit.pk)
        assert standing is not None and standing["left"] >= 1
    for name in ["华龙区科协", "濮阳市化工学会"]:
        assert Nomination.objects.filter(round_id=taking, nominating_unit=units[name]).count() == 1
    for name in ["华龙区科协", "河南源博新材料有限公司科协"]:
        assert TechDemand.objects.filter(collected_by=units[name]).exists()
    assert not TechDemand.objects.filter(collected_by__isnull=True).exists()


def test_every_talents_admin_page_opens_for_a_countys_staff_without_a_server_error(client, tree):
    from django.contrib import admin
    from django.urls import reverse

    award_round = RoundFactory()
    nomination = NominationFactory(round=award_round, nominating_unit=tree.county_a, status=Nomination.Status.IN_REVIEW)
    _material(nomination)
    Review.objects.create(nomination=nomination, reviewer=ReviewerFactory(), score=80)
    demand = DemandFactory(collected_by=tree.county_a, status=TechDemand.Status.MATCHED)
    Match.objects.create(demand=demand, team=TeamFactory(organization=tree.county_a))
    TalentFactory()
    client.force_login(tree.staff_a)
    failures = []
    for model in [m for m in admin.site._registry if m._meta.app_label == "talents"]:
        name = f"admin:talents_{model._meta.model_name}"
        listing = client.get(reverse(f"{name}_changelist"))
        pages = [listing]
        if listing.status_code == 200:
            cl = listing.context["cl"]
            pages += [client.get(reverse(f"{name}_changelist") + choice["query_string"])
                      for spec in cl.filter_specs for choice in spec.choices(cl)]
        pages.append(client.get(reverse(f"{name}_add")))
        obj = model._default_manager.order_by("pk").first()
        if obj is not None:
            pages.append(client.get(reverse(f"{name}_change", args=[obj.pk])))
        failures += [f"{model.__name__}: {page.status_code}" for page in pages if page.status_code >= 500]
    pages = [client.get(f"/admin/talents/techdemand/{demand.pk}/match/"), client.get("/admin/talents/nomination/nominate/"),
             client.get(f"/admin/talents/nomination/nominate/{award_round.pk}/")]
    failures += [str(page.status_code) for page in pages if page.status_code != 200]
    assert failures == []
