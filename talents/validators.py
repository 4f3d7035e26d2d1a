"""Checks of uploaded files by their content, not by the name or the type the browser claims."""

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

PHOTO_MAX_BYTES = 2 * 1024 * 1024
MATERIAL_MAX_BYTES = 5 * 1024 * 1024
IMAGE_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png"}
MAX_PIXELS = 40_000_000


def _sniff_image(file) -> str | None:
    """The image's format if Pillow can read it fully, else None."""
    try:
        file.seek(0)
        with Image.open(file) as img:
            fmt = img.format
            if img.width * img.height > MAX_PIXELS:
                return None
            img.verify()
        return fmt
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None
    finally:
        file.seek(0)


def validate_photo(file) -> None:
    if file is None or getattr(file, "_committed", False):
        return
    if file.size > PHOTO_MAX_BYTES:
        raise ValidationError(
            _("照片不能超过 %(max)s，当前为 %(size)s。"),
            params={"max": filesizeformat(PHOTO_MAX_BYTES), "size": filesizeformat(file.size)},
        )
    if _sniff_image(file) not in IMAGE_FORMATS:
        raise ValidationError(_("照片须为 JPG 或 PNG 图片，所选文件无法识别为图片。"))


def material_content_type(file) -> str:
    """Check a nomination's material and return its real content type.

    PDF (by its header and trailer) or a JPEG/PNG image that Pillow reads; at most 5 MB.
    """
    if file.size > MATERIAL_MAX_BYTES:
        raise ValidationError(
            _("“%(name)s”超过 %(max)s（当前 %(size)s），请压缩后再上传。"),
            params={"name": file.name, "max": filesizeformat(MATERIAL_MAX_BYTES), "size": filesizeformat(file.size)},
        )
    if file.size == 0:
        raise ValidationError(_("“%(name)s”是空文件。"), params={"name": file.name})
    file.seek(0)
    head = file.read(1024)
    file.seek(max(0, file.size - 2048))
    tail = file.read()
    file.seek(0)
    if head.lstrip().startswith(b"%PDF-"):
        if b"%%EOF" not in tail:
            raise ValidationError(_("“%(name)s”不是完整的 PDF 文件。"), params={"name": file.name})
        return "application/pdf"
    fmt = _sniff_image(file)
    if fmt in IMAGE_FORMATS:
        return IMAGE_FORMATS[fmt]
    raise ValidationError(
        _("“%(name)s”不是 PDF 或 JPG/PNG 图片，请转换后再上传。"), params={"name": file.name}
    )
