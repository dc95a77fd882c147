"""The metrics registry: named figures computed from records, for many units and one period at once.

A metric (`disputes.success_rate`, “矛盾纠纷调解成功率”, %) is registered by the app that owns its records, in
`AppConfig.ready()`. Star indicators bind to a key; dashboards and the briefing read the same metrics.

How a value is made: the metric's *tally* counts, in a fixed number of queries for any number of villages, a few
summable parts per village (a count; a numerator and a denominator). A town's or county's parts are the sums of its
villages' parts, and the value is computed from the summed parts, so rates are recomputed, never averaged.

Records are read through a `Reader`: `read_as(user)` restricts every queryset to the user's scope, `unscoped(why)`
reads all of them for system jobs (an assessment's snapshot, scoring) and says why.

A key no app registers is "not connected" (数据来源未接入); `plan()` declares a key whose app is still to come (its
label is known, it has no values yet). The system check in `core/checks.py` fails when a published criteria set binds
a key that is neither registered nor planned, and warns about planned ones.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import zip_longest
from typing import Any

from django.apps import apps
from django.db import models
from django.utils import timezone

from xingyao.core.numbers import percent
from xingyao.core.roles import Labelled

KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")
NOT_CONNECTED = "数据来源未接入"


class ValueKind(Labelled):
    NUMBER = "number", "数值"
    RATE = "rate", "比率"
    BOOL = "bool", "是否"
    COUNT = "count", "计数"
    CHOICE = "choice", "等级"  # one of a choice indicator's values (its `choices`): an honour level, a brand's level


class PeriodKind(Labelled):
    YEAR = "year", "年度"
    QUARTER = "quarter", "季度"
    MONTH = "month", "月度"


class Level(Labelled):
    """The levels a metric answers for; the values are the unit kinds of `places.codes.Kind`."""

    VILLAGE = "village", "村"
    TOWN = "town", "镇"
    COUNTY = "county", "县"


ALL_PERIODS = frozenset(PeriodKind)
ALL_LEVELS = frozenset(Level)
_PERIOD_TEXT = re.compile(r"^(\d{4})(?:Q([1-4])|-(0[1-9]|1[0-2]))?$")


@dataclass(frozen=True, order=True)
class Period:
    """A calendar year, quarter or month; `number` is the quarter (1–4) or month (1–12), 1 for a year."""

    kind: PeriodKind
    year: int
    number: int = 1

    @classmethod
    def of_year(cls, year: int) -> Period:
        return cls(PeriodKind.YEAR, year)

    @classmethod
    def of_quarter(cls, year: int, quarter: int) -> Period:
        if not 1 <= quarter <= 4:
            raise ValueError(f"季度应为 1–4，收到 {quarter}")
        return cls(PeriodKind.QUARTER, year, quarter)

    @classmethod
    def of_month(cls, year: int, month: int) -> Period:
        if not 1 <= month <= 12:
            raise ValueError(f"月份应为 1–12，收到 {month}")
        return cls(PeriodKind.MONTH, year, month)

    @classmethod
    def parse(cls, text: str) -> Period:
        """“2023”, “2023Q2” or “2023-05”, the form `str(period)` gives (for URLs and the API)."""
        found = _PERIOD_TEXT.match(text.strip())
        if not found:
            raise ValueError(f"「{text}」不是有效的期间，应为 2023、2023Q2 或 2023-05")
        year, quarter, month = found.groups()
        if quarter:
            return cls.of_quarter(int(year), int(quarter))
        if month:
            return cls.of_month(int(year), int(month))
        return cls.of_year(int(year))

    def __str__(self) -> str:
        if self.kind is PeriodKind.QUARTER:
            return f"{self.year}Q{self.number}"
        if self.kind is PeriodKind.MONTH:
            return f"{self.year}-{self.number:02d}"
        return str(self.year)

    @property
    def label(self) -> str:
        if self.kind is PeriodKind.QUARTER:
            return f"{self.year}年第{self.number}季度"
        if self.kind is PeriodKind.MONTH:
            return f"{self.year}年{self.number}月"
        return f"{self.year}年"

    @property
    def first_day(self) -> dt.date:
        month = {PeriodKind.YEAR: 1, PeriodKind.QUARTER: 3 * self.number - 2, PeriodKind.MONTH: self.number}
        return dt.date(self.year, month[self.kind], 1)

    @property
    def last_day(self) -> dt.date:
        return self._next_first_day() - dt.timedelta(days=1)

    @property
    def start(self) -> dt.datetime:
        """The first moment, in the site's time zone, for filtering timestamps: `start <= at < end`."""
        return timezone.make_aware(dt.datetime.combine(self.first_day, dt.time.min))

    @property
    def end(self) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(self._next_first_day(), dt.time.min))

    def _next_first_day(self) -> dt.date:
        months = {PeriodKind.YEAR: 12, PeriodKind.QUARTER: 3, PeriodKind.MONTH: 1}[self.kind]
        index = self.first_day.month - 1 + months
        return dt.date(self.year + index // 12, index % 12 + 1, 1)


def as_period(period: Period | int) -> Period:
    """A Period, or a bare year as the year's period (the assessments' case)."""
    return period if isinstance(period, Period) else Period.of_year(period)


@dataclass(frozen=True)
class Reader:
    """How a metric reads records: restricted to `user`'s scope, or all of them for the `reason` given."""

    user: Any = None
    reason: str = ""

    def __call__(self, queryset: Any) -> Any:
        """The queryset of a scoped model, cut to what this reader may read."""
        if self.reason:
            return queryset.unscoped(self.reason)
        return queryset.restrict(self.user)

    def in_villages(self, model: type[Any], village_ids: list[int], period: Period, on: str) -> Any:
        """`model`'s records in these villages (its `village`) whose date or timestamp `on` falls in the period,
        read as this reader may: where a per-village tally starts."""
        when: dict[str, dt.date]  # a datetime is a date
        if isinstance(model._meta.get_field(on), models.DateTimeField):
            when = {f"{on}__gte": period.start, f"{on}__lt": period.end}
        else:
            when = {f"{on}__gte": period.first_day, f"{on}__lte": period.last_day}
        return self(model.objects).filter(village_id__in=village_ids, **when)

    def compute(self, key: str, units: Sequence[Any], period: Period | int) -> dict[int, Any]:
        """{unit id: value} for the units the metric answers for; None where there is nothing to count from.
        An unregistered or unconnected key, or a period it does not answer for, gives {}."""
        metric = get(key)
        if metric is None or not metric.answers_period(as_period(period)):
            return {}
        found = self._values([metric], units, as_period(period))
        return {unit.pk: found[(unit.pk, key)] for unit in units if (unit.pk, key) in found}

    def values(self, keys: Iterable[str], units: Sequence[Any], period: Period | int) -> dict[tuple[int, str], Any]:
        """{(unit id, key): value} for every connected metric among `keys`; metrics sharing a tally share its
        queries, and None answers are left out."""
        period = as_period(period)
        chosen = [m for key in sorted(set(keys)) if (m := get(key)) is not None and m.answers_period(period)]
        return {k: v for k, v in self._values(chosen, units, period).items() if v is not None}

    def _values(self, chosen: list[Metric], units: Sequence[Any], period: Period) -> dict[tuple[int, str], Any]:
        units = list({unit.pk: unit for unit in units}.values())
        chosen = [m for m in chosen if any(unit.kind in m.levels for unit in units)]  # no tally nobody reads
        found: dict[tuple[int, str], Any] = {}
        if not chosen or not units:
            return found
        members = _villages_of(units)
        # Only for metrics whose records may sit on a town itself (a town's project without a village).
        with_towns = _villages_of(units, towns=True) if any(m.town_records for m in chosen) else members
        tallies: dict[Tally, Mapping[int, Parts]] = {}
        summed: dict[tuple[Tally, bool, int], Parts] = {}
        for metric in chosen:
            assert metric.tally is not None  # answers_period() is False for planned metrics
            own = with_towns if metric.town_records else members
            if metric.tally not in tallies:
                ids = sorted({pk for pks in own.values() for pk in pks})
                tallies[metric.tally] = metric.tally(self, ids, period) if ids else {}
            per_village = tallies[metric.tally]
            for unit in units:
                if unit.kind in metric.levels:
                    # Metrics sharing a tally share a unit's summed parts (a dashboard reads many of them).
                    summed_key = (metric.tally, metric.town_records, unit.pk)
                    if summed_key not in summed:
                        summed[summed_key] = add_parts(per_village.get(pk, ()) for pk in own.get(unit.pk, ()))
                    found[(unit.pk, metric.key)] = metric.value(summed[summed_key])
        return found

    def breakdown(self, key: str, units: Sequence[Any], period: Period | int) -> dict[int, list[tuple[Bucket, Any]]]:
        """{unit id: [(bucket, value), …] in bucket order} for a registered breakdown (a figure split by category,
        month or round); {} for an unknown key or a period it does not answer for. One tally for all the units."""
        found = get_breakdown(key)
        period = as_period(period)
        if found is None or period.kind not in found.periods:
            return {}
        units = [unit for unit in {unit.pk: unit for unit in units}.values() if unit.kind in found.levels]
        if not units:
            return {}
        members = _villages_of(units)
        ids = sorted({pk for pks in members.values() for pk in pks})
        per_village = found.tally(self, ids, period) if ids else {}
        fixed = list(found.buckets(period)) if found.buckets else []
        out: dict[int, list[tuple[Bucket, Any]]] = {}
        for unit in units:
            summed: dict[Bucket, list[Parts]] = {bucket: [] for bucket in fixed}
            for pk in members.get(unit.pk, ()):
                for bucket, parts in per_village.get(pk, {}).items():
                    summed.setdefault(bucket, []).append(parts)
            out[unit.pk] = [(bucket, found.value(add_parts(many))) for bucket, many in sorted(summed.items())]
        return out


def read_as(user: Any) -> Reader:
    """Read records as `user` may see them (pages, the API, dashboards)."""
    return Reader(user=user)


def unscoped(reason: str) -> Reader:
    """Read every record, for a system job that says why (an assessment's snapshot of its village, scoring)."""
    if not reason.strip():
        raise ValueError("unscoped() needs a reason")
    return Reader(reason=reason)


Parts = Sequence[int | Decimal]
# (reader, village ids, period) -> {village id: parts}; a village without records may be left out (no parts).
Tally = Callable[[Reader, list[int], Period], Mapping[int, Parts]]
ValueOf = Callable[[Parts], Any]
RecordsUrl = Callable[[Any, Period], str]


def add_parts(many: Iterable[Parts]) -> tuple[int | Decimal, ...]:
    """Element-wise sums: a town's parts from its villages' ones."""
    total: tuple[int | Decimal, ...] = ()
    for parts in many:
        total = tuple(a + b for a, b in zip_longest(total, parts, fillvalue=0))
    return total


def _at(parts: Parts, index: int) -> int | Decimal:
    return parts[index] if index < len(parts) else 0


def part(index: int = 0) -> ValueOf:
    """The value is one of the parts: a count or a sum."""

    def value(parts: Parts) -> int | Decimal:
        return _at(parts, index)

    return value


def rate(part_index: int, whole_index: int) -> ValueOf:
    """The value is part ÷ whole in % (one decimal), None when the whole is 0."""

    def value(parts: Parts) -> Decimal | None:
        return percent(_at(parts, part_index), _at(parts, whole_index))

    return value


def none_of(index: int) -> ValueOf:
    """The value is True when the count is zero (“零上访”)."""

    def value(parts: Parts) -> bool:
        return _at(parts, index) == 0

    return value


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    unit: str
    kind: ValueKind
    tally: Tally | None
    value: ValueOf
    periods: frozenset[PeriodKind] = ALL_PERIODS
    levels: frozenset[Level] = ALL_LEVELS
    records_url: RecordsUrl | None = None
    town_records: bool = False  # the tally is also handed town ids, for records kept on a town itself

    @property
    def app(self) -> str:
        return self.key.split(".", 1)[0]

    @property
    def connected(self) -> bool:
        """False for a planned key: known by name, no records behind it yet."""
        return self.tally is not None

    @property
    def periods_label(self) -> str:
        return "、".join(p.label for p in PeriodKind if p in self.periods) if self.connected else ""

    @property
    def levels_label(self) -> str:
        return "、".join(level.label for level in Level if level in self.levels) if self.connected else ""

    def answers_period(self, period: Period) -> bool:
        return self.connected and period.kind in self.periods

    def answers(self, unit: Any, period: Period | int) -> bool:
        return self.answers_period(as_period(period)) and unit.kind in self.levels

    def url_for(self, unit: Any, period: Period | int) -> str | None:
        """The list of the records behind the unit's value, or None."""
        if self.records_url is None or not self.answers(unit, period):
            return None
        return self.records_url(unit, as_period(period))

    def compute(self, units: Sequence[Any], period: Period | int, reader: Reader) -> dict[int, Any]:
        return reader.compute(self.key, units, period)


_registry: dict[str, Metric] = {}


# --- breakdowns: one figure split into buckets (by category, by month, by round) -----------------------------


@dataclass(frozen=True, order=True)
class Bucket:
    """One slice of a breakdown: where it sorts, its Chinese label, and the value its records list filters on
    (a category's id, a month's number, a round's id; "" when the list has no such filter)."""

    order: int
    label: str
    value: str = ""


# (reader, village ids, period) -> {village id: {bucket: parts}}: a breakdown's tally, the same rules as a metric's.
BucketTally = Callable[[Reader, list[int], Period], Mapping[int, Mapping[Bucket, Parts]]]
BucketUrl = Callable[[Any, Period, Bucket], str]


@dataclass(frozen=True)
class Breakdown:
    """A figure split into buckets: per village and bucket, summable parts; a unit's value per bucket is computed
    from its villages' summed parts, like a metric's. `buckets(period)` lists buckets shown even when empty (the
    months of a year); others appear when a record falls in them."""

    key: str
    label: str
    unit: str
    kind: ValueKind
    tally: BucketTally
    value: ValueOf
    periods: frozenset[PeriodKind] = ALL_PERIODS
    levels: frozenset[Level] = ALL_LEVELS
    records_url: BucketUrl | None = None
    buckets: Callable[[Period], Iterable[Bucket]] | None = None

    def url_for(self, unit: Any, period: Period | int, bucket: Bucket) -> str | None:
        """The list of the records behind one bucket of the unit's figure, or None."""
        period = as_period(period)
        if self.records_url is None or period.kind not in self.periods or unit.kind not in self.levels:
            return None
        return self.records_url(unit, period, bucket)


_breakdowns: dict[str, Breakdown] = {}


def register_breakdown(
    key: str,
    label: str,
    unit: str,
    kind: ValueKind,
    tally: BucketTally,
    *,
    value: ValueOf | None = None,
    periods: Iterable[PeriodKind] = ALL_PERIODS,
    levels: Iterable[Level] = ALL_LEVELS,
    records_url: BucketUrl | None = None,
    buckets: Callable[[Period], Iterable[Bucket]] | None = None,
) -> Breakdown:
    """Register (or replace) the breakdown `key` ("grid.events_by_month"): keys share the metrics' form and may not
    repeat a metric's key. `records_url(unit, period, bucket)` links one bucket to its records."""
    if _checked_key(key) in _registry:
        raise ValueError(f"「{key}」已是一个指标的名称")
    found = Breakdown(
        key=key,
        label=label,
        unit=unit,
        kind=ValueKind(kind),
        tally=tally,
        value=value or part(0),
        periods=frozenset(PeriodKind(p) for p in periods),
        levels=frozenset(Level(level) for level in levels),
        records_url=records_url,
        buckets=buckets,
    )
    _check_registration(key, found.periods, found.levels)
    _breakdowns[key] = found
    return found


def get_breakdown(key: str | None) -> Breakdown | None:
    return _breakdowns.get(key) if key else None


def all_breakdowns() -> list[Breakdown]:
    return sorted(_breakdowns.values(), key=lambda b: b.key)


def months_of(period: Period) -> list[Bucket]:
    """The months a period spans, as buckets valued by their number: a by-month breakdown's fixed buckets."""
    first = period.first_day.month
    count = {PeriodKind.YEAR: 12, PeriodKind.QUARTER: 3, PeriodKind.MONTH: 1}[period.kind]
    return [Bucket(m, f"{m}月", str(m)) for m in range(first, first + count)]


def month_span(period: Period, bucket: Bucket) -> tuple[dt.date, dt.date]:
    """The first and last day of a by-month bucket in the period's year."""
    month = Period.of_month(period.year, int(bucket.value))
    return month.first_day, month.last_day


def _check_registration(key: str, periods: frozenset[PeriodKind], levels: frozenset[Level]) -> None:
    """What a metric and a breakdown both owe: some period and level, and a key starting with the registering app."""
    if not periods or not levels:
        raise ValueError(f"指标「{key}」至少要适用一种期间和一个层级")
    app = key.split(".", 1)[0]
    try:
        apps.get_app_config(app)
    except LookupError:
        raise ValueError(f"指标「{key}」应以登记它的应用开头（{app} 不是已安装的应用）") from None


def _checked_key(key: str) -> str:
    if not KEY_PATTERN.match(key):
        raise ValueError(f"指标名称「{key}」格式应为“应用.指标”，如 disputes.success_rate")
    return key


def register(
    key: str,
    label: str,
    unit: str,
    kind: ValueKind,
    tally: Tally,
    *,
    value: ValueOf | None = None,
    periods: Iterable[PeriodKind] = ALL_PERIODS,
    levels: Iterable[Level] = ALL_LEVELS,
    records_url: RecordsUrl | None = None,
    town_records: bool = False,
) -> Metric:
    """Register (or replace, so reloading an app is harmless) the metric `key`, e.g. "disputes.success_rate": the
    part before the dot is the label of the app that registers it.
    `value` turns summed parts into the value (default: the first part); `records_url(unit, period)` links to the
    records behind it. With `town_records` the tally is also handed the towns' ids (a town's parts are its
    villages' and its own), for records that may sit on a town itself."""
    metric = Metric(
        key=_checked_key(key),
        label=label,
        unit=unit,
        kind=ValueKind(kind),
        tally=tally,
        value=value or part(0),
        periods=frozenset(PeriodKind(p) for p in periods),
        levels=frozenset(Level(level) for level in levels),
        records_url=records_url,
        town_records=town_records,
    )
    _check_registration(key, metric.periods, metric.levels)
    _registry[key] = metric
    return metric


def plan(key: str, label: str, unit: str, kind: ValueKind) -> Metric:
    """Declare a key that an app still to come will register; never replaces a registered metric."""
    existing = _registry.get(_checked_key(key))
    if existing is not None and existing.connected:
        return existing
    metric = Metric(key=key, label=label, unit=unit, kind=ValueKind(kind), tally=None, value=part(0))
    _registry[key] = metric
    return metric


def get(key: str | None) -> Metric | None:
    """The registered or planned metric named `key`, or None."""
    return _registry.get(key) if key else None


def is_connected(key: str | None) -> bool:
    metric = get(key)
    return metric is not None and metric.connected


def all_metrics(*, connected: bool = True) -> list[Metric]:
    """The registered metrics by key; with `connected=False`, the planned ones too."""
    return sorted((m for m in _registry.values() if m.connected or not connected), key=lambda m: m.key)


def _villages_of(units: list[Any], *, towns: bool = False) -> dict[int, list[int]]:
    """{unit id: its village ids}: a village is its own; a town or county gets its villages in one query (with
    `towns`, its towns too: a town is then one of its own members)."""
    members = {unit.pk: [unit.pk] for unit in units if unit.kind == Level.VILLAGE}
    above = [unit for unit in units if unit.kind in (Level.TOWN, Level.COUNTY)]
    if above:
        unit_model = apps.get_model("places", "Unit")
        base = unit_model.objects.unscoped("the villages a figure adds up; their records are read by the reader")
        kinds = [Level.VILLAGE, Level.TOWN] if towns else [Level.VILLAGE]
        query = base.filter(kind__in=kinds).within(above[0])
        for unit in above[1:]:
            query = query | base.filter(kind__in=kinds).within(unit)
        villages = list(query.values_list("pk", "prefix"))
        for unit in above:
            members[unit.pk] = [pk for pk, prefix in villages if prefix.startswith(unit.prefix)]
    return members


# --- bindings: who names metric keys, for the system check ---------------------------------------------------


@dataclass(frozen=True)
class Binding:
    """One place that names a metric key: `holder` and `item` say where, in Chinese and English."""

    holder: str
    item: str
    key: str


BindingSource = Callable[[str], Iterable[Binding]]
_binding_sources: list[BindingSource] = []


def register_bindings(source: BindingSource) -> BindingSource:
    """`source(database alias)` lists the published bindings an app holds (stars: its published criteria sets)."""
    if source not in _binding_sources:
        _binding_sources.append(source)
    return source


def bindings(database: str) -> list[Binding]:
    return [binding for source in _binding_sources for binding in source(database)]
