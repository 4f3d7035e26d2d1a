"""Uploads are judged by their content, never their name, with a Chinese message for each
refusal that names the file; images are kept re-encoded, without EXIF."""

import io
import struct
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from association import filecheck
from tests.association.factories import GPS_IFD, image_upload, pdf_bytes, photo_with_gps

HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"


def png(size=(8, 8), mode="RGB", colour="red") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, colour).save(out, "PNG", optimize=True)
    return out.getvalue()


def png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims a huge bitmap."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b"")


def zipped(members: dict) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


DOCX = zipped({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"})


def cut_jpeg() -> bytes:
    data = image_upload(size=(800, 600)).read()
    return data[: len(data) // 3]


def refusal(check, name, content, **limits) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        check(SimpleUploadedFile(name, content), **limits)
    return caught.value


# -- images ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("content", "message"), [
    (HTML, "不是有效的图片，请上传 JPEG 或 PNG 格式的图片"),
    (b"GIF89a<script>alert(1)</script>", "不是有效的图片"),
    (b"\xff\xd8\xff\xe0 not really a jpeg", "不是有效的图片"),
    (cut_jpeg(), "已损坏或不完整"),
    (b"", "是空文件"),
])
def test_what_is_not_a_whole_image_is_refused_by_its_name_whatever_the_name_says(content, message):
    error = refusal(filecheck.check_image, "照片.jpg", content)
    assert error.messages[0].startswith("“照片.jpg”") and message in error.messages[0]


def test_an_image_format_a_field_does_not_take_is_named_with_the_formats_it_does():
    out = io.BytesIO()
    Image.new("RGB", (20, 20)).save(out, "BMP")
    assert "是 BMP 格式的图片，只支持 JPEG 或 PNG 格式" in refusal(filecheck.check_image, "photo.png", out.getvalue()).messages[0]
    gif = io.BytesIO()
    Image.new("RGB", (20, 20)).save(gif, "GIF")
    error = refusal(filecheck.check_image, "动图.gif", gif.getvalue(), formats=("JPEG", "PNG", "WEBP"))
    assert "只支持 JPEG、PNG 或 WebP 格式" in error.messages[0]


def test_an_image_over_the_size_limit_is_refused():
    error = refusal(filecheck.check_image, "big.png", png(), max_bytes=10)
    assert "“big.png”大小为" in error.messages[0] and "超过了上限 10" in error.messages[0]


def test_a_photo_with_too_many_pixels_is_refused():
    # noisy content compresses poorly, like a real photo
    out = io.BytesIO()
    Image.effect_noise((200, 200), 80).convert("RGB").save(out, "JPEG", quality=95)
    error = refusal(filecheck.check_image, "big.jpg", out.getvalue(), max_pixels=100 * 100)
    assert "像素过多（200×200）" in error.messages[0]


@pytest.mark.parametrize("content", [
    png((12_000, 12_000), mode="L", colour=0),  # 144 megapixels of zeros in ~150 KB
    png_declaring(20_000, 20_000),  # beyond what Pillow itself will open
])
def test_a_decompression_bomb_is_refused_before_it_is_decoded(content):
    assert len(content) < 300_000
    error = refusal(filecheck.check_image, "bomb.png", content)
    assert error.code == "decompression_bomb" and "解压炸弹" in error.messages[0]


def test_reencoding_keeps_the_picture_upright_and_drops_exif_and_gps():
    upload = photo_with_gps(size=(64, 48))
    with Image.open(upload) as original:
        assert original.getexif().get_ifd(GPS_IFD)
    clean = filecheck.reencode_image(upload)
    with Image.open(io.BytesIO(clean.read())) as img:
        assert img.format == "JPEG" and not img.getexif() and "exif" not in img.info
        assert img.size == (48, 64)  # the rotation the EXIF asked for was applied first
    assert clean.name == "photo.jpg"


def test_reencoding_drops_what_was_appended_after_the_image():
    clean = filecheck.reencode_image(SimpleUploadedFile("x.png", png() + HTML))
    assert clean.name == "x.png" and b"<script>" not in clean.read()


def test_a_news_cover_is_stored_without_exif_under_a_random_name_with_thumbnails():
    processed = filecheck.process_image(photo_with_gps("IMG_0001.jpg", size=(3000, 2000)))
    stored = Image.open(io.BytesIO(processed.original.read()))
    assert not stored.getexif()
    assert stored.size == (processed.width, processed.height) == (1280, filecheck.COVER_MAX_SIDE)
    assert "IMG_0001" not in processed.original.name
    for name, size in filecheck.THUMBNAIL_SIZES.items():
        thumb = Image.open(io.BytesIO(processed.thumbnails[name].read()))
        assert thumb.size == size and thumb.format == "JPEG"


@pytest.mark.parametrize(("fmt", "mode", "stored"), [
    ("PNG", "RGBA", ".png"), ("PNG", "RGB", ".png"), ("WEBP", "RGBA", ".png"), ("WEBP", "RGB", ".jpg"), ("GIF", "P", ".jpg"),
])
def test_a_cover_keeps_png_and_transparency_and_is_otherwise_a_jpeg(fmt, mode, stored):
    out = io.BytesIO()
    Image.new(mode, (300, 200), (255, 0, 0, 0) if mode == "RGBA" else 1).save(out, fmt)
    processed = filecheck.process_image(SimpleUploadedFile(f"logo.{fmt.lower()}", out.getvalue()))
    assert processed.original.name.endswith(stored)


# -- attachments, PDF, Excel -----------------------------------------------------------------


def test_an_attachment_whose_content_does_not_match_its_extension_is_refused():
    error = refusal(filecheck.check_attachment, "通知.pdf", b"MZ\x90\x00\x03 executable")
    assert "“通知.pdf”的内容与扩展名“.pdf”不符" in error.messages[0]


def test_a_web_page_renamed_to_txt_is_refused():
    assert "不符" in refusal(filecheck.check_attachment, "说明.txt", HTML).messages[0]


def test_an_executable_attachment_type_is_refused():
    assert "不支持“.exe”类型的附件" in refusal(filecheck.check_attachment, "setup.exe", b"MZ\x90\x00").messages[0]


def test_an_attachment_over_the_size_limit_is_refused():
    error = refusal(filecheck.check_attachment, "a.pdf", b"%PDF-1.4 and more", max_bytes=10)
    assert error.messages[0].replace("\xa0", " ").startswith("“a.pdf”大小为 17 字节，超过了上限 10 字节")


def test_office_documents_zip_and_gbk_text_are_accepted():
    odt = zipped({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<office/>"})
    accepted = {
        "方案.docx": DOCX, "方案.odt": odt, "资料.zip": zipped({"名单.csv": "姓名"}),
        "名单.txt": "科普志愿者名单".encode("gb18030"), "旧表.xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64,
    }
    for name, content in accepted.items():
        assert filecheck.check_attachment(SimpleUploadedFile(name, content)) == name[name.rindex("."):]


def test_a_zip_renamed_to_docx_is_refused():
    assert "不符" in refusal(filecheck.check_attachment, "方案.docx", zipped({"readme.txt": "x"})).messages[0]


def test_a_pdf_attachment_cut_short_is_refused_and_a_whole_one_taken():
    whole = pdf_bytes()
    assert filecheck.check_attachment(SimpleUploadedFile("通知.pdf", whole)) == ".pdf"
    error = refusal(filecheck.check_attachment, "通知.pdf", whole[:-10])
    assert error.code == "truncated_pdf" and error.messages[0].startswith("“通知.pdf”不是完整的 PDF 文件")


def test_check_pdf_wants_a_header_and_an_end_marker():
    assert filecheck.check_pdf(SimpleUploadedFile("a.pdf", pdf_bytes())) == "application/pdf"
    assert "“a.pdf”不是完整的 PDF 文件" in refusal(filecheck.check_pdf, "a.pdf", b"%PDF-1.7 truncated").messages[0]
    for content in (HTML, b"MZ\x90\x00"):
        assert "“a.pdf”不是 PDF 文件" in refusal(filecheck.check_pdf, "a.pdf", content).messages[0]


def test_check_xlsx_wants_a_workbook_inside_a_zip():
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.append(["姓名", "性别"])
    out = io.BytesIO()
    workbook.save(out)
    filecheck.check_xlsx(SimpleUploadedFile("名册.xlsx", out.getvalue()))
    for content in (HTML, zipped({"readme.txt": "hello"}), DOCX, b"PK\x03\x04broken"):
        assert "不是 Excel 2007" in refusal(filecheck.check_xlsx, "名册.xlsx", content).messages[0]


def test_check_xlsx_refuses_a_zip_bomb():
    bomb = zipped({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>", "xl/huge.xml": b"\0" * 3 * 2**20})
    assert "解压后过大" in refusal(filecheck.check_xlsx, "名册.xlsx", bomb, max_unpacked=2**20).messages[0]
