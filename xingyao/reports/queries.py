"""A dashboard's figures: every number comes from the metrics registry, read as the user may (`metrics.read_as`).

One call per kind of read, each a fixed number of queries for any number of villages: the unit's figures and its
children's (one `values()`), last year's standing of the children (one more), the breakdowns (one tally each), and
for the map the villages' boundaries with their stars and events. Nothing is stored between loads: a record saved
is counted at the next one."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.urls import reverse

from xingyao.core import metrics
from xingyao.core.metrics import Period, ValueKind
from xingyao.places.codes import Kind
from xingyao.places.models import Unit

# The levels with a dashboard, and the level of the rows each one lists.
LEVELS = {Kind.COUNTY: Kind.TOWN, Kind.TOWN: Kind.VILLAGE, Kind.VILLAGE: None}

# The figures, by section, in the order of the briefing (支部过硬, 产业兴旺, 生态宜居, 平安法治, 文明幸福).
SECTIONS: list[tuple[str, list[str]]] = [
    (
        "星级评定与创星计划",
        [
            "assessments.villages_assessed",
            "assessments.stars_held",
            "assessments.average_points",
            "stars.planned_villages",
            "stars.planned_stars",
            "assessments.plans_met",
            "assessments.plans_met_rate",
        ],
    ),
    (
        "支部过硬",
        [
            "ledgers.weak_branches",
            "ledgers.weak_branches_closed",
            "ledgers.rectification_items",
            "ledgers.rectification_items_closed_rate",
            "ledgers.open_warnings",
            "inspections.average_score",
        ],
    ),
    (
        "产业兴旺",
        [
            "economy.projects_introduced",
            "economy.projects_negotiating",
            "economy.projects_amount",
            "economy.enterprise_requests_count",
            "economy.enterprise_requests_solved_rate",
        ],
    ),
    (
        "生态宜居",
        [
            "livability.road_metres",
            "livability.drain_metres",
            "livability.flower_beds_count",
            "livability.plazas_count",
            "livability.wall_painting_area",
            "livability.cleanups_count",
        ],
    ),
    (
        "平安法治",
        [
            "grid.events_reported",
            "grid.events_closed",
            "grid.events_closed_on_time_rate",
            "grid.events_overdue",
            "disputes.received_count",
            "disputes.mediated_count",
            "disputes.success_rate",
            "disputes.pre_litigation_count",
        ],
    ),
    (
        "文明幸福",
        [
            "livability.services_count",
            "livability.services_on_time_rate",
            "livability.all_activities_count",
        ],
    ),
]

# The charts: a breakdown each, drawn as bars or a line, with the same numbers in a table.
CHARTS: list[tuple[str, str]] = [
    ("assessments.villages_by_stars", "bar"),
    ("assessments.star_pass_rate", "bar"),
    ("grid.events_by_month", "line"),
    ("grid.events_by_category", "bar"),
    ("inspections.score_by_round", "line"),
]

STARS, POINTS = "assessments.stars_held", "assessments.average_points"
EVENTS, OVERDUE = "grid.events_reported", "grid.events_overdue"
ZERO = [("disputes.zero_petitions", "零上访"), ("disputes.zero_accidents", "零事故"), ("disputes.zero_cases", "零案件")]
ROW_LINKS = {"stars": STARS, "events": EVENTS, "overdue": OVERDUE, "mediated": "disputes.mediated_count",
             "zero": ZERO[0][0]}  # fmt: skip
ROW_KEYS = [STARS, POINTS, EVENTS, OVERDUE, "disputes.mediated_count", *(key for key, _ in ZERO)]


def shown(value: Any, kind: ValueKind | None = None) -> str:
    """A value as the page shows it, in Chinese: 是/否, a number without trailing zeros, — for nothing."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        text = f"{value:,.2f}".rstrip("0").rstrip(".")
        return text
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def as_number(value: Any) -> float | None:
    """A chart's number (JSON has no Decimal); None stays a gap."""
    if value is None or isinstance(value, bool):
        return None
    return float(value)


@dataclass(frozen=True)
class Figure:
    label: str
    text: str
    unit: str
    url: str | None


@dataclass(frozen=True)
class Section:
    title: str
    figures: list[Figure]


@dataclass(frozen=True)
class Chart:
    """One breakdown of the unit's figure: its buckets' labels, values and record lists."""

    key: str  # the element id on the page (not shown)
    title: str
    unit: str
    kind: str
    labels: list[str]
    values: list[float | None]
    texts: list[str]
    urls: list[str | None]

    @property
    def rows(self) -> list[tuple[str, str, str | None]]:
        return list(zip(self.labels, self.texts, self.urls, strict=True))

    def data(self) -> dict[str, Any]:
        return {"title": self.title, "unit": self.unit, "kind": self.kind, "labels": self.labels,
                "values": self.values, "urls": self.urls}  # fmt: skip


@dataclass
class Row:
    """One town or village under the dashboard's unit: its standing, change on last year and its safety figures."""

    unit: Unit
    stars: Any
    points: Any
    last_stars: Any
    events: Any
    overdue: Any
    mediated: Any
    zero: list[tuple[str, bool | None]]
    urls: dict[str, str | None] = field(default_factory=dict)
    rank: int | None = None

    @property
    def change(self) -> str:
        if self.stars is None or self.last_stars is None:
            return "—"
        diff = int(self.stars) - int(self.last_stars)
        return f"+{diff}" if diff > 0 else ("持平" if diff == 0 else str(diff))

    @property
    def zero_text(self) -> list[tuple[str, str]]:
        return [(label, "—" if flag is None else ("✓" if flag else "✗")) for label, flag in self.zero]


