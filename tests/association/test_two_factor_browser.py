"""A staff member's first log-in where two-step log-in is required, in Chromium on a phone."""

import base64
import re
import time

import pytest
from django.contrib.auth.models import Group
from django_otp.oath import TOTP

from association.roles import POPSCI
from tests.association.factories import StaffFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_first_log_in_enrols_a_phone_shows_printable_backup_codes_then_opens_the_admin(browser, live_server, settings):
    settings.TWO_FACTOR_REQUIRED = True
    StaffFactory(username="popsci-phone").groups.add(Group.objects.get(name=POPSCI))
    context = browser.new_context(locale="zh-CN", viewport={"width": 360, "height": 740})
    context.set_default_timeout(15000)
    phone = context.new_page()
    phone.add_init_script("window.print = () => { window.printed = true; };")  # no print dialog in a test
    try:
        phone.goto(live_server.url + "/accounts/login/")
        phone.fill("input[name=username]", "popsci-phone")
        phone.fill("input[name=password]", "Passw0rd!23")
        phone.get_by_role("button", name="登录").click()
        phone.wait_for_url(re.compile(r"/accounts/two-factor/"))
        assert phone.get_by_text("必须开启两步验证").is_visible()

        secret = phone.locator("code.user-select-all").inner_text().replace(" ", "")
        totp = TOTP(base64.b32decode(secret + "=" * (-len(secret) % 8)))
        totp.time = time.time()
        phone.fill("input[name=token]", f"{totp.token():06d}")
        phone.get_by_role("button", name="开启两步验证").click()

        codes = phone.locator("ol.backup-codes li")
        codes.first.wait_for()
        assert codes.count() == 10
        phone.get_by_role("button", name="打印备用码").click()
        phone.wait_for_function("window.printed === true")
        assert phone.evaluate("document.documentElement.scrollWidth") <= 360

        phone.get_by_role("link", name="我已保存，继续").click()
        phone.wait_for_url(re.compile(r"/admin/$"))
        assert "管理后台" in phone.title()
    finally:
        context.close()
