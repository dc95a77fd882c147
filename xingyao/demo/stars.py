"""The demo's criteria and plans: 新野县 adopts the example 2023 rural set, and 溧河铺镇's villages plan their stars.

Targets follow the shape of the 2022 township plans (mostly 三星 and 二星, one 五星 and a few 四星); 毛桥村, 2023's
weak branch, aims at its first stars through rectification, its new service centre and plaza, and the ring road.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction

from xingyao.accounts.models import Membership, User
from xingyao.core import audit
from xingyao.core.actors import SYSTEM
from xingyao.core.roles import Role
from xingyao.demo.tree import COUNTY, LIHEPU, LIHEPU_VILLAGES, village_code
from xingyao.places.codes import Kind
from xingyao.places.models import Unit
from xingyao.stars.actions import do_create_plan, do_load_example
from xingyao.stars.models import Star, StarPlan

DEMO = "the demo loader builds the whole demo township"  # the reason its reads are unscoped

YEAR = 2023
SECRETARIES = [
    "王德明",
    "李建军",
    "张国华",
    "刘志刚",
    "陈红梅",
    "杨永强",
    "赵春生",
    "黄立新",
    "周海燕",
    "吴振东",
    "徐长林",
    "孙丽娟",
    "马保国",
]
# Target stars of the villages the briefing names; the fictional ones follow `_targets`.
TARGETS: dict[str, tuple[str, ...]] = {
    "孙楼村": ("branch", "industry", "ecology", "safety", "civility"),
    "庄营村": ("branch", "ecology", "safety", "civility"),
    "杨岗村": ("branch", "industry", "ecology", "civility"),
    "毛桥村": ("branch", "ecology", "civility"),
    "周营村": ("branch", "industry", "safety"),
    "冯营村": ("branch", "industry", "safety"),
    "屯头村": ("branch", "industry", "ecology"),
}
THREE_STAR_PATTERNS = [
    ("branch", "safety", "civility"),
    ("branch", "ecology", "safety"),
    ("branch", "industry", "safety"),
]
TWO_STAR_PATTERNS = [("branch", "safety"), ("branch", "civility"), ("branch", "ecology")]

SPECIFIC: dict[tuple[str, str], tuple[str, str, str]] = {
    ("毛桥村", "branch"): (
        "镇党委包村领导、第一书记和帮扶单位“四个一”结对，整顿力量足",
        "2023年列入软弱涣散村党组织，“三会一课”不规范，班子凝聚力弱",
        "对照问题清单逐项整改销号；配齐配强“两委”班子；每月主题党日、支委会按时召开并留存记录",
    ),
    ("毛桥村", "ecology"): (
        "群众改善人居环境意愿强，镇里统筹道路项目",
        "村内道路窄、坑洼多，缺少排水设施",
        "3个月内建成1500米环村路，同步修建排水沟，开展村庄清洁行动",
    ),
    ("毛桥村", "civility"): (
        "村部选址已确定，县乡两级支持阵地建设",
        "无标准化党群服务中心，群众活动无场地",
        "新建430平方米党群服务中心（一厅五室），建成1280平方米文化广场，开展送戏下乡和义诊",
    ),
    ("孙楼村", "industry"): (
        "娃娃菜“高山”品牌，孙楼瓜菜产业联合党支部带动周边村",
        "冷链仓储不足，销售渠道集中在北京新发地",
        "扩种娃娃菜，新建冷库，拓展沈阳等地市场，带动务工1000人以上",
    ),
    ("周营村", "industry"): ("西瓜种植历史长、口碑好", "品牌未注册，销售靠散户", "注册西瓜商标，成立合作社统一销售"),
    ("冯营村", "industry"): ("菊花种植初具规模", "深加工缺失", "引进菊花茶加工线，发展观光采摘"),
    ("屯头村", "industry"): ("黄桃种植面积稳定", "品种老化", "更新黄桃品种，对接电商平台"),
    ("庄营村", "civility"): ("群众基础好", "党群服务中心功能不全", "改造党群服务中心（一厅五室），建设文化广场"),
    ("杨岗村", "civility"): ("有集体建设用地", "缺少群众活动场所", "新建党群服务中心和文化广场，组织送戏下乡"),
}
GENERIC: dict[str, tuple[str, str, str]] = {
    "branch": (
        "“两委”班子团结，党员队伍稳定",
        "党员老龄化，后备力量不足",
        "落实“三会一课”和主题党日，年内培养入党积极分子，建立后备干部库",
    ),
    "industry": (
        "土地流转基础好，有种植传统",
        "村集体经济收入偏低，缺少主导产业",
        "发展“一村一品”特色种植，成立合作社，争取招商项目落地",
    ),
    "ecology": (
        "村容村貌整治有基础",
        "道路破损、排水不畅，部分户厕未改造",
        "整修村内道路，新建排水沟，推进户厕改造，建设花坛和墙绘",
    ),
    "safety": (
        "网格划分到位，网格员队伍健全",
        "邻里纠纷时有发生，普法宣传不足",
        "依托“警司访+”联调机制化解纠纷，网格事件按时办结，创建“三零”村",
    ),
    "civility": (
        "群众文化活动积极性高",
        "便民服务事项办理不够规范",
        "规范党群服务中心便民服务，开展送戏下乡、义诊和助老服务",
    ),
}
DEADLINES = {"branch": (6, 30), "industry": (10, 31), "ecology": (9, 30), "safety": (10, 31), "civility": (9, 30)}


def load_criteria() -> str:
    """新野县's example 2023 rural set, published."""
    county = Unit.objects.unscoped(DEMO).get(code=COUNTY[0])
    criteria_set, created = do_load_example(SYSTEM, county, YEAR, publish=True)
    bound = criteria_set.indicators.exclude(data_source=None).count()
    state = "已加载并发布" if created else "已存在"
    assigned = _review_departments(county, criteria_set)
    departments = f"；{assigned} 颗星指定审核部门（分星部门审核未开启）" if assigned else ""
    return f"{criteria_set}{state}：{criteria_set.indicators.count()} 项指标，{bound} 项绑定数据来源{departments}"


