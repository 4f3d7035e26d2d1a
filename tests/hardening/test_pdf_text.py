"""Names and titles people typed appear in the PDFs exactly as typed: markup in them is
never obeyed (no hidden text, no added link) and control characters never break a line."""

import subprocess
from datetime import date

import pytest

from association.models import ReportJob, SiteSettings
from association.reports import services as report_services
from association.tasks import run_report_job
from tests.volunteers.factories import RecordFactory, TeamFactory, VolunteerWithUserFactory
from volunteers.models import HoursCertificate
from volunteers.services import certificates

pytestmark = pytest.mark.django_db


def pdf_text(path) -> str:
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return "".join(text.split())  # compared without the line breaks the layout adds


def test_hours_certificate_shows_markup_in_names_as_text(tmp_path):
    site = SiteSettings.load()
    site.name, site.short_name = '濮阳市科协<a href="http://x.example/">核验</a>', "科协&<b>门户"
    site.save()
    volunteer = VolunteerWithUserFactory(name='张三\x07<font color="white">隐</font>')
    RecordFactory(volunteer=volunteer, team=TeamFactory(name="队\x1b<b>"), title="<b>加粗</b> & 测试\x08", date=date(2024, 3, 5))
    certificate = certificates.build(certificates.request_certificate(volunteer_id=volunteer.pk).pk)
    assert certificate.status == HoursCertificate.Status.READY

    path = tmp_path / "certificate.pdf"
    path.write_bytes(certificate.file.read())
    text = pdf_text(path)
    assert '兹证明张三<fontcolor="white">隐</font>（' in text
    assert "<b>加粗</b>&测试" in text and "队<b>" in text
    assert '濮阳市科协<ahref="http://x.example/">核验</a>' in text and "科协&<b>门户" in text
    assert b"/URI" not in path.read_bytes().replace(b"/URI (http://127.0.0.1", b"")


def test_annual_report_pdf_shows_markup_in_team_names_as_text(tmp_path):
    RecordFactory(team=TeamFactory(name='<font color="white">隐形队</font>\x07'), date=date(2024, 3, 5))
    RecordFactory(team=TeamFactory(name="+1-2 & <b>队"), date=date(2024, 3, 6))
    job, _created = report_services.request_report(report="annual", year=2024, enqueue=False)
    run_report_job.apply(args=[job.pk])
    job.refresh_from_db()
    assert job.status == ReportJob.Status.SUCCEEDED, job.error

    path = tmp_path / "report.pdf"
    path.write_bytes(job.pdf.read())
    text = pdf_text(path)
    assert '<fontcolor="white">隐形队</font>' in text and "+1-2&<b>队" in text
    assert "\x07" not in text
