"""溧河铺镇's industry as records, from the 2023-09-19 briefing: the projects introduced (汉帛二期改扩建, 森诺高档定制
家居生产线, 荣迪泓玩具生产线) and the one in negotiation (火乐科技光电生产线) with their milestones and weekly
follow-ups; the specialty industries 孙楼娃娃菜 (“高山”牌, 1.3万余亩 over 11 villages, 1,000余人 employed, sold to
北京新发地, 北京 and 沈阳, led by 孙楼瓜菜产业联合党支部), 周营西瓜, 冯营菊花 and 屯头黄桃; the cooperatives 凯达,
小松 and 新农 with their organic-wheat contracts with 贵州鸿瑞顺祥粮食销售有限公司; and every village's collective
income for 2022 and 2023 from the 经管站 ledger.

Not everything is perfect: a lead fell through in 2023, 火乐's weekly follow-up lapsed after the briefing, several
fictional villages' income stays below 10万元 or fell on 2022, and a few villages have no specialty industry.
The villages that earn 产业兴旺星 in the demo's assessments have the income and area the criteria ask for.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from xingyao.core.actors import SYSTEM
from xingyao.demo.assessments import _stars
from xingyao.demo.tree import DEMO, LIHEPU, LIHEPU_VILLAGES, SHIAN, SHIAN_VILLAGES, village_code
from xingyao.economy import actions
from xingyao.economy.models import Project
from xingyao.economy.workflow import Brand, Move
from xingyao.places.models import Unit

YEARS = (2022, 2023)
WAWA = "孙楼娃娃菜"
# 孙楼娃娃菜 in 2023: (village, 亩, households, jobs) — 13,460 亩 over 11 villages, 1,046 people employed.
WAWA_2023 = [
    ("孙楼村", 2400, 310, 268),
    ("周营村", 1500, 96, 92),
    ("冯营村", 1300, 88, 84),
    ("屯头村", 1100, 75, 70),
    ("东湖村", 900, 60, 58),
    ("西岭村", 850, 52, 55),
    ("南塘村", 800, 50, 52),
    ("北坡村", 950, 63, 61),
    ("柳林村", 1200, 80, 86),
    ("石桥村", 1010, 70, 66),
    ("新安村", 1450, 98, 154),
]
# The year before: fewer villages, less land.
WAWA_2022 = [(v, a * 8 // 10, h * 8 // 10, j * 8 // 10) for n, (v, a, h, j) in enumerate(WAWA_2023) if n < 9]
INDUSTRIES: list[Any] = [
    # name, main village, product, brand, level, party branch, model, enterprises, markets,
    # {year: [(village, 亩, 户, 人)]}
    (WAWA, "孙楼村", "娃娃菜", "高山", Brand.REGISTERED, "孙楼瓜菜产业联合党支部", "党支部+龙头企业+合作社+农户",
     "新野县高山蔬菜产销有限公司", "北京新发地农产品批发市场；北京、沈阳等大中城市",
     {2022: WAWA_2022, 2023: WAWA_2023}),
    ("周营西瓜", "周营村", "西瓜", "", Brand.NONE, "", "党支部+合作社+农户", "", "南阳、襄阳水果批发市场",
     {2022: [("周营村", 700, 120, 150)], 2023: [("周营村", 820, 135, 168)]}),
    ("冯营菊花", "冯营村", "菊花", "冯营", Brand.REGIONAL, "", "党支部+合作社+农户", "", "亳州中药材市场",
     {2022: [("冯营村", 420, 60, 75)], 2023: [("冯营村", 560, 72, 96)]}),
    ("屯头黄桃", "屯头村", "黄桃", "", Brand.NONE, "", "党支部+农户", "", "新野县城、网络销售",
     {2022: [("屯头村", 380, 45, 52)], 2023: [("屯头村", 450, 51, 60)]}),
    ("杨岗辣椒", "杨岗村", "辣椒", "", Brand.NONE, "", "", "", "本地收购商",
     {2022: [("杨岗村", 520, 70, 40)], 2023: [("杨岗村", 610, 82, 48)]}),
]  # fmt: skip
BUYER = "贵州鸿瑞顺祥粮食销售有限公司"
# name, village, leader, members, crops, 亩, contract 亩, contract 吨
COOPERATIVES = [
    ("新野县凯达种植专业合作社", "和平村", "王凯达", 126, "有机小麦", 3200, 2600, 1040),
    ("新野县小松种植专业合作社", "红星村", "李小松", 98, "有机小麦", 2500, 2000, 800),
    ("新野县新农种植专业合作社", "丰收村", "张新农", 142, "有机小麦、玉米", 3800, 3000, 1200),
    ("新野县孙楼瓜菜种植专业合作社", "孙楼村", "孙建军", 215, "娃娃菜、西瓜", 2600, 0, 0),
]
# name, village (None: the town's industrial cluster), investor, sector, 万元, 亩, jobs, leader, registered,
# [(move, date, title)], follow-ups [(date, note, next step)]
PROJECTS: list[Any] = [
    ("汉帛二期改扩建项目", None, "汉帛（新野）服饰有限公司", "纺织服装", 30000, 120, 800, "镇长 张明",
     dt.date(2022, 11, 8),
     [(Move.NEGOTIATE, dt.date(2022, 12, 2), "二期扩建洽谈"), (Move.SIGN, dt.date(2023, 2, 16), "二期改扩建签约"),
      (Move.START, dt.date(2023, 4, 20), "二期厂房开工")],
     [(dt.date(2023, 5, 12), "厂房基础施工，协调用电增容", "对接供电所"),
      (dt.date(2023, 8, 25), "主体封顶，设备采购招标中", "跟进设备进场")]),
    ("森诺高档定制家居生产线项目", "新安村", "河南森诺家居有限公司", "家居制造", 12000, 60, 300, "副镇长 王磊",
     dt.date(2023, 1, 10),
     [(Move.NEGOTIATE, dt.date(2023, 2, 3), "考察选址"), (Move.SIGN, dt.date(2023, 4, 18), "项目签约"),
      (Move.START, dt.date(2023, 7, 6), "生产线车间开工")],
     [(dt.date(2023, 7, 14), "车间钢结构安装", "协调环评批复"),
      (dt.date(2023, 9, 8), "环评已批复，设备陆续进场", "督促年内试产")]),
    ("荣迪泓玩具生产线项目", "石桥村", "新野县荣迪泓玩具有限公司", "玩具制造", 5000, 25, 200, "副镇长 王磊",
     dt.date(2023, 3, 2),
     [(Move.NEGOTIATE, dt.date(2023, 3, 20), "首轮洽谈"), (Move.SIGN, dt.date(2023, 6, 28), "项目签约")],
     [(dt.date(2023, 7, 21), "办理土地手续", "完成土地摘牌"), (dt.date(2023, 9, 15), "土地摘牌完成", "确定开工日期")]),
    ("火乐科技光电生产线项目", "兴隆村", "深圳市火乐科技发展有限公司", "光电", 20000, 80, 500, "镇党委书记 李建国",
     dt.date(2023, 5, 15),
     [(Move.NEGOTIATE, dt.date(2023, 6, 9), "进入实质性谈判")],
     [(dt.date(2023, 8, 4), "对方来镇考察厂房", "报送优惠政策清单"),
      (dt.date(2023, 9, 12), "合同条款磋商中", "敲定签约时间")]),
    ("农产品冷链物流中心", "丰收村", "新野县丰收冷链物流有限公司", "仓储物流", 3000, 30, 60, "副镇长 王磊",
     dt.date(2021, 9, 1),
     [(Move.SIGN, dt.date(2021, 11, 10), "签约"), (Move.START, dt.date(2022, 3, 1), "开工"),
      (Move.PRODUCE, dt.date(2022, 10, 18), "投入运营")],
     []),
    ("预制菜加工项目", "双庙村", "某食品企业（外地客商）", "食品加工", 8000, 40, 150, "副镇长 王磊",
     dt.date(2023, 4, 3),
     [(Move.NEGOTIATE, dt.date(2023, 4, 25), "洽谈"), (Move.DROP, dt.date(2023, 7, 30), "客商转投他地")],
     [(dt.date(2023, 5, 19), "客商提出土地价格要求", "报县里研究")]),
    ("智能农机装配项目", "前进村", "河南某农机公司", "农机装备", 6000, 35, 120, "镇长 张明",
     dt.date(2023, 8, 28), [], [(dt.date(2023, 9, 11), "首次接洽，了解投资意向", "安排实地考察")]),
]  # fmt: skip
SHIAN_PROJECTS: list[Any] = [
    ("施庵镇食用菌基地项目", "施东村", "新野县施庵菌业有限公司", "农产品加工", 2500, 50, 90, "施庵镇副镇长 周平",
     dt.date(2023, 2, 1), [(Move.SIGN, dt.date(2023, 5, 5), "签约")], []),
]  # fmt: skip


# 万人助万企: (enterprise, village, sector, contact, official)
ENTERPRISES = [
    ("汉帛（新野）服饰有限公司", "和平村", "纺织服装", "周经理", "镇长 张明"),
    ("河南森诺家居有限公司", "新安村", "家居制造", "陈经理", "副镇长 王磊"),
    ("新野县荣迪泓玩具有限公司", "石桥村", "玩具制造", "刘经理", "副镇长 王磊"),
    ("新野县高山蔬菜产销有限公司", "孙楼村", "农产品流通", "孙经理", "镇党委副书记 赵敏"),
]
# (enterprise, content, received, hard, [(move, day)], satisfaction, escalate to)
REQUESTS = [
    ("汉帛（新野）服饰有限公司", "二期厂房用电增容，需协调供电所", dt.date(2023, 5, 8), False,
     [("hand_over", dt.date(2023, 5, 8)), ("answer", dt.date(2023, 5, 10)), ("solve", dt.date(2023, 5, 16))],
     "satisfied", ""),
    ("汉帛（新野）服饰有限公司", "招工难，请协助组织本地劳动力招聘", dt.date(2023, 7, 3), False,
     [("hand_over", dt.date(2023, 7, 3)), ("answer", dt.date(2023, 7, 5)), ("solve", dt.date(2023, 7, 11))],
     "satisfied", ""),
    ("河南森诺家居有限公司", "环评批复办理进度慢", dt.date(2023, 7, 20), True,
     [("hand_over", dt.date(2023, 7, 20)), ("answer", dt.date(2023, 7, 24)), ("solve", dt.date(2023, 8, 25))],
     "fairly", "county"),
    ("新野县荣迪泓玩具有限公司", "土地摘牌前的地上附着物清理", dt.date(2023, 7, 10), False,
     [("hand_over", dt.date(2023, 7, 11)), ("answer", dt.date(2023, 7, 14)), ("solve", dt.date(2023, 7, 28))],
     "dissatisfied", "town"),
    ("新野县高山蔬菜产销有限公司", "冷库建设用地与贷款贴息", dt.date(2023, 9, 4), True,
     [("hand_over", dt.date(2023, 9, 5)), ("answer", dt.date(2023, 9, 8))], "", "town"),
    ("新野县荣迪泓玩具有限公司", "厂区门前道路破损", dt.date(2023, 9, 11), False, [], "", ""),
]  # fmt: skip


def _requests(villages: dict[str, Unit]) -> int:
    """The enterprises paired with officials and their requests: most solved in time and rated, one late and rated
    dissatisfied, one hard one taken to the county, one still open past its deadline."""
    enterprises = {
        name: actions.do_register_enterprise(SYSTEM, village=villages[village], name=name, sector=sector,
                                             contact=contact, official=official)
        for name, village, sector, contact, official in ENTERPRISES
    }  # fmt: skip
    for name, content, received, hard, steps, satisfaction, escalate in REQUESTS:
        request = actions.do_register_request(
            SYSTEM, enterprise_id=enterprises[name].pk, content=content, received_on=received, hard=hard
        )
        if escalate:
            actions.do_escalate_request(SYSTEM, request.pk, level=escalate, reason="村级协调不了，提级办理")
        for move, on in steps:
            note = "已协调解决" if move == "solve" else ""
            rated = satisfaction if move == "solve" else ""
            actions.do_step_request(SYSTEM, request.pk, move, acted_on=on, note=note, satisfaction=rated)
    return len(REQUESTS)


def _photo(seed: int) -> SimpleUploadedFile:
    image = Image.new("RGB", (64 + seed % 9, 48 + seed % 7), ((seed * 53) % 255, 90, (seed * 29) % 255))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=70)
    return SimpleUploadedFile(f"项目节点{seed}.jpg", out.getvalue(), content_type="image/jpeg")


def _income(index: int, name: str, year: int, industry_star: bool) -> tuple[int, int]:
    """(operating, assets) in 元: villages with 产业兴旺星 above 10万元, others below; growth varies, a few fall."""
    if name == "毛桥村":  # the weak branch: little income, rising
        return {2022: (25000, 15000), 2023: (52000, 30000)}[year]
    base = 150000 + (index * 37000) % 420000 if industry_star else 52000 + (index * 7300) % 40000
    if year == 2022:
        rise = Decimal(100 + (index * 7) % 30) if index % 6 else Decimal(95)  # every sixth village fell
        base = int(Decimal(base) * 100 / rise)
    operating = base * (55 + index % 30) // 100
    return operating, base - operating


def _history(
    project: Project, moves: list[tuple[Move, dt.date, str]], notes: list[tuple[dt.date, str, str]], seed: int
) -> int:
    """The project's steps and weekly notes in the order they happened."""
    events = sorted(
        [(on, 0, move, title) for move, on, title in moves] + [(on, 1, note, nxt) for on, note, nxt in notes],
        key=lambda e: (e[0], e[1]),
    )
    for on, kind, what, text in events:
        if kind == 1:
            actions.do_follow_up(SYSTEM, project.pk, acted_on=on, note=what, next_step=text)
            continue
        seed += 1
        photos = [_photo(seed)] if what in (Move.SIGN, Move.START) else []
        reason = text if what == Move.DROP else ""
        actions.do_advance_project(SYSTEM, project.pk, what, acted_on=on, title=text, reason=reason, photos=photos)
    return seed


