"""Excel and CSV imports of the townships' ledgers: all rows or none, errors named by sheet, row and column,
rows outside the importer's scope refused, an exported ledger re-imported."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from xingyao.core.models import AuditEntry
from xingyao.core.sheets import write_workbook
from xingyao.core.testing import every
from xingyao.economy.imports import INCOME_COLUMNS
from xingyao.economy.models import Income, IndustryArea, Project
from xingyao.economy.tests import factories as f

pytestmark = pytest.mark.django_db
PROJECT_HEADER = [
    "项目名称",
    "乡镇代码",
    "投资方",
    "行业",
    "计划投资（万元）",
    "包联镇领导",
    "登记日期",
    "阶段",
    "签约日期",
]


def _xlsx(title: str, header: list[str], rows: list[list[object]]) -> SimpleUploadedFile:
    content = write_workbook([(title, header, rows)])
    return SimpleUploadedFile("台账.xlsx", content, content_type="application/vnd.ms-excel")


def test_a_project_ledger_imports_every_row_with_its_stage(world, login):
    town = world.unit("溧河铺镇").code
    rows = [
        ["汉帛二期", town, "汉帛", "纺织", "30000", "镇长", "2022-11-08", "开工", "2023-02-16"],
        ["火乐光电", town, "火乐", "光电", "20000", "书记", "2023-05-15", "洽谈", ""],
    ]
    response = login("zhen").post("/economy/import/", {"file": _xlsx("招商项目", PROJECT_HEADER, rows)})
    assert response.status_code == 302
    assert dict(every(Project).values_list("name", "stage")) == {"汉帛二期": "started", "火乐光电": "negotiating"}
    assert every(AuditEntry).filter(action="project.import").count() == 1


def test_a_bad_project_ledger_names_each_cell_and_writes_nothing(world, login):
    f.project(world, name="已有项目")
    town, other = world.unit("溧河铺镇").code, world.unit("施庵镇").code
    rows = [
        ["已有项目", town, "某公司", "制造", "100", "镇长", "2023-01-01", "", ""],  # 2: the town has it
        ["新项目", other, "某公司", "制造", "100", "镇长", "2023-01-01", "", ""],  # 3: another town
        ["新项目", town, "某公司", "制造", "-5", "镇长", "2023-13-01", "腾飞", ""],  # 4: three bad cells
        ["签约项目", town, "某公司", "制造", "100", "镇长", "2023-01-01", "签约", ""],  # 5: no signing date
        ["好项目", town, "某公司", "制造", "100", "镇长", "2023-01-01", "", ""],
        ["好项目", town, "某公司", "制造", "100", "镇长", "2023-01-01", "", ""],  # 7: twice in the sheet
    ]
    response = login("zhen").post("/economy/import/", {"file": _xlsx("招商项目", PROJECT_HEADER, rows)})
    assert response.status_code == 400
    page = response.content.decode()
    for expected in [
        "工作表「招商项目」第 2 行「项目名称」列：本乡镇已有名为「已有项目」的招商项目",
        "第 3 行「乡镇代码」列：乡镇代码不存在或不在您的辖区内",
        "第 4 行「计划投资（万元）」列：计划投资（万元）不能为负数",
        "第 4 行「登记日期」列：登记日期应为日期（年-月-日）",
        "第 4 行「阶段」列：阶段应为 线索、洽谈、签约、开工、投产 之一",
        "第 5 行「签约日期」列：阶段为签约的项目须填签约日期",
        "第 7 行「项目名称」列：与第 6 行重复",
    ]:
        assert expected in page, expected
    assert every(Project).count() == 1 and not every(AuditEntry).filter(action="project.import").exists()


def test_an_income_csv_creates_and_corrects_and_refuses_a_village_outside_scope(world, login):
    f.income(world, "毛桥村", year=2022, operating=1, assets=1)
    maoqiao, zhuangying = world.unit("毛桥村").code, world.unit("庄营村").code
    good = [INCOME_COLUMNS, [maoqiao, 2022, 70000, 10000], [maoqiao, 2023, 90000, 30000]]
    client = login("maoqiao")
    assert client.post("/economy/income/import/", {"file": f.csv_file(good)}).status_code == 302
    assert dict(every(Income).values_list("year", "total")) == {2022: Decimal("80000"), 2023: Decimal("120000")}
    bad = [INCOME_COLUMNS, [maoqiao, 2021, 90000, 30000], [zhuangying, 2021, 1, 1], [maoqiao, 2021, "abc", 1]]
    response = client.post("/economy/income/import/", {"file": f.csv_file(bad)})
    page = response.content.decode()
    assert response.status_code == 400
    assert "第 3 行「村代码」列：村代码不存在或不在您的辖区内" in page
    assert "第 4 行「经营性收入（元）」列：经营性收入应为数字" in page
    assert not every(Income).filter(year=2021).exists()


def test_an_area_ledger_needs_a_known_industry_and_a_sane_area(world, login):
    f.industry(world, "毛桥村", name="毛桥辣椒")
    code = world.unit("毛桥村").code
    header = ["产业名称", "村代码", "年度", "面积（亩）", "种植户数"]
    rows = [["毛桥辣椒", code, 2023, 30000, 5], ["毛桥苹果", code, 2023, 100, 5], ["毛桥辣椒", code, 2022, 700, 40]]
    response = login("maoqiao").post("/economy/industries/areas/import/", {"file": _xlsx("面积", header, rows)})
    page = response.content.decode()
    assert "第 2 行「面积（亩）」列：面积（30000.00 亩）超过一个村的上限 20,000 亩，请核实" in page
    assert "第 3 行「产业名称」列：本镇没有名为「毛桥苹果」的特色产业，请先登记" in page
    assert not every(IndustryArea).exists()
    response = login("maoqiao").post("/economy/industries/areas/import/", {"file": _xlsx("面积", header, rows[2:])})
    assert response.status_code == 302 and every(IndustryArea).get().area_mu == 700


def test_an_exported_income_ledger_imports_again_unchanged(world, login):
    f.income(world, "毛桥村", year=2023, operating=90000, assets=30000)
    client = login("maoqiao")
    ledger = client.get("/economy/income/ledger.xlsx").content
    upload = SimpleUploadedFile("台账.xlsx", ledger)
    response = client.post("/economy/income/import/", {"file": upload})
    assert response.status_code == 302
    assert every(Income).get().total == Decimal("120000")


def test_an_import_that_is_not_a_sheet_is_refused(world, login):
    upload = SimpleUploadedFile("台账.xlsx", io.BytesIO(b"not a workbook").read())
    response = login("maoqiao").post("/economy/income/import/", {"file": upload})
    assert response.status_code == 400 and "不是有效的 Excel" in response.content.decode()
