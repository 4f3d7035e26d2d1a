"""Accounts as people meet them: a forgotten password reset by e-mail, and where log-in leads."""

import re
import time

import pytest
from django.core import mail
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from association import queue
from association.models import OutboxMessage
from association.tasks import send_password_reset
from tests import challenge
from tests.association.factories import StaffFactory, UserFactory
from tests.association.test_queue import broker_down

pytestmark = pytest.mark.django_db

VOLUNTEER = "wangfang@example.com"


@pytest.fixture(autouse=True)
def _broker_not_marked_down():
    # A test that took the broker down must not send the next test's tasks to the outbox.
    yield
    queue._broker_down_until = 0.0


@pytest.fixture
def volunteer(db):
    # Volunteers' user names are their e-mail addresses (volunteers/services/registration.py).
    return UserFactory(username=VOLUNTEER, email=VOLUNTEER, last_name="王芳")


def _ask_for_reset(client, capture, email, ip="10.3.0.1"):
    """Ask for a reset link while Redis is down; returns the response."""
    with broker_down(), capture(execute=True):
        return client.post("/accounts/password-reset/", {"email": email}, REMOTE_ADDR=ip)


def _deliver_mail():
    """What the worker does once the broker is back: send what waited in the outbox."""
    for message in OutboxMessage.objects.filter(task_name="association.send_password_reset"):
        send_password_reset(*message.args)
    return mail.outbox


def _link(message) -> str:
    return re.search(r"http://\S+/accounts/reset/\S+/", message.body).group(0).split("testserver", 1)[-1]


def _code(device):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():06d}"


def test_login_page_offers_a_way_to_reset_a_forgotten_password(client):
    html = client.get("/accounts/login/").content.decode()
    assert "忘记密码" in html and 'href="/accounts/password-reset/"' in html
    page = client.get("/accounts/password-reset/").content.decode()
    assert "找回密码" in page and "电子邮件地址" in page


def test_volunteer_resets_the_password_by_e_mail_even_while_redis_is_down(
    client, volunteer, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "http://testserver"
    started = time.perf_counter()
    response = _ask_for_reset(client, django_capture_on_commit_callbacks, VOLUNTEER.upper())
    assert time.perf_counter() - started < 10, "the request must not wait for the broker"
    assert response.status_code == 302 and response["Location"] == "/accounts/password-reset/sent/"
    assert "请查收邮件" in client.get(response["Location"]).content.decode()
    assert mail.outbox == []  # the request itself sends nothing: a worker does

    [message] = _deliver_mail()
    assert message.to == [VOLUNTEER]
    assert "重设密码" in message.subject
    assert "王芳" in message.body and "设置新密码" in message.body

    form_page = client.get(_link(message), follow=True)
    assert "设置新密码" in form_page.content.decode()
    address = form_page.redirect_chain[-1][0]
    mismatch = client.post(address, {"new_password1": "Lvse-Keji-2026", "new_password2": "Lvse-Keji-2027"})
    assert "输入的两个密码不一致" in mismatch.content.decode()
    done = client.post(address, {"new_password1": "Lvse-Keji-2026", "new_password2": "Lvse-Keji-2026"}, follow=True)
    assert "密码已重设" in done.content.decode()
    assert "_auth_user_id" not in client.session  # not logged in by the reset: they log in anew

    old = client.post("/accounts/login/", {"username": VOLUNTEER, "password": "Passw0rd!23"}, REMOTE_ADDR="10.3.0.2")
    assert old.status_code == 200
    new = client.post("/accounts/login/", {"username": VOLUNTEER, "password": "Lvse-Keji-2026"}, REMOTE_ADDR="10.3.0.2")
    assert new.status_code == 302

    client.logout()
    again = client.get(_link(message), follow=True).content.decode()
    assert "链接无效或已过期" in again  # a link works once


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, volunteer, django_capture_on_commit_callbacks):
    unknown = _ask_for_reset(client, django_capture_on_commit_callbacks, "nobody@example.com")
    assert not OutboxMessage.objects.exists()
    known = _ask_for_reset(client, django_capture_on_commit_callbacks, VOLUNTEER)
    assert OutboxMessage.objects.count() == 1
    assert (unknown.status_code, unknown["Location"]) == (known.status_code, known["Location"])
    assert len(_deliver_mail()) == 1


def test_asking_for_reset_links_is_limited_per_address_and_per_person(client, settings, volunteer):
    settings.PUBLIC_FORM_PERSON_RATE = "2/h"
    settings.PUBLIC_FORM_ADDRESS_RATE = "3/h"
    for _ in range(2):
        assert client.post("/accounts/password-reset/", {"email": VOLUNTEER}).status_code == 302
    again = client.post("/accounts/password-reset/", {"email": VOLUNTEER})
    assert again.status_code == 200 and "申请的次数过多" in again.context["form"].errors["email"][0]
    # The address has had its share: the next person is asked for the picture code, not refused.
    html = client.post("/accounts/password-reset/", {"email": "nobody@example.com"}).content.decode()
    assert challenge.asked(html) and 'value="nobody@example.com"' in html


