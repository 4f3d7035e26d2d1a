"""The statistics return (综合统计年报) lived in Chromium by a county's clerk and the city office:
华龙区科协's 管理员 logs in on the log-in page, finds this year's return from the top bar, reads a
counted item with its 统计口径, types the entered items and the sign-off, is refused beside the
field when a 其中 exceeds its total (with what was typed kept), corrects and submits; the city
office (a second browser) returns it with a reason, the county reads the reason, changes a
figure and resubmits, the city accepts, and the county's page is locked. Each move's e-mail
reaches whom it should.

expect() waits for the page a click leads to; is_visible() would look before it arrives."""

import re

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from playwright.sync_api import expect

from association import roles
from events.models import Event
from tests.association.factories import StaffFactory
from tests.events.factories import EventOutcomeFactory, PastEventFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Hualong-return-2026"
UNIT = "华龙区科协"
YEAR = timezone.localdate().year
REASON = "机关人数与编制不符，请核实。"


@pytest.fixture
def people(tree):
    """The county's 管理员 and the city office, with passwords and e-mail addresses; an academic
    event of the county this year with what it achieved."""
    for user, email in [(tree.admin_a, "hualong_admin@example.org"), (tree.staff_a, "hualong_staff@example.org")]:
        user.set_password(PASSWORD)
        user.email = email
        user.save()
    office = StaffFactory(username="city_office", email="office@example.org")
    office.set_password(PASSWORD)
    office.save()
    office.groups.add(Group.objects.get(name=roles.OFFICE))
    event = PastEventFactory(organiser=tree.county_a, county=tree.county_a_area, kind=Event.Kind.ACADEMIC,
                             title="华龙区化工产业学术年会", start=timezone.now().replace(month=6, day=15))
    EventOutcomeFactory(event=event, participants=120)
    return tree.admin_a, office


@pytest.fixture
def eager_celery(monkeypatch):
    """The tasks the moves enqueue run in the live server once the move commits (e-mails in
    mail.outbox)."""
    from association import queue
    from config.celery import app

    app.loader.import_default_modules()

    def run_here(name, args, kwargs):
        app.tasks[name].apply(args=args, kwargs=kwargs, throw=True)

    monkeypatch.setattr(queue, "_send", run_here)


def log_in(pg, username):
    """From the home page's 登录 link, as a person would; staff land in the admin."""
    pg.goto(pg.base_url + "/")
    pg.get_by_role("link", name="登录", exact=True).click()
    expect(pg).to_have_url(re.compile(r"/accounts/login/"))
    pg.get_by_label("用户名").fill(username)
    pg.get_by_label("密码").fill(PASSWORD)
    pg.get_by_role("button", name="登录").click()
    expect(pg).to_have_url(re.compile(r"/admin/$"))


def open_returns(pg):
    """综合统计年报 in the site's top bar."""
    pg.goto(pg.base_url + "/")
    pg.get_by_role("link", name="综合统计年报", exact=True).click()
    expect(pg).to_have_url(re.compile(r"/returns/"))
    expect(pg.get_by_role("heading", level=1)).to_contain_text("科协综合统计年报")


def field(pg, name):
    return pg.get_by_label(name, exact=True)


def line(pg, table, code):
    return pg.locator(f"#line-{table}-{code}")


