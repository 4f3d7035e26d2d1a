"""Report jobs run in this process: test-only sections, failures, retries, downloads, the
admin form and the monthly summary. (The real worker's runs are in test_reports_worker.py.)"""

import os
import re
import subprocess
import threading
import zipfile
from datetime import date, timedelta
from io import BytesIO
from xml.etree import ElementTree

import openpyxl
import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.db import OperationalError, connection
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from association import extensions, reporting
from association.models import AuditEntry, Delivery, Organization, ReportJob
from association.reporting import Table
from association.reports import services
from association.schedule import MONTHLY_SUMMARY_NAME, sync_periodic_tasks
from association.tasks import run_report_job, send_monthly_summary
from tests.association.factories import CountyFactory, OrganizationFactory, StaffFactory, UserFactory
from tests.worker_output import send_queued

S = ReportJob.Status


@pytest.fixture
def private_storage(settings, tmp_path):
    """Report files of in-process runs go to a temporary folder."""
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path, "base_url": None},
        },
    }
    return tmp_path


@pytest.fixture
def only_sections():
    """Run reports with the sections a test registers, and put the real ones back after."""
    saved = dict(reporting._sections)
    reporting._sections.clear()
    yield reporting
    reporting._sections.clear()
    reporting._sections.update(saved)


@pytest.fixture
def headline():
    """A test-only headline figure, removed afterwards."""
    saved = list(extensions._headline_figures)

    @extensions.headline_figure(order=1)
    def test_figures():
        return [("科普志愿者", 2034, "人"), ("志愿服务时长", 15230.5, "小时")]

    yield
    extensions._headline_figures[:] = saved


def register_sample_sections(registry):
    @registry.register_section("selftest_events", "测试活动", order=1)
    def events(params):
        return [
            Table("各月活动场次", ["月份", "场次", "受益人数"], [[f"{m}月", m, m * 100] for m in range(1, 13)], chart="line"),
            Table("各类活动", ["类别", "场次"], [["科普日活动", 31], ["健康义诊", 3]], chart="pie"),
        ]

    @registry.register_section("selftest_hours", "测试志愿服务", order=2)
    def hours(params):
        return [Table("各服务队服务时长", ["服务队", "时长（小时）"], [["化工新材料服务队", 12.5], ["乡村振兴服务队", 30]], chart="bar")]


def leader(**kwargs):
    user = StaffFactory(email=kwargs.pop("email", "leader@example.org"), **kwargs)
    user.groups.add(Group.objects.get(name="领导"))
    return user


def run_inline(job: ReportJob) -> ReportJob:
    run_report_job.apply(args=[job.pk])
    job.refresh_from_db()
    return job


