import io
import json
import os
import re
import subprocess
import sys
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import pytest
from PIL import Image

from xingyao.core import uploads
from xingyao.core.errors import ActionError
from xingyao.core.uploads import check_document, check_image, check_upload


def tiny_pdf() -> bytes:
    """A complete one-page PDF: header, objects, cross-reference table, trailer, startxref, %%EOF."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"]
    objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def workbook() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["村", "得分"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def word_document() -> bytes:
    from docx import Document

    document = Document()
    document.add_paragraph("调解协议书")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def repacked(data: bytes, add: dict[str, bytes] | None = None, replace: dict[str, bytes] | None = None) -> bytes:
    """The same zip package with members added or replaced."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item.filename, (replace or {}).get(item.filename, source.read(item)))
        for name, body in (add or {}).items():
            target.writestr(name, body)
    return out.getvalue()


def jpeg_with_exif(gps: bool = True) -> bytes:
    image = Image.new("RGB", (64, 48), "red")
    exif = Image.Exif()
    exif[0x0132] = "2023:09:19 10:30:00"  # DateTime
    if gps:
        exif[0x8825] = {1: "N", 2: (32.0, 30.0, 0.0), 3: "E", 4: (112.0, 21.0, 36.0)}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_photo_time_and_position_are_read_then_stripped():
    checked = check_image(io.BytesIO(jpeg_with_exif()), "现场.jpg")
    assert checked.taken_at.isoformat() == "2023-09-19T10:30:00"
    assert (str(checked.latitude), str(checked.longitude)) == ("32.500000", "112.360000")
    stored = Image.open(io.BytesIO(checked.content.read()))
    assert not stored.getexif()  # nothing of the original metadata survives re-encoding
    assert checked.content_type == "image/jpeg"


def test_the_same_photo_twice_has_the_same_hash():
    data = jpeg_with_exif()
    assert check_image(io.BytesIO(data)).sha256 == check_image(io.BytesIO(data)).sha256


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b"<script>alert(1)</script>", "不是有效的图片"),
        (b"GIF89a" + b"\x00" * 10, "不是有效的图片"),
        (b"", "空文件"),
    ],
)
def test_things_that_are_not_images_are_refused(payload, message):
    with pytest.raises(ActionError, match=message):
        check_image(io.BytesIO(payload), "photo.jpg")


def test_an_oversized_upload_is_refused_before_decoding(monkeypatch):
    monkeypatch.setattr("xingyao.core.uploads.MAX_IMAGE_BYTES", 100)
    with pytest.raises(ActionError, match="超过"):
        check_image(io.BytesIO(jpeg_with_exif()), "big.jpg")


def test_a_document_must_match_its_extension():
    assert check_document(io.BytesIO(tiny_pdf()), "会议记录.pdf").content_type == "application/pdf"
    with pytest.raises(ActionError, match="不符"):
        check_document(io.BytesIO(b"MZ\x90\x00 an exe"), "会议记录.pdf")
    with pytest.raises(ActionError, match="不受支持"):
        check_document(io.BytesIO(b"#!/bin/sh"), "run.sh")


def test_check_upload_routes_by_name():
    upload = io.BytesIO(tiny_pdf())
    upload.name = "a.pdf"
    assert not check_upload(upload).is_image
    photo = io.BytesIO(jpeg_with_exif(gps=False))
    photo.name = "a.jpg"
    checked = check_upload(photo)
    assert checked.is_image and checked.latitude is None


def test_a_png_stays_a_png():
    out = io.BytesIO()
    Image.new("RGBA", (10, 10), (0, 0, 0, 0)).save(out, format="PNG")
    checked = check_image(io.BytesIO(out.getvalue()), "图.png")
    assert checked.content_type == "image/png" and checked.content.name.endswith(".png")


def test_every_stored_file_kind_links_to_the_route_that_serves_it():
    """A concrete StoredFile names its serving route; its URL resolves to that route with its own pk."""
    from django.apps import apps
    from django.urls import resolve

    from xingyao.core.uploads import StoredFile

    kinds = [m for m in apps.get_models() if issubclass(m, StoredFile)]
    assert len(kinds) >= 4  # evidence, star-change evidence, event photos, agreement documents
    for kind in kinds:
        match = resolve(kind(pk=7, original_name="协议.pdf").get_absolute_url())
        assert match.view_name == kind.file_route and match.kwargs == {"pk": 7}, kind
        assert str(kind(original_name="协议.pdf")) == "协议.pdf"


