"""Checking uploaded files before they are stored: images are decoded, re-encoded without metadata, and their
EXIF time and GPS position read first; documents must be what their name says. A content hash lets callers flag a
file that was uploaded before (a photo reused across villages or years).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import struct
import threading
import warnings
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any, ClassVar

from django.core.files.base import ContentFile
from django.db import models
from django.http import FileResponse, HttpRequest
from django.urls import reverse
from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError
from pillow_heif import register_heif_opener

from xingyao.core.errors import ActionError

MAX_IMAGE_BYTES = 15 * 1024 * 1024
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
# 24 million pixels (a 6000 × 4000 phone photo), read from the header before anything is decoded: an RGB image of
# that size is 72 MB in memory, and a 116 KB PNG declaring 40 million was 370 MB with its working copies.
MAX_PIXELS = 24_000_000
MAX_EDGE = 2560  # photos are scaled down to this longest edge: plenty for evidence, kind to phones and disks
THUMB_EDGE = 320  # the thumbnails lists and reviewers see: a few KB instead of a photo's few hundred
# iPhones take HEIC/HEIF photos: opened like any other format (and stored as JPEG, EXIF time and position read first).
register_heif_opener()
IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "jpg", "HEIF": "jpg", "MPO": "jpg", "GIF": "png", "BMP": "png"}
# Pillow refuses (DecompressionBombError) beyond twice this at open and warns beyond it; the warning is made an
# error below, so nothing over MAX_PIXELS is decoded even by a caller that forgets the header check.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
# One image decoded at a time in each worker process: three large photos sent at once wait for each other instead
# of holding three decoded copies (each request's peak is one image, and a worker's is one image too).
_DECODING = threading.Lock()
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
    """Decode an image, keep its EXIF time and position, and re-encode it without any metadata.

    The size in pixels is read from the header and refused before decoding; a large JPEG is decoded at a reduced
    scale (`draft`); one image is decoded at a time per process. The stored copy carries no EXIF, GPS, XMP, ICC
    profile or comment (JPEG COM segments): only the pixels, and the time and position read for the checks.
    """
    data = _read(upload, MAX_IMAGE_BYTES, "图片")
    too_big = f"「{filename}」像素过大（超过 {MAX_PIXELS // 1_000_000} 百万像素），请缩小后再上传"
    try:
        with _DECODING, warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))  # the header only
            if probe.width * probe.height > MAX_PIXELS:
                raise ActionError(too_big)
            probe.verify()  # structural check; the image must be reopened afterwards
            opened = Image.open(io.BytesIO(data))
            if opened.format not in IMAGE_FORMATS:
                raise ActionError(f"「{filename}」不是支持的图片格式（支持 JPEG、PNG、WebP、HEIC）")
            if opened.width * opened.height > MAX_PIXELS:
                raise ActionError(too_big)
            ext = IMAGE_FORMATS[opened.format]
            taken_at, lat, lon = _exif_facts(opened)
            if opened.format in ("JPEG", "MPO"):
                # Decode at 1/2, 1/4 or 1/8 when that still covers the stored size (the thumbnail's box).
                shrink = MAX_EDGE / max(opened.size)
                if shrink < 1:
                    opened.draft("RGB", (max(1, int(opened.width * shrink)), max(1, int(opened.height * shrink))))
            ImageOps.exif_transpose(opened, in_place=True)  # no working copy of the decoded pixels
            opened.thumbnail((MAX_EDGE, MAX_EDGE))
            image = opened if ext == "png" or opened.mode == "RGB" else opened.convert("RGB")
            # No comment, XMP, ICC profile, EXIF or text chunk is carried into the new file (a palette's
            # transparency is part of the picture, not metadata).
            image.info = {k: v for k, v in image.info.items() if k == "transparency"}
            out = io.BytesIO()
            if ext == "png":
                image.save(out, format="PNG", optimize=True)
            else:
                image.save(out, format="JPEG", quality=85, optimize=True)
    except ActionError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ActionError(too_big) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError, struct.error):
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


# Office Open XML packages are zip files: opened, and their declared sizes bounded before anything is extracted.
MAX_PACKAGE_MEMBERS = 2000
MAX_PACKAGE_UNPACKED = 200 * 1024 * 1024  # every member's declared size, summed
MAX_PACKAGE_RATIO = 200  # a member larger than 1 MB may expand at most this much (office XML: 5–30 ×)
PACKAGE_MAIN = {  # the part that makes the package what its name says, and its declared content type
    ".xlsx": ("xl/workbook.xml", "spreadsheetml.sheet.main+xml", "Excel 工作簿"),
    ".docx": ("word/document.xml", "wordprocessingml.document.main+xml", "Word 文档"),
}
MACRO_EXTENSIONS = (".xlsm", ".xltm", ".xlsb", ".xlam", ".docm", ".dotm", ".pptm", ".potm", ".ppsm")
# The VBA project's storage name in a legacy .doc/.xls compound file (UTF-16LE, as its directory stores it).
OLE_VBA = "_VBA_PROJECT".encode("utf-16-le")


def _check_package(data: bytes, ext: str, filename: str) -> None:
    main, content_type, kind = PACKAGE_MAIN[ext]
    not_it = f"「{filename}」不是有效的{kind}，请用 Office 或 WPS 另存为 {ext} 后再上传"
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            members = package.infolist()
            if len(members) > MAX_PACKAGE_MEMBERS:
                raise ActionError(f"「{filename}」包含的部件过多（超过 {MAX_PACKAGE_MEMBERS} 个），不能接收")
            unpacked = sum(m.file_size for m in members)
            swollen = any(
                m.file_size > 1024 * 1024 and m.file_size > MAX_PACKAGE_RATIO * m.compress_size for m in members
            )
            if unpacked > MAX_PACKAGE_UNPACKED or swollen:
                raise ActionError(f"「{filename}」解压后过大（疑似压缩炸弹），不能接收")
            names = {m.filename.lower(): m for m in members}
            if any(name.rsplit("/", 1)[-1] == "vbaproject.bin" for name in names):
                raise ActionError(f"「{filename}」含有宏（VBA），不能接收；请另存为不含宏的 {ext} 后再上传")
            types = names.get("[content_types].xml")
            if main not in names or types is None or types.file_size > 1024 * 1024:
                raise ActionError(not_it)
            declared = package.read(types).decode("utf-8", "replace")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError, ValueError):
        raise ActionError(not_it) from None
    if "macroenabled" in declared.lower() or "vbaproject" in declared.lower():
        raise ActionError(f"「{filename}」含有宏（VBA），不能接收；请另存为不含宏的 {ext} 后再上传")
    if content_type not in declared:
        raise ActionError(not_it)


def _check_pdf(data: bytes, filename: str) -> None:
    # A PDF starts with its header and ends with its trailer: the cross-reference pointer and %%EOF in the last
    # bytes (a truncated or padded-out file, or something else renamed .pdf, has neither).
    tail = data[-2048:]
    if b"%%EOF" not in tail or (b"startxref" not in tail and b"trailer" not in tail):
        raise ActionError(f"「{filename}」不是完整的 PDF 文件（可能已损坏或未传完），请重新导出后再上传")


def check_document(upload: IO[bytes], filename: str) -> CheckedFile:
    """Accept PDF and Office documents that are what their name says: a .xlsx must open as a workbook, a .docx as
    a document (zip bombs refused from the declared sizes), a .pdf must have a PDF's header and trailer; files
    with macros are refused."""
    ext = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if ext in MACRO_EXTENSIONS:
        raise ActionError(f"「{filename}」是含宏的 Office 文件，不能接收；请另存为 .xlsx 或 .docx 后再上传")
    if ext not in DOCUMENT_SIGNATURES:
        raise ActionError(f"「{filename}」的类型不受支持（支持 PDF、Word、Excel 和图片）")
    data = _read(upload, MAX_DOCUMENT_BYTES, "文件")
    if not any(data.startswith(sig) for sig in DOCUMENT_SIGNATURES[ext]):
        raise ActionError(f"「{filename}」的内容与扩展名 {ext} 不符")
    if ext in PACKAGE_MAIN:
        _check_package(data, ext, filename)
    elif ext == ".pdf":
        _check_pdf(data, filename)
    elif OLE_VBA in data:
        raise ActionError(f"「{filename}」含有宏（VBA），不能接收；请另存为不含宏的文件后再上传")
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
    if filename.lower().endswith((*DOCUMENT_SIGNATURES, *MACRO_EXTENSIONS)):
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


def thumbnail_name(stored: StoredFile) -> str:
    return f"thumbs/{stored.file.name.rsplit('.', 1)[0]}.jpg"


def _thumbnail(stored: StoredFile) -> Any:
    """The photo's thumbnail, made the first time it is asked for and kept beside it in the same storage (the
    stored photo is already checked, re-encoded and at most MAX_EDGE wide: decoding it is bounded)."""
    storage, name = stored.file.storage, thumbnail_name(stored)
    if not storage.exists(name):
        with _DECODING, stored.file.open("rb") as source, Image.open(source) as image:
            image.thumbnail((THUMB_EDGE, THUMB_EDGE))
            small = image if image.mode == "RGB" else image.convert("RGB")
            out = io.BytesIO()
            small.save(out, format="JPEG", quality=80, optimize=True)
        name = storage.save(name, ContentFile(out.getvalue()))  # a simultaneous first view may store a twin
    return storage.open(name, "rb")


def serve_file(stored: StoredFile, *, download: bool = False, thumb: bool = False) -> FileResponse:
    """Stream a stored file that the caller has already fetched through `access()`; `thumb` sends a photo's
    thumbnail instead (a document is sent as it is)."""
    small = thumb and stored.is_image and not download
    response = FileResponse(
        _thumbnail(stored) if small else stored.file.open("rb"),
        content_type="image/jpeg" if small else stored.content_type,
        as_attachment=download or not stored.is_image,
        filename=stored.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    return response


def serve_photo(request: HttpRequest, stored: StoredFile) -> FileResponse:
    """A file route's answer: the file, or its thumbnail for `?size=thumb` (lists and reviewers' pages)."""
    return serve_file(stored, thumb=request.GET.get("size") == "thumb")
