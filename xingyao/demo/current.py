"""The current year in progress beside the seed's 2023, dated relative to the day the demo is loaded.

2023 keeps the seed's dates. This module gives 溧河铺镇 the year the demo is loaded in (`timezone.localdate().year`) as
work under way: the year's criteria set and plans, grid events of the last weeks (some overdue, some closed today,
some with a department), disputes in mediation, Party-life meetings of the last months, open ledger items and
enterprise requests, an inspection round this quarter, environment works under way, a star warning, and the year's
assessments in draft and submitted (one sent back). Everything goes through the apps' `do_*` actions; each is run
with the demo's clock set to the moment the step happened (`clock`), so the record, its history, its deadline and
its notices carry that moment. A fixed seed makes the load the same for the same load date; every part looks for its
own records of the year first, so a second run changes nothing.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal

from django.utils import timezone
from PIL import Image

from xingyao.accounts.models import User
from xingyao.assessments import actions as assessment_actions
from xingyao.assessments.models import Assessment
from xingyao.core.actors import SYSTEM
from xingyao.demo.inspections import TEAM, _scores
from xingyao.demo.safety import DEPARTMENT_BY_TYPE
from xingyao.demo.stars import DEADLINES, GENERIC, SECRETARIES, _targets
from xingyao.demo.tree import COUNTY, LIHEPU, LIHEPU_VILLAGES, MAOQIAO, PAICHUSUO
from xingyao.disputes.actions import PartyIn, do_add_session, do_register_dispute, do_triage
from xingyao.disputes.models import Dispute
from xingyao.economy import actions as economy_actions
from xingyao.economy.models import Enterprise, EnterpriseRequest
from xingyao.grid.actions import MoveInput, do_report_event
from xingyao.grid.actions import do_transition as do_event_move
from xingyao.grid.models import Event, EventCategory
from xingyao.grid.workflow import Action as EventMove
from xingyao.inspections import actions as inspection_actions
from xingyao.inspections.models import Round, ScoreSheet, Visit
from xingyao.inspections.queries import sheet_items
from xingyao.inspections.workflow import Move as RoundMove
from xingyao.ledgers import actions as ledger_actions
from xingyao.ledgers.models import Item
from xingyao.ledgers.queries import star_name_of
from xingyao.ledgers.warnings import do_raise_overdue
from xingyao.livability.actions import do_record_work
from xingyao.livability.models import Work
from xingyao.livability.vocabulary import UNIT_OF, WorkKind
from xingyao.partylife.actions import do_record_meeting
from xingyao.partylife.models import Meeting
from xingyao.partylife.workflow import Kind as MeetingKind
from xingyao.places import codes
from xingyao.places.codes import Kind
from xingyao.places.models import Unit
from xingyao.stars.actions import do_create_plan, do_load_example
from xingyao.stars.models import StarPlan

DEMO = "the demo loader builds the whole demo township"  # the reason its reads are unscoped
UNCHANGED = "已存在，未改动"


# ---- the demo's clock


@contextmanager
def clock(moment: dt.datetime) -> Iterator[None]:
    """Run the actions inside as if it were `moment`: they take their time from `timezone.now()` (and
    `timezone.localdate()`, which reads it), so the record, its history and its deadlines carry that moment.
    The demo loader is the only caller; it runs single-threaded and restores the clock it found."""
    found = timezone.now
    timezone.now = lambda: moment  # type: ignore[assignment]
    try:
        yield
    finally:
        timezone.now = found  # type: ignore[assignment]


class Days:
    """Moments relative to the load time, never before 1 January of the year nor after the load time."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = timezone.localtime(now)
        self.today = self.now.date()
        self.year = self.today.year
        self.first = timezone.make_aware(dt.datetime(self.year, 1, 1, 0, 1))

    def at(self, days_ago: int, hour: int = 9, minute: int = 0) -> dt.datetime:
        day = timezone.make_aware(dt.datetime.combine(self.today - dt.timedelta(days=days_ago), dt.time(hour, minute)))
        return min(max(day, self.first), self.now - dt.timedelta(minutes=1))

    def day(self, days_ago: int) -> dt.date:
        return max(self.today - dt.timedelta(days=days_ago), self.first.date())

    def today_at(self, minutes_ago: int) -> dt.datetime:
        """A moment earlier today: `minutes_ago` before now, but not before today's first minute."""
        start = self.now.replace(hour=0, minute=1, second=0, microsecond=0)
        return max(self.now - dt.timedelta(minutes=minutes_ago), start)


