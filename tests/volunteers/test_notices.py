"""Volunteers, team leaders and ordering units are told, through the real worker, on each
channel they have, once: the review, confirmed hours, each step of an order (点单)."""

import uuid
from decimal import Decimal

import pytest

from association import notices
from association.models import Delivery
from tests.association.factories import StaffFactory
from tests.volunteers.factories import (
    MembershipFactory,
    OrderFactory,
    ProjectFactory,
    RecordFactory,
    TeamFactory,
    VolunteerWithUserFactory,
)
from tests.worker_output import mails_to, sms_lines, wait_until_sent
from volunteers.models import Membership, ServiceRecord, Volunteer
from volunteers.services import orders, records, review

pytestmark = pytest.mark.django_db(transaction=True)


def new_mobile() -> str:
    return "136" + str(uuid.uuid4().int)[:8]


def masked(mobile: str) -> str:
    return mobile[:3] + "****" + mobile[-4:]


def new_email() -> str:
    return f"{uuid.uuid4().hex[:10]}@example.org"


def volunteer(**kwargs) -> Volunteer:
    return VolunteerWithUserFactory(mobile=new_mobile(), email=new_email(), **kwargs)


def test_approval_and_refusal_reach_the_volunteer_on_every_channel_once(celery_worker_process):
    staff = StaffFactory()
    approved = volunteer(status=Volunteer.Status.PENDING)
    refused = volunteer(status=Volunteer.Status.PENDING)
    review.approve(volunteer_id=approved.pk, actor=staff)
    review.reject(volunteer_id=refused.pk, actor=staff, reason="身份信息无法核实")
    wait_until_sent(Delivery.objects.filter(kind__in=["volunteers.approved", "volunteers.rejected"]), expected=6)
    (mail,) = mails_to(approved.email)
    assert "审核通过" in mail["subject"] and "/accounts/me/" in mail["body"]
    (line,) = sms_lines(masked(approved.mobile))
    assert "【濮阳市科协】" in line and "审核通过" in line
    (mail,) = mails_to(refused.email)
    assert "身份信息无法核实" in mail["body"]
    assert "身份信息无法核实" in sms_lines(masked(refused.mobile))[0]
    assert notices.inbox_of(refused.user).get().kind == "volunteers.rejected"


def test_confirmed_hours_are_one_notice_per_volunteer(celery_worker_process):
    person = volunteer()
    pending = [RecordFactory(volunteer=person, status=ServiceRecord.Status.PENDING, hours=Decimal(h), title=t)
               for h, t in (("2.0", "科普进社区"), ("1.5", "科技馆讲解"))]
    staff = StaffFactory()
    assert records.confirm_records(record_ids=[r.pk for r in pending], actor=staff) == 2
    assert records.confirm_records(record_ids=[r.pk for r in pending], actor=staff) == 0  # nothing more to confirm
    wait_until_sent(Delivery.objects.filter(kind="volunteers.hours_confirmed"), expected=3)
    (mail,) = mails_to(person.email)
    assert "2 条服务记录已确认" in mail["subject"] and "科技馆讲解：1.5 小时" in mail["body"]
    (line,) = sms_lines(masked(person.mobile))
    assert "共 3.5 小时" in line


def test_an_order_tells_the_team_leader_then_the_ordering_unit_at_each_step(celery_worker_process, client):
    leader = volunteer()
    team = TeamFactory(name="医学科普服务队")
    MembershipFactory(volunteer=leader, team=team, role=Membership.Role.TEAM_LEADER)
    MembershipFactory(volunteer=volunteer(), team=team, role=Membership.Role.MEMBER)  # not told
    unit_mobile, unit_email = new_mobile(), new_email()
    order = OrderFactory(project=ProjectFactory(team=team, title="健康义诊进社区"), contact_phone=unit_mobile,
                         email=unit_email)
    staff = StaffFactory(is_superuser=True)
    orders.dispatch(order_id=order.pk, team_id=team.pk, actor=staff)
    wait_until_sent(Delivery.objects.filter(kind="volunteers.order_dispatched"), expected=3)
    (mail,) = mails_to(leader.email)
    assert "新派单：健康义诊进社区" in mail["subject"] and f"/accounts/me/orders/{order.pk}/" in mail["body"]
    (line,) = sms_lines(masked(leader.mobile))
    assert "医学科普服务队有新派单" in line
    assert Delivery.objects.filter(kind="volunteers.order_dispatched", channel="inbox").get().user == leader.user

    orders.accept(order_id=order.pk, actor=leader.user)
    orders.complete(order_id=order.pk, actor=leader.user)
    orders.rate(order_id=order.pk, rating=5, comment="讲得很好")
    wait_until_sent(Delivery.objects.filter(kind__in=["volunteers.order_accepted", "volunteers.order_done",
                                                      "volunteers.order_rated"]), expected=6)
    subjects = sorted(m["subject"] for m in mails_to(unit_email))
    assert subjects == sorted(["【科技志愿服务】已接单：健康义诊进社区", "【科技志愿服务】服务已完成，请评价：健康义诊进社区",
                               "【科技志愿服务】感谢评价：健康义诊进社区"])
    lines = sms_lines(masked(unit_mobile))
    assert len(lines) == 3 and "已由医学科普服务队接单" in lines[0] and "5星" in lines[2]
    assert order.token not in "".join(lines)  # the private link is masked in the log


