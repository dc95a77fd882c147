"""The safety net: a scoped model read without restrict(), within() or unscoped(reason) fails loudly."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import Count, Prefetch

from xingyao.accounts.models import Membership
from xingyao.core.scoping import ScopeError
from xingyao.places.models import Unit

APP_FILE = "/srv/xingyao/someapp/views.py"  # not test code: the guard checks reads made from here


def run_as_app(source: str, **names: Any) -> Any:
    """Evaluate `source` as if a line of application code wrote it (the guard lets test code read freely)."""
    code = compile(source, APP_FILE, "eval")
    return eval(code, {"Unit": Unit, "Membership": Membership, "Count": Count, "Prefetch": Prefetch}, names)  # noqa: S307 - our own literal source


@pytest.mark.parametrize(
    "source",
    [
        "list(Unit.objects.filter(kind='village'))",
        "Unit.objects.count()",
        "Unit.objects.exists()",
        "Unit.objects.get(code=code)",
        "Unit.objects.filter(code=code).first()",
        "Unit.objects.aggregate(n=Count('id'))",
        "list(Unit.objects.iterator())",
        "list(Unit.objects.values_list('code', flat=True))",
        "Unit.objects.filter(code='x').update(name='y')",
        "Membership.objects.filter(role='x').delete()",
        "Unit.objects.get_or_create(code=code)",
        "list(user.memberships.all())",  # a related manager starts unmarked
    ],
)
def test_an_unmarked_read_or_bulk_write_raises_naming_the_model_and_the_call_site(world, source):
    with pytest.raises(ScopeError) as raised:
        run_as_app(source, code=world.unit("毛桥村").code, user=world.user("maoqiao"))
    message = str(raised.value)
    assert message.startswith(("places.Unit", "accounts.Membership"))
    assert f"{APP_FILE}:1" in message


@pytest.mark.parametrize(
    "source",
    [
        "list(Unit.objects.restrict(user).filter(kind='village'))",
        "Unit.objects.within(town).count()",
        "Unit.objects.unscoped('counties are public').filter(kind='county').exists()",
        # The mark survives chaining: filters, ordering, values, slicing, select_related.
        "list(Unit.objects.restrict(user).filter(kind='village').order_by('-code').values('code')[:5])",
        "Unit.objects.within(town).select_related('parent').exclude(kind='town').get(name='毛桥村')",
        "list(user.memberships.unscoped('his own roles').select_related('unit'))",
        "[len(t.memberships.all()) for t in Unit.objects.restrict(user).prefetch_related("
        "Prefetch('memberships', queryset=Membership.objects.restrict(user)))]",
        "list(Unit.objects.restrict(user) & Unit.objects.filter(kind='village'))",
    ],
)
def test_restricted_narrowed_or_unscoped_reads_pass_and_keep_their_mark_through_chaining(world, source):
    assert run_as_app(source, user=world.user("zhen"), town=world.unit("溧河铺镇")) is not None


def test_a_related_read_through_an_unmarked_prefetch_raises(world):
    with pytest.raises(ScopeError, match=r"accounts\.Membership"):
        run_as_app("list(Unit.objects.restrict(user).prefetch_related('memberships'))", user=world.user("zhen"))


def test_joining_a_marked_and_an_unmarked_queryset_leaves_it_unmarked(world):
    with pytest.raises(ScopeError):
        run_as_app("list(Unit.objects.restrict(user) | Unit.objects.filter(kind='county'))", user=world.user("zhen"))


def test_creating_rows_and_writing_objects_in_hand_need_no_mark(world):
    unit = run_as_app(
        "Unit.objects.create(code='411329107299', name='新村', kind='village', parent=town)",
        town=world.unit("溧河铺镇"),
    )
    unit.name = "新村二"
    run_as_app("Unit.objects.bulk_update([unit], ['name'])", unit=unit)
    assert Unit.objects.get(pk=unit.pk).name == "新村二"


def test_an_unscoped_read_must_say_why():
    with pytest.raises(ValueError, match="reason"):
        Unit.objects.unscoped("  ")


def test_the_guard_is_off_when_the_setting_is(world, settings):
    settings.XINGYAO_SCOPE_GUARD = False
    assert run_as_app("Unit.objects.filter(kind='village').count()") == 3


def test_test_code_itself_reads_freely(world):
    assert Unit.objects.filter(kind="village").count() == 3
