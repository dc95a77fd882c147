"""溧河铺镇's 人居环境 and 文明幸福 records for 2022 and 2023, as the 2023-09-19 briefing tells them.

Works finished in 2023 up to the briefing day add up to its figures exactly: 4,500 m of village roads repaired (毛桥村's
1,500 m 环形路 among them), 2,500 m widened with coloured bricks, 8,120 m of drains (8000余米), 73 flower beds, the
three plazas of 毛桥 (1,280 m²), 庄营 and 杨岗, and 1,060 m² of wall paintings (1000余平). More roads were
finished in the last quarter, which the briefing could not count but the year's assessment does. 毛桥村's 430 m²
党群服务中心 (its 2023 rectification, see `demo/ledgers.py`) and 庄营村's were rebuilt or upgraded with 一厅五室;
送戏下乡, the “庆八一·感党恩” 文艺汇演 and free clinics were held.

Fictional villages are varied and not all perfect: where a village earns 生态宜居星 or 文明幸福星 in the assessments
demo its records carry it; elsewhere roads are shorter, a centre lacks a room or two, services run late, fewer
activities were held in 2022; 东湖村 reused 西岭村's clean-up photo (flagged, and not counted). 北坡村's records
show 450 m of road, less than it claims in its assessment (it adds a road shared with 柳林村, with a note).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from PIL import Image

from xingyao.core import audit
from xingyao.core.actors import SYSTEM
from xingyao.demo.assessments import _stars
from xingyao.demo.tree import LIHEPU, LIHEPU_VILLAGES, village_code
from xingyao.livability.models import Activity, Centre, Honour, Photo, ServiceRequest, ToiletCoverage, Work
from xingyao.livability.vocabulary import DEFAULT_ROOMS, UNIT_OF, ActivityKind, Outcome, ServiceMode, WorkKind
from xingyao.places.models import Unit

DEMO = "the demo loader builds the whole demo township"
BRIEFING = dt.date(2023, 9, 19)
# (village, kind, quantity, place, started, finished): the works the briefing counts, all finished by 2023-09-19.
K = WorkKind
SEED_WORKS: list[tuple[str, WorkKind, int, str, str, str]] = [
    ("毛桥村", K.ROAD_REPAIR, 1500, "毛桥村环形路", "2023-03-25", "2023-05-20"),
    ("庄营村", K.ROAD_REPAIR, 600, "庄营村入村道路", "2023-04-06", "2023-05-15"),
    ("杨岗村", K.ROAD_REPAIR, 500, "杨岗村村西道路", "2023-03-10", "2023-04-18"),
    ("孙楼村", K.ROAD_REPAIR, 400, "孙楼村娃娃菜基地道路", "2023-02-20", "2023-03-30"),
    ("周营村", K.ROAD_REPAIR, 350, "周营村西瓜市场道路", "2023-03-01", "2023-04-02"),
    ("冯营村", K.ROAD_REPAIR, 300, "冯营村菊花园道路", "2023-04-10", "2023-05-06"),
    ("屯头村", K.ROAD_REPAIR, 250, "屯头村黄桃园道路", "2023-05-08", "2023-06-01"),
    ("东湖村", K.ROAD_REPAIR, 200, "东湖村东组道路", "2023-06-05", "2023-06-28"),
    ("石桥村", K.ROAD_REPAIR, 150, "石桥村桥头道路", "2023-07-03", "2023-07-20"),
    ("新安村", K.ROAD_REPAIR, 250, "新安村入村道路", "2023-08-01", "2023-08-30"),
    ("庄营村", K.ROAD_WIDEN, 800, "庄营村主街", "2023-05-20", "2023-07-10"),
    ("杨岗村", K.ROAD_WIDEN, 600, "杨岗村主街", "2023-05-02", "2023-06-20"),
    ("孙楼村", K.ROAD_WIDEN, 500, "孙楼村主街", "2023-04-15", "2023-05-30"),
    ("周营村", K.ROAD_WIDEN, 300, "周营村村委会门前道路", "2023-06-01", "2023-06-30"),
    ("冯营村", K.ROAD_WIDEN, 300, "冯营村主街", "2023-07-01", "2023-08-05"),
    ("毛桥村", K.DRAIN, 1500, "毛桥村环形路排水沟", "2023-04-01", "2023-05-20"),
    ("庄营村", K.DRAIN, 1200, "庄营村雨污管网", "2023-03-15", "2023-05-10"),
    ("杨岗村", K.DRAIN, 1000, "杨岗村下水管网", "2023-04-01", "2023-05-25"),
    ("孙楼村", K.DRAIN, 900, "孙楼村下水管网", "2023-03-05", "2023-04-20"),
    ("周营村", K.DRAIN, 700, "周营村排水沟", "2023-05-10", "2023-06-15"),
    ("冯营村", K.DRAIN, 650, "冯营村排水沟", "2023-05-15", "2023-06-20"),
    ("屯头村", K.DRAIN, 600, "屯头村下水管网", "2023-06-01", "2023-07-05"),
    ("东湖村", K.DRAIN, 500, "东湖村排水沟", "2023-06-10", "2023-07-12"),
    ("西岭村", K.DRAIN, 400, "西岭村排水沟", "2023-07-01", "2023-07-30"),
    ("南塘村", K.DRAIN, 350, "南塘村排水沟", "2023-07-10", "2023-08-08"),
    ("柳林村", K.DRAIN, 320, "柳林村排水沟", "2023-08-01", "2023-08-28"),
    ("毛桥村", K.FLOWER_BED, 12, "毛桥村环形路沿线花池", "2023-05-01", "2023-05-25"),
    ("庄营村", K.FLOWER_BED, 10, "庄营村主街花池", "2023-06-01", "2023-06-20"),
    ("杨岗村", K.FLOWER_BED, 8, "杨岗村主街花池", "2023-06-05", "2023-06-25"),
    ("孙楼村", K.FLOWER_BED, 8, "孙楼村主街花池", "2023-05-10", "2023-05-28"),
    ("周营村", K.FLOWER_BED, 6, "周营村花池", "2023-07-01", "2023-07-15"),
    ("冯营村", K.FLOWER_BED, 6, "冯营村花池", "2023-08-06", "2023-08-20"),
    ("屯头村", K.FLOWER_BED, 5, "屯头村花池", "2023-07-08", "2023-07-22"),
    ("东湖村", K.FLOWER_BED, 4, "东湖村花池", "2023-07-15", "2023-07-30"),
    ("石桥村", K.FLOWER_BED, 4, "石桥村花池", "2023-07-21", "2023-08-05"),
    ("新安村", K.FLOWER_BED, 4, "新安村花池", "2023-08-31", "2023-09-12"),
    ("和平村", K.FLOWER_BED, 3, "和平村花池", "2023-08-10", "2023-08-25"),
    ("红星村", K.FLOWER_BED, 3, "红星村花池", "2023-08-15", "2023-09-05"),
    ("毛桥村", K.PLAZA, 1, "毛桥村文化广场（1280平方米）", "2023-03-28", "2023-05-18"),
    ("庄营村", K.PLAZA, 1, "庄营村文化广场", "2023-05-06", "2023-07-28"),
    ("杨岗村", K.PLAZA, 1, "杨岗村文化广场", "2023-06-01", "2023-08-26"),
    ("毛桥村", K.WALL_PAINTING, 220, "毛桥村环形路墙体绘画", "2023-05-21", "2023-06-10"),
    ("庄营村", K.WALL_PAINTING, 180, "庄营村主街墙体绘画", "2023-07-11", "2023-07-31"),
    ("杨岗村", K.WALL_PAINTING, 160, "杨岗村文化墙", "2023-06-21", "2023-07-10"),
    ("孙楼村", K.WALL_PAINTING, 150, "孙楼村乡村振兴文化墙", "2023-06-01", "2023-06-18"),
    ("周营村", K.WALL_PAINTING, 120, "周营村文化墙", "2023-07-16", "2023-08-02"),
    ("冯营村", K.WALL_PAINTING, 100, "冯营村文化墙", "2023-08-21", "2023-09-08"),
    ("屯头村", K.WALL_PAINTING, 80, "屯头村文化墙", "2023-07-23", "2023-08-06"),
    ("新安村", K.WALL_PAINTING, 50, "新安村文化墙", "2023-09-01", "2023-09-15"),
]
COST_PER = {K.ROAD_REPAIR: "0.012", K.ROAD_WIDEN: "0.02", K.DRAIN: "0.008", K.FLOWER_BED: "0.3", K.PLAZA: "45",
            K.WALL_PAINTING: "0.006"}  # fmt: skip  # 万元 per unit
WEAK_ECOLOGY = "北坡村"  # its records fall short of what it claims
REUSER, REUSED_FROM = "东湖村", "西岭村"
ROOMS_MISSING = {1: ("卫生室",), 2: ("图书阅览室", "文体活动室")}
MAOQIAO_CENTRE = ("毛桥村党群服务中心", Decimal(430), dt.date(2023, 5, 12))  # the rectification's first item
ZHUANGYING_CENTRE = ("庄营村党群服务中心", Decimal(360), dt.date(2023, 7, 15))
MATTERS = ["代办城乡居民医保缴费", "代办养老保险认证", "开具居住证明", "代办残疾证年审", "代办农机补贴申请",
           "代办低保年审", "代缴电费", "代办新生儿户口登记", "代办高龄津贴申领", "调解邻里用水纠纷"]  # fmt: skip


def _day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def _jpeg(seed: int) -> tuple[bytes, str]:
    """A tiny distinct JPEG per seed (distinct digests, so no photo looks reused unless meant to)."""
    image = Image.new("RGB", (40 + seed % 11, 30 + seed % 7), ((seed * 53) % 255, (seed * 29) % 255, 150))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=60)
    data = out.getvalue()
    return data, hashlib.sha256(data).hexdigest()


class _Photos:
    """Photo rows for the demo, written one by one at the end (each writes its file)."""

    def __init__(self) -> None:
        self.rows: list[Photo] = []
        self.seed = 0
        self.by_key: dict[str, tuple[bytes, str]] = {}

    def add(self, village: Unit, owner: dict, stage: str, spot: str, name: str, day: dt.date, key: str = "") -> None:
        if key and key in self.by_key:
            data, digest = self.by_key[key]
        else:
            self.seed += 1
            data, digest = _jpeg(self.seed + village.pk * 1000)
            if key:
                self.by_key[key] = (data, digest)
        self.rows.append(
            Photo(
                village=village, stage=stage, spot=spot, file=ContentFile(data, name=f"livability-{digest[:16]}.jpg"),
                original_name=name, content_type="image/jpeg", size=len(data), sha256=digest, is_image=True,
                taken_at=timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0))),
                **owner,
            )
        )  # fmt: skip


def _work(village: Unit, kind: WorkKind, quantity: int, place: str, started: dt.date, finished: dt.date | None) -> Work:
    per = Decimal(COST_PER.get(kind, "0.01"))
    return Work(
        village=village, kind=kind, quantity=Decimal(quantity), unit=UNIT_OF[kind].value, place=place,
        started_on=started, finished_on=finished, cost=(per * quantity).quantize(Decimal("0.01")),
    )  # fmt: skip


def _works(villages: dict[str, Unit], stars: dict[str, tuple[set[str], set[str]]]) -> list[Work]:
    """The seed's works, the last quarter's roads, works still under way, and 2022's roads."""
    works = [_work(villages[v], k, q, p, _day(s), _day(f)) for v, k, q, p, s, f in SEED_WORKS if v in villages]
    roads = {name: 0 for name in villages}
    for v, k, q, *_ in SEED_WORKS:
        if k in (K.ROAD_REPAIR, K.ROAD_WIDEN):
            roads[v] = roads.get(v, 0) + q
    for index, (name, village) in enumerate(villages.items()):
        before, now = stars[name]
        if name == WEAK_ECOLOGY:
            works.append(
                _work(village, K.ROAD_REPAIR, 450, f"{name}北组道路", dt.date(2023, 9, 25), dt.date(2023, 10, 30))
            )
        elif "ecology" in now and roads[name] < 1000:
            need = 1000 - roads[name] + 50 * (index % 4)
            month = 10 + index % 3
            works.append(_work(village, K.ROAD_REPAIR, need, f"{name}环村道路", dt.date(2023, 9, 20),
                               dt.date(2023, month, 10 + index % 15)))  # fmt: skip
        elif roads[name] == 0 and index % 3 == 0:
            works.append(_work(village, K.ROAD_REPAIR, 180 + 20 * (index % 5), f"{name}入户道路",
                               dt.date(2023, 10, 8), dt.date(2023, 11, 20)))  # fmt: skip
        metres = 1050 + 30 * (index % 5) if "ecology" in before else 200 + 40 * (index % 7)
        works.append(_work(village, K.ROAD_REPAIR, metres, f"{name}2022年道路整修", dt.date(2022, 4, 1),
                           dt.date(2022, 6, 15)))  # fmt: skip
    if "兴隆村" in villages:  # under way at the year's end: counts for nobody yet
        works.append(_work(villages["兴隆村"], K.ROAD_WIDEN, 700, "兴隆村主街加宽", dt.date(2023, 9, 1), None))
    return works


