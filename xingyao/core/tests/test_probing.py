"""Out-of-scope codes answer exactly like unknown ones: same status, same bytes, no name. A code that exists in
another town must not be told apart from one that exists nowhere (an attacker maps the county that way)."""

import io
import re

import pytest
from openpyxl import Workbook

from xingyao.core.sheets import ImportFailed
from xingyao.grid.tests import factories as f
from xingyao.grid.workflow import State

UNKNOWN_DEPARTMENT = "411329999B99"  # shaped like a department code; no such unit


def _post(client, url: str, data: dict):  # type: ignore[no-untyped-def]
    return client.post(url, data, content_type="application/json")


def _same(a, b) -> None:  # type: ignore[no-untyped-def]
    assert a.status_code == b.status_code
    assert a.content == b.content
    assert a.headers.get("Content-Type") == b.headers.get("Content-Type")


def test_dispatching_to_another_towns_department_answers_like_an_unknown_code(world, api):
    event = f.event(world, state=State.ACCEPTED)
    zhen = api("zhen")
    url = f"/api/v1/grid/events/{event.pk}/transitions"
    theirs = _post(zhen, url, {"action": "dispatch", "department_code": world.unit("施庵派出所").code})
    unknown = _post(zhen, url, {"action": "dispatch", "department_code": UNKNOWN_DEPARTMENT})
    assert theirs.status_code == 400
    _same(theirs, unknown)
    assert "施庵" not in theirs.content.decode()
    mine = _post(zhen, url, {"action": "dispatch", "department_code": world.unit("溧河铺派出所").code})
    assert mine.status_code == 200


@pytest.mark.parametrize("field", ["lead_department_code", "team_codes"])
def test_a_dispute_team_with_another_towns_department_answers_like_an_unknown_code(world, api, field):
    case = f.dispute(world)
    zhen = api("zhen")
    url = f"/api/v1/disputes/{case.pk}/triage"

    def triage(code: str):  # type: ignore[no-untyped-def]
        data = {"risk": "red", "lead_department_code": world.unit("溧河铺司法所").code, "team_codes": []}
        data[field] = [code] if field == "team_codes" else code
        return _post(zhen, url, data)

    theirs, unknown = triage(world.unit("施庵派出所").code), triage(UNKNOWN_DEPARTMENT)
    assert theirs.status_code == 400
    _same(theirs, unknown)
    assert "施庵" not in theirs.content.decode()
    assert triage(world.unit("溧河铺派出所").code).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/units/{code}",
        "/api/v1/units/{code}/children",
        "/api/v1/memberships?unit={code}",
    ],
)
def test_unit_routes_answer_another_towns_code_like_an_unknown_one(world, api, path):
    zhen = api("zhen")
    theirs = zhen.get(path.format(code=world.unit("施东村").code))
    unknown = zhen.get(path.format(code="411329999999"))
    assert theirs.status_code == 404
    _same(theirs, unknown)


@pytest.mark.parametrize("path", ["/units/{code}/", "/assessments/rankings/{code}/2023/"])
def test_unit_pages_answer_another_towns_code_like_an_unknown_one(world, login, path):
    zhen = login("zhen")
    theirs = zhen.get(path.format(code=world.unit("施庵镇").code))
    unknown = zhen.get(path.format(code="411329999000"))
    assert theirs.status_code == 404
    # The pages carry a per-request CSRF token; everything else must match.
    strip = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"|"X-CSRFToken": "[^"]+"')
    assert strip.sub(b"", theirs.content) == strip.sub(b"", unknown.content)


def _grid_sheet(code: str) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.append(["网格代码", "姓名", "手机号", "岗位", "登录名"])
    sheet.append([code, "赵铁柱", "13800001234", "网格员", "zhaotiezhu"])
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def test_a_grid_import_answers_another_towns_grid_like_an_unknown_code(world):
    from xingyao.grid import actions

    def errors(code: str) -> list[tuple[str, int, str, str]]:
        with pytest.raises(ImportFailed) as caught:
            actions.do_import_workers(world.user("zhen"), _grid_sheet(code), "人员.xlsx", "Xy-Start-2024")
        return [(e.sheet, e.row, e.column, e.message) for e in caught.value.errors]

    theirs_grid = world.new_unit("施东村", "施东村第1网格")
    unknown_code = theirs_grid.code[:-3] + "999"
    theirs, unknown = errors(theirs_grid.code), errors(unknown_code)
    assert theirs == unknown
    assert theirs[0][3] == "网格代码不存在或不在您的辖区内"


def test_a_division_import_answers_another_towns_code_like_an_unknown_one(world):
    from xingyao.places import actions

    def errors(code: str, name: str) -> list[str]:
        text = f"代码,名称,层级\n{code},{name},村\n"
        with pytest.raises(ImportFailed) as caught:
            actions.do_import_divisions(world.user("zhen"), io.BytesIO(text.encode()), "codes.csv")
        return [e.message for e in caught.value.errors]

    existing = world.unit("施东村").code
    unknown = existing[:6] + "999201"  # a village of a town that does not exist either
    assert errors(existing, "某村") == errors(unknown, "某村") == ["该单位不在您的辖区内"]
