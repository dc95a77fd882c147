"""`xingyao public verify`: fetch the live public pages and check each against the published notices and an
allow-list, so that text, a script or a link slipped into a page (the seed's injected gambling line) is caught.

For every public page (the front, each county's and town's board per year, each open notice's objection form):
- each published notice's row must still hash to the digest its audit row holds (and the audit row its own HMAC);
- each notice the page should show must be there, as a `data-notice` block whose text and elements are exactly the
  fragment frozen at publication, and no block may name a notice that is not due on the page;
- the star board (the `data-notice="board"` block) must list exactly the villages and stars the award and star
  notices add up to (boards.board computes them from the notices alone);
- outside the blocks, the visible text may only be the page furniture below (PAGE_TEXT) and the names, years and
  numbers of the published notices; no script, frame, embedded object, image, inline style or event handler;
  every `<a href>` must lead to another public page or to a published phone number, every `<link>` to the site's
  own stylesheets or icon, and a form may only post to its own page.
The expectation comes from Python and the database, never from the templates that render the page.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone

from xingyao.assessments.forms import ObjectionForm
from xingyao.assessments.models import PublishedNotice
from xingyao.assessments.publication import issuer_of
from xingyao.assessments.queries import board as boards
from xingyao.assessments.workflow import StarAction, StarStatus
from xingyao.places.codes import county_code
from xingyao.places.models import Unit

# The page furniture of the public templates (assessments/templates/assessments/public*): the only text a page may
# carry besides what was published. A template that says something new adds it here, in the same commit.
PAGE_TEXT = (
    "“五星”支部公示栏",
    "农村“五星”支部创建公示栏",
    "各县评定结果公示、授星公告和星级动态管理公告",
    "尚未发布公告",
    "农村“五星”支部公示栏",
    "发布单位",
    "异议电话",
    "年度",
    "乡镇",
    "星级榜",
    "本年度尚未授星",
    "正在公示",
    "公示期间对评定结果有异议的，可点击“提出异议”，或拨打异议电话",
    "异议人的联系方式仅用于核实和反馈，不予公开",
    "目前没有正在公示的评定",
    "授星公告",
    "动态管理公告",
    "警示、暂停、摘星和恢复",
    "暂无警示、暂停、摘星或恢复",
    "此公告未通过校验，暂停显示，请以发布单位张贴的纸质公告为准",
    "异议核查中，暂缓授星",
    "提出异议",
    "不在异议受理期",
    "公示栏",
    "评定结果提出异议",
    "的评定结果提出异议",
    "提交异议",
    "该村不在公示期内，不能提出异议",
    *(str(f.label) for f in ObjectionForm().fields.values()),
    *(s.label for s in StarStatus),
    *(a.label for a in StarAction),
    "星",
    "对",
)
# Characters that carry no words of their own: spaces, punctuation, the star glyph.
NEUTRAL = set(" \t\r\n\u3000\u00a0：:，,。.、；;（）()“”\"'‘’《》·›»—–-★☆/|!！?？")
FORBIDDEN_TAGS = frozenset(
    {
        "script",
        "iframe",
        "frame",
        "frameset",
        "object",
        "embed",
        "applet",
        "base",
        "img",
        "video",
        "audio",
        "source",
        "svg",
        "math",
        "template",
        "style",
        "noscript",
        "portal",
    }
)
VOID = frozenset({"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})


@dataclass
class Element:
    tag: str
    attrs: tuple[tuple[str, str], ...]


@dataclass
class Parsed:
    """A page read the way a browser shows it: text runs and elements, each inside a notice block or not."""

    texts: list[str] = field(default_factory=list)
    elements: list[Element] = field(default_factory=list)
    blocks: dict[str, Parsed] = field(default_factory=dict)
    repeated: list[str] = field(default_factory=list)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Parsed()
        self.block: Parsed | None = None
        self.depth = 0

    def _into(self) -> Parsed:
        return self.block if self.block is not None else self.page

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        pairs = tuple(sorted((k, v or "") for k, v in attrs))
        if self.block is not None:
            self.block.elements.append(Element(tag, pairs))
            if tag not in VOID:
                self.depth += 1
            return
        self.page.elements.append(Element(tag, pairs))
        notice = dict(pairs).get("data-notice")
        if notice is not None and tag not in VOID:
            if notice in self.page.blocks:
                self.page.repeated.append(notice)
            self.block = self.page.blocks.setdefault(notice, Parsed())
            self.depth = 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        pairs = tuple(sorted((k, v or "") for k, v in attrs))
        self._into().elements.append(Element(tag, pairs))

    def handle_endtag(self, tag: str) -> None:
        if self.block is not None and tag not in VOID:
            self.depth -= 1
            if self.depth <= 0:
                self.block = None

    def handle_data(self, data: str) -> None:
        text = " ".join(data.split())
        if text:
            self._into().texts.append(text)


def parse(html: str) -> Parsed:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.page


def fragment(html: str) -> Parsed:
    """A notice's frozen fragment, read as the inside of its block."""
    reader = _Reader()
    reader.block = Parsed()
    reader.depth = 1 << 20
    reader.feed(html)
    reader.close()
    return reader.block


