"""Division codes: the 12-digit national code for 村 and above, grids and departments extend their parent's.

Pure functions, no ORM. A unit's *prefix* is the significant part of its code (县 411329000000 → 411329), so a
subtree is every unit whose prefix starts with the root's prefix.
"""

import re

from xingyao.core.roles import Labelled


class Kind(Labelled):
    PROVINCE = "province", "省"
    CITY = "city", "市"
    COUNTY = "county", "县"
    TOWN = "town", "镇/乡/街道"
    VILLAGE = "village", "村/社区"
    GRID = "grid", "网格"
    MICROGRID = "microgrid", "微网格"
    DEPARTMENT = "department", "部门"


# Significant digits of each administrative level's 12-digit code.
ADMIN_DIGITS = {Kind.PROVINCE: 2, Kind.CITY: 4, Kind.COUNTY: 6, Kind.TOWN: 9, Kind.VILLAGE: 12}
ADMIN_ORDER = [Kind.PROVINCE, Kind.CITY, Kind.COUNTY, Kind.TOWN, Kind.VILLAGE]
# Which kinds may sit directly under which.
ALLOWED_PARENTS: dict[Kind, set[Kind]] = {
    Kind.PROVINCE: set(),
    Kind.CITY: {Kind.PROVINCE},
    Kind.COUNTY: {Kind.CITY, Kind.PROVINCE},
    Kind.TOWN: {Kind.COUNTY},
    Kind.VILLAGE: {Kind.TOWN},
    Kind.GRID: {Kind.VILLAGE},
    Kind.MICROGRID: {Kind.GRID},
    Kind.DEPARTMENT: {Kind.TOWN, Kind.COUNTY},
}
ROOT_KINDS = {Kind.PROVINCE, Kind.CITY, Kind.COUNTY}
LEVEL_NAMES = {
    "省": Kind.PROVINCE,
    "province": Kind.PROVINCE,
    "1": Kind.PROVINCE,
    "市": Kind.CITY,
    "city": Kind.CITY,
    "2": Kind.CITY,
    "县": Kind.COUNTY,
    "区": Kind.COUNTY,
    "县/区": Kind.COUNTY,
    "county": Kind.COUNTY,
    "3": Kind.COUNTY,
    "镇": Kind.TOWN,
    "乡": Kind.TOWN,
    "街道": Kind.TOWN,
    "乡镇": Kind.TOWN,
    "镇/乡/街道": Kind.TOWN,
    "town": Kind.TOWN,
    "4": Kind.TOWN,
    "村": Kind.VILLAGE,
    "社区": Kind.VILLAGE,
    "村/社区": Kind.VILLAGE,
    "village": Kind.VILLAGE,
    "5": Kind.VILLAGE,
    "网格": Kind.GRID,
    "grid": Kind.GRID,
    "微网格": Kind.MICROGRID,
    "microgrid": Kind.MICROGRID,
    "部门": Kind.DEPARTMENT,
    "department": Kind.DEPARTMENT,
}

_DIGITS12 = re.compile(r"^\d{12}$")
_GRID = re.compile(r"^\d{15}$")
_MICROGRID = re.compile(r"^\d{18}$")
_DEPARTMENT = re.compile(r"^\d{12}B\d{2}$")


class CodeError(ValueError):
    """A code that does not fit its kind or its parent; the message is for the user."""


def parse_kind(raw: str) -> Kind:
    try:
        return LEVEL_NAMES[raw.strip()]
    except KeyError:
        raise CodeError(f"未知的层级「{raw}」，应为 省/市/县/镇/村/网格/微网格/部门 之一") from None


def prefix_of(code: str, kind: Kind) -> str:
    """The significant part of a code: what every descendant's code starts with."""
    if kind in ADMIN_DIGITS:
        return code[: ADMIN_DIGITS[kind]]
    return code


def infer_kind(code: str) -> Kind:
    """The administrative level of a 12-digit code from its trailing zeros (grids by length)."""
    if _GRID.match(code):
        return Kind.GRID
    if _MICROGRID.match(code):
        return Kind.MICROGRID
    if _DEPARTMENT.match(code):
        return Kind.DEPARTMENT
    if not _DIGITS12.match(code):
        raise CodeError(f"代码「{code}」格式错误：应为 12 位数字")
    if code[2:] == "0" * 10:
        return Kind.PROVINCE
    if code[4:] == "0" * 8:
        return Kind.CITY
    if code[6:] == "0" * 6:
        return Kind.COUNTY
    if code[9:] == "000":
        return Kind.TOWN
    return Kind.VILLAGE


