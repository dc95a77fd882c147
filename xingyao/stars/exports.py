"""The Excel layout an organisation department writes by hand: one row per indicator, plus a star-rules sheet.

`criteria_workbook()` writes it; `parse_criteria_workbook()` reads it back into the plain data `scoring.to_spec`
takes, naming every bad cell by sheet, row and column. `plans_workbook()` is the 创星计划 table a town or county
hands upward: each village's targets against the stars it holds.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from xingyao.core.exports import SUM, TALLY, Column, Sheet, unit_heading
from xingyao.core.metrics import KEY_PATTERN
from xingyao.core.sheets import CellError, ImportFailed, SheetRows, read_table, write_workbook
from xingyao.places.models import Unit
from xingyao.stars import scoring
from xingyao.stars.models import COMPARISON_LABELS, KIND_LABELS, CriteriaSet, Star
from xingyao.stars.queries import VillageRow, plans_overview

INDICATOR_SHEET = "指标"
STAR_SHEET = "星级规则"
INDICATOR_COLUMNS = ("星", "板块", "指标编号", "指标内容", "类型", "分值")
INDICATOR_OPTIONAL = (
    "必备",
    "一票否决",
    "达标值",
    "比较",
    "单位",
    "选项",
    "最低分",
    "最高分",
    "佐证数量",
    "数据来源",
    "说明",
)
STAR_COLUMNS = ("星", "顺序")
STAR_OPTIONAL = ("编码", "最低分", "必备指标全部达标", "前置星", "审核部门")

# Codes for the stars the campaign names; any other star gets "star<顺序>".
KNOWN_STAR_CODES = {
    "支部过硬星": "branch",
    "产业兴旺星": "industry",
    "生态宜居星": "ecology",
    "平安法治星": "safety",
    "文明幸福星": "civility",
    "共建共享星": "sharing",
    "宜业兴业星": "enterprise",
    "幸福和谐星": "harmony",
}
KIND_NAMES = {label: kind.value for kind, label in KIND_LABELS.items()} | {
    "是/否": "bool",
    "数字": "number",
    "选择": "choice",
    "打分": "score",
    "佐证材料": "evidence",
    **{k.value: k.value for k in scoring.Kind},
}
COMPARISON_NAMES = {
    "": ">=",
    ">=": ">=",
    "≥": ">=",
    "不低于": ">=",
    "大于等于": ">=",
    "<=": "<=",
    "≤": "<=",
    "不高于": "<=",
    "小于等于": "<=",
}
YES = {"是", "√", "✓", "y", "yes", "true", "1"}
NO = {"", "否", "×", "n", "no", "false", "0"}
LIST_SPLIT = re.compile(r"[；;\n]+")
NAME_SPLIT = re.compile(r"[、，,；;\s]+")


def _fmt(number: Decimal | None) -> Any:
    if number is None:
        return ""
    return int(number) if number == number.to_integral_value() else float(number)


def format_choices(choices: list[Any]) -> str:
    """[[value, label, points], ...] → "good:好=20；fair:较好=14" (the value is left out when it equals the label)."""
    parts = []
    for value, label, points in choices or ():
        head = label if str(value) == str(label) else f"{value}:{label}"
        parts.append(f"{head}={_fmt(Decimal(str(points)))}")
    return "；".join(parts)


def criteria_workbook(criteria_set: CriteriaSet) -> bytes:
    """The set as an .xlsx: 指标 (one row per indicator) and 星级规则 (one row per star)."""
    stars = list(criteria_set.stars.select_related("review_department"))
    names = {s.code: s.name for s in stars}
    indicators = criteria_set.indicators.select_related("star", "section").order_by(
        "star__order", "section__order", "order", "id"
    )
    indicator_rows = [
        [
            i.star.name,
            i.section.name,
            i.code,
            i.name,
            KIND_LABELS[scoring.Kind(i.kind)],
            _fmt(i.points),
            "是" if i.required else "否",
            "是" if i.veto else "否",
            _fmt(i.threshold),
            COMPARISON_LABELS[scoring.Comparison(i.comparison)] if i.kind == scoring.Kind.NUMBER else "",
            i.unit,
            format_choices(i.choices),
            _fmt(i.min_score) if i.kind == scoring.Kind.SCORE else "",
            _fmt(i.max_score),
            i.evidence_count,
            i.data_source or "",
            i.note,
        ]
        for i in indicators
    ]
    star_rows = [
        [
            s.name,
            s.code,
            s.order,
            _fmt(s.min_points),
            "是" if s.require_all_required else "否",
            "、".join(names.get(c, c) for c in s.prerequisites),
            s.review_department.code if s.review_department else "",
        ]
        for s in stars
    ]
    return write_workbook(
        [
            (INDICATOR_SHEET, [*INDICATOR_COLUMNS, *INDICATOR_OPTIONAL], indicator_rows),
            (STAR_SHEET, ["星", "编码", "顺序", "最低分", "必备指标全部达标", "前置星", "审核部门"], star_rows),
        ]
    )


class _Row:
    """One sheet row's cells, collecting a CellError for each value that does not parse."""

    def __init__(self, sheet: str, number: int, values: dict[str, Any], errors: list[CellError]) -> None:
        self.sheet, self.line, self.values, self.errors = sheet, number, values, errors

    def error(self, column: str, message: str) -> None:
        self.errors.append(CellError(self.sheet, self.line, column, message))

    def text(self, column: str) -> str:
        value = self.values.get(column)
        return "" if value is None else str(value).strip()

    def required_text(self, column: str) -> str:
        value = self.text(column)
        if not value:
            self.error(column, "不能为空")
        return value

    def yes_no(self, column: str, default: bool = False) -> bool:
        raw = self.text(column).lower()
        if raw == "":
            return default
        if raw in YES:
            return True
        if raw not in NO:
            self.error(column, f"「{self.text(column)}」应填“是”或“否”")
        return False

    def number(self, column: str, *, required: bool = False, integer: bool = False) -> Decimal | None:
        raw = self.text(column)
        if raw == "":
            if required:
                self.error(column, "不能为空")
            return None
        try:
            value = Decimal(raw.replace(",", "").replace("，", ""))
        except InvalidOperation:
            self.error(column, f"「{raw}」不是数字")
            return None
        if not value.is_finite() or value < 0:
            self.error(column, f"「{raw}」应为非负数")
            return None
        if integer and value != value.to_integral_value():
            self.error(column, f"「{raw}」应为整数")
            return None
        return value


