"""What staff upload is judged by its content, with a Chinese message for each refusal."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from association import uploads
from tests.association.factories import image_upload


def _png(size, colour=0):
    out = io.BytesIO()
    Image.new("L", size, colour).save(out, "PNG", optimize=True)
    return SimpleUploadedFile("big.png", out.getvalue(), content_type="image/png")


def test_a_text_file_named_like_a_photo_is_not_an_image():
    with pytest.raises(ValidationError, match="不是有效的图片"):
        uploads.check_image(SimpleUploadedFile("photo.jpg", b"<html><script>alert(1)</script></html>"))


def test_an_image_format_we_do_not_take_is_refused_by_name_of_its_real_format():
    out = io.BytesIO()
    Image.new("RGB", (20, 20)).save(out, "BMP")
    with pytest.raises(ValidationError, match="不支持 BMP 格式"):
        uploads.check_image(SimpleUploadedFile("photo.png", out.getvalue()))


def test_an_image_over_the_size_limit_is_refused(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_IMAGE_BYTES", 1000)
    with pytest.raises(ValidationError, match="图片文件过大"):
        uploads.check_image(image_upload(size=(400, 400)))


def test_a_photo_with_too_many_pixels_is_refused(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_IMAGE_PIXELS", 100 * 100)
    # noisy content compresses poorly, like a real photo
    out = io.BytesIO()
    Image.effect_noise((200, 200), 80).convert("RGB").save(out, "JPEG", quality=95)
    with pytest.raises(ValidationError, match="图片像素过多（200×200）"):
        uploads.check_image(SimpleUploadedFile("big.jpg", out.getvalue()))


def test_a_decompression_bomb_is_refused_before_it_is_decoded():
    bomb = _png((12_000, 12_000))  # 144 megapixels of zeros in ~150 KB
    assert bomb.size < 300_000
    with pytest.raises(ValidationError, match="解压炸弹") as error:
        uploads.check_image(bomb)
    assert error.value.code == "decompression_bomb"


def test_a_truncated_image_is_reported_as_damaged():
    data = image_upload(size=(800, 600)).read()
    with pytest.raises(ValidationError, match="已损坏或不完整"):
        uploads.check_image(SimpleUploadedFile("cut.jpg", data[: len(data) // 3]))


def test_reencoding_drops_exif_and_makes_thumbnails():
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"  # Make
    exif[0x8825] = {2: (34.0, 45.0, 0.0)}  # GPS
    processed = uploads.process_image(image_upload("IMG_0001.jpg", size=(3000, 2000), exif=exif.tobytes()))
    stored = Image.open(io.BytesIO(processed.original.read()))
    assert not stored.getexif()
    assert max(stored.size) == uploads.MAX_STORED_SIDE
    assert "IMG_0001" not in processed.original.name
    for name, size in uploads.THUMBNAIL_SIZES.items():
        thumb = Image.open(io.BytesIO(processed.thumbnails[name].read()))
        assert thumb.size == size and thumb.format == "JPEG"


def test_a_transparent_png_stays_png():
    out = io.BytesIO()
    Image.new("RGBA", (300, 200), (255, 0, 0, 0)).save(out, "PNG")
    processed = uploads.process_image(SimpleUploadedFile("logo.png", out.getvalue()))
    assert processed.original.name.endswith(".png")


def test_an_attachment_whose_content_does_not_match_its_extension_is_refused():
    with pytest.raises(ValidationError, match="附件内容与扩展名“.pdf”不符"):
        uploads.check_attachment(SimpleUploadedFile("通知.pdf", b"MZ\x90\x00\x03 executable"))


def test_a_web_page_renamed_to_txt_is_refused():
    with pytest.raises(ValidationError, match="不符"):
        uploads.check_attachment(SimpleUploadedFile("说明.txt", b"<html><script>alert(1)</script></html>"))


def test_an_executable_attachment_type_is_refused():
    with pytest.raises(ValidationError, match="不支持“.exe”类型的附件"):
        uploads.check_attachment(SimpleUploadedFile("setup.exe", b"MZ\x90\x00"))


def test_an_attachment_over_the_size_limit_is_refused(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_ATTACHMENT_BYTES", 10)
    with pytest.raises(ValidationError, match="附件过大"):
        uploads.check_attachment(SimpleUploadedFile("a.pdf", b"%PDF-1.4 and more"))


def test_office_documents_zip_and_gbk_text_are_accepted():
    docx = io.BytesIO()
    with zipfile.ZipFile(docx, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    plain = io.BytesIO()
    with zipfile.ZipFile(plain, "w") as archive:
        archive.writestr("名单.csv", "姓名")
    assert uploads.check_attachment(SimpleUploadedFile("方案.docx", docx.getvalue())) == ".docx"
    assert uploads.check_attachment(SimpleUploadedFile("资料.zip", plain.getvalue())) == ".zip"
    assert uploads.check_attachment(SimpleUploadedFile("名单.txt", "科普志愿者名单".encode("gb18030"))) == ".txt"
    assert uploads.check_attachment(SimpleUploadedFile("旧表.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64)) == ".xls"


def test_a_zip_renamed_to_docx_is_refused():
    plain = io.BytesIO()
    with zipfile.ZipFile(plain, "w") as archive:
        archive.writestr("readme.txt", "x")
    with pytest.raises(ValidationError, match="不符"):
        uploads.check_attachment(SimpleUploadedFile("方案.docx", plain.getvalue()))