def _cleanups(villages: dict[str, Unit], stars: dict[str, tuple[set[str], set[str]]], photos: _Photos) -> list[Work]:
    """Monthly clean-up campaigns (村庄清洁行动) with before and after photos at the same spot; fewer, or without an
    after photo, where a village does not earn 生态宜居星."""
    made: list[Work] = []
    for index, (name, village) in enumerate(villages.items()):
        _, now = stars[name]
        months = range(2, 10) if "ecology" in now else range(3, 3 + 3 + index % 3)
        for month in months:
            day = dt.date(2023, month, 8 + index % 10)
            work = _work(village, K.CLEANUP, 1, f"{name}{month}月村庄清洁行动", day, day)
            work.cost = None
            made.append(work)
    Work.objects.bulk_create(made)
    for work in made:
        name, day = work.village.name, work.started_on
        spot = f"{name}村委会东侧坑塘"
        key = f"cleanup-{REUSED_FROM}-5" if (name, day.month) in ((REUSED_FROM, 5), (REUSER, 5)) else ""
        photos.add(work.village, {"work": work}, "before", spot, f"{name}{day:%m}月整治前.jpg", day, key=key)
        if "ecology" not in stars[name][1] and day.month % 2 == 0:
            continue  # no after photo yet: the home page reminds the clerk
        photos.add(work.village, {"work": work}, "after", spot, f"{name}{day:%m}月整治后.jpg", day)
    return made