def _days() -> Days:
    return Days(timezone.now())


def _photo(seed: int, label: str) -> io.BytesIO:
    image = Image.new("RGB", (80 + seed % 13, 60 + seed % 11), ((seed * 61) % 255, 120, (seed * 37) % 255))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=70)
    out.seek(0)
    out.name = f"{label}.jpg"
    return out


def _units() -> tuple[Unit | None, Unit | None, dict[str, Unit]]:
    units = Unit.objects.unscoped(DEMO)
    county, town = units.filter(code=COUNTY[0]).first(), units.filter(code=LIHEPU[0]).first()
    villages = {u.name: u for u in units.filter(parent=town, kind=Kind.VILLAGE)} if town else {}
    return county, town, villages


def _users(*names: str) -> dict[str, User]:
    return {u.username: u for u in User.objects.filter(username__in=names)}


# ---- step 1: the year's criteria set and plans


def load_current_plans() -> str:
    """The year's criteria set (the example set, published) and each village's 创星计划 for the year."""
    days = _days()
    county, town, villages = _units()
    if county is None or town is None:
        return "未找到新野县或溧河铺镇，跳过"
    year = days.year
    with clock(days.at((days.today - dt.date(year, 1, 2)).days, 8)):  # the county publishes on 2 January
        criteria_set, created = do_load_example(SYSTEM, county, year, publish=True)
    have = set(
        StarPlan.objects.unscoped(DEMO).filter(village__parent=town, year=year).values_list("village_id", "star_code")
    )
    town_admin, clerk = User.objects.get(username="zhen"), User.objects.get(username="maoqiao")
    made = 0
    for index, name in enumerate(LIHEPU_VILLAGES):
        village = villages.get(name)
        if village is None:
            continue
        for star in _targets(index, name):
            if (village.pk, star) in have:
                continue
            # The seed's narratives are 2023's (毛桥村's weak branch, its new centre): this year's plans are generic.
            strengths, gaps, measures = GENERIC[star]
            month, day = DEADLINES[star]
            with clock(days.at(min(60, days.today.timetuple().tm_yday - 1) - index % 5, 10)):
                do_create_plan(
                    clerk if name == "毛桥村" else town_admin,
                    village,
                    year,
                    star,
                    strengths=strengths,
                    gaps=gaps,
                    measures=measures,
                    responsible=SECRETARIES[index % len(SECRETARIES)],
                    deadline=dt.date(year, month, day),
                )
            made += 1
    if not created and not made:
        return UNCHANGED
    state = "已加载并发布" if created else "已存在"
    return f"{criteria_set}{state}；{year}年创星计划新增 {made} 份"


# ---- step 2: grid events, disputes and a warning of the last weeks