# County departments that review a star (分星部门审核): (code suffix, name, star code, handler, handler's name).
REVIEW_DEPARTMENTS = [
    ("B03", "县委政法委", "safety", "zhengfawei", "郑法为"),
    ("B04", "县农业农村局", "industry", "nongye", "农业兴"),
]


@transaction.atomic
def _review_departments(county: Unit, criteria_set: Any) -> int:
    """The county departments, a handler for each, and the stars they review; creates only what is missing.

    The 2023 set keeps department review off: the demo's assessments already stand in every state without it."""
    codes = [f"{county.code}{suffix}" for suffix, *_ in REVIEW_DEPARTMENTS]
    units = {u.code: u for u in Unit.objects.unscoped(DEMO).filter(code__in=codes)}
    users = {u.username: u for u in User.objects.filter(username__in=[r[3] for r in REVIEW_DEPARTMENTS])}
    assigned = 0
    for (_, name, star_code, username, full_name), code in zip(REVIEW_DEPARTMENTS, codes, strict=True):
        unit = units.get(code)
        if unit is None:
            unit = Unit.objects.create(code=code, name=name, kind=Kind.DEPARTMENT, parent=county)
            audit.record(actor=SYSTEM, action="unit.demo", obj=unit, unit=unit, after={"code": code, "name": name})
        user = users.get(username)
        if user is None:
            user = User(username=username, full_name=full_name)
            user.set_password(settings.DEMO_PASSWORD)
            user.save()
            audit.record(actor=SYSTEM, action="user.demo", obj=user, after={"username": username})
        if not Membership.objects.unscoped(DEMO).filter(user=user, unit=unit, role=Role.DEPT_HANDLER).exists():
            Membership.objects.create(user=user, unit=unit, role=Role.DEPT_HANDLER)
        assigned += Star.objects.filter(criteria_set=criteria_set, code=star_code, review_department=None).update(
            review_department=unit
        )
    return assigned


def _targets(index: int, name: str) -> tuple[str, ...]:
    if name in TARGETS:
        return TARGETS[name]
    # Fictional villages alternate: about three in five aim at 三星, the rest at 二星.
    if index % 5 in (0, 2, 3):
        return THREE_STAR_PATTERNS[index % len(THREE_STAR_PATTERNS)]
    return TWO_STAR_PATTERNS[index % len(TWO_STAR_PATTERNS)]


def load_plans() -> str:
    """2023 plans for every village of 溧河铺镇, one per target star; the town enters them, 毛桥村 its own."""
    town_admin = User.objects.get(username="zhen")
    maoqiao_clerk = User.objects.get(username="maoqiao")
    codes = [village_code(LIHEPU[0], i) for i in range(len(LIHEPU_VILLAGES))]
    villages = {u.code: u for u in Unit.objects.unscoped(DEMO).filter(code__in=codes)}
    existing = set(
        StarPlan.objects.unscoped(DEMO)
        .filter(village__code__in=codes, year=YEAR)
        .values_list("village__code", "star_code")
    )
    created = 0
    for index, (code, name) in enumerate(zip(codes, LIHEPU_VILLAGES, strict=True)):
        if code not in villages:
            continue
        for star in _targets(index, name):
            if (code, star) in existing:
                continue
            strengths, gaps, measures = SPECIFIC.get((name, star), GENERIC[star])
            month, day = DEADLINES[star]
            do_create_plan(
                maoqiao_clerk if name == "毛桥村" else town_admin,
                villages[code],
                YEAR,
                star,
                strengths=strengths,
                gaps=gaps,
                measures=measures,
                responsible=SECRETARIES[index % len(SECRETARIES)],
                deadline=dt.date(YEAR, month, day),
            )
            created += 1
    return f"溧河铺镇 {len(villages)} 个村的{YEAR}年创星方案新增 {created} 份"
