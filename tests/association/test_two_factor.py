import base64
import importlib
import re
import time

import pytest
from django.apps import apps
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.association.factories import StaffFactory

pytestmark = pytest.mark.django_db


def _code(device):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():06d}"


def _code_for_secret(page: str) -> str:
    """What a phone's authenticator shows for the key the page lets people type in."""
    secret = re.search(r'<code class="user-select-all">([A-Z2-7 ]+)</code>', page).group(1).replace(" ", "")
    totp = TOTP(base64.b32decode(secret + "=" * (-len(secret) % 8)))
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
    assert "class=\"segno\"" in page and "开启两步验证" in page
    right = _code_for_secret(page)
    wrong = client.post("/accounts/two-factor/", {"token": "000000" if right != "000000" else "111111"})
    assert "动态验证码不正确" in wrong.content.decode()
    enabled = client.post("/accounts/two-factor/", {"token": right}, follow=True).content.decode()
    assert "两步验证已开启" in enabled and "已开启" in enabled
    device = TOTPDevice.objects.get(user=staff)
    assert device.confirmed

    client.logout()
    response = _login(client)
    assert response.status_code == 200
    assert "请输入身份验证器中当前的 6 位动态验证码" in response.content.decode()
    assert client.get("/admin/").status_code == 302
    mistyped = _login(client, otp_token="000000" if _code(device) != "000000" else "111111").content.decode()
    assert "动态验证码不正确" in mistyped and "请输入身份验证器中当前的 6 位动态验证码" not in mistyped

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


def test_opening_or_failing_the_enrolment_stores_no_device(client):
    staff = StaffFactory(username="office1", is_superuser=True)
    client.force_login(staff)
    first = client.get("/accounts/two-factor/").content.decode()
    # coming back shows the same key (the one the phone may have scanned already)
    assert _code_for_secret(client.get("/accounts/two-factor/").content.decode()) == _code_for_secret(first)
    client.post("/accounts/two-factor/", {"token": "12345"})
    client.post("/accounts/two-factor/", {"token": "abcdef"})
    assert not TOTPDevice.objects.exists()
    # two-step log-in is still off: the password alone opens the admin
    client.logout()
    assert _login(client)["Location"] == "/admin/"


def test_confirming_leaves_one_confirmed_device_and_no_unconfirmed_one(client):
    staff = StaffFactory(username="office1", is_superuser=True)
    TOTPDevice.objects.create(user=staff, name="旧页面留下的", confirmed=False)
    client.force_login(staff)
    page = client.get("/accounts/two-factor/").content.decode()
    client.post("/accounts/two-factor/", {"token": _code_for_secret(page)})
    assert list(TOTPDevice.objects.values_list("user__username", "confirmed")) == [("office1", True)]
    # the code just used cannot be used again to log in
    client.logout()
    assert "动态验证码" in _login(client, otp_token=_code_for_secret(page)).content.decode()


def test_unconfirmed_devices_left_by_the_old_page_are_removed_by_the_migration():
    staff = StaffFactory(username="office1")
    TOTPDevice.objects.create(user=staff, name="未确认", confirmed=False)
    kept = TOTPDevice.objects.create(user=StaffFactory(username="office2"), name="已确认", confirmed=True)
    migration = importlib.import_module("association.migrations.0009_remove_unconfirmed_totp_devices")
    migration.remove_unconfirmed(apps, None)
    assert list(TOTPDevice.objects.all()) == [kept]


def test_staff_find_two_step_log_in_from_the_admin_header(client):
    client.force_login(StaffFactory(username="office1", is_superuser=True))
    html = client.get("/admin/").content.decode()
    header = html[html.index('id="user-tools"'):html.index("</header>")]
    assert 'href="/accounts/two-factor/"' in header and "两步验证" in header
    page = client.get("/accounts/two-factor/").content.decode()
    assert 'href="/admin/"' in page  # and back


def test_device_list_in_the_admin_points_to_the_enrolment_page(client):
    client.force_login(StaffFactory(username="office1", is_superuser=True))
    html = client.get("/admin/otp_totp/totpdevice/").content.decode()
    assert 'href="/accounts/two-factor/"' in html
    assert "身份验证器扫码" in html