def parse_choices(raw: str) -> list[dict[str, Any]]:
    """ "good:好=20；较好=14" → [{value, label, points}]; raises ValueError with a Chinese message."""
    options = []
    for part in LIST_SPLIT.split(raw.replace("＝", "=").replace("：", ":")):
        part = part.strip()
        if not part:
            continue
        head, sep, points = part.rpartition("=")
        if not sep or not head.strip():
            raise ValueError(f"选项「{part}」应写作“选项=分值”，如“好=20”")
        value, _, label = head.partition(":") if ":" in head else (head, "", head)
        try:
            number = Decimal(points.strip())
        except InvalidOperation:
            raise ValueError(f"选项「{part}」的分值「{points.strip()}」不是数字") from None
        options.append({"value": value.strip(), "label": label.strip(), "points": str(number)})
    return options


def _read(
    upload: IO[bytes], filename: str, sheet: str, required: tuple[str, ...], optional: tuple[str, ...]
) -> SheetRows:
    upload.seek(0)
    return read_table(upload, filename=filename, required=required, optional=optional, sheet=sheet)


def parse_criteria_workbook(
    upload: IO[bytes],
    filename: str,
    existing_codes: dict[str, str] | None = None,
    departments: set[str] | None = None,
) -> dict[str, Any]:
    """Read both sheets into `{"stars": [...], "indicators": [...]}`; ImportFailed lists every bad cell.

    `departments` are the codes a star's 审核部门 may name (the county's departments); None accepts any code."""
    if not filename.lower().endswith(".xlsx"):
        raise ImportFailed([CellError("", 1, "", "请上传 Excel（.xlsx）文件，须含“指标”和“星级规则”两个工作表")])
    errors: list[CellError] = []
    star_table = _read(upload, filename, STAR_SHEET, STAR_COLUMNS, STAR_OPTIONAL)
    indicator_table = _read(upload, filename, INDICATOR_SHEET, INDICATOR_COLUMNS, INDICATOR_OPTIONAL)
    stars, star_rows = _parse_stars(star_table, existing_codes or {}, errors, departments)
    indicators = _parse_indicators(indicator_table, stars, errors)
    named = {str(values.get("星") or "").strip() for _, values in indicator_table.rows}
    for name, number in star_rows.items():
        if name not in named:
            errors.append(CellError(STAR_SHEET, number, "星", f"「{name}」在“指标”工作表中没有任何指标"))
    if errors:
        raise ImportFailed(sorted(errors, key=lambda e: (e.sheet != STAR_SHEET, e.row)))
    data = {"stars": list(stars.values()), "indicators": [i for _, i in sorted(indicators.items())]}
    for star in data["stars"]:
        star.pop("_prerequisite_names")
    try:
        scoring.to_spec(data)
    except ValueError as exc:
        raise ImportFailed([CellError(STAR_SHEET, 1, "", str(exc))]) from None
    return data


