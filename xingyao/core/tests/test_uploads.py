import io

import pytest
from PIL import Image

from xingyao.core.errors import ActionError
from xingyao.core.uploads import check_document, check_image, check_upload


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
    assert check_document(io.BytesIO(b"%PDF-1.7 ..."), "会议记录.pdf").content_type == "application/pdf"
    with pytest.raises(ActionError, match="不符"):
        check_document(io.BytesIO(b"MZ\x90\x00 an exe"), "会议记录.pdf")
    with pytest.raises(ActionError, match="不受支持"):
        check_document(io.BytesIO(b"#!/bin/sh"), "run.sh")


def test_check_upload_routes_by_name():
    upload = io.BytesIO(b"%PDF-1.4")
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
