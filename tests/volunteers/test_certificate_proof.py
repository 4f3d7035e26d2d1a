"""A certificate a school or employer can rely on: the volunteer number, the issuing unit and
its seal, handler and phone, a serial number, and a public check that shows only what
confirms the holder."""

import datetime
import io
import re
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from PIL import Image, ImageDraw
from pypdf import PdfReader

from association.models import AuditEntry, Organization
from association.states import DomainError
from tests.association.factories import OrganizationFactory, StaffFactory
from volunteers.models import HoursCertificate, Volunteer
from volunteers.services import certificates

from .factories import RecordFactory, VolunteerFactory, VolunteerWithUserFactory

pytestmark = pytest.mark.django_db
NUMBER = re.compile(r"^4109(\d{4})(\d{6,})$")


def seal_png() -> SimpleUploadedFile:
    image = Image.new("RGBA", (300, 300), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((10, 10, 290, 290), outline=(220, 0, 0, 255), width=14)
    draw.regular_polygon((150, 150, 40), 5, fill=(220, 0, 0, 255))
    out = io.BytesIO()
    image.save(out, "PNG")
    return SimpleUploadedFile("公章.png", out.getvalue(), content_type="image/png")


def sealed_unit(**kwargs) -> Organization:
    return OrganizationFactory(
        name="华龙区科学技术协会", kind=Organization.Kind.COUNTY_ASSOCIATION, seal=seal_png(),
        certificate_handler="李经办", certificate_phone="0393-4412345", **kwargs,
    )


def issued(volunteer) -> HoursCertificate:
    certificate = certificates.request_certificate(volunteer_id=volunteer.pk)
    return certificates.build(certificate.pk)


def pdf_text(certificate, tmp_path: Path) -> str:
    path = tmp_path / "certificate.pdf"
    with certificate.file.open("rb") as f:
        path.write_bytes(f.read())
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def images_in(certificate) -> int:
    with certificate.file.open("rb") as f:
        return sum(len(page.images) for page in PdfReader(io.BytesIO(f.read())).pages)


# -- 志愿者编号 ---------------------------------------------------------------------------


def test_every_volunteer_gets_a_number_of_city_code_year_and_sequence():
    people = VolunteerFactory.create_batch(3)
    numbers = [v.number for v in people]
    assert len(set(numbers)) == 3
    year = str(timezone.localdate().year)
    for number in numbers:
        assert NUMBER.match(number) and NUMBER.match(number).group(1) == year
    assert sorted(numbers) == numbers  # in the order they registered


def test_volunteer_number_stays_the_same_through_edits_and_review():
    volunteer = VolunteerFactory(status=Volunteer.Status.PENDING)
    number = volunteer.number
    volunteer.name, volunteer.employer = "改过名字", "新单位"
    volunteer.save()
    from volunteers.services import review
    review.approve(volunteer_id=volunteer.pk, actor=StaffFactory())
    volunteer.refresh_from_db()
    assert volunteer.number == number


def test_number_of_a_deleted_volunteer_is_never_given_again():
    gone = VolunteerFactory()
    number = gone.number
    gone.delete()
    later = VolunteerFactory()
    assert later.number != number
    assert int(NUMBER.match(later.number).group(2)) > int(NUMBER.match(number).group(2))


def test_volunteers_added_in_bulk_get_numbers_too():
    made = Volunteer.objects.bulk_create([Volunteer(name="批量一", gender="M"), Volunteer(name="批量二", gender="F")])
    numbers = set(Volunteer.objects.filter(pk__in=[v.pk for v in made]).values_list("number", flat=True))
    assert len(numbers) == 2 and all(NUMBER.match(n) for n in numbers)


def test_volunteer_sees_their_number_on_their_own_page(client):
    volunteer = VolunteerWithUserFactory()
    client.force_login(volunteer.user)
    html = client.get("/accounts/me/").content.decode()
    assert f"志愿者编号：<strong class=\"text-body\">{volunteer.number}</strong>" in html


def test_staff_find_a_volunteer_by_number_in_the_admin(client):
    staff = StaffFactory(username="popsci-number")
    staff.groups.add(Group.objects.get(name="科学技术普及部"))
    client.force_login(staff)
    wanted = VolunteerFactory(name="要找的人")
    VolunteerFactory(name="别的人")
    html = client.get("/admin/volunteers/volunteer/", {"q": wanted.number}).content.decode()
    assert "要找的人" in html and "别的人" not in html and wanted.number in html


def _migrate(targets):
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_migration_numbers_existing_volunteers_in_the_order_they_registered_then_continues():
    before = [("volunteers", "0007_pipl_personal_data_rights")]
    Old = _migrate(before).get_model("volunteers", "Volunteer")
    for name, created in [("第二个", "2021-03-01"), ("第一个", "2020-12-28"), ("第三个", "2024-06-30")]:
        v = Old.objects.create(name=name, gender="M")
        Old.objects.filter(pk=v.pk).update(created=datetime.datetime.fromisoformat(f"{created}T10:00:00+08:00"))
    New = _migrate([("volunteers", "0008_cert")]).get_model("volunteers", "Volunteer")
    numbers = dict(New.objects.values_list("name", "number"))
    assert numbers == {"第一个": "41092020000001", "第二个": "41092021000002", "第三个": "41092024000003"}
    with connection.cursor() as cursor:
        cursor.execute("SELECT volunteers_next_volunteer_number()")
        assert cursor.fetchone()[0].endswith("000004")


# -- the certificate ----------------------------------------------------------------------


def test_certificate_names_the_issuing_unit_with_its_seal_handler_phone_and_numbers(tmp_path):
    unit = sealed_unit()
    volunteer = VolunteerFactory(name="孟庆臻", unit=unit)
    RecordFactory(volunteer=volunteer, hours=Decimal("3.5"), date=datetime.date(2026, 3, 5))
    RecordFactory(volunteer=volunteer, hours=Decimal("6"), date=datetime.date(2026, 9, 12))
    certificate = issued(volunteer)
    assert certificate.status == HoursCertificate.Status.READY
    assert (certificate.issuer, certificate.issuer_name) == (unit, "华龙区科学技术协会")
    assert re.fullmatch(r"ZM\d{4}\d{6,}", certificate.number)
    text = pdf_text(certificate, tmp_path)
    for expected in ("志愿服务记录证明", f"证明编号：{certificate.number}", "华龙区科学技术协会", "李经办", "0393-4412345",
                     volunteer.number, volunteer.masked_id_number, "2026年3月5日至2026年9月12日", "9.5小时",
                     certificate.display_code, timezone.localdate().strftime("%Y年").lstrip("0")):
        assert expected in text, expected
    assert volunteer.id_number not in text and volunteer.mobile not in text
    assert images_in(certificate) == 2  # the QR code and the seal


def test_unit_without_a_seal_leaves_it_to_the_nearest_unit_above_that_has_one():
    county = sealed_unit()
    society = OrganizationFactory(name="华龙区化工学会", parent=county)
    volunteer = VolunteerFactory(unit=society)
    RecordFactory(volunteer=volunteer)
    certificate = issued(volunteer)
    assert certificate.issuer == county and certificate.handler == "李经办"
    assert images_in(certificate) == 2


def test_with_no_seal_anywhere_the_managing_unit_issues_without_one(tmp_path):
    unit = OrganizationFactory(name="没有印章的学会", contact_person="赵联系", phone="0393-1111111")
    volunteer = VolunteerFactory(unit=unit)
    RecordFactory(volunteer=volunteer)
    certificate = issued(volunteer)
    assert (certificate.issuer_name, certificate.handler, certificate.contact_phone) == ("没有印章的学会", "赵联系", "0393-1111111")
    assert images_in(certificate) == 1
    assert "没有印章的学会" in pdf_text(certificate, tmp_path)


def test_seal_upload_that_is_not_an_image_is_refused():
    unit = OrganizationFactory()
    unit.seal = SimpleUploadedFile("seal.png", b"<script>alert(1)</script>", content_type="image/png")
    with pytest.raises(ValidationError) as error:
        unit.full_clean()
    assert "seal" in error.value.message_dict


def test_reissue_gives_a_new_certificate_number_and_keeps_the_volunteer_number_and_the_first_certificate():
    volunteer = VolunteerFactory(unit=sealed_unit())
    RecordFactory(volunteer=volunteer)
    first = issued(volunteer)
    certificates.build(first.pk)  # a task run twice
    first_number = first.number
    first.refresh_from_db()
    assert first.number == first_number
    volunteer.name = "改了名字"
    volunteer.save()
    second = issued(volunteer)
    volunteer.refresh_from_db()
    assert second.number != first.number and int(second.number[6:]) > int(first.number[6:])
    assert HoursCertificate.objects.get(pk=first.pk).status == HoursCertificate.Status.READY
    assert str(volunteer.number) in pdf_text_of(second)


def pdf_text_of(certificate) -> str:
    with certificate.file.open("rb") as f:
        return "".join(page.extract_text() for page in PdfReader(io.BytesIO(f.read())).pages)


# -- the public check ---------------------------------------------------------------------

ALLOWED = ["证明编号", "姓名", "身份证号", "志愿者编号", "服务期间", "累计服务时长", "出具单位", "出具日期"]


def test_public_check_shows_exactly_what_confirms_the_holder_and_nothing_more(client):
    volunteer = VolunteerFactory(name="孟庆臻", unit=sealed_unit(), employer="濮阳市化工研究所", skills="高分子材料")
    RecordFactory(volunteer=volunteer, hours=Decimal("4.5"), date=datetime.date(2026, 5, 4))
    certificate = issued(volunteer)
    html = client.get(f"/volunteers/certificates/verify/{certificate.display_code}/").content.decode()
    card = html[html.index('id="verification"'):]
    card = card[:card.index("</dl>")]
    assert re.findall(r"<dt[^>]*>([^<]+)</dt>", card) == ALLOWED
    for shown in ("证明有效", certificate.number, "孟庆臻", volunteer.masked_id_number, volunteer.number,
                  "2026年5月4日至2026年5月4日", "4.5 小时", "华龙区科学技术协会"):
        assert shown in html, shown
    for hidden in (volunteer.id_number, volunteer.mobile, volunteer.masked_mobile, volunteer.email, "濮阳市化工研究所",
                   "高分子材料", "李经办"):
        assert hidden not in html, hidden


def test_revoked_certificate_is_shown_as_revoked_and_the_reason_is_required(client):
    volunteer = VolunteerFactory(unit=sealed_unit())
    RecordFactory(volunteer=volunteer)
    certificate = issued(volunteer)
    staff = StaffFactory()
    with pytest.raises(DomainError, match="请填写撤销原因"):
        certificates.revoke(certificate_id=certificate.pk, actor=staff, reason=" ")
    certificates.revoke(certificate_id=certificate.pk, actor=staff, reason="服务时长登记有误")
    certificates.build(certificate.pk)  # a late task does not bring it back
    certificate.refresh_from_db()
    assert certificate.status == HoursCertificate.Status.REVOKED
    html = client.get("/volunteers/certificates/verify/", {"code": certificate.code}).content.decode()
    assert "证明已撤销" in html and "证明有效" not in html
    assert AuditEntry.objects.filter(object_id=str(certificate.pk), to_state="revoked").exists()
    with pytest.raises(DomainError):
        certificates.revoke(certificate_id=certificate.pk, actor=staff, reason="再撤销一次")


def test_staff_revoke_from_the_admin_with_a_reason(client):
    volunteer = VolunteerFactory(unit=sealed_unit())
    RecordFactory(volunteer=volunteer)
    certificate = issued(volunteer)
    staff = StaffFactory(username="popsci-revoke")
    staff.groups.add(Group.objects.get(name="科学技术普及部"))
    client.force_login(staff)
    url = "/admin/volunteers/hourscertificate/"
    html = client.get(url, {"q": certificate.number}).content.decode()
    assert volunteer.name in html
    client.post(url, {"action": "revoke_selected", "_selected_action": [certificate.pk], "apply": "1",
                      "reason": "重复开具"})
    certificate.refresh_from_db()
    assert certificate.status == HoursCertificate.Status.REVOKED and certificate.revocation_reason == "重复开具"
