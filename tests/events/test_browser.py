"""The public journey in Chromium: find an event, sign up, see the QR code, cancel.

expect() waits for the page a click leads to; is_visible() would look before it arrives."""

import pytest
from playwright.sync_api import expect

from events.models import Event, Registration
from tests.events.factories import EventFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_person_finds_an_event_by_kind_and_signs_up(page):
    EventFactory(title="冬季健康义诊进社区", kind=Event.Kind.HEALTH_CLINIC, capacity=2)
    EventFactory(title="设施蔬菜冬季管理讲座", kind=Event.Kind.TRAINING)
    page.goto(page.base_url + "/")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="活动").click()
    page.get_by_label("活动类别").select_option(label="健康义诊")
    page.get_by_role("button", name="筛选").click()
    assert page.get_by_role("link", name="设施蔬菜冬季管理讲座").count() == 0
    page.get_by_role("link", name="冬季健康义诊进社区").click()
    expect(page.get_by_text("/ 2 个名额剩余")).to_be_visible()
    page.get_by_role("link", name="我要报名").click()

    page.get_by_label("姓名").fill("王芳")
    page.get_by_label("手机号码").fill("1381234567")  # one digit short
    page.get_by_label("我同意主办方").check()
    page.get_by_role("button", name="提交报名").click()
    expect(page.locator("[data-error-summary]")).to_be_focused()
    expect(page.locator("#div_id_mobile").get_by_text("请输入 11 位手机号码")).to_be_visible()
    assert page.get_by_label("姓名").input_value() == "王芳"

    page.get_by_label("手机号码").fill("13812345678")
    page.get_by_label("我同意主办方").check()
    page.get_by_role("button", name="提交报名").click()
    expect(page.get_by_role("heading", name="报名成功")).to_be_visible()
    expect(page.locator(".qr-box svg")).to_be_visible()
    registration = Registration.objects.get()
    expect(page.get_by_text(registration.check_in_code)).to_be_visible()
    expect(page.get_by_text("138****5678")).to_be_visible()

    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    page.get_by_role("button", name="取消报名").click()
    page.wait_for_load_state()
    assert asked and "确定取消报名吗" in asked[0]  # asked by our own script, allowed by the CSP
    expect(page.get_by_role("heading", name="报名已取消")).to_be_visible()
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED


def test_calendar_month_reads_on_a_phone_as_a_list_of_days(browser, live_server):
    from datetime import datetime

    from django.utils import timezone

    tz = timezone.get_current_timezone()
    EventFactory(title="科创中国 技术对接沙龙", kind=Event.Kind.SEMINAR, start=datetime(2030, 3, 5, 14, 30, tzinfo=tz),
                 end=datetime(2030, 3, 5, 17, tzinfo=tz))
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, locale="zh-CN")
    phone = context.new_page()
    phone.goto(live_server.url + "/events/calendar/?month=2030-03")
    expect(phone.get_by_role("heading", name="3月5日 周二")).to_be_visible()
    link = phone.get_by_role("link", name="14:30 科创中国 技术对接沙龙 座谈会")
    expect(link).to_be_visible()
    assert phone.locator(".cal-list .ev .n").bounding_box()["width"] > 200  # the title has the width, not a character a line
    assert not phone.locator("table.cal").is_visible()
    expect(phone.get_by_text("蓝色：座谈、调研与培训")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()


def test_a_county_picks_its_own_organiser_and_any_partner_in_the_event_form(page, tree):
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(tree.staff_a)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": page.base_url}])
    page.goto(page.base_url + "/admin/events/event/add/")
    expect(page.locator("#select2-id_organiser-container")).to_have_text("华龙区科协")

    page.locator("#select2-id_organiser-container").click()
    page.locator(".select2-dropdown .select2-search__field").fill("科协")
    expect(page.locator(".select2-results__option", has_text="岳村镇科协")).to_be_visible()
    assert page.locator(".select2-results__option", has_text="濮阳县科协").count() == 0
    page.keyboard.press("Escape")

    partners = page.locator(".field-partners .select2-search__field")
    partners.click()
    partners.fill("濮阳县")
    option = page.locator(".select2-results__option", has_text="濮阳县科协")
    expect(option).to_be_visible()
    option.click()
    expect(page.locator(".field-partners .select2-selection__choice", has_text="濮阳县科协")).to_be_visible()
