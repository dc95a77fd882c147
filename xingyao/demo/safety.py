"""The demo's 平安法治 half for 溧河铺镇: the “警司访+” departments, village boundaries, 277 grids' people, a year
(2023) of grid events, and the briefing's dispute figures (44 mediated, 9 by pre-litigation mediation) as cases.

Everything is made with a fixed random seed and checked by natural keys (usernames, event time and place, case
numbers), so a second run creates nothing. Rows are bulk-created; one audit row records each batch.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Model

from xingyao.accounts.models import Membership, User
from xingyao.core import audit, calendar
from xingyao.core.actors import SYSTEM
from xingyao.core.roles import Role
from xingyao.core.workdays import overrides_for
from xingyao.demo.tree import COUNTY, LIHEPU, LIHEPU_VILLAGES, SHIAN, SHIAN_VILLAGES, village_code
from xingyao.disputes.models import Dispute, DisputeStep, DisputeTeamMember, MediationSession, Party
from xingyao.grid import geo
from xingyao.grid.models import Event, EventCategory, EventStep, GridPost, Post, Source
from xingyao.grid.seeds import seed_categories
from xingyao.grid.workflow import Action as Move
from xingyao.grid.workflow import State, warning_starts
from xingyao.places import codes
from xingyao.places.codes import Kind
from xingyao.places.models import Unit

DEMO = "the demo loader builds the whole demo township"  # the reason its reads are unscoped

YEAR = 2023
TZ = dt.timezone(dt.timedelta(hours=8))
# Departments the briefing names besides 派出所, 司法所 and 信访办 (made by the tree): 平安办 leads the joint team.
EXTRA_DEPARTMENTS = [
    (f"{LIHEPU[0]}B04", "溧河铺镇应急管理办公室", LIHEPU[0]),
    (f"{LIHEPU[0]}B05", "溧河铺镇平安办（综治中心）", LIHEPU[0]),
    (f"{LIHEPU[0]}B06", "溧河铺市场监督管理所", LIHEPU[0]),
    (f"{LIHEPU[0]}B07", "溧河铺镇村镇建设办公室", LIHEPU[0]),
    (f"{COUNTY[0]}B01", "新野县消防救援大队", COUNTY[0]),
    (f"{COUNTY[0]}B02", "新野县公安局交通管理大队", COUNTY[0]),
]
DEPARTMENT_BY_TYPE = {
    "派出所": f"{LIHEPU[0]}B01",
    "司法所": f"{LIHEPU[0]}B02",
    "信访办": f"{LIHEPU[0]}B03",
    "应急办": f"{LIHEPU[0]}B04",
    "综治中心": f"{LIHEPU[0]}B05",
    "市场监管": f"{LIHEPU[0]}B06",
    "村镇建设": f"{LIHEPU[0]}B07",
    "消防": f"{COUNTY[0]}B01",
    "交警": f"{COUNTY[0]}B02",
}
SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
    "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯"
    "龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = [
    "建国",
    "志强",
    "秀英",
    "桂兰",
    "玉梅",
    "海燕",
    "国华",
    "红霞",
    "德胜",
    "永红",
    "春生",
    "立新",
    "丽娟",
    "保国",
    "长林",
    "振东",
    "明",
    "伟",
    "芳",
    "军",
    "勇",
    "静",
    "敏",
    "磊",
    "洋",
    "艳",
    "杰",
    "娟",
    "涛",
    "超",
    "霞",
    "平",
    "刚",
    "桂英",
    "凤兰",
    "新民",
    "建华",
    "金凤",
    "淑珍",
    "玉兰",
    "学文",
    "秀兰",
    "振华",
    "红梅",
    "志刚",
    "春梅",
]


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _phone(rng: random.Random) -> str:
    return rng.choice(["138", "139", "150", "151", "158", "177", "186", "187"]) + f"{rng.randrange(10**8):08d}"


def _record(action: str, text: str, unit: Unit | None, model: type[Model], count: int) -> None:
    audit.record_many(actor=SYSTEM, action=action, model=model, unit=unit, summary=text, after={"count": count})


# ---- geometry: a jittered lattice of villages around each town's centre


def _lattice(rows: int, cols: int, lat0: float, lng0: float, dlat: float, dlng: float, seed: int) -> Any:
    """Shared, jittered corners and edge midpoints so neighbouring villages tile without gaps."""
    rng = random.Random(seed)
    corner: dict[tuple[int, int], tuple[float, float]] = {}
    for i in range(rows + 1):
        for j in range(cols + 1):
            inner = 0 < i < rows and 0 < j < cols
            jitter = 0.28 if inner else 0.12
            corner[(i, j)] = (
                lng0 + (j + rng.uniform(-jitter, jitter)) * dlng,
                lat0 + (i + rng.uniform(-jitter, jitter)) * dlat,
            )
    mid: dict[tuple[Any, Any], tuple[float, float]] = {}

    def midpoint(a: tuple[int, int], b: tuple[int, int]) -> tuple[float, float]:
        key = (min(a, b), max(a, b))
        if key not in mid:
            (x1, y1), (x2, y2) = corner[a], corner[b]
            mid[key] = (
                (x1 + x2) / 2 + rng.uniform(-0.12, 0.12) * dlng,
                (y1 + y2) / 2 + rng.uniform(-0.12, 0.12) * dlat,
            )
        return mid[key]

    cells = {}
    for i in range(rows):
        for j in range(cols):
            a, b, c, d = (i, j), (i, j + 1), (i + 1, j + 1), (i + 1, j)
            ring = [corner[a], midpoint(a, b), corner[b], midpoint(b, c), corner[c], midpoint(c, d), corner[d]]
            ring += [midpoint(d, a), corner[a]]
            cells[(i, j)] = {
                "ring": [[round(x, 6), round(y, 6)] for x, y in ring],
                "corners": [corner[k] for k in (a, b, c, d)],
            }
    outline: list[tuple[float, float]] = []
    for j in range(cols):
        outline += [corner[(0, j)], midpoint((0, j), (0, j + 1))]
    for i in range(rows):
        outline += [corner[(i, cols)], midpoint((i, cols), (i + 1, cols))]
    for j in range(cols, 0, -1):
        outline += [corner[(rows, j)], midpoint((rows, j), (rows, j - 1))]
    for i in range(rows, 0, -1):
        outline += [corner[(i, 0)], midpoint((i, 0), (i - 1, 0))]
    outline.append(outline[0])
    return cells, [[round(x, 6), round(y, 6)] for x, y in outline]


TOWN_SHAPES = {
    # town code: (villages, rows, cols, south-west corner lat, lng, cell size lat, lng, seed)
    LIHEPU[0]: (LIHEPU_VILLAGES, 5, 5, 32.445, 112.295, 0.022, 0.026, 107),
    SHIAN[0]: (SHIAN_VILLAGES, 2, 2, 32.600, 112.200, 0.025, 0.028, 104),
}


def _shapes() -> tuple[dict[str, Any], dict[str, Any]]:
    """Per village code: (polygon, corners) and per town code: its outline polygon."""
    villages: dict[str, Any] = {}
    towns: dict[str, Any] = {}
    for town_code, (names, rows, cols, lat0, lng0, dlat, dlng, seed) in TOWN_SHAPES.items():
        cells, outline = _lattice(rows, cols, lat0, lng0, dlat, dlng, seed)
        for index in range(len(names)):
            cell = cells[divmod(index, cols)]
            villages[village_code(town_code, index)] = cell
        towns[town_code] = {"type": "Polygon", "coordinates": [outline]}
    return villages, towns


def point_in(cell: Any, rng: random.Random) -> tuple[float, float]:
    """A random (lng, lat) well inside a village cell."""
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = cell["corners"]
    for _ in range(20):
        u, v = rng.uniform(0.2, 0.8), rng.uniform(0.2, 0.8)
        x = (1 - u) * (1 - v) * x0 + u * (1 - v) * x1 + u * v * x2 + (1 - u) * v * x3
        y = (1 - u) * (1 - v) * y0 + u * (1 - v) * y1 + u * v * y2 + (1 - u) * v * y3
        if geo.inside_ring(x, y, cell["ring"]):
            return x, y
    return x, y


# ---- step 1: departments, boundaries, categories, grid people


@transaction.atomic
def load_grid_people() -> str:
    """Departments, village and town boundaries, the county's event categories, and the 1+1+N of every grid."""
    existing = {
        u.code: u for u in Unit.objects.unscoped(DEMO).filter(kind__in=[Kind.COUNTY, Kind.TOWN, Kind.DEPARTMENT])
    }
    departments = 0
    for code, name, parent_code in EXTRA_DEPARTMENTS:
        if code not in existing and parent_code in existing:
            unit = Unit(code=code, name=name, kind=Kind.DEPARTMENT, parent=existing[parent_code])
            unit.save()
            audit.record(actor=SYSTEM, action="unit.demo", obj=unit, unit=unit, after={"code": code, "name": name})
            departments += 1

    village_shapes, town_shapes = _shapes()
    shaped = 0
    for unit in Unit.objects.unscoped(DEMO).filter(code__in=[*village_shapes, *town_shapes], geometry__isnull=True):
        shape = town_shapes.get(unit.code) or {"type": "Polygon", "coordinates": [village_shapes[unit.code]["ring"]]}
        unit.geometry = shape
        unit.save(update_fields=["geometry"])
        shaped += 1
    if shaped:
        _record("unit.demo_geometry", f"演示村界 {shaped} 个", existing.get(LIHEPU[0]), Unit, shaped)

    county = existing.get(COUNTY[0])
    categories = seed_categories(county) if county else 0
    people = _grid_people()
    return f"部门新增 {departments} 个，村界 {shaped} 个，事件分类 {categories} 项，网格人员任职 {people} 个"


