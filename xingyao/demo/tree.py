"""The demo county: 新野县 with 溧河铺镇 (the seed briefing's township) and 施庵镇 as the outsider town.

Division codes below the county follow the national pattern; the township and village numbers are illustrative.
Villages other than those named in the briefing carry plainly fictional names.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from xingyao.accounts.models import Membership, User
from xingyao.core import audit
from xingyao.core.actors import SYSTEM
from xingyao.core.roles import Role
from xingyao.places.actions import UNIT_FIELDS
from xingyao.places.codes import Kind, prefix_of
from xingyao.places.models import Unit

DEMO = "the demo loader builds the whole demo township"  # the reason its reads are unscoped

COUNTY = ("411329000000", "新野县")
LIHEPU = ("411329107000", "溧河铺镇")
SHIAN = ("411329104000", "施庵镇")
# Villages named in the 2023-09-19 briefing first, then fictional ones to make about 25.
LIHEPU_VILLAGES = [
    "毛桥村",
    "庄营村",
    "杨岗村",
    "孙楼村",
    "周营村",
    "冯营村",
    "屯头村",
    "东湖村",
    "西岭村",
    "南塘村",
    "北坡村",
    "柳林村",
    "石桥村",
    "新安村",
    "和平村",
    "红星村",
    "青松村",
    "长乐村",
    "兴隆村",
    "双庙村",
    "前进村",
    "丰收村",
    "幸福村",
    "建设村",
    "团结村",
]
SHIAN_VILLAGES = ["施东村", "施西村", "前营村", "黄庄村"]
LIHEPU_GRIDS = 277  # the briefing: 划分网格277个
DEPARTMENTS = ["溧河铺派出所", "溧河铺司法所", "溧河铺镇信访办"]


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    unit_code: str
    role: str


def village_code(town_code: str, index: int) -> str:
    return f"{prefix_of(town_code, Kind.TOWN)}{200 + index + 1:03d}"


MAOQIAO = village_code(LIHEPU[0], 0)
ZHUANGYING = village_code(LIHEPU[0], 1)
PAICHUSUO = f"{LIHEPU[0]}B01"

USERS = [
    DemoUser("xian", "王建国", COUNTY[0], Role.COUNTY_ADMIN),
    DemoUser("xian_shenhe", "李秀英", COUNTY[0], Role.COUNTY_REVIEWER),
    DemoUser("lingdao", "张志强", COUNTY[0], Role.LEADER),
    DemoUser("zhen", "刘洋", LIHEPU[0], Role.TOWN_ADMIN),
    DemoUser("zhen_shenhe", "陈静", LIHEPU[0], Role.TOWN_REVIEWER),
    DemoUser("maoqiao", "毛德胜", MAOQIAO, Role.VILLAGE_CLERK),
    DemoUser("zhuangying", "庄永红", ZHUANGYING, Role.VILLAGE_CLERK),
    DemoUser("wangge", "毛小兵", f"{MAOQIAO}001", Role.GRID_WORKER),
    DemoUser("paichusuo", "赵卫东", PAICHUSUO, Role.DEPT_HANDLER),
    DemoUser("shian", "孙丽", SHIAN[0], Role.TOWN_ADMIN),
]


def _planned_units() -> list[tuple[str, str, Kind, str | None, int | None]]:
    """Every demo unit as (code, name, kind, parent code, households), parents first."""
    rng = random.Random(411329)
    units: list[tuple[str, str, Kind, str | None, int | None]] = [
        ("410000000000", "河南省", Kind.PROVINCE, None, None),
        ("411300000000", "南阳市", Kind.CITY, "410000000000", None),
        (COUNTY[0], COUNTY[1], Kind.COUNTY, "411300000000", None),
    ]
    for (town_code, town_name), villages, grid_total in (
        (LIHEPU, LIHEPU_VILLAGES, LIHEPU_GRIDS),
        (SHIAN, SHIAN_VILLAGES, 2 * len(SHIAN_VILLAGES)),
    ):
        units.append((town_code, town_name, Kind.TOWN, COUNTY[0], None))
        per_village, extra = divmod(grid_total, len(villages))
        for i, village in enumerate(villages):
            code = village_code(town_code, i)
            grids = per_village + (1 if i < extra else 0)
            micro_households = [[rng.randint(20, 60) for _ in range(2)] for _ in range(grids)]
            units.append((code, village, Kind.VILLAGE, town_code, sum(map(sum, micro_households))))
            for g in range(grids):
                grid_code = f"{code}{g + 1:03d}"
                units.append((grid_code, f"{village}第{g + 1}网格", Kind.GRID, code, sum(micro_households[g])))
                for m, households in enumerate(micro_households[g]):
                    units.append(
                        (
                            f"{grid_code}{m + 1:03d}",
                            f"{village}第{g + 1}网格第{m + 1}微网格",
                            Kind.MICROGRID,
                            grid_code,
                            households,
                        )
                    )
    for i, name in enumerate(DEPARTMENTS):
        units.append((f"{LIHEPU[0]}B{i + 1:02d}", name, Kind.DEPARTMENT, LIHEPU[0], None))
    units.append((f"{SHIAN[0]}B01", "施庵派出所", Kind.DEPARTMENT, SHIAN[0], None))
    return units


@transaction.atomic
def load_tree() -> tuple[int, int]:
    """Create the demo units and users that are missing; returns (units created, users created)."""
    existing = {code: pk for code, pk in Unit.objects.unscoped(DEMO).values_list("code", "pk")}
    created_units = 0
    for code, name, kind, parent_code, households in _planned_units():
        if code in existing:
            continue
        unit = Unit(
            code=code,
            name=name,
            kind=kind,
            parent_id=existing.get(parent_code) if parent_code else None,
            households=households,
        )
        unit.save()
        existing[code] = unit.pk
        audit.record(actor=SYSTEM, action="unit.demo", obj=unit, unit=unit, after=audit.snapshot(unit, UNIT_FIELDS))
        created_units += 1

    created_users = 0
    for spec in USERS:
        user = User.objects.filter(username=spec.username).first()
        if user is None:
            user = User(username=spec.username, full_name=spec.full_name)
            user.set_password(settings.DEMO_PASSWORD)
            user.save()
            audit.record(
                actor=SYSTEM, action="user.demo", obj=user, after=audit.snapshot(user, ["username", "full_name"])
            )
            created_users += 1
        unit = Unit.objects.unscoped(DEMO).get(code=spec.unit_code)
        if not Membership.objects.unscoped(DEMO).filter(user=user, unit=unit, role=spec.role).exists():
            membership = Membership.objects.create(user=user, unit=unit, role=spec.role)
            audit.record(
                actor=SYSTEM, action="membership.demo", obj=membership, unit=unit, after=audit.snapshot(membership)
            )
    return created_units, created_users
