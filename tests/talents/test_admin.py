import re

import pytest
from django.contrib.auth.models import Group

from talents.models import AwardRound, Match, Nomination, Review, TechDemand
from talents.services import awards as award_services
from tests.association.factories import StaffFactory

from .factories import (
    DemandFactory,
    FieldFactory,
    NominationFactory,
    ReviewerFactory,
    ReviewFactory,
    RoundFactory,
    TalentFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def academic(client):
    user = StaffFactory()
    user.groups.add(Group.objects.get(name="学会学术部"))
    client.force_login(user)
    return user


def test_staff_ranking_page_states_the_rule_and_orders_by_final_score(client, academic):
    award_round = RoundFactory(status=AwardRound.Status.REVIEWING)
    low = NominationFactory(round=award_round, status=Nomination.Status.IN_REVIEW, nominee_name="低分者")
    high = NominationFactory(round=award_round, status=Nomination.Status.IN_REVIEW, nominee_name="高分者")
    for nomination, score in ((low, 60), (high, 90)):
        Review.objects.create(nomination=nomination, reviewer=ReviewerFactory(), score=score)
    html = client.get(f"/admin/talents/awardround/{award_round.pk}/ranking/").content.decode()
    assert "去掉一个最高分和一个最低分" in html
    assert html.index("高分者") < html.index("低分者")


def test_staff_assign_reviewers_through_the_admin_action(client, academic):
    nomination = NominationFactory(status=Nomination.Status.ELIGIBLE)
    reviewers = ReviewerFactory.create_batch(2)
    response = client.post("/admin/talents/nomination/", {
        "action": "assign_reviewers", "_selected_action": [nomination.pk], "apply": "1",
        "reviewers": [r.pk for r in reviewers],
    })
    assert response.status_code == 302
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.IN_REVIEW
    assert set(nomination.reviews.values_list("reviewer_id", flat=True)) == {r.pk for r in reviewers}


def test_staff_match_a_demand_to_a_suggested_expert(client, academic):
    bio = FieldFactory(name="生物基材料")
    demand = DemandFactory(status=TechDemand.Status.PUBLISHED)
    demand.fields.set([bio])
    expert = TalentFactory(name="吴敏", field=bio)
    page = client.get(f"/admin/talents/techdemand/{demand.pk}/match/").content.decode()
    assert "吴敏" in page
    response = client.post(f"/admin/talents/techdemand/{demand.pk}/match/", {"talents": [expert.pk], "note": "电话沟通"})
    assert response.status_code == 302
    demand.refresh_from_db()
    assert demand.status == TechDemand.Status.MATCHED
    assert Match.objects.get().talent == expert


def test_leaders_may_look_but_not_change(client):
    leader = StaffFactory()
    leader.groups.add(Group.objects.get(name="领导"))
    client.force_login(leader)
    assert client.get("/admin/talents/talent/").status_code == 200
    assert client.get("/admin/talents/talent/add/").status_code == 403


def test_system_eligibility_check_tells_staff_how_many_were_checked_and_who_failed(client, academic):
    from tests.talents.factories import YouthProgrammeFactory

    award_round = RoundFactory(programme=YouthProgrammeFactory())
    fits = NominationFactory(round=award_round, nominee_birth_date="1995-01-01")
    too_old = NominationFactory(round=award_round, nominee_name="超龄者", nominee_birth_date="1960-01-01")
    response = client.post("/admin/talents/nomination/", {
        "action": "check_eligibility", "_selected_action": [fits.pk, too_old.pk],
    }, follow=True)
    shown = [str(m) for m in response.context["messages"]]
    assert shown[0] == "已完成 2 份推荐的系统资格审查。"
    assert shown[1].startswith("资格不符——超龄者：被推荐人在")
    fits.refresh_from_db(), too_old.refresh_from_db()
    assert (fits.status, too_old.status) == (Nomination.Status.ELIGIBLE, Nomination.Status.INELIGIBLE)


def test_a_forbidden_move_is_shown_beside_the_row_and_the_others_go_on(client, academic):
    award_round = RoundFactory(status=AwardRound.Status.REVIEWING)
    ready = NominationFactory(round=award_round, status=Nomination.Status.IN_REVIEW)
    unchecked = NominationFactory(round=award_round, nominee_name="未审查者")
    response = client.post("/admin/talents/nomination/", {
        "action": "shortlist", "_selected_action": [ready.pk, unchecked.pk],
    }, follow=True)
    shown = [str(m) for m in response.context["messages"]]
    assert "1 份推荐已列为拟入选。" in shown
    assert f"{unchecked}：当前为“已提交”，不能变为“拟入选”。" in shown


def test_action_that_needs_a_reason_first_shows_its_form(client, academic):
    demand = DemandFactory(status=TechDemand.Status.PUBLISHED, title="聚乳酸改性增韧")
    response = client.post("/admin/talents/techdemand/", {"action": "reject", "_selected_action": [demand.pk]})
    assert response.status_code == 200
    page = response.content.decode()
    assert "不予发布" in page and "聚乳酸改性增韧" in page
    assert 'href="/admin/talents/techdemand/"' in page  # breadcrumb back to the list
    demand.refresh_from_db()
    assert demand.status == TechDemand.Status.PUBLISHED


def test_assigning_reviewers_first_asks_whom(client, academic):
    nomination = NominationFactory(status=Nomination.Status.ELIGIBLE)
    ReviewerFactory(last_name="王立新")
    response = client.post("/admin/talents/nomination/", {"action": "assign_reviewers", "_selected_action": [nomination.pk]})
    assert response.status_code == 200
    page = response.content.decode()
    assert "分配评审专家" in page and 'name="reviewers"' in page


def _status_cells(html: str) -> dict[str, str]:
    """Nominee → the status shown in the nominations list."""
    rows = re.findall(r'<td class="field-nominee_name">(.*?)</td>.*?<td class="field-status_shown">(.*?)</td>', html, re.S)
    return dict(rows)


def test_staff_see_nominations_left_off_the_shortlist_as_not_shortlisted_during_the_notice(client, academic):
    award_round = RoundFactory(status=AwardRound.Status.REVIEWING)
    NominationFactory(round=award_round, status=Nomination.Status.SHORTLISTED, nominee_name="入围者")
    left_off = NominationFactory(round=award_round, status=Nomination.Status.IN_REVIEW, nominee_name="落选者")
    NominationFactory(status=Nomination.Status.IN_REVIEW, nominee_name="仍在评审者")  # another round, still reviewing
    award_services.publish_notice(round_id=award_round.pk)

    listed = _status_cells(client.get("/admin/talents/nomination/").content.decode())
    assert listed == {"入围者": "公示中", "落选者": "未入围", "仍在评审者": "评审中"}
    assert set(_status_cells(client.get("/admin/talents/nomination/?status=not_shortlisted").content.decode())) == {"落选者"}
    assert set(_status_cells(client.get("/admin/talents/nomination/?status=in_review").content.decode())) == {"仍在评审者"}

    change = client.get(f"/admin/talents/nomination/{left_off.pk}/change/").content.decode()
    assert "未入围" in change
    ranking = client.get(f"/admin/talents/awardround/{award_round.pk}/ranking/").content.decode()
    assert '<td class="status-in_review">未入围</td>' in ranking


def test_review_list_names_reviewers_by_their_full_name_or_else_their_username(client, academic):
    named = ReviewFactory(reviewer__username="zhangsan", reviewer__last_name="张三")
    ReviewFactory(nomination=named.nomination, reviewer__username="lisi", reviewer__last_name="")
    html = client.get("/admin/talents/review/").content.decode()
    assert '<td class="field-reviewer_name">张三</td>' in html and "zhangsan" not in html
    assert '<td class="field-reviewer_name">lisi</td>' in html
    nomination = client.get(f"/admin/talents/nomination/{named.nomination.pk}/change/").content.decode()
    assert "张三" in nomination and "zhangsan" not in nomination
    review = client.get(f"/admin/talents/review/{named.pk}/change/").content.decode()
    assert f"张三 → {named.nomination.nominee_name}" in review and "zhangsan" not in review


def test_audit_log_lists_and_opens_a_demand_match_outcome_by_its_chinese_names(admin_client):
    from talents.services import demands as demand_services

    staff = StaffFactory()
    demand = DemandFactory(title="秸秆还田机械改进")
    demand_services.check_demand(demand_id=demand.pk, actor=staff)
    demand_services.publish_demand(demand_id=demand.pk, actor=staff)
    (match,) = demand_services.match_demand(demand_id=demand.pk, talent_ids=[TalentFactory(name="刘农机").pk], actor=staff)
    demand_services.record_match_outcome(match_id=match.pk, outcome=Match.Outcome.SUCCEEDED, actor=staff)

    response = admin_client.get("/admin/association/auditentry/")
    assert response.status_code == 200
    html = response.content.decode()
    row = html[html.index("秸秆还田机械改进 ↔ 刘农机"):]
    row = row[:row.index("</tr>")]
    assert "已推荐" in row and "对接成功" in row and "succeeded" not in row

    filters = html[html.index('id="changelist-filter"'):]
    match_kind = re.search(r'href="(\?content_type__id__exact=\d+)">[^<]*需求对接<', filters)
    assert admin_client.get(f"/admin/association/auditentry/{match_kind.group(1)}").status_code == 200

    from association.models import AuditEntry

    entry = AuditEntry.objects.get(object_repr__contains="刘农机", action=AuditEntry.Action.TRANSITION)
    page = admin_client.get(f"/admin/association/auditentry/{entry.pk}/change/").content.decode()
    assert "已推荐" in page and "对接成功" in page
