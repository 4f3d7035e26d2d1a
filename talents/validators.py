"""Checks of uploaded files by their content, not by the name or the type the browser claims.

The checks themselves are the portal's shared ones (``association.filecheck``); this module
holds the talents app's limits and messages.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from association import filecheck

PHOTO_MAX_BYTES = 2 * 1024 * 1024
MATERIAL_MAX_BYTES = 5 * 1024 * 1024
IMAGE_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png"}
MAX_PIXELS = filecheck.MAX_PIXELS


def validate_photo(file) -> None:
    if file is None or getattr(file, "_committed", False):
        return
    try:
        filecheck.check_image(file, max_bytes=PHOTO_MAX_BYTES)
    except ValidationError as exc:
        if exc.code == "not_image":
            raise ValidationError(_("照片须为 JPG 或 PNG 图片，所选文件无法识别为图片。"), code="not_image") from exc
        raise


def material_content_type(file) -> str:
    """Check a nomination's material and return its real content type.

    PDF (by its header and trailer) or a JPEG/PNG image that Pillow reads fully; at most
    5 MB and 40 megapixels.
    """
    filecheck.check_size(file, MATERIAL_MAX_BYTES)
    file.seek(0)
    if file.read(1024).lstrip().startswith(b"%PDF-"):
        file.seek(0)
        return filecheck.check_pdf(file, max_bytes=MATERIAL_MAX_BYTES)
    file.seek(0)
    try:
        fmt = filecheck.check_image(file, max_bytes=MATERIAL_MAX_BYTES)
    except ValidationError as exc:
        if exc.code == "not_image":
            raise ValidationError(
                _("“%(name)s”不是 PDF 或 JPG/PNG 图片，请转换后再上传。"), code="not_material", params=exc.params
            ) from exc
        raise
    return IMAGE_FORMATS[fmt]


def stored_material(file, content_type: str):
    """What is kept of a material: images re-encoded (no EXIF, no GPS), PDFs as sent."""
    if content_type in IMAGE_FORMATS.values():
        return filecheck.reencode_image(file, max_side=None)
    return file
