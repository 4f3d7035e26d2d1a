"""Checking and storing what staff upload: cover images and attachments.

An upload is judged by its content, never by its name: images are opened with Pillow
(after their size and pixel count are checked from the header, before anything is
decoded), attachments are recognised by their leading bytes and must agree with their
extension. Images are re-encoded, which drops EXIF (camera, GPS position) and anything
hidden after the picture, and their thumbnails are made here too.
"""

import io
import uuid
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_IMAGE_BYTES = 10 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000  # a 40-megapixel photo is the largest we take
# Decoded bytes per stored byte above which an over-large image is a compression bomb
# rather than a big photo (photos compress about 10:1, bombs thousands to one).
BOMB_RATIO = 100
IMAGE_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}
MAX_STORED_SIDE = 1920
JPEG_QUALITY = 85
# name: (width, height) of the thumbnails made for a cover, cropped to fill.
THUMBNAIL_SIZES = {"card": (960, 540), "thumb": (480, 270)}

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024


def _size(file) -> int:
    size = getattr(file, "size", None)
    if size is None:
        pos = file.tell()
        file.seek(0, io.SEEK_END)
        size = file.tell()
        file.seek(pos)
    return size


# -- images ----------------------------------------------------------------------------


def check_image(file) -> Image.Image:
    """Open ``file`` as an image or raise ValidationError with a Chinese message.

    Returns the loaded image (its pixels decoded), ready to re-encode.
    """
    size = _size(file)
    if size == 0:
        raise ValidationError(_("上传的文件是空的。"), code="empty")
    if size > MAX_IMAGE_BYTES:
        raise ValidationError(
            _("图片文件过大（%(size)s），请压缩到 %(limit)s 以内再上传。"),
            code="too_big",
            params={"size": filesizeformat(size), "limit": filesizeformat(MAX_IMAGE_BYTES)},
        )
    file.seek(0)
    with warnings.catch_warnings():
        # Our own pixel limit is below Pillow's warning threshold and is checked below;
        # past twice that threshold Pillow refuses to open the file at all.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            image = Image.open(file)
        except Image.DecompressionBombError:
            raise _bomb() from None
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
            raise ValidationError(
                _("上传的文件不是有效的图片，请上传 JPEG、PNG、GIF 或 WebP 格式的图片。"), code="not_image"
            ) from None
        if image.format not in IMAGE_FORMATS:
            raise ValidationError(
                _("不支持 %(format)s 格式的图片，请上传 JPEG、PNG、GIF 或 WebP 格式的图片。"),
                code="format",
                params={"format": image.format or _("未知")},
            )
        width, height = image.size
        pixels = width * height
        if pixels > MAX_IMAGE_PIXELS:
            if pixels * len(image.getbands()) > BOMB_RATIO * size:
                raise _bomb()
            raise ValidationError(
                _("图片像素过多（%(width)s×%(height)s），请缩小到 %(limit)s 万像素以内再上传。"),
                code="too_many_pixels",
                params={"width": width, "height": height, "limit": MAX_IMAGE_PIXELS // 10_000},
            )
        try:
            image.load()
        except Image.DecompressionBombError:
            raise _bomb() from None
        except (OSError, ValueError, SyntaxError, EOFError):
            raise ValidationError(_("图片文件已损坏或不完整，无法读取，请重新导出后上传。"), code="corrupt") from None
    return image


def _bomb():
    return ValidationError(
        _("这张图片的像素数与文件大小极不相称（疑似“解压炸弹”），已拒绝。请上传正常拍摄或导出的图片。"),
        code="decompression_bomb",
    )


def _flatten(image: Image.Image) -> Image.Image:
    """Upright (EXIF orientation applied), in RGB or RGBA; an animation keeps its first frame."""
    image = ImageOps.exif_transpose(image)
    has_alpha = image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info)
    return image.convert("RGBA" if has_alpha else "RGB")


def _encode(image: Image.Image, stem: str) -> ContentFile:
    out = io.BytesIO()
    if image.mode == "RGBA":
        image.save(out, "PNG", optimize=True)
        name = f"{stem}.png"
    else:
        image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
        name = f"{stem}.jpg"
    return ContentFile(out.getvalue(), name=name)


@dataclass
class ProcessedImage:
    original: ContentFile
    thumbnails: dict[str, ContentFile]
    width: int
    height: int


def process_image(file) -> ProcessedImage:
    """Check ``file``, re-encode it (no EXIF, at most MAX_STORED_SIDE a side) and make
    its thumbnails. File names are random: an uploaded name never reaches the disk."""
    image = _flatten(check_image(file))
    stem = uuid.uuid4().hex
    stored = image.copy()
    stored.thumbnail((MAX_STORED_SIDE, MAX_STORED_SIDE), Image.Resampling.LANCZOS)
    thumbnails = {}
    for name, box in THUMBNAIL_SIZES.items():
        thumb = ImageOps.fit(image, box, Image.Resampling.LANCZOS, centering=(0.5, 0.4))
        thumbnails[name] = _encode(thumb.convert("RGB"), f"{stem}-{name}")
    return ProcessedImage(_encode(stored, stem), thumbnails, *stored.size)


# -- attachments -----------------------------------------------------------------------

# extension: kind recognised from the content
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


def _sniff(head: bytes, file) -> str | None:
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if head.startswith(b"Rar!\x1a\x07"):
        return "rar"
    if head.startswith(b"7z\xbc\xaf\x27\x1c"):
        return "7z"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head.startswith(b"PK\x03\x04"):
        file.seek(0)
        try:
            with zipfile.ZipFile(file) as archive:
                names = set(archive.namelist())
                if "[Content_Types].xml" in names:
                    return "ooxml"
                if "mimetype" in names and archive.read("mimetype").startswith(b"application/vnd.oasis.opendocument"):
                    return "odf"
        except (zipfile.BadZipFile, OSError, KeyError):
            return None
        return "zip"
    return None


def _is_plain_text(file) -> bool:
    file.seek(0)
    sample = file.read(64 * 1024)
    if b"\x00" in sample:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            text = sample.decode(encoding)
        except UnicodeDecodeError:
            continue
        # Markup in a .txt would be served as text/plain, but refuse it all the same.
        return "<script" not in text.lower() and "<html" not in text.lower()
    return False


def check_attachment(file) -> str:
    """Check an attachment by size and content; returns its lower-cased extension."""
    name = PurePath(getattr(file, "name", "") or "")
    extension = name.suffix.lower()
    size = _size(file)
    if size == 0:
        raise ValidationError(_("上传的文件是空的。"), code="empty")
    if size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            _("附件过大（%(size)s），单个附件不能超过 %(limit)s。"),
            code="too_big",
            params={"size": filesizeformat(size), "limit": filesizeformat(MAX_ATTACHMENT_BYTES)},
        )
    expected = ATTACHMENT_KINDS.get(extension)
    if expected is None:
        raise ValidationError(
            _("不支持“%(ext)s”类型的附件。可以上传：%(allowed)s。"),
            code="extension",
            params={"ext": extension or _("无扩展名"), "allowed": ALLOWED_EXTENSIONS_TEXT},
        )
    file.seek(0)
    head = file.read(16)
    actual = "text" if expected == "text" and _is_plain_text(file) else _sniff(head, file)
    file.seek(0)
    if actual != expected:
        raise ValidationError(
            _("附件内容与扩展名“%(ext)s”不符（文件可能已损坏，或被改了扩展名），请检查后重新上传。"),
            code="content_mismatch",
            params={"ext": extension},
        )
    return extension