def _in_county(kind: Kind) -> Any:
    """The demo county's units of one kind (none before the tree is loaded)."""
    county = Unit.objects.unscoped(DEMO).filter(code=COUNTY[0]).first()
    return Unit.objects.within(county).filter(kind=kind) if county else Unit.objects.none()


def _grid_people() -> int:
    rng = random.Random(277)
    grids = list(_in_county(Kind.GRID).order_by("code").values_list("pk", "code"))
    wanted: list[tuple[str, str, str, int, str]] = []  # username, full name, phone, grid id, post
    for grid_id, code in grids:
        village = codes.village_code(code)
        wanted.append((f"wg{codes.below_county(code)}", _name(rng), _phone(rng), grid_id, Post.WORKER))
        wanted.append((f"wgz{codes.below_county(village)}", "", "", grid_id, Post.HEAD))
        wanted.append((f"zdy{codes.below_county(village)}", "", "", grid_id, Post.ADVISER))
    heads: dict[str, tuple[str, str]] = {}
    for username, _n, _p, _g, post in wanted:
        if post != Post.WORKER and username not in heads:
            heads[username] = (_name(rng), _phone(rng))
    # The demo's own grid worker (wangge) already works 毛桥村第1网格: no second worker there.
    taken = dict(
        Membership.objects.unscoped(DEMO)
        .filter(role=Role.GRID_WORKER, unit_id__in=[g for g, _ in grids])
        .exclude(grid_post__post__in=[Post.HEAD, Post.ADVISER])
        .values_list("unit_id", "user__username")
    )
    names = {u: heads.get(u, (n, p)) for u, n, p, _g, _post in wanted}
    have = set(User.objects.filter(username__in=list(names)).values_list("username", flat=True))
    password = make_password(settings.DEMO_PASSWORD)  # hashed once: Argon2 for every account would take minutes
    skip = {(username, g) for username, _n, _p, g, post in wanted if post == Post.WORKER and g in taken}
    new_users = [
        User(username=u, full_name=names[u][0], phone=names[u][1], password=password)
        for u in dict.fromkeys(u for u, _n, _p, g, _post in wanted if (u, g) not in skip)
        if u not in have
    ]
    User.objects.bulk_create(new_users, batch_size=500)
    ids = dict(User.objects.filter(username__in=[*names, *taken.values()]).values_list("username", "pk"))
    pairs = [(ids[taken[g]] if (u, g) in skip else ids[u], g, post) for u, _n, _p, g, post in wanted]
    have_memberships = {
        (m.user_id, m.unit_id): m
        for m in Membership.objects.unscoped(DEMO).filter(role=Role.GRID_WORKER, unit_id__in=[g for g, _ in grids])
    }
    new_memberships = [
        Membership(user_id=user_id, unit_id=grid_id, role=Role.GRID_WORKER)
        for user_id, grid_id, _post in dict.fromkeys((u, g, "") for u, g, _p in pairs)
        if (user_id, grid_id) not in have_memberships
    ]
    Membership.objects.bulk_create(new_memberships, batch_size=500)
    memberships = {
        (m.user_id, m.unit_id): m.pk
        for m in Membership.objects.unscoped(DEMO).filter(role=Role.GRID_WORKER, unit_id__in=[g for g, _ in grids])
    }
    have_posts = set(
        GridPost.objects.unscoped(DEMO)
        .filter(unit_id__in=[g for g, _ in grids])
        .values_list("membership_id", flat=True)
    )
    new_posts = [
        GridPost(membership_id=memberships[(user_id, grid_id)], unit_id=grid_id, post=post)
        for user_id, grid_id, post in pairs
        if memberships[(user_id, grid_id)] not in have_posts
    ]
    GridPost.objects.bulk_create(new_posts, batch_size=500)
    if new_users or new_posts:
        town = Unit.objects.unscoped(DEMO).filter(code=LIHEPU[0]).first()
        _record(
            "grid_post.demo",
            f"演示网格人员：账号 {len(new_users)} 个，岗位 {len(new_posts)} 个",
            town,
            GridPost,
            len(new_posts),
        )
    return len(new_posts)


