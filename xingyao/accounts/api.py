"""Memberships: who holds which role where, and the caller himself."""

from __future__ import annotations

from typing import Any

from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from xingyao.accounts import actions
from xingyao.accounts.models import Membership
from xingyao.accounts.queries import access_membership, access_user
from xingyao.core.http import AuthedRequest
from xingyao.core.paging import Paged
from xingyao.core.roles import Action
from xingyao.places.queries import access_unit

router = Router(tags=["用户与任职"])


class MembershipOut(Schema):
    id: int
    username: str = Field(alias="user.username")
    full_name: str = Field(alias="user.full_name")
    unit_code: str = Field(alias="unit.code")
    unit_name: str = Field(alias="unit.name")
    role: str
    role_label: str = Field(alias="get_role_display")


class MeOut(Schema):
    username: str
    full_name: str
    memberships: list[MembershipOut]


class MembershipIn(Schema):
    username: str
    unit_code: str
    role: str


@router.get("/me", response=MeOut, summary="当前用户及其任职")
def me(request: AuthedRequest) -> Any:
    user = request.user
    return {
        "username": user.username,
        "full_name": user.full_name,
        "memberships": list(
            user.memberships.unscoped("a user's own roles").select_related("user", "unit").order_by("unit__code")
        ),
    }


@router.get("/memberships", response=list[MembershipOut], summary="辖区内的任职（可按单位筛选）")
@paginate(Paged)
def memberships(request: AuthedRequest, unit: str | None = None) -> Any:
    qs = Membership.objects.restrict(request.user).select_related("user", "unit").order_by("unit__code", "role", "id")
    if unit:
        qs = qs.filter(unit=access_unit(request.user, unit))
    return qs


@router.post("/memberships", response={201: MembershipOut}, summary="为辖区内的用户添加任职")
def add_membership(request: AuthedRequest, payload: MembershipIn) -> Any:
    unit = access_unit(request.user, payload.unit_code, Action.ADMIN)
    from xingyao.accounts.models import User

    target_pk = User.objects.filter(username=payload.username).values_list("pk", flat=True).first()
    target = access_user(request.user, target_pk or 0, Action.ADMIN)
    return Status(201, actions.do_add_membership(request.user, target, unit, payload.role))


@router.delete("/memberships/{membership_id}", response={204: None}, summary="撤销任职")
def remove_membership(request: AuthedRequest, membership_id: int) -> Any:
    membership = access_membership(request.user, membership_id, Action.ADMIN)
    actions.do_remove_membership(request.user, membership)
    return Status(204, None)
