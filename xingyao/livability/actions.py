"""Every change to 人居环境 and 文明幸福 records: durable, audited, refused in Chinese with nothing written.

A work or an activity is checked by one function (`check_work`, `check_activity`) that both the single-record
action and the spreadsheet import use, so a form, the API and a sheet refuse the same things with the same words."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

from django.db import transaction
from django.utils import timezone

from xingyao.core import audit, offline
from xingyao.core.actors import require_actor
from xingyao.core.errors import ActionError
from xingyao.core.roles import Action
from xingyao.core.scoping import access, covers
from xingyao.core.sheets import CellError, ImportFailed, read_table
from xingyao.core.uploads import check_image
from xingyao.core.validators import clean_amount, clean_text
from xingyao.livability.models import (
    Activity,
    Centre,
    Honour,
    Photo,
    RoomStandard,
    ServiceRequest,
    ToiletCoverage,
    Work,
)
from xingyao.livability.vocabulary import (
    MAX_ATTENDANCE,
    MAX_CENTRE_AREA,
    MAX_HOUSEHOLDS,
    MAX_PROMISED_DAYS,
    MAX_ROOMS,
    MOST,
    UNIT_OF,
    WHOLE,
    ActivityKind,
    HonourLevel,
    Outcome,
    PhotoStage,
    ServiceMode,
    WorkKind,
    activity_named,
    kind_named,
    measure_named,
)
from xingyao.places.actions import BATCH, units_by_code
from xingyao.places.codes import Kind as UnitKind
from xingyao.places.codes import county_code
from xingyao.places.models import Unit

MAX_PHOTOS = 9
EARLIEST = dt.date(2000, 1, 1)
MAX_COST = Decimal(100_000)  # 万元: ten 亿 for one village's work is a slip
WORK_FIELDS = ["kind", "quantity", "unit", "place", "started_on", "finished_on", "cost"]
ACTIVITY_FIELDS = ["kind", "title", "held_on", "organiser", "attendance"]
WORK_COLUMNS = ["村代码", "类型", "数量", "单位", "名称或位置", "开工日期"]
WORK_OPTIONAL = ["完工日期", "投资（万元）", "备注"]
ACTIVITY_COLUMNS = ["村代码", "类型", "名称", "日期", "组织单位", "参加人数"]
ACTIVITY_OPTIONAL = ["备注"]
# What the exported ledgers add for reading (row number, village name, photo counts): read back and ignored, so an
# exported ledger edited and imported again is accepted.
LEDGER_ONLY = ["序号", "村（社区）", "整治前照片", "整治后照片", "照片"]


class Problems:
    """The problems found in one record, by field: a form or the API raises the first, a sheet lists them all."""

    def __init__(self) -> None:
        self.found: list[tuple[str, str]] = []

    def check(self, call: Callable[[], Any], field: str) -> Any:
        try:
            return call()
        except ActionError as exc:
            self.found.append((field, exc.message))
            return None

    def add(self, field: str, message: str) -> None:
        self.found.append((field, message))

    def raise_first(self) -> None:
        if self.found:
            field, message = self.found[0]
            raise ActionError(message, field)


def keeps(actor: Any, village: Any, what: str) -> Unit:
    """The village whose records the actor may keep, or a Chinese refusal."""
    if village is None or getattr(village, "kind", None) != UnitKind.VILLAGE:
        raise ActionError("请选择村（社区）", "village")
    if not covers(actor, Action.CHANGE, village.prefix):
        raise ActionError(f"{village.name}不在您的管辖范围内，不能登记它的{what}", "village")
    return village


def clean_day(value: Any, label: str, field: str | None = None, *, required: bool = True) -> dt.date | None:
    """A date from a form, JSON or a spreadsheet cell (a date, or text such as 2023-05-12, 2023/5/12, 2023.5.12),
    between 2000 and today."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        text = value.strip().replace("/", "-").replace(".", "-").split(" ")[0]
        if not text:
            value = None
        else:
            try:
                year, month, day = (int(part) for part in text.split("-"))
                value = dt.date(year, month, day)
            except ValueError:
                raise ActionError(f"{label}应为日期，如 2023-05-12", field) from None
    if value is None:
        if required:
            raise ActionError(f"请填写{label}", field)
        return None
    if not isinstance(value, dt.date):
        raise ActionError(f"{label}应为日期，如 2023-05-12", field)
    if value > timezone.localdate():
        raise ActionError(f"{label}不能晚于今天", field)
    if value < EARLIEST:
        raise ActionError(f"{label}不能早于 2000 年", field)
    return value


