from xingyao.accounts.models import ApiToken, Membership, User
from xingyao.core.roles import Role
from xingyao.core.testing import Marker, RouteCase, RouteKind, every, expect
from xingyao.demo.testing import PASSWORD


def _user(username: str):  # type: ignore[no-untyped-def]
    return lambda w: f"/accounts/users/{w.user(username).pk}/"


def _maoqiao_membership(w) -> str:  # type: ignore[no-untyped-def]
    return f"/accounts/memberships/{Membership.objects.get(user=w.user('maoqiao')).pk}/remove/"


def _maoqiao_token(w) -> str:  # type: ignore[no-untyped-def]
    w.token("maoqiao")
    return f"/accounts/tokens/{ApiToken.objects.filter(user=w.user('maoqiao')).first().pk}/revoke/"


def _api_membership(w) -> str:  # type: ignore[no-untyped-def]
    return f"/api/v1/memberships/{Membership.objects.get(user=w.user('maoqiao')).pk}"


def _person(unit: str):  # type: ignore[no-untyped-def]
    """A grid worker of `unit` whose full name is the marker."""

    def make(w, text: str) -> Membership:  # type: ignore[no-untyped-def]
        user = User.objects.create_user(f"marker{every(User).count()}", password=PASSWORD, full_name=text)
        return Membership.objects.create(user=user, unit=w.unit(unit), role=Role.GRID_WORKER)

    return make


def _maoqiao(w) -> User:  # type: ignore[no-untyped-def]
    return every(User).get(username="maoqiao")


def _tokens(w, name: str):  # type: ignore[no-untyped-def]
    return every(ApiToken).filter(user=w.user("maoqiao"), name=name)


def _posted(w):  # type: ignore[no-untyped-def]
    return every(Membership).filter(user=w.user("maoqiao"), unit=w.unit("毛桥村第1网格"), role="grid_worker")


ADMIN = {"owner": "zhen", "outsider": "shian", "write": True}
ROUTES = [
    # Own account pages: every logged-in user has one, so the "outsider" is simply another user.
    RouteCase(
        "accounts:profile",
        lambda w: "/accounts/profile/",
        outsider="",
        readonly=None,
        label="own profile",
        kind=RouteKind.OWN,
    ),
    RouteCase(
        "accounts:token_create",
        lambda w: "/accounts/tokens/new/",
        method="POST",
        outsider="",
        readonly=None,
        data=lambda w: {"name": "测试"},
        effect=expect(lambda w: _tokens(w, "测试").exists(), "maoqiao has a new key"),
    ),
    RouteCase(
        "accounts:token_revoke",
        _maoqiao_token,
        method="POST",
        ok=(302,),
        write=True,
        effect=expect(lambda w: not _tokens(w, "测试").filter(revoked_at=None).exists(), "maoqiao's key is revoked"),
    ),
    RouteCase(
        "accounts:users",
        lambda w: "/accounts/users/",
        outsider="",
        readonly="lingdao",
        write=True,
        owner="zhen",
        kind=RouteKind.LIST,
        marker=Marker(mine=_person("毛桥村"), theirs=_person("施东村"), outsider="shian"),
    ),
    RouteCase(
        "accounts:user_create",
        lambda w: "/accounts/users/new/",
        outsider="",
        write=True,
        owner="zhen",
        kind=RouteKind.FORM,
    ),
    RouteCase("accounts:user", _user("maoqiao"), kind=RouteKind.DETAIL, **ADMIN),
    RouteCase(
        "accounts:membership_add",
        lambda w: f"/accounts/users/{w.user('maoqiao').pk}/memberships/",
        method="POST",
        ok=(302,),
        data=lambda w: {"unit": w.unit("毛桥村第1网格").pk, "role": "grid_worker"},
        effect=expect(lambda w: _posted(w).exists(), "maoqiao is a grid worker of 毛桥村第1网格"),
        **ADMIN,
    ),
    RouteCase(
        "accounts:user_edit",
        lambda w: f"/accounts/users/{w.user('maoqiao').pk}/edit/",
        method="POST",
        ok=(302,),
        data=lambda w: {"full_name": "毛德胜", "phone": "13900000000"},
        effect=expect(lambda w: _maoqiao(w).phone == "13900000000", "maoqiao's phone is changed"),
        **ADMIN,
    ),
    RouteCase(
        "accounts:user_set_active",
        lambda w: f"/accounts/users/{w.user('maoqiao').pk}/active/",
        method="POST",
        ok=(302,),
        data=lambda w: {"active": "0"},
        effect=expect(lambda w: not _maoqiao(w).is_active, "maoqiao is deactivated"),
        **ADMIN,
    ),
    RouteCase(
        "accounts:user_reset_password",
        lambda w: f"/accounts/users/{w.user('maoqiao').pk}/password/",
        method="POST",
        ok=(302,),
        data=lambda w: {"password": "a-new-pass-2024"},
        effect=expect(lambda w: _maoqiao(w).check_password("a-new-pass-2024"), "maoqiao has the new password"),
        **ADMIN,
    ),
    RouteCase(
        "accounts:user_token_create",
        lambda w: f"/accounts/users/{w.user('maoqiao').pk}/tokens/",
        method="POST",
        data=lambda w: {"name": "接口"},
        effect=expect(lambda w: _tokens(w, "接口").exists(), "maoqiao has a new key"),
        **ADMIN,
    ),
    RouteCase(
        "accounts:membership_remove",
        _maoqiao_membership,
        method="POST",
        ok=(302,),
        effect=expect(lambda w: not every(Membership).filter(user=w.user("maoqiao")).exists(), "maoqiao has no post"),
        **ADMIN,
    ),
    RouteCase("api:me", lambda w: "/api/v1/me", api=True, outsider="", readonly=None, kind=RouteKind.OWN),
    RouteCase(
        "api:memberships",
        lambda w: f"/api/v1/memberships?unit={w.unit('毛桥村').code}",
        api=True,
        kind=RouteKind.LIST,
        marker=Marker(mine=_person("毛桥村"), theirs=_person("庄营村")),
    ),
    RouteCase(
        "api:add_membership",
        lambda w: "/api/v1/memberships",
        method="POST",
        api=True,
        ok=(201,),
        data=lambda w: {"username": "maoqiao", "unit_code": w.unit("毛桥村第1网格").code, "role": "grid_worker"},
        effect=expect(lambda w: _posted(w).exists(), "maoqiao is a grid worker of 毛桥村第1网格"),
        **ADMIN,
    ),
    RouteCase(
        "api:remove_membership",
        _api_membership,
        method="DELETE",
        api=True,
        ok=(204,),
        effect=expect(lambda w: not every(Membership).filter(user=w.user("maoqiao")).exists(), "maoqiao has no post"),
        **ADMIN,
    ),
]
