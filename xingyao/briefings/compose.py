"""Gathering a briefing's figures and named examples from the records, as the user who asks may read them.

Figures come from the metrics registry (`metrics.read_as(user)`) where a metric exists; named examples and the
figures no metric gives (the disputes settled, the grids, a specialty industry's own area) come from each app's
records through `restrict(user)` and `.within(unit)`. Nothing is read unscoped.

The result is plain JSON (the snapshot a `Briefing` keeps): sections in the seed's order, each a list of
paragraphs whose parts are text or a reference to a fact; a fact carries its value, the words it is written
with, the link to its records and the ids of those records."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.urls import reverse

from xingyao.briefings.models import PeriodKind
from xingyao.briefings.numbers import about, exact, joined, months
from xingyao.core import metrics
from xingyao.core.metrics import Period, Reader
from xingyao.disputes.figures import SUCCESS
from xingyao.disputes.models import Dispute
from xingyao.disputes.queries import facts as dispute_facts
from xingyao.economy.models import BuyerContract, Industry, IndustryArea, Project
from xingyao.economy.workflow import INTRODUCED, Stage
from xingyao.ledgers.models import Designation, Item
from xingyao.ledgers.workflow import State as ItemState
from xingyao.livability.models import Activity, Centre, Work
from xingyao.livability.vocabulary import ActivityKind, WorkKind
from xingyao.places.codes import Kind
from xingyao.places.models import Unit

MAX_IDS = 2000  # record ids kept per fact; a larger set keeps its count and the first ids
NO_DATA = "本期间暂无相关记录。"
SECTIONS = [
    ("branch", "聚力塑队伍，创“支部过硬星”"),
    ("industry", "聚力强产业，创“产业兴旺星”"),
    ("ecology", "聚力美环境，创“生态宜居星”"),
    ("safety", "聚力保平安，创“平安法治星”"),
    ("civility", "聚力优服务，创“文明幸福星”"),
]
CHINESE_DIGITS = "零一二三四五六七八九十"


@dataclass(frozen=True, order=True)
class UpTo(Period):
    """A year counted from 1 January up to a day (“截止目前”): a year period whose last day is `until`."""

    until: dt.date = dt.date(2000, 1, 1)

    def _next_first_day(self) -> dt.date:
        return self.until + dt.timedelta(days=1)


@dataclass(frozen=True)
class Span:
    """The period a briefing covers."""

    kind: PeriodKind
    year: int
    quarter: int | None = None
    until: dt.date | None = None

    @property
    def period(self) -> Period:
        if self.kind is PeriodKind.QUARTER:
            return Period.of_quarter(self.year, self.quarter or 1)
        if self.kind is PeriodKind.UP_TO:
            assert self.until is not None
            return UpTo(metrics.PeriodKind.YEAR, self.year, 1, self.until)
        return Period.of_year(self.year)

    @property
    def first_day(self) -> dt.date:
        return self.period.first_day

    @property
    def last_day(self) -> dt.date:
        return self.period.last_day

    @property
    def since_words(self) -> str:
        return {PeriodKind.QUARTER: "本季度", PeriodKind.YEAR: "今年以来", PeriodKind.UP_TO: "今年以来"}[self.kind]

    @property
    def label(self) -> str:
        if self.kind is PeriodKind.QUARTER:
            return f"{self.year}年第{self.quarter}季度"
        if self.kind is PeriodKind.UP_TO:
            assert self.until is not None
            return f"截至{self.year}年{self.until.month}月{self.until.day}日"
        return f"{self.year}年"


def _value_text(value: Any) -> str:
    """A fact's value as text, the same on SQLite and PostgreSQL (8120, never 8120.00 or 8.12E+3)."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


