"""The awards tell people through the one notification service, sent by the real worker: the
submitter hears their nomination was received, each nominee on the 公示 that their data was
submitted and is on public notice (with the period), and nominees and submitters the result,
each once, on each channel they have."""

import datetime
import uuid

import pytest
from django.utils import timezone

from association import notices
from association.formatting import chinese_date
from association.models import Delivery
from association.notices import service
from talents import notices as talent_notices
from talents.models import AwardRound, Nomination
from talents.services import awards
from tests.association.factories import OrganizationFactory, UserFactory
from tests.volunteers.factories import VolunteerWithUserFactory
from tests.worker_output import mails_to, sms_lines, wait_until_sent

from .factories import NominationFactory, RoundFactory, TalentFactory, pdf_upload

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]


def unique_mobile() -> str:
    return "139" + str(uuid.uuid4().int)[:8]


def masked(mobile: str) -> str:
    return mobile[:3] + "****" + mobile[-4:]


def address(who: str) -> str:
    return f"{who}-{uuid.uuid4().hex[:8]}@example.org"


def test_the_submitter_hears_the_nomination_was_received_once_by_account_and_mobile(celery_worker_process):
    award_round = RoundFactory()
    clerk = UserFactory(email=address("clerk"))
    mobile = unique_mobile()
    nomination = awards.submit_nomination(
        round_id=award_round.pk, nominating_unit_id=OrganizationFactory().pk, summary="在生物基材料研发中成绩突出。",
        contact_person="王联系", contact_phone=mobile, recommendation=pdf_upload(), nominee_name="刘青年",
        nominee_birth_date=datetime.date(1990, 5, 1), nominee_employer="濮阳市化工研究所", actor=clerk,
    )
    talent_notices.nomination_received(nomination)  # told again: nothing more is sent
    # A paper nomination with an office telephone and no account reaches nobody.
    awards.submit_nomination(
        round_id=award_round.pk, nominating_unit_id=OrganizationFactory().pk, summary="业绩突出。",
        contact_person="赵联系", contact_phone="0393-4412345", recommendation=pdf_upload(), nominee_name="孙某",
    )
    rows = Delivery.objects.filter(kind="talents.nomination_received")
    wait_until_sent(rows, expected=3)
    assert sorted(rows.values_list("channel", flat=True)) == ["email", "inbox", "sms"]
    (message,) = mails_to(clerk.email)
    assert "推荐已受理：刘青年" in message["subject"]
    assert nomination.reference_no in message["body"] and "王联系，您好" in message["body"]
    (line,) = sms_lines(masked(mobile))
    assert f"【濮阳市科协】已收到您推荐“刘青年”参评{award_round}的材料，受理编号 {nomination.reference_no}。" in line
    assert notices.inbox_of(clerk).get().subject.startswith("【人才评选】推荐已受理")


def test_each_nominee_on_the_notice_is_told_with_the_period_and_everyone_of_the_result(celery_worker_process):
    award_round = RoundFactory(status=AwardRound.Status.REVIEWING, quota=2)
    expert_mobile = unique_mobile()
    expert = TalentFactory(name="陈专家", contact=expert_mobile,
                           volunteer=VolunteerWithUserFactory(email=address("chen"), mobile=unique_mobile()))
    volunteer = expert.volunteer
    shortlisted = NominationFactory(round=award_round, talent=expert, nominee_name="陈专家",
                                    status=Nomination.Status.SHORTLISTED)
    submitter = UserFactory(email=address("unit"))
    submitter_mobile = unique_mobile()
    left_out = NominationFactory(round=award_round, nominee_name="周未入围", status=Nomination.Status.IN_REVIEW,
                                 submitted_by=submitter, contact_phone=submitter_mobile)
    starts = timezone.localdate() - datetime.timedelta(days=1)

    awards.publish_notice(round_id=award_round.pk, starts=starts)
    award_round.refresh_from_db()
    rows = Delivery.objects.filter(kind="talents.notice_started")
    # The nominee by the registry's contact (SMS) and as the volunteer (e-mail, SMS, inbox).
    wait_until_sent(rows, expected=4)
    assert not rows.filter(key=f"nomination:{left_out.pk}:notice").exists()  # not on the notice
    period = f"{chinese_date(award_round.notice_starts)}至{chinese_date(award_round.notice_ends)}"
    (message,) = mails_to(volunteer.email)
    assert "陈专家已列入" in message["subject"]
    assert "推荐材料" in message["body"] and "已提交评审" in message["body"] and f"公示期：{period}" in message["body"]
    (line,) = sms_lines(masked(expert_mobile))
    assert "陈专家已列入" in line and period in line
    assert len(sms_lines(masked(volunteer.mobile))) == 1
    assert "公示期" in notices.inbox_of(volunteer.user).get().body

    # The result is essential: turning it off does not stop it.
    service.set_preferences(user=submitter, turned_off={("talents.result", "email")})
    awards.announce_winners(round_id=award_round.pk, today=award_round.notice_ends + datetime.timedelta(days=1))
    rows = Delivery.objects.filter(kind="talents.result")
    wait_until_sent(rows, expected=8)
    # The nominee: the registry's contact (SMS) and the volunteer's three; its unit's contact (SMS).
    assert rows.filter(key=f"nomination:{shortlisted.pk}:result").count() == 5
    won = [m for m in mails_to(volunteer.email) if "评选结果" in m["subject"]]
    assert len(won) == 1 and "陈专家获奖" in won[0]["subject"] and "祝贺" in won[0]["body"]
    assert "获奖，祝贺" in "".join(sms_lines(masked(expert_mobile)))
    (lost,) = [m for m in mails_to(submitter.email) if "评选结果" in m["subject"]]
    assert "周未入围未获奖" in lost["subject"]
    (line,) = sms_lines(masked(submitter_mobile))
    assert "周未入围此次未获奖" in line
    assert notices.inbox_of(submitter).get().kind == "talents.result"


def test_the_nominee_contact_typed_on_the_form_is_told_of_the_notice(celery_worker_process, client):
    from .test_awards import _nomination_post

    award_round = RoundFactory()
    url = f"/talents/awards/{award_round.pk}/nominate/"
    unit = OrganizationFactory()
    html = client.post(url, _nomination_post(unit, nominee_contact="王某的电话")).content.decode()
    assert "请填写 11 位手机号码或电子邮箱。" in html and "王某的电话" in html  # kept as typed
    nominee = address("liu")
    assert client.post(url, _nomination_post(unit, nominee_contact=f" {nominee} ")).status_code == 302
    nomination = Nomination.objects.get(round=award_round)
    assert nomination.nominee_contact == nominee
    Nomination.objects.filter(pk=nomination.pk).update(status=Nomination.Status.SHORTLISTED)
    AwardRound.objects.filter(pk=award_round.pk).update(status=AwardRound.Status.REVIEWING)

    awards.publish_notice(round_id=award_round.pk)
    wait_until_sent(Delivery.objects.filter(kind="talents.notice_started"), expected=1)
    (message,) = mails_to(nominee)
    assert "刘青年已列入" in message["subject"] and "刘青年，您好" in message["body"]
