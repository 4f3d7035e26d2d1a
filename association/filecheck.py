"""Checks of uploaded files by what they contain, never by the name or the type the browser
claims, and re-encoding of images so that nothing but the pixels is kept.

Every file the portal takes goes through one of these:

- ``check_size(file, max_bytes)``: not empty, not over the cap;
- ``check_image(file, ...)`` → the decoded image: the format and pixel count are read from
  the header and checked before anything is decoded (a small file can decompress into a huge
  bitmap), then Pillow must decode every pixel (a truncated or forged file fails);
- ``reencode_image(file, ...)`` → a new file holding only the pixels, and
  ``process_image(file)`` → a news cover so re-encoded with its thumbnails: EXIF (camera,
  GPS position, time), colour profiles, comments and anything appended after the image are
  dropped, the orientation EXIF asked for is applied first so the picture stays upright;
- ``check_attachment(file)``: a news attachment, whose content must be what its extension says
  (a PDF complete, as ``check_pdf`` wants it);
- ``check_pdf(file)``: a PDF header at the start, an end-of-file marker near the end, and
  nothing active inside (``check_pdf_content``): no script, no action run on opening or on
  viewing a page, no launched program, no embedded file, no rich media, no XFA form —
  looked for in every object, those packed in compressed object streams included, with
  pypdf (a name spelt with ``#xx`` escapes is the same name to it, as to a viewer);
- ``check_xlsx(file)``: a zip with an Excel workbook inside, whose unpacked size is capped
  too (a zip bomb is a few kilobytes that unpack to gigabytes);
- ``SafeImageField``: a model ``ImageField`` whose new files are stored re-encoded under a
  random name, whichever form or admin page they came from.

Limits are parameters, each field passes its own. Messages are in Chinese and name the file
as the person chose it.
"""

import io
import os
import uuid
import warnings
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

MB = 1024 * 1024

# Every image format taken anywhere, as people know it; a field takes some of them.
FORMAT_NAMES = {"JPEG": "JPEG", "PNG": "PNG", "GIF": "GIF", "WEBP": "WebP"}
IMAGE_FORMATS = ("JPEG", "PNG")
IMAGE_MAX_BYTES = 5 * MB
# 40 megapixels: a 7,000 × 5,700 photograph. Decoded in RGB that is 120 MB of memory.
MAX_PIXELS = getattr(settings, "UPLOAD_MAX_PIXELS", 40_000_000)
# Decoded bytes per stored byte above which an over-large image is a compression bomb
# rather than a big photo (photos compress about 10:1, bombs thousands to one).
BOMB_RATIO = 100
JPEG_QUALITY = 85
CONTENT_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png"}  # what re-encoding produces

COVER_FORMATS = tuple(FORMAT_NAMES)
COVER_MAX_BYTES = 10 * MB
COVER_MAX_SIDE = 1920
# name: (width, height) of the thumbnails made for a cover, cropped to fill.
THUMBNAIL_SIZES = {"card": (960, 540), "thumb": (480, 270)}

ATTACHMENT_MAX_BYTES = 20 * MB
PDF_MAX_BYTES = 10 * MB
XLSX_MAX_BYTES = 20 * MB
XLSX_MAX_UNPACKED = 200 * MB

# Pillow refuses (DecompressionBombError) anything above twice this; our own check is lower.
Image.MAX_IMAGE_PIXELS = max(Image.MAX_IMAGE_PIXELS or 0, MAX_PIXELS)

_READ_ERRORS = (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError)

MESSAGES = {
    "empty": _("“%(name)s”是空文件。"),
    "too_large": _("“%(name)s”大小为 %(size)s，超过了上限 %(max)s，请压缩后再上传。"),
    "not_image": _("“%(name)s”不是有效的图片，请上传 %(formats)s 格式的图片。"),
    "format": _("“%(name)s”是 %(format)s 格式的图片，只支持 %(formats)s 格式，请转换后再上传。"),
    "too_many_pixels": _("“%(name)s”像素过多（%(width)s×%(height)s），请缩小到 %(limit)s 万像素以内再上传。"),
    "decompression_bomb": _(
        "“%(name)s”的像素数与文件大小极不相称（疑似“解压炸弹”），已拒绝。请上传正常拍摄或导出的图片。"
    ),
    "corrupt": _("“%(name)s”已损坏或不完整，无法读取，请重新导出后上传。"),
    "extension": _("不支持“%(ext)s”类型的附件。可以上传：%(allowed)s。"),
    "content_mismatch": _("“%(name)s”的内容与扩展名“%(ext)s”不符（文件可能已损坏，或被改了扩展名），请检查后重新上传。"),
    "not_pdf": _("“%(name)s”不是 PDF 文件。"),
    "truncated_pdf": _("“%(name)s”不是完整的 PDF 文件（缺少文件结尾，可能没有下载或导出完），请重新导出后再上传。"),
    "unreadable_pdf": _("“%(name)s”无法作为 PDF 读取，文件可能已损坏，请重新导出后再上传。"),
    "encrypted_pdf": _("“%(name)s”设置了打开密码，无法检查其内容，请取消密码后再上传。"),
    "active_pdf": _(
        "“%(name)s”含有脚本、打开时自动执行的动作或嵌入的文件，出于安全考虑不能上传。"
        "请用“打印为 PDF”或“另存为 PDF”重新生成一份普通的 PDF 后再上传。"
    ),
    "not_xlsx": _("“%(name)s”不是 Excel 2007 及以上格式（.xlsx）的文件。"),
    "xlsx_too_large": _("“%(name)s”解压后过大，请分批上传。"),
}