# ---- step 2: a year of grid events

# category code → (weight, [(title, description)])
EVENT_TEMPLATES: dict[str, tuple[int, list[tuple[str, str]]]] = {
    "HJWS-LJ": (
        16,
        [
            ("村口垃圾堆放未清运", "村口路边生活垃圾堆放三天未清运，有异味，群众反映强烈。"),
            ("坑塘边倾倒建筑垃圾", "坑塘边有人倾倒建筑垃圾，影响环境和行洪。"),
        ],
    ),
    "HJWS-WS": (5, [("生活污水直排路边沟", "几户生活污水直排路边沟，沟内淤积发臭。")]),
    "HJWS-WJ": (3, [("耕地上私搭简易棚", "有村民在承包地边搭建简易棚，疑似违建。")]),
    "GGSS-LD": (9, [("主街路灯不亮", "主街东段三盏路灯夜间不亮，群众出行不便。")]),
    "GGSS-DL": (6, [("村道出现坑槽", "村道中段出现大坑槽，雨天积水，电动车易摔倒。")]),
    "GGSS-YS": (3, [("自来水压力低", "片区自来水压力低，高处几户早晚用不上水。")]),
    "MDJF-LL": (
        8,
        [
            ("邻里因滴水檐发生争执", "两户因房屋滴水檐和排水问题争执，需调解。"),
            ("宅前堆放物料引发矛盾", "一户在宅前长期堆放物料，邻居出行不便发生口角。"),
        ],
    ),
    "MDJF-HY": (3, [("家庭矛盾需调解", "夫妻因赡养老人问题争吵，家人请求网格员协调。")]),
    "MDJF-TD": (4, [("承包地边界有争议", "两户承包地边界不清，种植时发生争执。")]),
    "MDJF-LZ": (2, [("务工人员工资拖欠", "村民反映在本地企业务工工资被拖欠两个月。")]),
    "ZAYH-KY": (4, [("村内有陌生车辆徘徊", "夜间有陌生车辆在村内多次徘徊，群众担心安全。")]),
    "ZAYH-HDD": (1, [("疑似聚众赌博线索", "群众反映有人在闲置房屋内聚众打牌赌博。")]),
    "AQSC-QY": (4, [("作坊消防器材过期", "村内加工作坊灭火器过期，电线私拉乱接。")]),
    "AQSC-WHP": (2, [("液化气罐存放不当", "小饭店液化气罐放在灶台旁，无防护。")]),
    "XFYH-JG": (5, [("发现焚烧秸秆", "麦收后田间有焚烧秸秆现象，已劝阻，需复查。")]),
    "XFYH-DDC": (5, [("楼道内电动车充电", "居民在楼道内飞线给电动车充电，存在火灾隐患。")]),
    "XFYH-TD": (2, [("消防通道被占用", "集镇消防通道被货车长期占用。")]),
    "FNS-JS": (5, [("坑塘缺少警示牌", "村西坑塘水深，岸边无警示牌和救生设施，暑期学生多。")]),
    "FNS-SS": (3, [("河堤防护栏损坏", "河堤防护栏有一段损坏，需及时修复。")]),
    "SCJG-SP": (3, [("小卖部售卖过期食品", "村内小卖部货架上有过期食品。")]),
    "SCJG-JM": (2, [("农资店疑似售假化肥", "群众反映农资店化肥质量可疑，价格异常低。")]),
    "XFSQ-SQ": (4, [("群众反映低保评议问题", "村民对低保评议结果有疑问，要求解释。")]),
    "DLJT-YH": (4, [("路口视线遮挡", "村口丁字路口被树木遮挡视线，易发生事故。")]),
}
# The 2023 records behind the villages that did not make “三零”: (village, category, title, description, month).
ZERO_BREAKERS = [
    ("西岭村", "DLJT-SW", "村道发生交通事故一人受伤", "三轮车与摩托车在村道相撞，一人受伤送医。", 5),
    ("柳林村", "DLJT-SW", "省道路口交通事故", "省道路口货车与电动车相撞，骑车人受伤。", 8),
    ("红星村", "ZAYH-XS", "养殖场被盗", "养殖场夜间被盗生猪两头，已报警立案。", 3),
    ("双庙村", "XFSQ-YJ", "村民到县信访局上访", "村民因宅基地纠纷未解决到县信访局上访。", 6),
]
OPEN_STATES = [State.REPORTED] * 8 + [State.ACCEPTED] * 5 + [State.DISPATCHED] * 6 + [State.HANDLING] * 6
OPEN_STATES += [State.FEEDBACK] * 3 + [State.VERIFIED] * 2


