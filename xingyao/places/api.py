"""Units: one by code, its children, search."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from xingyao.core.paging import Paged
from xingyao.places.models import Unit
from xingyao.places.queries import access_unit, children_of, search_units

router = Router(tags=["单位"])


class UnitOut(Schema):
    code: str
    name: str
    kind: str
    kind_label: str
    parent_code: str | None
    households: int | None
    active: bool

    @staticmethod
    def resolve_parent_code(obj: Unit) -> str | None:
        return obj.parent.code if obj.parent_id and obj.parent else None


class UnitDetailOut(UnitOut):
    geometry: dict[str, Any] | None


@router.get("/search", response=list[UnitOut], summary="按名称或代码前缀搜索单位")
@paginate(Paged)
def search(request: HttpRequest, q: str) -> Any:
    return search_units(request.user, q, limit=None).select_related("parent")


@router.get("/{code}", response=UnitDetailOut, summary="单位详情")
def unit_detail(request: HttpRequest, code: str) -> Any:
    return access_unit(request.user, code)


@router.get("/{code}/children", response=list[UnitOut], summary="下级单位")
@paginate(Paged)
def unit_children(request: HttpRequest, code: str) -> Any:
    unit = access_unit(request.user, code)
    return children_of(request.user, unit).select_related("parent")
