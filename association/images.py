"""Responsive copies of uploaded pictures, for ``srcset``.

A public page shows an upload (a news cover, an event's cover or photos) through
``{% picture file sizes=… %}`` (templatetags/pictures.py). The first time a picture is
shown, smaller WebP copies of it are made with Pillow next to it in the same storage
(``<name>.w480.webp`` …, never wider than the picture), and the list of copies is kept in
the cache, so later pages read neither the disk nor the image. The uploads were re-encoded
when they came in (filecheck), so only the portal's own files are decoded here.

``delete_copies(storage, name)`` removes the copies with the picture.
"""

import io
import logging
import os
from dataclasses import dataclass

from django.core.cache import cache
from django.core.files.base import ContentFile
from PIL import Image, ImageOps

logger = logging.getLogger(__name__)

WIDTHS = (480, 720, 960, 1280)
WEBP_QUALITY = 78
CACHE_SECONDS = 7 * 24 * 3600


@dataclass(frozen=True)
class Copy:
    name: str
    width: int
    height: int


@dataclass(frozen=True)
class Picture:
    width: int
    height: int
    copies: tuple[Copy, ...]  # narrowest first; the last may be the picture itself


def copy_name(name: str, width: int) -> str:
    return f"{os.path.splitext(name)[0]}.w{width}.webp"


def _cache_key(name: str, widths) -> str:
    return f"picture:{name}:{','.join(map(str, widths))}"


def picture(file, widths=WIDTHS) -> Picture | None:
    """The picture's size and its copies at ``widths`` (made on first use); None when the
    file is missing or unreadable (the page then shows the file as it is, or nothing)."""
    if not file:
        return None
    key = _cache_key(file.name, widths)
    found = cache.get(key)
    if found is not None:
        return found
    storage = file.storage
    try:
        with storage.open(file.name) as handle:
            image = Image.open(handle)
            image.load()
    except (OSError, ValueError):
        logger.warning("picture %s could not be read for its copies", file.name)
        return None
    width, height = image.size
    copies = []
    for target in sorted(w for w in widths if w < width):
        name = copy_name(file.name, target)
        target_height = round(height * target / width)
        if not storage.exists(name):
            resized = ImageOps.exif_transpose(image).convert("RGB").resize((target, target_height), Image.Resampling.LANCZOS)
            out = io.BytesIO()
            resized.save(out, "WEBP", quality=WEBP_QUALITY, method=4)
            name = storage.save(name, ContentFile(out.getvalue()))
        copies.append(Copy(name, target, target_height))
    copies.append(Copy(file.name, width, height))
    found = Picture(width, height, tuple(copies))
    cache.set(key, found, CACHE_SECONDS)
    return found


def delete_copies(storage, name: str, widths=WIDTHS) -> None:
    for width in widths:
        copy = copy_name(name, width)
        if storage.exists(copy):
            storage.delete(copy)
        cache.delete(_cache_key(name, widths))
