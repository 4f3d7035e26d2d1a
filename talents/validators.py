"""The talents app's limits on uploads; the checks themselves are the portal's shared ones
(``association.filecheck``)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from association import filecheck

PHOTO_MAX_BYTES = 2 * 1024 * 1024
MATERIAL_MAX_BYTES = 5 * 1024 * 1024


def validate_photo(file) -> None:
    if filecheck.is_new(file):
        filecheck.check_image(file, max_bytes=PHOTO_MAX_BYTES)


def material_content_type(file) -> str:
    """Check a nomination's material and return its real content type.

    PDF (by its header and trailer) or a JPEG/PNG image that Pillow reads fully; at most
    5 MB and 40 megapixels.
    """
    if filecheck.sniff(file) == "pdf":
        return filecheck.check_pdf(file, max_bytes=MATERIAL_MAX_BYTES)
    try:
        image = filecheck.check_image(file, max_bytes=MATERIAL_MAX_BYTES)
    except ValidationError as exc:
        if exc.code in ("not_image", "format"):
            raise ValidationError(
                _("“%(name)s”不是 PDF 或 JPG/PNG 图片，请转换后再上传。"), code="not_material", params=exc.params
            ) from exc
        raise
    return filecheck.CONTENT_TYPES[image.format]


def stored_material(file, content_type: str):
    """What is kept of a material: images re-encoded (no EXIF, no GPS; a JPEG stays JPEG and a
    PNG stays PNG, so ``content_type`` still holds), PDFs as sent."""
    if content_type in filecheck.CONTENT_TYPES.values():
        return filecheck.reencode_image(file, max_bytes=MATERIAL_MAX_BYTES)
    return file