def clean_count(value: Any, label: str, field: str | None = None, *, low: int = 0, high: int) -> int:
    """A whole number in [low, high] from a form, JSON or a cell (“12”, 12, 12.0)."""
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise ActionError(f"{label}应为 {low} 到 {high:,} 之间的整数", field)
    return value


# --- environment works ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkIn:
    kind: WorkKind
    quantity: Decimal
    place: str
    started_on: dt.date
    finished_on: dt.date | None
    cost: Decimal | None
    note: str

    @property
    def unit(self) -> str:
        return UNIT_OF[self.kind].value


def check_work(
    kind: Any, quantity: Any, unit: Any, place: Any, started_on: Any, finished_on: Any, cost: Any, note: Any
) -> tuple[WorkIn | None, Problems]:
    """A work's fields checked: its kind, a quantity in the kind's own unit and within that unit's bounds, the dates
    (finished not before started), the cost in 万元."""
    p = Problems()
    found = kind_named(str(kind or ""))
    if found is None:
        p.add("kind", "类型应为：" + "、".join(k.label for k in WorkKind))
    measure = measure_named(str(unit or "")) if unit not in (None, "") else None
    if unit in (None, "") or (isinstance(unit, str) and not unit.strip()):
        p.add("unit", "请填写单位（米、平方米、座、户或次）")
    elif measure is None:
        p.add("unit", f"单位「{unit}」无效，应为米、平方米、座、户或次")
    elif found is not None and UNIT_OF[found] != measure:
        p.add("unit", f"{found.label}的单位应为“{UNIT_OF[found].label}”，不是“{measure.label}”")
    amount = p.check(lambda: clean_amount(quantity, "数量", "quantity", required=True), "quantity")
    if amount is not None and found is not None:
        own = UNIT_OF[found]
        if amount <= 0:
            p.add("quantity", "数量应大于 0")
        elif amount > MOST[own]:
            p.add(
                "quantity",
                f"数量 {amount.normalize():,f} {own.label}超出一个村一项工程的合理范围"
                f"（不超过 {MOST[own]:,} {own.label}）",
            )
        elif own in WHOLE and amount != amount.to_integral_value():
            p.add("quantity", f"以“{own.label}”计的数量应为整数")
    name = p.check(lambda: clean_text(place, "名称或位置", "place", limit=100), "place")
    started = p.check(lambda: clean_day(started_on, "开工日期", "started_on"), "started_on")
    finished = p.check(lambda: clean_day(finished_on, "完工日期", "finished_on", required=False), "finished_on")
    if started and finished and finished < started:
        p.add("finished_on", f"完工日期（{finished:%Y-%m-%d}）不能早于开工日期（{started:%Y-%m-%d}）")
    money = p.check(lambda: clean_amount(cost, "投资（万元）", "cost", maximum=MAX_COST), "cost")
    remark = p.check(lambda: clean_text(note, "备注", "note", limit=300, required=False), "note")
    if p.found or found is None or amount is None or name is None or started is None:
        return None, p
    return WorkIn(found, amount, name, started, finished, money, remark or ""), p


def _new_work(actor: Any, village: Unit, w: WorkIn) -> Work:
    return Work(
        village=village,
        kind=w.kind,
        quantity=w.quantity,
        unit=w.unit,
        place=w.place,
        started_on=w.started_on,
        finished_on=w.finished_on,
        cost=w.cost,
        note=w.note,
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )


