"""Named data sources: values computed from other apps' records for many villages and a year.

An app registers its sources in `AppConfig.ready()`; an indicator bound to a key shows the derived value with a
link to the records behind it. A key that no app has registered yet is simply "not connected" (数据来源未接入).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from xingyao.places.models import Unit
    from xingyao.stars.models import CriteriaSet

Compute = Callable[[list[int], int], dict[int, Any]]
RecordsUrl = Callable[["Unit", int], str]

KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")
NOT_CONNECTED = "数据来源未接入"


@dataclass(frozen=True)
class Source:
    key: str
    label: str
    unit: str
    compute: Compute
    records_url: RecordsUrl | None = None

    @property
    def app(self) -> str:
        return self.key.split(".", 1)[0]

    def url_for(self, village: Unit, year: int) -> str | None:
        return self.records_url(village, year) if self.records_url else None


_registry: dict[str, Source] = {}


def register_source(key: str, label: str, unit: str, compute: Compute, records_url: RecordsUrl | None = None) -> Source:
    """Register (or replace, so reloading an app is harmless) the source named `key`, e.g. "disputes.success_rate"."""
    if not KEY_PATTERN.match(key):
        raise ValueError(f"数据来源名称「{key}」格式应为“应用.指标”，如 disputes.success_rate")
    source = Source(key, label, unit, compute, records_url)
    _registry[key] = source
    return source


def get_source(key: str | None) -> Source | None:
    return _registry.get(key) if key else None


def all_sources() -> list[Source]:
    return sorted(_registry.values(), key=lambda s: s.key)


def derive(keys: Iterable[str], village_ids: list[int], year: int) -> dict[tuple[int, str], Any]:
    """Values of the registered sources among `keys`, one `compute` call per source; missing answers are left out."""
    values: dict[tuple[int, str], Any] = {}
    ids = sorted(set(village_ids))
    if not ids:
        return values
    for key in sorted(set(keys)):
        source = _registry.get(key)
        if source is None:
            continue
        for village_id, value in source.compute(ids, year).items():
            if value is not None:
                values[(village_id, key)] = value
    return values


def derived_values(criteria_set: CriteriaSet, village_ids: list[int], year: int) -> dict[tuple[int, str], Any]:
    """Every bound indicator's derived value, keyed (village id, indicator code): one query for the bindings,
    then one `compute` per registered source however many villages or indicators share it."""
    bindings: dict[str, list[str]] = {}
    for code, key in (
        criteria_set.indicators.exclude(data_source__isnull=True)
        .exclude(data_source="")
        .values_list("code", "data_source")
    ):
        bindings.setdefault(str(key), []).append(code)
    by_key = derive(bindings, village_ids, year)
    return {(village_id, code): value for (village_id, key), value in by_key.items() for code in bindings.get(key, ())}