# --- images: pixels bounded before decoding, metadata gone --------------------------------------------------------


def png_declaring(width: int, height: int) -> bytes:
    """A valid RGB PNG of zeros, made row by row: a few hundred KB that decode to width × height × 3 bytes."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return len(body).to_bytes(4, "big") + kind + body + zlib.crc32(kind + body).to_bytes(4, "big")

    packer = zlib.compressobj(9)
    row = bytes(1 + 3 * width)  # filter byte + pixels
    idat = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([8, 2, 0, 0, 0])
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


MEASURE = """
import io, json, os, resource, sys
import django
django.setup()
from xingyao.core.errors import ActionError
from xingyao.core.uploads import check_image
data = open(sys.argv[1], "rb").read()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    checked = check_image(io.BytesIO(data), "大图.png")
    result = "accepted %dx%d" % (checked.width, checked.height)
except ActionError as exc:
    result = exc.message
grew = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
print(json.dumps({"result": result, "grew_mb": grew / 1024}))
"""


def measured(tmp_path: Path, data: bytes) -> dict:  # type: ignore[type-arg]
    """check_image in a fresh process: its answer and how much its peak memory grew (ru_maxrss)."""
    path = tmp_path / "upload.bin"
    path.write_bytes(data)
    root = Path(__file__).resolve().parents[3]
    env = {**os.environ, "PYTHONPATH": str(root), "DJANGO_SETTINGS_MODULE": "xingyao.settings"}
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, str(path)], capture_output=True, text=True, env=env, cwd=root, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_small_png_declaring_hundreds_of_megabytes_is_refused_with_bounded_memory(tmp_path):
    # 6,300 × 6,300 RGB: under the old 40 MP cap, 119 MB decoded and ~370 MB with its working copies.
    data = png_declaring(6300, 6300)
    assert len(data) < 1024 * 1024
    outcome = measured(tmp_path, data)
    assert "像素过大" in outcome["result"]
    assert outcome["grew_mb"] < 30, outcome


def test_a_png_declaring_a_billion_pixels_is_refused_from_its_header():
    with pytest.raises(ActionError, match="像素过大"):
        check_image(io.BytesIO(png_declaring(40_000, 25_000)[:4096]), "炸弹.png")  # the header is enough


def test_a_large_jpeg_is_decoded_at_reduced_scale(tmp_path):
    out = io.BytesIO()
    Image.new("RGB", (6000, 4000), "green").save(out, format="JPEG", quality=70)
    outcome = measured(tmp_path, out.getvalue())
    assert outcome["result"] == "accepted 2560x1707"
    # Decoded in full it is 72 MB, with its copies well over 100 MB; drafted at 1/2 it is 18 MB.
    assert outcome["grew_mb"] < 60, outcome


def test_comments_xmp_and_icc_profiles_do_not_survive_but_the_exif_facts_are_kept():
    exif = Image.Exif()
    exif[0x0132] = "2023:09:19 10:30:00"
    exif[0x8825] = {1: "N", 2: (32.0, 30.0, 0.0), 3: "E", 4: (112.0, 21.0, 36.0)}
    out = io.BytesIO()
    Image.new("RGB", (64, 48), "red").save(
        out,
        format="JPEG",
        exif=exif,
        comment=b"owner: Zhang San 13712345678",
        xmp=b"<x:xmpmeta>Zhang San</x:xmpmeta>",
        icc_profile=b"fake-icc-profile-Zhang-San",
    )
    original = Image.open(io.BytesIO(out.getvalue()))
    assert {"comment", "xmp", "icc_profile"} <= set(original.info)  # the test file carries all three

    checked = check_image(io.BytesIO(out.getvalue()), "现场.jpg")
    stored = checked.content.read()
    assert b"Zhang San" not in stored
    assert not {"comment", "xmp", "icc_profile", "exif"} & set(Image.open(io.BytesIO(stored)).info)
    assert checked.taken_at is not None and str(checked.latitude) == "32.500000"


def test_png_text_chunks_do_not_survive():
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Author", "Zhang San")
    out = io.BytesIO()
    Image.new("RGB", (20, 20), "blue").save(out, format="PNG", pnginfo=info)
    stored = check_image(io.BytesIO(out.getvalue()), "图.png").content.read()
    assert b"Zhang San" not in stored


# --- documents: opened, not sniffed ---------------------------------------------------------------------------


def test_real_workbooks_documents_and_pdfs_are_accepted():
    assert check_document(io.BytesIO(workbook()), "台账.xlsx").content_type.endswith("spreadsheetml.sheet")
    assert check_document(io.BytesIO(word_document()), "协议.docx").content_type.endswith("document")
    assert check_document(io.BytesIO(tiny_pdf()), "协议.pdf").content_type == "application/pdf"


@pytest.mark.parametrize(
    ("name", "payload"),
    [
        ("台账.xlsx", b"PK\x03\x04" + os.urandom(4000)),  # random bytes behind a zip signature
        ("台账.xlsx", None),  # a Word document renamed .xlsx
        ("协议.docx", b"PK\x03\x04"),
        ("协议.pdf", b"%PDF-1.7\n" + os.urandom(4000)),  # a header and no trailer
        ("协议.pdf", tiny_pdf()[:-60]),  # cut short
    ],
    ids=["random-xlsx", "docx-as-xlsx", "truncated-zip", "pdf-without-trailer", "truncated-pdf"],
)
def test_files_that_are_not_what_their_name_says_are_refused_by_name(name, payload):
    data = word_document() if payload is None else payload
    with pytest.raises(ActionError, match=re.escape(f"「{name}」")):
        check_document(io.BytesIO(data), name)


def test_a_zip_bomb_named_xlsx_is_refused_before_anything_is_extracted():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        bomb.writestr("[Content_Types].xml", zipfile.ZipFile(io.BytesIO(workbook())).read("[Content_Types].xml"))
        bomb.writestr("xl/workbook.xml", b"<workbook/>")
        with bomb.open("xl/worksheets/sheet1.xml", "w") as member:
            for _ in range(64):
                member.write(bytes(1024 * 1024))  # 64 MB of zeros: ~64 KB compressed
    data = out.getvalue()
    assert len(data) < 200 * 1024
    tracemalloc.start()
    try:
        with pytest.raises(ActionError, match=re.escape("「报表.xlsx」解压后过大")):
            check_document(io.BytesIO(data), "报表.xlsx")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 5 * 1024 * 1024  # the declared sizes were read, nothing was inflated


def test_a_package_whose_members_add_up_past_the_cap_is_refused(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_PACKAGE_UNPACKED", 2000)
    with pytest.raises(ActionError, match="解压后过大"):
        check_document(io.BytesIO(workbook()), "台账.xlsx")


def test_macro_formats_are_refused():
    with pytest.raises(ActionError, match=re.escape("「台账.xlsm」是含宏")):
        check_upload(_named(workbook(), "台账.xlsm"))
    with pytest.raises(ActionError, match="含宏"):
        check_upload(_named(word_document(), "协议.docm"))
    with pytest.raises(ActionError, match=re.escape("「台账.xlsx」含有宏")):
        check_document(io.BytesIO(repacked(workbook(), add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0"})), "台账.xlsx")
    book = workbook()
    types = zipfile.ZipFile(io.BytesIO(book)).read("[Content_Types].xml")
    macro_types = types.replace(b"spreadsheetml.sheet.main+xml", b"ms-excel.sheet.macroEnabled.main+xml")
    with pytest.raises(ActionError, match="含有宏"):
        check_document(io.BytesIO(repacked(book, replace={"[Content_Types].xml": macro_types})), "台账.xlsx")
    legacy = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500) + "_VBA_PROJECT_CUR".encode("utf-16-le") + bytes(500)
    with pytest.raises(ActionError, match=re.escape("「旧表.xls」含有宏")):
        check_document(io.BytesIO(legacy), "旧表.xls")


def _named(data: bytes, name: str) -> io.BytesIO:
    upload = io.BytesIO(data)
    upload.name = name  # type: ignore[attr-defined]
    return upload
