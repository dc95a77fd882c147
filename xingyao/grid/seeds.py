"""The event category tree a county starts from (codes are stable service codes); the demo and tests load it."""

from __future__ import annotations

from django.db import transaction

from xingyao.core import audit
from xingyao.core.actors import SYSTEM
from xingyao.grid.models import EventCategory, ZeroKind
from xingyao.places.models import Unit

# (code, name, default department type, working days, “三零” kind, children)
CATEGORY_TREE: list[tuple[str, str, str, int, str, list[tuple[str, str, str, int, str]]]] = [
    (
        "MDJF",
        "矛盾纠纷",
        "司法所",
        10,
        "",
        [
            ("MDJF-HY", "婚姻家庭纠纷", "司法所", 10, ""),
            ("MDJF-LL", "邻里纠纷", "司法所", 7, ""),
            ("MDJF-TD", "土地承包纠纷", "司法所", 10, ""),
            ("MDJF-ZJD", "宅基地纠纷", "司法所", 10, ""),
            ("MDJF-LZ", "劳资纠纷", "司法所", 7, ""),
        ],
    ),
    (
        "ZAYH",
        "治安隐患",
        "派出所",
        5,
        "",
        [
            ("ZAYH-KY", "可疑人员与重点人员", "派出所", 3, ""),
            ("ZAYH-HDD", "黄赌毒线索", "派出所", 3, ""),
            ("ZAYH-XS", "刑事案件", "派出所", 1, ZeroKind.CASE),
            ("ZAYH-ZA", "重大治安案件", "派出所", 1, ZeroKind.CASE),
        ],
    ),
    (
        "AQSC",
        "安全生产",
        "应急办",
        5,
        "",
        [
            ("AQSC-QY", "企业安全隐患", "应急办", 5, ""),
            ("AQSC-WHP", "危化品与燃气隐患", "应急办", 3, ""),
            ("AQSC-SW", "生产安全伤亡事故", "应急办", 1, ZeroKind.ACCIDENT),
        ],
    ),
    (
        "XFYH",
        "消防隐患",
        "消防",
        3,
        "",
        [
            ("XFYH-JG", "秸秆焚烧", "消防", 1, ""),
            ("XFYH-DDC", "电动车违规充电", "消防", 3, ""),
            ("XFYH-TD", "消防通道堵塞", "消防", 3, ""),
        ],
    ),
    (
        "FNS",
        "防溺水",
        "应急办",
        2,
        "",
        [
            ("FNS-JS", "危险水域缺少警示", "应急办", 2, ""),
            ("FNS-SS", "防护设施缺损", "应急办", 3, ""),
            ("FNS-SW", "溺水伤亡事故", "应急办", 1, ZeroKind.ACCIDENT),
        ],
    ),
    (
        "HJWS",
        "环境卫生",
        "村镇建设",
        5,
        "",
        [
            ("HJWS-LJ", "垃圾乱堆乱放", "村镇建设", 3, ""),
            ("HJWS-WS", "污水乱排", "村镇建设", 5, ""),
            ("HJWS-WJ", "私搭乱建", "村镇建设", 10, ""),
        ],
    ),
    (
        "SCJG",
        "市场监管",
        "市场监管",
        5,
        "",
        [
            ("SCJG-SP", "食品安全", "市场监管", 3, ""),
            ("SCJG-JM", "假冒伪劣与价格", "市场监管", 5, ""),
        ],
    ),
    (
        "XFSQ",
        "信访诉求",
        "信访办",
        10,
        "",
        [
            ("XFSQ-SQ", "群众诉求", "信访办", 10, ""),
            ("XFSQ-YJ", "越级上访", "信访办", 3, ZeroKind.PETITION),
        ],
    ),
    (
        "DLJT",
        "道路交通",
        "交警",
        5,
        "",
        [
            ("DLJT-YH", "交通安全隐患", "交警", 5, ""),
            ("DLJT-SW", "交通伤亡事故", "交警", 1, ZeroKind.ACCIDENT),
        ],
    ),
    (
        "GGSS",
        "公共设施",
        "村镇建设",
        7,
        "",
        [
            ("GGSS-LD", "路灯损坏", "村镇建设", 5, ""),
            ("GGSS-DL", "道路破损", "村镇建设", 10, ""),
            ("GGSS-YS", "饮水设施故障", "村镇建设", 3, ""),
        ],
    ),
]


@transaction.atomic
def seed_categories(county: Unit) -> int:
    """Create the missing categories of the tree for `county` (by code); returns how many were created."""
    have = {c.code: c for c in EventCategory.objects.unscoped("seeding a county's categories").filter(county=county)}
    created: list[EventCategory] = []
    parents: list[EventCategory] = []
    for code, name, department, days, zero_kind, _children in CATEGORY_TREE:
        if code not in have:
            parent = EventCategory(
                county=county,
                code=code,
                name=name,
                full_name=name,
                level=1,
                department_type=department,
                deadline_days=days,
                zero_kind=zero_kind,
            )
            parents.append(parent)
    EventCategory.objects.bulk_create(parents)
    created += parents
    have |= {p.code: p for p in parents}
    children = [
        EventCategory(
            county=county,
            parent=have[code],
            code=child_code,
            name=child_name,
            full_name=f"{name} / {child_name}",
            level=2,
            department_type=child_department,
            deadline_days=child_days,
            zero_kind=child_zero,
        )
        for code, name, _d, _days, _z, kids in CATEGORY_TREE
        for child_code, child_name, child_department, child_days, child_zero in kids
        if child_code not in have
    ]
    EventCategory.objects.bulk_create(children)
    created += children
    if created:
        audit.record_many(
            actor=SYSTEM,
            action="category.seed",
            model=EventCategory,
            unit=county,
            summary=f"{county.name}事件分类 {len(created)} 项",
            after={"codes": [c.code for c in created]},
        )
    return len(created)