# (kind, village, grid, category, title, description, days ago reported)
# kind: reported (待受理) · accepted (待派遣) · late (派遣后超期) · handling (办理中，未到期) · feedback (待核查)
# · today (今日办结) · closed (已办结) · zero (打破“三零”的事件：预警)
EVENTS: list[tuple[str, str, int, str, str, str, int]] = [
    ("reported", "毛桥村", 1, "HJWS-LJ", "环村路边垃圾堆放", "环村路东段路边有生活垃圾堆放，需清运。", 0),
    ("reported", "毛桥村", 1, "GGSS-LD", "文化广场路灯不亮", "文化广场两盏路灯夜间不亮，群众跳舞不便。", 1),
    ("reported", "孙楼村", 2, "SCJG-SP", "冷库周边流动摊贩占道", "娃娃菜冷库门口流动摊贩占道经营。", 0),
    ("accepted", "庄营村", 1, "GGSS-DL", "村道出现坑槽", "村道中段出现大坑槽，雨天积水。", 1),
    ("accepted", "杨岗村", 3, "MDJF-LL", "邻里因宅前堆放物料争执", "两户因宅前堆放物料发生口角，请求协调。", 2),
    ("accepted", "周营村", 2, "XFYH-DDC", "楼道内电动车充电", "居民在楼道内飞线给电动车充电。", 0),
    ("late", "冯营村", 1, "HJWS-WS", "生活污水直排路边沟", "几户生活污水直排路边沟，沟内淤积发臭。", 26),
    ("late", "屯头村", 2, "GGSS-YS", "自来水压力低", "片区自来水压力低，高处几户早晚用不上水。", 22),
    ("late", "东湖村", 1, "HJWS-WJ", "承包地边私搭简易棚", "有村民在承包地边搭建简易棚，疑似违建。", 19),
    ("late_police", "毛桥村", 2, "ZAYH-KY", "夜间有陌生车辆徘徊", "夜间有陌生车辆在村内多次徘徊。", 24),
    ("late_police", "西岭村", 1, "MDJF-TD", "承包地边界争议", "两户承包地边界不清，春耕时发生争执。", 20),
    ("handling", "南塘村", 1, "FNS-JS", "坑塘缺少警示牌", "村西坑塘水深，岸边无警示牌。", 2),
    ("handling", "北坡村", 2, "ZAYH-HDD", "疑似聚众赌博线索", "群众反映有人在闲置房屋内聚众打牌。", 1),
    ("feedback", "柳林村", 1, "MDJF-LL", "滴水檐纠纷", "两户因房屋滴水檐和排水问题争执。", 6),
    ("feedback", "石桥村", 2, "ZAYH-KY", "废品收购点可疑物品", "废品收购点收到来历不明的电缆。", 5),
    ("today", "新安村", 1, "MDJF-HY", "家庭矛盾需调解", "夫妻因赡养老人问题争吵，家人请求网格员协调。", 7),
    ("today", "和平村", 2, "ZAYH-KY", "学校附近可疑人员", "放学时段学校附近有可疑人员逗留。", 5),
    ("today", "红星村", 1, "MDJF-LZ", "务工人员工资拖欠", "村民反映在本地企业务工工资被拖欠。", 9),
    ("closed", "青松村", 1, "MDJF-LL", "宅前排水沟清淤争执", "两户共用排水沟淤堵，清淤费用分担有争议。", 18),
    ("closed", "长乐村", 2, "ZAYH-KY", "村口电动车被盗", "村口超市门前一辆电动车被盗。", 14),
    ("closed", "兴隆村", 1, "MDJF-TD", "地界桩丢失", "承包地地界桩丢失，两户各执一词。", 11),
    ("closed", "毛桥村", 1, "MDJF-LL", "宅前排水争执", "两户宅前排水方向有争议。", 16),
    ("zero", "双庙村", 1, "DLJT-SW", "村道发生交通事故一人受伤", "三轮车与电动车在村道相撞，一人受伤送医。", 3),
]


def _grid(village: Unit, number: int) -> Unit | None:
    return Unit.objects.unscoped(DEMO).filter(code=f"{village.code}{number:03d}", kind=Kind.GRID).first()


def _worker(grid: Unit) -> User | None:
    if grid.code == f"{MAOQIAO}001":
        return User.objects.filter(username="wangge").first()
    return User.objects.filter(username=f"wg{codes.below_county(grid.code)}").first()


def load_current_safety() -> str:
    """Grid events of the last weeks through the whole workflow, disputes in mediation, and a warning."""
    days = _days()
    county, town, villages = _units()
    if county is None or town is None:
        return "未找到新野县或溧河铺镇，跳过"
    start = timezone.make_aware(dt.datetime(days.year, 1, 1))
    events = 0
    if not Event.objects.unscoped(DEMO).filter(village__parent=town, reported_at__gte=start).exists():
        events = _events(days, county, villages)
    disputes = 0
    if not Dispute.objects.unscoped(DEMO).filter(village__parent=town, received_on__year=days.year).exists():
        disputes = _disputes(days, villages)
    if not (events or disputes):
        return UNCHANGED
    return f"{days.year}年网格事件新增 {events} 件，矛盾纠纷新增 {disputes} 件"


