"""The seed briefing's industry figures (2023-09-19, 溧河铺镇) are sums of the demo's records, one test per figure."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.db.models import Sum

from xingyao.conftest import SharedLoad, shared_load
from xingyao.core import metrics
from xingyao.core.testing import every
from xingyao.demo.economy import load_economy
from xingyao.demo.tree import LIHEPU, LIHEPU_VILLAGES, SHIAN_VILLAGES, load_tree
from xingyao.economy.models import BuyerContract, Cooperative, Income, Industry, IndustryArea, Project
from xingyao.economy.workflow import INTRODUCED, Brand, Stage
from xingyao.places.models import Unit

pytestmark = pytest.mark.django_db
BRIEFING = dt.date(2023, 9, 19)


def _load() -> str:
    load_tree()
    return load_economy()


@pytest.fixture(scope="module")
def _loaded(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[SharedLoad]:  # type: ignore[no-untyped-def]
    """The tree and the step, loaded once for the tests of this module (each reads them in a savepoint of its own)."""
    with shared_load(django_db_blocker, tmp_path_factory, _load) as loaded:
        yield loaded


@pytest.fixture
def township(db, settings, _loaded: SharedLoad):  # type: ignore[no-untyped-def]
    _loaded.use(settings)
    assert _loaded.result.startswith("招商项目")
    return Unit.objects.unscoped("a test").get(code=LIHEPU[0])


def _wawa_2023():  # type: ignore[no-untyped-def]
    return every(IndustryArea).filter(industry__name="孙楼娃娃菜", year=2023)


def test_three_projects_were_introduced_by_the_briefing(township):
    introduced = every(Project).filter(town=township, stage__in=list(INTRODUCED), signed_on__year=2023)
    assert sorted(introduced.values_list("name", flat=True)) == [
        "森诺高档定制家居生产线项目", "汉帛二期改扩建项目", "荣迪泓玩具生产线项目",
    ]  # fmt: skip
    assert all(p.signed_on <= BRIEFING for p in introduced)
    figure = metrics.unscoped("a test").compute("economy.projects_introduced", [township], 2023)
    assert figure == {township.pk: 3}


def test_one_project_is_in_substantive_negotiation(township):
    negotiating = every(Project).filter(town=township, stage=Stage.NEGOTIATING)
    assert list(negotiating.values_list("name", flat=True)) == ["火乐科技光电生产线项目"]
    assert metrics.unscoped("a test").compute("economy.projects_negotiating", [township], 2023) == {township.pk: 1}


def test_the_wawa_cabbage_covers_more_than_13000_mu(township):
    area = _wawa_2023().aggregate(total=Sum("area_mu"))["total"]
    assert Decimal(13000) <= area < Decimal(14000)  # 1.3万余亩


def test_the_wawa_cabbage_reaches_11_villages(township):
    assert _wawa_2023().values("village").distinct().count() == 11


def test_the_wawa_cabbage_employs_more_than_1000_people(township):
    jobs = _wawa_2023().aggregate(total=Sum("jobs"))["total"]
    assert 1000 <= jobs < 1100  # 1000余人


def test_the_wawa_cabbage_is_the_gaoshan_brand_sold_in_beijing_and_shenyang(township):
    wawa = every(Industry).get(name="孙楼娃娃菜")
    assert wawa.brand == "高山" and wawa.brand_level == Brand.REGISTERED
    assert all(place in wawa.markets for place in ("北京新发地", "北京", "沈阳"))
    assert wawa.village.name == "孙楼村"


def test_the_sunlou_melon_and_vegetable_industry_party_branch_runs_the_double_binding(township):
    wawa = every(Industry).get(name="孙楼娃娃菜")
    assert wawa.party_branch == "孙楼瓜菜产业联合党支部" and wawa.binding_model == "党支部+龙头企业+合作社+农户"


def test_each_village_named_for_its_specialty_has_it(township):
    found = dict(every(Industry).values_list("name", "village__name"))
    for name, village in [
        ("孙楼娃娃菜", "孙楼村"),
        ("周营西瓜", "周营村"),
        ("冯营菊花", "冯营村"),
        ("屯头黄桃", "屯头村"),
    ]:
        assert found[name] == village
        assert every(IndustryArea).filter(industry__name=name, year=2023, area_mu__gt=0).exists()


def test_kaida_xiaosong_and_xinnong_grow_organic_wheat_for_the_guizhou_buyer(township):
    for short in ("凯达", "小松", "新农"):
        coop = every(Cooperative).get(name__contains=short, crops__contains="有机小麦")
        contract = every(BuyerContract).get(cooperative=coop, year=2023)
        assert contract.buyer == "贵州鸿瑞顺祥粮食销售有限公司" and contract.product == "有机小麦"


def test_every_village_has_its_collective_income_for_2022_and_2023(township):
    villages = len(LIHEPU_VILLAGES) + len(SHIAN_VILLAGES)
    for year in (2022, 2023):
        assert every(Income).filter(year=year).values("village").distinct().count() == villages
    totals = list(every(Income).filter(village__parent=township, year=2023).values_list("total", flat=True))
    assert min(totals) < 100000 < max(totals)  # not every village is perfect
    grew = every(Income).filter(year=2023)
    assert len({t for t in grew.values_list("total", flat=True)}) > 10  # varied, not one figure copied


def test_the_step_is_idempotent(township):
    assert load_economy() == "已存在，未改动"
    assert every(Project).filter(town=township).count() == 7


def test_the_enterprises_requests_are_on_the_ledger_most_solved_and_rated(township):
    from xingyao.economy.models import EnterpriseRequest

    requests = every(EnterpriseRequest).filter(enterprise__village__parent=township)
    assert requests.count() == 6 and all(r.item_id for r in requests)
    solved = requests.filter(state="solved")
    assert solved.count() == 4 and not solved.filter(satisfaction="").exists()
    assert requests.filter(level="county").exists() and requests.exclude(state="solved").exists()
