"""The public site: county and town boards read from published notices, each notice an append-only snapshot whose
digest is in the audit chain, and `xingyao public verify` catching a page or a row that was altered."""

from __future__ import annotations

import datetime as dt
import io
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.utils import timezone

from xingyao.assessments import public_check
from xingyao.assessments import workflow as wf
from xingyao.assessments.actions import change_star, do_transition
from xingyao.assessments.models import NoticeKind, Objection, PublishedNotice
from xingyao.assessments.publication import digest_of
from xingyao.assessments.tests import fixtures as f
from xingyao.assessments.workflow import State
from xingyao.core import audit
from xingyao.core.models import AuditEntry
from xingyao.places.models import Unit

# The first line of the seed briefing as the government site served it: spam injected into the public page.
SPAM = "万博体育3.0手机版"


@pytest.fixture(autouse=True)
def _fresh_rate_limit():  # type: ignore[no-untyped-def]
    cache.clear()
    yield
    cache.clear()


def _published(world):  # type: ignore[no-untyped-def]
    """毛桥村 awarded (its 公示 and award published), 庄营村 under 公示 with an objection, one star warned."""
    award = f.award(world)
    under_way = f.at_state(world, State.PUBLICIZED, village="庄营村")
    Objection.objects.create(assessment=under_way, content="举报内容", contact="13912345678", name="张三")
    with transaction.atomic():
        change_star(world.user("xian"), award, "warn", reason="发生一起安全事故", upload=f.photo("通报.jpg"))
    return award, under_way


def _verify(**kwargs):  # type: ignore[no-untyped-def]
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("public", "verify", stdout=out, stderr=err, **kwargs)
    except SystemExit as exc:
        return exc.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_the_town_board_shows_stars_notices_issuer_and_objection_phone(world, client, settings):
    settings.XINGYAO_OBJECTION_PHONE = "0377-66261234"
    _published(world)
    town = world.unit("溧河铺镇")
    page = client.get(f"/public/{town.code}/").content.decode()
    assert "溧河铺镇2023年度农村“五星”支部公示栏" in page
    assert "毛桥村" in page and "支部过硬星（警示）" in page  # the board, with the published warning
    assert "庄营村2023年度“五星”支部评定结果公示" in page and "提出异议" in page and "异议核查中，暂缓授星" in page
    assert "毛桥村2023年度“五星”支部授星公告" in page and "发生一起安全事故" in page
    assert "中共新野县委组织部" in page and 'href="tel:0377-66261234"' in page
    # The brand link leads to the public board, never to the staff login.
    assert f'href="/public/{world.unit("新野县").code}/"' in page and "/accounts/login" not in page


def test_the_county_board_links_its_towns_and_the_front_lists_the_counties(world, client):
    _published(world)
    county = world.unit("新野县")
    board = client.get(f"/public/{county.code}/").content.decode()
    assert f'href="/public/{world.unit("溧河铺镇").code}/"' in board and "施庵镇" in board
    front = client.get("/public/").content.decode()
    assert f'href="/public/{county.code}/"' in front and "唐河县" in front


def test_no_public_page_carries_personal_data(world, client):
    _published(world)
    for page in public_check.pages():
        html = client.get(page.path).content.decode()
        for private in ("13912345678", "张三", "举报内容", "毛德胜", "maoqiao", "陈静", "李秀英", "xian"):
            assert private not in html, (page.path, private)


def test_unknown_inactive_and_non_public_units_answer_404_alike_and_bad_params_never_500(world, client):
    _published(world)
    Unit.objects.filter(pk=world.unit("施庵镇").pk).update(active=False)
    for path in (
        "/public/411399000000/",
        f"/public/{world.unit('毛桥村').code}/",  # a village has no board of its own
        f"/public/{world.unit('施庵镇').code}/",  # inactive
        f"/public/{world.unit('施庵镇').code}/2023/",
        "/public/" + "9" * 300 + "/",
        "/public/新野县/",
        "/public/411329000000/1999/",
        "/public/411329000000/99999999999999999999/",
        "/public/%3Cscript%3E/2023/",
    ):
        assert client.get(path).status_code == 404, path