def parent_code(code: str, kind: Kind) -> str | None:
    """The parent's code as the code itself says it (None for a province)."""
    if kind == Kind.GRID:
        return code[:12]
    if kind == Kind.MICROGRID:
        return code[:15]
    if kind == Kind.DEPARTMENT:
        return code[:12]
    if kind == Kind.PROVINCE:
        return None
    index = ADMIN_ORDER.index(kind)
    parent_digits = ADMIN_DIGITS[ADMIN_ORDER[index - 1]]
    return code[:parent_digits].ljust(12, "0")


def check_code(code: str, kind: Kind, parent_code_value: str | None, parent_kind: Kind | None) -> None:
    """Raise CodeError unless `code` is well-formed for `kind` and extends its parent's code."""
    if kind in ADMIN_DIGITS:
        if not _DIGITS12.match(code):
            raise CodeError(f"代码「{code}」格式错误：{kind.label}级代码应为 12 位数字")
        if infer_kind(code) != kind:
            raise CodeError(f"代码「{code}」与层级「{kind.label}」不符")
    elif kind == Kind.GRID and not _GRID.match(code):
        raise CodeError(f"网格代码「{code}」格式错误：应为所属村的 12 位代码加 3 位序号")
    elif kind == Kind.MICROGRID and not _MICROGRID.match(code):
        raise CodeError(f"微网格代码「{code}」格式错误：应为所属网格的 15 位代码加 3 位序号")
    elif kind == Kind.DEPARTMENT and not _DEPARTMENT.match(code):
        raise CodeError(f"部门代码「{code}」格式错误：应为所属乡镇或县的 12 位代码加 B 和 2 位序号")
    if parent_kind is None:
        if kind not in ROOT_KINDS:
            raise CodeError(f"{kind.label}「{code}」必须有上级单位")
        return
    if parent_kind not in ALLOWED_PARENTS[kind]:
        raise CodeError(f"{kind.label}不能挂在{parent_kind.label}之下")
    assert parent_code_value is not None
    if not code.startswith(prefix_of(parent_code_value, parent_kind)) or code == parent_code_value:
        raise CodeError(f"代码「{code}」没有延续上级单位代码「{parent_code_value}」")


# --- the administrative units a code lies in ---------------------------------------------------------
# Every code below a county starts with its county's 6 digits and its town's 9; grids, micro-grids and a village's
# own code start with the village's 12, and a department's with its town's or county's 12.


def county_prefix(code: str) -> str:
    """What every code in the same county starts with."""
    return code[: ADMIN_DIGITS[Kind.COUNTY]]


def county_code(code: str) -> str:
    """The 12-digit code of the county a unit lies in (the county itself for a county)."""
    return county_prefix(code).ljust(12, "0")


def town_code(code: str) -> str:
    """The 12-digit code of the town a unit lies in (a county or a county department: the county's own code)."""
    return code[: ADMIN_DIGITS[Kind.TOWN]].ljust(12, "0")


def admin_code(code: str) -> str:
    """The 12-digit administrative code a unit carries: a grid's village, a department's town or county."""
    return code[: ADMIN_DIGITS[Kind.VILLAGE]]


def village_code(code: str) -> str:
    """The 12-digit code of the village a village, grid or micro-grid lies in."""
    return admin_code(code)


def near_codes(code: str) -> tuple[str, str]:
    """The codes of the town and the county a unit lies in: where the departments that serve it hang."""
    return town_code(code), county_code(code)


def serves(department_code: str, code: str) -> bool:
    """Whether the department with this code hangs directly under the unit's town or county."""
    return bool(_DEPARTMENT.match(department_code)) and admin_code(department_code) in near_codes(code)


def below_county(code: str) -> str:
    """The digits after the county's: unique inside a county, short enough for case numbers and login names."""
    return code[ADMIN_DIGITS[Kind.COUNTY] :]


# NBS urban-rural division codes number residents' committees (社区) 001–199 and villagers' committees (村) 200–399.
FIRST_VILLAGE_NUMBER = 200


def is_community(code: str) -> bool:
    """Whether a village-level code names an urban community (社区) rather than a rural village (村)."""
    number = code[ADMIN_DIGITS[Kind.TOWN] : ADMIN_DIGITS[Kind.VILLAGE]]
    return number.isdigit() and int(number) < FIRST_VILLAGE_NUMBER