@dataclass
class _Planned:
    event: Event
    moves: list[tuple[dt.datetime, Move, State, str]]


def _at(day: dt.date, rng: random.Random) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(rng.randint(7, 18), rng.randrange(60), rng.randrange(60)), tzinfo=TZ)


def _plan_events() -> Iterator[tuple[str, str, str, str, dt.datetime, State, random.Random]]:
    """(village code, category code, title, description, reported at, final state, rng) for the year."""
    rng = random.Random(2023)
    codes = list(EVENT_TEMPLATES)
    weights = [EVENT_TEMPLATES[c][0] for c in codes]
    start = dt.date(YEAR, 1, 1)
    total = 2400
    open_at = set(rng.sample(range(total - 200, total), len(OPEN_STATES)))
    open_states = iter(OPEN_STATES)
    for n in range(total):
        code = rng.choices(codes, weights)[0]
        title, description = rng.choice(EVENT_TEMPLATES[code][1])
        day = start + dt.timedelta(days=int(n * 364 / total))
        village = village_code(LIHEPU[0], rng.randrange(len(LIHEPU_VILLAGES)))
        state = next(open_states) if n in open_at else State.CLOSED
        yield village, code, title, description, _at(day, rng), state, random.Random(n)
    for name, code, title, description, month in ZERO_BREAKERS:
        index = LIHEPU_VILLAGES.index(name)
        yield (
            village_code(LIHEPU[0], index),
            code,
            title,
            description,
            _at(dt.date(YEAR, month, 12), rng),
            State.CLOSED,
            random.Random(month),
        )
    for n in range(60):  # the outsider town has records too
        code = rng.choice(["ZAYH-KY", "MDJF-LL", "HJWS-LJ", "GGSS-LD"])
        title, description = EVENT_TEMPLATES[code][1][0]
        village = village_code(SHIAN[0], rng.randrange(len(SHIAN_VILLAGES)))
        yield (
            village,
            code,
            title,
            description,
            _at(start + dt.timedelta(days=n * 6), rng),
            State.CLOSED,
            random.Random(10_000 + n),
        )


