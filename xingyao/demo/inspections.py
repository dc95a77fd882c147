"""溧河铺镇's four 2023 inspection rounds (一季度一观摩), as the briefing describes them: the town's team visits the
villages each quarter, scores them on the county's 2023 score sheet, praises what was done, points out problems and
comments; some problems go onto the rectification ledger in one step and are worked, accepted and closed.
毛桥村, the weak branch rebuilt in spring, rises from the bottom of the first round to the top group by the fourth.
Written through the apps' own actions: the town's administrator organises, its reviewer scores.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from xingyao.accounts.models import User
from xingyao.core.actors import SYSTEM
from xingyao.demo.tree import COUNTY, LIHEPU
from xingyao.inspections import actions
from xingyao.inspections.models import Problem, Round, ScoreSheet, Visit
from xingyao.inspections.queries import sheet_items
from xingyao.inspections.workflow import Move, Star
from xingyao.ledgers import actions as ledger_actions
from xingyao.places.models import Unit

DEMO = "the demo loader builds the whole demo township"
YEAR = 2023
# The route, in the order the team drives it: the villages the briefing and the assessments name.
ROUTE = ["毛桥村", "庄营村", "杨岗村", "孙楼村", "周营村", "冯营村", "屯头村", "东湖村", "西岭村", "南塘村", "北坡村",
         "柳林村", "石桥村", "新安村"]  # fmt: skip
ROUNDS = {  # quarter: (first day, last day)
    1: (dt.date(2023, 3, 28), dt.date(2023, 3, 29)),
    2: (dt.date(2023, 6, 27), dt.date(2023, 6, 28)),
    3: (dt.date(2023, 9, 12), dt.date(2023, 9, 13)),
    4: (dt.date(2023, 12, 19), dt.date(2023, 12, 20)),
}
TEAM = "李建国（镇党委书记）、张卫国（镇长）、刘洋（组织委员）、陈静（党建办）、王志强（驻村第一书记代表）"
# Each village's level (share of the points it earns) per quarter; 毛桥村 rises as its rectification lands.
LEVELS = {
    "毛桥村": (0.58, 0.74, 0.85, 0.90),
    "庄营村": (0.80, 0.82, 0.86, 0.88),
    "杨岗村": (0.78, 0.80, 0.83, 0.85),
    "孙楼村": (0.88, 0.90, 0.91, 0.93),
    "周营村": (0.80, 0.79, 0.82, 0.83),
    "冯营村": (0.76, 0.78, 0.80, 0.82),
    "屯头村": (0.79, 0.81, 0.80, 0.84),
    "东湖村": (0.74, 0.72, 0.75, 0.73),
    "西岭村": (0.66, 0.70, 0.71, 0.74),
    "南塘村": (0.72, 0.75, 0.77, 0.78),
    "北坡村": (0.73, 0.74, 0.78, 0.80),
    "柳林村": (0.75, 0.77, 0.76, 0.79),
    "石桥村": (0.71, 0.73, 0.76, 0.77),
    "新安村": (0.74, 0.76, 0.79, 0.81),
}
# What each named village is known for (亮点), from the briefing.
KNOWN = {
    "孙楼村": "孙楼瓜菜产业联合党支部“党支部+龙头企业+合作社+农户”模式成熟，“高山”牌娃娃菜远销北京、沈阳",
    "周营村": "周营西瓜品牌打响，合作社统一品种、统一销售",
    "冯营村": "冯营菊花种植规模扩大，带动留守妇女就近务工",
    "屯头村": "屯头黄桃园管护到位，采摘游初具规模",
    "庄营村": "党群服务中心提升改造，一厅五室规范运行",
    "杨岗村": "文化广场配套完成，群众文化活动丰富",
}
MAOQIAO = {  # quarter: (praise, problems, comments)
    1: (
        "软弱涣散整顿台账建立，问题、目标、措施“三精准”，时限、步骤、责任“三明确”",
        [
            "党群服务中心尚在施工，群众活动无固定场地",
            "环形路路基刚开挖，雨天出行仍难",
            "支委会记录不全，组织生活不够规范",
        ],
        "整顿刚起步，要按台账倒排工期，确保三个月内见成效",
    ),
    2: (
        "430平方米党群服务中心挂牌启用，1280平方米文化广场、1500米环形路建成，整顿销号",
        ["墙绘内容单一，与村史村情结合不够", "广场周边花坛缺少日常管护"],
        "三个月完成整顿任务，由软弱涣散向五星创建顺利衔接，要巩固成果、防止反弹",
    ),
    3: (
        "阵地用起来了，主题党日、便民服务常态开展；墙绘已按村史村情重绘",
        ["集体经济收入来源单一"],
        "进步明显，下一步在产业上找突破，发展村集体经济",
    ),
    4: (
        "引进小型加工项目，集体经济有了稳定收入；人居环境保持良好",
        ["网格员入户走访记录不够规范"],
        "由后进变先进，要把整顿中形成的好做法固定下来",
    ),
}
PROBLEMS = {  # the weakest star of a visit → problems the team points out
    Star.BRANCH: ["“三会一课”记录不够规范", "党员积分管理未落实到人", "村级阵地功能室使用率不高"],
    Star.INDUSTRY: ["特色产业规模小，带动能力弱", "村集体经济收入来源单一", "合作社运营不规范"],
    Star.ECOLOGY: ["村内坑塘垃圾清理不彻底", "背街小巷存在柴草乱堆乱放", "墙绘破损未及时修补", "花坛缺少日常管护"],
    Star.SAFETY: ["矛盾纠纷排查台账更新不及时", "微网格员入户走访记录不全", "防溺水警示牌设置不足"],
    Star.CIVILITY: ["便民服务台账不全", "红白理事会作用发挥不够", "文化活动开展次数偏少"],
}
PRAISES = {
    Star.BRANCH: "支部班子团结有力，主题党日开展扎实",
    Star.INDUSTRY: "“一村一品”产业带动群众增收",
    Star.ECOLOGY: "人居环境整治见效，村容村貌干净整洁",
    Star.SAFETY: "“警司访+”联调机制运转顺畅，矛盾纠纷就地化解",
    Star.CIVILITY: "便民服务就近办、马上办，群众满意度高",
}
COMMENTS = ["整体工作扎实，要在薄弱环节上补短板", "亮点突出，要总结经验、形成可复制的做法",
            "进度偏慢，要对照创星任务清单倒排工期", "基础较好，要防止松劲，持续提升"]  # fmt: skip
# Problems turned into ledger items: (quarter, village, problem, responsible, closed or left for acceptance).
TO_ITEMS = [
    (2, "毛桥村", "墙绘内容单一，与村史村情结合不够", "村委会副主任 毛建军", True),
    (2, "西岭村", None, "西岭村党支部书记", True),
    (3, "毛桥村", "集体经济收入来源单一", "村党支部书记 毛德胜", True),
    (3, "东湖村", None, "东湖村党支部书记", True),
    (4, "北坡村", None, "北坡村党支部书记", False),
]


def _user(username: str) -> Any:
    return User.objects.filter(username=username).first() or SYSTEM


def _scores(items: list[Any], level: float, rng: random.Random) -> dict[int, Decimal]:
    found = {}
    for item in items:
        share = min(1.0, max(0.3, level + rng.uniform(-0.08, 0.08)))
        halves = (Decimal(str(item.max_points * share)) * 2).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        found[item.pk] = min(Decimal(item.max_points), halves / 2)
    return found


def _texts(name: str, quarter: int, items: list[Any], scores: dict[int, Decimal], rng: random.Random) -> Any:
    if name == "毛桥村":
        return MAOQIAO[quarter]
    by_star: dict[Star, Decimal] = {}
    tops: dict[Star, int] = {}
    for item in items:
        star = Star(item.star)
        by_star[star] = by_star.get(star, Decimal(0)) + scores[item.pk]
        tops[star] = tops.get(star, 0) + item.max_points
    ordered = sorted(Star, key=lambda s: by_star[s] / tops[s])
    weakest, strongest = ordered[0], ordered[-1]
    praise = KNOWN.get(name) or PRAISES[strongest]
    if name in KNOWN and quarter > 1:
        praise = f"{praise}；{PRAISES[strongest]}"
    pool = PROBLEMS[weakest]
    problems = [pool[(quarter + len(name)) % len(pool)]]
    if rng.random() < 0.5:
        second = PROBLEMS[ordered[1]]
        problems.append(second[(quarter * 2 + len(name)) % len(second)])
    return praise, problems, COMMENTS[(quarter + len(name)) % len(COMMENTS)]


def _work_item(item: Any, start: dt.date, close: bool) -> None:
    ledger_actions.do_record_progress(
        SYSTEM, item.pk, acted_on=start + dt.timedelta(days=12), note="按观摩点评意见整改完成，留存前后对比照片"
    )
    ledger_actions.do_submit(SYSTEM, item.pk)
    if not close:
        return
    accepted = start + dt.timedelta(days=18)
    ledger_actions.do_accept(SYSTEM, item.pk, method="site", score=88, accepted_on=accepted,
                             panel="镇纪委、镇党建办联合验收组", note="整改到位")  # fmt: skip
    ledger_actions.do_close_item(SYSTEM, item.pk, on=accepted)


def load_inspections() -> str:
    """The county's 2023 score sheet and 溧河铺镇's four 2023 rounds; only when the town has no 2023 round yet."""
    units = Unit.objects.unscoped(DEMO)
    county, town = units.filter(code=COUNTY[0]).first(), units.filter(code=LIHEPU[0]).first()
    if county is None or town is None:
        return "未找到新野县或溧河铺镇，跳过"
    if Round.objects.unscoped(DEMO).filter(unit=town, year=YEAR).exists():
        return "已存在，未改动"
    organiser, scorer = _user("zhen"), _user("zhen_shenhe")
    sheet = ScoreSheet.objects.unscoped(DEMO).filter(county=county, year=YEAR).first()
    if sheet is None:
        sheet = actions.do_create_sheet(_user("xian"), county=county, year=YEAR)
    items = sheet_items(sheet)
    by_name = {u.name: u for u in units.filter(parent=town, name__in=ROUTE)}
    route = [by_name[name] for name in ROUTE if name in by_name]
    rng = random.Random(2023)
    turned = 0
    for quarter, (first, last) in ROUNDS.items():
        rnd = actions.do_plan_round(organiser, unit=town, year=YEAR, quarter=quarter, route=route, starts_on=first,
                                    ends_on=last, team=TEAM)  # fmt: skip
        actions.do_round_move(organiser, rnd.pk, Move.START)
        visits = list(Visit.objects.unscoped(DEMO).filter(round=rnd).select_related("village").order_by("order"))
        for n, visit in enumerate(visits):
            name = visit.village.name
            scores = _scores(items, LEVELS.get(name, (0.75,) * 4)[quarter - 1], rng)
            praise, problems, comments = _texts(name, quarter, items, scores, rng)
            actions.do_score_visit(scorer, visit.pk, scores=scores, visited_on=first if n < len(visits) // 2 else last,
                                   praise=praise, problems=problems, comments=comments)  # fmt: skip
        for when, name, text, responsible, close in TO_ITEMS:
            if when != quarter:
                continue
            stop = next((v for v in visits if v.village.name == name), None)
            if stop is None:
                continue
            problems = Problem.objects.unscoped(DEMO).filter(visit=stop, item__isnull=True).order_by("order")
            chosen = problems.filter(text=text).first() if text else problems.first()
            if chosen is None:
                continue
            start = last + dt.timedelta(days=2)
            opened = actions.do_problems_to_items(
                organiser, stop.pk, problem_ids=[chosen.pk], target="问题整改到位，下次观摩复查通过",
                measure="对照观摩点评意见制定整改方案，落实到人",
                steps="村“两委”研究整改方案；组织实施；完成后提请验收",
                responsible=responsible, start_on=start, days=20,
            )  # fmt: skip
            for item in opened:
                _work_item(item, start, close)
            turned += len(opened)
        actions.do_round_move(organiser, rnd.pk, Move.FINISH)
    rounds = f"溧河铺镇观摩 {len(ROUNDS)} 轮，每轮 {len(route)} 个村"
    return f"{YEAR}年观摩评分表 {len(items)} 项；{rounds}；问题转为整改事项 {turned} 项"