def _toilets(villages: dict[str, Unit], stars: dict[str, tuple[set[str], set[str]]]) -> list[ToiletCoverage]:
    rows = []
    for index, (name, village) in enumerate(villages.items()):
        households = village.households or 600
        for year, held in ((2022, stars[name][0]), (2023, stars[name][1])):
            # Toilet reform reached nine in ten households nearly everywhere; where a village misses 生态宜居星 it is
            # the roads that fall short (the assessment then names one missing item, not two).
            share = (
                Decimal("0.93") + Decimal(index % 6) / 100
                if "ecology" in held
                else Decimal("0.905") + Decimal(index % 5) / 200
            )
            if year == 2022:
                share -= Decimal("0.01")
            rows.append(ToiletCoverage(village=village, year=year, households=households,
                                       covered=int(households * share)))  # fmt: skip
    return rows


def _centres(villages: dict[str, Unit], stars: dict[str, tuple[set[str], set[str]]], photos: _Photos) -> list[Centre]:
    made = []
    for index, (name, village) in enumerate(villages.items()):
        _, now = stars[name]
        missing = () if "civility" in now else ROOMS_MISSING[1 + index % 2]
        centre = Centre(
            village=village,
            name=f"{name}党群服务中心",
            area=Decimal(180 + 20 * (index % 11)),
            rooms=[r for r in DEFAULT_ROOMS if r not in missing],
            built_on=dt.date(2012 + index % 8, 6, 1),
        )
        if name == "毛桥村":
            centre.name, centre.area, centre.rebuilt_on = MAOQIAO_CENTRE
            centre.built_on = dt.date(2008, 9, 1)
            centre.note = "利用原村小学闲置校舍翻建，2023年软弱涣散整顿中建成，一厅五室配套到位"
        elif name == "庄营村":
            centre.name, centre.area, centre.upgraded_on = ZHUANGYING_CENTRE
            centre.note = "提升改造，规范设置一厅五室，配套便民设施"
        made.append(centre)
    Centre.objects.bulk_create(made)
    for centre in made:
        if centre.village.name in ("毛桥村", "庄营村"):
            day = centre.rebuilt_on or centre.upgraded_on or dt.date(2023, 7, 15)
            for room in ("便民服务大厅", "党员活动室"):
                photos.add(centre.village, {"centre": centre}, "site", room, f"{centre.name}{room}.jpg", day)
    return made