def test_a_county_files_its_return_the_city_sends_it_back_then_accepts_it(
        page, browser, live_server, people, eager_celery, mailoutbox):
    county_admin, office = people
    pg = page
    log_in(pg, county_admin.username)

    # The county's clerk finds this year's return from the top bar.
    open_returns(pg)
    pg.get_by_role("link", name=f"填报{YEAR}年年报").click()
    expect(pg.get_by_role("heading", level=1)).to_have_text(f"{UNIT} · {YEAR}年科协综合统计年报")
    expect(pg.locator("#return-status")).to_have_text("填报中")

    # A counted item: 1 academic event, with its 统计口径 and a way to the records; not typed.
    held = line(pg, "CKX表3", "01")
    expect(held.locator(".figure")).to_have_text("1")
    expect(held).to_contain_text("由门户统计：学术年会/论坛、产业技术大会、座谈会")
    expect(held.get_by_role("link", name="查看来源")).to_be_visible()
    expect(held.get_by_role("spinbutton")).to_have_count(0)  # counted, not typed (its 说明 may be)
    expect(line(pg, "CKX表3", "02").locator(".figure")).to_have_text("120")

    # The required items, the sign-off, and 国际学术会议 larger than the events held.
    field(pg, "机关人数").fill("12")
    field(pg, "主办科技期刊").fill("0")
    field(pg, "其中：国际学术会议").fill("5")
    field(pg, "单位负责人").fill("李主席")
    pg.get_by_label("填表人").fill("王统计")
    pg.get_by_label("联系电话").fill("0393-4412345")
    pg.get_by_role("button", name="报送", exact=True).click()

    # Refused in Chinese beside the field; everything typed is still there; still a draft.
    international = line(pg, "CKX表3", "03")
    expect(international.locator(".invalid-feedback")).to_have_text(
        "CKX表3第03行“其中：国际学术会议”是“举行学术交流活动”（第01行）的其中项，不能大于它（1）。")
    expect(pg.get_by_role("alert").first).to_contain_text("未能报送")
    expect(field(pg, "其中：国际学术会议")).to_have_value("5")
    expect(field(pg, "其中：国际学术会议")).to_have_class(re.compile(r"is-invalid"))
    expect(field(pg, "机关人数")).to_have_value("12")
    expect(pg.get_by_label("填表人")).to_have_value("王统计")
    expect(pg.get_by_label("联系电话")).to_have_value("0393-4412345")
    expect(pg.locator("#return-status")).to_have_text("填报中")

    # Corrected and submitted.
    field(pg, "其中：国际学术会议").fill("1")
    pg.get_by_role("button", name="报送", exact=True).click()
    expect(pg.locator("#return-status")).to_have_text("已报送")
    expect(pg.get_by_text("等待上级审核；审核期间不能修改")).to_be_visible()
    expect(pg.locator("main input:not([type=hidden])")).to_have_count(0)
    assert [m.to for m in mailoutbox] == [["office@example.org"]]  # the city office is told
    assert "待审核" in mailoutbox[0].subject

    # The city office, in its own browser, opens the return from /returns/ and sends it back.
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15000)
    city = context.new_page()
    city.base_url = live_server.url
    try:
        log_in(city, office.username)
        open_returns(city)
        row = city.get_by_role("row", name=re.compile(f"^{UNIT}"))
        expect(row).to_contain_text("已报送")
        expect(city.locator("#missing-units")).to_contain_text("濮阳县科协（未填报）")
        row.get_by_role("link", name="审核").click()
        expect(city.get_by_role("heading", level=1)).to_have_text(f"{UNIT} · {YEAR}年科协综合统计年报")
        expect(line(city, "AK表1-1", "07").locator(".figure")).to_have_text("12")
        city.get_by_label("退回原因").fill(REASON)
        city.get_by_role("button", name="退回（需填写原因）").click()
        expect(city).to_have_url(re.compile(r"/returns/\?year="))
        expect(city.get_by_role("row", name=re.compile(f"^{UNIT}"))).to_contain_text("已退回")
        returned = mailoutbox[1:]  # one e-mail for each of the county's accounts
        assert sorted(to for m in returned for to in m.to) == ["hualong_admin@example.org", "hualong_staff@example.org"]
        assert all("已被退回" in m.subject and REASON in m.body for m in returned)

        # The county reads the reason, changes a figure and submits again.
        pg.reload()
        expect(pg.locator("#return-status")).to_have_text("已退回")
        expect(pg.locator("#returned-reason")).to_contain_text(REASON)
        expect(field(pg, "机关人数")).to_have_value("12")
        field(pg, "机关人数").fill("9")
        pg.get_by_role("button", name="报送", exact=True).click()
        expect(pg.locator("#return-status")).to_have_text("已报送")
        expect(pg.locator("#returned-reason")).to_have_count(0)

        # The city accepts.
        city.reload()
        row = city.get_by_role("row", name=re.compile(f"^{UNIT}"))
        expect(row).to_contain_text("已报送")
        row.get_by_role("link", name="审核").click()
        expect(line(city, "AK表1-1", "07").locator(".figure")).to_have_text("9")
        city.get_by_role("button", name="审核通过").click()
        expect(city).to_have_url(re.compile(r"/returns/\?year="))
        expect(city.get_by_role("row", name=re.compile(f"^{UNIT}"))).to_contain_text("已审核通过")
        accepted = mailoutbox[4:]  # after: submitted, returned (2), submitted again
        assert [m.to for m in mailoutbox[3:4]] == [["office@example.org"]]
        assert sorted(to for m in accepted for to in m.to) == ["hualong_admin@example.org", "hualong_staff@example.org"]
        assert all("已审核通过" in m.subject for m in accepted)
    finally:
        context.close()

    # The county's page: accepted, locked, the figures as accepted.
    pg.reload()
    expect(pg.locator("#return-status")).to_have_text("已审核通过")
    expect(pg.get_by_text("审核通过，不能再修改")).to_be_visible()
    expect(pg.locator("main input:not([type=hidden]), main textarea, main select")).to_have_count(0)
    expect(pg.get_by_role("button", name="报送", exact=True)).to_have_count(0)
    expect(pg.get_by_role("button", name="保存", exact=True)).to_have_count(0)
    expect(line(pg, "AK表1-1", "07").locator(".figure")).to_have_text("9")
    expect(line(pg, "CKX表3", "03").locator(".figure")).to_have_text("1")
    expect(pg.locator("main")).to_contain_text("王统计")
