"""Cover and gallery images: real image content, size and pixel count are checked; what is
taken is stored re-encoded."""

import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from events.validators import validate_image
from tests.events.factories import EventFactory


def _image(size=(800, 450), fmt="JPEG") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (11, 78, 162)).save(buffer, fmt)
    return SimpleUploadedFile(f"cover.{fmt.lower()}", buffer.getvalue(), content_type=f"image/{fmt.lower()}")


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_a_normal_image_passes(fmt):
    validate_image(_image(fmt=fmt))


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("cover.jpg", b"<script>alert(1)</script>"), "“cover.jpg”不是有效的图片"),
        (_image((100, 100)), "“cover.jpeg”太小（100×100），宽和高至少 200 像素"),
        (_image((800, 450), "GIF"), "只支持 JPEG、PNG 或 WebP 格式"),
        (_image((8000, 6000), "PNG"), "解压炸弹"),  # 48 megapixels of one colour in a few KB
    ],
)
def test_bad_images_are_refused_in_chinese(upload, message):
    with pytest.raises(ValidationError) as error:
        validate_image(upload)
    assert message in error.value.messages[0]


def test_oversized_file_is_refused():
    upload = _image()
    upload.size = 6 * 1024 * 1024
    with pytest.raises(ValidationError) as error:
        validate_image(upload)
    assert "超过了上限 5.0" in error.value.messages[0]


@pytest.mark.django_db
def test_a_webp_cover_is_stored_as_a_jpeg_under_a_random_name(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    event = EventFactory()
    event.cover = _image(fmt="WEBP")
    event.full_clean()
    event.save()
    event.refresh_from_db()
    assert re.fullmatch(r"events/covers/\d{4}/\d{2}/[0-9a-f]{32}\.jpg", event.cover.name), event.cover.name
    with event.cover.open("rb") as stored, Image.open(stored) as img:
        assert img.format == "JPEG" and img.size == (800, 450)
