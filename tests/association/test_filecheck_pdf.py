"""A PDF that does something when opened (a script, an action, a launched program, an
embedded file) is refused with a Chinese message, wherever inside the file it hides."""

import io
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter
from pypdf.actions import JavaScript
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

from association import filecheck
from talents.models import Nomination
from tests.association.factories import OrganizationFactory, pdf_bytes
from tests.talents.factories import FieldFactory, RoundFactory

ACTIVE = "含有脚本、打开时自动执行的动作或嵌入的文件，出于安全考虑不能上传"


def written(writer: PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def blank() -> PdfWriter:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    return writer


def action(kind: str, **entries) -> DictionaryObject:
    return DictionaryObject({NameObject("/S"): NameObject(kind),
                             **{NameObject(f"/{k}"): TextStringObject(v) for k, v in entries.items()}})


def with_javascript() -> bytes:
    writer = blank()
    writer.add_open_action(JavaScript("app.alert('x');"))
    return written(writer)


def with_open_action() -> bytes:
    writer = blank()
    writer._root_object[NameObject("/OpenAction")] = action("/JavaScript", JS="app.alert(1)")
    return written(writer)


def with_launch_on_page_open() -> bytes:
    writer = blank()
    writer.pages[0][NameObject("/AA")] = DictionaryObject({NameObject("/O"): action("/Launch", F="cmd.exe")})
    return written(writer)


def with_launch_link() -> bytes:
    writer = blank()
    link = DictionaryObject({NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Link"),
                             NameObject("/Rect"): ArrayObject([]), NameObject("/A"): action("/Launch", F="calc.exe")})
    writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(link)])
    return written(writer)


def with_embedded_file() -> bytes:
    writer = blank()
    writer.add_attachment("说明.exe", b"MZ\x90\x00")
    return written(writer)


def with_xfa_form() -> bytes:
    writer = blank()
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject(
        {NameObject("/Fields"): ArrayObject([]), NameObject("/XFA"): TextStringObject("<xdp/>")})
    return written(writer)


def hidden_in_an_object_stream() -> bytes:
    """PDF 1.5 with the catalog inside a compressed object stream, its names spelt with #xx
    escapes: neither /JavaScript nor /OpenAction appears in the file's bytes."""
    objects = [
        b"<</Type/Catalog/Pages 2 0 R/Open#41ction<</S/J#61vaScript/J#53(app.alert\\(1\\))>>>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>",
    ]
    header, body, offset = b"", b"", 0
    for number, obj in enumerate(objects, start=1):
        header += b"%d %d " % (number, offset)
        body += obj + b"\n"
        offset += len(obj) + 1
    packed = zlib.compress(header + body)
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    stream_at = len(out)
    out += b"4 0 obj\n<</Type/ObjStm/N 3/First %d/Filter/FlateDecode/Length %d>>\nstream\n" % (len(header), len(packed))
    out += packed + b"\nendstream\nendobj\n"
    xref_at = len(out)
    rows = b"\x00" + (0).to_bytes(4, "big") + b"\xff\xff"
    rows += b"".join(b"\x02" + (4).to_bytes(4, "big") + i.to_bytes(2, "big") for i in range(3))
    rows += b"\x01" + stream_at.to_bytes(4, "big") + b"\x00\x00"
    rows += b"\x01" + xref_at.to_bytes(4, "big") + b"\x00\x00"
    out += b"5 0 obj\n<</Type/XRef/Size 6/W[1 4 2]/Root 1 0 R/Length %d>>\nstream\n" % len(rows)
    out += rows + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(out)


def refusal(check, content, name="推荐表.pdf") -> ValidationError:
    with pytest.raises(ValidationError) as error:
        check(SimpleUploadedFile(name, content))
    return error.value


@pytest.mark.parametrize("make", [with_javascript, with_open_action, with_launch_on_page_open, with_launch_link,
                                  with_embedded_file, with_xfa_form, hidden_in_an_object_stream])
def test_a_pdf_that_acts_is_refused_as_material_and_as_attachment(make):
    content = make()
    for check in (filecheck.check_pdf, filecheck.check_attachment):
        error = refusal(check, content)
        assert error.code == "active_pdf"
        assert error.messages[0].startswith(f"“推荐表.pdf”{ACTIVE}")


def test_the_object_stream_hides_its_names_from_a_byte_search():
    content = hidden_in_an_object_stream()
    assert b"JavaScript" not in content and b"OpenAction" not in content


def test_an_ordinary_pdf_is_taken_and_one_opening_at_a_page_too():
    assert filecheck.check_pdf(SimpleUploadedFile("推荐表.pdf", pdf_bytes())) == "application/pdf"
    writer = blank()
    # What LaTeX writes: open at the first page, fit to the window. A view, not an action.
    writer._root_object[NameObject("/OpenAction")] = ArrayObject([writer.pages[0].indirect_reference, NameObject("/Fit")])
    assert filecheck.check_pdf(SimpleUploadedFile("论文.pdf", written(writer))) == "application/pdf"


def test_a_pdf_that_cannot_be_read_is_refused_not_passed_unread():
    error = refusal(filecheck.check_pdf, b"%PDF-1.7\n1 0 obj<</OpenAction 2 0 R>>endobj\n%%EOF\n")
    assert error.code == "unreadable_pdf"
    assert error.messages[0] == "“推荐表.pdf”无法作为 PDF 读取，文件可能已损坏，请重新导出后再上传。"


def test_a_pdf_locked_by_a_password_is_refused_with_a_message_saying_so():
    writer = blank()
    writer.encrypt(user_password="mima", owner_password="owner", algorithm="AES-128")
    assert refusal(filecheck.check_pdf, written(writer)).code == "encrypted_pdf"


@pytest.mark.django_db
def test_a_nomination_with_a_scripted_pdf_is_sent_back_with_the_message_at_the_field(client):
    award_round = RoundFactory()
    response = client.post(f"/talents/awards/{award_round.pk}/nominate/", {
        "nominating_unit": OrganizationFactory().pk, "contact_person": "王联系", "contact_phone": "13838383838",
        "nominee_name": "刘青年", "nominee_gender": "M", "nominee_birth_date": "1990-05-01", "nominee_title": "高级工程师",
        "nominee_title_level": "2", "nominee_employer": "濮阳市化工研究所", "nominee_field": FieldFactory().pk,
        "summary": "在生物基材料研发中成绩突出。",
        "recommendation": SimpleUploadedFile("推荐表.pdf", with_open_action(), content_type="application/pdf"),
    })
    assert response.status_code == 200
    assert any(ACTIVE in message for message in response.context["form"].errors["recommendation"])
    assert not Nomination.objects.exists()
