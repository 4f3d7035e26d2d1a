"""Two-step log-in required of every staff account (TWO_FACTOR_REQUIRED), with backup codes:
a password alone opens no admin page, dashboard or private file."""

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from association.models import AuditEntry, ReportJob
from association.roles import LEADERS, OFFICE, POPSCI
from tests.association.factories import StaffFactory
from tests.events.factories import EventFactory
from tests.volunteers.factories import VolunteerWithUserFactory
from volunteers.models import HoursCertificate

pytestmark = pytest.mark.django_db

PASSWORD = "Passw0rd!23"
STEP = "/accounts/two-factor/"


@pytest.fixture(autouse=True)
def required(settings):
    settings.TWO_FACTOR_REQUIRED = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # tests type codes faster than a person would
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def staff_in(*groups, **kwargs):
    user = StaffFactory(**kwargs)
    user.groups.add(*Group.objects.filter(name__in=groups))
    return user


def log_in(client, username, otp_token=""):
    data = {"username": username, "password": PASSWORD}
    if otp_token:
        data["otp_token"] = otp_token
    return client.post("/accounts/login/", data, REMOTE_ADDR="10.4.0.1")


def code_of(device) -> str:
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():06d}"


def code_for_page(page: str) -> str:
    import base64

    secret = re.search(r'<code class="user-select-all">([A-Z2-7 ]+)</code>', page).group(1).replace(" ", "")
    totp = TOTP(base64.b32decode(secret + "=" * (-len(secret) % 8)))
    totp.time = time.time()
    return f"{totp.token():06d}"


def codes_shown(page: str) -> list[str]:
    return re.findall(r'<span class="user-select-all">([a-z2-7]{4}-[a-z2-7]{4})</span>', page)


def step_address(client, path) -> str:
    """Where opening ``path`` ends: the address of the last redirect, or "" for a page."""
    response = client.get(path)
    location = ""
    for _hop in range(5):  # a redirect loop ends here too
        if response.status_code != 302:
            break
        location = response["Location"]
        if location.startswith(STEP):
            break
        response = client.get(location)
    return location


def sent_to_step(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(STEP)


def enrol(client) -> list[str]:
    page = client.get(STEP).content.decode()
    answer = client.post(STEP, {"token": code_for_page(page)})
    assert answer.status_code == 200
    return codes_shown(answer.content.decode())


def forget_last_code(user):
    """The authenticator moves on to the next 30 seconds (a code is good for one log-in)."""
    TOTPDevice.objects.filter(user=user).update(last_t=-1)


@pytest.fixture
def private_files(tmp_path):
    """A report and a certificate, stored in a temporary folder."""
    private = FileSystemStorage(location=tmp_path / "private", base_url=None)
    fields = [HoursCertificate._meta.get_field("file"), ReportJob._meta.get_field("pdf")]
    originals = [(field, field.storage) for field in fields]
    for field in fields:
        field.storage = private
    job = ReportJob.objects.create(report="annual", year=2025, params_key="annual|2025||||t", status=ReportJob.Status.SUCCEEDED)
    job.pdf.save("annual.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    certificate = HoursCertificate.objects.create(
        volunteer=VolunteerWithUserFactory(), code="ABCD2345EFGH", status=HoursCertificate.Status.READY, total_hours=12,
        record_count=3, generated_at=timezone.now(),
    )
    certificate.file.save("cert.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    yield {"report": f"/dashboard/reports/{job.pk}/pdf/", "certificate": f"/accounts/me/certificates/{certificate.pk}/download/"}
    for field, storage in originals:
        field.storage = storage


def staff_pages(private_files):
    return ["/admin/", "/admin/volunteers/volunteer/", "/admin/auth/user/", "/dashboard/",
            f"/events/{EventFactory().pk}/check-in/", private_files["report"], private_files["certificate"]]


# -- a password alone -----------------------------------------------------------------------


def test_staff_logging_in_with_a_password_alone_are_sent_to_enrol(client):
    staff_in(POPSCI, username="popsci1")
    response = log_in(client, "popsci1")
    assert response["Location"] == f"{STEP}?next=%2Fadmin%2F"
    page = client.get(response["Location"]).content.decode()
    assert "必须开启两步验证" in page and "class=\"segno\"" in page


def test_until_enrolled_staff_reach_no_admin_page_dashboard_or_private_file(client, private_files):
    user = staff_in(POPSCI, LEADERS, username="popsci1")
    user.user_permissions.add(*Permission.objects.filter(codename__in=["check_in_registration", "view_hourscertificate"]))
    log_in(client, "popsci1")
    for path in staff_pages(private_files):
        assert step_address(client, path) == f"{STEP}?next={path.replace('/', '%2F')}", path
    assert client.get(STEP).status_code == 200


def test_superusers_are_bound_as_well(client):
    StaffFactory(username="root", is_superuser=True)
    assert sent_to_step(log_in(client, "root"))
    assert step_address(client, "/admin/").startswith(STEP)


def test_volunteers_keep_logging_in_with_a_password(client):
    volunteer = VolunteerWithUserFactory()
    volunteer.user.set_password(PASSWORD)
    volunteer.user.save()
    response = log_in(client, volunteer.user.username)
    assert response["Location"] == "/accounts/me/"
    assert client.get("/accounts/me/").status_code == 200
    assert client.get(STEP).status_code == 403


def test_with_the_setting_off_a_password_still_opens_the_admin(client, settings):
    settings.TWO_FACTOR_REQUIRED = False
    staff_in(POPSCI, username="popsci1")
    assert log_in(client, "popsci1")["Location"] == "/admin/"
    assert client.get("/admin/volunteers/volunteer/").status_code == 200


def test_staff_who_passed_two_step_reach_the_admin(client, pass_two_step):
    pass_two_step(client, staff_in(POPSCI))
    assert client.get("/admin/volunteers/volunteer/").status_code == 200


@pytest.mark.parametrize(("debug", "required"), [("0", "True"), ("1", "False")])
def test_required_by_default_in_production_and_not_in_development(debug, required):
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("PYTEST_VERSION", "DEBUG", "TWO_FACTOR_REQUIRED")},
        "DEBUG": debug, "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": "prod-like-" + "k3y" * 20, "FIELD_ENCRYPTION_KEYS": "YmVuY2gtb25seS1maWVsZC1rZXktbm90LWZvci1wciE=",
    }
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from django.conf import settings; print(settings.TWO_FACTOR_REQUIRED)"],
        cwd=Path(__file__).resolve().parents[2], env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.stdout.strip() == required, result.stderr


