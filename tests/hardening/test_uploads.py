"""Uploads through every file field: checked by what they contain (not the name), images kept
re-encoded without EXIF (no GPS position); nothing uploaded is ever served as a web page;
private files only through permission-checked views, as downloads. The checks themselves
are tested in tests/association/test_filecheck.py."""

import io
import re
from urllib.parse import quote, unquote

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from association.roles import ACADEMIC, POPSCI
from talents.models import NominationMaterial, Talent
from tests.association.factories import OrganizationFactory, StaffFactory, photo_with_gps
from tests.talents.factories import FieldFactory, RoundFactory, TalentFactory

pytestmark = pytest.mark.django_db


def png(size=(8, 8)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "red").save(out, "PNG")
    return out.getvalue()


HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"


# -- every file field --------------------------------------------------------------------------


def staff_in(group_name):
    user = StaffFactory()
    user.groups.add(Group.objects.get(name=group_name))
    return user


def _talent_post(talent, photo):
    return {
        "name": talent.name, "gender": "M", "birth_year": 1975, "title": "高级工程师", "title_level": 2,
        "field": talent.field_id, "employer": "濮阳市化工研究所", "photo": photo, "contact": "",
        "_save": "保存",
    }


def test_talent_photo_uploaded_by_staff_is_stored_without_exif(client):
    talent = TalentFactory(contact="")
    client.force_login(staff_in(ACADEMIC))
    response = client.post(f"/admin/talents/talent/{talent.pk}/change/", _talent_post(talent, photo_with_gps()))
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    talent.refresh_from_db()
    assert talent.photo.name.endswith(".jpg")
    with talent.photo.open("rb") as stored, Image.open(stored) as img:
        assert not img.getexif()
    talent.photo.delete(save=False)


def test_talent_photo_is_stored_and_shown_under_a_random_name_not_the_uploaded_one(client):
    talent = TalentFactory(name="张三", contact="", public_profile=True)
    client.force_login(staff_in(ACADEMIC))
    upload = photo_with_gps(name="张三身份证照片.jpg")
    data = {**_talent_post(talent, upload), "public_profile": "on"}
    response = client.post(f"/admin/talents/talent/{talent.pk}/change/", data)
    assert response.status_code == 302
    talent.refresh_from_db()
    assert re.fullmatch(r"talents/photos/\d{4}/[0-9a-f]{32}\.jpg", talent.photo.name), talent.photo.name
    client.logout()
    html = client.get(f"/talents/experts/{talent.pk}/").content.decode()
    src = re.search(r'<img src="([^"]+)" alt="张三的照片"', html)[1]
    assert src == talent.photo.url and re.fullmatch(r"/media/talents/photos/\d{4}/[0-9a-f]{32}\.jpg", src)
    for part in ("张三", "身份证", "照片", "张", "三"):
        assert part not in unquote(src) and quote(part) not in src


def test_talent_photo_that_is_really_a_web_page_is_refused_in_chinese(client):
    talent = TalentFactory(contact="")
    client.force_login(staff_in(ACADEMIC))
    fake = SimpleUploadedFile("photo.jpg", HTML, content_type="image/jpeg")
    response = client.post(f"/admin/talents/talent/{talent.pk}/change/", _talent_post(talent, fake))
    assert response.status_code == 200
    assert "photo" in response.context["adminform"].form.errors
    assert not Talent.objects.get(pk=talent.pk).photo


def test_nomination_image_material_is_stored_re_encoded_without_gps(client, settings):
    settings.PUBLIC_FORM_ADDRESS_RATE = settings.PUBLIC_FORM_PERSON_RATE = "1000/m"
    award_round = RoundFactory()
    data = {
        "nominating_unit": OrganizationFactory().pk, "contact_person": "王联系", "contact_phone": "13838383838",
        "nominee_name": "刘青年", "nominee_gender": "M", "nominee_birth_date": "1980-05-01", "nominee_title": "高级工程师",
        "nominee_title_level": "2", "nominee_employer": "濮阳市化工研究所", "nominee_field": FieldFactory().pk,
        "summary": "在生物基材料研发中成绩突出。", "recommendation": photo_with_gps(name="推荐表.jpg"),
    }
    response = client.post(f"/talents/awards/{award_round.pk}/nominate/", data)
    assert response.status_code == 302
    material = NominationMaterial.objects.get()
    assert material.original_name == "推荐表.jpg" and material.content_type == "image/jpeg"
    with material.file.open("rb") as stored, Image.open(stored) as img:
        assert not img.getexif()


def test_nomination_material_named_pdf_but_holding_html_is_refused(client, settings):
    settings.PUBLIC_FORM_ADDRESS_RATE = settings.PUBLIC_FORM_PERSON_RATE = "1000/m"
    award_round = RoundFactory()
    response = client.post(f"/talents/awards/{award_round.pk}/nominate/", {
        "recommendation": SimpleUploadedFile("推荐表.pdf", HTML, content_type="application/pdf"),
    })
    assert "不是 PDF 或 JPG/PNG 图片" in response.content.decode()
    assert not NominationMaterial.objects.exists()


@pytest.mark.parametrize("path, group", [
    ("/admin/volunteers/volunteer/import/", POPSCI),
    ("/admin/talents/talent/import/", ACADEMIC),
])
def test_roster_imports_refuse_a_web_page_named_xlsx(client, path, group):
    client.force_login(staff_in(group))
    response = client.post(path, {"file": SimpleUploadedFile("名册.xlsx", HTML)})
    assert response.status_code == 200
    assert "不是 Excel 2007 及以上格式" in response.content.decode()


# -- serving -----------------------------------------------------------------------------------


@pytest.fixture
def media_files(settings):
    settings.SERVE_MEDIA = True
    root = settings.MEDIA_ROOT
    (root / "talents").mkdir(parents=True)
    (root / "talents" / "page.html").write_bytes(HTML)
    (root / "talents" / "photo.jpg").write_bytes(png())  # a PNG named .jpg: still no sniffing
    (root / "talents" / "image.svg").write_bytes(b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>")
    return root


def test_public_media_never_serves_html_or_svg_as_a_page(client, media_files):
    for name in ("page.html", "image.svg"):
        response = client.get(f"/media/talents/{name}")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/octet-stream"
        assert response["Content-Disposition"] == "attachment"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in response["Content-Security-Policy"]


def test_public_media_serves_images_with_their_type_and_nosniff(client, media_files):
    response = client.get("/media/talents/photo.jpg")
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'none'" in response["Content-Security-Policy"]


@pytest.mark.parametrize("path", ["/media/../.env", "/media/talents/../../manage.py", "/media/talents/.hidden", "/media/nope.jpg"])
def test_public_media_stays_inside_the_media_folder(client, media_files, path):
    (media_files / "talents" / ".hidden").write_bytes(b"x")
    assert client.get(path).status_code == 404


def test_public_media_takes_only_reads(client, media_files):
    assert client.post("/media/talents/photo.jpg").status_code == 405


def test_public_media_is_left_to_the_proxy_in_production(client, media_files, settings):
    settings.SERVE_MEDIA = False
    assert client.get("/media/talents/photo.jpg").status_code == 404