@dataclass(frozen=True)
class PhotoIn:
    upload: Any
    stage: str = PhotoStage.SITE
    spot: str = ""


def _store_photos(actor: Any, village: Unit, owner: dict[str, Any], photos: Sequence[PhotoIn]) -> list[Photo]:
    """Check and store each photo (decoded, re-encoded without metadata); one that is not an image refuses all."""
    if len(photos) > MAX_PHOTOS:
        raise ActionError(f"一次最多上传 {MAX_PHOTOS} 张照片", "photos")
    stored = []
    for photo in photos:
        stage = PhotoStage.lookup(photo.stage)
        if stage is None:
            raise ActionError("请选择照片阶段（整治前、整治后或现场）", "stage")
        checked = check_image(photo.upload, getattr(photo.upload, "name", "") or "photo")
        row = Photo(
            village=village,
            stage=stage,
            spot=clean_text(photo.spot, "拍摄位置", "spot", limit=100, required=False),
            uploaded_by=actor if getattr(actor, "pk", None) else None,
            **owner,
        )
        row.fill_from(checked)
        row.save()
        stored.append(row)
    return stored


def do_record_work(
    actor: Any,
    *,
    village: Any,
    kind: Any,
    quantity: Any,
    unit: Any,
    place: Any,
    started_on: Any,
    finished_on: Any = None,
    cost: Any = None,
    note: Any = "",
    photos: Sequence[PhotoIn] = (),
    client_id: Any = None,
) -> Work:
    """Record one environment work of a village, with its photos (before and after at the same spot). `client_id`
    is the phone's id for a work recorded offline: sent again, it answers with the work it already recorded."""
    require_actor(actor)
    village = keeps(actor, village, "人居环境工程")
    checked, problems = check_work(kind, quantity, unit, place, started_on, finished_on, cost, note)
    problems.raise_first()
    assert checked is not None
    key = offline.client_id(client_id)
    with transaction.atomic(durable=True):
        if (earlier := offline.claim(actor, key, Work)) is not None:
            return earlier
        work = _new_work(actor, village, checked)
        work.save()
        stored = _store_photos(actor, village, {"work": work}, photos)
        after = audit.snapshot(work, WORK_FIELDS) | {"photos": len(stored)}
        audit.record(actor=actor, action="work.record", obj=work, unit=village, after=after)
        offline.settle(key, work)
    return work


OWNERS: dict[str, type[Any]] = {"work": Work, "centre": Centre, "activity": Activity}


def do_add_photos(actor: Any, owner: str, pk: int, photos: Sequence[PhotoIn]) -> list[Photo]:
    """Add photos to a work, a service centre or an activity already recorded."""
    require_actor(actor)
    model = OWNERS[owner]
    if not photos:
        raise ActionError("请选择要上传的照片", "photos")
    with transaction.atomic(durable=True):
        record = access(model.objects.select_for_update().select_related("village"), actor, pk, Action.CHANGE)
        stored = _store_photos(actor, record.village, {owner: record}, photos)
        audit.record(
            actor=actor,
            action=f"{owner}.photos",
            obj=record,
            unit=record.village,
            after={"photos": [f"{p.stage_label} {p.original_name}" for p in stored]},
        )
    return stored


def do_set_toilets(actor: Any, *, village: Any, year: Any, households: Any, covered: Any) -> ToiletCoverage:
    """Set a village's sanitary-toilet coverage for a year (households covered out of all households)."""
    require_actor(actor)
    village = keeps(actor, village, "卫生厕所普及情况")
    year = clean_count(year, "年度", "year", low=2000, high=timezone.localdate().year)
    households = clean_count(households, "农户总数", "households", low=1, high=MAX_HOUSEHOLDS)
    covered = clean_count(covered, "已改造户数", "covered", high=MAX_HOUSEHOLDS)
    if covered > households:
        raise ActionError(f"已改造户数（{covered}）不能多于农户总数（{households}）", "covered")
    with transaction.atomic(durable=True):
        row = (
            ToiletCoverage.objects.restrict(actor, Action.CHANGE)
            .select_for_update()
            .filter(village=village, year=year)
            .first()
        )
        before = audit.snapshot(row, ["households", "covered"]) if row else None
        if row is None:
            row = ToiletCoverage(village=village, year=year)
        row.households, row.covered, row.updated_at = households, covered, timezone.now()
        row.recorded_by = actor if getattr(actor, "pk", None) else None
        row.save()
        audit.record(
            actor=actor,
            action="toilets.set",
            obj=row,
            unit=village,
            before=before,
            after=audit.snapshot(row, ["year", "households", "covered"]),
        )
    return row


