"""Checking uploaded files before they are stored: images are decoded, re-encoded without metadata, and their
EXIF time and GPS position read first; documents must be what their name says. A content hash lets callers flag a
file that was uploaded before (a photo reused across villages or years).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any, ClassVar

from django.core.files.base import ContentFile
from django.db import models
from django.http import FileResponse
from django.urls import reverse
from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

from xingyao.core.errors import ActionError

MAX_IMAGE_BYTES = 15 * 1024 * 1024
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_EDGE = 2560  # photos are scaled down to this longest edge: plenty for evidence, kind to phones and disks
IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "jpg", "HEIF": "jpg", "MPO": "jpg", "GIF": "png", "BMP": "png"}
DOCUMENT_SIGNATURES = {
    ".pdf": [b"%PDF-"],
    ".docx": [b"PK\x03\x04"],
    ".xlsx": [b"PK\x03\x04"],
    ".doc": [b"\xd0\xcf\x11\xe0"],
    ".xls": [b"\xd0\xcf\x11\xe0"],
}
DOCUMENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".doc": "application/msword",
    ".xls": "application/vnd.ms-excel",
}


@dataclass(frozen=True)
class CheckedFile:
    """A file that passed the checks, ready to store."""

    content: ContentFile
    name: str
    content_type: str
    size: int
    sha256: str
    is_image: bool
    width: int | None = None
    height: int | None = None
    taken_at: dt.datetime | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None


def _read(upload: IO[bytes], limit: int, label: str) -> bytes:
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ActionError(f"{label}超过 {limit // (1024 * 1024)} MB，请压缩后再上传")
    if not data:
        raise ActionError(f"{label}是空文件")
    return data


def _gps_degrees(values: Any, ref: str | None) -> Decimal | None:
    try:
        d, m, s = (float(v) for v in values)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    degrees = d + m / 60 + s / 3600
    if ref in ("S", "W"):
        degrees = -degrees
    return Decimal(f"{degrees:.6f}")


def _exif_facts(image: Image.Image) -> tuple[dt.datetime | None, Decimal | None, Decimal | None]:
    exif = image.getexif()
    taken_at = None
    raw_time = exif.get_ifd(ExifTags.IFD.Exif).get(ExifTags.Base.DateTimeOriginal) or exif.get(ExifTags.Base.DateTime)
    if isinstance(raw_time, str):
        try:
            taken_at = dt.datetime.strptime(raw_time.strip(), "%Y:%m:%d %H:%M:%S")
        except ValueError:
            taken_at = None
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    lat = _gps_degrees(gps.get(ExifTags.GPS.GPSLatitude), gps.get(ExifTags.GPS.GPSLatitudeRef)) if gps else None
    lon = _gps_degrees(gps.get(ExifTags.GPS.GPSLongitude), gps.get(ExifTags.GPS.GPSLongitudeRef)) if gps else None
    return taken_at, lat, lon


def check_image(upload: IO[bytes], filename: str = "photo") -> CheckedFile:
    """Decode an image, keep its EXIF time and position, and re-encode it without any metadata."""
    data = _read(upload, MAX_IMAGE_BYTES, "图片")
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        probe = Image.open(io.BytesIO(data))
        probe.verify()  # structural check; the image must be reopened afterwards
        opened = Image.open(io.BytesIO(data))
        if opened.format not in IMAGE_FORMATS:
            raise ActionError(f"「{filename}」不是支持的图片格式（支持 JPEG、PNG、WebP）")
        if opened.width * opened.height > MAX_PIXELS:
            raise ActionError(f"「{filename}」像素过大")
        ext = IMAGE_FORMATS[opened.format]
        taken_at, lat, lon = _exif_facts(opened)
        image = ImageOps.exif_transpose(opened)
        image.thumbnail((MAX_EDGE, MAX_EDGE))
        out = io.BytesIO()
        if ext == "png":
            image.save(out, format="PNG", optimize=True)
        else:
            image.convert("RGB").save(out, format="JPEG", quality=85, optimize=True)
    except ActionError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ActionError(f"「{filename}」不是有效的图片文件") from None
    encoded = out.getvalue()
    stem = hashlib.sha256(data).hexdigest()
    return CheckedFile(
        content=ContentFile(encoded, name=f"{stem[:16]}.{ext}"),
        name=filename[:200],
        content_type="image/png" if ext == "png" else "image/jpeg",
        size=len(encoded),
        sha256=stem,
        is_image=True,
        width=image.width,
        height=image.height,
        taken_at=taken_at,
        latitude=lat,
        longitude=lon,
    )


def check_document(upload: IO[bytes], filename: str) -> CheckedFile:
    """Accept PDF and Office documents whose content matches their extension."""
    ext = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if ext not in DOCUMENT_SIGNATURES:
        raise ActionError(f"「{filename}」的类型不受支持（支持 PDF、Word、Excel 和图片）")
    data = _read(upload, MAX_DOCUMENT_BYTES, "文件")
    if not any(data.startswith(sig) for sig in DOCUMENT_SIGNATURES[ext]):
        raise ActionError(f"「{filename}」的内容与扩展名 {ext} 不符")
    digest = hashlib.sha256(data).hexdigest()
    return CheckedFile(
        content=ContentFile(data, name=f"{digest[:16]}{ext}"),
        name=filename[:200],
        content_type=DOCUMENT_TYPES[ext],
        size=len(data),
        sha256=digest,
        is_image=False,
    )


def check_upload(upload: Any) -> CheckedFile:
    """An image or a document, by what the upload's name says; the content must agree."""
    filename = getattr(upload, "name", "") or "file"
    if filename.lower().endswith((".pdf", ".docx", ".xlsx", ".doc", ".xls")):
        return check_document(upload, filename)
    return check_image(upload, filename)


class StoredFile(models.Model):
    """Fields every stored upload carries; concrete models add their owner, `scope_fields` and `file_route`."""

    # The route that serves one file by its pk (through access(), then `serve_file`), e.g. "grid:photo".
    file_route: ClassVar[str]

    file = models.FileField("文件", upload_to="uploads/%Y/%m/")
    original_name = models.CharField("原文件名", max_length=200)
    content_type = models.CharField("类型", max_length=100)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField("内容摘要", max_length=64, db_index=True)
    is_image = models.BooleanField("是否图片", default=False)
    taken_at = models.DateTimeField("拍摄时间", null=True, blank=True)
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["uploaded_at", "id"]  # as they came; a concrete Meta(StoredFile.Meta) keeps it

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse(self.file_route, args=[self.pk])

    def fill_from(self, checked: CheckedFile) -> None:
        """Copy a checked upload's facts onto this row (call before save)."""
        from django.utils import timezone

        self.file = checked.content  # type: ignore[assignment]
        self.original_name = checked.name
        self.content_type = checked.content_type
        self.size = checked.size
        self.sha256 = checked.sha256
        self.is_image = checked.is_image
        self.taken_at = timezone.make_aware(checked.taken_at) if checked.taken_at else None
        self.latitude, self.longitude = checked.latitude, checked.longitude


def serve_file(stored: StoredFile, *, download: bool = False) -> FileResponse:
    """Stream a stored file that the caller has already fetched through `access()`."""
    response = FileResponse(
        stored.file.open("rb"),
        content_type=stored.content_type,
        as_attachment=download or not stored.is_image,
        filename=stored.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    return response
