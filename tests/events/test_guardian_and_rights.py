"""Events for young people ask a child's guardian before keeping anything; a volunteer's
sign-ups are in the copy of their data and go when they close their account."""

import json
import re

import pytest

from events.models import Registration
from events.services import GuardianRequired, registrations
from tests.volunteers.factories import VolunteerWithUserFactory
from volunteers.consents import GUARDIAN_STATEMENT_VERSION

from .factories import EventFactory, mobile

pytestmark = pytest.mark.django_db

CHILD = {"name": "王小明", "mobile": mobile(1), "consent": "on", "age_group": "under14"}


def _sign_up(client, event, data):
    return client.post(f"/events/{event.pk}/register/", data)


def test_a_youth_event_asks_the_age_and_a_public_one_does_not(client):
    youth = EventFactory(for_youth=True, title="青少年机器人体验营")
    public = EventFactory()
    assert "面向青少年" in client.get(f"/events/{youth.pk}/").content.decode()
    assert "面向青少年" not in client.get(f"/events/{public.pk}/").content.decode()
    assert 'name="age_group"' in client.get(f"/events/{youth.pk}/register/").content.decode()
    html = client.get(f"/events/{public.pk}/register/").content.decode()
    assert 'name="age_group"' not in html and "监护人" not in html


def test_a_child_under_14_needs_a_guardians_name_mobile_and_statement_and_keeps_what_was_typed(client):
    event = EventFactory(for_youth=True)
    html = _sign_up(client, event, CHILD).content.decode()
    assert "未满14周岁的，请填写监护人姓名" in html and "未满14周岁的，请填写监护人手机号码" in html
    assert "须由监护人阅读并勾选《监护人同意声明》" in html
    assert 'value="王小明"' in html and re.search(r'value="under14"[^>]*checked', html)
    assert not Registration.objects.exists()

    response = _sign_up(client, event, {**CHILD, "guardian_name": "王建国", "guardian_mobile": "13700001111",
                                        "guardian_statement": "on"})
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert (registration.guardian_name, registration.guardian_mobile) == ("王建国", "13700001111")
    assert registration.guardian_statement_version == GUARDIAN_STATEMENT_VERSION


def test_at_a_youth_event_the_age_question_must_be_answered_and_no_guardian_is_asked_at_14_or_over(client):
    event = EventFactory(for_youth=True)
    html = _sign_up(client, event, {"name": "王大明", "mobile": mobile(2), "consent": "on"}).content.decode()
    assert "请选择参加者是否未满14周岁" in html and not Registration.objects.exists()
    assert _sign_up(client, event, {"name": "王大明", "mobile": mobile(2), "consent": "on", "age_group": "14+",
                                    "guardian_name": "不需要"}).status_code == 302
    assert Registration.objects.get().guardian_name == ""


def test_the_service_refuses_a_child_without_a_guardian_at_a_youth_event():
    event = EventFactory(for_youth=True)
    with pytest.raises(GuardianRequired):
        registrations.register(event_id=event.pk, name="王小明", mobile=mobile(3), under_14=True)
    assert not Registration.objects.exists()


def test_the_guardian_mobile_is_encrypted_at_rest():
    from django.db import connection

    event = EventFactory(for_youth=True)
    registrations.register(event_id=event.pk, name="王小明", mobile=mobile(4), under_14=True,
                           guardian={"name": "王建国", "mobile": "13700002222"})
    with connection.cursor() as cursor:
        cursor.execute("SELECT guardian_mobile FROM events_registration")
        (stored,) = cursor.fetchone()
    assert stored and "13700002222" not in stored


def test_my_sign_ups_are_in_my_data_download_and_not_others(client):
    volunteer = VolunteerWithUserFactory()
    client.force_login(volunteer.user)
    event = EventFactory(title="院士科普报告会")
    registrations.register(event_id=event.pk, name=volunteer.name, mobile=mobile(5), user=volunteer.user)
    registrations.register(event_id=event.pk, name="别人", mobile=mobile(6))
    data = json.loads(client.post("/accounts/me/data/download/", {"password": "Passw0rd!23", "fmt": "json"}).content)
    assert [(r["活动"], r["手机号码"]) for r in data["活动报名"]] == [("院士科普报告会", mobile(5))]


def test_closing_the_account_gives_up_upcoming_places_and_erases_the_sign_ups(client):
    volunteer = VolunteerWithUserFactory()
    client.force_login(volunteer.user)
    event = EventFactory(capacity=1)
    mine = registrations.register(event_id=event.pk, name=volunteer.name, mobile=volunteer.mobile)
    waiting = registrations.register(event_id=event.pk, name="候补者", mobile=mobile(7))
    client.post("/accounts/me/delete/", {"password": "Passw0rd!23", "confirm": "on"})
    mine.refresh_from_db()
    waiting.refresh_from_db()
    assert mine.status == Registration.Status.CANCELLED and mine.name == "（已删除）" and mine.mobile == ""
    assert waiting.status == Registration.Status.CONFIRMED  # the place went to the waiting list
