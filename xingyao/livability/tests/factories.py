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
    """The village's one centre (made or renamed: route cases ask for it once per persona)."""
    found, _ = Centre.objects.update_or_create(
        village=world.unit(village), defaults={"name": name, "area": Decimal(430), "rooms": list(rooms)}
    )
    return found


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


def kept_year(world: Any, village: str = "毛桥村", year: int = 2023) -> None:
    """A village whose records meet every indicator the example criteria take from here: 1,000 m of road, 600 m of
    drains, 95% sanitary toilets, six photographed clean-ups, a complete centre, services on time, six cultural
    activities, two clinics, four 普法 sessions and a county-level 文明村."""
    import hashlib

    day = dt.date(year, 5, 10)
    road = work(world, village, quantity=1000, place=f"{village}{year}环村路", started_on=day, finished_on=day)
    drain = work(world, village, kind=WorkKind.DRAIN, quantity=600, place=f"{village}{year}排水沟", started_on=day,
                 finished_on=day)  # fmt: skip
    for built in (road, drain):
        for stage in ("before", "after"):
            stored_photo(built, stage=stage, digest=hashlib.sha256(f"{built.place}-{stage}".encode()).hexdigest())
    if not ToiletCoverage.objects.filter(village=world.unit(village), year=year).exists():
        toilets(world, village, year=year, households=100, covered=95)
    for month in range(2, 8):
        cleanup = work(world, village, kind=WorkKind.CLEANUP, quantity=1, place=f"{month}月村庄清洁行动",
                       started_on=dt.date(year, month, 8), finished_on=dt.date(year, month, 8))  # fmt: skip
        for stage in ("before", "after"):
            digest = hashlib.sha256(f"{village}-{year}-{month}-{stage}".encode()).hexdigest()
            stored_photo(cleanup, stage=stage, digest=digest)
    if not Centre.objects.filter(village=world.unit(village)).exists():
        centre(world, village)
    for n in range(2):
        service(world, village, matter=f"代办事项{n}", outcome=Outcome.DONE, requested_on=day,
                finished_on=day + dt.timedelta(days=1))  # fmt: skip
    for n in range(6):
        activity(world, village, kind=("opera", "show", "culture")[n % 3], title=f"文化活动{n}",
                 held_on=dt.date(year, n + 1, 15))  # fmt: skip
    for n in range(2):
        activity(world, village, kind="clinic", title=f"义诊{n}", held_on=dt.date(year, n + 3, 20))
    for n in range(4):
        activity(world, village, kind="law", title=f"普法{n}", held_on=dt.date(year, n + 2, 25))
    if not Honour.objects.filter(village=world.unit(village), level="county", year=year - 1).exists():
        honour(world, village, year=year - 1)