@dataclass
class Page:
    path: str
    title: str
    unit: Unit | None = None
    year: int | None = None
    form: bool = False  # an objection page: one form posting to itself


@dataclass
class Finding:
    path: str
    problem: str

    def __str__(self) -> str:
        return f"{self.path}：{self.problem}"


def pages(today: dt.date | None = None) -> list[Page]:
    """Every public page: the front; each active county's and town's board, alone and per year; each open
    notice's objection form."""
    today = today or timezone.localdate()
    found = [Page(reverse("public:index"), "公示栏首页")]
    for county in boards.public_counties():
        for unit in [county, *boards.public_towns(county)]:
            found.append(Page(reverse("public:board", args=[unit.code]), f"{unit.name}公示栏", unit))
            for year in boards.notice_years(unit):
                found.append(
                    Page(reverse("public:notice", args=[unit.code, year]), f"{unit.name}{year}年度公示栏", unit, year)
                )
        for year in boards.notice_years(county):
            for shown in boards.board(county, year, today).under_way:
                path = reverse("public:objection", args=[county.code, year, shown.notice.assessment_id])
                found.append(Page(path, f"{shown.data.get('village', '')}异议页", county, year, form=True))
    return found


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        yield str(value)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _strings(v)
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)


class Allowed:
    """What the text, links and stylesheets outside the notice blocks may be."""

    def __init__(self, words: Iterable[str], hrefs: Iterable[str], phones: Iterable[str]) -> None:
        numbers = {w for w in words if w.isdigit()} | {str(n) for n in range(6)}
        others = sorted({w for w in words if w and not w.isdigit()} | set(PAGE_TEXT), key=len, reverse=True)
        parts = [re.escape(w) for w in others] + [rf"(?<!\d){n}(?!\d)" for n in sorted(numbers, key=len, reverse=True)]
        self.pattern = re.compile("|".join(parts))
        self.hrefs = set(hrefs) | {f"tel:{p}" for p in phones if p}
        self.links = {static("xingyao/favicon.svg"), static("xingyao/app.css"), static("assessments/public.css")}
        self.links.add(static("xingyao/print.css"))

    def residue(self, text: str) -> str:
        rest = self.pattern.sub("", text)
        return "".join(ch for ch in rest if ch not in NEUTRAL)