# --- service centres and their rooms ---------------------------------------------------------------------------


def clean_rooms(rooms: Any, field: str = "rooms") -> list[str]:
    """A list of room names (a list, or text with one per line or separated by 、，,), each named once."""
    if isinstance(rooms, str):
        rooms = rooms.replace("、", "\n").replace("，", "\n").replace(",", "\n").splitlines()
    names: list[str] = []
    for room in rooms or []:
        name = clean_text(room, "功能室名称", field, limit=30, required=False)
        if name and name not in names:
            names.append(name)
    if len(names) > MAX_ROOMS:
        raise ActionError(f"功能室不能超过 {MAX_ROOMS} 个", field)
    return names


def do_set_rooms(actor: Any, county: Unit, rooms: Any) -> RoomStandard:
    """Set the county's list of the rooms every 党群服务中心 must have."""
    require_actor(actor)
    if county.kind != UnitKind.COUNTY or not covers(actor, Action.ADMIN, county.prefix):
        raise ActionError("只有县级管理员可以设置党群服务中心功能室标准")
    names = clean_rooms(rooms)
    if not names:
        raise ActionError("请至少填写一个功能室", "rooms")
    with transaction.atomic(durable=True):
        row = RoomStandard.objects.restrict(actor, Action.ADMIN).select_for_update().filter(county=county).first()
        before = {"rooms": row.rooms} if row else None
        if row is None:
            row = RoomStandard(county=county)
        row.rooms, row.updated_at = names, timezone.now()
        row.save()
        audit.record(actor=actor, action="rooms.set", obj=row, unit=county, before=before, after={"rooms": names})
    return row


CENTRE_FIELDS = ["name", "area", "rooms", "built_on", "rebuilt_on", "upgraded_on"]


def do_save_centre(
    actor: Any,
    *,
    village: Any,
    name: Any,
    area: Any,
    rooms: Any,
    built_on: Any = None,
    rebuilt_on: Any = None,
    upgraded_on: Any = None,
    note: Any = "",
    photos: Sequence[PhotoIn] = (),
) -> Centre:
    """Record or update a village's 党群服务中心: its area, rooms and when it was built, rebuilt or upgraded."""
    require_actor(actor)
    village = keeps(actor, village, "党群服务中心")
    title = clean_text(name, "名称", "name", limit=100)
    size = clean_amount(area, "建筑面积", "area", places=1, required=True)
    assert size is not None
    if size <= 0 or size > MAX_CENTRE_AREA:
        raise ActionError(f"建筑面积应在 0 到 {MAX_CENTRE_AREA:,} 平方米之间", "area")
    names = clean_rooms(rooms)
    built = clean_day(built_on, "建成日期", "built_on", required=False)
    rebuilt = clean_day(rebuilt_on, "重建日期", "rebuilt_on", required=False)
    upgraded = clean_day(upgraded_on, "提升改造日期", "upgraded_on", required=False)
    for later, label, field in ((rebuilt, "重建日期", "rebuilt_on"), (upgraded, "提升改造日期", "upgraded_on")):
        if built and later and later < built:
            raise ActionError(f"{label}不能早于建成日期（{built:%Y-%m-%d}）", field)
    remark = clean_text(note, "备注", "note", limit=300, required=False)
    with transaction.atomic(durable=True):
        centre = Centre.objects.restrict(actor, Action.CHANGE).select_for_update().filter(village=village).first()
        before = audit.snapshot(centre, CENTRE_FIELDS) if centre else None
        centre = centre or Centre(village=village)
        centre.name, centre.area, centre.rooms, centre.note = title, size, names, remark
        centre.built_on, centre.rebuilt_on, centre.upgraded_on = built, rebuilt, upgraded
        centre.updated_at = timezone.now()
        centre.save()
        stored = _store_photos(actor, village, {"centre": centre}, photos)
        b, a = audit.diff(before, audit.snapshot(centre, CENTRE_FIELDS))
        audit.record(
            actor=actor,
            action="centre.save",
            obj=centre,
            unit=village,
            before=b,
            after=(a or {}) | {"photos": len(stored)},
        )
    return centre


