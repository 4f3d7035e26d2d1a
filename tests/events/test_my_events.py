"""我的活动 on a volunteer's own page: their sign-ups, upcoming and past."""

from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from events.models import Event, Registration
from events.services import registrations
from tests.volunteers.factories import RecordFactory, VolunteerWithUserFactory

from .factories import EventFactory, PastEventFactory, mobile

pytestmark = pytest.mark.django_db

ME = "/accounts/me/"


def _past_registration(event, phone, status, user=None):
    return Registration.objects.create(
        event=event, name="参加者", mobile=phone, mobile_hash=registrations.mobile_hash(phone), status=status,
        token=registrations.new_token(), check_in_code=registrations.new_check_in_code(), user=user,
    )


def test_a_volunteer_sees_their_upcoming_sign_ups_with_the_check_in_code_and_past_ones_with_hours(client):
    volunteer = VolunteerWithUserFactory()
    client.force_login(volunteer.user)
    confirmed_event = EventFactory(title="青少年机器人体验营", capacity=5)
    full_event = EventFactory(title="院士科普报告会", capacity=1)
    registrations.register(event_id=full_event.pk, name="别人", mobile=mobile(900))
    past_event = PastEventFactory(title="全国科普日主题活动")
    missed_event = PastEventFactory(title="科技活动周开幕式")

    # Signed up while logged in, through the public form (with a mobile other than the one on file).
    response = client.post(reverse("events:register", args=[confirmed_event.pk]),
                           {"name": volunteer.name, "mobile": mobile(1), "privacy": "on", "consent": "on"})
    assert response.status_code == 302, response.content.decode()[:2000]
    confirmed = Registration.objects.get(event=confirmed_event)
    assert confirmed.user == volunteer.user and confirmed.status == Registration.Status.CONFIRMED
    waiting = registrations.register(event_id=full_event.pk, name=volunteer.name, mobile=mobile(2), user=volunteer.user)
    assert waiting.status == Registration.Status.WAITLISTED
    _past_registration(past_event, volunteer.mobile, Registration.Status.CHECKED_IN)
    _past_registration(missed_event, volunteer.mobile, Registration.Status.CONFIRMED)
    RecordFactory(volunteer=volunteer, hours=Decimal("3.5"), title=past_event.title,
                  activity_type=ContentType.objects.get_for_model(Event), activity_id=past_event.pk)

    response = client.get(ME)
    assert response.status_code == 200
    html = response.content.decode()
    assert "我的活动" in html
    upcoming = html[html.index('id="my-events"'):html.index("已结束")]
    past = html[html.index("已结束"):]
    assert "青少年机器人体验营" in upcoming and "院士科普报告会" in upcoming
    assert confirmed.check_in_code in upcoming and "报名成功" in upcoming
    assert "候补中" in upcoming and waiting.check_in_code not in upcoming  # no seat yet, so no code to show
    assert confirmed_event.get_absolute_url() in upcoming and confirmed.get_absolute_url() in upcoming
    assert "查看或取消报名" in upcoming
    assert "全国科普日主题活动" in past and "科技活动周开幕式" in past
    assert "全国科普日主题活动" not in upcoming
    assert "已参加" in past and "未签到" in past and "3.5" in past


def test_a_sign_up_made_anonymously_with_their_mobile_shows_and_another_persons_does_not(client):
    volunteer = VolunteerWithUserFactory()
    event = EventFactory(title="农业技术培训班")
    other_event = EventFactory(title="健康义诊进乡村")
    mine = registrations.register(event_id=event.pk, name=volunteer.name, mobile=volunteer.mobile)
    theirs = registrations.register(event_id=other_event.pk, name="另一人", mobile=mobile(77))
    assert mine.user is None

    client.force_login(volunteer.user)
    html = client.get(ME).content.decode()
    section = html[html.index('id="my-events"'):]
    assert "农业技术培训班" in section and mine.check_in_code in section
    assert "健康义诊进乡村" not in section and theirs.check_in_code not in section


def test_another_volunteer_does_not_see_them(client):
    volunteer = VolunteerWithUserFactory()
    event = EventFactory(title="科普大篷车进校园")
    by_mobile = registrations.register(event_id=event.pk, name=volunteer.name, mobile=volunteer.mobile)
    other_event = EventFactory(title="学术年会")
    by_account = registrations.register(event_id=other_event.pk, name=volunteer.name, mobile=mobile(5),
                                        user=volunteer.user)

    client.force_login(VolunteerWithUserFactory().user)
    html = client.get(ME).content.decode()
    section = html[html.index('id="my-events"'):]
    assert "暂无即将参加的活动" in section
    for registration in (by_mobile, by_account):
        assert registration.event.title not in section and registration.check_in_code not in section
        assert registration.token not in html


def test_cancelled_sign_ups_leave_the_list_and_the_section_costs_a_few_queries(client, django_assert_max_num_queries):
    volunteer = VolunteerWithUserFactory()
    for i in range(5):
        registrations.register(event_id=EventFactory().pk, name=volunteer.name, mobile=mobile(10 + i), user=volunteer.user)
    gone = registrations.register(event_id=EventFactory(title="已取消的报名").pk, name=volunteer.name,
                                  mobile=volunteer.mobile)
    registrations.cancel(registration_id=gone.pk)
    client.force_login(volunteer.user)
    client.get(ME)
    with django_assert_max_num_queries(30) as captured:
        html = client.get(ME).content.decode()
    assert "已取消的报名" not in html
    assert sum("events_registration" in q["sql"] for q in captured.captured_queries) == 1


def test_a_year_after_the_event_the_sign_up_no_longer_names_the_account():
    from datetime import timedelta

    from django.utils import timezone

    from events.retention import anonymise_old_registrations

    volunteer = VolunteerWithUserFactory()
    event = PastEventFactory(start=timezone.now() - timedelta(days=800))
    registration = _past_registration(event, volunteer.mobile, Registration.Status.CHECKED_IN, user=volunteer.user)
    anonymise_old_registrations(timezone.now())
    registration.refresh_from_db()
    assert registration.user is None and registration.mobile == ""
