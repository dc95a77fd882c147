import datetime as dt

from django.db import transaction

from xingyao.core import audit
from xingyao.core.models import WorkdayOverride
from xingyao.core.testing import Marker, RouteCase, RouteKind, every, expect


def _audit_row(unit: str):  # type: ignore[no-untyped-def]
    def make(w, text: str) -> None:  # type: ignore[no-untyped-def]
        with transaction.atomic():
            audit.record(actor=None, action="test.marker", unit=w.unit(unit), object_repr=text, object_type="test")

    return make


def _workday(unit: str):  # type: ignore[no-untyped-def]
    return lambda w, text: WorkdayOverride.objects.create(
        unit=w.unit(unit), day=dt.date(2024, 10, 8), is_workday=True, note=text
    )


def _overrides(w):  # type: ignore[no-untyped-def]
    return every(WorkdayOverride).filter(unit=w.unit("溧河铺镇"))


ROUTES = [
    # A jump the persona's menu does not offer (a grid worker has no assessment of his own) is a 404.
    RouteCase(
        "core:go",
        lambda w: "/go/assessments.mine/",
        outsider="wangge",
        readonly=None,
        ok=(302,),
        kind=RouteKind.REDIRECT,
    ),
    RouteCase(
        "core:audit",
        lambda w: "/audit/",
        owner="zhen",
        outsider="",
        write=True,
        kind=RouteKind.LIST,
        marker=Marker(mine=_audit_row("毛桥村"), theirs=_audit_row("施东村"), outsider="shian"),
    ),
]


def _override(w):  # type: ignore[no-untyped-def]
    override = WorkdayOverride.objects.create(unit=w.unit("溧河铺镇"), day=dt.date(2024, 5, 6), is_workday=False)
    return f"/workdays/remove/{override.pk}/"


ROUTES += [
    RouteCase(
        "core:workdays",
        lambda w: f"/workdays/{w.unit('溧河铺镇').code}/",
        owner="zhen",
        outsider="shian",
        write=True,
        kind=RouteKind.LIST,
        marker=Marker(mine=_workday("溧河铺镇"), theirs=_workday("施庵镇")),
    ),
    RouteCase(
        "core:workdays",
        lambda w: f"/workdays/{w.unit('溧河铺镇').code}/",
        method="POST",
        owner="zhen",
        outsider="shian",
        write=True,
        ok=(302,),
        label="POST core:workdays",
        data=lambda w: {"day": "2024-05-06", "is_workday": "1", "note": "防汛值班"},
        effect=expect(
            lambda w: _overrides(w).filter(day=dt.date(2024, 5, 6), is_workday=True, note="防汛值班").exists(),
            "the override is saved",
        ),
    ),
    RouteCase(
        "core:workday_remove",
        _override,
        method="POST",
        owner="zhen",
        outsider="shian",
        write=True,
        ok=(302,),
        effect=expect(lambda w: not _overrides(w).exists(), "the override is gone"),
    ),
]
