"""Party-life records for tests, written straight to the database (the actions are tested on their own)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from xingyao.partylife.models import Candidate, Meeting
from xingyao.partylife.workflow import Kind, Stage


def meeting(
    world: Any,
    village: str = "毛桥村",
    *,
    kind: str = Kind.COMMITTEE,
    held_on: dt.date | None = None,
    topic: str = "学习党的二十大精神",
    expected: int = 20,
    present: int = 18,
) -> Meeting:
    return Meeting.objects.create(
        village=world.unit(village),
        kind=kind,
        held_on=held_on or dt.date(2023, 3, 5),
        topic=topic,
        led_by="毛德胜",
        expected=expected,
        present=present,
    )


def candidate(world: Any, village: str = "毛桥村", *, name: str = "王小红", stage: str = Stage.APPLICANT, **dates: Any):
    return Candidate.objects.create(
        village=world.unit(village), name=name, stage=stage, applied_on=dates.pop("applied_on", dt.date(2023, 1, 10)),
        **dates,
    )  # fmt: skip


def jpeg(taken: str | None = "2023:03:05 10:00:00") -> bytes:
    """A small photo, with an EXIF DateTimeOriginal when `taken` is given."""
    image = Image.new("RGB", (80, 60), "red")
    out = io.BytesIO()
    exif = Image.Exif()
    if taken:
        exif[0x0132] = taken
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def photo(name: str = "签到表.jpg", taken: str | None = "2023:03:05 10:00:00") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg(taken), content_type="image/jpeg")


def kept_year(world: Any, village: str = "毛桥村", year: int = 2023) -> None:
    """A branch that kept its Party life for the year: a 支委会 and a 主题党日 with a photo every month, and one
    activist determined — what the example criteria's branch.2.1, 2.2 and 3.1 ask."""
    from django.core.files.base import ContentFile

    from xingyao.partylife.models import MeetingPhoto

    for month in range(1, 13):
        meeting(world, village, kind=Kind.COMMITTEE, held_on=dt.date(year, month, 5), topic=f"{month}月支委会")
        day = dt.date(year, month, 10)
        theme = meeting(world, village, kind=Kind.THEME_DAY, held_on=day, topic=f"{month}月主题党日")
        MeetingPhoto.objects.create(
            meeting=theme,
            file=ContentFile(b"photo", name=f"theme-{theme.pk}.jpg"),
            original_name="签到表.jpg",
            content_type="image/jpeg",
            size=5,
            sha256=f"{theme.pk:064d}",
            is_image=True,
        )
    candidate(world, village, name=f"{village}积极分子", stage=Stage.ACTIVIST, activist_on=dt.date(year, 3, 1))