def _refusal(code: str, file, **params) -> ValidationError:
    return ValidationError(MESSAGES[code], code=code, params={"name": _name(file), **params})


def _name(file) -> str:
    return os.path.basename(getattr(file, "name", "") or "") or str(_("所选文件"))


def is_new(file) -> bool:
    """Whether a model field's file has just come in: one already stored was checked then."""
    return file is not None and not getattr(file, "_committed", False)


def check_size(file, max_bytes: int) -> int:
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, io.SEEK_END)
        size = file.tell()
        file.seek(0)
    if size == 0:
        raise _refusal("empty", file)
    if size > max_bytes:
        raise _refusal("too_large", file, size=filesizeformat(size), max=filesizeformat(max_bytes))
    return size


# -- images ----------------------------------------------------------------------------------


def _formats_text(formats) -> str:
    names = [FORMAT_NAMES[f] for f in FORMAT_NAMES if f in formats]
    return names[0] if len(names) == 1 else "、".join(names[:-1]) + " 或 " + names[-1]


def check_image(file, *, max_bytes: int = IMAGE_MAX_BYTES, max_pixels: int = MAX_PIXELS,
                formats=IMAGE_FORMATS) -> Image.Image:
    """The image, every pixel decoded, when it is one of ``formats`` within the limits;
    otherwise ValidationError with a Chinese message."""
    size = check_size(file, max_bytes)
    allowed = _formats_text(formats)
    file.seek(0)
    try:
        with warnings.catch_warnings():
            # Our pixel cap is checked below; Pillow only warns under twice its own.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            try:
                image = Image.open(file)
            except _READ_ERRORS:
                raise _refusal("not_image", file, formats=allowed) from None
            if image.format not in formats:  # before decoding: some plugins run external programs
                raise _refusal("format", file, format=image.format, formats=allowed)
            width, height = image.size
            if width * height > max_pixels:
                if width * height * len(image.getbands()) > BOMB_RATIO * size:
                    raise _refusal("decompression_bomb", file)
                raise _refusal("too_many_pixels", file, width=width, height=height, limit=max_pixels // 10_000)
            try:
                image.load()
            except _READ_ERRORS:
                raise _refusal("corrupt", file) from None
    except Image.DecompressionBombError:
        raise _refusal("decompression_bomb", file) from None
    finally:
        file.seek(0)
    return image


def _pixels_only(image: Image.Image, max_side: int | None) -> Image.Image:
    """Upright (EXIF orientation applied), in RGB or RGBA, at most ``max_side`` a side, with
    no metadata; an animation keeps its first frame."""
    image = ImageOps.exif_transpose(image)
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    image = image.convert("RGBA" if has_alpha else "RGB")
    image.info.clear()  # the PNG encoder would otherwise keep the colour profile
    if max_side:
        image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    return image


def _encode(image: Image.Image, fmt: str, stem: str) -> ContentFile:
    out = io.BytesIO()
    if fmt == "PNG":
        image.save(out, "PNG", optimize=True)
    else:
        image.convert("RGB").save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return ContentFile(out.getvalue(), name=f"{stem}.{'png' if fmt == 'PNG' else 'jpg'}")


def _reencode(file, stem: str, max_side: int | None, **limits) -> tuple[Image.Image, ContentFile]:
    """The checked image made pixels only, and that stored as a new file named ``stem``: a JPEG
    stays JPEG and a PNG stays PNG (a screenshot stays lossless); GIF and WebP become PNG where
    transparent, JPEG elsewhere."""
    source = check_image(file, **limits)
    image = _pixels_only(source, max_side)
    fmt = "PNG" if source.format == "PNG" or image.mode == "RGBA" else "JPEG"
    return image, _encode(image, fmt, stem)


def reencode_image(file, *, max_side: int | None = None, **limits) -> ContentFile:
    """A fresh JPEG or PNG of the same picture with no metadata, named like the upload;
    ``limits`` are ``check_image``'s."""
    stem = os.path.splitext(os.path.basename(getattr(file, "name", "") or ""))[0][:80] or "image"
    return _reencode(file, stem, max_side, **limits)[1]


@dataclass
class ProcessedImage:
    original: ContentFile
    thumbnails: dict[str, ContentFile]
    width: int
    height: int


def process_image(file) -> ProcessedImage:
    """A news cover: checked, re-encoded at most COVER_MAX_SIDE a side, and its thumbnails.
    File names are random: an uploaded name never reaches the disk."""
    stem = uuid.uuid4().hex
    image, stored = _reencode(file, stem, COVER_MAX_SIDE, max_bytes=COVER_MAX_BYTES, formats=COVER_FORMATS)
    thumbnails = {
        name: _encode(ImageOps.fit(image, box, Image.Resampling.LANCZOS, centering=(0.5, 0.4)), "JPEG", f"{stem}-{name}")
        for name, box in THUMBNAIL_SIZES.items()
    }
    return ProcessedImage(stored, thumbnails, *image.size)


class SafeImageField(models.ImageField):
    """An ImageField whose new files are stored re-encoded under a random name.

    What a field takes (size, formats) is for its validators to say; re-encoding happens
    in ``pre_save``, so it covers the admin, public forms and code that assigns a file
    alike, and refuses anything that is not a readable image. The name a file is stored
    under is a random one with the extension of what is stored (``generate_filename``), so
    an uploaded name (张三身份证照片.jpg) never reaches the disk or a public address. A stored
    file is left as it is, name and all.
    """

    def __init__(self, *args, max_side: int | None = 2400, **kwargs):
        self.max_side = max_side
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.max_side != 2400:
            kwargs["max_side"] = self.max_side
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        current = getattr(model_instance, self.attname)
        if current and not current._committed:
            stored = reencode_image(current.file, max_side=self.max_side, formats=tuple(FORMAT_NAMES))
            setattr(model_instance, self.attname, stored)
        return super().pre_save(model_instance, add)

    def generate_filename(self, instance, filename):
        extension = os.path.splitext(filename)[1].lower()
        return super().generate_filename(instance, uuid.uuid4().hex + extension)


# -- other files -------------------------------------------------------------------------------

# attachment extension: kind recognised from the content
ATTACHMENT_KINDS = {
    ".pdf": "pdf",
    ".doc": "ole", ".xls": "ole", ".ppt": "ole", ".wps": "ole", ".et": "ole",
    ".docx": "ooxml", ".xlsx": "ooxml", ".pptx": "ooxml",
    ".odt": "odf", ".ods": "odf", ".odp": "odf",
    ".zip": "zip",
    ".rar": "rar",
    ".7z": "7z",
    ".jpg": "jpeg", ".jpeg": "jpeg", ".png": "png", ".gif": "gif",
    ".txt": "text", ".csv": "text",
}
ALLOWED_EXTENSIONS_TEXT = "PDF、Word、Excel、PowerPoint、WPS 文档，ZIP/RAR/7z 压缩包，JPEG/PNG/GIF 图片，TXT/CSV 文本"

MAGIC = {
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1": "ole",
    b"Rar!\x1a\x07": "rar",
    b"7z\xbc\xaf\x27\x1c": "7z",
    b"\xff\xd8\xff": "jpeg",
    b"\x89PNG\r\n\x1a\n": "png",
    b"GIF87a": "gif",
    b"GIF89a": "gif",
}


def sniff(file) -> str | None:
    """What ``file`` is by its leading bytes (a zip by what it holds): a kind of ATTACHMENT_KINDS
    other than ``text``, or None."""
    file.seek(0)
    head = file.read(1024)
    file.seek(0)
    if head.lstrip().startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(file)
    return next((kind for magic, kind in MAGIC.items() if head.startswith(magic)), None)


def _zip_kind(file) -> str | None:
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" in names:
                return "ooxml"
            if "mimetype" in names:
                with archive.open("mimetype") as member:  # read no more than the start of it
                    if member.read(64).startswith(b"application/vnd.oasis.opendocument"):
                        return "odf"
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, EOFError, RuntimeError, NotImplementedError):
        return None
    finally:
        file.seek(0)
    return "zip"


