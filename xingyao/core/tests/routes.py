from django.db import transaction

from xingyao.core import audit
from xingyao.core.actors import SYSTEM
from xingyao.core.testing import Marker, RouteCase, RouteKind


def _audit_row(unit: str):  # type: ignore[no-untyped-def]
    def make(w, text: str) -> None:  # type: ignore[no-untyped-def]
        with transaction.atomic():
            audit.record(actor=SYSTEM, action="test.marker", unit=w.unit(unit), object_repr=text, object_type="test")

    return make


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