def _services(villages: dict[str, Unit], stars: dict[str, tuple[set[str], set[str]]]) -> list[ServiceRequest]:
    rows = []
    modes = list(ServiceMode)
    for index, (name, village) in enumerate(villages.items()):
        _, now = stars[name]
        for n in range(8 + index % 5):
            requested = dt.date(2023, 1 + (n * 7 + index) % 9, 3 + (n * 5 + index) % 24)
            days = (0, 1, 3)[n % 3]
            late = "civility" not in now and n % 4 == 1
            taken = days + (3 if late else 0)
            referred = n == 6
            rows.append(
                ServiceRequest(
                    village=village, mode=modes[n % 3], matter=MATTERS[(n + index) % len(MATTERS)],
                    requested_on=requested, promised_days=days, due_on=requested + dt.timedelta(days=days),
                    outcome=Outcome.REFERRED if referred else Outcome.DONE,
                    finished_on=requested + dt.timedelta(days=taken),
                )
            )  # fmt: skip
        if index % 4 == 3:  # one still open and past its day at the end of September
            requested = dt.date(2023, 9, 12)
            rows.append(ServiceRequest(village=village, mode=ServiceMode.ONCE, matter="代办宅基地确权材料",
                                       requested_on=requested, promised_days=3, due_on=requested + dt.timedelta(days=3),
                                       outcome=Outcome.OPEN))  # fmt: skip
    return rows