def _events(days: Days, county: Unit, villages: dict[str, Unit]) -> int:
    rng = random.Random(days.year)
    users = _users("zhen", "zhen_shenhe", "paichusuo")
    zhen, reviewer, police = users["zhen"], users["zhen_shenhe"], users["paichusuo"]
    categories = {c.code: c for c in EventCategory.objects.unscoped(DEMO).filter(county=county)}
    departments = {u.code: u for u in Unit.objects.unscoped(DEMO).filter(kind=Kind.DEPARTMENT, parent__code=LIHEPU[0])}
    police_station = departments[PAICHUSUO]
    centre = departments.get(DEPARTMENT_BY_TYPE["综治中心"], police_station)
    made = 0
    for n, (kind, name, grid_no, category_code, title, description, ago) in enumerate(EVENTS):
        village, category = villages.get(name), categories.get(category_code)
        grid = _grid(village, grid_no) if village else None
        if grid is None or category is None:
            continue
        worker = _worker(grid)
        reporter = zhen if kind == "reported" or worker is None else worker
        reported = days.at(ago, rng.randint(7, 11), rng.randrange(60))
        with clock(reported):
            event = do_report_event(
                reporter,
                unit=grid,
                category=category,
                title=title,
                description=description,
                address=f"{name}{rng.choice(['东头', '西头', '村委会附近', '主街', '南组'])}",
            )
        made += 1
        if kind in ("reported", "accepted", "zero"):
            continue
        if event.state == "reported":
            with clock(reported + dt.timedelta(minutes=20)):
                event = do_event_move(zhen, event, EventMove.ACCEPT)
        to_police = kind != "late"
        # The police station has the demo's handler (赵卫东), who works his events on; the others wait with the
        # department the category names (or the town's 综治中心).
        by_type = departments.get(DEPARTMENT_BY_TYPE.get(category.department_type, ""), centre)
        department = police_station if to_police else by_type
        dispatched = reported + dt.timedelta(hours=1, minutes=rng.randrange(60))
        with clock(dispatched):
            event = do_event_move(zhen, event, EventMove.DISPATCH, MoveInput(department=department))
        if kind == "late":
            continue
        with clock(dispatched + dt.timedelta(hours=2)):
            event = do_event_move(police, event, EventMove.START_HANDLING)
        if kind in ("handling", "late_police"):
            continue
        fed_back = days.at(max(ago - 3, 1), 16) if kind != "feedback" else days.at(1, 15)
        with clock(max(fed_back, dispatched + dt.timedelta(hours=3))):
            event = do_event_move(
                police,
                event,
                EventMove.GIVE_FEEDBACK,
                MoveInput(reason="已到现场处置完毕，附处置后照片。", photos=[_photo(n, f"处置后-{n}")]),
            )
        if kind == "feedback":
            continue
        if kind == "today":
            verified, closed = days.today_at(90 + 10 * n), days.today_at(30 + 5 * n)
        else:
            verified, closed = days.at(max(ago - 4, 1), 10), days.at(max(ago - 4, 1), 15)
        with clock(verified):
            event = do_event_move(reviewer, event, EventMove.VERIFY, MoveInput(reason="已电话回访，群众满意"))
        with clock(max(closed, verified + dt.timedelta(minutes=1))):
            do_event_move(zhen, event, EventMove.CLOSE)
    return made


DISPUTES = [
    # (village, type, summary, description, days ago received, sessions)
    ("庄营村", "neighbours", "宅前排水沟清淤费用分担争执", "两户共用排水沟淤堵，因清淤费用分担发生争执。", 12, 2),
    ("孙楼村", "labour", "冷库装卸工工资拖欠", "娃娃菜冷库装卸工反映被拖欠一个月工资。", 8, 1),
    ("周营村", "land", "土地流转租金纠纷", "流转大户拖欠部分农户土地租金，农户集体反映。", 5, 0),
    ("杨岗村", "marriage", "赡养老人费用分担", "三个子女对老人的赡养费用和轮流照顾安排有分歧。", 2, -1),
]


