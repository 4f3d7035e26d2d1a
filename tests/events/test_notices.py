"""Attendees are told, through the real worker, on each channel they have, once: their sign-up,
promotion from the waiting list, the reminders before the event, its cancellation."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from association import notices, queue
from association.models import Delivery
from events.models import Event, Registration
from events.services import events as event_services
from events.services import registrations
from tests.association.factories import StaffFactory, UserFactory
from tests.events.factories import EventFactory
from tests.worker_output import mails_to, sms_lines, wait_until_sent

pytestmark = pytest.mark.django_db(transaction=True)


def new_mobile() -> str:
    return "137" + str(uuid.uuid4().int)[:8]


def masked(mobile: str) -> str:
    return mobile[:3] + "****" + mobile[-4:]


def new_email() -> str:
    return f"{uuid.uuid4().hex[:10]}@example.org"


def test_a_logged_in_sign_up_is_confirmed_by_e_mail_sms_and_inbox_once(celery_worker_process):
    event = EventFactory(title="青少年科技创新讲座")
    user = UserFactory(email=new_email())
    mobile = new_mobile()
    registration = registrations.register(event_id=event.pk, name="王小明", mobile=mobile, email=user.email, user=user)
    queue.enqueue("events.tasks.send_registration_notice", registration.pk)  # the task asked for twice
    rows = Delivery.objects.filter(kind="events.confirmed")
    wait_until_sent(rows, expected=3)
    (message,) = mails_to(user.email)
    assert message["subject"] == "【报名成功】青少年科技创新讲座"
    assert registration.check_in_code in message["body"]
    (line,) = sms_lines(masked(mobile))
    assert "【濮阳市科协】您已成功报名“青少年科技创新讲座”" in line and registration.check_in_code in line
    assert registration.token not in line  # the private link is masked in the log
    assert notices.inbox_of(user).get().subject == "【报名成功】青少年科技创新讲座"


def test_the_first_on_the_waiting_list_is_told_of_the_promotion(celery_worker_process):
    event = EventFactory(capacity=1, title="无人机科普体验")
    first = registrations.register(event_id=event.pk, name="甲", mobile=new_mobile())
    waiting_mobile, waiting_email = new_mobile(), new_email()
    waiting = registrations.register(event_id=event.pk, name="乙", mobile=waiting_mobile, email=waiting_email)
    wait_until_sent(Delivery.objects.filter(kind="events.waitlisted"), expected=2)
    registrations.cancel(registration_id=first.pk)
    wait_until_sent(Delivery.objects.filter(kind="events.promoted"), expected=2)
    subjects = sorted(m["subject"] for m in mails_to(waiting_email))
    assert subjects == ["【候补转为正式报名】无人机科普体验", "【已进入候补名单】无人机科普体验"]
    (promoted,) = [m["body"] for m in mails_to(waiting_email) if m["subject"].startswith("【候补转为")]
    assert "有人取消了报名，您已由候补转为正式报名「无人机科普体验」。" in promoted
    assert promoted.count("您已") == 1  # not "您已…您已…"
    assert "此邮件由濮阳市科学技术协会自动发送" in promoted  # the association speaks, not the software
    lines = sms_lines(masked(waiting_mobile))
    assert len(lines) == 2 and "已由候补转为正式报名" in lines[1]  # the log is in order
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED


def _confirmed(event, name, *, user=None, email=""):
    mobile = new_mobile()
    registration = registrations.register(event_id=event.pk, name=name, mobile=mobile, email=email, user=user)
    # Signed up well before the reminders (those who just signed up were told everything).
    Registration.objects.filter(pk=registration.pk).update(confirmed_at=timezone.now() - timedelta(days=3))
    return registration, mobile


def test_reminders_the_day_before_and_two_hours_before_each_go_once(celery_worker_process):
    tomorrow = EventFactory(title="明天的讲座", start=timezone.now() + timedelta(hours=20))
    soon = EventFactory(title="马上开始的讲座", start=timezone.now() + timedelta(minutes=100))
    quiet = UserFactory(email=new_email())
    notices.set_preferences(user=quiet, turned_off={("events.reminder_day", "email")})
    email = new_email()
    day, day_mobile = _confirmed(tomorrow, "张三", email=email)
    muted, muted_mobile = _confirmed(tomorrow, "李四", user=quiet, email=quiet.email)
    hours, hours_mobile = _confirmed(soon, "王五")
    wait_until_sent(Delivery.objects.filter(kind="events.confirmed"), expected=6)
    for _ in range(2):  # beat runs it every few minutes
        queue.enqueue("events.tasks.send_event_reminders")
    wait_until_sent(Delivery.objects.filter(kind__startswith="events.reminder"), expected=6)
    reminders = [m for m in mails_to(email) if "活动提醒" in m["subject"]]
    assert len(reminders) == 1 and "明天的讲座" in reminders[0]["subject"] and day.check_in_code in reminders[0]["body"]
    assert len([line for line in sms_lines(masked(day_mobile)) if "提醒" in line]) == 1
    # Turned off by e-mail: no e-mail, but the SMS and the inbox still go.
    assert not [m for m in mails_to(quiet.email) if "活动提醒" in m["subject"]]
    assert Delivery.objects.get(kind="events.reminder_day", channel="email", user=quiet).status == "skipped"
    assert len([line for line in sms_lines(masked(muted_mobile)) if "提醒" in line]) == 1
    (soon_line,) = [line for line in sms_lines(masked(hours_mobile)) if "提醒" in line]
    assert "马上开始的讲座" in soon_line
    assert Delivery.objects.filter(kind="events.reminder_hours").count() == 1


def test_a_cancelled_event_tells_everyone_signed_up_once(celery_worker_process):
    event = EventFactory(capacity=3, title="科技周开幕式")
    people = [(new_mobile(), new_email()) for _ in range(5)]  # 3 confirmed, 2 waiting
    for i, (mobile, email) in enumerate(people):
        registrations.register(event_id=event.pk, name=f"报名人{i}", mobile=mobile, email=email)
    wait_until_sent(Delivery.objects.filter(kind__in=["events.confirmed", "events.waitlisted"]), expected=10)
    event_services.cancel(event_id=event.pk, actor=StaffFactory(), reason="天气原因")
    queue.enqueue("events.tasks.send_event_cancelled_notices", event.pk)  # and once more
    wait_until_sent(Delivery.objects.filter(kind="events.cancelled"), expected=10)
    for mobile, email in people:
        (message,) = [m for m in mails_to(email) if "活动取消" in m["subject"]]
        assert "天气原因" in message["body"]
        (line,) = [line for line in sms_lines(masked(mobile)) if "已取消" in line]
        assert "科技周开幕式" in line and "天气原因" in line
    assert Event.objects.get(pk=event.pk).status == Event.Status.CANCELLED
