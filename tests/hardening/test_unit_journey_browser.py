"""A county's clerk works through the admin in Chromium, with the demo data and the demo unit
accounts (``load_demo``, ``ensure_demo_admin``): logs in on the log-in page as a new user
would, finds only the sections and the records of 华龙区科协, approves a volunteer, adds and
publishes an event, takes a roster, nominates within the unit's 推荐名额, meets the 404 page
on another county's event and reads the unit's own dashboard. The 化工学会's account does not
see the county's new event.

expect() waits for the page a click leads to; is_visible() would look before it arrives."""

import datetime
import io
import re

import openpyxl
import pytest
from django.core.files.storage import FileSystemStorage
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from association import scoping
from association.models import Organization
from events.models import Event, Registration, RosterExport
from talents.models import AwardRound, Field, Nomination
from talents.services import awards as award_services
from tests.talents.factories import PDF_BYTES
from volunteers.models import Volunteer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Hualong-demo-2026"
UNIT = "华龙区科协"
SOCIETY = "濮阳市化工学会"
UNIT_BELOW = "华龙区胜利路街道社区科普馆"  # a unit below 华龙区科协 that holds an event of its own in the demo
OTHER_COUNTY = "濮阳县科协"
NEW_EVENT = "华龙区青少年科技创新大赛辅导讲座"


@pytest.fixture
def demo(monkeypatch, tmp_path):
    """The demo data and the demo accounts, with the password set here; rosters are written
    to a temporary folder."""
    field = RosterExport._meta.get_field("file")
    storage = field.storage
    field.storage = FileSystemStorage(location=tmp_path / "rosters", base_url=None)
    monkeypatch.setenv("DEMO_ADMIN_PASSWORD", PASSWORD)
    call_command("load_demo", stdout=io.StringIO())
    call_command("ensure_demo_admin", stdout=io.StringIO())
    yield Organization.objects.get(name=UNIT)
    field.storage = storage


def log_in(pg, username):
    """Open the admin as one who is not logged in, and log in on the page it sends them to."""
    pg.goto(pg.base_url + "/admin/")
    expect(pg).to_have_url(re.compile(r"/accounts/login/"))
    pg.get_by_label("用户名").fill(username)
    pg.get_by_label("密码").fill(PASSWORD)
    pg.get_by_role("button", name="登录").click()
    expect(pg).to_have_url(re.compile(r"/admin/$"))


def open_from_index(pg, model_name):
    """Follow a model's link in the admin front page's list of sections."""
    pg.goto(pg.base_url + "/admin/")
    pg.locator("#content-main").get_by_role("rowheader", name=model_name, exact=True).get_by_role("link").click()