A = ActivityKind


def _activities(
    villages: dict[str, Unit], stars: dict[str, tuple[set[str], set[str]]], photos: _Photos
) -> list[Activity]:
    """Cultural activities (six or more where 文明幸福星 is earned), clinics and help for the elderly, and 普法."""
    rows: list[Activity] = []

    def add(village: Unit, kind: ActivityKind, title: str, day: dt.date, organiser: str, people: int) -> None:
        rows.append(Activity(village=village, kind=kind, title=title, held_on=day, organiser=organiser,
                             attendance=people))  # fmt: skip

    for index, (name, village) in enumerate(villages.items()):
        for year, held in ((2022, stars[name][0]), (2023, stars[name][1])):
            # Six cultural activities a year nearly everywhere; a village that misses 文明幸福星 lacks rooms instead.
            culture = 6 + index % 3 if "civility" in held or year == 2023 else 3 + index % 3
            for n in range(culture):
                day = dt.date(year, 1 + (n * 2 + index) % 12, 6 + (n + index) % 20)
                kind, title, by = (
                    (A.OPERA, "送戏下乡：豫剧专场", "县文化馆") if n % 3 == 0
                    else (A.CULTURE, "广场舞展演", f"{name}文艺队") if n % 3 == 1
                    else (A.CULTURE, "农民读书会", f"{name}农家书屋")
                )  # fmt: skip
                add(village, kind, title, day, by, 150 + 10 * ((n + index) % 20))
            care = 2 + index % 2 if "civility" in held else index % 2
            for n in range(care):
                kind = A.CLINIC if n % 2 == 0 else A.ELDERLY
                title = "免费义诊" if kind is A.CLINIC else "重阳敬老助老服务"
                by = "溧河铺镇卫生院" if kind is A.CLINIC else f"{name}志愿服务队"
                add(village, kind, title, dt.date(year, 4 + 3 * n, 12 + index % 10), by, 80 + index * 3)
            law = 4 + index % 2 if "safety" in held else 1 + index % 3
            for n in range(law):
                add(village, A.LAW, ("“法律明白人”培训", "防范电信诈骗宣传", "民法典进村", "宪法宣传日")[n % 4],
                    dt.date(year, 3 + 2 * n, 15), "溧河铺司法所", 60 + 5 * n)  # fmt: skip
    if "毛桥村" in villages:
        maoqiao = villages["毛桥村"]
        add(maoqiao, A.SHOW, "“庆八一·感党恩”文艺汇演", dt.date(2023, 8, 1), "溧河铺镇党委", 800)
    for name in ("庄营村", "杨岗村"):
        if name in villages:
            add(villages[name], A.OPERA, "送戏下乡：文化广场落成演出", dt.date(2023, 9, 2 + len(name)), "县豫剧团", 600)
            add(villages[name], A.CLINIC, "免费义诊进广场", dt.date(2023, 9, 9), "县人民医院", 210)
    Activity.objects.bulk_create(rows)
    for activity in rows:
        if (
            activity.village.name in ("毛桥村", "庄营村", "杨岗村")
            and activity.held_on.year == 2023
            and (activity.kind in (A.SHOW, A.CLINIC) or "落成" in activity.title)
        ):
            photos.add(activity.village, {"activity": activity}, "site", "", f"{activity.title}.jpg", activity.held_on)
    return rows