def _disputes(days: Days, villages: dict[str, Unit]) -> int:
    rng = random.Random(days.year * 7)
    zhen = User.objects.get(username="zhen")
    departments = {u.code: u for u in Unit.objects.unscoped(DEMO).filter(kind=Kind.DEPARTMENT, parent__code=LIHEPU[0])}
    team = [departments[f"{LIHEPU[0]}B0{i}"] for i in (1, 2, 3) if f"{LIHEPU[0]}B0{i}" in departments]
    made = 0
    for name, kind, summary, description, ago, sessions in DISPUTES:
        village = villages.get(name)
        if village is None:
            continue
        received = days.day(ago)
        with clock(days.at(ago, 9)):
            dispute = do_register_dispute(
                zhen,
                village=village,
                type=kind,
                summary=summary,
                description=description,
                risk="yellow",
                received_on=received,
                parties=[PartyIn("applicant", f"{name[0]}建国"), PartyIn("respondent", f"{name[0]}志强")],
            )
        made += 1
        if sessions < 0:
            continue
        with clock(days.at(ago, 11)):
            dispute = do_triage(
                zhen,
                dispute,
                risk="yellow",
                lead_department=team[1] if len(team) > 1 else None,
                team=team,
                note="“警司访+”联合调解",
            )
        for s in range(sessions):
            held = days.day(max(ago - 2 - 3 * s, 0))
            with clock(days.at(max(ago - 2 - 3 * s, 0), 15)):
                do_add_session(
                    zhen,
                    dispute,
                    held_on=held,
                    place=f"{name}村委会调解室",
                    mediators="、".join(rng.sample(["派出所赵卫东", "司法所王振华", "信访办马红梅"], 2)),
                    note="听取双方陈述，释法明理，提出调解方案。",
                )
    return made


# ---- step 3: meetings, ledger items, requests, an inspection round, works


def load_current_work() -> str:
    """Party-life meetings of recent months, open ledger items and enterprise requests, this quarter's inspection
    round, environment works under way, and the overdue items' warnings."""
    days = _days()
    county, town, villages = _units()
    if county is None or town is None:
        return "未找到新野县或溧河铺镇，跳过"
    parts: list[tuple[str, Callable[[], int]]] = [
        ("组织生活会议", lambda: _meetings(days, town, villages)),
        ("整改事项", lambda: _items(days, town, villages)),
        ("企业诉求", lambda: _requests(days, town)),
        ("观摩村", lambda: _round(days, county, town, villages)),
        ("人居环境工程", lambda: _works(days, town, villages)),
    ]
    done = [(label, make()) for label, make in parts]
    with clock(days.now):
        warned = do_raise_overdue(SYSTEM, today=days.today)
    if not any(n for _, n in done) and not warned:
        return UNCHANGED
    return f"{days.year}年：" + "，".join(f"{label} {n}" for label, n in done) + f"，超期预警 {warned} 条"


MEETING_VILLAGES = ["毛桥村", "庄营村", "杨岗村", "孙楼村", "周营村", "冯营村", "屯头村", "东湖村"]


def _meetings(days: Days, town: Unit, villages: dict[str, Unit]) -> int:
    if Meeting.objects.unscoped(DEMO).filter(village__parent=town, held_on__year=days.year).exists():
        return 0
    zhen = User.objects.get(username="zhen")
    made = 0
    months = sorted({(d.year, d.month) for d in (days.day(60), days.day(30), days.day(0))})
    for index, name in enumerate(MEETING_VILLAGES):
        village = villages.get(name)
        if village is None:
            continue
        members = 16 + (index * 7) % 19
        for year, month in months:
            for kind, on_day, topic in (
                (MeetingKind.COMMITTEE, 5, f"{month}月支委会：研究本月重点工作"),
                (MeetingKind.THEME_DAY, 15, f"主题党日：学习{month}月理论学习重点"),
            ):
                held = dt.date(year, month, on_day)
                if held > days.today:
                    continue
                absent = (month + index) % 3
                with clock(days.at((days.today - held).days, 18)):
                    do_record_meeting(
                        zhen,
                        village=village,
                        kind=kind,
                        held_on=held,
                        topic=topic,
                        led_by="村党支部书记",
                        expected=members,
                        present=members - absent,
                        place="村党群服务中心",
                        minutes=f"{topic}。应到{members}人，实到{members - absent}人。",
                    )
                made += 1
    return made


# (village, star, days ago started, working days): gaps of the year's plans on the ledger, due soon or overdue
ITEMS = [
    ("毛桥村", "ecology", 20, 15),
    ("毛桥村", "civility", 12, 10),
    ("庄营村", "ecology", 30, 15),
    ("孙楼村", "industry", 8, 30),
    ("周营村", "safety", 25, 12),
]


