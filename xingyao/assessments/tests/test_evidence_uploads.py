"""Evidence on an indicator's row: several files at once, the row answered back to the page's uploader, thumbnails
served in scope, iPhones' HEIC photos kept with their EXIF time."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import ExifTags, Image

from xingyao.assessments.models import Evidence
from xingyao.assessments.tests import fixtures as f
from xingyao.core.uploads import thumbnail_name

pytestmark = pytest.mark.django_db


def heic(taken: str = "2023:05:01 09:30:00", size: tuple[int, int] = (1200, 900)) -> SimpleUploadedFile:
    """An iPhone-style HEIC photo with its EXIF time, made here with pillow-heif."""
    exif = Image.Exif()
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = taken
    out = io.BytesIO()
    Image.new("RGB", size, "green").save(out, format="HEIF", exif=exif.tobytes())
    return SimpleUploadedFile("IMG_0001.HEIC", out.getvalue(), content_type="image/heic")


def test_three_photos_posted_at_once_land_on_the_row_they_were_chosen_on(world, login):
    a = f.assessment(world)
    road = f.indicator(a, "ecology.2.2")
    photos = [f.photo(f"清运{n}.jpg", color) for n, color in enumerate(("red", "blue", "green"), 1)]
    response = login("maoqiao").post(f"/assessments/{a.pk}/evidence/", {"indicator": road.pk, "file": photos})
    assert response.status_code == 302 and response.url.endswith(f"#ind-{road.pk}")
    stored = Evidence.objects.filter(assessment=a)
    assert sorted(stored.values_list("original_name", flat=True)) == ["清运1.jpg", "清运2.jpg", "清运3.jpg"]
    assert set(stored.values_list("indicator", flat=True)) == {road.pk}


def test_the_uploader_gets_the_indicators_row_back_with_its_thumbnails(world, login):
    a = f.assessment(world)
    road = f.indicator(a, "ecology.2.2")
    client = login("maoqiao")
    for color in ("red", "blue"):
        response = client.post(
            f"/assessments/{a.pk}/evidence/",
            {"indicator": road.pk, "file": f.photo(color=color)},
            HTTP_HX_REQUEST="true",
        )
        assert response.status_code == 200
    row = response.content.decode()
    assert row.lstrip().startswith(f'<tr class="" id="ind-{road.pk}">')
    assert row.count("?size=thumb") == 2 and f"2/{road.evidence_count}" in row
    assert "<html" not in row


def test_a_refused_file_answers_the_uploader_with_the_reason_and_stores_nothing(world, login):
    a = f.assessment(world)
    road = f.indicator(a, "ecology.2.2")
    fake = SimpleUploadedFile("清运.jpg", b"not a photo", content_type="image/jpeg")
    response = login("maoqiao").post(
        f"/assessments/{a.pk}/evidence/", {"indicator": road.pk, "file": fake}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 400
    assert response.content.decode() == "「清运.jpg」不是有效的图片文件"
    assert not Evidence.objects.exists()


def test_an_indicator_of_another_criteria_set_is_refused(world, login):
    a = f.assessment(world)
    other = f.assessment(world, "庄营村", 2022)
    foreign = f.indicator(other, "ecology.2.2")
    response = login("maoqiao").post(
        f"/assessments/{a.pk}/evidence/", {"indicator": foreign.pk, "file": f.photo()}, HTTP_HX_REQUEST="true"
    )
    assert foreign.criteria_set_id != a.criteria_set_id
    assert response.status_code == 400 and "该指标不属于本次评定的标准" in response.content.decode()
    assert not Evidence.objects.exists()


def test_more_files_than_one_upload_takes_are_refused(world, login):
    a = f.assessment(world)
    road = f.indicator(a, "ecology.2.2")
    photos = [f.photo(f"{n}.jpg") for n in range(13)]
    response = login("maoqiao").post(
        f"/assessments/{a.pk}/evidence/", {"indicator": road.pk, "file": photos}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 400 and "一次最多上传 12 个文件" in response.content.decode()
    assert not Evidence.objects.exists()


def test_a_heic_photo_is_stored_as_jpeg_with_its_exif_time(world, login):
    a = f.assessment(world)
    road = f.indicator(a, "ecology.2.2")
    login("maoqiao").post(f"/assessments/{a.pk}/evidence/", {"indicator": road.pk, "file": heic()})
    evidence = Evidence.objects.get()
    assert evidence.content_type == "image/jpeg" and evidence.file.name.endswith(".jpg")
    assert evidence.taken_at is not None
    assert timezone.localtime(evidence.taken_at).strftime("%Y-%m-%d %H:%M") == "2023-05-01 09:30"
    with evidence.file.open("rb") as stored, Image.open(stored) as image:
        assert image.format == "JPEG" and not image.getexif()


def test_a_thumbnail_is_made_once_and_served_only_in_scope(world, login):
    a = f.assessment(world)
    road = f.indicator(a, "ecology.2.2")
    out = io.BytesIO()
    Image.new("RGB", (1600, 1200), "red").save(out, format="JPEG")
    big = SimpleUploadedFile("大图.jpg", out.getvalue(), content_type="image/jpeg")
    client = login("maoqiao")
    client.post(f"/assessments/{a.pk}/evidence/", {"indicator": road.pk, "file": big})
    evidence = Evidence.objects.get()
    response = client.get(f"/assessments/evidence/{evidence.pk}/?size=thumb")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    thumb = b"".join(response.streaming_content)
    with Image.open(io.BytesIO(thumb)) as image:
        assert max(image.size) <= 320
    assert evidence.file.storage.exists(thumbnail_name(evidence))
    again = b"".join(client.get(f"/assessments/evidence/{evidence.pk}/?size=thumb").streaming_content)
    assert again == thumb
    assert login("zhuangying").get(f"/assessments/evidence/{evidence.pk}/?size=thumb").status_code == 404
