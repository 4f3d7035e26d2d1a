"""Checks of uploaded files by what they contain, never by the name or the type the browser
claims, and re-encoding of images so that nothing but pixels is kept.

Every file field of the portal goes through one of these:

- ``check_image(file)`` → ``"JPEG"`` / ``"PNG"``: Pillow must read the whole image; size
  and pixel count are capped (a small file can decompress into a huge bitmap);
- ``reencode_image(file)`` → a new file holding only the pixels: EXIF (camera, GPS
  position, time), ICC profiles, comments and anything appended after the image are
  dropped; the orientation EXIF asked for is applied first so the picture stays upright;
- ``check_pdf(file)``: a PDF header at the start and an end-of-file marker near the end;
- ``check_xlsx(file)``: a zip archive with an Excel workbook inside, whose unpacked size
  is capped too (a zip bomb is a few kilobytes that unpack to gigabytes);
- ``SafeImageField``: a model ``ImageField`` that runs ``check_image`` as a validator and
  stores every new upload re-encoded, whichever form or admin page it came from.

Messages are in Chinese and name the file as the person chose it.
"""

import io
import os
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

IMAGE_MAX_BYTES = 5 * 1024 * 1024
PDF_MAX_BYTES = 10 * 1024 * 1024
XLSX_MAX_BYTES = 20 * 1024 * 1024
XLSX_MAX_UNPACKED = 200 * 1024 * 1024
# 40 megapixels: a 7,000 × 5,700 photograph. Decoded in RGB that is 120 MB of memory.
MAX_PIXELS = getattr(settings, "UPLOAD_MAX_PIXELS", 40_000_000)
IMAGE_FORMATS = {"JPEG": ("image/jpeg", ".jpg"), "PNG": ("image/png", ".png")}

# Pillow refuses (DecompressionBombError) anything above twice this; our own check is lower.
Image.MAX_IMAGE_PIXELS = max(Image.MAX_IMAGE_PIXELS or 0, MAX_PIXELS)

_READ_ERRORS = (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError)


def _name(file) -> str:
    return os.path.basename(getattr(file, "name", "") or "") or str(_("所选文件"))


def _size(file) -> int:
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, os.SEEK_END)
        size = file.tell()
        file.seek(0)
    return size


def check_size(file, max_bytes: int) -> int:
    size = _size(file)
    if size == 0:
        raise ValidationError(_("“%(name)s”是空文件。"), code="empty", params={"name": _name(file)})
    if size > max_bytes:
        raise ValidationError(
            _("“%(name)s”超过 %(max)s（当前 %(size)s），请压缩后再上传。"),
            code="too_large",
            params={"name": _name(file), "max": filesizeformat(max_bytes), "size": filesizeformat(size)},
        )
    return size


def check_image(file, *, max_bytes: int = IMAGE_MAX_BYTES, max_pixels: int = MAX_PIXELS,
                formats=tuple(IMAGE_FORMATS)) -> str:
    """The image's format when Pillow reads it fully and it is within the limits."""
    check_size(file, max_bytes)
    try:
        file.seek(0)
        with Image.open(file) as img:
            fmt = img.format
            width, height = img.size
            if fmt in formats and width * height <= max_pixels:
                img.load()  # decode every pixel: a truncated or forged file fails here
    except Image.DecompressionBombError:
        fmt, width, height = "bomb", max_pixels, max_pixels
    except _READ_ERRORS:
        fmt, width, height = None, 0, 0
    finally:
        file.seek(0)
    if fmt not in formats and fmt != "bomb":
        raise ValidationError(
            _("“%(name)s”不是 JPG 或 PNG 图片，无法识别，请换一个文件。"), code="not_image", params={"name": _name(file)}
        )
    if width * height > max_pixels:
        raise ValidationError(
            _("“%(name)s”的像素过多（超过 %(mp)s 百万像素），请缩小后再上传。"),
            code="too_many_pixels",
            params={"name": _name(file), "mp": max_pixels // 1_000_000},
        )
    return fmt


def reencode_image(file, *, max_side: int | None = None) -> ContentFile:
    """A fresh JPEG or PNG of the same picture with no metadata at all."""
    fmt = check_image(file)
    file.seek(0)
    with Image.open(file) as img:
        img = ImageOps.exif_transpose(img)  # keep it upright before the EXIF goes
        if max_side and max(img.size) > max_side:
            img.thumbnail((max_side, max_side))
        out = io.BytesIO()
        if fmt == "JPEG":
            if img.mode not in ("RGB", "L"):
                img = img.convert("RGB")
            img.save(out, "JPEG", quality=88, optimize=True)
        else:
            if img.mode not in ("RGB", "RGBA", "L", "LA", "P"):
                img = img.convert("RGBA")
            img.save(out, "PNG", optimize=True)
    file.seek(0)
    stem = os.path.splitext(os.path.basename(getattr(file, "name", "") or "image"))[0][:80] or "image"
    return ContentFile(out.getvalue(), name=stem + IMAGE_FORMATS[fmt][1])


def image_content_type(fmt: str) -> str:
    return IMAGE_FORMATS[fmt][0]


def check_pdf(file, *, max_bytes: int = PDF_MAX_BYTES) -> str:
    size = check_size(file, max_bytes)
    file.seek(0)
    head = file.read(1024)
    file.seek(max(0, size - 2048))
    tail = file.read()
    file.seek(0)
    if not head.lstrip().startswith(b"%PDF-"):
        raise ValidationError(_("“%(name)s”不是 PDF 文件。"), code="not_pdf", params={"name": _name(file)})
    if b"%%EOF" not in tail:
        raise ValidationError(_("“%(name)s”不是完整的 PDF 文件。"), code="truncated_pdf", params={"name": _name(file)})
    return "application/pdf"


def check_xlsx(file, *, max_bytes: int = XLSX_MAX_BYTES, max_unpacked: int = XLSX_MAX_UNPACKED) -> None:
    """An Excel 2007+ workbook: a zip holding ``xl/workbook.xml``, unpacking to a sane size."""
    check_size(file, max_bytes)
    not_xlsx = ValidationError(
        _("“%(name)s”不是 Excel 2007 及以上格式（.xlsx）的文件。"), code="not_xlsx", params={"name": _name(file)}
    )
    file.seek(0)
    if file.read(4) != b"PK\x03\x04":
        file.seek(0)
        raise not_xlsx
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            members = archive.infolist()
            names = {m.filename for m in members}
            unpacked = sum(m.file_size for m in members)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise not_xlsx from exc
    finally:
        file.seek(0)
    if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
        raise not_xlsx
    if unpacked > max_unpacked:
        raise ValidationError(
            _("“%(name)s”解压后过大，请分批上传。"), code="xlsx_too_large", params={"name": _name(file)}
        )


@deconstructible
class ImageValidator:
    """Model-field validator: a JPEG or PNG within the size and pixel limits."""

    def __init__(self, max_bytes: int = IMAGE_MAX_BYTES):
        self.max_bytes = max_bytes

    def __call__(self, file):
        if file is None or getattr(file, "_committed", False):
            return  # already stored: it was checked when it came in
        check_image(file, max_bytes=self.max_bytes)

    def __eq__(self, other):
        return isinstance(other, ImageValidator) and other.max_bytes == self.max_bytes


class SafeImageField(models.ImageField):
    """An ImageField whose new files are checked by content and stored re-encoded.

    Re-encoding happens in ``pre_save``, so it covers the admin, public forms and code
    that assigns a file alike; a file already stored is left as it is.
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
            setattr(model_instance, self.attname, reencode_image(current.file, max_side=self.max_side))
        return super().pre_save(model_instance, add)