def pdf_text(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


# -- running a job --------------------------------------------------------------------------

@pytest.mark.django_db
def test_job_writes_a_sheet_per_section_with_charts_and_number_formats(only_sections, private_storage):
    register_sample_sections(only_sections)
    job, _created = services.request_report(report="annual", year=2025, enqueue=False)
    job = run_inline(job)

    assert job.status == S.SUCCEEDED
    assert (job.sections_done, job.sections_total) == (2, 2)
    wb = openpyxl.load_workbook(BytesIO(job.xlsx.read()))
    assert wb.sheetnames == ["测试活动", "测试志愿服务"]
    events = wb["测试活动"]
    assert len(events._charts) == 3  # the line's two measures, each in its own chart, and the pie
    cells = {c.value: c for row in events.iter_rows() for c in row if c.value is not None}
    assert "各月活动场次" in cells and "各类活动" in cells
    hours = wb["测试志愿服务"]
    figures = {row[0]: row[1] for row in hours.iter_rows(values_only=True) if row and row[0] and len(row) > 1}
    assert figures["化工新材料服务队"] == 12.5
    number_formats = {c.number_format for row in hours.iter_rows() for c in row if isinstance(c.value, float | int)}
    assert "#,##0.00" in number_formats


@pytest.mark.django_db
def test_pdf_has_title_page_sections_and_page_numbers(only_sections, private_storage):
    register_sample_sections(only_sections)
    job, _created = services.request_report(report="annual", year=2025, enqueue=False)
    job = run_inline(job)

    assert job.pdf.read(5) == b"%PDF-"
    text = pdf_text(job.pdf.path)
    assert "2025年度工作统计" in text
    assert "一、测试活动" in text and "二、测试志愿服务" in text
    assert "化工新材料服务队" in text
    compact = "".join(text.split())
    pages = compact.count("\x0c") or text.count("\f")
    assert f"第1页共{pages}页" in compact and f"第{pages}页共{pages}页" in compact


@pytest.mark.django_db
def test_failing_section_fails_the_job_with_its_name_and_reason_in_chinese(only_sections, private_storage, client):
    register_sample_sections(only_sections)

    @only_sections.register_section("selftest_broken", "测试奖项", order=3)
    def broken(params):
        raise ValueError("评审分数缺失，无法汇总")

    job, _created = services.request_report(report="annual", year=2025, enqueue=False)
    job = run_inline(job)

    assert job.status == S.FAILED
    assert job.error == "“测试奖项”部分统计失败：评审分数缺失，无法汇总"
    assert not job.xlsx and not job.pdf
    assert AuditEntry.objects.filter(object_id=str(job.pk), from_state=S.RUNNING, to_state=S.FAILED).exists()

    client.force_login(leader())
    page = client.get(f"/admin/association/reportjob/{job.pk}/change/").content.decode()
    assert "失败原因：“测试奖项”部分统计失败：评审分数缺失，无法汇总" in page


@pytest.mark.django_db
def test_a_programming_error_in_a_section_is_explained_in_chinese(only_sections, private_storage):
    @only_sections.register_section("selftest_divide", "测试比率", order=1)
    def divide(params):
        return [Table("比率", ["项目", "比率"], [["完成率", 1 / 0]])]

    job, _created = services.request_report(report="annual", year=2025, enqueue=False)
    job = run_inline(job)
    assert job.status == S.FAILED
    assert job.error == "“测试比率”部分统计失败：计算时出现除以零"


@pytest.mark.django_db
def test_passing_database_fault_is_retried_and_the_retry_finishes_the_job(only_sections, private_storage):
    calls = []

    @only_sections.register_section("selftest_flaky", "测试组织", order=1)
    def flaky(params):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return [Table("单位", ["类别", "数量"], [["学会", 3]])]

    job, _created = services.request_report(report="annual", year=2025, enqueue=False)
    job = run_inline(job)
    assert job.status == S.SUCCEEDED
    assert job.attempts == 2
    assert len(calls) == 2


# -- no duplicate work ---------------------------------------------------------------------

@pytest.mark.django_db
def test_same_report_with_same_parameters_while_queued_returns_the_existing_job():
    first, created_first = services.request_report(report="annual", year=2025, enqueue=False)
    second, created_second = services.request_report(report="annual", year=2025, enqueue=False)
    other, created_other = services.request_report(report="annual", year=2024, enqueue=False)
    assert (created_first, created_second, created_other) == (True, False, True)
    assert second.pk == first.pk
    assert other.pk != first.pk


@pytest.mark.django_db
def test_a_finished_job_does_not_stop_a_new_request(only_sections, private_storage):
    register_sample_sections(only_sections)
    job, _created = services.request_report(report="annual", year=2025, enqueue=False)
    run_inline(job)
    again, created = services.request_report(report="annual", year=2025, enqueue=False)
    assert created and again.pk != job.pk


@pytest.mark.django_db(transaction=True)
def test_two_workers_claiming_the_same_job_at_once_only_one_runs_it():
    job, _created = services.request_report(report="annual", year=2025, enqueue=False)
    barrier = threading.Barrier(2)
    results = {}

    def claim(name):
        try:
            barrier.wait()
            results[name] = services.claim_job(job.pk, f"task-{name}")
        finally:
            connection.close()

    threads = [threading.Thread(target=claim, args=(n,)) for n in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results.values()) == [False, True]
    job.refresh_from_db()
    assert job.status == S.RUNNING and job.attempts == 1


@pytest.mark.django_db(transaction=True)
def test_two_staff_asking_for_the_same_report_at_once_share_one_job():
    barrier = threading.Barrier(2)
    results = []

    def ask():
        try:
            barrier.wait()
            results.append(services.request_report(report="annual", year=2023, enqueue=False))
        finally:
            connection.close()

    threads = [threading.Thread(target=ask) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len({job.pk for job, _created in results}) == 1
    assert sorted(created for _job, created in results) == [False, True]
    assert ReportJob.objects.count() == 1


@pytest.mark.django_db
def test_a_job_whose_worker_vanished_is_failed_so_the_report_can_be_asked_again():
    job, _created = services.request_report(report="annual", year=2025, enqueue=False)
    assert services.claim_job(job.pk, "lost-task")
    ReportJob.objects.filter(pk=job.pk).update(started=timezone.now() - timedelta(hours=2))

    again, created = services.request_report(report="annual", year=2025, enqueue=False)

    job.refresh_from_db()
    assert job.status == S.FAILED
    assert "意外中断" in job.error
    assert created and again.pk != job.pk


# -- staff screens ---------------------------------------------------------------------------

@pytest.mark.django_db
def test_leader_starts_a_report_from_the_admin_and_a_second_request_opens_the_same_job(client):
    client.force_login(leader())
    response = client.post("/admin/association/reportjob/add/", {"report": "annual", "year": "2025"})
    job = ReportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/association/reportjob/{job.pk}/change/"
    assert job.requested_by.groups.filter(name="领导").exists()

    response = client.post("/admin/association/reportjob/add/", {"report": "annual", "year": "2025"}, follow=True)
    assert ReportJob.objects.count() == 1
    assert "正在生成中，已为您打开该任务" in response.content.decode()


@pytest.mark.django_db
def test_admin_history_records_the_job_started_and_not_the_request_that_opened_a_running_one(client):
    from django.contrib.admin.models import ADDITION, LogEntry

    client.force_login(leader())
    first = client.post("/admin/association/reportjob/add/", {"report": "annual", "year": "2025"})
    job = ReportJob.objects.get()
    history = LogEntry.objects.get(object_id=str(job.pk))
    assert history.action_flag == ADDITION and history.object_repr == job.title
    assert first["Location"] == f"/admin/association/reportjob/{job.pk}/change/"

    again = client.post("/admin/association/reportjob/add/", {"report": "annual", "year": "2025"})
    assert again["Location"] == first["Location"]
    assert LogEntry.objects.count() == 1
    assert AuditEntry.objects.filter(action=AuditEntry.Action.CREATE, object_id=str(job.pk)).count() == 1


@pytest.mark.django_db
def test_report_form_without_the_permission_to_ask_is_refused(client):
    client.force_login(StaffFactory(username="no-reports"))
    assert client.post("/admin/association/reportjob/add/", {"report": "annual", "year": "2025"}).status_code == 403
    assert not ReportJob.objects.exists()


@pytest.mark.django_db
def test_job_page_names_who_asked_by_full_name_and_the_add_page_has_one_title(client):
    client.force_login(leader(username="leader", last_name="王明"))
    add_page = client.get("/admin/association/reportjob/add/").content.decode()
    assert add_page.count("生成统计报表") >= 3  # window title, breadcrumb, heading
    assert "添加报表任务" not in add_page

    job = ReportJob.objects.get(pk=client.post("/admin/association/reportjob/add/", {"report": "annual", "year": "2025"})
                                ["Location"].split("/")[-3])
    page = client.get(f"/admin/association/reportjob/{job.pk}/change/").content.decode()
    assert "王明" in page and ">leader<" not in page
    assert "王明" in client.get("/admin/association/reportjob/").content.decode()


@pytest.mark.django_db
def test_report_form_keeps_what_was_typed_and_explains_a_half_range_in_chinese(client):
    client.force_login(leader())
    county = CountyFactory(name="南乐县")
    response = client.post(
        "/admin/association/reportjob/add/", {"report": "annual", "year": "", "date_from": "2025-03-01", "county": county.pk}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "请同时填写截止日期。" in page
    assert 'value="2025-03-01"' in page
    assert ReportJob.objects.count() == 0

    response = client.post("/admin/association/reportjob/add/", {"report": "annual", "year": ""})
    assert "请选择统计年度，或填写日期范围。" in response.content.decode()


@pytest.mark.django_db
def test_report_for_a_county_and_a_date_range_is_titled_and_filtered(only_sections, private_storage):
    seen = []

    @only_sections.register_section("selftest_params", "测试参数", order=1)
    def params_section(params):
        seen.append(params)
        return []

    nanle = CountyFactory(name="南乐县")
    job, _created = services.request_report(
        report="annual", year=2025, date_from=date(2025, 3, 1), date_to=date(2025, 6, 30), county_id=nanle.pk, enqueue=False
    )
    job = run_inline(job)
    assert job.title == "工作统计（2025年3月1日至2025年6月30日）（南乐县）"
    assert seen[0].county_id == nanle.pk
    assert (seen[0].start, seen[0].end) == (date(2025, 3, 1), date(2025, 6, 30))


@pytest.mark.django_db
def test_only_staff_with_the_permission_download_the_files(only_sections, private_storage, client):
    register_sample_sections(only_sections)
    job, _created = services.request_report(report="annual", year=2025, enqueue=False)
    run_inline(job)
    url = f"/dashboard/reports/{job.pk}/xlsx/"

    assert client.get(url).status_code == 302  # to the log-in page
    client.force_login(StaffFactory(username="nobody"))  # staff, no permission
    assert client.get(url).status_code == 403
    client.force_login(UserFactory(username="citizen"))  # not staff
    assert client.get(url).status_code == 403

    client.force_login(leader(username="leader1"))
    response = client.get(url)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert "2025" in response["Content-Disposition"]
    assert b"".join(response.streaming_content)[:2] == b"PK"
    assert AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT, object_id=str(job.pk)).exists()
    assert client.get(f"/dashboard/reports/{job.pk}/pdf/")["Content-Type"] == "application/pdf"


@pytest.mark.django_db
def test_progress_endpoint_tells_status_and_sections_done(client):
    job, _created = services.request_report(report="annual", year=2025, enqueue=False)
    ReportJob.objects.filter(pk=job.pk).update(status=S.RUNNING, sections_total=5, sections_done=2, current_step="正在统计：活动")
    client.force_login(leader())
    state = client.get(f"/dashboard/reports/{job.pk}/status/").json()
    assert state["status"] == "running"
    assert state["percent"] == 40
    assert state["progress_label"] == "生成中：已完成 2/5 个部分（正在统计：活动）"
    assert state["downloads"] == {}


@pytest.mark.django_db
def test_regenerate_action_asks_again_with_the_same_parameters(only_sections, private_storage, client):
    register_sample_sections(only_sections)
    nanle = CountyFactory(name="南乐县")
    job, _created = services.request_report(report="annual", year=2024, county_id=nanle.pk, enqueue=False)
    run_inline(job)
    client.force_login(leader())
    response = client.post(
        "/admin/association/reportjob/",
        {"action": "regenerate", "_selected_action": [job.pk]},
        follow=True,
    )
    assert "已开始生成 1 份报表。" in response.content.decode()
    fresh = ReportJob.objects.exclude(pk=job.pk).get()
    assert (fresh.report, fresh.year, fresh.county, fresh.status) == ("annual", 2024, nanle, S.QUEUED)


@pytest.mark.django_db
def test_deleting_a_job_removes_its_files(only_sections, private_storage):
    register_sample_sections(only_sections)
    job, _created = services.request_report(report="annual", year=2025, enqueue=False)
    job = run_inline(job)
    paths = [job.xlsx.path, job.pdf.path]
    services.delete_jobs([job])
    assert not ReportJob.objects.exists()
    assert not any(os.path.exists(p) for p in paths)


# -- the monthly summary --------------------------------------------------------------------

@pytest.mark.django_db
def test_monthly_summary_mails_leaders_the_key_figures_once(private_storage, headline):
    nanle = CountyFactory(name="南乐县")
    OrganizationFactory.create_batch(3, kind=Organization.Kind.E_STATION, county=nanle)
    leader(email="leader@example.org")
    StaffFactory(username="clerk", email="clerk@example.org")  # not a leader

    send_monthly_summary.apply(kwargs={"year": 2026, "month": 10})
    send_monthly_summary.apply(kwargs={"year": 2026, "month": 10})
    send_queued()  # as the worker sends the notices

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["leader@example.org"]
    assert "2026年10月工作简报" in message.subject
    assert "科普志愿者：2,034人" in message.body
    assert "2026年10月1日至2026年10月31日" in message.body
    assert "科普e站：单位数 3" in message.body
    assert message.attachments[0][0] == "2026年10月工作简报.pdf"
    assert ReportJob.objects.get(report="monthly").notified is not None
    # The leader's inbox has it too; the clerk, who is no leader, has nothing.
    assert Delivery.objects.filter(kind="reports.monthly_summary", channel="inbox").count() == 1
    assert not Delivery.objects.filter(address="clerk@example.org").exists()


def test_monthly_summary_is_scheduled_once_however_often_migrate_runs(db):
    sync_periodic_tasks()
    sync_periodic_tasks()
    task = PeriodicTask.objects.get(name=MONTHLY_SUMMARY_NAME)
    assert task.task == "association.tasks.send_monthly_summary"
    assert (task.crontab.day_of_month, task.crontab.hour, task.crontab.minute) == ("1", "8", "0")
    assert PeriodicTask.objects.filter(name=MONTHLY_SUMMARY_NAME).count() == 1


@pytest.mark.django_db
def test_pdf_charts_count_in_whole_steps_and_skip_charts_of_nothing(only_sections, private_storage):
    @only_sections.register_section("selftest_counts", "测试计数", order=1)
    def counts(params):
        return [
            Table("点单评价", ["评分", "点单数"], [["5 星", 0], ["4 星", 0], ["3 星", 0]], chart="bar"),
            Table("活动按类别", ["类别", "场次"], [["座谈会", 1], ["调研", 0], ["竞赛", 1]], chart="bar"),
        ]

    job, _created = services.request_report(report="annual", year=2025, enqueue=False)
    text = pdf_text(run_inline(job).pdf.path)
    assert "点单评价" in text and "活动按类别" in text
    for fraction in ("0.01", "0.2", "0.4", "0.5", "0.8"):
        assert fraction not in text  # no 0.2 of an event, no axis for a chart of zeros


def register_monthly_events(registry):
    """A count (场次, at most 5) and a total (受益人次, up to 1,620) month by month."""
    counts = [0, 2, 5, 3, 1, 0, 4, 2, 3, 1, 0, 2]
    people = [0, 300, 1620, 800, 120, 0, 900, 400, 600, 90, 0, 350]

    @registry.register_section("selftest_months", "测试活动", order=1)
    def months(params):
        rows = [[f"{m}月", counts[m - 1], people[m - 1]] for m in range(1, 13)]
        return [Table("活动按月份", ["月份", "活动场次", "受益人次"], rows, chart="line")]


XLSX = {
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "xdr": "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing",
}


@pytest.mark.django_db
def test_xlsx_draws_a_small_count_and_a_large_total_each_on_its_own_axis(only_sections, private_storage):
    register_monthly_events(only_sections)
    job, _created = services.request_report(report="annual", year=2025, enqueue=False)
    workbook = zipfile.ZipFile(BytesIO(run_inline(job).xlsx.read()))

    charts = {}
    for name in sorted(n for n in workbook.namelist() if n.startswith("xl/charts/chart")):
        root = ElementTree.fromstring(workbook.read(name))
        title = "".join(t.text for t in root.iterfind("c:chart/c:title//a:t", XLSX))
        charts[title] = (len(root.findall(".//c:ser", XLSX)), len(root.findall(".//c:valAx", XLSX)))
    assert charts == {"活动按月份：活动场次": (1, 1), "活动按月份：受益人次": (1, 1)}

    # one under the other, not on top of each other
    drawing = ElementTree.fromstring(workbook.read("xl/drawings/drawing1.xml"))
    anchors = drawing.findall("xdr:oneCellAnchor", XLSX)
    (col1, row1), (col2, row2) = [(int(a.findtext("xdr:from/xdr:col", namespaces=XLSX)),
                                   int(a.findtext("xdr:from/xdr:row", namespaces=XLSX))) for a in anchors]
    height_in_rows = int(anchors[0].find("xdr:ext", XLSX).get("cy")) / 360000 / 0.53  # EMU per cm; cm per row
    assert col1 == col2 and row2 >= row1 + height_in_rows


def _numbers(lines: list[str]) -> set[int]:
    return {int(word.replace(",", "")) for line in lines for word in line.split() if re.fullmatch(r"[\d,]+", word)}


@pytest.mark.django_db
def test_pdf_draws_a_small_count_and_a_large_total_each_in_its_own_panel(only_sections, private_storage):
    register_monthly_events(only_sections)
    job, _created = services.request_report(report="annual", year=2025, enqueue=False)
    lines = [line.strip() for line in pdf_text(run_inline(job).pdf.path).splitlines()]

    # Under the table, each panel is named, then its axis: 场次 counts 0 to 5, 人次 up to 2,000.
    counts_panel = lines.index("活动场次")
    people_panel = lines.index("受益人次", counts_panel)
    assert _numbers(lines[counts_panel + 1:people_panel]) == {0, 1, 2, 3, 4, 5}
    assert {0, 500, 1000, 1500, 2000} <= _numbers(lines[people_panel + 1:])