def _items(days: Days, town: Unit, villages: dict[str, Unit]) -> int:
    made = 0
    for name, star, ago, workdays in ITEMS:
        plan = (
            StarPlan.objects.unscoped(DEMO)
            .filter(village__name=name, village__parent=town, year=days.year, star_code=star)
            .first()
        )
        if plan is None or Item.objects.unscoped(DEMO).filter(origin_id=plan.pk, source="star_gap").exists():
            continue
        with clock(days.at(ago, 10)):
            items = ledger_actions.do_gaps_to_items(
                SYSTEM,
                plan,
                star_name=star_name_of(plan),
                gaps=[0],
                measure=plan.measures,
                steps="制定方案、组织实施、提请验收",
                responsible=plan.responsible,
                start_on=days.day(ago),
                days=workdays,
            )
        for item in items:
            with clock(days.at(max(ago - 5, 0), 16)):
                ledger_actions.do_record_progress(
                    SYSTEM, item.pk, acted_on=days.day(max(ago - 5, 0)), note="已制定整改方案，正在组织实施"
                )
        made += len(items)
    return made


REQUESTS = [
    ("汉帛（新野）服饰有限公司", "新招工人宿舍用水压力不足，请协调自来水公司", 3, ["hand_over"]),
    ("河南森诺家居有限公司", "厂区门前道路破损，货车进出困难", 9, ["hand_over", "answer"]),
    ("新野县高山蔬菜产销有限公司", "冷库扩建用地手续办理咨询", 1, []),
]


def _requests(days: Days, town: Unit) -> int:
    if (
        EnterpriseRequest.objects.unscoped(DEMO)
        .filter(enterprise__village__parent=town, received_on__year=days.year)
        .exists()
    ):
        return 0
    enterprises = {e.name: e for e in Enterprise.objects.unscoped(DEMO).filter(village__parent=town)}
    made = 0
    for name, content, ago, moves in REQUESTS:
        enterprise = enterprises.get(name)
        if enterprise is None:
            continue
        with clock(days.at(ago, 10)):
            request = economy_actions.do_register_request(
                SYSTEM, enterprise_id=enterprise.pk, content=content, received_on=days.day(ago)
            )
        for step, move in enumerate(moves):
            on = days.day(max(ago - step, 0))
            with clock(days.at(max(ago - step, 0), 14)):
                economy_actions.do_step_request(SYSTEM, request.pk, move, acted_on=on, note="")
        made += 1
    return made


ROUND_VILLAGES = ["毛桥村", "庄营村", "杨岗村", "孙楼村", "周营村", "冯营村"]


