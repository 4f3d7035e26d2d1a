"""The statistics return built by the real Celery worker as a report job: a county's staff
ask for it, the worker writes it in the official layout, another county cannot reach it."""

from io import BytesIO

import openpyxl
import pytest
from django.test import Client

from association.models import ReportJob
from association.reports import services
from events.models import Event
from returns import services as return_services
from returns.models import StatisticsReturn
from tests.association.test_reports_worker import wait_until_done
from tests.events.factories import EventOutcomeFactory, PastEventFactory

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]
YEAR = 2025


@pytest.fixture
def remove_files():
    yield
    services.delete_jobs(ReportJob.objects.all())


def test_a_county_asks_for_its_return_and_the_worker_writes_it_by_table(celery_worker_process, remove_files, tree,
                                                                        settings):
    from django.utils import timezone

    start = timezone.make_aware(timezone.datetime(YEAR, 5, 10, 9))
    event = PastEventFactory(organiser=tree.township_a, kind=Event.Kind.ACADEMIC, start=start, end=start)
    EventOutcomeFactory(event=event, participants=88)
    return_services.open_return(tree.county_a.pk, YEAR)

    job, created = services.request_report(report="statistics_return", year=YEAR, user=tree.staff_a)
    assert created and job.unit == tree.county_a and "华龙区科协" in job.title
    job = wait_until_done(job)
    assert job.status == ReportJob.Status.SUCCEEDED, job.error
    assert job.percent == 100
    book = openpyxl.load_workbook(BytesIO(job.xlsx.read()))
    assert book.sheetnames[:3] == ["AK表1-1", "CKX表3", "DKX表4"] and "KKX表11" in book.sheetnames
    rows = {row[0]: row for row in book["CKX表3"].iter_rows(values_only=True) if row and row[0]}
    assert rows["举行学术交流活动"][3] == 1 and rows["参加人数"][3] == 88

    staff_b = Client()
    staff_b.force_login(tree.staff_b)
    assert staff_b.get(f"/dashboard/reports/{job.pk}/xlsx/").status_code == 404
    # A year is what a return is for: a date range is refused before any job is made.
    with pytest.raises(Exception, match="按年度生成"):
        services.request_report(report="statistics_return", date_from=start.date(), date_to=start.date(),
                                user=tree.staff_a)
    assert StatisticsReturn.objects.filter(organization=tree.county_a, year=YEAR).exists()