def _expected(page: Page, today: dt.date) -> tuple[dict[str, boards.Shown], list[str]]:
    """The notices a page must show (by block id) and the words of everything published in its scope."""
    if page.unit is None:
        words = [u.name for u in boards.public_counties()]
        words += [t.name for c in boards.public_counties() for t in boards.public_towns(c)]
        return {}, words
    shown = boards.board(page.unit, page.year, today)
    county = shown.county
    words = [page.unit.name, county.name, issuer_of(county), settings.XINGYAO_OBJECTION_PHONE]
    words += [t.name for t in boards.public_towns(county)] + [str(y) for y in shown.years]
    due: dict[str, boards.Shown] = {}
    notices = shown.notices
    if page.form:
        notices = [s for s in shown.under_way if page.path.rstrip("/").endswith(f"/{s.notice.assessment_id}")]
    for s in notices:
        words += list(_strings(s.data))
        if not page.form:
            due[str(s.pk)] = s
    return due, words


def board_texts(rows: list[boards.BoardRow]) -> list[str]:
    """The star board's text as the published notices add it up: village, town, year, count, the stars held."""
    texts: list[str] = []
    for r in rows:
        names = "、".join(name if label == StarStatus.ACTIVE.label else f"{name}（{label}）" for name, label in r.stars)
        texts += [r.village, r.town, f"{r.year}年度", f"{r.count}星", names or "—"]
    return texts


def _hrefs(all_pages: list[Page]) -> set[str]:
    return {p.path for p in all_pages}


def check_page(page: Page, html: str, all_pages: list[Page], today: dt.date, base: str = "") -> list[Finding]:
    """Everything on one served page that was not published."""
    findings: list[Finding] = []

    def say(problem: str) -> None:
        findings.append(Finding(f"{page.path}（{page.title}）", problem))

    due, words = _expected(page, today)
    phones = [settings.XINGYAO_OBJECTION_PHONE, *(s.data.get("phone", "") for s in due.values())]
    allowed = Allowed(words, _hrefs(all_pages), phones)
    read = parse(html)
    for pk, s in due.items():
        if s.problem:
            say(f"公告「{s.data.get('village', '')}{s.notice.get_kind_display()}」（第 {pk} 号）{s.problem}")
            continue
        block = read.blocks.get(pk)
        if block is None:
            say(f"缺少已发布的公告「{s.data.get('village', '')}{s.notice.get_kind_display()}」（第 {pk} 号）")
            continue
        frozen = fragment(s.html)
        if block.texts != frozen.texts:
            extra = [t for t in block.texts if t not in frozen.texts] or block.texts[len(frozen.texts) :]
            missing = [t for t in frozen.texts if t not in block.texts]
            detail = f"多出「{'」「'.join(extra)[:200]}」" if extra else f"缺少「{'」「'.join(missing)[:200]}」"
            say(f"公告第 {pk} 号的文字与发布时不同：{detail}")
        if block.elements != frozen.elements:
            say(f"公告第 {pk} 号的标记与发布时不同（多出或改动了元素、链接或属性）")
    if page.unit is not None and not page.form:
        rows = boards.board(page.unit, page.year, today).rows
        board = read.blocks.get("board")
        if rows and board is None:
            say("缺少星级榜")
        elif board is not None and board.texts != board_texts(rows):
            wrong = [t for t in board.texts if t not in board_texts(rows)]
            say("星级榜与已发布的授星和动态管理公告不符" + (f"：「{'」「'.join(wrong)[:200]}」" if wrong else ""))
    for pk in read.blocks:
        if pk == "board" and page.unit is not None and not page.form:
            continue
        if pk not in due:
            say(f"页面上有不该出现在此页的公告块（第 {pk} 号）")
    for pk in read.repeated:
        say(f"公告第 {pk} 号重复出现")
    for text in read.texts:
        rest = allowed.residue(text)
        if rest:
            say(f"页面上有未发布的文字：「{text[:120]}」")
    forms = 0
    for el in read.elements:
        attrs = dict(el.attrs)
        if el.tag in FORBIDDEN_TAGS:
            src = attrs.get("src") or attrs.get("data") or ""
            say(f"页面上有不允许的 <{el.tag}> 元素" + (f"（{src[:120]}）" if src else ""))
        for name, value in el.attrs:
            if name.startswith("on") or name in {"style", "srcdoc", "formaction"}:
                say(f"<{el.tag}> 元素带有不允许的属性 {name}")
            elif "javascript:" in value.lower().replace(" ", ""):
                say(f"<{el.tag}> 元素的 {name} 指向脚本")
        if el.tag == "meta" and attrs.get("http-equiv", "").lower() == "refresh":
            say("页面上有自动跳转（meta refresh）")
        if el.tag == "a" and "href" in attrs:
            href = _local(attrs["href"], base)
            if href not in allowed.hrefs:
                say(f"页面上有未发布的链接：{attrs['href'][:160]}")
        if el.tag == "link" and _local(attrs.get("href", ""), base) not in allowed.links:
            say(f"页面引用了不在允许清单中的资源：{attrs.get('href', '')[:160]}")
        if el.tag == "form":
            forms += 1
            action = _local(attrs.get("action", ""), base)
            if not page.form or action not in ("", page.path):
                say(f"页面上有不允许的表单（提交到「{attrs.get('action', '')[:160]}」）")
    if page.form and forms > 1:
        say("异议页上有多于一个表单")
    return findings