# -- enrolment and backup codes -------------------------------------------------------------


def test_enrolment_shows_ten_backup_codes_once_then_opens_the_admin(client):
    user = staff_in(POPSCI, username="popsci1")
    log_in(client, "popsci1")
    page = client.get(f"{STEP}?next=/admin/volunteers/volunteer/").content.decode()
    answer = client.post(STEP, {"token": code_for_page(page), "next": "/admin/volunteers/volunteer/"})
    html = answer.content.decode()
    codes = codes_shown(html)
    assert len(set(codes)) == 10
    assert "只在此页显示这一次" in html and "打印备用码" in html and "两步验证已开启" in html
    assert 'href="/admin/volunteers/volunteer/"' in html  # 继续 where the person was going
    assert "no-store" in answer["Cache-Control"]
    assert client.get("/admin/volunteers/volunteer/").status_code == 200
    # never again: the two-step page now says how many are left, not which
    later = client.get(STEP).content.decode()
    assert "尚未使用的备用码：<strong>10</strong>" in later
    assert not any(code.replace("-", "") in later for code in codes)
    assert TOTPDevice.objects.filter(user=user, confirmed=True).count() == 1


def test_a_backup_code_logs_in_once_in_place_of_the_authenticator_code(client):
    staff_in(POPSCI, username="popsci1")
    log_in(client, "popsci1")
    first, second, *_ = enrol(client)
    client.logout()

    without = log_in(client, "popsci1").content.decode()
    assert "请输入身份验证器中当前的 6 位动态验证码" in without
    typed = first.upper().replace("-", " ")  # read off paper: capitals, a space
    assert log_in(client, "popsci1", otp_token=typed)["Location"] == "/admin/"
    assert client.get("/admin/volunteers/volunteer/").status_code == 200

    client.logout()
    again = log_in(client, "popsci1", otp_token=first)
    assert again.status_code == 200 and "动态验证码不正确" in again.content.decode()
    assert log_in(client, "popsci1", otp_token=second).status_code == 302
    assert StaticToken.objects.count() == 8


def test_new_backup_codes_void_the_old_ones(client):
    user = staff_in(POPSCI, username="popsci1")
    log_in(client, "popsci1")
    old = enrol(client)
    forget_last_code(user)
    device = TOTPDevice.objects.get(user=user)
    renewed = client.post(STEP, {"action": "backup_codes", "backup_codes-token": code_of(device)})
    new = codes_shown(renewed.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    assert "旧的备用码已全部作废" in renewed.content.decode()
    client.logout()
    assert log_in(client, "popsci1", otp_token=old[0]).status_code == 200
    assert log_in(client, "popsci1", otp_token=new[0]).status_code == 302
    assert StaticDevice.objects.filter(user=user).count() == 1


def test_new_backup_codes_need_a_current_code(client):
    user = staff_in(POPSCI, username="popsci1")
    log_in(client, "popsci1")
    old = enrol(client)
    refused = client.post(STEP, {"action": "backup_codes", "backup_codes-token": "123456"})
    assert "动态验证码不正确" in refused.content.decode() and not codes_shown(refused.content.decode())
    assert set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True)) == {c.replace("-", "") for c in old}


