"""Scoped reads for users, memberships and tokens."""

from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from xingyao.accounts.models import ApiToken, Membership, User
from xingyao.core.roles import Action
from xingyao.core.scoping import access
from xingyao.places.codes import Kind
from xingyao.places.models import Unit


def access_user(actor: Any, pk: Any, action: str = Action.VIEW) -> User:
    """A user who holds a role inside `actor`'s scope for `action`, else 404."""
    return access(User.objects.all(), actor, pk, Action.VIEW if action == Action.VIEW else action)


def access_membership(actor: Any, pk: Any, action: str = Action.VIEW) -> Membership:
    return access(Membership.objects.select_related("user", "unit"), actor, pk, action)


def access_token(actor: Any, pk: Any) -> ApiToken:
    """One of the actor's own tokens, or one of a user he administers."""
    token = ApiToken.objects.select_related("user").filter(pk=pk).first()
    if token is None:
        from django.http import Http404

        raise Http404
    if token.user_id != actor.pk:
        access_user(actor, token.user_id, Action.ADMIN)
    return token


def users_in_scope(actor: Any, text: str = "") -> Any:
    """Users an admin sees, with their memberships in scope prefetched (no N+1)."""
    qs = User.objects.restrict(actor, Action.ADMIN)
    if text:
        qs = qs.filter(username__icontains=text) | qs.filter(full_name__icontains=text)
    memberships = Membership.objects.restrict(actor, Action.VIEW).select_related("unit").order_by("unit__code")
    return (
        qs.distinct()
        .prefetch_related(Prefetch("memberships", queryset=memberships, to_attr="visible_memberships"))
        .order_by("username")
    )


def assignable_units(actor: Any) -> Any:
    """Units on which an admin may grant roles."""
    return Unit.objects.restrict(actor, Action.ADMIN).filter(active=True).exclude(kind=Kind.MICROGRID).order_by("code")


def people_at(user: Any, unit: Unit) -> QuerySet[Membership]:
    """The roles held on `unit` and on its children that `user` may see: the unit page's people."""
    return (
        Membership.objects.restrict(user)
        .filter(Q(unit=unit) | Q(unit__parent=unit))
        .select_related("user", "unit")
        .order_by("unit__code", "role", "user__username")
    )
