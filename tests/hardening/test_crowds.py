"""Crowds are not abuse: a class, an office, a carrier's shared address all get through.

Limits key on the person (mobile, ID number) as well as the address; an address that has
used its hour's share is asked for a picture code, never refused, and nothing typed is lost.
"""

import pytest
from django.test import Client

from events.models import Registration
from tests import challenge
from tests.events.factories import EventFactory, mobile
from volunteers.idcard import synthetic_identity
from volunteers.models import Volunteer

pytestmark = pytest.mark.django_db

SCHOOL = "202.102.1.7"  # one address for the whole school


def _sign_up(client, event, n, ip, **extra):
    return client.post(f"/events/{event.pk}/register/", {
        "name": f"学生{n:02d}", "mobile": mobile(n), "consent": "on", **extra,
    }, REMOTE_ADDR=ip)


def test_a_teacher_signs_up_a_class_of_forty_from_the_schools_one_address(client):
    event = EventFactory(capacity=60, title="青少年科技创新营")
    answers = [_sign_up(client, event, n, SCHOOL).status_code for n in range(40)]
    assert answers == [302] * 40
    assert Registration.objects.filter(event=event, status=Registration.Status.CONFIRMED).count() == 40


def test_a_county_office_registers_thirty_volunteers_in_an_afternoon(county):
    for n in range(30):
        id_number, _birth, _gender = synthetic_identity(900_000 + n)
        response = Client().post("/volunteers/register/", {
            "name": f"志愿者{n:02d}", "id_number": id_number, "phone": f"1370000{n:04d}",
            "email": f"v{n}@county.example.cn", "political_status": "masses", "education": "bachelor",
            "title": "", "title_level": "", "field": "农业", "employer": "清丰县农业农村局", "county": str(county.pk),
            "skills": "", "password1": "Kexie-2026-abc", "password2": "Kexie-2026-abc", "consent": "on",
            "id_consent": "on",
        }, REMOTE_ADDR="61.163.20.5")
        assert response.status_code == 302, response.content.decode()[:2000]
    assert Volunteer.objects.count() == 30


def test_past_the_addresss_ceiling_a_person_is_asked_for_a_picture_code_and_keeps_what_they_typed(client, settings):
    settings.PUBLIC_FORM_ADDRESS_RATE = "5/h"
    event = EventFactory(capacity=60)
    for n in range(5):
        assert _sign_up(client, event, n, SCHOOL).status_code == 302
    asked = _sign_up(client, event, 5, SCHOOL, email="xs05@school.example.cn", organization="濮阳市第一中学")
    html = asked.content.decode()
    assert asked.status_code == 200 and challenge.asked(html) and "请输入图中的字符。" in html
    assert 'value="学生05"' in html and 'value="xs05@school.example.cn"' in html and "濮阳市第一中学" in html
    assert not Registration.objects.filter(mobile_hash__isnull=False, name="学生05").exists()
    done = _sign_up(client, event, 5, SCHOOL, **challenge.answer(html))
    assert done.status_code == 302
    assert Registration.objects.filter(event=event, name="学生05", status=Registration.Status.CONFIRMED).exists()


def test_mistakes_in_a_crowd_never_turn_into_a_refusal(client, settings):
    settings.PUBLIC_FORM_ADDRESS_RATE = "10/h"
    event = EventFactory(capacity=60)
    for n in range(20):
        wrong = client.post(f"/events/{event.pk}/register/", {"name": f"学生{n:02d}", "mobile": "123", "consent": "on"},
                            REMOTE_ADDR=SCHOOL)
        assert wrong.status_code == 200  # told what is wrong, never 429
    page = _sign_up(client, event, 1, SCHOOL)
    assert page.status_code == 200 and challenge.asked(page.content.decode())
    assert _sign_up(client, event, 1, SCHOOL, **challenge.answer(page.content.decode())).status_code == 302


def test_a_carriers_shared_address_holds_many_honest_people(client, settings):
    settings.PUBLIC_FORM_ADDRESS_RATE = "5/h"
    event = EventFactory(capacity=100)
    answers = [_sign_up(client, event, n, "100.72.14.3").status_code for n in range(30)]  # RFC 6598 space
    assert answers == [302] * 30


def test_one_mobile_submitting_over_and_over_is_stopped_at_its_own_field(client, settings):
    settings.PUBLIC_FORM_PERSON_RATE = "3/h"
    events = [EventFactory(capacity=10) for _ in range(4)]
    for n, event in enumerate(events[:3]):
        assert _sign_up(client, event, 7, f"203.0.113.{n}").status_code == 302
    stopped = _sign_up(client, events[3], 7, "203.0.113.200")
    assert stopped.status_code == 200
    errors = stopped.context["form"].errors
    assert "提交的次数过多" in errors["mobile"][0]
    # someone else at the same moment is not affected
    assert _sign_up(client, events[3], 8, "203.0.113.200").status_code == 302


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_person_asked_for_the_picture_code_can_ask_for_another_and_sign_up(page, settings):
    from captcha.models import CaptchaStore
    from playwright.sync_api import expect

    settings.PUBLIC_FORM_ADDRESS_RATE = "0/h"  # this address has used its share already
    event = EventFactory(capacity=10, title="科普大篷车进校园")
    page.goto(f"{page.base_url}/events/{event.pk}/register/")
    page.fill("#id_name", "李明")
    page.fill("#id_mobile", mobile(31))
    page.check("#id_consent")
    first = page.get_attribute("img.captcha", "src")
    page.get_by_role("button", name="看不清，换一张").click()
    expect(page.locator("img.captcha")).not_to_have_attribute("src", first)
    key = page.input_value("#id_captcha_0")
    page.fill("#id_captcha_1", CaptchaStore.objects.get(hashkey=key).response.lower())
    page.get_by_role("button", name="提交报名").click()
    page.wait_for_url("**/events/registration/**")
    assert Registration.objects.get(event=event).name == "李明"