def _parse_stars(
    table: SheetRows, existing_codes: dict[str, str], errors: list[CellError], departments: set[str] | None = None
) -> tuple[dict[str, dict[str, Any]], dict[str, int]]:
    stars: dict[str, dict[str, Any]] = {}
    rows: dict[str, int] = {}
    codes: dict[str, int] = {}
    for number, values in table.rows:
        row = _Row(table.sheet, number, values, errors)
        name = row.required_text("星")
        order = row.number("顺序", required=True, integer=True)
        code = row.text("编码") or existing_codes.get(name) or KNOWN_STAR_CODES.get(name) or ""
        if not code and order is not None:
            code = f"star{int(order)}"
        if code and not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", code):
            row.error("编码", f"「{code}」只能由字母、数字和下划线组成，且以字母开头")
        star: dict[str, Any] = {
            "code": code,
            "name": name,
            "order": int(order) if order is not None else number,
            "min_points": row.number("最低分"),
            "require_all_required": row.yes_no("必备指标全部达标", default=True),
            "_prerequisite_names": [n for n in NAME_SPLIT.split(row.text("前置星")) if n],
            "review_department": row.text("审核部门") or None,
        }
        if star["review_department"] and departments is not None and star["review_department"] not in departments:
            row.error("审核部门", f"「{star['review_department']}」不是本县部门的代码")
        if name in rows:
            row.error("星", f"「{name}」与第 {rows[name]} 行重复")
            continue
        if code in codes:
            row.error("编码", f"编码「{code}」与第 {codes[code]} 行重复")
            continue
        if name:
            stars[name], rows[name] = star, number
            codes[code] = number
    by_code = {s["code"]: s for s in stars.values()}
    for name, star in stars.items():
        prerequisites: list[str] = []
        for wanted in star["_prerequisite_names"]:
            found = stars.get(wanted) or by_code.get(wanted)
            if found is None:
                errors.append(CellError(table.sheet, rows[name], "前置星", f"前置星「{wanted}」不在本表中"))
            elif found is star:
                errors.append(CellError(table.sheet, rows[name], "前置星", "不能以自身为前置星"))
            else:
                prerequisites.append(found["code"])
        star["prerequisites"] = prerequisites
    if not stars and not errors:
        errors.append(CellError(table.sheet, 2, "星", "至少要有一颗星"))
    return stars, rows


