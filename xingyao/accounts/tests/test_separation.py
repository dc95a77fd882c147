"""Separation of duties and tokens: no self-granted roles, one's own password only with the old one, tokens that
expire and die with the password, and a bad token that is 401 whatever the method."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from xingyao.accounts import actions
from xingyao.accounts.models import ApiToken, Membership
from xingyao.core.errors import ActionError
from xingyao.demo.testing import PASSWORD


def _police_role(world):  # type: ignore[no-untyped-def]
    return Membership.objects.filter(user=world.user("zhen"), unit=world.unit("溧河铺派出所"))


def test_town_admin_cannot_give_himself_the_police_stations_role_on_the_page(world, login):
    zhen = world.user("zhen")
    response = login("zhen").post(
        f"/accounts/users/{zhen.pk}/memberships/",
        {"unit": world.unit("溧河铺派出所").pk, "role": "dept_handler"},
        follow=True,
    )
    assert "不能给自己分配角色" in response.content.decode()
    assert not _police_role(world).exists()


def test_his_own_user_page_offers_no_role_form_and_no_password_reset(world, login):
    page = login("zhen").get(f"/accounts/users/{world.user('zhen').pk}/").content.decode()
    assert "不能给自己分配角色" in page
    zhen, maoqiao = world.user("zhen").pk, world.user("maoqiao").pk
    assert f"/users/{zhen}/memberships/" not in page and f"/users/{zhen}/password/" not in page
    other = login("zhen").get(f"/accounts/users/{maoqiao}/").content.decode()
    assert f"/users/{maoqiao}/memberships/" in other and f"/users/{maoqiao}/password/" in other


def test_town_admin_cannot_give_himself_a_role_over_the_api(world, api):
    response = api("zhen").post(
        "/api/v1/memberships",
        {"username": "zhen", "unit_code": world.unit("溧河铺派出所").code, "role": "dept_handler"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "不能给自己分配角色，请由上级管理员办理"
    assert not _police_role(world).exists()


def test_the_grant_building_block_refuses_oneself_and_grants_another(world):
    zhen = world.user("zhen")
    with pytest.raises(ActionError, match="不能给自己分配角色"):
        actions.do_grant_role(zhen, zhen, world.unit("溧河铺派出所"), "dept_handler")
    membership, created = actions.do_grant_role(zhen, world.user("maoqiao"), world.unit("毛桥村第1网格"), "grid_worker")
    assert created and membership.user == world.user("maoqiao")


def test_the_county_admin_grants_the_town_admin_the_role_instead(world, login):
    response = login("xian").post(
        f"/accounts/users/{world.user('zhen').pk}/memberships/",
        {"unit": world.unit("溧河铺派出所").pk, "role": "dept_handler"},
    )
    assert response.status_code == 302
    assert _police_role(world).exists()


def test_admin_cannot_set_his_own_password_on_the_admin_page_without_the_old_one(world, login):
    zhen = world.user("zhen")
    response = login("zhen").post(f"/accounts/users/{zhen.pk}/password/", {"password": "no-old-one-2024"})
    assert response.status_code == 302 and response["Location"] == "/accounts/profile/"
    zhen.refresh_from_db()
    assert zhen.check_password(PASSWORD) and not zhen.check_password("no-old-one-2024")
    with pytest.raises(ActionError, match="须输入原密码"):
        actions.do_reset_password(zhen, zhen, "no-old-one-2024")


def test_a_password_reset_kills_the_users_tokens(world, api, login):
    client = api("maoqiao")
    assert client.get("/api/v1/me").status_code == 200
    login("zhen").post(f"/accounts/users/{world.user('maoqiao').pk}/password/", {"password": "a-new-pass-2024"})
    assert client.get("/api/v1/me").status_code == 401
    assert not ApiToken.objects.live().filter(user=world.user("maoqiao")).exists()


def test_changing_ones_own_password_kills_ones_tokens(world, api, login):
    client = api("maoqiao")
    login("maoqiao").post(
        "/accounts/profile/",
        {"old_password": PASSWORD, "new_password": "brand-new-pass-9", "new_password2": "brand-new-pass-9"},
    )
    assert client.get("/api/v1/me").status_code == 401


def test_a_deactivated_users_tokens_stay_dead_when_he_is_enabled_again(world, api, login):
    client = api("maoqiao")
    admin = login("zhen")
    admin.post(f"/accounts/users/{world.user('maoqiao').pk}/active/", {"active": "0"})
    admin.post(f"/accounts/users/{world.user('maoqiao').pk}/active/", {"active": "1"})
    world.user("maoqiao").refresh_from_db()
    assert world.user("maoqiao").is_active
    assert client.get("/api/v1/me").status_code == 401


def test_tokens_expire_after_the_configured_days(world, login, settings):
    settings.XINGYAO_TOKEN_DAYS = 30
    response = login("maoqiao").post("/accounts/tokens/new/", {"name": "手机"})
    token = ApiToken.objects.get(user=world.user("maoqiao"), name="手机")
    expected = timezone.now() + dt.timedelta(days=30)
    assert abs((token.expires_at - expected).total_seconds()) < 60
    assert "有效期至" in response.content.decode()
    bearer = Client(HTTP_AUTHORIZATION=f"Bearer {response.context['key']}")
    assert bearer.get("/api/v1/me").status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert bearer.get("/api/v1/me").status_code == 401
    page = login("maoqiao").get("/accounts/profile/").content.decode()
    assert "30 天后失效" in page and "已过期" in page


def _revoked_key(world) -> str:  # type: ignore[no-untyped-def]
    key = world.token("zhen")
    ApiToken.objects.filter(digest=ApiToken.digest_of(key)).update(revoked_at=timezone.now())
    return key


# A route for each method (PATCH has none: 405 is then right, whatever the header).
ROUTES = {
    "get": "/api/v1/memberships",
    "post": "/api/v1/memberships",
    "put": "/api/v1/plans/1",
    "delete": "/api/v1/memberships/1",
}


@pytest.mark.parametrize("method", sorted(ROUTES))
@pytest.mark.parametrize("header", ["revoked", "Bearer xy_made-up", "Bearer ", "Basic abc", "Token xyz"])
def test_a_bad_token_is_401_on_every_method(world, method, header):
    value = f"Bearer {_revoked_key(world)}" if header == "revoked" else header
    client = Client(HTTP_AUTHORIZATION=value, enforce_csrf_checks=True)
    response = getattr(client, method)(ROUTES[method], {}, content_type="application/json")
    assert response.status_code == 401, response.content
    assert response.json() == {"detail": "未登录或令牌无效"}


def test_no_credentials_at_all_on_a_post_is_401_not_a_csrf_refusal(world):
    response = Client(enforce_csrf_checks=True).post("/api/v1/memberships", {}, content_type="application/json")
    assert response.status_code == 401
    assert response.json() == {"detail": "未登录或令牌无效"}


def test_a_logged_in_browser_without_csrf_is_refused_in_chinese(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.user("zhen"))
    response = client.post(
        "/api/v1/memberships",
        {"username": "maoqiao", "unit_code": world.unit("毛桥村第1网格").code, "role": "grid_worker"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"] and "请刷新页面" in response.json()["detail"]


@pytest.mark.parametrize("path", ["/api/v1/docs", "/api/v1/openapi.json"])
def test_api_docs_and_schema_need_login_in_production(world, settings, api, login, path):
    settings.PRODUCTION = True
    anonymous = Client().get(path)
    assert anonymous.status_code in (302, 401)
    if anonymous.status_code == 302:
        assert anonymous["Location"].startswith("/accounts/login/")
    assert Client(HTTP_AUTHORIZATION="Bearer xy_made-up").get(path).status_code in (302, 401)
    assert login("maoqiao").get(path).status_code == 200
    assert api("maoqiao").get(path).status_code == 200


def test_api_schema_stays_open_outside_production(world, settings):
    settings.PRODUCTION = False
    assert Client().get("/api/v1/openapi.json").status_code == 200


def test_a_grid_worker_sheet_cannot_post_the_importing_admin_himself(world):
    import io

    from openpyxl import Workbook

    from xingyao.core.sheets import ImportFailed
    from xingyao.grid.actions import do_import_workers

    book = Workbook()
    book.active.append(["网格代码", "姓名", "手机号", "岗位", "登录名"])
    book.active.append(
        [world.unit("毛桥村第1网格").code, world.user("zhen").full_name, "13800001234", "网格员", "zhen"]
    )
    sheet = io.BytesIO()
    book.save(sheet)
    sheet.seek(0)
    with pytest.raises(ImportFailed) as caught:
        do_import_workers(world.user("zhen"), sheet, "人员.xlsx", "Xy-Start-2024")
    assert [e.message for e in caught.value.errors] == ["不能给自己分配角色，请由上级管理员办理"]
    assert not Membership.objects.filter(user=world.user("zhen"), unit=world.unit("毛桥村第1网格")).exists()
