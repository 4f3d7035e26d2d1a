"""Cover and gallery images: real image content, size and pixel count are checked."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from events.validators import validate_image


def _image(size=(800, 450), fmt="JPEG") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (11, 78, 162)).save(buffer, fmt)
    return SimpleUploadedFile(f"cover.{fmt.lower()}", buffer.getvalue(), content_type=f"image/{fmt.lower()}")


def test_a_normal_jpeg_passes():
    validate_image(_image())


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("cover.jpg", b"<script>alert(1)</script>"), "无法识别的图片文件"),
        (_image((100, 100)), "图片太小"),
        (_image((800, 450), "GIF"), "只支持 JPEG、PNG 或 WebP"),
        (_image((8000, 6000), "PNG"), "像素过多"),
    ],
)
def test_bad_images_are_refused_in_chinese(upload, message):
    with pytest.raises(ValidationError) as error:
        validate_image(upload)
    assert message in str(error.value)


def test_oversized_file_is_refused():
    upload = _image()
    upload.size = 6 * 1024 * 1024
    with pytest.raises(ValidationError) as error:
        validate_image(upload)
    assert "不能超过 5 MB" in str(error.value)
