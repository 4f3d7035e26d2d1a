"""The public forms after a failed submit: one error summary that takes focus, says how
many problems there are and links to each field, with messages that name the field; and
the phone keyboard and autofill hints on personal data."""

import pytest
from playwright.sync_api import expect

from tests.a11y.axe import describe, require_axe, violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def submit_empty(page, url):
    page.goto(page.base_url + url)
    page.locator("main form[method=post] [type=submit]").last.click()
    page.wait_for_load_state("load")


def test_an_empty_volunteer_registration_focuses_a_summary_that_links_to_each_field(page):
    require_axe()
    submit_empty(page, "/volunteers/register/")
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    links = summary.get_by_role("link")
    count = links.count()
    assert count >= 5
    expect(summary.get_by_role("heading")).to_have_text(f"提交未成功：有 {count} 处需要修改")
    expect(summary).to_contain_text("姓名：请填写姓名")
    expect(summary).to_contain_text("手机号码：请填写手机号码")
    expect(summary).to_contain_text("政治面貌：请选择政治面貌")
    assert "这个字段是必填项" not in page.content()
    expect(page.locator("#id_name").locator("xpath=..").locator("..")).to_contain_text("请填写姓名")

    summary.get_by_role("link", name="电子邮箱：请填写电子邮箱").click()
    expect(page.locator("#id_email")).to_be_focused()
    found = violations(page)
    assert not found, describe("志愿者注册（空提交）", found)


def test_an_empty_event_sign_up_names_its_missing_fields(page):
    from tests.events.factories import EventFactory

    event = EventFactory()
    submit_empty(page, f"/events/{event.pk}/register/")
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("请填写姓名")
    expect(summary).to_contain_text("请填写手机号码")
    summary.get_by_role("link", name="手机号码：请填写手机号码").click()
    expect(page.locator("#id_mobile")).to_be_focused()


def test_personal_data_fields_bring_up_the_right_keyboard_and_autofill(client):
    from tests.events.factories import EventFactory

    html = client.get("/volunteers/register/").content.decode()
    for attrs in ('name="name" maxlength="50" autocomplete="name"', 'inputmode="tel" autocomplete="tel"',
                  'autocomplete="email" inputmode="email"', 'pattern="[0-9]{17}[0-9Xx]"',
                  'name="employer" maxlength="120" autocomplete="organization"'):
        assert attrs in html, attrs
    html = client.get(f"/events/{EventFactory().pk}/register/").content.decode()
    for attrs in ('autocomplete="name"', 'autocomplete="tel"', 'autocomplete="email"', 'autocomplete="organization"'):
        assert attrs in html, attrs