# --- services handled at the centre ----------------------------------------------------------------------------


def _finish(outcome: Any, finished_on: Any, requested: dt.date | None) -> tuple[Outcome, dt.date | None]:
    found = Outcome.lookup(outcome)
    if found is None:
        raise ActionError("请选择办理结果", "outcome")
    finished = clean_day(finished_on, "办结日期", "finished_on", required=found is not Outcome.OPEN)
    if found is Outcome.OPEN:
        return found, None
    if requested and finished and finished < requested:
        raise ActionError(f"办结日期不能早于受理日期（{requested:%Y-%m-%d}）", "finished_on")
    return found, finished


def do_record_service(
    actor: Any,
    *,
    village: Any,
    mode: Any,
    matter: Any,
    requested_on: Any,
    promised_days: Any,
    outcome: Any = Outcome.OPEN,
    finished_on: Any = None,
) -> ServiceRequest:
    """Record a service taken in at the village's 党群服务中心, finished or not yet."""
    require_actor(actor)
    village = keeps(actor, village, "便民服务事项")
    found = ServiceMode.lookup(mode)
    if found is None:
        raise ActionError("请选择办理方式（就近办、马上办或一次办）", "mode")
    what = clean_text(matter, "事项", "matter", limit=100)
    requested = clean_day(requested_on, "受理日期", "requested_on")
    assert requested is not None
    days = clean_count(promised_days, "承诺时限（天）", "promised_days", low=0, high=MAX_PROMISED_DAYS)
    result, finished = _finish(outcome, finished_on, requested)
    with transaction.atomic(durable=True):
        row = ServiceRequest.objects.create(
            village=village,
            mode=found,
            matter=what,
            requested_on=requested,
            promised_days=days,
            due_on=requested + dt.timedelta(days=days),
            outcome=result,
            finished_on=finished,
            recorded_by=actor if getattr(actor, "pk", None) else None,
        )
        audit.record(
            actor=actor,
            action="service.record",
            obj=row,
            unit=village,
            after=audit.snapshot(row, ["mode", "matter", "requested_on", "promised_days", "outcome", "finished_on"]),
        )
    return row


def do_finish_service(actor: Any, pk: int, *, outcome: Any, finished_on: Any) -> ServiceRequest:
    """Close a service still open: done, or referred to the town or county."""
    require_actor(actor)
    with transaction.atomic(durable=True):
        row = access(ServiceRequest.objects.select_for_update().select_related("village"), actor, pk, Action.CHANGE)
        if row.outcome != Outcome.OPEN:
            raise ActionError(f"该事项已{Outcome(row.outcome).label}，不能重复办结")
        result, finished = _finish(outcome, finished_on, row.requested_on)
        if result is Outcome.OPEN:
            raise ActionError("请选择办结或转办", "outcome")
        row.outcome, row.finished_on = result, finished
        row.save(update_fields=["outcome", "finished_on"])
        audit.record(
            actor=actor,
            action="service.finish",
            obj=row,
            unit=row.village,
            before={"outcome": Outcome.OPEN},
            after=audit.snapshot(row, ["outcome", "finished_on"]),
        )
    return row