def load_economy() -> str:
    """Projects, specialty industries, cooperatives and collective income of 溧河铺镇 (and a little of 施庵镇), only
    when the town has no project yet."""
    units = Unit.objects.unscoped(DEMO)
    lihepu, shian = units.filter(code=LIHEPU[0]).first(), units.filter(code=SHIAN[0]).first()
    if lihepu is None or shian is None:
        return "未找到溧河铺镇，跳过"
    if Project.objects.unscoped(DEMO).filter(town=lihepu).exists():
        return "已存在，未改动"
    villages = {
        u.name: u
        for u in units.filter(
            code__in=[village_code(LIHEPU[0], i) for i in range(len(LIHEPU_VILLAGES))]
            + [village_code(SHIAN[0], i) for i in range(len(SHIAN_VILLAGES))]
        )
    }
    seed = 0
    for town, rows in ((lihepu, PROJECTS), (shian, SHIAN_PROJECTS)):
        for name, village, investor, sector, amount, land, jobs, leader, registered, moves, notes in rows:
            project = actions.do_register_project(
                SYSTEM, town=town, village=villages.get(village or ""), name=name, investor=investor, sector=sector,
                amount=amount, land_mu=land, jobs=jobs, leader=leader, registered_on=registered,
            )  # fmt: skip
            seed = _history(project, moves, notes, seed)
    coops = {}
    for name, village, leader, members, crops, area, contract_mu, tons in COOPERATIVES:
        coop = actions.do_record_cooperative(
            SYSTEM, village=villages[village], name=name, leader=leader, members=members, crops=crops, area_mu=area
        )
        coops[name] = coop
        if contract_mu:
            for year in YEARS:
                actions.do_record_contract(
                    SYSTEM, coop.pk, buyer=BUYER, product="有机小麦", year=year, signed_on=dt.date(year - 1, 10, 8),
                    area_mu=contract_mu if year == 2023 else contract_mu * 8 // 10,
                    tons=tons if year == 2023 else tons * 8 // 10, note="订单收购，优质优价",
                )  # fmt: skip
    areas = 0
    for name, village, product, brand, level, branch, model, enterprises, markets, by_year in INDUSTRIES:
        industry = actions.do_record_industry(
            SYSTEM, village=villages[village], name=name, product=product, brand=brand, brand_level=level,
            party_branch=branch, binding_model=model, enterprises=enterprises, markets=markets,
            cooperatives=[coops["新野县孙楼瓜菜种植专业合作社"]] if name == WAWA else [],
        )  # fmt: skip
        for year, areas_of in by_year.items():
            for where, area, households, jobs in areas_of:
                actions.do_record_industry_area(
                    SYSTEM, industry.pk, village=villages[where], year=year, area_mu=area, households=households,
                    jobs=jobs,
                )  # fmt: skip
                areas += 1
    incomes = 0
    for index, name in enumerate(LIHEPU_VILLAGES):
        industry_star = "industry" in _stars(index, name)[1]
        for year in YEARS:
            operating, assets = _income(index, name, year, industry_star)
            actions.do_record_income(SYSTEM, village=villages[name], year=year, operating=operating, assets=assets,
                                     source="溧河铺镇经管站台账")  # fmt: skip
            incomes += 1
    for index, name in enumerate(SHIAN_VILLAGES):
        for year in YEARS:
            operating, assets = _income(index + 3, name, year, index % 2 == 0)
            actions.do_record_income(SYSTEM, village=villages[name], year=year, operating=operating, assets=assets,
                                     source="施庵镇经管站台账")  # fmt: skip
            incomes += 1
    requests = _requests(villages)
    projects = len(PROJECTS) + len(SHIAN_PROJECTS)
    return (
        f"招商项目 {projects} 个，特色产业 {len(INDUSTRIES)} 个（面积 {areas} 条），合作社 {len(coops)} 个，"
        f"集体经济收入 {incomes} 条，企业诉求 {requests} 件"
    )