class Builder:
    """One section's facts and paragraphs."""

    def __init__(self, key: str, heading: str) -> None:
        self.key, self.heading = key, heading
        self.facts: dict[str, dict[str, Any]] = {}
        self.paragraphs: list[list[Any]] = []
        self.rows: list[dict[str, Any]] = []

    def fact(
        self, key: str, label: str, value: Any, text: str, url: str | None = None, ids: Iterable[int] = ()
    ) -> dict[str, str]:
        """Register a fact and return the part that refers to it."""
        found = sorted(set(ids))
        self.facts[key] = {
            "label": label,
            "value": _value_text(value),
            "text": text,
            "url": url or "",
            "ids": found[:MAX_IDS],
            "count": len(found),
        }
        return {"f": key}

    def say(self, *parts: Any) -> None:
        cleaned = [p for p in parts if p not in ("", None)]
        if cleaned:
            self.paragraphs.append(cleaned)

    def done(self) -> dict[str, Any]:
        empty = not self.facts
        return {
            "key": self.key,
            "heading": self.heading,
            "paragraphs": [[NO_DATA]] if empty else self.paragraphs,
            "facts": self.facts,
            "rows": self.rows,
            "empty": empty,
        }


class Gatherer:
    """Reads one unit's records for one span as one user."""

    def __init__(self, user: Any, unit: Unit, span: Span) -> None:
        self.user, self.unit, self.span = user, unit, span
        self.period = span.period
        self.read: Reader = metrics.read_as(user)
        self.first, self.last = span.first_day, span.last_day

    # --- helpers ---------------------------------------------------------------------------------------------

    def metric_values(self, keys: Sequence[str]) -> dict[str, Any]:
        found = self.read.values(keys, [self.unit], self.period)
        return {key: found.get((self.unit.pk, key)) for key in keys}

    def url(self, key: str) -> str:
        metric = metrics.get(key)
        return (metric.url_for(self.unit, self.period) if metric else None) or ""

    def mine(self, model: Any) -> Any:
        return model.objects.restrict(self.user).within(self.unit)

    # --- sections ----------------------------------------------------------------------------------------------

    def branch(self) -> dict[str, Any]:
        b = Builder(*SECTIONS[0])
        designations = list(
            self.mine(Designation)
            .filter(year=self.span.year, decided_on__lte=self.last)
            .select_related("village")
            .order_by("decided_on", "pk")
        )
        for n, d in enumerate(designations):
            closed = d.closed_on is not None and d.closed_on <= self.last
            end = d.closed_on if closed and d.closed_on else self.last
            village_url = reverse("ledgers:designation", args=[d.pk])
            parts: list[Any] = [
                "针对今年的软弱涣散村" if n == 0 else "软弱涣散村",
                b.fact(f"weak.{d.pk}.village", "软弱涣散村", d.village.name, d.village.name, village_url, [d.pk]),
                "，",
            ]
            if closed:
                taken = months(d.decided_on, end)
                parts += ["用时", b.fact(f"weak.{d.pk}.months", "整顿用时", taken, f"{taken}个月", village_url)]
            built = self._built_in(b, d, end)
            parts += built or ["对照问题清单逐项整改"]
            items = list(Item.objects.restrict(self.user).filter(designation=d).values_list("pk", "state", "closed_on"))
            done = [pk for pk, state, on in items if state == ItemState.CLOSED and on and on <= self.last]
            items_url = f"{reverse('ledgers:list')}?village={d.village_id}"
            if items and len(done) == len(items) and closed:
                parts += [
                    "，整改事项",
                    b.fact(f"weak.{d.pk}.items", "整改事项销号", len(done), f"{len(done)}项", items_url, done),
                    "全部验收销号，高标准完成整顿任务。",
                ]
            elif items:
                parts += [
                    "，整改事项已销号",
                    b.fact(f"weak.{d.pk}.items", "整改事项销号", len(done), f"{len(done)}项", items_url, done),
                    f"（共{len(items)}项），整顿正在推进。",
                ]
            else:
                parts.append("。")
            b.say(*parts)
        values = self.metric_values(["partylife.three_meetings_count", "inspections.average_score"])
        meetings = values["partylife.three_meetings_count"]
        if meetings:
            b.say(
                "严格落实“三会一课”制度，",
                f"{self.span.since_words}共开展“三会一课”",
                b.fact(
                    "partylife.three_meetings",
                    "“三会一课”次数",
                    meetings,
                    f"{exact(meetings)}次",
                    self.url("partylife.three_meetings_count"),
                ),
                "。",
            )
        return b.done()

    def _built_in(self, b: Builder, d: Designation, end: dt.date) -> list[Any]:
        """What the weak village built between its designation and `end`: its service centre, plazas, roads."""
        parts: list[Any] = []
        made: list[list[Any]] = []
        centre = Centre.objects.restrict(self.user).filter(village_id=d.village_id).first()
        if centre is not None:
            when = centre.rebuilt_on or centre.upgraded_on or centre.built_on
            if when and d.decided_on <= when <= end:
                url = reverse("livability:centre", args=[centre.pk])
                made.append(
                    [
                        b.fact(
                            f"weak.{d.pk}.centre",
                            "党群服务中心面积",
                            centre.area,
                            f"{exact(centre.area)}平方米",
                            url,
                            [centre.pk],
                        ),
                        "的党群服务中心",
                    ]
                )
        works = (
            Work.objects.restrict(self.user)
            .filter(village_id=d.village_id, finished_on__range=(d.decided_on, end))
            .filter(kind__in=[WorkKind.PLAZA, WorkKind.ROAD_REPAIR, WorkKind.ROAD_WIDEN])
            .order_by("kind", "finished_on", "pk")
        )
        roads: list[list[Any]] = []
        for work in sorted(works, key=lambda w: w.kind != WorkKind.PLAZA):
            url = reverse("livability:work", args=[work.pk])
            place = work.place.removeprefix(d.village.name)
            if work.kind == WorkKind.PLAZA:
                area = re.search(r"(\d+(?:\.\d+)?)\s*平方米", work.place)
                name = re.sub(r"[（(].*?[)）]", "", place) or "文化广场"
                if area:
                    made.append(
                        [
                            b.fact(
                                f"weak.{d.pk}.plaza.{work.pk}",
                                "文化广场面积",
                                area.group(1),
                                f"{area.group(1)}平方米",
                                url,
                                [work.pk],
                            ),
                            f"的{name}",
                        ]
                    )
                else:
                    made.append([name])
            else:
                roads.append(
                    [
                        b.fact(
                            f"weak.{d.pk}.road.{work.pk}",
                            "道路长度",
                            work.quantity,
                            f"{exact(work.quantity)}米",
                            url,
                            [work.pk],
                        ),
                        place,
                    ]
                )
        if made:
            parts.append("建成了")
            for i, item in enumerate(made):
                parts += (["和"] if i == len(made) - 1 and i else ["、"] if i else []) + item
        if roads:
            parts.append("，修建" if made else "修建")
            for i, item in enumerate(roads):
                parts += (["、"] if i else []) + item
        return parts

    def industry(self) -> dict[str, Any]:
        b = Builder(*SECTIONS[1])
        keys = [
            "economy.projects_introduced",
            "economy.projects_negotiating",
            "economy.enterprise_requests_count",
            "economy.enterprise_requests_solved_rate",
        ]
        values = self.metric_values(keys)
        projects = self.mine(Project).filter(registered_on__lte=self.last)
        introduced = list(
            projects.filter(stage__in=list(INTRODUCED), signed_on__range=(self.first, self.last))
            .order_by("signed_on", "pk")
            .values_list("pk", "name")
        )
        talking = list(projects.filter(stage=Stage.NEGOTIATING).order_by("pk").values_list("pk", "name"))
        if introduced:
            count = values["economy.projects_introduced"] or len(introduced)
            b.say(
                "始终狠抓招商引资和项目建设，先后引进",
                b.fact(
                    "projects.introduced.names",
                    "引进项目",
                    joined([n for _, n in introduced]),
                    joined([n for _, n in introduced]),
                    self.url("economy.projects_introduced"),
                    [pk for pk, _ in introduced],
                ),
                "等",
                b.fact(
                    "economy.projects_introduced",
                    "引进落地项目数",
                    count,
                    f"{exact(count)}个",
                    self.url("economy.projects_introduced"),
                    [pk for pk, _ in introduced],
                ),
                "项目" + ("，另外" if talking else "。"),
            )
        if talking:
            b.say(
                "" if introduced else "招商引资方面，",
                b.fact(
                    "projects.negotiating.names",
                    "洽谈中项目",
                    joined([n for _, n in talking]),
                    joined([n for _, n in talking]),
                    self.url("economy.projects_negotiating"),
                    [pk for pk, _ in talking],
                ),
                "现已进入实质性谈判阶段。",
            )
            if introduced:  # one paragraph, as the seed writes it
                last = b.paragraphs.pop()
                b.paragraphs[-1] += last
        asked = values["economy.enterprise_requests_count"]
        if asked:
            rate = values["economy.enterprise_requests_solved_rate"]
            b.say(
                "深入开展“万人助万企”活动，收集企业诉求",
                b.fact(
                    "economy.enterprise_requests",
                    "企业诉求件数",
                    asked,
                    f"{exact(asked)}件",
                    self.url("economy.enterprise_requests_count"),
                ),
                *(
                    [
                        "，办结率",
                        b.fact(
                            "economy.enterprise_requests_solved_rate",
                            "企业诉求办结率",
                            rate,
                            f"{exact(rate)}%",
                            self.url("economy.enterprise_requests_solved_rate"),
                        ),
                    ]
                    if rate is not None
                    else []
                ),
                "，倾力为企业纾困解难。",
            )
        self._specialties(b)
        return b.done()

    def _specialties(self, b: Builder) -> None:
        areas = list(
            self.mine(IndustryArea)
            .filter(year=self.span.year, area_mu__gt=0)
            .values("industry_id")
            .annotate(area=Sum("area_mu"), jobs=Sum("jobs"), villages=Count("village", distinct=True))
            .order_by("-area", "industry_id")
        )
        area_ids = dict((r["industry_id"], r["ids"]) for r in self._area_ids([r["industry_id"] for r in areas]))
        industries = {
            i.pk: i for i in Industry.objects.restrict(self.user).filter(pk__in=[r["industry_id"] for r in areas])
        }
        listed = [(r, industries[r["industry_id"]]) for r in areas if r["industry_id"] in industries]
        url = f"{reverse('economy:areas')}?unit={self.unit.code}&year={self.span.year}"
        contracts = list(
            self.mine(BuyerContract)
            .filter(year=self.span.year)
            .select_related("cooperative")
            .order_by("cooperative__name", "pk")
        )
        if listed:
            names = [industry.name for _, industry in listed]
            ids = [pk for r, _ in listed for pk in area_ids.get(r["industry_id"], [])]
            b.say(
                "围绕“一村一品”产业发展方向，坚持党建引领、因村制宜，",
                b.fact("industries.names", "特色产业", joined(names), joined(names), url, ids),
                "等特色产业蓬勃向上。",
            )
        if contracts:
            coops = list(dict.fromkeys(self._short_coop(c.cooperative.name) for c in contracts))
            products = list(dict.fromkeys(c.product for c in contracts))
            buyers = list(dict.fromkeys(c.buyer for c in contracts))
            coop_url = f"{reverse('economy:cooperatives')}?unit={self.unit.code}"
            ids = [c.pk for c in contracts]
            b.say(
                "在传统产业发展上，依托",
                b.fact("cooperatives.names", "专业合作社", joined(coops), joined(coops), coop_url, ids),
                f"等专业合作社大力推广{joined(products)}种植，并与",
                b.fact("cooperatives.buyers", "收购方", joined(buyers), joined(buyers), coop_url, ids),
                "建立稳定合作关系。",
            )
        if listed:
            row, lead = listed[0]
            ids = area_ids.get(row["industry_id"], [])
            lead_url = reverse("economy:industry", args=[lead.pk])
            parts: list[Any] = [
                "在特色产业发展上，把",
                b.fact("lead.name", "主导特色产业", lead.name, lead.name, lead_url, [lead.pk]),
                "产业作为经济发展的切入点",
            ]
            if lead.party_branch:
                parts += ["，成立", lead.party_branch]
            if lead.binding_model:
                parts += [f"，采取“{lead.binding_model}”发展模式"]
            if lead.markets:
                parts += [
                    "，与",
                    b.fact("lead.markets", "销售市场", lead.markets, lead.markets, lead_url, [lead.pk]),
                    "建立稳定供销关系",
                ]
            if lead.brand:
                parts += [f"，“{lead.brand}”牌{lead.product}远近闻名"]
            parts += [
                "，辐射带动",
                b.fact("lead.villages", "覆盖行政村", row["villages"], f"{row['villages']}个", url, ids),
                "行政村",
            ]
            if row["jobs"]:
                parts += [b.fact("lead.jobs", "带动就业", row["jobs"], f"{about(row['jobs'])}人", url, ids), "就业"]
            parts += [
                "，种植面积达",
                b.fact("lead.area", "种植面积", row["area"], f"{about(row['area'])}亩", url, ids),
                "，成为引领农业增效、农民增收的“新引擎”。",
            ]
            b.say(*parts)

    def _area_ids(self, industry_ids: list[int]) -> list[dict[str, Any]]:
        rows = (
            self.mine(IndustryArea)
            .filter(year=self.span.year, area_mu__gt=0, industry_id__in=industry_ids)
            .values_list("industry_id", "pk")
        )
        found: dict[int, list[int]] = {}
        for industry_id, pk in rows:
            found.setdefault(industry_id, []).append(pk)
        return [{"industry_id": k, "ids": v} for k, v in found.items()]

    def _short_coop(self, name: str) -> str:
        county = self.unit.name if self.unit.kind == Kind.COUNTY else ""
        for prefix in (county, "新野县") if county else ("新野县",):
            name = name.removeprefix(prefix)
        for suffix in ("种植专业合作社", "专业合作社", "合作社"):
            if name.endswith(suffix) and len(name) > len(suffix):
                return name.removesuffix(suffix)
        return name

    WORKS = [
        ("livability.road_repaired_metres", WorkKind.ROAD_REPAIR, "整修入村道路", "米", True),
        ("livability.road_widened_metres", WorkKind.ROAD_WIDEN, "道路加宽铺设彩砖", "米", True),
        ("livability.drain_metres", WorkKind.DRAIN, "修建下水管网", "米", True),
        ("livability.flower_beds_count", WorkKind.FLOWER_BED, "花池", "座", False),
        ("livability.plazas_count", WorkKind.PLAZA, "修建广场", "座", False),
        ("livability.wall_painting_area", WorkKind.WALL_PAINTING, "墙体绘画", "平", True),
    ]

    def ecology(self) -> dict[str, Any]:
        b = Builder(*SECTIONS[2])
        values = self.metric_values([key for key, *_ in self.WORKS])
        ids: dict[str, list[int]] = {}
        done = self.mine(Work).filter(finished_on__range=(self.first, self.last))
        for pk, kind in done.values_list("pk", "kind"):
            ids.setdefault(kind, []).append(pk)
        parts: list[Any] = []
        for key, kind, words, unit, rounded in self.WORKS:
            value = values[key]
            if not value:
                continue
            text = (about(value) if rounded else exact(value)) + unit
            parts += ["，" if parts else "", words, b.fact(key, words, value, text, self.url(key), ids.get(kind, []))]
        if parts:
            b.say(
                "坚持把农村人居环境整治作为“五星”支部创建的重要载体和抓手，",
                f"{self.span.since_words}，已累计",
                *parts,
                "，村庄旧貌焕然一新。",
            )
        return b.done()

    def safety(self) -> dict[str, Any]:
        b = Builder(*SECTIONS[3])
        cases = self.mine(Dispute).filter(received_on__range=(self.first, self.last))
        found = dispute_facts(cases.order_by())
        settled = [
            pk
            for pk, outcome in cases.filter(outcome__in=[str(o) for o in SUCCESS]).values_list("pk", "outcome")
            if outcome
        ]
        values = self.metric_values(
            ["disputes.pre_litigation_count", "disputes.received_count", "grid.events_closed_on_time_rate"]
        )
        url = self.url("disputes.received_count")
        if found:
            mediated = len(settled)
            pre = values["disputes.pre_litigation_count"] or 0
            pre_ids = list(cases.filter(outcome="pre_litigation").values_list("pk", flat=True))
            b.say(
                "建立“警司访+”联动联调机制，开展联合化解，完善矛盾化解机制。截止目前，共调处各类矛盾纠纷",
                b.fact("disputes.mediated", "调处成功矛盾纠纷", mediated, f"{mediated}起", url, settled),
                *(
                    [
                        "，诉前调解成功",
                        b.fact(
                            "disputes.pre_litigation_count",
                            "诉前调解成功",
                            pre,
                            f"{pre}起",
                            url + "&outcome=pre_litigation",
                            pre_ids,
                        ),
                    ]
                    if pre
                    else []
                ),
                "，为“平安法治星”创建奠定良好的社会稳定基础。",
            )
        grids = list(
            Unit.objects.restrict(self.user).within(self.unit).filter(kind=Kind.GRID).values_list("pk", flat=True)
        )
        if grids:
            rate = values["grid.events_closed_on_time_rate"]
            b.say(
                "强化党建引领全科网格化管理，构建“微网格”体系，划分网格",
                b.fact(
                    "grid.grids",
                    "网格数",
                    len(grids),
                    f"{len(grids)}个",
                    reverse("places:unit", args=[self.unit.code]),
                    grids,
                ),
                "，形成全域覆盖、统一指挥的微网格格局",
                *(
                    [
                        "，网格事件按期办结率",
                        b.fact(
                            "grid.events_closed_on_time_rate",
                            "网格事件按期办结率",
                            rate,
                            f"{exact(rate)}%",
                            self.url("grid.events_closed_on_time_rate"),
                        ),
                    ]
                    if rate is not None
                    else []
                ),
                "。",
            )
        return b.done()

    def civility(self) -> dict[str, Any]:
        b = Builder(*SECTIONS[4])
        span = (self.first, self.last)
        centres = list(
            self.mine(Centre)
            .filter(Q(rebuilt_on__range=span) | Q(upgraded_on__range=span))
            .select_related("village")
            .order_by("village__code")
        )
        if centres:
            rooms = max(len(c.rooms) for c in centres)
            standard = f"一厅{CHINESE_DIGITS[rooms - 1]}室" if 2 <= rooms <= 11 else "功能室"
            names = [c.village.name for c in centres]
            b.say(
                "在对",
                b.fact(
                    "centres.rebuilt",
                    "重建或提升的党群服务中心",
                    joined(names),
                    joined(names),
                    f"{reverse('livability:centres')}?unit={self.unit.code}",
                    [c.pk for c in centres],
                ),
                f"党群服务中心进行了重建或提升的基础上，规范设置{standard}，配套完善便民设施，"
                "实现群众有事就近办、马上办、一次办。",
            )
        plazas = list(
            self.mine(Work)
            .filter(kind=WorkKind.PLAZA, finished_on__range=span)
            .select_related("village")
            .order_by("village__code", "pk")
        )
        activities = list(self.mine(Activity).filter(held_on__range=span).order_by("held_on", "pk"))
        values = self.metric_values(["livability.all_activities_count", "livability.services_on_time_rate"])
        parts: list[Any] = []
        if plazas:
            villages = list(dict.fromkeys(p.village.name.removesuffix("村") for p in plazas))
            parts += [
                "对",
                b.fact(
                    "plazas.villages",
                    "文化广场配套村",
                    len(villages),
                    f"{joined(villages)}{len(villages)}个村",
                    self.url("livability.plazas_count"),
                    [p.pk for p in plazas],
                ),
                "进行文化广场配套",
            ]
        if activities:
            named: list[str] = []
            for kind in ActivityKind:
                same = [a for a in activities if a.kind == kind]
                if not same:
                    continue
                title = max(same, key=lambda a: a.attendance).title if kind == ActivityKind.SHOW else kind.label
                named.append(title)
            count = values["livability.all_activities_count"] or len(activities)
            parts += [
                "，开展" if parts else "开展",
                b.fact(
                    "activities.names",
                    "活动",
                    joined(named[:4]),
                    joined(named[:4]),
                    self.url("livability.all_activities_count"),
                    [a.pk for a in activities],
                ),
                "等活动",
                b.fact(
                    "livability.all_activities_count",
                    "文化和服务活动次数",
                    count,
                    f"{exact(count)}场",
                    self.url("livability.all_activities_count"),
                    [a.pk for a in activities],
                ),
            ]
        if parts:
            b.say(*parts, "，多种形式丰富群众精神文化生活。")
        rate = values["livability.services_on_time_rate"]
        if rate is not None:
            b.say(
                "便民服务事项按时办结率",
                b.fact(
                    "livability.services_on_time_rate",
                    "便民服务按时办结率",
                    rate,
                    f"{exact(rate)}%",
                    self.url("livability.services_on_time_rate"),
                ),
                "。",
            )
        return b.done()

    def towns(self) -> dict[str, Any]:
        """For a county: one row per town with its main figures, read for all towns at once."""
        b = Builder("towns", "各乡镇情况")
        towns = list(Unit.objects.restrict(self.user).within(self.unit).filter(kind=Kind.TOWN).order_by("code"))
        keys = [
            "economy.projects_introduced",
            "livability.road_metres",
            "disputes.received_count",
            "livability.all_activities_count",
        ]
        found = self.read.values(keys, towns, self.period)
        for town in towns:
            row: dict[str, Any] = {key: found.get((town.pk, key)) for key in keys}
            cells = [
                f"引进项目{exact(row[keys[0]])}个" if row[keys[0]] else "",
                f"整修加宽道路{about(row[keys[1]])}米" if row[keys[1]] else "",
                f"受理矛盾纠纷{exact(row[keys[2]])}起" if row[keys[2]] else "",
                f"开展文化和服务活动{exact(row[keys[3]])}场" if row[keys[3]] else "",
            ]
            said = "，".join(c for c in cells if c)
            b.fact(
                f"town.{town.pk}",
                town.name,
                said or "",
                said or NO_DATA,
                reverse("places:unit", args=[town.code]),
                [town.pk],
            )
            b.rows.append({"name": town.name, "text": (said + "。") if said else NO_DATA, "f": f"town.{town.pk}"})
        return b.done()


