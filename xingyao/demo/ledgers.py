"""毛桥村's weak-branch rectification of 2023, as the briefing tells it: listed in March for irregular Party life
(组织生活不正常), paired “四个一”, three items — the 430 m² 党群服务中心, the 1,280 m² 文化广场 and the 1,500 m
环形路 — worked with photographed progress, accepted by people from outside the village, closed, and the whole
rectification closed (整顿销号) within three months. Written through the ledger's own actions as the system.
"""

from __future__ import annotations

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image

from xingyao.accounts.models import User
from xingyao.core.actors import SYSTEM
from xingyao.demo.tree import MAOQIAO
from xingyao.disputes.models import Dispute
from xingyao.grid.models import Event
from xingyao.ledgers import actions
from xingyao.ledgers.models import Designation, FollowUp, Item, StarWarning
from xingyao.ledgers.queries import star_name_of
from xingyao.ledgers.warnings import do_decide_warning, do_raise_overdue, raise_warning
from xingyao.ledgers.workflow import Criterion, Source, split_gaps
from xingyao.places.models import Unit
from xingyao.stars.models import StarPlan

DEMO = "the demo loader builds the whole demo township"
YEAR = 2023
DECIDED = dt.date(2023, 3, 1)
START = dt.date(2023, 3, 6)
# (problem, target, measure, steps, responsible, working days, progress [(day, note)], acceptance)
ITEMS = [
    (
        "无标准化党群服务中心，群众活动无场地",
        "建成 430 平方米党群服务中心（一厅五室）",
        "利用原村小学闲置校舍翻建，县乡两级补助与帮扶单位支持相结合",
        "3月选址设计；4月主体施工；5月内部配套、挂牌启用",
        "村党支部书记 毛德胜",
        50,
        [(dt.date(2023, 3, 20), "完成选址和设计，施工队进场"), (dt.date(2023, 4, 25), "主体完工，开始内部装修"),
         (dt.date(2023, 5, 12), "一厅五室配套到位，挂牌启用")],
        ("site", 92, 0, 0, dt.date(2023, 5, 16), "镇纪委、镇党建办联合验收组"),
    ),
    (
        "缺少群众文化活动场地",
        "建成 1280 平方米文化广场",
        "整治村委会东侧坑塘和闲置宅基地，铺装硬化并配置健身器材",
        "3月清表平整；4月铺装硬化；5月安装器材、绿化",
        "村委会副主任 毛建军",
        55,
        [(dt.date(2023, 3, 28), "坑塘填平，场地清表完成"), (dt.date(2023, 4, 30), "广场铺装硬化完成"),
         (dt.date(2023, 5, 18), "健身器材安装完毕，周边绿化完成")],
        ("rating", 88, 46, 3, dt.date(2023, 5, 22), "镇党委组织委员及村民代表评议组"),
    ),
    (
        "村内道路窄、坑洼多，雨天出行难",
        "修建 1500 米环形路并同步建设排水沟",
        "争取县交通项目资金，群众投工投劳，分段施工",
        "3月测量放线；4月路基施工；5月路面浇筑、排水沟配套",
        "驻村第一书记 王志强",
        57,
        [(dt.date(2023, 3, 25), "完成测量放线和路基开挖"), (dt.date(2023, 5, 6), "路面浇筑 1000 米"),
         (dt.date(2023, 5, 20), "1500 米环形路全线贯通，排水沟同步完工")],
        ("hearing", 90, 38, 2, dt.date(2023, 5, 25), "县交通运输局、镇村建办及群众代表听证组"),
    ),
]  # fmt: skip
CLOSED = dt.date(2023, 5, 29)  # every item and the whole rectification, within three months of designation
# Each item's time limit (from 2023-03-06, in working days) ends after its acceptance: none was late.


def _photo(day: dt.date, seed: int) -> SimpleUploadedFile:
    image = Image.new("RGB", (120, 90), (150 + seed * 20 % 100, 120, 90))
    exif = Image.Exif()
    exif[0x0132] = f"{day:%Y:%m:%d} 10:00:00"
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return SimpleUploadedFile(f"毛桥村整改{day:%Y%m%d}.jpg", out.getvalue(), content_type="image/jpeg")


def load_rectification() -> str:
    """毛桥村's 2023 designation, its three items worked, accepted and closed; only when it is not there yet."""
    village = Unit.objects.unscoped(DEMO).filter(code=MAOQIAO).first()
    if village is None:
        return "未找到毛桥村，跳过"
    if Designation.objects.unscoped(DEMO).filter(village=village, year=YEAR).exists():
        return "已存在，未改动"
    designation = actions.do_designate(
        SYSTEM,
        village=village,
        year=YEAR,
        criteria=[Criterion.PARTY_LIFE],
        decided_on=DECIDED,
        decided_by="中共溧河铺镇委员会",
        county_leader="县委常委、组织部长 陈红梅",
        town_leader="镇党委书记 李建国",
        first_secretary="王志强（县自然资源局选派）",
        twinned_unit="新野县自然资源局",
    )
    seed = 0
    for problem, target, measure, steps, responsible, days, progress, acceptance in ITEMS:
        item = actions.do_open_item(
            SYSTEM,
            village=village,
            source=Source.WEAK_BRANCH,
            problem=problem,
            target=target,
            measure=measure,
            steps=steps,
            responsible=responsible,
            start_on=START,
            days=days,
            designation=designation,
        )
        for day, note in progress:
            seed += 1
            actions.do_record_progress(SYSTEM, item.pk, acted_on=day, note=note, photos=[_photo(day, seed)])
        actions.do_submit(SYSTEM, item.pk)
        method, score, satisfied, dissatisfied, on, panel = acceptance
        actions.do_accept(
            SYSTEM,
            item.pk,
            method=method,
            score=score,
            satisfied=satisfied,
            dissatisfied=dissatisfied,
            accepted_on=on,
            panel=panel,
            note="整改到位，群众认可",
        )
        actions.do_close_item(SYSTEM, item.pk, on=CLOSED)
    actions.do_close_designation(SYSTEM, designation.pk, on=CLOSED)
    return f"毛桥村{YEAR}年软弱涣散整顿：整改事项 {len(ITEMS)} 项，全部验收销号"


