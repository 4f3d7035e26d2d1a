"""Event covers and gallery photos: the portal's image check (``association.filecheck``)
with this app's limits, and a smallest size so that a cover fills its card."""

import os

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from association import filecheck

MAX_BYTES = 5 * 1024 * 1024
MIN_SIDE = 200
FORMATS = ("JPEG", "PNG", "WEBP")


def validate_image(file) -> None:
    if not filecheck.is_new(file):
        return
    image = filecheck.check_image(file, max_bytes=MAX_BYTES, formats=FORMATS)
    if min(image.size) < MIN_SIDE:
        raise ValidationError(
            _("“%(name)s”太小（%(width)s×%(height)s），宽和高至少 %(min)s 像素。"), code="too_small",
            params={"name": os.path.basename(file.name), "width": image.width, "height": image.height, "min": MIN_SIDE},
        )