def _round(days: Days, county: Unit, town: Unit, villages: dict[str, Unit]) -> int:
    if Round.objects.unscoped(DEMO).filter(unit=town, year=days.year).exists():
        return 0
    xian, zhen, scorer = (User.objects.get(username=u) for u in ("xian", "zhen", "zhen_shenhe"))
    sheet = ScoreSheet.objects.unscoped(DEMO).filter(county=county, year=days.year).first()
    if sheet is None:
        with clock(days.at(40, 9)):
            sheet = inspection_actions.do_create_sheet(xian, county=county, year=days.year)
    quarter = (days.today.month - 1) // 3 + 1
    quarter_start = dt.date(days.year, 3 * quarter - 2, 1)
    starts = max(days.day(2), quarter_start)
    route = [villages[n] for n in ROUND_VILLAGES if n in villages]
    with clock(days.at(max((days.today - quarter_start).days, 3), 9)):
        rnd = inspection_actions.do_plan_round(
            zhen,
            unit=town,
            year=days.year,
            quarter=quarter,
            route=route,
            starts_on=starts,
            ends_on=starts + dt.timedelta(days=3),
            team=TEAM,
        )
    with clock(days.at((days.today - starts).days, 8)):
        inspection_actions.do_round_move(zhen, rnd.pk, RoundMove.START)
    items = sheet_items(sheet)
    rng = random.Random(days.year * 3)
    visits = list(Visit.objects.unscoped(DEMO).filter(round=rnd).select_related("village").order_by("order"))
    for visit in visits[: len(visits) // 2]:
        with clock(days.at((days.today - starts).days, 16)):
            inspection_actions.do_score_visit(
                scorer,
                visit.pk,
                scores=_scores(items, 0.8, rng),
                visited_on=starts,
                praise="党群服务中心管理规范，台账齐全",
                problems=["村内仍有零星垃圾堆放点，需建立长效保洁机制"],
                comments="整改问题按时销号，群众满意度较高",
            )
    return len(route)


WORKS = [
    ("毛桥村", WorkKind.DRAIN, 600, "环村路北段", 25),
    ("庄营村", WorkKind.ROAD_REPAIR, 1200, "庄营至孙楼连接路", 18),
    ("杨岗村", WorkKind.WALL_PAINTING, 300, "村委会周边", 10),
    ("孙楼村", WorkKind.FLOWER_BED, 12, "主街两侧", 6),
    ("东湖村", WorkKind.PLAZA, 1, "村西文化广场", 30),
]


def _works(days: Days, town: Unit, villages: dict[str, Unit]) -> int:
    if Work.objects.unscoped(DEMO).filter(village__parent=town, started_on__year=days.year).exists():
        return 0
    zhen = User.objects.get(username="zhen")
    made = 0
    for name, kind, quantity, place, ago in WORKS:
        village = villages.get(name)
        if village is None:
            continue
        with clock(days.at(ago, 10)):
            do_record_work(
                zhen,
                village=village,
                kind=kind.value,
                quantity=Decimal(quantity),
                unit=UNIT_OF[kind].value,
                place=place,
                started_on=days.day(ago),
            )
        made += 1
    return made


# ---- step 4: the year's assessments (after the records they read)

# village → what happens to its draft this year: draft (opened by the town, still to fill) · submitted · sent_back
ASSESSMENTS = {
    "毛桥村": "submitted",
    "庄营村": "sent_back",
    "杨岗村": "draft",
    "孙楼村": "draft",
    "周营村": "draft",
    "冯营村": "draft",
    "屯头村": "draft",
}
SENT_BACK = "文明幸福星的党群服务中心活动记录只有上半年的，请补充后重新提交"


def load_current_assessments() -> str:
    """The year's assessments of a few villages: drafts from the records, submissions waiting for the town, one sent
    back with a reason."""
    days = _days()
    _county, town, villages = _units()
    if town is None:
        return "未找到溧河铺镇，跳过"
    have = set(
        Assessment.objects.unscoped(DEMO)
        .filter(village__parent=town, year=days.year)
        .values_list("village__name", flat=True)
    )
    users = _users("maoqiao", "zhuangying", "zhen_shenhe")
    clerks = {"毛桥村": users.get("maoqiao"), "庄营村": users.get("zhuangying")}
    made = 0
    for n, (name, fate) in enumerate(ASSESSMENTS.items()):
        village = villages.get(name)
        if village is None or name in have:
            continue
        actor = clerks.get(name) or SYSTEM
        with clock(days.at(20 - n, 9)):
            a = assessment_actions.do_start_assessment(actor, village, days.year)
        derived = {v.indicator.code: v.derived_value for v in a.values.unscoped(DEMO).select_related("indicator")}
        from_records = {code: value for code, value in derived.items() if value is not None}
        if from_records and name in clerks:  # the villages with a clerk's login confirm what the records say
            with clock(days.at(12 - n, 10)):
                assessment_actions.do_set_values(actor, a, "self_value", from_records)
        made += 1
        if fate == "draft":
            continue
        with clock(days.at(6 - n % 3, 11)):
            a = assessment_actions.do_transition(actor, a, "submit")
        if fate == "sent_back":
            with clock(days.at(2, 15)):
                assessment_actions.do_transition(users["zhen_shenhe"], a, "send_back", reason=SENT_BACK)
    if not made:
        return UNCHANGED
    states: dict[str, int] = {}
    for a in Assessment.objects.unscoped(DEMO).filter(village__parent=town, year=days.year):
        states[a.state_label] = states.get(a.state_label, 0) + 1
    return f"{days.year}年度评定 {made} 份：" + "，".join(f"{k} {v}" for k, v in states.items())