def load_events() -> str:
    """A year of grid events in realistic categories and states, with their history."""
    villages = {u.code: u for u in _in_county(Kind.VILLAGE)}
    if not villages:
        return "缺少行政区划，跳过"
    grids: dict[str, list[Unit]] = {}
    for grid in _in_county(Kind.GRID).order_by("code"):
        grids.setdefault(codes.village_code(grid.code), []).append(grid)
    categories = {c.code: c for c in EventCategory.objects.unscoped(DEMO).filter(county__code=COUNTY[0])}
    departments = {u.code: u for u in Unit.objects.unscoped(DEMO).filter(kind=Kind.DEPARTMENT)}
    workers = dict(
        GridPost.objects.unscoped(DEMO).filter(post=Post.WORKER).values_list("unit_id", "membership__user_id")
    )
    users = {u.username: u for u in User.objects.filter(username__in=["zhen", "paichusuo", "shian"])}
    shapes, _towns = _shapes()
    overrides = overrides_for(villages[village_code(LIHEPU[0], 0)])
    start, end = dt.datetime(YEAR, 1, 1, tzinfo=TZ), dt.datetime(YEAR + 1, 1, 1, tzinfo=TZ)
    existing = set(
        Event.objects.unscoped(DEMO)
        .filter(village__in=list(villages.values()), reported_at__gte=start, reported_at__lt=end)
        .values_list("unit_id", "reported_at")
    )
    planned: list[_Planned] = []
    for village_code_, code, title, description, reported_at, state, rng in _plan_events():
        village = villages.get(village_code_)
        if village is None or code not in categories:
            continue
        grid = rng.choice(grids.get(village.code) or [village])
        if (grid.pk, reported_at) in existing:
            continue
        town = codes.town_code(village.code)
        planned.append(
            _plan_one(
                grid,
                village,
                categories[code],
                title,
                description,
                reported_at,
                state,
                rng,
                shapes,
                overrides,
                departments,
                workers,
                users,
                town,
            )
        )
    with transaction.atomic():
        Event.objects.bulk_create([p.event for p in planned], batch_size=500)
        steps = [
            EventStep(
                event=p.event,
                at=at,
                actor=None,  # a history step's account column: the demo's steps name their actor in words
                actor_name=actor,
                action=move.value if isinstance(move, Move) else move,
                action_label=move.label if isinstance(move, Move) else Source(p.event.source).label,
                from_state="",
                to_state=to_state.value,
                reason=_note(move, p.event),
            )
            for p in planned
            for at, move, to_state, actor in p.moves
        ]
        EventStep.objects.bulk_create(steps, batch_size=1000)
        if planned:
            _record(
                "event.demo",
                f"演示网格事件 {len(planned)} 件",
                villages[village_code(LIHEPU[0], 0)].parent,
                Event,
                len(planned),
            )
    return f"网格事件新增 {len(planned)} 件，流转记录 {len(steps)} 条"


def _note(move: Any, event: Event) -> str:
    if move == Move.DISPATCH and event.department is not None:
        return f"派遣至{event.department.name}，时限 {event.deadline_days} 个工作日"
    if move == Move.GIVE_FEEDBACK:
        return "已到现场处置完毕，附处置后照片。"
    if move == Move.MARK_LEGACY:
        return "涉及多部门协调，列为历史遗留问题持续跟进。"
    return ""