def _local(href: str, base: str) -> str:
    href = href.strip()
    if base and href.startswith(base.rstrip("/") + "/"):
        return href[len(base.rstrip("/")) :]
    return href


def integrity() -> list[Finding]:
    """Every published notice's row against its digest and its audit row, whether or not a page shows it now."""
    notices = list(
        PublishedNotice.objects.unscoped("verifying covers every published notice")
        .select_related("village")
        .order_by("id")
    )
    findings = []
    for pk, problem in boards.problems(notices).items():
        n = next(x for x in notices if x.pk == pk)
        county = _county_code(n)
        path = reverse("public:notice", args=[county, n.year]) if county else reverse("public:index")
        findings.append(Finding(path, f"公告「{n.village.name}{n.get_kind_display()}」（第 {pk} 号）{problem}"))
    return findings


def _county_code(n: PublishedNotice) -> str:
    try:
        return str(json.loads(n.content)["data"]["county_code"])
    except (ValueError, KeyError, TypeError):
        return county_code(n.village.code)


Fetch = Callable[[str], tuple[int, str]]


def http_fetch(base: str, timeout: float = 10.0) -> Fetch:
    """Fetch pages from a running site (no proxy: the site is the one named)."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def fetch(path: str) -> tuple[int, str]:
        url = base.rstrip("/") + path
        try:
            with opener.open(url, timeout=timeout) as response:
                return response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            return exc.code, ""

    return fetch


def local_fetch() -> Fetch:
    """Render pages in this process, through the whole middleware stack, as an anonymous visitor."""
    from django.test import Client

    hosts = [h for h in settings.ALLOWED_HOSTS if h and "*" not in h and not h.startswith(".")]
    client = Client(HTTP_HOST=hosts[0] if hosts else "testserver")

    def fetch(path: str) -> tuple[int, str]:
        response = client.get(path, secure=bool(settings.SECURE_SSL_REDIRECT))
        return response.status_code, response.content.decode("utf-8", "replace")

    return fetch


@dataclass
class Report:
    checked: list[Page]
    findings: list[Finding]

    @property
    def ok(self) -> bool:
        return not self.findings


def verify(fetch: Fetch, base: str = "", today: dt.date | None = None) -> Report:
    """Check every public page as served by `fetch` against the published notices."""
    today = today or timezone.localdate()
    all_pages = pages(today)
    findings = integrity()
    for page in all_pages:
        status, html = fetch(page.path)
        if status != 200:
            findings.append(Finding(f"{page.path}（{page.title}）", f"打不开（HTTP {status}）"))
            continue
        findings += check_page(page, html, all_pages, today, base)
    return Report(all_pages, findings)
