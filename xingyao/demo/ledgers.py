"""毛桥村's weak-branch rectification of 2023, as the briefing tells it: listed in March for irregular Party life
(组织生活不正常), paired “四个一”, three items — the 430 m² 党群服务中心, the 1,280 m² 文化广场 and the 1,500 m
环形路 — worked with photographed progress, accepted by people from outside the village, closed, and the whole
rectification closed (整顿销号) within three months. Written through the ledger's own actions as the system.
"""

from __future__ import annotations

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from xingyao.core.actors import SYSTEM
from xingyao.demo.tree import MAOQIAO
from xingyao.ledgers import actions
from xingyao.ledgers.models import Designation
from xingyao.ledgers.workflow import Criterion, Source
from xingyao.places.models import Unit

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