DEFAULT_NEXT_STEPS = (
    "下一步，{name}将进一步压实领导责任，做好统筹推进，把“五星”支部创建作为各支部之间横向比速度、纵向比质效的"
    "重要内容，树立一批可学可做、可追可及的先进典型，形成你追我赶、摘“星”创优的良好局面，以高质量党建引领乡村振兴。"
)


def compose(user: Any, unit: Unit, span: Span) -> dict[str, Any]:
    """The briefing's content for `unit` (a town or a county) and `span`, read as `user`."""
    g = Gatherer(user, unit, span)
    sections = [g.branch(), g.industry(), g.ecology(), g.safety(), g.civility()]
    if unit.kind == Kind.COUNTY:
        sections.append(g.towns())
    return {
        "title": f"{unit.name}“五星”支部创建工作情况通报",
        "unit": {"id": unit.pk, "code": unit.code, "name": unit.name, "kind": unit.kind},
        "period": {
            "kind": span.kind.value,
            "year": span.year,
            "quarter": span.quarter,
            "label": span.label,
            "first_day": span.first_day.isoformat(),
            "last_day": span.last_day.isoformat(),
        },
        "opening": (
            f"自“五星”支部创建活动开展以来，{unit.name}坚持锚定创建目标不放松，以党建统领为基，以服务民生为本，"
            "对照“五星”创建任务清单，压实责任、细化措施，持续带动各项工作全面提升、整体过硬。"
        ),
        "sections": sections,
        "empty": all(s["empty"] for s in sections),
    }


def all_facts(content: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every fact of a briefing by key (keys are unique across sections)."""
    return {key: fact for s in content.get("sections", []) for key, fact in s["facts"].items()}


def as_decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except ArithmeticError:
        return None