def test_the_staff_menu_leads_to_the_public_board(world, login):
    home = login("zhen").get("/go/assessments.publicity/")
    assert home.status_code == 302 and home["Location"] == f"/public/{world.unit('溧河铺镇').code}/"


def test_publishing_freezes_each_notice_with_its_digest_in_the_audit_chain(world, login):
    a = f.at_state(world, State.COUNTY_APPROVED)
    do_transition(world.user("xian"), a, wf.Action.PUBLISH, publicity_start=timezone.localdate(), publicity_days=5)
    do_transition(
        world.user("xian"), a, wf.Action.AWARD, today=timezone.localdate() + dt.timedelta(days=6)
    )  # the window has passed
    notices = list(PublishedNotice.objects.order_by("id"))
    assert [n.kind for n in notices] == [NoticeKind.PUBLICITY, NoticeKind.AWARD]
    for n in notices:
        entry = AuditEntry.objects.get(object_type="assessments.publishednotice", object_id=str(n.pk))
        assert entry.action == "notice.publish" and entry.after["digest"] == n.digest == digest_of(n.content)
        assert entry.chain == "411329"
    assert "5天" in notices[0].content and "支部过硬星" in notices[1].content


def test_a_refused_action_leaves_no_notice(world):
    a = f.at_state(world, State.COUNTY_APPROVED)
    with pytest.raises(Exception):  # noqa: B017 - whichever refusal: nothing may be published
        do_transition(world.user("zhen"), a, wf.Action.PUBLISH, publicity_start=timezone.localdate())
    assert not PublishedNotice.objects.exists()


def test_a_published_notice_cannot_be_changed_or_deleted_through_the_orm_or_the_database(world):
    a = f.at_state(world, State.PUBLICIZED)
    notice = PublishedNotice.objects.get(assessment=a)
    notice.content = "{}"
    with pytest.raises(RuntimeError):
        notice.save()
    with pytest.raises(RuntimeError):
        notice.delete()
    with pytest.raises(RuntimeError):
        PublishedNotice.objects.unscoped("test").update(content="{}")
    with pytest.raises(RuntimeError):
        PublishedNotice.objects.unscoped("test").delete()
    for sql in ("UPDATE assessments_publishednotice SET content = '{}'", "DELETE FROM assessments_publishednotice"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert PublishedNotice.objects.get(pk=notice.pk).digest == digest_of(PublishedNotice.objects.get().content)


def test_verify_passes_on_published_notices_in_process(world):
    _published(world)
    code, out, err = _verify()
    assert code == 0, err
    assert "公开页面核对通过" in out


def _tamper(notice: PublishedNotice, old: str, new: str) -> None:
    with transaction.atomic(), audit.append_only_suspended(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE assessments_publishednotice SET content = %s WHERE id = %s",
            [notice.content.replace(old, new), notice.pk],
        )


def test_verify_fails_naming_the_page_when_a_snapshot_row_is_altered(world, client):
    _published(world)
    notice = PublishedNotice.objects.filter(kind=NoticeKind.AWARD).latest("id")  # the one the board shows
    _tamper(notice, "毛桥村 1 星", "毛桥村 5 星")
    code, _out, err = _verify()
    assert code == 1
    county = world.unit("新野县").code
    assert f"/public/{county}/2023/" in err and "哈希不符" in err and "毛桥村授星公告" in err
    # The board withholds the altered notice instead of showing it.
    page = client.get(f"/public/{county}/2023/").content.decode()
    assert "此公告未通过校验" in page and "毛桥村 5 星" not in page


class _Inject:
    """A compromised layer in front of the site: adds the seed's spam line (or a script) to every public page."""

    extra = f"<p>{SPAM}</p>"

    def __init__(self, get_response):  # type: ignore[no-untyped-def]
        self.get_response = get_response

    def __call__(self, request):  # type: ignore[no-untyped-def]
        response = self.get_response(request)
        if request.path.startswith("/public/") and request.path.endswith("/2023/"):
            response.content = response.content.replace(b"</main>", self.extra.encode() + b"</main>")
        return response


class _InjectScript(_Inject):
    extra = '<script src="https://cdn.example.com/x.js"></script><a href="https://bet.example.com/">点击领取</a>'


@pytest.mark.parametrize(
    ("layer", "said"),
    [(_Inject, SPAM), (_InjectScript, "<script>")],
)
def test_verify_fails_naming_the_page_when_a_served_page_is_altered(world, settings, layer, said):
    _published(world)
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, f"{__name__}.{layer.__name__}"]
    code, _out, err = _verify()
    assert code == 1
    assert f"/public/{world.unit('溧河铺镇').code}/2023/" in err and said in err
    assert "/public/（公示栏首页）" not in err  # the pages left alone pass