def nomination_form_pdf():
    """The stamped nomination form as a one-page PDF, sent from memory."""
    return {"name": "推荐表.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}


def run_action(pg, row_text, action):
    """Tick the change list's row holding ``row_text`` and run ``action`` on it."""
    pg.locator("#result_list tbody tr", has_text=row_text).locator("input.action-select").check()
    pg.locator("select[name=action]").select_option(label=action)
    pg.get_by_role("button", name="执行").click()


def test_a_county_clerk_works_through_the_admin_within_the_county(page, browser, live_server, demo):
    unit = demo
    subtree = scoping.subtree_ids(unit.pk)
    pg = page
    log_in(pg, "hualong")

    # 1. The admin's front page names the unit and holds only the sections it works in.
    main = pg.locator("#content-main")
    expect(pg.locator(".unit-scope-note")).to_contain_text(f"您使用{UNIT}的单位账号")
    for section in ["活动", "志愿服务", "人才与奖项"]:
        expect(main.locator("caption", has_text=section)).to_be_visible()
    for city_only in ["用户", "审计日志", "人才库", "专家库"]:
        assert main.get_by_role("link", name=city_only, exact=True).count() == 0, city_only
    for address in ["/admin/auth/user/", "/admin/association/auditentry/", "/admin/talents/talent/"]:
        assert pg.locator(f"a[href='{address}']").count() == 0, address
        assert pg.goto(pg.base_url + address).status in (403, 404), address

    # 2. 志愿者: only the county's own volunteers; approve one who waits for review.
    open_from_index(pg, "志愿者")
    expect(pg.get_by_role("heading", name="选择要修改的志愿者")).to_be_visible()
    own = Volunteer.objects.filter(unit_id__in=subtree)
    own_names = set(own.values_list("name", flat=True))
    others = (set(Volunteer.objects.filter(unit__kind=Organization.Kind.COUNTY_ASSOCIATION).exclude(unit_id__in=subtree)
                  .values_list("name", flat=True)) - own_names)
    assert others  # the demo gives other counties volunteers of their own
    rows = pg.locator("#result_list tbody tr")
    expect(rows).to_have_count(own.count())
    listed = pg.locator("#result_list").inner_text()
    assert all(name in listed for name in own_names)
    assert not [name for name in others if name in listed]
    waiting = own.filter(status=Volunteer.Status.PENDING).order_by("name").first()
    run_action(pg, waiting.name, "审核通过所选志愿者")
    expect(pg.locator(".messagelist")).to_contain_text("已审核通过 1 名志愿者。")
    waiting.refresh_from_db()
    assert waiting.status == Volunteer.Status.APPROVED

    # 3. A new event through the add form: the organiser is the county already; publish it.
    open_from_index(pg, "活动")
    expect(pg.get_by_role("heading", name="选择要修改的活动")).to_be_visible()
    pg.get_by_role("link", name="添加活动").click()
    expect(pg.locator("#select2-id_organiser-container")).to_have_text(UNIT)
    expect(pg.get_by_role("heading", name="活动成效")).to_be_visible()  # the county records its own results
    day = timezone.localdate() + datetime.timedelta(days=7)
    pg.get_by_label("活动名称").fill(NEW_EVENT)
    pg.get_by_label("活动类别").select_option(label="培训讲座")
    pg.locator("#id_start_0").fill(day.isoformat())
    pg.locator("#id_start_1").fill("14:30")
    pg.locator("#id_end_0").fill(day.isoformat())
    pg.locator("#id_end_1").fill("16:30")
    pg.locator("#id_venue").fill("华龙区实验小学报告厅")
    pg.get_by_label("开放报名").check()
    pg.locator("#id_capacity").fill("60")
    pg.get_by_role("button", name="保存", exact=True).click()
    expect(pg.locator(".messagelist")).to_contain_text(NEW_EVENT)
    event = Event.objects.get(title=NEW_EVENT)
    assert (event.organiser_id, event.status, event.created_by.username) == (unit.pk, Event.Status.DRAFT, "hualong")
    run_action(pg, NEW_EVENT, "发布所选活动")
    expect(pg.locator(".messagelist")).to_contain_text("已发布 1 项活动。")
    expect(pg.locator("#result_list tbody tr", has_text=NEW_EVENT)).to_contain_text("已发布")
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED

    # 4. One of its events' sign-ups, then the roster of them as an Excel file.
    signed_up = Event.objects.filter(organiser=unit, registrations__isnull=False).distinct().order_by("start").first()
    n_signed_up = Registration.objects.filter(event=signed_up).count()
    pg.locator("#result_list").get_by_role("link", name=signed_up.title).click()
    pg.get_by_role("link", name="报名名单").click()
    expect(pg.get_by_role("heading", name="选择要修改的报名")).to_be_visible()
    expect(pg.locator("#result_list tbody tr")).to_have_count(n_signed_up)
    expect(pg.locator("#result_list tbody tr").first).to_contain_text(signed_up.title)
    pg.goto(pg.base_url + "/admin/events/event/")
    run_action(pg, signed_up.title, "导出报名名单（手机号码遮蔽）")
    expect(pg.get_by_role("heading", name="报名名单导出")).to_be_visible()
    expect(pg.get_by_text(f"已完成（{n_signed_up} 人）")).to_be_visible()
    with pg.expect_download() as caught:
        pg.get_by_role("link", name="下载 Excel").click()
    download = caught.value
    assert download.suggested_filename.endswith(".xlsx") and "报名名单" in download.suggested_filename
    with open(download.path(), "rb") as workbook:
        sheet = openpyxl.load_workbook(workbook).active
    assert sheet.max_row == n_signed_up + 2  # the title and the header above the sign-ups
    assert "****" in str(sheet.cell(row=3, column=3).value)  # mobiles masked
    export = RosterExport.objects.get(event=signed_up, requested_by__username="hualong")
    assert (export.status, export.rows) == (RosterExport.Status.DONE, n_signed_up)

    # 5. 本单位推荐 within the unit's 推荐名额, and the nomination's status in the list.
    award_round = AwardRound.objects.get(status=AwardRound.Status.NOMINATING)
    before = award_services.quota_standing(award_round.pk, unit.pk)
    assert before["left"] > 0
    open_from_index(pg, "推荐")
    pg.get_by_role("link", name="本单位推荐").click()
    expect(pg.get_by_role("heading", name="本单位推荐")).to_be_visible()
    row = pg.get_by_role("row", name=str(award_round))
    expect(row).to_contain_text(f"名额 {before['quota']} 名，已推荐 {before['used']} 名，剩余 {before['left']} 名")
    row.get_by_role("link", name="填写推荐").click()
    expect(pg.get_by_text(f"推荐单位：{UNIT}")).to_be_visible()
    pg.get_by_label("被推荐人姓名").fill("周明远")
    pg.get_by_label("男", exact=True).check()
    pg.get_by_label("出生日期").fill(f"{timezone.localdate().year - 36}-05-01")  # within the award's age limit
    pg.get_by_label("职称 / 职务").fill("副主任医师")
    pg.get_by_label("职称级别").select_option(label="副高级")
    pg.get_by_label("工作单位").fill("濮阳市人民医院")
    pg.get_by_label("专业领域").select_option(label=Field.objects.order_by("pk").first().name)
    pg.get_by_label("主要事迹 / 推荐理由").fill("长期在基层开展健康科普，主持完成市级科研项目两项，带领团队开展义诊服务。")
    pg.get_by_label("推荐单位联系人").fill("李文静")
    pg.get_by_label("联系人电话").fill("13903930393")
    pg.get_by_label("推荐表（盖章扫描件）").set_input_files(files=[nomination_form_pdf()])
    pg.get_by_role("button", name="提交推荐").click()
    expect(pg.locator(".messagelist")).to_contain_text("已提交推荐：周明远")
    nomination = Nomination.objects.get(nominating_unit=unit, nominee_name="周明远")
    assert (nomination.nominating_unit_id, nomination.round_id) == (unit.pk, award_round.pk)
    expect(pg.locator("#result_list tbody tr", has_text=nomination.reference_no)).to_contain_text("已提交")
    assert award_services.quota_standing(award_round.pk, unit.pk)["used"] == before["used"] + 1

    # 6. Another county's event, its address typed by hand: the 404 page.
    elsewhere = Event.objects.filter(organiser_id__in=scoping.subtree_ids(Organization.objects.get(name=OTHER_COUNTY).pk)).first()
    response = pg.goto(f"{pg.base_url}/admin/events/event/{elsewhere.pk}/change/")
    assert response.status == 404
    expect(pg.get_by_role("heading", name="页面不存在")).to_be_visible()
    assert elsewhere.title not in pg.content()

    # 7. The dashboard: the unit's own name, its own work and the units below it broken out.
    pg.goto(pg.base_url + "/admin/")
    pg.get_by_role("link", name="工作数据看板").click()
    expect(pg.get_by_role("heading", level=1)).to_have_text(f"{UNIT} · {timezone.localdate().year}年工作数据看板")
    units = pg.locator("section", has=pg.get_by_role("heading", name="本单位及下级单位")).get_by_role("table")
    expect(units.get_by_role("row", name=re.compile("^本级"))).to_be_visible()
    expect(units.get_by_role("row", name=re.compile(f"^{UNIT_BELOW}")).locator("td").first).to_have_text("1")  # 举办活动
    assert OTHER_COUNTY not in units.inner_text()

    # The 化工学会's account sees none of it.
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15000)
    society = context.new_page()
    society.base_url = live_server.url
    try:
        log_in(society, "huagong")
        expect(society.locator(".unit-scope-note")).to_contain_text(SOCIETY)
        society.goto(society.base_url + "/admin/events/event/?all=")
        expect(society.get_by_role("heading", name="选择要修改的活动")).to_be_visible()
        own_event = Event.objects.filter(organiser__name=SOCIETY).order_by("start").first()
        expect(society.locator("#result_list").get_by_role("link", name=own_event.title)).to_be_visible()
        assert NEW_EVENT not in society.locator("#content").inner_text()
        assert society.goto(f"{society.base_url}/admin/events/event/{event.pk}/change/").status == 404
    finally:
        context.close()

