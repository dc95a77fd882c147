"""The words of 人居环境 and 文明幸福 records: kinds of work with their unit and bounds, kinds of activity, service
modes and outcomes, honour levels, and the default 一厅五室. Pure Python (no ORM)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from xingyao.core.roles import Labelled


class Measure(Labelled):
    """The unit a work is counted in."""

    METRE = "m", "米"
    SQUARE_METRE = "m2", "平方米"
    PIECE = "piece", "座"
    HOUSEHOLD = "household", "户"
    TIMES = "times", "次"


class WorkKind(Labelled):
    """A kind of environment work (人居环境整治)."""

    ROAD_REPAIR = "road_repair", "整修入村道路"
    ROAD_WIDEN = "road_widen", "道路加宽铺设彩砖"
    DRAIN = "drain", "修建下水管网"
    FLOWER_BED = "flower_bed", "修建花池"
    PLAZA = "plaza", "修建文化广场"
    WALL_PAINTING = "wall_painting", "墙体绘画"
    TOILET = "toilet", "卫生厕所改造"
    CLEANUP = "cleanup", "村庄清洁行动"


UNIT_OF: Mapping[WorkKind, Measure] = {
    WorkKind.ROAD_REPAIR: Measure.METRE,
    WorkKind.ROAD_WIDEN: Measure.METRE,
    WorkKind.DRAIN: Measure.METRE,
    WorkKind.FLOWER_BED: Measure.PIECE,
    WorkKind.PLAZA: Measure.PIECE,
    WorkKind.WALL_PAINTING: Measure.SQUARE_METRE,
    WorkKind.TOILET: Measure.HOUSEHOLD,
    WorkKind.CLEANUP: Measure.TIMES,
}
# The most one work in one village can plausibly amount to: a 10⁶ m road in a village is a typing slip.
MOST: Mapping[Measure, Decimal] = {
    Measure.METRE: Decimal(50_000),
    Measure.SQUARE_METRE: Decimal(200_000),
    Measure.PIECE: Decimal(500),
    Measure.HOUSEHOLD: Decimal(5_000),
    Measure.TIMES: Decimal(400),
}
WHOLE: frozenset[Measure] = frozenset({Measure.PIECE, Measure.HOUSEHOLD, Measure.TIMES})  # counted, not measured
ROADS: frozenset[WorkKind] = frozenset({WorkKind.ROAD_REPAIR, WorkKind.ROAD_WIDEN})


def measure_named(text: str) -> Measure | None:
    """The unit a sheet or a form names, by its Chinese label or its value (“米”, “m”, “平方米”, “㎡”)."""
    text = text.strip().replace("㎡", "平方米").replace("平米", "平方米")
    for measure in Measure:
        if text in (measure.value, measure.label):
            return measure
    return None


# What townships also write in the 类型 column of their ledgers.
WORK_ALIASES: Mapping[str, WorkKind] = {
    "道路整修": WorkKind.ROAD_REPAIR,
    "整修道路": WorkKind.ROAD_REPAIR,
    "道路加宽": WorkKind.ROAD_WIDEN,
    "铺设彩砖": WorkKind.ROAD_WIDEN,
    "下水管网": WorkKind.DRAIN,
    "排水沟": WorkKind.DRAIN,
    "花池": WorkKind.FLOWER_BED,
    "广场": WorkKind.PLAZA,
    "文化广场": WorkKind.PLAZA,
    "墙绘": WorkKind.WALL_PAINTING,
    "改厕": WorkKind.TOILET,
    "清洁行动": WorkKind.CLEANUP,
}


def kind_named(text: str) -> WorkKind | None:
    """The kind a sheet or a form names: its value, its label or a usual short name (“花池”, “墙绘”)."""
    text = text.strip()
    return WorkKind.lookup(text) or next((k for k in WorkKind if k.label == text), None) or WORK_ALIASES.get(text)


class PhotoStage(Labelled):
    BEFORE = "before", "整治前"
    AFTER = "after", "整治后"
    SITE = "site", "现场"


class ActivityKind(Labelled):
    """A cultural or service activity held in a village."""

    OPERA = "opera", "送戏下乡"
    SHOW = "show", "文艺汇演"
    CULTURE = "culture", "广场文化活动"
    CLINIC = "clinic", "免费义诊"
    ELDERLY = "elderly", "助老服务"
    LAW = "law", "普法宣传"


CULTURAL: frozenset[ActivityKind] = frozenset({ActivityKind.OPERA, ActivityKind.SHOW, ActivityKind.CULTURE})
CARE: frozenset[ActivityKind] = frozenset({ActivityKind.CLINIC, ActivityKind.ELDERLY})


def activity_named(text: str) -> ActivityKind | None:
    text = text.strip()
    return ActivityKind.lookup(text) or next((k for k in ActivityKind if k.label == text), None)


class ServiceMode(Labelled):
    """How a service was promised at the 党群服务中心."""

    NEARBY = "nearby", "就近办"
    IMMEDIATE = "immediate", "马上办"
    ONCE = "once", "一次办"


class Outcome(Labelled):
    OPEN = "open", "办理中"
    DONE = "done", "已办结"
    REFERRED = "referred", "已转办上级"


class HonourLevel(Labelled):
    """The level that named an honour (文明村镇 …), lowest first."""

    TOWN = "town", "乡镇级"
    COUNTY = "county", "县级"
    CITY = "city", "市级"
    PROVINCE = "province", "省级"
    NATIONAL = "national", "全国"


RANK: Mapping[HonourLevel, int] = {level: n for n, level in enumerate(HonourLevel, start=1)}

# 一厅五室 unless the county sets its own list.
DEFAULT_ROOMS: tuple[str, ...] = ("便民服务大厅", "党员活动室", "综治调解室", "图书阅览室", "文体活动室", "卫生室")
MAX_ROOMS = 20
MAX_CENTRE_AREA = Decimal(20_000)  # m²: a village centre of more than 2 ha is a slip
MAX_PROMISED_DAYS = 60
MAX_ATTENDANCE = 100_000
MAX_HOUSEHOLDS = 20_000