# --- star warnings, follow-up visits, star gaps on the ledger -------------------------------------------------

# 毛桥村's closed items visited after closure (一年回访): two visited through the year, the 环形路 twice so far.
VISITS = [dt.date(2023, 8, 25), dt.date(2023, 11, 24), dt.date(2024, 2, 26), dt.date(2024, 5, 24)]
FINDINGS = ["设施正常使用，群众满意", "运行良好，管护制度落实", "未见问题反弹", "回访满一年，成效巩固"]
# (village, star, start, working days, worked to closure): gaps of 溧河铺镇's 2023 plans put on the ledger.
GAP_PLANS = [
    ("孙楼村", "industry", dt.date(2023, 4, 10), 60, True),
    ("庄营村", "civility", dt.date(2023, 4, 10), 40, False),
]
DISMISSED = ("红星村", "经县公安局核实，系外来人员流窜作案，村内技防人防措施落实到位，不作星级处理")


def _follow_ups(village: Unit) -> int:
    items = list(Item.objects.unscoped(DEMO).filter(village=village, state="closed").order_by("id"))
    if not items or FollowUp.objects.unscoped(DEMO).filter(item__in=items).exists():
        return 0
    made = 0
    for n, item in enumerate(items):
        for day, finding in list(zip(VISITS, FINDINGS, strict=True))[: 2 if n == len(items) - 1 else 4]:
            if item.closed_on and day < item.closed_on:  # an item closed later (an inspection's finding) waits
                continue
            actions.do_follow_up(
                SYSTEM, item.pk, visited_on=day, visitors="镇党建办 刘文静、村监委会主任", finding=finding
            )
            made += 1
    return made


def _gap_items() -> int:
    made = 0
    for name, star, start, days, worked in GAP_PLANS:
        plan = StarPlan.objects.unscoped(DEMO).filter(village__name=name, year=YEAR, star_code=star).first()
        if plan is None or Item.objects.unscoped(DEMO).filter(source=Source.STAR_GAP, origin_id=plan.pk).exists():
            continue
        offered = split_gaps(plan.gaps)
        items = actions.do_gaps_to_items(
            SYSTEM, plan, star_name=star_name_of(plan), gaps=list(range(len(offered))), measure=plan.measures,
            steps="制定方案、组织实施、提请验收", responsible=plan.responsible, start_on=start, days=days,
        )  # fmt: skip
        made += len(items)
        for item in items if worked else []:
            done = item.due_on - dt.timedelta(days=14)
            actions.do_record_progress(SYSTEM, item.pk, acted_on=done, note="整改措施落实到位")
            actions.do_submit(SYSTEM, item.pk)
            actions.do_accept(SYSTEM, item.pk, method="site", score=86, accepted_on=done + dt.timedelta(days=3),
                              panel="镇党建办、镇农业服务中心验收组", note="短板补齐")  # fmt: skip
            actions.do_close_item(SYSTEM, item.pk, on=done + dt.timedelta(days=5))
    return made


def _incident_warnings() -> int:
    """The 2023 incidents that broke “三零” in the demo (loaded in bulk, before warnings existed) raise their
    warnings through the same building block the grid's and disputes' actions call."""
    events = (
        Event.objects.unscoped(DEMO)
        .filter(reported_at__year=YEAR, duplicate_of__isnull=True)
        .exclude(category__zero_kind="")
        .select_related("village", "category")
    )
    disputes = Dispute.objects.unscoped(DEMO).filter(
        received_on__year=YEAR, petition_beyond_village=True, status="closed"
    )
    before = StarWarning.objects.unscoped(DEMO).count()
    for event in events.order_by("reported_at"):
        with transaction.atomic(durable=True):
            raise_warning(event.category.zero_kind, village=event.village, origin=event,
                          happened_on=timezone.localdate(event.reported_at),
                          origin_label=f"网格事件 {event.number}：{event.category.name}")  # fmt: skip
    for dispute in disputes.select_related("village").order_by("number"):
        with transaction.atomic(durable=True):
            raise_warning("petition", village=dispute.village, happened_on=dispute.received_on, origin=dispute,
                          origin_label=f"矛盾纠纷 {dispute.number} 越级上访")  # fmt: skip
    return StarWarning.objects.unscoped(DEMO).count() - before


def load_warnings() -> str:
    """Warnings from 2023's incidents and an overdue star-gap item, one checked by the county and let be; follow-up
    visits of 毛桥村's closed items; two villages' star gaps on the ledger. Creates only what is missing."""
    village = Unit.objects.unscoped(DEMO).filter(code=MAOQIAO).first()
    if village is None:
        return "未找到毛桥村，跳过"
    visits, gaps, raised = _follow_ups(village), _gap_items(), _incident_warnings()
    raised += do_raise_overdue(SYSTEM, today=timezone.localdate())
    county = User.objects.filter(username="xian").first()
    name, reason = DISMISSED
    pending = StarWarning.objects.unscoped(DEMO).filter(village__name=name, kind="case", state="open").first()
    if county is not None and pending is not None:
        do_decide_warning(county, pending.pk, decision="dismiss", reason=reason)
    if not (visits or gaps or raised):
        return "已存在，未改动"
    return f"星级预警 {raised} 条；毛桥村整改回访 {visits} 次；创星短板转为整改事项 {gaps} 项"