def _honours(villages: dict[str, Unit], stars: dict[str, tuple[set[str], set[str]]]) -> list[Honour]:
    rows = []
    for index, (name, village) in enumerate(villages.items()):
        before, now = stars[name]
        if "civility" in before:
            rows.append(
                Honour(
                    village=village,
                    name="文明村",
                    level="county",
                    year=2021,
                    conferred_by="中共新野县委、新野县人民政府",
                )
            )
        elif "civility" in now:
            rows.append(
                Honour(
                    village=village,
                    name="文明村",
                    level="county",
                    year=2023,
                    conferred_by="中共新野县委、新野县人民政府",
                )
            )
        elif index % 3 == 0:
            rows.append(
                Honour(village=village, name="文明村", level="town", year=2022, conferred_by="中共溧河铺镇委员会")
            )
    if "孙楼村" in villages:
        rows.append(
            Honour(village=villages["孙楼村"], name="文明村镇", level="city", year=2022, conferred_by="南阳市文明委")
        )
    return rows


def load_livability() -> str:
    """Works, toilets, centres, services, activities and honours for 溧河铺镇's villages; only when none are there."""
    codes = [village_code(LIHEPU[0], i) for i in range(len(LIHEPU_VILLAGES))]
    found = {u.code: u for u in Unit.objects.unscoped(DEMO).filter(code__in=codes)}
    villages: dict[str, Unit] = {}
    stars: dict[str, tuple[set[str], set[str]]] = {}
    for index, (name, code) in enumerate(zip(LIHEPU_VILLAGES, codes, strict=True)):
        if code in found:
            villages[name] = found[code]
            before, now, _ = _stars(index, name)
            stars[name] = (set(before), set(now))
    if not villages:
        return "未找到溧河铺镇的村，跳过"
    if Work.objects.unscoped(DEMO).filter(village__in=villages.values()).exists():
        return "已存在，未改动"
    photos = _Photos()
    with transaction.atomic():
        works = _works(villages, stars)
        Work.objects.bulk_create(works)
        cleanups = _cleanups(villages, stars, photos)
        ToiletCoverage.objects.bulk_create(_toilets(villages, stars))
        centres = _centres(villages, stars, photos)
        services = _services(villages, stars)
        ServiceRequest.objects.bulk_create(services)
        activities = _activities(villages, stars, photos)
        honours = _honours(villages, stars)
        Honour.objects.bulk_create(honours)
        for photo in photos.rows:  # one by one: each file is written to storage
            photo.save()
        audit.record(
            actor=SYSTEM,
            action="work.demo",
            unit=villages.get("毛桥村") or next(iter(villages.values())),
            object_type="livability.work",
            object_repr="溧河铺镇人居环境与为民服务（演示数据）",
            after={"works": len(works) + len(cleanups), "centres": len(centres), "services": len(services),
                   "activities": len(activities), "honours": len(honours), "photos": len(photos.rows)},
        )  # fmt: skip
    return (
        f"人居环境工程 {len(works) + len(cleanups)} 项，党群服务中心 {len(centres)} 个，便民服务 {len(services)} 件，"
        f"文化和服务活动 {len(activities)} 次，照片 {len(photos.rows)} 张"
    )
