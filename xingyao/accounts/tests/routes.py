from xingyao.accounts.models import ApiToken, Membership
from xingyao.core.testing import RouteCase


def _user(username: str):  # type: ignore[no-untyped-def]
    return lambda w: f"/accounts/users/{w.user(username).pk}/"


def _maoqiao_membership(w) -> str:  # type: ignore[no-untyped-def]
    return f"/accounts/memberships/{Membership.objects.get(user=w.user('maoqiao')).pk}/remove/"


def _maoqiao_token(w) -> str:  # type: ignore[no-untyped-def]
    w.token("maoqiao")
    return f"/accounts/tokens/{ApiToken.objects.filter(user=w.user('maoqiao')).first().pk}/revoke/"


def _api_membership(w) -> str:  # type: ignore[no-untyped-def]
    return f"/api/v1/memberships/{Membership.objects.get(user=w.user('maoqiao')).pk}"


ADMIN = {"owner": "zhen", "outsider": "shian", "write": True}
ROUTES = [
    # Own account pages: every logged-in user has one, so the "outsider" is simply another user.
    RouteCase("accounts:profile", lambda w: "/accounts/profile/", outsider="", readonly=None, label="own profile"),
    RouteCase(
        "accounts:token_create",
        lambda w: "/accounts/tokens/new/",
        method="POST",
        outsider="",
        readonly=None,
        data=lambda w: {"name": "测试"},
    ),
    RouteCase("accounts:token_revoke", _maoqiao_token, method="POST", ok=(302,), write=True),
    RouteCase(
        "accounts:users", lambda w: "/accounts/users/", outsider="", readonly="lingdao", write=True, owner="zhen"
    ),
    RouteCase("accounts:user_create", lambda w: "/accounts/users/new/", outsider="", write=True, owner="zhen"),
    RouteCase("accounts:user", _user("maoqiao"), **ADMIN),
    RouteCase(
        "accounts:membership_add",
        lambda w: f"/accounts/users/{w.user('maoqiao').pk}/memberships/",
        method="POST",
        ok=(302,),
        data=lambda w: {"unit": w.unit("毛桥村第1网格").pk, "role": "grid_worker"},
        **ADMIN,
    ),
    RouteCase(
        "accounts:user_edit",
        lambda w: f"/accounts/users/{w.user('maoqiao').pk}/edit/",
        method="POST",
        ok=(302,),
        data=lambda w: {"full_name": "毛德胜", "phone": "13900000000"},
        **ADMIN,
    ),
    RouteCase(
        "accounts:user_set_active",
        lambda w: f"/accounts/users/{w.user('maoqiao').pk}/active/",
        method="POST",
        ok=(302,),
        data=lambda w: {"active": "0"},
        **ADMIN,
    ),
    RouteCase(
        "accounts:user_reset_password",
        lambda w: f"/accounts/users/{w.user('maoqiao').pk}/password/",
        method="POST",
        ok=(302,),
        data=lambda w: {"password": "a-new-pass-2024"},
        **ADMIN,
    ),
    RouteCase(
        "accounts:user_token_create",
        lambda w: f"/accounts/users/{w.user('maoqiao').pk}/tokens/",
        method="POST",
        data=lambda w: {"name": "接口"},
        **ADMIN,
    ),
    RouteCase("accounts:membership_remove", _maoqiao_membership, method="POST", ok=(302,), **ADMIN),
    RouteCase("api:me", lambda w: "/api/v1/me", api=True, outsider="", readonly=None),
    RouteCase("api:memberships", lambda w: f"/api/v1/memberships?unit={w.unit('毛桥村').code}", api=True),
    RouteCase(
        "api:add_membership",
        lambda w: "/api/v1/memberships",
        method="POST",
        api=True,
        ok=(201,),
        data=lambda w: {"username": "maoqiao", "unit_code": w.unit("毛桥村第1网格").code, "role": "grid_worker"},
        **ADMIN,
    ),
    RouteCase("api:remove_membership", _api_membership, method="DELETE", api=True, ok=(204,), **ADMIN),
]
