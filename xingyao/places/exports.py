"""The unit tree's Excel exports, in the import's own columns, so a sheet can go out, be corrected and come back."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from xingyao.core.exports import Column, Sheet
from xingyao.places.codes import Kind
from xingyao.places.models import Unit

DIVISION_LEDGER = Sheet(
    "区划代码",
    [Column("代码", lambda u: u.code), Column("名称", lambda u: u.name), Column("层级", lambda u: u.kind_label)],
    numbered=False,
    max_rows=100_000,  # a province's whole list (Henan: 54,271), as the import takes it back
)
GRID_LEDGER = Sheet(
    "网格",
    [
        Column("网格代码", lambda u: u.code),
        Column("网格名称", lambda u: u.name),
        Column("所属单位代码", lambda u: u.parent.code if u.parent else ""),
        Column("层级", lambda u: u.kind_label),
        Column("户数", lambda u: u.households or ""),
    ],
    numbered=False,
)


def unit_ledger(user: Any, unit: Unit, what: str) -> tuple[Sheet, QuerySet[Unit]]:
    """The sheet for `what` ("divisions" or "grids") and the units of `unit`'s subtree that `user` sees."""
    kinds = (
        [Kind.GRID, Kind.MICROGRID]
        if what == "grids"
        else [Kind.PROVINCE, Kind.CITY, Kind.COUNTY, Kind.TOWN, Kind.VILLAGE]
    )
    units = Unit.objects.restrict(user).subtree(unit).filter(kind__in=kinds).select_related("parent").order_by("code")
    return (GRID_LEDGER if what == "grids" else DIVISION_LEDGER), units
