"""The public journeys in headless Chromium: a unit nominates, a reviewer scores, a visitor reads the 公示."""

import datetime

import pytest
from django.utils import timezone

from association.models import Organization
from talents.models import AwardRound, Nomination, Objection, Review
from talents.services import awards as services

from .factories import PDF_BYTES, FieldFactory, NominationFactory, ReviewFactory, RoundFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_unit_nominates_online_and_gets_a_reference_number(page, tmp_path):
    award_round = RoundFactory(quota=30)
    Organization.objects.create(name="濮阳市化工学会", kind=Organization.Kind.SOCIETY)
    FieldFactory(name="化学化工")
    pdf = tmp_path / "推荐表.pdf"
    pdf.write_bytes(PDF_BYTES)

    page.goto(page.base_url + "/talents/awards/")
    page.get_by_role("link", name="在线推荐").click()
    page.get_by_label("推荐单位*", exact=True).select_option(label="濮阳市化工学会")
    page.get_by_label("推荐单位联系人").fill("张付杰")
    page.get_by_label("联系人电话").fill("13939393939")
    page.get_by_label("被推荐人姓名").fill("孟庆臻")
    page.get_by_label("男").check()
    page.get_by_label("出生日期").fill("1968-06-01")
    page.get_by_label("专业领域").select_option(label="化学化工")
    page.get_by_label("职称 / 职务").fill("教授级高级工程师")
    page.get_by_label("职称级别").select_option(label="正高级")
    page.get_by_label("工作单位").fill("濮阳市化工研究所")
    page.get_by_label("主要事迹 / 推荐理由").fill("长期从事精细化工和化工新材料研发，带领服务队深入企业开展技术服务。")
    page.get_by_label("推荐表（盖章扫描件）").set_input_files(str(pdf))
    page.get_by_role("button", name="提交推荐").click()

    assert page.get_by_role("heading", name="推荐已提交").is_visible()
    nomination = Nomination.objects.get(round=award_round)
    assert page.get_by_text(nomination.reference_no).is_visible()
    assert nomination.materials.get().content_type == "application/pdf"


def test_reviewer_logs_in_and_scores_an_assigned_nomination(page):
    review = ReviewFactory(nomination__nominee_name="李双妹")
    review.reviewer.set_password("Passw0rd!23")
    review.reviewer.save()

    page.goto(page.base_url + "/talents/review/")
    page.get_by_label("用户名").fill(review.reviewer.username)
    page.get_by_label("密码").fill("Passw0rd!23")
    page.get_by_role("button", name="登录").click()
    assert page.get_by_role("heading", name="我的评审任务").is_visible()
    page.get_by_role("link", name="评分").click()
    page.get_by_label("评分（0–100 分）").fill("91")
    page.get_by_label("评审意见").fill("业绩突出，同意推荐。")
    page.get_by_role("button", name="保存评分").click()

    assert page.get_by_text("评分已保存：李双妹，91 分。").is_visible()
    assert Review.objects.get(pk=review.pk).score == 91


def test_visitor_reads_the_notice_and_raises_an_objection(page):
    award_round = RoundFactory(status=AwardRound.Status.REVIEWING)
    NominationFactory(round=award_round, status=Nomination.Status.SHORTLISTED, nominee_name="郑瑞谦",
                      nominee_employer="濮阳市环境监测站")
    services.publish_notice(round_id=award_round.pk, starts=timezone.localdate() - datetime.timedelta(days=1))

    page.goto(page.base_url + "/talents/awards/")
    page.get_by_role("link", name=f"关于{award_round}拟表彰对象的公示").click()
    assert page.get_by_role("heading", name=f"关于{award_round}拟表彰对象的公示").is_visible()
    assert page.get_by_role("cell", name="郑瑞谦").is_visible()
    page.get_by_role("link", name="提出异议").click()
    page.get_by_label("针对的公示对象").select_option(index=1)
    page.get_by_label("您的姓名").fill("赵群众")
    page.get_by_label("联系电话").fill("13612345678")
    page.get_by_label("异议内容及理由").fill("该同志申报材料中的获奖情况与事实不符，请予核查。")
    page.get_by_role("button", name="提交异议").click()

    assert page.get_by_text("您的异议已受理").is_visible()
    assert Objection.objects.get().nomination.nominee_name == "郑瑞谦"