def test_new_password_must_pass_the_portal_rules(client, django_capture_on_commit_callbacks):
    staff = StaffFactory(username="office1", email="office@example.com")
    _ask_for_reset(client, django_capture_on_commit_callbacks, "office@example.com")
    [message] = _deliver_mail()
    address = client.get(_link(message), follow=True).redirect_chain[-1][0]

    weak = client.post(address, {"new_password1": "kexie2026ab", "new_password2": "kexie2026ab"})
    assert "工作人员密码至少 12 位" in weak.content.decode()
    staff.refresh_from_db()
    assert staff.check_password("Passw0rd!23")


def test_volunteer_short_password_is_refused_in_chinese(client, volunteer, django_capture_on_commit_callbacks):
    _ask_for_reset(client, django_capture_on_commit_callbacks, VOLUNTEER)
    [message] = _deliver_mail()
    address = client.get(_link(message), follow=True).redirect_chain[-1][0]
    page = client.get(address).content.decode()
    assert "密码至少需要 8 个字符" in page and "工作人员密码" not in page  # only the rules that apply
    short = client.post(address, {"new_password1": "k2x", "new_password2": "k2x"})
    form = short.context["form"]
    assert any("密码太短" in e for e in form.errors["new_password1"])  # told at the box it was typed in
    assert "new_password2" not in form.errors


def test_a_malformed_address_gets_the_portals_chinese_message(client, volunteer):
    html = client.post("/accounts/password-reset/", {"email": "not-an-email"}, REMOTE_ADDR="10.3.0.9").content.decode()
    assert "电子邮件地址格式不正确" in html and "Email" not in html


def test_staff_with_two_step_log_in_still_need_the_code_after_a_reset(client, django_capture_on_commit_callbacks, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    staff = StaffFactory(username="office1", email="office@example.com", is_superuser=True)
    device = TOTPDevice.objects.create(user=staff, name="身份验证器", confirmed=True)
    _ask_for_reset(client, django_capture_on_commit_callbacks, "office@example.com")
    [message] = _deliver_mail()
    address = client.get(_link(message), follow=True).redirect_chain[-1][0]
    client.post(address, {"new_password1": "Lvse-Keji-2026!", "new_password2": "Lvse-Keji-2026!"})

    without_code = client.post("/accounts/login/", {"username": "office1", "password": "Lvse-Keji-2026!"}, REMOTE_ADDR="10.3.0.3")
    assert "请输入身份验证器中当前的 6 位动态验证码" in without_code.content.decode()
    assert client.get("/admin/").status_code == 302
    with_code = client.post(
        "/accounts/login/", {"username": "office1", "password": "Lvse-Keji-2026!", "otp_token": _code(device)},
        REMOTE_ADDR="10.3.0.3",
    )
    assert with_code["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_inactive_accounts_get_no_reset_mail(client, django_capture_on_commit_callbacks):
    UserFactory(username=VOLUNTEER, email=VOLUNTEER, is_active=False)
    response = _ask_for_reset(client, django_capture_on_commit_callbacks, VOLUNTEER)
    assert response["Location"] == "/accounts/password-reset/sent/"
    assert _deliver_mail() == []


# -- where log-in leads ----------------------------------------------------------------------


def _login(client, username, next_url=None):
    data = {"username": username, "password": "Passw0rd!23"}
    if next_url is not None:
        data["next"] = next_url
    return client.post("/accounts/login/", data, REMOTE_ADDR="10.3.1.1")


def test_staff_land_in_the_admin_and_volunteers_where_they_did(client):
    StaffFactory(username="office1")
    UserFactory(username=VOLUNTEER)
    assert _login(client, "office1")["Location"] == "/admin/"
    assert client.get("/accounts/login/")["Location"] == "/admin/"  # opened again while logged in
    client.logout()
    assert _login(client, VOLUNTEER)["Location"] == "/"  # an account with no page of its own


def test_a_volunteer_lands_on_their_own_page(client):
    from tests.volunteers.factories import VolunteerWithUserFactory

    VolunteerWithUserFactory(user__username="li@example.com")
    assert _login(client, "li@example.com")["Location"] == "/accounts/me/"


def test_staff_login_still_follows_a_safe_next_and_ignores_an_unsafe_one(client):
    StaffFactory(username="office1")
    assert _login(client, "office1", "/events/")["Location"] == "/events/"
    client.logout()
    assert _login(client, "office1", "https://evil.example.com/")["Location"] == "/admin/"
    client.logout()
    UserFactory(username=VOLUNTEER)
    assert _login(client, VOLUNTEER, "/accounts/me/")["Location"] == "/accounts/me/"


def test_a_volunteer_opening_the_admin_is_told_it_is_for_staff_not_sent_round_in_circles(client, volunteer):
    client.force_login(volunteer)
    response = client.get("/admin/", follow=True)
    assert len(response.redirect_chain) <= 1
    assert response.status_code == 403
    html = response.content.decode()
    assert "管理后台只对工作人员开放" in html and "退出并用工作人员账号登录" in html
