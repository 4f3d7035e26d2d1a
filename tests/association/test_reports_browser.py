"""A leader's journey in Chromium: start the annual report in the admin, watch it finish
(the page polls the job's progress and reloads), and download the workbook."""

import pytest
from django.contrib.auth.models import Group

from association.models import ReportJob
from association.reports import services
from tests.association.factories import OrganizationFactory, StaffFactory

pytestmark = [pytest.mark.browser, pytest.mark.celery, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def remove_files():
    yield
    services.delete_jobs(ReportJob.objects.all())


def test_leader_starts_the_annual_report_watches_it_finish_and_downloads_it(page, celery_worker_process, remove_files):
    OrganizationFactory.create_batch(3)
    user = StaffFactory(username="leader-browser")
    user.groups.add(Group.objects.get(name="领导"))

    page.goto(page.base_url + "/accounts/login/?next=/admin/association/reportjob/add/")
    page.fill("input[name=username]", "leader-browser")
    page.fill("input[name=password]", "Passw0rd!23")
    page.press("input[name=password]", "Enter")
    page.select_option("select[name=year]", "2025")
    page.get_by_role("button", name="开始生成").click()

    page.wait_for_url("**/admin/association/reportjob/*/change/")
    excel = page.get_by_role("link", name="Excel")
    excel.wait_for(timeout=30000)  # the page reloads itself once the worker is done
    assert page.get_by_text("已完成：共").is_visible()
    with page.expect_download() as download:
        excel.click()
    assert download.value.suggested_filename == "2025年度工作统计.xlsx"


@pytest.fixture
def wide_section():
    from association import reporting
    from association.reporting import Table

    saved = dict(reporting._sections)

    @reporting.register_section("selftest_wide", "测试志愿服务", order=99)
    def wide(params):
        columns = ["服务队伍", "参与人数", "服务记录数", "服务时长（小时）"]
        return [Table("服务时长（按队伍）", columns, [["化工新材料服务队", 16, 32, 116], ["生物基材料服务队", 16, 16, 96]],
                      chart="bar")]

    yield
    reporting._sections.clear()
    reporting._sections.update(saved)


def test_dashboard_fits_a_phone_screen_without_sideways_scrolling(browser, live_server, wide_section):
    user = StaffFactory(username="leader-phone")
    user.groups.add(Group.objects.get(name="领导"))
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, locale="zh-CN")
    phone = context.new_page()
    phone.goto(live_server.url + "/accounts/login/?next=/dashboard/")
    phone.fill("input[name=username]", "leader-phone")
    phone.fill("input[name=password]", "Passw0rd!23")
    phone.press("input[name=password]", "Enter")
    phone.wait_for_url("**/dashboard/")
    assert phone.get_by_role("figure").count() > 0  # the charts, each with its data table for screen readers
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    # Charts keep their drawn size (labels readable) and scroll inside their card instead.
    widths = phone.evaluate("[...document.querySelectorAll('.chart-scroll')].map(b => [b.clientWidth, b.scrollWidth])")
    assert widths and all(scroll >= 640 > client for client, scroll in widths)
    context.close()
