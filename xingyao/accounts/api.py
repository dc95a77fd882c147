"""Memberships: who holds which role where, and the caller himself."""

from __future__ import annotations

from typing import Any

from ninja import Router, Schema, Status

from xingyao.accounts import actions
from xingyao.accounts.models import Membership
from xingyao.accounts.queries import access_membership, access_user
from xingyao.core.http import AuthedRequest
from xingyao.core.roles import Action
from xingyao.places.queries import access_unit

router = Router(tags=["用户与任职"])


class MembershipOut(Schema):
    id: int
    username: str
    full_name: str
    unit_code: str
    unit_name: str
    role: str
    role_label: str

    @staticmethod
    def resolve_username(obj: Membership) -> str:
        return obj.user.username

    @staticmethod
    def resolve_full_name(obj: Membership) -> str:
        return obj.user.full_name

    @staticmethod
    def resolve_unit_code(obj: Membership) -> str:
        return obj.unit.code

    @staticmethod
    def resolve_unit_name(obj: Membership) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_role_label(obj: Membership) -> str:
        return obj.get_role_display()


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
def memberships(request: AuthedRequest, unit: str | None = None) -> Any:
    qs = Membership.objects.restrict(request.user).select_related("user", "unit").order_by("unit__code", "role")
    if unit:
        qs = qs.filter(unit=access_unit(request.user, unit))
    return qs[:1000]


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
