"""Specialty industries, cooperatives and collective income: recording them, bad input, the figures bound to
产业兴旺星 (income, growth, area, brand) and how an assessment takes them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from xingyao.core import metrics
from xingyao.core.models import AuditEntry
from xingyao.core.testing import every
from xingyao.economy.models import BuyerContract, Income, Industry, IndustryArea
from xingyao.economy.tests import factories as f
from xingyao.economy.workflow import Brand

pytestmark = pytest.mark.django_db


def test_a_clerk_records_his_villages_industry_and_its_area_and_sees_the_years_total(world, login):
    client = login("maoqiao")
    data = {"village": world.unit("毛桥村").pk, "name": "毛桥西瓜", "product": "西瓜", "brand": "毛桥",
            "brand_level": "registered", "party_branch": "毛桥瓜果产业联合党支部"}  # fmt: skip
    response = client.post("/economy/industries/new/", data)
    assert response.status_code == 302
    industry = every(Industry).get()
    area = {"village": world.unit("毛桥村").pk, "year": "2023", "area_mu": "650.5", "households": "40", "jobs": "30"}
    assert client.post(f"/economy/industries/{industry.pk}/area/", area).status_code == 302
    page = client.get(f"/economy/industries/{industry.pk}/").content.decode()
    assert "毛桥瓜果产业联合党支部" in page and "650.50" in page and "有注册商标" in page
    # a second entry for the same village and year corrects it
    assert client.post(f"/economy/industries/{industry.pk}/area/", area | {"area_mu": "700"}).status_code == 302
    assert every(IndustryArea).get().area_mu == Decimal("700")
    assert every(AuditEntry).filter(action="industry.area").count() == 2


@pytest.mark.parametrize(
    ("area", "message"),
    [
        ("25000", "面积（25000.00 亩）超过一个村的上限 20,000 亩，请核实"),
        ("-3", "不能为负数"),
        ("abc", "面积"),
    ],
)
def test_an_area_larger_than_a_village_or_negative_is_refused(world, login, area, message):
    industry = f.industry(world)
    data = {"village": world.unit("毛桥村").pk, "year": "2023", "area_mu": area}
    response = login("maoqiao").post(f"/economy/industries/{industry.pk}/area/", data)
    assert response.status_code == 400 and message in response.content.decode()
    assert not every(IndustryArea).exists()


def test_a_clerk_cannot_record_another_villages_area_or_income(world, login, api):
    industry = f.industry(world)
    data = {"village": world.unit("庄营村").pk, "year": "2023", "area_mu": "300"}
    response = login("maoqiao").post(f"/economy/industries/{industry.pk}/area/", data)
    assert response.status_code == 400 and "不在您的管辖范围内" in response.content.decode()
    payload = {"village_code": world.unit("庄营村").code, "year": 2023, "operating": 1, "assets": 1}
    assert api("maoqiao").post("/api/v1/economy/incomes", payload, content_type="application/json").status_code == 404
    assert not every(IndustryArea).exists() and not every(Income).exists()


def test_an_industry_in_another_town_refuses_a_village_outside_it(world, login):
    industry = f.industry(world, "施东村", name="施东香菇")
    data = {"village": world.unit("毛桥村").pk, "year": "2023", "area_mu": "300"}
    response = login("xian").post(f"/economy/industries/{industry.pk}/area/", data)
    assert response.status_code == 400 and "毛桥村不在施庵镇" in response.content.decode()


def test_income_is_recorded_corrected_and_shown_with_its_growth(world, login):
    f.income(world, year=2022, operating=80000, assets=20000)
    client = login("maoqiao")
    data = {"village": world.unit("毛桥村").pk, "year": "2023", "operating": "90000", "assets": "30000"}
    assert client.post("/economy/income/new/", data).status_code == 302
    page = client.get("/economy/income/?year=2023").content.decode()
    assert "120000.00" in page and "20.0%" in page
    assert client.post("/economy/income/new/", data | {"assets": "40000"}).status_code == 302
    income = every(Income).get(year=2023)
    assert income.total == Decimal("130000")
    entry = every(AuditEntry).filter(action="income.record").order_by("-id").first()
    assert entry.before == {"operating": "90000.00", "assets": "30000.00"}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"operating": "-1"}, "不能为负数"),
        ({"assets": "5000000000"}, "超出一个村一年的合理范围，请核实单位是否为元"),
        ({"year": "2999"}, "年度"),
    ],
)
def test_bad_income_is_refused_with_nothing_written(world, login, changes, message):
    data = {"village": world.unit("毛桥村").pk, "year": "2023", "operating": "90000", "assets": "30000"} | changes
    response = login("maoqiao").post("/economy/income/new/", data)
    assert response.status_code == 400 and message in response.content.decode()
    assert not every(Income).exists()


def test_the_figures_add_income_growth_area_and_brand_up_per_village_and_town(world):
    f.income(world, "毛桥村", year=2022, operating=80000, assets=20000)
    f.income(world, "毛桥村", year=2023, operating=90000, assets=30000)
    f.income(world, "庄营村", year=2023, operating=50000, assets=0)  # no 2022 entry: no growth to show
    f.area(world, "毛桥村", name="毛桥辣椒", mu=600)
    f.area(world, "庄营村", name="高山娃娃菜", mu=400)
    Industry.objects.filter(name="高山娃娃菜").update(brand_level=Brand.REGISTERED)
    reader = metrics.unscoped("a test reads the figures")
    units = [world.unit(n) for n in ("毛桥村", "庄营村", "溧河铺镇", "施东村")]
    maoqiao, zhuangying, town, shidong = units
    values = reader.values(
        ["economy.collective_income", "economy.collective_income_growth", "economy.specialty_industry_area",
         "economy.specialty_brand", "economy.specialty_villages"], units, 2023,
    )  # fmt: skip
    assert values[(maoqiao.pk, "economy.collective_income")] == Decimal("120000")
    assert values[(maoqiao.pk, "economy.collective_income_growth")] == Decimal("20.0")
    assert (zhuangying.pk, "economy.collective_income_growth") not in values
    assert values[(town.pk, "economy.collective_income")] == Decimal("170000")
    assert values[(town.pk, "economy.collective_income_growth")] == Decimal("20.0")  # like with like
    assert values[(town.pk, "economy.specialty_industry_area")] == Decimal("1000")
    assert values[(town.pk, "economy.specialty_villages")] == 2
    assert values[(maoqiao.pk, "economy.specialty_brand")] == "none"
    assert values[(zhuangying.pk, "economy.specialty_brand")] == "registered"
    assert (shidong.pk, "economy.collective_income") not in values  # nothing recorded: the village answers


def test_the_assessment_takes_the_industry_values_from_the_records(world):
    from xingyao.assessments.tests import fixtures as af

    f.income(world, "庄营村", year=2022, operating=100000, assets=20000)
    f.income(world, "庄营村", year=2023, operating=110000, assets=40000)
    f.area(world, "庄营村", name="高山娃娃菜", mu=1300)
    Industry.objects.filter(name="高山娃娃菜").update(brand_level=Brand.REGISTERED, brand="高山")
    a = af.assessment(world, "庄营村")
    assert af.value(a, "industry.1.1").derived_value == "150000"
    assert af.value(a, "industry.1.2").derived_value == "25"
    assert af.value(a, "industry.2.1").derived_value == "1300"
    assert af.value(a, "industry.2.2").derived_value == "registered"
    assert af.value(a, "industry.3.1").derived_value == "0"
    bare = af.assessment(world, "施东村")
    assert af.value(bare, "industry.1.1").derived_value is None  # no 经管站 entry: typed by the village


def test_cooperatives_list_their_buyer_contracts(world, login, django_assert_max_num_queries):
    for n in range(12):
        coop = f.cooperative(world, name=f"合作社{n}")
        BuyerContract.objects.create(cooperative=coop, buyer="贵州鸿瑞顺祥粮食销售有限公司", product="有机小麦",
                                     year=2023, signed_on="2022-10-08")  # fmt: skip
    client = login("zhen")
    with django_assert_max_num_queries(8):
        page = client.get("/economy/cooperatives/").content.decode()
    assert page.count("贵州鸿瑞顺祥粮食销售有限公司") == 12


def test_the_area_and_income_lists_take_a_fixed_number_of_queries(world, login, django_assert_max_num_queries):
    for year in range(2005, 2024):
        f.area(world, "毛桥村", year=year)
        f.income(world, "毛桥村", year=year)
    client = login("zhen")
    with django_assert_max_num_queries(12):
        areas = client.get("/economy/industries/areas/").content.decode()
    with django_assert_max_num_queries(12):
        incomes = client.get("/economy/income/").content.decode()
    with django_assert_max_num_queries(12):
        industries = client.get("/economy/industries/").content.decode()
    assert areas.count("毛桥辣椒") == 19 and incomes.count("毛桥村") >= 19 and "毛桥辣椒" in industries
