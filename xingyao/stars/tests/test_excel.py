"""Excel import and export in the layout an organisation department writes by hand."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook, load_workbook

from xingyao.core.sheets import ImportFailed
from xingyao.stars import actions
from xingyao.stars.exports import INDICATOR_SHEET, STAR_SHEET, criteria_workbook
from xingyao.stars.tests.fixtures import published_set

HEADER = ["星", "板块", "指标编号", "指标内容", "类型", "分值", "必备", "一票否决", "达标值", "比较", "单位", "选项"]
STAR_HEADER = ["星", "顺序", "最低分", "必备指标全部达标", "前置星"]


def _workbook(indicators: list[list], stars: list[list]) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.title = INDICATOR_SHEET
    for row in [HEADER, *indicators]:
        sheet.append(row)
    rules = book.create_sheet(STAR_SHEET)
    for row in [STAR_HEADER, *stars]:
        rules.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def _blank(world):  # type: ignore[no-untyped-def]
    return actions.do_create_criteria_set(world.user("xian"), county=world.unit("新野县"), year=2025, name="导入测试")


def test_an_exported_set_imports_back_to_the_same_criteria(world) -> None:
    source = published_set(world)
    content = criteria_workbook(source)
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == [INDICATOR_SHEET, STAR_SHEET]
    first = [c.value for c in book[INDICATOR_SHEET][2]]
    assert first[:6] == ["支部过硬星", "好书记好班子", "branch.1.1", "村党组织书记履职评价", "选项", 20]
    assert first[11] == "good:好=20；fair:较好=14；weak:一般=8；poor:差=0"

    target = _blank(world)
    result = actions.do_import_criteria(world.user("xian"), target, io.BytesIO(content), "标准.xlsx")
    assert (result.stars, result.indicators) == (5, 29)
    assert target.to_spec() == source.to_spec()


def test_a_hand_written_sheet_without_codes_imports_with_the_campaigns_star_codes(world) -> None:
    upload = _workbook(
        [
            ["支部过硬星", "组织生活", "1.1", "三会一课次数", "数值", 60, "是", "", 12, "不低于", "次", ""],
            ["产业兴旺星", "集体经济", "2.1", "集体经济收入", "数值", 60, "是", "否", 100000, "", "元", ""],
            ["产业兴旺星", "品牌", "2.2", "品牌建设", "选项", 40, "", "", 6, "", "", "有商标=40；无=0"],
        ],
        [["支部过硬星", 1, 60, "是", ""], ["产业兴旺星", 2, 80, "是", "支部过硬星"]],
    )
    target = _blank(world)
    actions.do_import_criteria(world.user("xian"), target, upload, "手写.xlsx")
    spec = target.to_spec()
    assert [s.code for s in spec.stars] == ["branch", "industry"]
    assert spec.star("industry").prerequisites == ("branch",)
    brand = next(i for i in spec.indicators if i.code == "2.2")
    assert [(c.value, c.label) for c in brand.choices] == [("有商标", "有商标"), ("无", "无")]


def test_import_errors_name_sheet_row_and_column_and_write_nothing(world) -> None:
    upload = _workbook(
        [
            ["支部过硬星", "组织生活", "1.1", "三会一课次数", "数值", 60, "是", "", "", "", "次", ""],
            ["支部过硬星", "组织生活", "1.1", "主题党日", "是否", "十分", "", "", "", "", "", ""],
            ["美丽星", "环境", "3.1", "道路", "长度", 10, "也许", "", "", "", "米", ""],
            ["支部过硬星", "组织生活", "1.3", "书记评价", "选项", 20, "", "", "", "", "", "好20"],
            ["支部过硬星", "组织生活", "1.4", "党员发展", "数值", 20, "", "", 1, "大约", "名", ""],
        ],
        [["支部过硬星", 1, 60, "是", "产业兴旺星"], ["生态宜居星", 2, "", "是", ""]],
    )
    target = _blank(world)
    before = list(target.stars.values_list("code", flat=True))
    with pytest.raises(ImportFailed) as failed:
        actions.do_import_criteria(world.user("xian"), target, upload, "有错.xlsx")
    where = {(e.sheet, e.row, e.column) for e in failed.value.errors}
    assert where == {
        (STAR_SHEET, 2, "前置星"),
        (STAR_SHEET, 3, "星"),
        (INDICATOR_SHEET, 2, "达标值"),
        (INDICATOR_SHEET, 3, "指标编号"),
        (INDICATOR_SHEET, 3, "分值"),
        (INDICATOR_SHEET, 4, "星"),
        (INDICATOR_SHEET, 4, "类型"),
        (INDICATOR_SHEET, 4, "必备"),
        (INDICATOR_SHEET, 5, "选项"),
        (INDICATOR_SHEET, 6, "比较"),
    }
    messages = [str(e) for e in failed.value.errors]
    assert "工作表「指标」第 3 行「指标编号」列：「1.1」与第 2 行重复" in messages
    assert list(target.stars.values_list("code", flat=True)) == before
    assert target.indicators.count() == 0


def test_a_file_without_the_star_rules_sheet_is_refused(world) -> None:
    book = Workbook()
    book.active.title = INDICATOR_SHEET
    book.active.append(HEADER)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    with pytest.raises(ImportFailed, match="缺少工作表「星级规则」"):
        actions.do_import_criteria(world.user("xian"), _blank(world), out, "缺表.xlsx")


def test_the_import_page_lists_errors_and_a_published_set_cannot_be_imported_into(world, login) -> None:
    target = _blank(world)
    upload = _workbook([["支部过硬星", "组织生活", "1.1", "三会一课", "数值", 60, "", "", "", "", "", ""]], [])
    upload.name = "有错.xlsx"
    client = login("xian")
    page = client.post(f"/stars/criteria/{target.pk}/import/", {"file": upload}).content.decode()
    assert "导入失败" in page and "工作表「星级规则」第 2 行「星」列：至少要有一颗星" in page

    published = published_set(world)
    response = client.post(f"/stars/criteria/{published.pk}/import/", {"file": io.BytesIO(b"x")}, follow=True)
    assert "已发布，不能再修改" in response.content.decode()
    assert published.indicators.count() == 29


def test_the_export_is_a_download_named_after_the_set(world, login) -> None:
    response = login("maoqiao").get(f"/stars/criteria/{published_set(world).pk}/export.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "filename*=UTF-8''2023" in response["Content-Disposition"]


def test_review_departments_round_trip_through_the_star_rules_sheet(world) -> None:
    source = published_set(world)
    source.stars.filter(code="safety").update(review_department=world.unit("县委政法委"))
    content = criteria_workbook(source)
    rows = list(load_workbook(io.BytesIO(content))[STAR_SHEET].values)
    assert rows[0][-1] == "审核部门"
    assert {r[0]: r[-1] for r in rows[1:]}["平安法治星"] == world.unit("县委政法委").code
    target = _blank(world)
    actions.do_import_criteria(world.user("xian"), target, io.BytesIO(content), "标准.xlsx")
    assert dict(target.stars.exclude(review_department=None).values_list("code", "review_department__name")) == {
        "safety": "县委政法委"
    }
    # A copy for next year keeps the departments.
    copy = actions.do_copy_criteria_set(world.user("xian"), source, 2026)
    assert copy.stars.get(code="safety").review_department == world.unit("县委政法委")


def test_a_review_department_outside_the_county_is_a_cell_error(world) -> None:
    source = published_set(world)
    book = load_workbook(io.BytesIO(criteria_workbook(source)))
    rules = book[STAR_SHEET]
    rules.cell(row=2, column=7, value=world.unit("施庵派出所").code)  # a town's department, not the county's
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    with pytest.raises(ImportFailed) as failed:
        actions.do_import_criteria(world.user("xian"), _blank(world), out, "部门.xlsx")
    assert {(e.sheet, e.row, e.column) for e in failed.value.errors} == {(STAR_SHEET, 2, "审核部门")}