def _plan_one(
    grid: Unit,
    village: Unit,
    category: EventCategory,
    title: str,
    description: str,
    reported_at: dt.datetime,
    state: State,
    rng: random.Random,
    shapes: dict[str, Any],
    overrides: Any,
    departments: dict[str, Unit],
    workers: dict[int, int],
    users: dict[str, User],
    town_code: str,
) -> _Planned:
    in_lihepu = town_code == LIHEPU[0]
    source = rng.choices([Source.PATROL, Source.RESIDENT, Source.ASSIGNED], [80, 15, 5])[0]
    lng, lat = point_in(shapes[village.code], rng) if village.code in shapes else (None, None)
    worker_id = workers.get(grid.pk)
    event = Event(
        unit=grid,
        village=village,
        category=category,
        title=title,
        description=description,
        address=f"{village.name}{rng.choice(['东头', '西头', '村委会附近', '主街', '南组', '北组', '学校附近'])}",
        latitude=round(lat, 6) if lat else None,
        longitude=round(lng, 6) if lng else None,
        source=source,
        reporter_id=worker_id if source == Source.PATROL else None,
        state=state,
        reported_at=reported_at,
    )
    admin = "刘洋" if in_lihepu else "孙丽"
    reporter_name = "居民" if source == Source.RESIDENT else "网格员"
    moves: list[tuple[dt.datetime, Any, State, str]] = [(reported_at, "report", State.REPORTED, reporter_name)]
    order = [
        State.REPORTED,
        State.ACCEPTED,
        State.DISPATCHED,
        State.HANDLING,
        State.FEEDBACK,
        State.VERIFIED,
        State.CLOSED,
    ]
    reach = order.index(state)
    t = reported_at
    if reach >= 1:
        t += dt.timedelta(minutes=rng.randint(20, 240))
        event.accepted_at = t
        moves.append((t, Move.ACCEPT, State.ACCEPTED, admin))
    if reach >= 2:
        t += dt.timedelta(minutes=rng.randint(30, 480))
        department_code = DEPARTMENT_BY_TYPE.get(category.department_type, DEPARTMENT_BY_TYPE["综治中心"])
        event.department = departments.get(department_code if in_lihepu else f"{SHIAN[0]}B01")
        event.dispatched_at = t
        event.deadline_days = category.deadline_days
        local = t.astimezone(TZ)
        event.due_at = calendar.deadline(local, category.deadline_days, overrides)
        event.warn_at = warning_starts(event.due_at, category.deadline_days, overrides)
        moves.append((t, Move.DISPATCH, State.DISPATCHED, admin))
    handler = "赵卫东" if event.department and event.department.code.endswith("B01") and in_lihepu else "部门处置员"
    if reach >= 3:
        t += dt.timedelta(hours=rng.randint(1, 20))
        moves.append((t, Move.START_HANDLING, State.HANDLING, handler))
        if users.get("paichusuo") and handler == "赵卫东":
            event.handler_ids = [users["paichusuo"].pk]
    if reach >= 4:
        # Most departments answer in time; about one in twelve is late.
        if event.due_at and rng.random() < 0.92:
            span = max(event.due_at - t, dt.timedelta(hours=2))
            t += span * rng.uniform(0.1, 0.9)
        else:
            t = (event.due_at or t) + dt.timedelta(days=rng.randint(1, 6))
        event.feedback_at = t
        moves.append((t, Move.GIVE_FEEDBACK, State.FEEDBACK, handler))
    if reach >= 5:
        t += dt.timedelta(hours=rng.randint(2, 30))
        moves.append((t, Move.VERIFY, State.VERIFIED, "陈静" if in_lihepu else "孙丽"))
    if reach >= 6:
        t += dt.timedelta(hours=rng.randint(1, 24))
        event.closed_at = t
        moves.append((t, Move.CLOSE, State.CLOSED, admin))
    if state is not State.CLOSED and rng.random() < 0.4:
        event.legacy = True
        moves.append((t + dt.timedelta(days=2), Move.MARK_LEGACY, state, admin))
    return _Planned(event, moves)


# ---- step 3: the briefing's disputes

