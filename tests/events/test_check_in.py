"""Staff check people in on a phone-sized page by scanning or typing the code."""

import pytest

from events.models import Registration
from tests.events.factories import EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def checker(client, staff_with):
    user = staff_with("events.check_in_registration")
    client.force_login(user)
    return client


def test_staff_checks_in_by_typed_code_and_attendance_rises(checker, sign_up):
    event = EventFactory()
    (registration,) = sign_up(event, 1)
    response = checker.post(f"/events/{event.pk}/check-in/", {"code": registration.check_in_code.lower()})
    html = response.content.decode()
    assert "签到成功" in html and registration.masked_name in html
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CHECKED_IN
    event.refresh_from_db()
    assert event.checked_in_count == 1
    assert 'id="checked-in-count">1<' in html


def test_scanned_qr_address_is_accepted_as_the_code(checker, sign_up):
    event = EventFactory()
    (registration,) = sign_up(event, 1)
    scanned = f"http://testserver/events/{event.pk}/check-in/?code={registration.check_in_code}"
    assert "签到成功" in checker.post(f"/events/{event.pk}/check-in/", {"code": scanned}).content.decode()


def test_qr_link_opened_by_phone_camera_prefills_the_code(checker, sign_up):
    event = EventFactory()
    (registration,) = sign_up(event, 1)
    html = checker.get(f"/events/{event.pk}/check-in/", {"code": registration.check_in_code}).content.decode()
    assert f'value="{registration.check_in_code}"' in html
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED  # a GET changes nothing


def test_unknown_code_gets_a_chinese_message(checker):
    event = EventFactory()
    html = checker.post(f"/events/{event.pk}/check-in/", {"code": "ZZZZ9999"}).content.decode()
    assert "签到码无效" in html


def test_checking_in_twice_is_refused_with_the_time(checker, sign_up):
    event = EventFactory()
    (registration,) = sign_up(event, 1)
    checker.post(f"/events/{event.pk}/check-in/", {"code": registration.check_in_code})
    html = checker.post(f"/events/{event.pk}/check-in/", {"code": registration.check_in_code}).content.decode()
    assert "请勿重复签到" in html
    event.refresh_from_db()
    assert event.checked_in_count == 1


def test_check_in_page_is_for_staff_with_the_permission(client, staff_with):
    event = EventFactory()
    response = client.get(f"/events/{event.pk}/check-in/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(staff_with())
    assert client.get(f"/events/{event.pk}/check-in/").status_code == 403


def test_check_in_page_uses_no_script_from_other_sites(checker):
    html = checker.get(f"/events/{EventFactory().pk}/check-in/").content.decode()
    assert "BarcodeDetector" not in html  # lives in our own static file
    assert "check_in.js" in html
    assert "cdn" not in html.lower() and "https://" not in html


def test_staff_with_two_step_log_in_must_pass_it_first(client, staff_with):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = staff_with("events.check_in_registration")
    TOTPDevice.objects.create(user=user, name="身份验证器", confirmed=True)
    client.force_login(user)
    response = client.get(f"/events/{EventFactory().pk}/check-in/")
    # to the two-step page, where the code for this session is asked (not back to log-in)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/two-factor/?next=")