def test_staff_cannot_switch_two_step_off_where_it_is_required(client):
    user = staff_in(POPSCI, username="popsci1")
    log_in(client, "popsci1")
    enrol(client)
    forget_last_code(user)
    page = client.get(STEP).content.decode()
    assert "关闭两步验证" not in page and "更换手机" in page
    client.post(STEP, {"action": "disable", "disable-token": code_of(TOTPDevice.objects.get(user=user))})
    # the old phone and codes are void, and the person is back at enrolment, not in the admin
    assert not TOTPDevice.objects.filter(user=user).exists() and not StaticDevice.objects.filter(user=user).exists()
    assert step_address(client, "/admin/").startswith(STEP)
    assert "class=\"segno\"" in client.get(STEP).content.decode()


def test_a_session_with_a_password_only_passes_the_code_on_the_two_step_page(client):
    user = staff_in(POPSCI, username="popsci1")
    device = TOTPDevice.objects.create(user=user, name="身份验证器", confirmed=True)
    client.force_login(user)  # e.g. a session opened before the device was added
    address = step_address(client, "/admin/volunteers/volunteer/")
    assert address == f"{STEP}?next=%2Fadmin%2Fvolunteers%2Fvolunteer%2F"
    page = client.get(address).content.decode()
    assert "验证并继续" in page
    wrong = client.post(STEP, {"token": "000000" if code_of(device) != "000000" else "111111"})
    assert "动态验证码不正确" in wrong.content.decode()
    passed = client.post(STEP, {"token": code_of(device), "next": "/admin/volunteers/volunteer/"})
    assert passed["Location"] == "/admin/volunteers/volunteer/"
    assert client.get("/admin/volunteers/volunteer/").status_code == 200


def test_the_two_step_page_never_sends_people_to_another_site(client):
    user = staff_in(POPSCI, username="popsci1")
    device = TOTPDevice.objects.create(user=user, name="身份验证器", confirmed=True)
    client.force_login(user)
    response = client.post(STEP, {"token": code_of(device), "next": "https://evil.example/"})
    assert response["Location"] == "/admin/"


# -- a lost phone ---------------------------------------------------------------------------


def test_a_superuser_resets_a_lost_phone_and_the_audit_log_says_so(client, pass_two_step):
    clerk = staff_in(POPSCI, username="popsci1")
    TOTPDevice.objects.create(user=clerk, name="身份验证器", confirmed=True)
    StaticToken.objects.create(device=StaticDevice.objects.create(user=clerk, name="备用码"), token="abcdefgh")
    admin = StaffFactory(username="root", is_superuser=True)
    pass_two_step(client, admin)
    change = client.get(f"/admin/auth/user/{clerk.pk}/change/").content.decode()
    assert f'href="/admin/auth/user/{clerk.pk}/two-factor/reset/"' in change and "重置两步验证" in change
    assert "已开启（未使用的备用码 1 个）" in change
    confirm = client.get(f"/admin/auth/user/{clerk.pk}/two-factor/reset/").content.decode()
    assert "确认重置" in confirm
    done = client.post(f"/admin/auth/user/{clerk.pk}/two-factor/reset/", follow=True).content.decode()
    assert "已重置 popsci1 的两步验证" in done
    assert not TOTPDevice.objects.filter(user=clerk).exists() and not StaticDevice.objects.filter(user=clerk).exists()
    entry = AuditEntry.objects.get(object_repr="popsci1")
    assert entry.actor == admin and entry.action == AuditEntry.Action.CHANGE and "重置两步验证" in entry.detail
    # the person logs in with the password and enrols a new phone
    client.logout()
    assert sent_to_step(log_in(client, "popsci1"))


def test_only_a_superuser_resets_two_step_log_in(client, pass_two_step):
    target = staff_in(OFFICE, username="office2")
    device = TOTPDevice.objects.create(user=target, name="身份验证器", confirmed=True)
    pass_two_step(client, staff_in(OFFICE, username="office1"))
    assert "重置两步验证" not in client.get(f"/admin/auth/user/{target.pk}/change/").content.decode()
    assert client.post(f"/admin/auth/user/{target.pk}/two-factor/reset/").status_code == 403
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    assert not AuditEntry.objects.exists()