# --- activities and honours ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActivityIn:
    kind: ActivityKind
    title: str
    held_on: dt.date
    organiser: str
    attendance: int
    note: str


def check_activity(
    kind: Any, title: Any, held_on: Any, organiser: Any, attendance: Any, note: Any
) -> tuple[ActivityIn | None, Problems]:
    p = Problems()
    found = activity_named(str(kind or ""))
    if found is None:
        p.add("kind", "类型应为：" + "、".join(k.label for k in ActivityKind))
    name = p.check(lambda: clean_text(title, "名称", "title", limit=100), "title")
    day = p.check(lambda: clean_day(held_on, "日期", "held_on"), "held_on")
    by = p.check(lambda: clean_text(organiser, "组织单位", "organiser", limit=100), "organiser")
    people = p.check(lambda: clean_count(attendance, "参加人数", "attendance", high=MAX_ATTENDANCE), "attendance")
    remark = p.check(lambda: clean_text(note, "备注", "note", limit=300, required=False), "note")
    if p.found or found is None or name is None or day is None or by is None or people is None:
        return None, p
    return ActivityIn(found, name, day, by, people, remark or ""), p


def _new_activity(actor: Any, village: Unit, a: ActivityIn) -> Activity:
    return Activity(
        village=village,
        kind=a.kind,
        title=a.title,
        held_on=a.held_on,
        organiser=a.organiser,
        attendance=a.attendance,
        note=a.note,
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )


def do_record_activity(
    actor: Any,
    *,
    village: Any,
    kind: Any,
    title: Any,
    held_on: Any,
    organiser: Any,
    attendance: Any,
    note: Any = "",
    photos: Sequence[PhotoIn] = (),
) -> Activity:
    """Record a cultural or service activity held in a village, with its photos."""
    require_actor(actor)
    village = keeps(actor, village, "文化和服务活动")
    checked, problems = check_activity(kind, title, held_on, organiser, attendance, note)
    problems.raise_first()
    assert checked is not None
    with transaction.atomic(durable=True):
        activity = _new_activity(actor, village, checked)
        activity.save()
        stored = _store_photos(actor, village, {"activity": activity}, photos)
        after = audit.snapshot(activity, ACTIVITY_FIELDS) | {"photos": len(stored)}
        audit.record(actor=actor, action="activity.record", obj=activity, unit=village, after=after)
    return activity


def do_record_honour(actor: Any, *, village: Any, name: Any, level: Any, year: Any, conferred_by: Any = "") -> Honour:
    """Record an honour a village was named (文明村镇 …) with its level and year."""
    require_actor(actor)
    village = keeps(actor, village, "荣誉")
    title = clean_text(name, "荣誉名称", "name", limit=100)
    found = HonourLevel.lookup(level)
    if found is None:
        raise ActionError("请选择命名级别", "level")
    year = clean_count(year, "年度", "year", low=2000, high=timezone.localdate().year)
    by = clean_text(conferred_by, "命名单位", "conferred_by", limit=100, required=False)
    with transaction.atomic(durable=True):
        if Honour.objects.restrict(actor).filter(village=village, name=title, level=found, year=year).exists():
            raise ActionError(f"{village.name}{year}年的{found.label}「{title}」已登记", "name")
        honour = Honour.objects.create(
            village=village,
            name=title,
            level=found,
            year=year,
            conferred_by=by,
            recorded_by=actor if getattr(actor, "pk", None) else None,
        )
        audit.record(
            actor=actor, action="honour.record", obj=honour, unit=village,
            after=audit.snapshot(honour, ["name", "level", "year"]),
        )  # fmt: skip
    return honour


# --- imports: one row per work or activity, all or nothing ----------------------------------------------------


@dataclass(frozen=True)
class Imported:
    created: int
    villages: int


COLUMN_OF = {
    "village": "村代码", "kind": "类型", "quantity": "数量", "unit": "单位", "place": "名称或位置",
    "started_on": "开工日期", "finished_on": "完工日期", "cost": "投资（万元）", "note": "备注",
    "title": "名称", "held_on": "日期", "organiser": "组织单位", "attendance": "参加人数",
}  # fmt: skip


