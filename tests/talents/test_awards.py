import datetime
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from association import workdays
from association.models import AuditEntry
from association.states import DomainError, TransitionNotAllowed
from talents.models import AwardRound, Nomination, NominationMaterial, Objection, Review, Talent
from talents.selectors import round_ranking
from talents.services import awards as services
from tests.association.factories import OrganizationFactory, UserFactory

from .factories import (
    FieldFactory,
    NominationFactory,
    ReviewerFactory,
    ReviewFactory,
    RoundFactory,
    TalentFactory,
    YouthProgrammeFactory,
    pdf_upload,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def _nomination_post(unit, **overrides):
    data = {
        "nominating_unit": unit.pk,
        "contact_person": "王联系",
        "contact_phone": "13838383838",
        "nominee_name": "刘青年",
        "nominee_gender": "M",
        "nominee_birth_date": "1990-05-01",
        "nominee_title": "高级工程师",
        "nominee_title_level": "2",
        "nominee_employer": "濮阳市化工研究所",
        "nominee_field": FieldFactory().pk,
        "summary": "在生物基材料研发中成绩突出。",
        "recommendation": pdf_upload(),
    }
    data.update(overrides)
    return data


# -- reviewers see only their own ---------------------------------------------------------


def test_reviewer_list_shows_only_nominations_assigned_to_them(client):
    mine = ReviewFactory(nomination__nominee_name="分给我的人")
    ReviewFactory(nomination__nominee_name="分给别人的人")
    client.force_login(mine.reviewer)
    html = client.get("/talents/review/").content.decode()
    assert "分给我的人" in html
    assert "分给别人的人" not in html


def test_reviewer_list_puts_nominations_still_to_score_first(client):
    reviewer = ReviewerFactory()
    ReviewFactory(reviewer=reviewer, nomination__nominee_name="已评分的人", score=80, scored_at=timezone.now())
    ReviewFactory(reviewer=reviewer, nomination__nominee_name="待评分的人")
    client.force_login(reviewer)
    html = client.get("/talents/review/").content.decode()
    assert html.index("待评分的人") < html.index("已评分的人")


def test_reviewer_gets_404_for_another_reviewers_assignment(client):
    mine = ReviewFactory()
    other = ReviewFactory()
    client.force_login(mine.reviewer)
    assert client.get(f"/talents/review/{other.pk}/").status_code == 404
    response = client.post(f"/talents/review/{other.pk}/", {"score": 10})
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.score is None


def test_reviewer_never_sees_another_reviewers_score_on_a_shared_nomination(client):
    mine = ReviewFactory()
    ReviewFactory(nomination=mine.nomination, score=37, comment="另一位专家的意见：材料不足")
    client.force_login(mine.reviewer)
    html = client.get(f"/talents/review/{mine.pk}/").content.decode()
    assert "另一位专家的意见" not in html
    # As a number of its own: the CSRF token (random letters and digits) may hold "37".
    assert not re.search(r"(?<![\w-])37(?![\w-])", html)


def test_user_who_is_not_a_reviewer_is_refused_with_403(client):
    review = ReviewFactory()
    client.force_login(UserFactory())
    assert client.get("/talents/review/").status_code == 403
    assert client.get(f"/talents/review/{review.pk}/").status_code == 403


def test_reviewer_cannot_download_materials_of_a_nomination_not_assigned_to_them(client):
    review = ReviewFactory()
    material = NominationMaterial.objects.create(
        nomination=NominationFactory(), kind="recommendation", file=pdf_upload(), original_name="推荐表.pdf",
        content_type="application/pdf", size=10,
    )
    client.force_login(review.reviewer)
    assert client.get(f"/talents/materials/{material.pk}/").status_code == 404


def test_assigned_reviewer_downloads_materials_and_anonymous_is_sent_to_login(client):
    review = ReviewFactory()
    material = NominationMaterial.objects.create(
        nomination=review.nomination, kind="recommendation", file=pdf_upload(), original_name="推荐表.pdf",
        content_type="application/pdf", size=10,
    )
    response = client.get(f"/talents/materials/{material.pk}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(review.reviewer)
    response = client.get(f"/talents/materials/{material.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_reviewer_score_out_of_range_is_refused_with_chinese_message(client):
    review = ReviewFactory()
    client.force_login(review.reviewer)
    html = client.post(f"/talents/review/{review.pk}/", {"score": 101, "comment": "很好"}).content.decode()
    assert "评分不能高于 100 分" in html
    review.refresh_from_db()
    assert review.score is None


def test_reviewer_scores_an_assigned_nomination(client):
    review = ReviewFactory()
    client.force_login(review.reviewer)
    response = client.post(f"/talents/review/{review.pk}/", {"score": 88, "comment": "成果转化效益明显"})
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.score == 88 and review.scored_at is not None


# -- eligibility ---------------------------------------------------------------------------


def test_nominee_over_the_age_limit_is_stopped_with_the_reason_in_chinese(client):
    award_round = RoundFactory(programme=YouthProgrammeFactory(), reference_date=datetime.date(2026, 5, 30))
    unit = OrganizationFactory()
    response = client.post(
        f"/talents/awards/{award_round.pk}/nominate/", _nomination_post(unit, nominee_birth_date="1985-05-01")
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "被推荐人在2026年5月30日已满41周岁，超过“青年科技奖”40周岁的年龄上限" in html
    assert 'value="刘青年"' in html  # what was typed is kept
    assert not Nomination.objects.exists()


def test_previous_winner_is_refused_within_the_banned_rounds():
    programme = YouthProgrammeFactory()
    first = RoundFactory(programme=programme, number=1, year=2019, status=AwardRound.Status.ANNOUNCED)
    talent = TalentFactory(name="王获奖", birth_year=1988, employer="濮阳市人民医院")
    NominationFactory(round=first, talent=talent, nominee_name="王获奖", nominee_birth_date=datetime.date(1988, 3, 3),
                      status=Nomination.Status.AWARDED)
    second = RoundFactory(programme=programme, number=2)
    with pytest.raises(services.IneligibleNomination) as caught:
        services.submit_nomination(
            round_id=second.pk, nominating_unit_id=OrganizationFactory().pk, nominee_name="王获奖",
            nominee_birth_date=datetime.date(1988, 3, 3), nominee_employer="濮阳市人民医院", summary="再次推荐",
            contact_person="李", contact_phone="13800000000", recommendation=pdf_upload(),
        )
    assert "已获第一届“青年科技奖”（2019年），按规定2届内不得重复推荐" in str(caught.value)
    assert second.nominations.count() == 0


def test_system_check_marks_a_nomination_ineligible_and_keeps_the_reason():
    award_round = RoundFactory(programme=YouthProgrammeFactory(), reference_date=datetime.date(2026, 5, 30))
    nomination = NominationFactory(round=award_round, nominee_birth_date=datetime.date(1970, 1, 1))
    problems = services.check_eligibility(nomination_id=nomination.pk)
    nomination.refresh_from_db()
    assert problems
    assert nomination.status == Nomination.Status.INELIGIBLE
    assert "已满56周岁" in nomination.eligibility_note


def test_nomination_outside_the_window_is_refused():
    award_round = RoundFactory(
        nomination_opens=TODAY() - datetime.timedelta(days=30), nomination_closes=TODAY() - datetime.timedelta(days=1)
    )
    with pytest.raises(DomainError, match="当前不接受推荐"):
        services.submit_nomination(
            round_id=award_round.pk, nominating_unit_id=OrganizationFactory().pk, nominee_name="迟到者", summary="x",
            contact_person="李", contact_phone="13800000000", recommendation=pdf_upload(),
        )


def test_fake_pdf_material_is_refused_at_the_field(client):
    award_round = RoundFactory()
    fake = SimpleUploadedFile("推荐表.pdf", b"MZ this is not a pdf", content_type="application/pdf")
    html = client.post(
        f"/talents/awards/{award_round.pk}/nominate/", _nomination_post(OrganizationFactory(), recommendation=fake)
    ).content.decode()
    assert "不是 PDF 或 JPG/PNG 图片" in html
    assert not Nomination.objects.exists()


def test_nomination_sent_back_asks_once_to_choose_the_files_again_beside_them(client):
    award_round = RoundFactory()
    html = client.post(
        f"/talents/awards/{award_round.pk}/nominate/", _nomination_post(OrganizationFactory(), contact_phone="123")
    ).content.decode()
    assert "提交未成功" in html and "处需要修改" in html
    assert html.count("请重新选择推荐表和证明材料") == 1
    assert html.index("请重新选择推荐表和证明材料") < html.index("推荐表（盖章扫描件）")
    assert html.count("请填写正确的电话号码") == 2  # in the error summary, linked, and under the field


def test_a_reason_for_the_whole_nomination_is_shown_once_in_the_banner(client):
    from talents.models import AwardProgramme

    award_round = RoundFactory(programme=AwardProgramme.objects.create(code="dt", name="学科带头人", min_title_level=2))
    html = client.post(
        f"/talents/awards/{award_round.pk}/nominate/", _nomination_post(OrganizationFactory(), nominee_title_level="")
    ).content.decode()
    assert html.count("“学科带头人”要求被推荐人具有副高级及以上职称，被推荐人为未填写") == 1


def test_nomination_done_page_says_to_quote_the_number_to_the_office_by_phone(client):
    from association.models import SiteSettings

    site = SiteSettings.load()
    site.phone = "0393-8800222"
    site.save()
    award_round = RoundFactory()
    response = client.post(f"/talents/awards/{award_round.pk}/nominate/", _nomination_post(OrganizationFactory()), follow=True)
    html = response.content.decode()
    nomination = Nomination.objects.get()
    assert nomination.reference_no in html
    assert "网站不提供在线查询，如需了解审查进度，请致电市科协学会学术部（0393-8800222）并报上此编号。" in html
    assert "查询时使用" not in html


# -- state changes -------------------------------------------------------------------------


def test_wrong_state_change_is_refused_with_a_chinese_message():
    nomination = NominationFactory(round=RoundFactory(status=AwardRound.Status.REVIEWING))
    with pytest.raises(TransitionNotAllowed, match="当前为“已提交”，不能变为“拟入选”"):
        services.shortlist(nomination_id=nomination.pk)
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.SUBMITTED


def test_shortlist_beyond_the_quota_is_refused():
    award_round = RoundFactory(status=AwardRound.Status.REVIEWING, quota=1)
    first, second = NominationFactory.create_batch(2, round=award_round, status=Nomination.Status.IN_REVIEW)
    services.shortlist(nomination_id=first.pk)
    with pytest.raises(DomainError, match="表彰名额为 1 名"):
        services.shortlist(nomination_id=second.pk)


def test_each_transition_is_recorded_with_who_and_from_to():
    staff = UserFactory(is_staff=True)
    reviewer = ReviewerFactory()
    nomination = NominationFactory(round=RoundFactory(status=AwardRound.Status.REVIEWING))
    services.check_eligibility(nomination_id=nomination.pk, actor=staff)
    services.assign_reviewers(nomination_id=nomination.pk, reviewer_ids=[reviewer.pk], actor=staff)
    services.shortlist(nomination_id=nomination.pk, actor=staff)
    entries = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Nomination), object_id=str(nomination.pk),
        action=AuditEntry.Action.TRANSITION,
    ).order_by("created", "pk")
    assert [(e.from_state, e.to_state, e.actor_id) for e in entries] == [
        ("submitted", "eligible", staff.pk), ("eligible", "in_review", staff.pk), ("in_review", "shortlisted", staff.pk),
    ]


def test_assigning_someone_who_is_not_a_reviewer_is_refused():
    nomination = NominationFactory(status=Nomination.Status.ELIGIBLE)
    with pytest.raises(DomainError, match="不是评审专家"):
        services.assign_reviewers(nomination_id=nomination.pk, reviewer_ids=[UserFactory().pk])


# -- ranking -------------------------------------------------------------------------------


def _scored(award_round, scores, **kwargs):
    nomination = NominationFactory(round=award_round, status=Nomination.Status.IN_REVIEW, **kwargs)
    for score in scores:
        Review.objects.create(nomination=nomination, reviewer=ReviewerFactory(), score=score)
    return nomination


def test_ranking_drops_highest_and_lowest_when_five_or_more_scores():
    award_round = RoundFactory(status=AwardRound.Status.REVIEWING)
    trimmed = _scored(award_round, [100, 80, 80, 80, 0])   # trimmed mean 80, plain mean 68
    plain = _scored(award_round, [79, 79, 79, 79, 79])     # 79
    rows = {row["id"]: row for row in round_ranking(award_round.pk)}
    assert str(rows[trimmed.pk]["final_score"]) == "80.00"
    assert str(rows[trimmed.pk]["mean_score"]) == "68.00"
    assert rows[trimmed.pk]["rank"] == 1 and rows[plain.pk]["rank"] == 2


def test_ranking_uses_the_plain_mean_below_five_scores():
    award_round = RoundFactory(status=AwardRound.Status.REVIEWING)
    four = _scored(award_round, [100, 90, 60, 50])
    row = next(r for r in round_ranking(award_round.pk) if r["id"] == four.pk)
    assert str(row["final_score"]) == "75.00" and row["n_scores"] == 4


def test_ranking_ties_go_to_higher_plain_mean_then_more_scores_then_earlier_submission():
    award_round = RoundFactory(status=AwardRound.Status.REVIEWING)
    now = timezone.now()
    a = _scored(award_round, [90, 80, 80, 80, 70], submitted_at=now)            # final 80, mean 80
    b = _scored(award_round, [100, 80, 80, 80, 70], submitted_at=now)           # final 80, mean 82
    c = _scored(award_round, [80, 80, 80, 80], submitted_at=now)                # final 80, mean 80, 4 scores
    d = _scored(award_round, [90, 80, 80, 80, 70], submitted_at=now - datetime.timedelta(days=1))  # as a, earlier
    unscored = NominationFactory(round=award_round, status=Nomination.Status.IN_REVIEW)
    order = [row["id"] for row in round_ranking(award_round.pk)]
    assert order == [b.pk, d.pk, a.pk, c.pk, unscored.pk]


def test_shortlist_top_takes_the_best_ranked_within_the_quota():
    award_round = RoundFactory(status=AwardRound.Status.REVIEWING, quota=2)
    best = _scored(award_round, [95, 95, 95])
    second = _scored(award_round, [90, 90, 90])
    _scored(award_round, [60, 60, 60])
    with pytest.raises(DomainError, match="剩余名额为 2 名"):
        services.shortlist_top(round_id=award_round.pk, count=3)
    services.shortlist_top(round_id=award_round.pk, count=2)
    assert set(award_round.nominations.filter(status=Nomination.Status.SHORTLISTED).values_list("pk", flat=True)) == {
        best.pk, second.pk
    }


# -- 公示, objections, announcement ---------------------------------------------------------


def _publicised_round(**kwargs):
    award_round = RoundFactory(status=AwardRound.Status.REVIEWING, **kwargs)
    nomination = NominationFactory(round=award_round, status=Nomination.Status.SHORTLISTED, nominee_name="公示中的人")
    services.publish_notice(round_id=award_round.pk, starts=TODAY() - datetime.timedelta(days=1))
    award_round.refresh_from_db()
    return award_round, nomination


def test_publishing_the_notice_sets_its_period_and_lists_the_shortlisted(client):
    award_round, nomination = _publicised_round()
    assert award_round.notice_ends == workdays.nth_working_day(award_round.notice_starts, 7)
    html = client.get(f"/talents/awards/{award_round.pk}/").content.decode()
    assert "拟表彰对象的公示" in html and "公示中的人" in html
    assert "提出异议" in html
    assert nomination.contact_phone not in html


def test_objection_is_taken_while_the_notice_runs_and_refused_after(client):
    award_round, nomination = _publicised_round()
    response = client.post(
        f"/talents/awards/{award_round.pk}/objection/",
        {"nomination": nomination.pk, "name": "赵举报", "contact": "13611112222", "reason": "该同志的获奖证书与事实不符，请核查。"},
    )
    assert response.status_code == 302
    assert Objection.objects.filter(round=award_round, nomination=nomination).count() == 1
    with pytest.raises(DomainError, match="不在公示期内"):
        services.raise_objection(round_id=award_round.pk, name="晚来", contact="13611112222", reason="过了公示期才提出的异议",
                                 today=award_round.notice_ends + datetime.timedelta(days=1))


def test_upheld_objection_takes_the_nominee_off_the_list():
    award_round, nomination = _publicised_round()
    objection = services.raise_objection(round_id=award_round.pk, nomination_id=nomination.pk, name="赵", contact="13611112222",
                                         reason="材料造假，请核查。")
    services.handle_objection(objection_id=objection.pk, upheld=True, reply="经核实，异议成立。", actor=UserFactory(is_staff=True))
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.NOT_AWARDED


def test_winners_are_announced_only_after_the_notice_period_and_enter_the_registry(client):
    award_round, nomination = _publicised_round()
    with pytest.raises(DomainError, match="期满后才能公布结果"):
        services.announce_winners(round_id=award_round.pk)
    services.announce_winners(round_id=award_round.pk, today=award_round.notice_ends + datetime.timedelta(days=1))
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.AWARDED
    assert Talent.objects.filter(name="公示中的人", employer=nomination.nominee_employer).exists()
    html = client.get(f"/talents/awards/{award_round.pk}/").content.decode()
    assert "表彰名单" in html and "公示中的人" in html


def test_pending_objection_blocks_the_announcement():
    award_round, nomination = _publicised_round()
    services.raise_objection(round_id=award_round.pk, name="赵", contact="13611112222", reason="需要核查的问题。")
    with pytest.raises(DomainError, match="1 条公示异议未处理"):
        services.announce_winners(round_id=award_round.pk, today=award_round.notice_ends + datetime.timedelta(days=1))


def test_title_level_below_the_programme_minimum_is_refused_with_the_reason():
    from talents.models import AwardProgramme

    leaders = AwardProgramme.objects.create(code="dt", name="学科带头人", min_title_level=2)
    award_round = RoundFactory(programme=leaders)
    with pytest.raises(services.IneligibleNomination, match="“学科带头人”要求被推荐人具有副高级及以上职称，被推荐人为中级"):
        services.submit_nomination(
            round_id=award_round.pk, nominating_unit_id=OrganizationFactory().pk, nominee_name="王中级",
            nominee_birth_date=datetime.date(1990, 1, 1), nominee_title_level=3, summary="x",
            contact_person="李", contact_phone="13800000000", recommendation=pdf_upload(),
        )


def test_a_society_cannot_be_nominated_twice_in_one_round(client):
    from association.models import Organization
    from talents.models import AwardProgramme

    societies = AwardProgramme.objects.create(code="sj", name="十佳科技社团", nominee_kind="organization")
    award_round = RoundFactory(programme=societies)
    society = Organization.objects.create(name="濮阳市化工学会", kind=Organization.Kind.SOCIETY)
    unit = OrganizationFactory()
    data = {"nominating_unit": unit.pk, "contact_person": "张", "contact_phone": "13800000000",
            "nominee_organization": society.pk, "summary": "学术交流活跃。"}
    assert client.post(f"/talents/awards/{award_round.pk}/nominate/", {**data, "recommendation": pdf_upload()}).status_code == 302
    html = client.post(f"/talents/awards/{award_round.pk}/nominate/", {**data, "recommendation": pdf_upload()}).content.decode()
    assert "被推荐对象已在本届被推荐，不能重复推荐" in html
    assert award_round.nominations.get().nominee_name == "濮阳市化工学会"


def test_reviewer_cannot_change_a_score_once_review_has_ended(client):
    review = ReviewFactory(score=80, nomination__status=Nomination.Status.SHORTLISTED)
    client.force_login(review.reviewer)
    html = client.get(f"/talents/review/{review.pk}/").content.decode()
    assert "评分不能再修改" in html
    with pytest.raises(DomainError, match="已结束评审"):
        services.submit_score(review_id=review.pk, actor=review.reviewer, score=10)


def _notice_out_with_one_left_off():
    """A round whose 公示 has begun: one nomination on it, one left in review (not shortlisted)."""
    award_round = RoundFactory(status=AwardRound.Status.REVIEWING)
    NominationFactory(round=award_round, status=Nomination.Status.SHORTLISTED, nominee_name="入围者")
    review = ReviewFactory(nomination__round=award_round, nomination__nominee_name="落选者", score=70)
    services.publish_notice(round_id=award_round.pk, starts=TODAY())
    return review


def test_reviewer_sees_a_nomination_left_off_the_shortlist_as_not_shortlisted_once_the_notice_is_out(client):
    review = _notice_out_with_one_left_off()
    client.force_login(review.reviewer)
    html = client.get("/talents/review/").content.decode()
    assert "落选者" in html
    assert ">未入围</span>" in html and ">评审中</span>" not in html


def test_reviewer_cannot_rescore_a_nomination_left_off_the_shortlist(client):
    review = _notice_out_with_one_left_off()
    client.force_login(review.reviewer)
    assert "评分不能再修改" in client.get(f"/talents/review/{review.pk}/").content.decode()
    with pytest.raises(DomainError, match="已结束评审"):
        services.submit_score(review_id=review.pk, actor=review.reviewer, score=99)
    review.refresh_from_db()
    assert review.score == 70


def test_reviewer_finds_their_tasks_in_the_top_bar(client):
    client.force_login(ReviewerFactory())
    html = client.get("/").content.decode()
    assert '<a href="/talents/review/" class="me-2">我的评审任务</a>' in html
    assert "/accounts/me/" not in html[:html.index("</header>")]