DISPUTE_TEMPLATES: dict[str, list[tuple[str, str]]] = {
    "neighbours": [
        ("宅前排水沟清淤费用分担争执", "两户共用排水沟淤堵，因清淤费用分担发生争执，一度推搡。"),
        ("滴水檐与通道之争", "一户翻建房屋滴水檐伸出，邻居认为影响通行和采光。"),
        ("树木遮挡采光引发矛盾", "邻居院墙边杨树遮挡采光，要求砍伐未果。"),
    ],
    "land": [
        ("承包地边界争议", "两户承包地相邻，地界桩丢失后对边界各执一词。"),
        ("土地流转租金纠纷", "流转大户拖欠部分农户土地租金，农户集体反映。"),
    ],
    "homestead": [("宅基地四至争议", "兄弟两家对父辈宅基地的分割和四至有争议。")],
    "marriage": [
        ("赡养老人费用分担", "三个子女对老人的赡养费用和轮流照顾安排有分歧。"),
        ("离婚后子女抚养费", "离婚后男方未按约定支付子女抚养费。"),
    ],
    "labour": [
        ("务工工资拖欠", "村民在本地工厂务工，被拖欠两个月工资。"),
        ("建筑工地务工受伤赔偿", "村民在工地务工受伤，与包工头就赔偿金额有争议。"),
    ],
    "debt": [("民间借款未归还", "亲戚间借款两年未还，借条约定不清。")],
    "damages": [
        ("饲养家禽损坏庄稼", "一户散养的鸡鸭进入邻户菜地损坏蔬菜。"),
        ("施工损坏邻居房屋", "建房施工导致邻居房屋墙体开裂。"),
    ],
    "traffic": [("电动车相撞赔偿", "两辆电动车在村道相撞，双方就医疗费分担有争议。")],
    "water": [("灌溉用水先后争执", "麦田浇水时两组村民争抢机井使用。")],
    "contract": [("农机作业费用纠纷", "收割机作业后双方对亩数和费用有争议。")],
}
TYPE_WEIGHTS = {
    "neighbours": 14,
    "land": 9,
    "homestead": 5,
    "marriage": 8,
    "labour": 5,
    "debt": 4,
    "damages": 5,
    "traffic": 3,
    "water": 3,
    "contract": 2,
}
# (outcome, count) for 溧河铺镇 2023: 44 settled, 9 of them through pre-litigation mediation at the court's referral.
LIHEPU_OUTCOMES = [("mediated", 35), ("pre_litigation", 9), ("failed", 4), ("court", 2), ("withdrawn", 2)]
LIHEPU_OPEN = ["mediating", "mediating", "mediating", "triaged", "registered"]
SHIAN_OUTCOMES = [("mediated", 4), ("failed", 1)]
MEDIATORS = ["派出所赵卫东", "司法所王振华", "信访办马红梅", "平安办刘洋", "村调委会主任"]


def _dispute_plan(
    town_code: str, villages: list[str], outcomes: list[tuple[str, int]], open_cases: list[str], seed: int
) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    cases = [o for o, n in outcomes for _ in range(n)] + [f"open:{s}" for s in open_cases]
    rng.shuffle(cases)
    types = list(TYPE_WEIGHTS)
    plans = []
    for n, kind in enumerate(cases):
        village = village_code(town_code, rng.randrange(len(villages)))
        if kind == "failed" and n % 2 == 0 and town_code == LIHEPU[0]:
            village = village_code(town_code, LIHEPU_VILLAGES.index("双庙村"))
        case_type = rng.choices(types, [TYPE_WEIGHTS[t] for t in types])[0]
        summary, description = rng.choice(DISPUTE_TEMPLATES[case_type])
        # Everything settled was received before the briefing of 2023-09-19, so the year and the briefing agree.
        received = dt.date(YEAR, 1, 4) + dt.timedelta(days=int(n * 240 / len(cases)) + rng.randint(0, 3))
        if kind.startswith("open:"):
            received = dt.date(YEAR, 9, 1) + dt.timedelta(days=rng.randint(0, 15))
        plans.append(
            {
                "village": village,
                "kind": kind,
                "type": case_type,
                "summary": summary,
                "description": description,
                "received": received,
                "rng": random.Random(seed * 1000 + n),
            }
        )
    return plans