@dataclass(frozen=True)
class Board:
    unit: Unit
    year: int
    child_kind: str | None
    sections: list[Section]
    charts: list[Chart]
    rows: list[Row]
    map_data: dict[str, Any]

    @property
    def has_map(self) -> bool:
        return bool(self.map_data["geo"]["features"])

    @property
    def child_label(self) -> str:
        return {Kind.TOWN: "乡镇", Kind.VILLAGE: "村（社区）"}.get(Kind(self.child_kind), "") if self.child_kind else ""


def _url(key: str, unit: Unit, period: Period) -> str | None:
    metric = metrics.get(key)
    return metric.url_for(unit, period) if metric else None


def _children(user: Any, unit: Unit) -> list[Unit]:
    kind = LEVELS[Kind(unit.kind)]
    if kind is None:
        return []
    return list(Unit.objects.restrict(user).within(unit).filter(kind=kind, active=True).order_by("code"))


def _rank(rows: list[Row]) -> None:
    """Competition ranking by stars then points; rows without a result are not ranked."""
    ranked = sorted((r for r in rows if r.stars is not None), key=lambda r: (-int(r.stars), -(r.points or 0)))
    previous, place = None, 0
    for n, row in enumerate(ranked, start=1):
        key = (row.stars, row.points)
        if key != previous:
            place, previous = n, key
        row.rank = place


def _map(user: Any, unit: Unit, period: Period, read: metrics.Reader, known: dict[tuple[int, str], Any]) -> dict:
    """The villages' boundaries with their stars and events; a county reads its villages' values in one more call."""
    villages = list(
        Unit.objects.restrict(user)
        .within(unit)
        .filter(kind=Kind.VILLAGE, active=True)
        .exclude(geometry=None)
        .order_by("code")
        .values("pk", "code", "name", "kind", "geometry")
    )
    if villages and unit.kind == Kind.COUNTY:  # a town's and a village's own call already read its villages
        shells = [Unit(pk=v["pk"], code=v["code"], name=v["name"], kind=v["kind"]) for v in villages]
        known = {**known, **read.values([STARS, EVENTS], shells, period)}
    events_metric = metrics.get(EVENTS)
    features, items = [], []
    for v in villages:
        shell = Unit(pk=v["pk"], code=v["code"], name=v["name"], kind=v["kind"])
        features.append({"type": "Feature", "properties": {"name": v["name"]}, "geometry": v["geometry"]})
        items.append(
            {
                "name": v["name"],
                "stars": as_number(known.get((v["pk"], STARS))),
                "events": as_number(known.get((v["pk"], EVENTS))) or 0,
                "dashboard": reverse("reports:dashboard", args=[v["code"], period.year]),
                "events_url": events_metric.url_for(shell, period) if events_metric else None,
            }
        )
    return {"geo": {"type": "FeatureCollection", "features": features}, "villages": items}


def dashboard(user: Any, unit: Unit, year: int) -> Board:
    """The dashboard of `unit` (county, town or village) for `year`, read as `user` may."""
    period = Period.of_year(year)
    read = metrics.read_as(user)
    children = _children(user, unit)
    keys = [key for _, section in SECTIONS for key in section]
    found = read.values([*keys, *ROW_KEYS], [unit, *children], period)
    last = read.values([STARS], children, year - 1) if children else {}
    sections = []
    for title, section_keys in SECTIONS:
        figures = []
        for key in section_keys:
            metric = metrics.get(key)
            if metric is None or not metric.answers(unit, period):
                continue
            figures.append(Figure(metric.label, shown(found.get((unit.pk, key))), metric.unit,
                                  metric.url_for(unit, period)))  # fmt: skip
        sections.append(Section(title, figures))
    charts = []
    for key, kind in CHARTS:
        breakdown = metrics.get_breakdown(key)
        if breakdown is None or unit.kind not in breakdown.levels:
            continue
        buckets = read.breakdown(key, [unit], period).get(unit.pk, [])
        charts.append(
            Chart(
                key=key.replace(".", "-").replace("_", "-"),
                title=breakdown.label,
                unit=breakdown.unit,
                kind=kind,
                labels=[b.label for b, _ in buckets],
                values=[as_number(v) for _, v in buckets],
                texts=[shown(v) for _, v in buckets],
                urls=[breakdown.url_for(unit, period, b) for b, _ in buckets],
            )
        )
    rows = []
    for child in children:
        rows.append(
            Row(
                unit=child,
                stars=found.get((child.pk, STARS)),
                points=found.get((child.pk, POINTS)),
                last_stars=last.get((child.pk, STARS)),
                events=found.get((child.pk, EVENTS), 0),
                overdue=found.get((child.pk, OVERDUE), 0),
                mediated=found.get((child.pk, "disputes.mediated_count"), 0),
                zero=[(label, found.get((child.pk, key))) for key, label in ZERO],
                urls={name: _url(key, child, period) for name, key in ROW_LINKS.items()},
            )
        )
    _rank(rows)
    return Board(
        unit=unit,
        year=year,
        child_kind=LEVELS[Kind(unit.kind)],
        sections=sections,
        charts=charts,
        rows=rows,
        map_data=_map(user, unit, period, read, found),
    )
