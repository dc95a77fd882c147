from django.db import transaction

from xingyao.core import audit, import_errors
from xingyao.core.actors import SYSTEM
from xingyao.core.sheets import CellError
from xingyao.core.testing import Marker, RouteCase, RouteKind
from xingyao.core.tests.jobs import finished_job, job_by, result_of


def _error_sheet(w) -> str:  # type: ignore[no-untyped-def]
    token = import_errors.keep(w.user("maoqiao"), [CellError("人员", 2, "手机号", "手机号格式有误")])
    return f"/imports/errors/{token}/"


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
    # A failed import's full error list: only the user who uploaded the file holds its token; anyone else gets 404.
    RouteCase("core:import_errors", _error_sheet, readonly=None, kind=RouteKind.FILE),
    # Jobs: only the user who started one sees it (the read-only leader above him too gets 404, hence readonly=None).
    RouteCase(
        "core:jobs",
        lambda w: "/jobs/",
        outsider="",
        kind=RouteKind.LIST,
        marker=Marker(
            mine=lambda w, text: job_by(w, "maoqiao", "毛桥村", text),
            theirs=lambda w, text: job_by(w, "zhuangying", "庄营村", text),
            outsider="zhuangying",
        ),
    ),
    RouteCase(
        "core:job", lambda w: f"/jobs/{job_by(w, 'maoqiao', '毛桥村').pk}/", readonly=None, kind=RouteKind.DETAIL
    ),
    RouteCase(
        "core:job_progress",
        lambda w: f"/jobs/{job_by(w, 'maoqiao', '毛桥村').pk}/progress/",
        readonly=None,
        kind=RouteKind.DETAIL,
    ),
    RouteCase(
        "core:job_file",
        lambda w: f"/jobs/files/{result_of(finished_job(w, 'maoqiao', '毛桥村')).pk}/",
        readonly=None,
        kind=RouteKind.FILE,
    ),
]