def _import(
    actor: Any,
    upload: IO[bytes],
    filename: str,
    *,
    required: list[str],
    optional: list[str],
    check: Callable[[dict[str, Any]], tuple[Any, Problems]],
    build: Callable[[Any, Unit, Any], Any],
    model: type[Any],
    action: str,
    what: str,
) -> Imported:
    """Read a sheet, check every row (villages looked up BATCH codes at a time, each against the actor's scope),
    and write nothing unless every row passes; then one bulk insert and one audit row per county chain."""
    require_actor(actor)
    table = read_table(upload, filename=filename, required=required, optional=optional)
    sheet = table.sheet
    villages = units_by_code(
        (str(values.get("村代码") or "").strip() for _, values in table.rows),
        "each row's village is checked against the actor's scope below",
    )
    errors: list[CellError] = []
    rows: list[tuple[Unit, Any]] = []
    for number, values in table.rows:
        village = villages.get(str(values.get("村代码") or "").strip())
        # Unknown and out of scope alike: one answer, so a sheet cannot probe other towns' villages.
        if village is None or village.kind != UnitKind.VILLAGE or not covers(actor, Action.CHANGE, village.prefix):
            errors.append(CellError(sheet, number, "村代码", "村代码不存在或不在您的辖区内"))
        checked, problems = check(values)
        errors.extend(CellError(sheet, number, COLUMN_OF[field], message) for field, message in problems.found)
        if village is not None and checked is not None:
            rows.append((village, checked))
    if errors:
        raise ImportFailed(errors)
    if not rows:
        raise ImportFailed([CellError(sheet, 0, "", "表中没有数据行")])
    with transaction.atomic(durable=True):
        model.objects.bulk_create((build(actor, village, row) for village, row in rows), batch_size=BATCH)
        by_county: dict[str, list[Unit]] = defaultdict(list)
        for village, _ in rows:
            by_county[county_code(village.code)].append(village)
        for touched in by_county.values():
            counts: dict[str, int] = defaultdict(int)
            for village in touched:
                counts[village.name] += 1
            audit.record(
                actor=actor,
                action=action,
                unit=touched[0],
                object_type=f"livability.{model._meta.model_name}",
                object_id="",
                object_repr=f"{filename}（{what} {len(touched)} 条）",
                after={"rows": len(touched), "villages": dict(counts)},
            )
    return Imported(len(rows), len({v.pk for v, _ in rows}))


def do_import_works(actor: Any, upload: IO[bytes], filename: str) -> Imported:
    """Import environment works, one row per work: 村代码, 类型, 数量, 单位, 名称或位置, 开工日期 (then optional
    完工日期, 投资, 备注)."""
    return _import(
        actor,
        upload,
        filename,
        required=WORK_COLUMNS,
        optional=WORK_OPTIONAL + LEDGER_ONLY,
        check=lambda v: check_work(
            v.get("类型"),
            v.get("数量"),
            v.get("单位"),
            v.get("名称或位置"),
            v.get("开工日期"),
            v.get("完工日期"),
            v.get("投资（万元）"),
            v.get("备注"),
        ),
        build=_new_work,
        model=Work,
        action="work.import",
        what="人居环境工程",
    )


def do_import_activities(actor: Any, upload: IO[bytes], filename: str) -> Imported:
    """Import activities, one row per activity: 村代码, 类型, 名称, 日期, 组织单位, 参加人数 (备注)."""
    return _import(
        actor,
        upload,
        filename,
        required=ACTIVITY_COLUMNS,
        optional=ACTIVITY_OPTIONAL + LEDGER_ONLY,
        check=lambda v: check_activity(
            v.get("类型"), v.get("名称"), v.get("日期"), v.get("组织单位"), v.get("参加人数"), v.get("备注")
        ),
        build=_new_activity,
        model=Activity,
        action="activity.import",
        what="文化和服务活动",
    )
