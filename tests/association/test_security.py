import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from tests import challenge
from tests.association.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def _login(client, username, password, ip="10.0.0.1"):
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_account_is_locked_after_five_wrong_passwords_even_with_the_right_one(client):
    UserFactory(username="kexie")
    for _ in range(4):
        assert _login(client, "kexie", "wrong-password").status_code == 200
    assert _login(client, "kexie", "wrong-password").status_code == 429
    response = _login(client, "kexie", "Passw0rd!23")
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_many_failures_from_one_address_ask_for_a_picture_code_instead_of_locking_it(client, settings):
    UserFactory(username="someone")
    for n in range(settings.LOGIN_FAILURES_PER_ADDRESS):
        _login(client, f"guess{n}", "wrong", ip="10.9.9.9")
    # The next person in that office is not refused: the form asks them to read a picture.
    page = _login(client, "someone", "Passw0rd!23", ip="10.9.9.9")
    html = page.content.decode()
    assert page.status_code == 200 and challenge.asked(html) and "请输入图中的字符。" in html
    assert "_auth_user_id" not in client.session
    assert 'value="someone"' in html  # what was typed is kept
    response = client.post("/accounts/login/", {"username": "someone", "password": "Passw0rd!23", **challenge.answer(html)},
                           REMOTE_ADDR="10.9.9.9")
    assert response.status_code == 302
    # another address is not asked at all
    client.logout()
    assert not challenge.asked(client.get("/accounts/login/", REMOTE_ADDR="10.1.1.1").content.decode())
    assert _login(client, "someone", "Passw0rd!23", ip="10.1.1.1").status_code == 302


def test_a_wrong_picture_code_tries_no_password(client, settings):
    UserFactory(username="someone")
    for n in range(settings.LOGIN_FAILURES_PER_ADDRESS):
        _login(client, f"guess{n}", "wrong", ip="10.9.9.8")
    html = client.get("/accounts/login/", REMOTE_ADDR="10.9.9.8").content.decode()
    fields = {**challenge.answer(html), "captcha_1": "ZZZZ"}
    for _ in range(8):  # more than the account's own limit: none of them is counted
        response = client.post("/accounts/login/", {"username": "someone", "password": "wrong", **fields},
                               REMOTE_ADDR="10.9.9.8")
        assert "验证码不正确" in response.content.decode()
    assert _login(client, "someone", "Passw0rd!23", ip="10.1.1.2").status_code == 302


def test_one_colleague_locking_their_account_does_not_lock_the_office_out(client):
    UserFactory(username="mistyper")
    UserFactory(username="colleague")
    for _ in range(5):
        _login(client, "mistyper", "wrong", ip="10.2.2.2")
    assert _login(client, "mistyper", "Passw0rd!23", ip="10.2.2.2").status_code == 429
    assert _login(client, "colleague", "Passw0rd!23", ip="10.2.2.2").status_code == 302


def test_logging_in_to_ones_own_account_does_not_wipe_failures_against_another(client):
    UserFactory(username="office")
    UserFactory(username="volunteer")
    for _ in range(4):
        _login(client, "office", "wrong", ip="10.3.3.3")
    assert _login(client, "volunteer", "Passw0rd!23", ip="10.3.3.3").status_code == 302
    client.logout()
    assert _login(client, "office", "wrong", ip="10.3.3.3").status_code == 429
    assert _login(client, "office", "Passw0rd!23", ip="10.3.3.3").status_code == 429


def test_wrong_password_shows_a_chinese_message_and_keeps_the_username(client):
    UserFactory(username="kexie")
    html = _login(client, "kexie", "wrong").content.decode()
    assert "正确的" in html
    assert 'value="kexie"' in html


def test_staff_need_a_long_mixed_password_while_others_do_not():
    staff = StaffFactory.build(username="office1")
    with pytest.raises(ValidationError) as err:
        validate_password("kexie2026ab", user=staff)
    assert "工作人员密码至少 12 位" in str(err.value)
    validate_password("Kexie-2026-Puyang", user=staff)
    validate_password("kexie2026ab", user=UserFactory.build(username="volunteer1"))


def test_login_page_shows_the_association_name_not_the_host(client):
    html = client.get("/accounts/login/").content.decode()
    assert "濮阳市科学技术协会" in html
    assert "testserver</span>" not in html


def test_lockout_page_offers_the_password_reset(client):
    UserFactory(username="kexie")
    for _ in range(5):
        response = _login(client, "kexie", "wrong-password")
    assert response.status_code == 429
    assert 'href="/accounts/password-reset/"' in response.content.decode()