def test_the_inbox_on_my_page_shows_unread_messages(client):
    person = VolunteerWithUserFactory(status=Volunteer.Status.PENDING)
    review.approve(volunteer_id=person.pk, actor=StaffFactory())
    from tests.worker_output import send_queued

    send_queued()  # the task the approval asked for is run here, as the worker would
    client.force_login(person.user)
    from volunteers.tasks import send_review_notice

    send_review_notice(person.pk)
    page = client.get("/accounts/me/").content.decode()
    assert "我的消息" in page and "1 条未读" in page and "您的志愿者注册已审核通过" in page


def test_hours_entered_as_confirmed_tell_each_volunteer_once():
    from datetime import date

    people = [volunteer(), volunteer()]
    records.record_hours(volunteer_ids=[p.pk for p in people], hours="3", date=date(2025, 9, 20), title="全国科普日宣讲",
                         recorded_by=StaffFactory(), confirm=True)
    rows = Delivery.objects.filter(kind="volunteers.hours_confirmed")
    assert sorted(rows.values_list("channel", flat=True)) == ["email", "email", "inbox", "inbox", "sms", "sms"]
    (mine,) = notices.inbox_of(people[0].user)
    assert "1 条服务记录已确认" in mine.subject and "全国科普日宣讲：3.0 小时" in mine.body


def test_a_hours_claim_reaches_the_team_leader_and_a_refusal_reaches_the_volunteer(celery_worker_process):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone
    from PIL import Image

    from volunteers.services import claims

    team = TeamFactory(name="农业科技服务队")
    leader, member = volunteer(), volunteer()
    MembershipFactory(volunteer=leader, team=team, role=Membership.Role.TEAM_LEADER)
    MembershipFactory(volunteer=member, team=team, role=Membership.Role.MEMBER)
    out = io.BytesIO()
    Image.new("RGB", (32, 24), (10, 120, 30)).save(out, "JPEG")
    claim = claims.submit(volunteer_id=member.pk, hours="2.5", reason="当天未能扫码签到。", date=timezone.localdate(),
                          title="麦田病虫害现场指导", evidence=SimpleUploadedFile("现场.jpg", out.getvalue(), "image/jpeg"))
    claims.refuse(claim_id=claim.pk, actor=leader.user, reason="当天签到表上没有您的名字")
    wait_until_sent(Delivery.objects.filter(kind__startswith="volunteers.claim_"), expected=6)
    (mail,) = mails_to(leader.email)
    assert "申请补录" in mail["subject"] and "麦田病虫害现场指导" in mail["body"] and "/accounts/me/claims/review/" in mail["body"]
    assert mails_to(member.email)[0]["body"].count("当天签到表上没有您的名字") == 1
    (line,) = sms_lines(masked(member.mobile))
    assert "未通过审核" in line and "当天签到表上没有您的名字" in line
    claim.evidence.delete(save=False)


def test_a_decided_change_request_and_a_revoked_certificate_reach_the_volunteer(celery_worker_process):
    from volunteers.models import ChangeRequest
    from volunteers.services import certificates, rights

    person = volunteer()
    staff = StaffFactory()
    change = rights.request_change(volunteer_id=person.pk, kind=ChangeRequest.Kind.CORRECTION, message="工作单位写错了")
    rights.refuse_change(change_request_id=change.pk, actor=staff, reply="请先在“修改资料”中自行修改工作单位")
    RecordFactory(volunteer=person, hours=Decimal("4"))
    certificate = certificates.build(certificates.request_certificate(volunteer_id=person.pk).pk)
    certificates.revoke(certificate_id=certificate.pk, actor=staff, reason="服务时长登记有误")
    wait_until_sent(Delivery.objects.filter(kind__in=["volunteers.change_decided", "volunteers.certificate_revoked"]),
                    expected=6)
    subjects = sorted(m["subject"] for m in mails_to(person.email))
    assert subjects == [f"【科技志愿服务】您的志愿服务记录证明（{certificate.number}）已撤销", "【科技志愿服务】您的更正申请未获同意"]
    lines = sms_lines(masked(person.mobile))
    assert any("自行修改工作单位" in line for line in lines) and any("服务时长登记有误" in line for line in lines)
    assert {d.kind for d in notices.inbox_of(person.user)} >= {"volunteers.change_decided", "volunteers.certificate_revoked"}
    certificate.file.delete(save=False)