def _is_plain_text(file) -> bool:
    file.seek(0)
    sample = file.read(64 * 1024)
    file.seek(0)
    if b"\x00" in sample:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            text = sample.decode(encoding).lower()
        except UnicodeDecodeError:
            continue
        # Markup in a .txt would be served as text/plain, but refuse it all the same.
        return "<script" not in text and "<html" not in text
    return False


def check_attachment(file, *, max_bytes: int = ATTACHMENT_MAX_BYTES) -> str:
    """Check a news attachment by size and content; returns its lower-cased extension."""
    extension = os.path.splitext(getattr(file, "name", "") or "")[1].lower()
    size = check_size(file, max_bytes)
    expected = ATTACHMENT_KINDS.get(extension)
    if expected is None:
        raise _refusal("extension", file, ext=extension or _("无扩展名"), allowed=ALLOWED_EXTENSIONS_TEXT)
    actual = "text" if expected == "text" and _is_plain_text(file) else sniff(file)
    if actual != expected:
        raise _refusal("content_mismatch", file, ext=extension)
    if actual == "pdf":
        _check_pdf_end(file, size)
        check_pdf_content(file)
    return extension


def check_pdf(file, *, max_bytes: int = PDF_MAX_BYTES) -> str:
    size = check_size(file, max_bytes)
    if sniff(file) != "pdf":
        raise _refusal("not_pdf", file)
    _check_pdf_end(file, size)
    check_pdf_content(file)
    return "application/pdf"


