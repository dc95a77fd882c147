"""Unit pickers search as one types, inside the user's scope; forms still check the chosen unit on the server."""

from __future__ import annotations

from xingyao.accounts.models import Membership
from xingyao.places.codes import Kind
from xingyao.places.models import Unit
from xingyao.places.queries import PICKER_LIMIT


def _names(client, query: str) -> list[str]:  # type: ignore[no-untyped-def]
    response = client.get(f"/units/search/?{query}")
    assert response.status_code == 200
    return [r["name"] for r in response.json()["results"]]


def test_search_finds_units_in_scope_by_name_or_code_and_never_an_outsiders(world, login):
    zhen = login("zhen")
    assert _names(zhen, "q=村&kind=village") == ["毛桥村", "庄营村"]
    assert _names(zhen, f"q={world.unit('毛桥村').code}") == ["毛桥村", "毛桥村第1网格", "毛桥村第1网格第1微网格"]
    # 施庵镇 and its 施东村 lie in another town: not found, whatever the words.
    assert _names(zhen, "q=施") == []
    assert _names(zhen, f"q={world.unit('施东村').code}") == []
    assert _names(login("shian"), "q=村&kind=village") == ["施东村"]


def test_search_narrows_by_action_kind_and_unit(world, login):
    zhen = login("zhen")
    assert "毛桥村第1网格" in _names(zhen, "q=网格&action=admin&kind=grid")
    assert _names(zhen, f"q=网格&kind=grid&within={world.unit('庄营村').code}") == ["庄营村第1网格"]
    # The village clerk may view his village but administers nothing.
    assert _names(login("maoqiao"), "q=毛桥&action=admin") == []
    # Searching below a unit he cannot see is the same 404 as opening it.
    assert login("zhuangying").get(f"/units/search/?q=网格&within={world.unit('毛桥村').code}").status_code == 404


def test_search_returns_a_few_results_and_says_there_are_more(world, login):
    village = world.unit("毛桥村")
    Unit.objects.bulk_create(
        Unit(
            code=f"{village.code}{n:03d}",
            prefix=f"{village.code}{n:03d}",
            name=f"毛桥村第{n}网格",
            kind=Kind.GRID,
            parent=village,
        )
        for n in range(2, 40)
    )
    data = login("zhen").get("/units/search/?q=毛桥村第&kind=grid").json()
    assert len(data["results"]) == PICKER_LIMIT and data["more"] is True
    assert data["results"][0]["label"] == "毛桥村第1网格（网格 · 毛桥村）"


def test_bad_search_parameters_are_a_clear_refusal(world, login):
    zhen = login("zhen")
    assert zhen.get("/units/search/?q=村&kind=planet").json() == {"detail": "参数不正确"}
    assert zhen.get("/units/search/?q=村&action=rule").status_code == 400
    assert zhen.get("/units/search/?q=").json() == {"results": [], "more": False}


def test_forms_offer_a_search_box_not_a_list_of_units_and_no_default_role(world, login):
    page = login("zhen").get("/accounts/users/new/").content.decode()
    assert 'name="unit"' in page and "data-unit-picker" in page
    assert '<select name="unit"' not in page
    assert '<option value="" selected>请选择角色</option>' in page
    detail = login("zhen").get(f"/accounts/users/{world.user('maoqiao').pk}/").content.decode()
    assert '<select name="unit"' not in detail and "data-unit-picker" in detail


def test_a_new_user_needs_a_role_chosen(world, login):
    response = login("zhen").post(
        "/accounts/users/new/",
        {"username": "xiaoli", "full_name": "李小丽", "password": "pass-word-2023", "unit": world.unit("毛桥村").pk},
    )
    assert response.status_code == 200
    assert "这个字段是必填项" in response.content.decode()
    assert not Membership.objects.filter(user__username="xiaoli").exists()


def test_without_javascript_a_typed_code_still_picks_the_unit_and_an_outsiders_code_is_refused(world, login):
    zhen = login("zhen")
    target = world.user("maoqiao")
    grid = world.unit("毛桥村第1网格")
    ok = zhen.post(
        f"/accounts/users/{target.pk}/memberships/",
        {"unit": "", "unit__q": grid.code, "role": "grid_worker"},
    )
    assert ok.status_code == 302
    assert Membership.objects.filter(user=target, unit=grid, role="grid_worker").exists()
    zhen.post(
        f"/accounts/users/{target.pk}/memberships/",
        {"unit": "", "unit__q": world.unit("施东村").code, "role": "village_clerk"},
    )
    assert not Membership.objects.filter(user=target, unit=world.unit("施东村")).exists()
