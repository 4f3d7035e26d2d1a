import time

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.association.factories import StaffFactory

pytestmark = pytest.mark.django_db


def _code(device):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():06d}"


def _login(client, **extra):
    return client.post("/accounts/login/", {"username": "office1", "password": "Passw0rd!23", **extra}, REMOTE_ADDR="10.2.0.1")


def test_staff_without_two_step_log_in_reach_the_admin_with_a_password(client):
    StaffFactory(username="office1", is_superuser=True)
    assert _login(client).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_staff_turn_two_step_on_and_then_need_the_code_to_log_in(client, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # the test types a wrong code and the right one at once
    staff = StaffFactory(username="office1", is_superuser=True)
    client.force_login(staff)
    page = client.get("/accounts/two-factor/").content.decode()
    assert "<svg" in page and "开启两步验证" in page
    device = TOTPDevice.objects.get(user=staff)
    wrong = client.post("/accounts/two-factor/", {"token": "000000" if _code(device) != "000000" else "111111"})
    assert "动态验证码不正确" in wrong.content.decode()
    client.post("/accounts/two-factor/", {"token": _code(device)})
    device.refresh_from_db()
    assert device.confirmed

    client.logout()
    response = _login(client)
    assert response.status_code == 200
    assert "请输入身份验证器中当前的 6 位动态验证码" in response.content.decode()
    assert client.get("/admin/").status_code == 302

    device.refresh_from_db()
    device.last_t = -1
    device.save()
    assert _login(client, otp_token=_code(device)).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_admin_header_carries_the_association_name(client):
    staff = StaffFactory(username="office1", is_superuser=True)
    client.force_login(staff)
    html = client.get("/admin/").content.decode()
    assert "管理后台" in html
    assert "科学技术协会" in html