def _check_pdf_end(file, size: int) -> None:
    """A PDF cut short (an interrupted download or export) lacks the end-of-file marker."""
    file.seek(max(0, size - 2048))
    tail = file.read()
    file.seek(0)
    if b"%%EOF" not in tail:
        raise _refusal("truncated_pdf", file)


# Keys and name values that make a PDF do something rather than show something: scripts
# (/JavaScript, /JS), actions run on opening, on a page or on a field (/OpenAction with an
# action, /AA), programs and files opened or sent (/Launch, /SubmitForm, /ImportData,
# /GoToE), embedded files (/EmbeddedFile(s), /FileAttachment), multimedia players
# (/RichMedia, /Rendition, /Movie, /Sound) and XFA forms (/XFA, scriptable).
ACTIVE_PDF_NAMES = frozenset({
    "/JavaScript", "/JS", "/AA", "/Launch", "/SubmitForm", "/ImportData", "/GoToE", "/EmbeddedFile",
    "/EmbeddedFiles", "/FileAttachment", "/RichMedia", "/RichMediaExecute", "/Rendition", "/Movie", "/Sound", "/XFA",
})
# More objects than any document a person sends holds; beyond it the file is not examined.
PDF_MAX_OBJECTS = 200_000


def check_pdf_content(file) -> None:
    """Refuse a PDF that pypdf cannot read, that needs a password to read, or that holds
    anything in ACTIVE_PDF_NAMES or an /OpenAction that is an action.

    An /OpenAction that only names the page to open at (``[3 0 R /Fit]``, what LaTeX and
    some editors write) is a view, not an action, and is accepted.
    """
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    file.seek(0)
    try:
        reader = PdfReader(file, strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise _refusal("encrypted_pdf", file)
        # Every object the cross-reference lists (those inside object streams too), and
        # whatever the trailer leads to: an object nothing lists is still read by a viewer
        # that repairs the file.
        pending = [reader.trailer]
        pending += [IndirectObject(number, generation, reader)
                    for generation, numbers in reader.xref.items() for number in numbers]
        pending += [IndirectObject(number, 0, reader) for number in reader.xref_objStm]
        seen: set[tuple[int, int]] = set()
        while pending:
            item = pending.pop()
            if isinstance(item, IndirectObject):
                if (item.idnum, item.generation) in seen:
                    continue
                seen.add((item.idnum, item.generation))
                if len(seen) > PDF_MAX_OBJECTS:
                    raise _refusal("unreadable_pdf", file)
                item = item.get_object()
            if isinstance(item, DictionaryObject):
                for key, value in item.items():
                    if key in ACTIVE_PDF_NAMES or (
                        key == "/OpenAction" and isinstance(value.get_object(), DictionaryObject)
                    ):
                        raise _refusal("active_pdf", file)
                    pending.append(value)
            elif isinstance(item, ArrayObject):
                pending.extend(item)
            elif isinstance(item, NameObject) and item in ACTIVE_PDF_NAMES:
                raise _refusal("active_pdf", file)  # a name value: /S /Launch, /Subtype /RichMedia
    except ValidationError:
        raise
    except Exception:  # noqa: BLE001  (pypdf raises many kinds for a damaged or hostile file)
        raise _refusal("unreadable_pdf", file) from None
    finally:
        file.seek(0)


def check_xlsx(file, *, max_bytes: int = XLSX_MAX_BYTES, max_unpacked: int = XLSX_MAX_UNPACKED) -> None:
    """An Excel 2007+ workbook: a zip holding ``xl/workbook.xml``, unpacking to a sane size."""
    check_size(file, max_bytes)
    if sniff(file) != "ooxml":
        raise _refusal("not_xlsx", file)
    try:
        with zipfile.ZipFile(file) as archive:
            members = archive.infolist()
    finally:
        file.seek(0)
    if "xl/workbook.xml" not in {m.filename for m in members}:
        raise _refusal("not_xlsx", file)
    if sum(m.file_size for m in members) > max_unpacked:
        raise _refusal("xlsx_too_large", file)
