"""The annual report through the real Celery worker, with every section the apps register.

The worker is another process: it runs the sections registered by the installed apps, not
test-only ones, so the figures checked here are the core's, counted independently below.
"""

import time
from collections import Counter
from io import BytesIO

import openpyxl
import pytest

from association import reporting
from association.models import AuditEntry, Organization, ReportJob
from association.reports import services
from association.reports.xlsx import sheet_name
from association.tasks import run_report_job
from tests.association.factories import CountyFactory, OrganizationFactory

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]
S = ReportJob.Status
K = Organization.Kind


def wait_until_done(job: ReportJob, timeout: float = 60) -> ReportJob:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if not job.is_active:
            return job
        time.sleep(0.2)
    raise AssertionError(f"job {job.pk} still {job.status} after {timeout} s")


def table_rows(ws, title: str) -> dict:
    """The rows of the table titled ``title`` on a sheet, by their first cell."""
    rows = list(ws.iter_rows(values_only=True))
    start = next(i for i, row in enumerate(rows) if row[0] == title)
    header = next(i for i in range(start + 1, len(rows)) if rows[i][1] is not None)
    out = {}
    for row in rows[header + 1:]:
        if row[0] is None:
            break
        out[row[0]] = row[1:]
    return out


@pytest.fixture
def remove_files():
    yield
    services.delete_jobs(ReportJob.objects.all())


def test_annual_report_through_the_worker_has_a_sheet_per_section_with_the_right_figures(
    celery_worker_process, remove_files
):
    nanle, fanxian = CountyFactory(name="南乐县"), CountyFactory(name="范县")
    made = [
        *OrganizationFactory.create_batch(3, kind=K.E_STATION, county=nanle),
        *OrganizationFactory.create_batch(2, kind=K.SOCIETY, county=fanxian),
        OrganizationFactory(kind=K.RURAL_TECHNICAL_ASSOCIATION, county=fanxian),
    ]
    OrganizationFactory(kind=K.SOCIETY, county=nanle, is_active=False)  # not counted
    by_kind = Counter(str(K(o.kind).label) for o in made)
    by_county = Counter(o.county.name for o in made)

    job, created = services.request_report(report="annual", year=2025)
    assert created
    job = wait_until_done(job)

    assert job.status == S.SUCCEEDED, job.error
    wb = openpyxl.load_workbook(BytesIO(job.xlsx.read()))
    used = set()
    assert wb.sheetnames == [sheet_name(str(s.title), used) for s in reporting.sections()]
    orgs = wb["组织体系"]
    kinds = table_rows(orgs, "各类单位数量")
    assert {k: v[0] for k, v in kinds.items()} == dict(by_kind)
    counties = table_rows(orgs, "各县（区）单位数量")
    assert {k: v[0] for k, v in counties.items()} == dict(by_county)
    assert job.pdf.read(5) == b"%PDF-"


def test_the_same_job_delivered_twice_is_run_once(celery_worker_process, remove_files):
    OrganizationFactory(kind=K.SOCIETY)
    job, _created = services.request_report(report="annual", year=2025, enqueue=False)
    again, created = services.request_report(report="annual", year=2025)
    assert (again.pk, created) == (job.pk, False)

    first, second = run_report_job.delay(job.pk), run_report_job.delay(job.pk)
    outcomes = sorted([first.get(timeout=60), second.get(timeout=60)])

    assert outcomes == ["skipped", "succeeded"]
    job.refresh_from_db()
    assert job.status == S.SUCCEEDED
    assert job.attempts == 1
    started = AuditEntry.objects.filter(object_id=str(job.pk), from_state=S.QUEUED, to_state=S.RUNNING)
    assert started.count() == 1