def _parse_indicators(
    table: SheetRows, stars: dict[str, dict[str, Any]], errors: list[CellError]
) -> dict[int, dict[str, Any]]:
    """Indicators keyed by row number (the order they appear in)."""
    found: dict[int, dict[str, Any]] = {}
    seen: dict[str, int] = {}
    for number, values in table.rows:
        row = _Row(table.sheet, number, values, errors)
        before = len(errors)
        star_name = row.required_text("星")
        star = stars.get(star_name)
        if star_name and star is None:
            row.error("星", f"「{star_name}」不在“星级规则”工作表中")
        code = row.required_text("指标编号")
        if code in seen:
            row.error("指标编号", f"「{code}」与第 {seen[code]} 行重复")
        elif code:
            seen[code] = number
        kind_text = row.required_text("类型")
        kind = KIND_NAMES.get(kind_text)
        if kind_text and kind is None:
            row.error("类型", f"「{kind_text}」无法识别，可填：是否、数值、选项、评分、佐证")
        comparison = COMPARISON_NAMES.get(row.text("比较"))
        if comparison is None:
            row.error("比较", f"「{row.text('比较')}」无法识别，可填：不低于（>=）或 不高于（<=）")
        source = row.text("数据来源")
        if source and not KEY_PATTERN.match(source):
            row.error("数据来源", f"「{source}」格式应为“应用.指标”，如 disputes.success_rate")
        choices: list[dict[str, Any]] = []
        if row.text("选项"):
            try:
                choices = parse_choices(row.text("选项"))
            except ValueError as exc:
                row.error("选项", str(exc))
        evidence = row.number("佐证数量", integer=True)
        data = {
            "code": code,
            "star_code": star["code"] if star else "",
            "section": row.required_text("板块"),
            "name": row.required_text("指标内容"),
            "kind": kind,
            "points": row.number("分值", required=True),
            "required": row.yes_no("必备"),
            "veto": row.yes_no("一票否决"),
            "threshold": row.number("达标值"),
            "comparison": comparison,
            "unit": row.text("单位"),
            "choices": choices,
            "min_score": row.number("最低分") or Decimal(0),
            "max_score": row.number("最高分"),
            "evidence_count": int(evidence) if evidence is not None else 1,
            "data_source": source or None,
            "note": row.text("说明"),
        }
        if len(errors) > before or star is None:
            continue
        try:
            alone = {"code": star["code"], "name": star["name"]}
            spec = scoring.to_spec({"stars": [alone], "indicators": [data]}).indicators[0]
            scoring.validate_indicator(spec, {star["code"]})
        except ValueError as exc:
            row.error(_column_of(str(exc)), str(exc))
            continue
        found[number] = data
    return found


def _column_of(message: str) -> str:
    """The column a scoring validation message is about, so the error points at the right cell."""
    for needle, column in (
        ("达标值", "达标值"),
        ("选项", "选项"),
        ("打分范围", "最高分"),
        ("佐证", "佐证数量"),
        ("分值", "分值"),
        ("类型", "类型"),
    ):
        if needle in message:
            return column
    return ""


# --- 创星计划: targets against standing ------------------------------------------------------------------------


def _standing(target: bool, held: bool) -> str:
    if target:
        return "目标，已获评" if held else "目标，未获评"
    return "已获评（非目标）" if held else ""


def _progress(r: VillageRow) -> str:
    if not r.target:
        return "未定目标"
    return "已达成" if r.target <= r.held else f"差 {len(r.target - r.held)} 星"


def _star_cell(n: int) -> Any:
    return lambda r: _standing(*r.cells[n])


def plans_sheet(stars: list[Star]) -> Sheet:
    """One row per village: last year's stars, the target, this year's, and each star's target and standing."""
    return Sheet(
        "创星计划",
        [
            Column("乡镇", lambda r: r.village.parent.name if r.village.parent else ""),
            Column("村（社区）", lambda r: r.village.name),
            Column("上年星数", lambda r: len(r.before), total=SUM),
            Column("目标星数", lambda r: len(r.target), total=SUM),
            Column("本年获评星数", lambda r: len(r.held), total=SUM),
            Column("目标完成情况", _progress, total=TALLY),
            *[Column(star.name, _star_cell(n), total=TALLY) for n, star in enumerate(stars)],
        ],
    )


def plans_workbook(user: Any, unit: Unit, year: int) -> bytes:
    """The plans overview of `unit` as `user` sees it (`queries.plans_overview`: a fixed number of queries)."""
    overview = plans_overview(user, unit, year)
    title = f"{unit.name}{year}年“五星”支部创建创星目标与评定情况表"
    return plans_sheet(overview.stars).workbook(user, overview.rows, unit_heading(title, unit.name, f"{year}年"))
