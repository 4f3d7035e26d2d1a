"""Checks of uploaded images: real image content, file size and pixel count.

Django's ImageField already asks Pillow whether the bytes are an image; these checks add
what a public site needs on top: a cap on the upload, a cap on the decoded size (a small
file can decode into a huge bitmap), and only the formats browsers show everywhere.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000
MIN_SIDE = 200
FORMATS = {"JPEG", "PNG", "WEBP"}


def validate_image(file) -> None:
    size = getattr(file, "size", None)
    if size is not None and size > MAX_BYTES:
        raise ValidationError(_("图片不能超过 5 MB，请压缩后再上传。"), code="too_large")
    position = file.tell() if hasattr(file, "tell") else None
    try:
        file.seek(0)
        with Image.open(file) as image:
            width, height = image.size
            fmt = image.format
            if width * height > MAX_PIXELS:
                raise ValidationError(_("图片像素过多（不超过 4000 万像素）。"), code="too_many_pixels")
            image.verify()
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise ValidationError(_("无法识别的图片文件，请上传 JPEG、PNG 或 WebP 图片。"), code="not_image") from exc
    finally:
        if position is not None:
            file.seek(position)
    if fmt not in FORMATS:
        raise ValidationError(_("只支持 JPEG、PNG 或 WebP 格式的图片。"), code="format")
    if min(width, height) < MIN_SIDE:
        raise ValidationError(_("图片太小（宽和高至少 200 像素）。"), code="too_small")
