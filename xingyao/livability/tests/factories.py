"""人居环境 and 文明幸福 records for tests, written straight to the database (the actions are tested on their own)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from xingyao.livability.models import Activity, Centre, Honour, Photo, ServiceRequest, ToiletCoverage, Work
from xingyao.livability.vocabulary import DEFAULT_ROOMS, UNIT_OF, Outcome, WorkKind


def work(
    world: Any,
    village: str = "毛桥村",
    *,
    kind: str = WorkKind.ROAD_REPAIR,
    quantity: Any = 300,
    place: str = "村委会至小学道路",
    started_on: dt.date = dt.date(2023, 3, 1),
    finished_on: dt.date | None = dt.date(2023, 4, 1),
) -> Work:
    return Work.objects.create(
        village=world.unit(village),
        kind=kind,
        quantity=Decimal(quantity),
        unit=UNIT_OF[WorkKind(kind)].value,
        place=place,
        started_on=started_on,
        finished_on=finished_on,
    )


def activity(
    world: Any, village: str = "毛桥村", *, kind: str = "opera", title: str = "送戏下乡", held_on: Any = None
) -> Activity:
    return Activity.objects.create(
        village=world.unit(village),
        kind=kind,
        title=title,
        held_on=held_on or dt.date(2023, 5, 1),
        organiser="县文化馆",
        attendance=300,
    )


def centre(world: Any, village: str = "毛桥村", *, name: str = "党群服务中心", rooms: Any = DEFAULT_ROOMS) -> Centre:
    return Centre.objects.create(village=world.unit(village), name=name, area=Decimal(430), rooms=list(rooms))


def service(
    world: Any, village: str = "毛桥村", *, matter: str = "代办医保缴费", outcome: str = Outcome.OPEN, days: int = 3,
    requested_on: dt.date = dt.date(2023, 5, 1), finished_on: dt.date | None = None,
) -> ServiceRequest:  # fmt: skip
    return ServiceRequest.objects.create(
        village=world.unit(village), mode="once", matter=matter, requested_on=requested_on, promised_days=days,
        due_on=requested_on + dt.timedelta(days=days), outcome=outcome, finished_on=finished_on,
    )  # fmt: skip


def honour(
    world: Any, village: str = "毛桥村", *, name: str = "文明村", level: str = "county", year: int = 2022
) -> Honour:
    return Honour.objects.create(village=world.unit(village), name=name, level=level, year=year)


def toilets(world: Any, village: str = "毛桥村", *, year: int = 2023, households: int = 400, covered: int = 380) -> Any:
    return ToiletCoverage.objects.create(village=world.unit(village), year=year, households=households, covered=covered)


def jpeg(colour: str = "red", taken: str | None = "2023:04:01 10:00:00") -> bytes:
    image = Image.new("RGB", (80, 60), colour)
    out = io.BytesIO()
    exif = Image.Exif()
    if taken:
        exif[0x0132] = taken
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def photo(name: str = "现场.jpg", colour: str = "red") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg(colour), content_type="image/jpeg")


def stored_photo(record: Any, *, stage: str = "site", digest: str = "", colour: str = "red") -> Photo:
    """A photo row on a work, centre or activity; `digest` makes two rows the same picture."""
    from django.core.files.base import ContentFile

    owner = {type(record).__name__.lower(): record}
    data = jpeg(colour)
    return Photo.objects.create(
        village=record.village,
        stage=stage,
        file=ContentFile(data, name="p.jpg"),
        original_name="现场.jpg",
        content_type="image/jpeg",
        size=len(data),
        sha256=digest or f"{Photo.objects.count() + 1:064d}",
        is_image=True,
        **owner,
    )
