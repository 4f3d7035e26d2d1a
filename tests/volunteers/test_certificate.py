import subprocess
import time
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings

from association.models import AuditEntry
from association.states import DomainError
from tests.association.factories import StaffFactory, UserFactory
from volunteers.models import HoursCertificate
from volunteers.services import certificates

from .factories import RecordFactory, TeamFactory, VolunteerWithUserFactory

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"


def wait_ready(certificate, timeout=40):
    deadline = time.time() + timeout
    while time.time() < deadline:
        certificate.refresh_from_db()
        if certificate.status != HoursCertificate.Status.PENDING:
            return certificate
        time.sleep(0.3)
    raise AssertionError("certificate not built in time; see .pytest_cache/celery-worker.log")


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_certificate_is_built_by_the_worker_downloaded_by_its_owner_and_verified(client, celery_worker_process):
    volunteer = VolunteerWithUserFactory(name="孟庆臻")
    team = TeamFactory(name="化工新材料服务队")
    RecordFactory(volunteer=volunteer, team=team, hours=Decimal("3.5"), title="化工新材料服务队研讨会（市化工研究所）")
    RecordFactory(volunteer=volunteer, team=team, hours=Decimal("6"), title="赴南乐县生物基材料产业园区调研")
    RecordFactory(volunteer=volunteer, hours=Decimal("2"), status="pending")
    client.force_login(volunteer.user)
    client.post("/accounts/me/certificates/")
    certificate = wait_ready(HoursCertificate.objects.get(volunteer=volunteer))
    assert certificate.status == HoursCertificate.Status.READY, certificate.error
    assert certificate.total_hours == Decimal("9.5") and certificate.record_count == 2

    page = client.get("/accounts/me/").content.decode()
    assert certificate.display_code in page
    response = client.get(f"/accounts/me/certificates/{certificate.pk}/download/")
    pdf = b"".join(response.streaming_content)
    assert response["Content-Type"] == "application/pdf" and pdf.startswith(b"%PDF")

    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / "hours-certificate.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "志愿服务记录证明" in text and "孟庆臻" in text and "9.5小时" in text
    assert certificate.number in text and volunteer.number in text
    assert certificate.display_code in text and volunteer.id_number not in text and volunteer.masked_id_number in text
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-singlefile", str(path), str(ARTIFACTS / "hours-certificate")],
                   check=True)

    client.logout()
    html = client.get(f"/volunteers/certificates/verify/{certificate.display_code}/").content.decode()
    assert "证明有效" in html and "孟庆臻" in html and "9.5 小时" in html
    html = client.get("/volunteers/certificates/verify/", {"code": certificate.code.lower()}).content.decode()
    assert "证明有效" in html
    html = client.get("/volunteers/certificates/verify/", {"code": "ABCD-EFGH-JKLM"}).content.decode()
    assert "没有找到这个核验码" in html


@pytest.mark.django_db
def test_certificate_download_is_refused_to_others_and_audited_for_staff(client):
    volunteer = VolunteerWithUserFactory()
    RecordFactory(volunteer=volunteer)
    certificate = certificates.request_certificate(volunteer_id=volunteer.pk)
    certificates.build(certificate.pk)  # what the worker does, run here
    url = f"/accounts/me/certificates/{certificate.pk}/download/"
    assert client.get(url).status_code == 302  # to log in
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    staff = StaffFactory()
    from django.contrib.auth.models import Group

    staff.groups.add(Group.objects.get(name="科学技术普及部"))
    client.force_login(staff)
    assert client.get(url).status_code == 200
    assert AuditEntry.objects.filter(action=AuditEntry.Action.VIEW_PERSONAL, actor=staff).exists()


@pytest.mark.django_db
def test_building_twice_keeps_one_file():
    volunteer = VolunteerWithUserFactory()
    RecordFactory(volunteer=volunteer)
    certificate = certificates.request_certificate(volunteer_id=volunteer.pk)
    first = certificates.build(certificate.pk).file.name
    assert certificates.build(certificate.pk).file.name == first


@pytest.mark.django_db
def test_certificate_needs_approval_and_confirmed_hours():
    pending = VolunteerWithUserFactory(status="pending")
    with pytest.raises(DomainError, match="审核通过后"):
        certificates.request_certificate(volunteer_id=pending.pk)
    with pytest.raises(DomainError, match="没有经过确认的服务记录"):
        certificates.request_certificate(volunteer_id=VolunteerWithUserFactory().pk)


@pytest.mark.django_db
def test_volunteer_under_review_is_told_why_the_certificate_button_is_greyed_and_when_it_opens(client):
    volunteer = VolunteerWithUserFactory(status="pending")
    client.force_login(volunteer.user)
    html = client.get("/accounts/me/").content.decode()
    assert "disabled" in html.split("申请开具证明（PDF）")[0].rsplit("<button", 1)[1]
    assert "审核通过后可申请：科普部工作人员审核通过您的注册、并确认您的服务时长后，即可在这里申请开具证明。" in html


@pytest.mark.django_db
def test_approved_volunteer_without_confirmed_hours_is_told_what_is_missing(client):
    volunteer = VolunteerWithUserFactory()
    client.force_login(volunteer.user)
    html = client.get("/accounts/me/").content.decode()
    assert "您还没有经过确认的服务记录：参加服务、由工作人员确认时长后即可申请。" in html


@pytest.mark.django_db
def test_approved_volunteer_with_confirmed_hours_can_ask_for_the_certificate(client):
    volunteer = VolunteerWithUserFactory()
    RecordFactory(volunteer=volunteer, hours=Decimal("3"))
    client.force_login(volunteer.user)
    html = client.get("/accounts/me/").content.decode()
    button = html.split("申请开具证明（PDF）")[0].rsplit("<button", 1)[1]
    assert "disabled" not in button and 'type="submit"' in button
    assert "即可申请" not in html