def test_verify_names_a_notice_whose_text_was_changed_in_the_page(world, settings):
    _published(world)
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, f"{__name__}._Reword"]
    code, _out, err = _verify()
    assert code == 1 and "文字与发布时不同" in err and "星级榜与已发布" in err


class _Reword(_Inject):
    def __call__(self, request):  # type: ignore[no-untyped-def]
        response = self.get_response(request)
        if request.path.startswith("/public/"):
            response.content = response.content.replace("异议".encode(), "意见".encode()).replace(
                "（警示）".encode(), b""
            )
        return response


class _Site(BaseHTTPRequestHandler):
    pages: dict[str, bytes] = {}

    def do_GET(self) -> None:  # the standard library names it so
        body = self.pages.get(self.path)
        self.send_response(200 if body is not None else 404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(body or b"not found")

    def log_message(self, *args: object) -> None:
        pass


def test_verify_over_http_fetches_the_pages_from_the_site_named(world):
    _published(world)
    visitor = Client()
    served = {p.path: visitor.get(p.path).content for p in public_check.pages()}
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        _Site.pages = served
        code, _out, err = _verify(url=base)
        assert code == 0, err
        town = f"/public/{world.unit('溧河铺镇').code}/"
        _Site.pages = {**served, town: served[town].replace(b"</main>", f"<p>{SPAM}</p></main>".encode())}
        code, _out, err = _verify(url=base)
        assert code == 1 and town in err and SPAM in err
        _Site.pages = {k: v for k, v in served.items() if k != town}
        code, _out, err = _verify(url=base)
        assert code == 1 and town in err and "HTTP 404" in err
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_verify_refuses_a_url_that_is_not_http():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("public", "verify", url="file:///etc/passwd")


def test_the_demo_publishes_its_2023_notices_as_snapshots_and_verify_passes_on_them(db):
    from xingyao.demo.assessments import load_assessments
    from xingyao.demo.stars import load_criteria
    from xingyao.demo.tree import load_tree

    load_tree()
    load_criteria()
    load_assessments()
    notices = PublishedNotice.objects.filter(year=2023)
    assert notices.filter(kind=NoticeKind.AWARD).count() >= 10
    assert notices.filter(kind=NoticeKind.PUBLICITY).count() > notices.filter(kind=NoticeKind.AWARD).count()
    warned = notices.get(kind=NoticeKind.STAR_CHANGE)
    assert "屯头村" in warned.content and "警示" in warned.content
    # 2023's notices carry 2023's calendar: the award day after the notice, not the day the demo was loaded.
    assert {n.published_at.year for n in notices.filter(kind=NoticeKind.AWARD)} == {2024}
    code, out, err = _verify()
    assert code == 0, err
    assert "公开页面核对通过" in out


def test_a_board_reads_a_constant_number_of_queries_however_many_notices(world, client):
    from django.test.utils import CaptureQueriesContext

    county = world.unit("新野县").code
    f.award(world)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/public/{county}/2023/").status_code == 200
        return len(queries)

    one = count()
    _published(world)
    f.award(world, village="施东村")
    assert count() == one <= 9