@transaction.atomic
def load_disputes() -> str:
    """The disputes of 2023: in 溧河铺镇 44 settled (9 by pre-litigation mediation), with failures and open cases."""
    villages = {u.code: u for u in _in_county(Kind.VILLAGE)}
    departments = {u.code: u for u in Unit.objects.unscoped(DEMO).filter(kind=Kind.DEPARTMENT)}
    if not villages:
        return "缺少行政区划，跳过"
    zhen = User.objects.filter(username="zhen").first()
    plans = [(LIHEPU[0], p) for p in _dispute_plan(LIHEPU[0], LIHEPU_VILLAGES, LIHEPU_OUTCOMES, LIHEPU_OPEN, 44)]
    plans += [(SHIAN[0], p) for p in _dispute_plan(SHIAN[0], SHIAN_VILLAGES, SHIAN_OUTCOMES, [], 9)]
    sequence: dict[str, int] = {}
    rows: list[tuple[Dispute, dict[str, Any]]] = []
    for town_code, plan in plans:
        village = villages.get(plan["village"])
        if village is None:
            continue
        prefix = f"{YEAR}{codes.below_county(village.code)}"
        sequence[prefix] = sequence.get(prefix, 0) + 1
        number = f"{prefix}{sequence[prefix]:03d}"
        rng: random.Random = plan["rng"]
        kind: str = plan["kind"]
        status = kind.split(":")[1] if kind.startswith("open:") else "closed"
        outcome = "" if status != "closed" else kind
        team_codes = (
            [DEPARTMENT_BY_TYPE[t] for t in ("派出所", "司法所", "信访办")]
            if town_code == LIHEPU[0]
            else [f"{SHIAN[0]}B01"]
        )
        mediated = outcome in ("mediated", "pre_litigation", "failed") or status == "mediating"
        session_count = 0 if not mediated else 1 + (rng.random() < 0.5) + (outcome == "pre_litigation")
        closed_on = plan["received"] + dt.timedelta(days=rng.randint(5, 25)) if status == "closed" else None
        dispute = Dispute(
            number=number,
            village=village,
            type=plan["type"],
            summary=plan["summary"],
            description=plan["description"],
            risk=rng.choices(["yellow", "orange", "red"], [70, 25, 5])[0],
            status=status,
            received_on=plan["received"],
            closed_on=closed_on,
            outcome=outcome,
            mediated=mediated,
            lead_department=departments.get(team_codes[1] if len(team_codes) > 1 else team_codes[0])
            if status != "registered"
            else None,
            petition_beyond_village=outcome == "failed" and village.name == "双庙村",
            amount=rng.choice([None, 800, 2000, 3500, 6000, 12000])
            if plan["type"] in ("labour", "debt", "damages", "traffic", "land")
            else None,
            result_note=_result(outcome),
            registered_by=zhen if town_code == LIHEPU[0] else None,
            created_at=dt.datetime.combine(plan["received"], dt.time(9), tzinfo=TZ),
        )
        rows.append(
            (dispute, {"team": team_codes if status != "registered" else [], "sessions": session_count, "rng": rng})
        )
    have = set(
        Dispute.objects.unscoped(DEMO).filter(number__in=[d.number for d, _ in rows]).values_list("number", flat=True)
    )
    rows = [(d, extra) for d, extra in rows if d.number not in have]
    Dispute.objects.bulk_create([d for d, _ in rows])
    saved = {d.number: d for d in Dispute.objects.unscoped(DEMO).filter(number__in=[d.number for d, _ in rows])}
    parties, members, sessions, steps = [], [], [], []
    for draft, extra in rows:
        dispute = saved[draft.number]
        rng = extra["rng"]
        parties += [
            Party(dispute=dispute, side="applicant", name=_name(rng), phone=_phone(rng)),
            Party(dispute=dispute, side="respondent", name=_name(rng), phone=_phone(rng)),
        ]
        members += [
            DisputeTeamMember(dispute=dispute, department=departments[c]) for c in extra["team"] if c in departments
        ]
        when = dt.datetime.combine(dispute.received_on, dt.time(9, 30), tzinfo=TZ)
        steps.append(
            DisputeStep(
                dispute=dispute,
                at=when,
                actor_name="刘洋",
                action="register",
                action_label="登记",
                reason="当事人 2 人",
            )
        )
        if extra["team"]:
            steps.append(
                DisputeStep(
                    dispute=dispute,
                    at=when + dt.timedelta(hours=3),
                    actor_name="刘洋",
                    action="triage",
                    action_label="分流",
                    reason="“警司访+”联合调解",
                )
            )
        for s in range(extra["sessions"]):
            held = dispute.received_on + dt.timedelta(days=2 + 3 * s)
            if dispute.closed_on and held > dispute.closed_on:
                held = dispute.closed_on
            who = "、".join(rng.sample(MEDIATORS, 2))
            sessions.append(
                MediationSession(
                    dispute=dispute,
                    held_on=held,
                    place=f"{dispute.village.name}村委会调解室",
                    mediators=who,
                    note="听取双方陈述，释法明理，提出调解方案。",
                )
            )
            steps.append(
                DisputeStep(
                    dispute=dispute,
                    at=dt.datetime.combine(held, dt.time(15), tzinfo=TZ),
                    actor_name="刘洋",
                    action="session",
                    action_label="调解",
                    reason=who,
                )
            )
        if dispute.closed_on:
            steps.append(
                DisputeStep(
                    dispute=dispute,
                    at=dt.datetime.combine(dispute.closed_on, dt.time(16), tzinfo=TZ),
                    actor_name="刘洋",
                    action="close",
                    action_label="结案",
                    reason=dispute.get_outcome_display(),
                )
            )
    Party.objects.bulk_create(parties)
    DisputeTeamMember.objects.bulk_create(members)
    MediationSession.objects.bulk_create(sessions)
    DisputeStep.objects.bulk_create(steps)
    if rows:
        _record(
            "dispute.demo",
            f"演示矛盾纠纷 {len(rows)} 件",
            Unit.objects.unscoped(DEMO).filter(code=LIHEPU[0]).first(),
            Dispute,
            len(rows),
        )
    return f"矛盾纠纷新增 {len(rows)} 件，调解记录 {len(sessions)} 次"


def _result(outcome: str) -> str:
    return {
        "mediated": "经“警司访+”联合调解，双方达成一致并签订人民调解协议书，当场履行。",
        "pre_litigation": "当事人已向法院起诉，法院委派诉前调解，经调解达成协议并经司法确认。",
        "failed": "经多次调解双方分歧较大，未能达成协议，告知当事人通过诉讼途径解决。",
        "court": "当事人直接向法院起诉，已引导依法诉讼。",
        "withdrawn": "当事人自行和解，申请撤回调解。",
    }.get(outcome, "")
