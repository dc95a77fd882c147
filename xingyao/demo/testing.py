"""The test world: the demo's shape in miniature, with the demo's personas. It lives in the top layer because it
builds units, users and memberships and reads the demo's tree; lower apps' tests use it through the fixtures."""

from __future__ import annotations

from dataclasses import dataclass, field

from xingyao.accounts.models import ApiToken, Membership, User
from xingyao.core.roles import Role
from xingyao.demo import tree
from xingyao.places.codes import Kind, prefix_of
from xingyao.places.models import Unit

PASSWORD = "test-password-1"  # noqa: S105
# (name, handler's username, handler's name): 411329000000B03, B04 under 新野县 (the demo's codes).
COUNTY_DEPARTMENTS = [("县委政法委", "zhengfawei", "郑法为"), ("县农业农村局", "nongye", "农业兴")]


@dataclass
class World:
    """The demo's shape in miniature: 新野县, 溧河铺镇 with 毛桥村 and 庄营村, 施庵镇 as the outsider town,
    and 唐河县 as the outsider county."""

    units: dict[str, Unit] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    _tokens: dict[str, str] = field(default_factory=dict)

    def unit(self, name: str) -> Unit:
        return self.units[name]

    def user(self, username: str) -> User:
        return self.users[username]

    def new_unit(self, parent: str, name: str, kind: Kind = Kind.GRID) -> Unit:
        """A further unit under `parent` (a marker record: a village, grid or department named for the test)."""
        above = self.units[parent]
        serial = 900 + sum(1 for u in self.units.values() if u.parent_id == above.pk)
        code = {
            Kind.VILLAGE: f"{prefix_of(above.code, Kind.TOWN)}{serial}",
            Kind.GRID: f"{above.code}{serial}",
            Kind.DEPARTMENT: f"{above.code}B9{serial % 10}",
        }[kind]
        return _add(self, code, name, kind, above)

    def token(self, username: str) -> str:
        """A live API key for the persona (made on first use)."""
        if username not in self._tokens:
            key = ApiToken.new_key()
            ApiToken.objects.create(
                user=self.users[username], name="测试", digest=ApiToken.digest_of(key), hint=key[-4:]
            )
            self._tokens[username] = key
        return self._tokens[username]


def _add(world: World, code: str, name: str, kind: Kind, parent: Unit | None) -> Unit:
    unit = Unit.objects.create(code=code, name=name, kind=kind, parent=parent)
    world.units[name] = unit
    return unit


def _add_level(world: World, rows: list[tuple[str, str, Kind, str | None]]) -> None:
    """Units whose parents are already made, in one INSERT: (code, name, kind, parent's name)."""
    units = [
        # `Unit.save()` sets the prefix; bulk_create does not call it.
        Unit(code=code, prefix=prefix_of(code, kind), name=name, kind=kind, parent=world.units.get(parent or ""))
        for code, name, kind, parent in rows
    ]
    for unit in Unit.objects.bulk_create(units):
        world.units[unit.name] = unit


def build_world() -> World:
    """Create the miniature world; personas carry the demo's user names and roles.

    It is built for most tests, so each kind of row goes in with one INSERT a level (a few queries, not forty)."""
    world = World()
    lihepu, shian, county = tree.LIHEPU[0], tree.SHIAN[0], tree.COUNTY[0]
    _add_level(world, [(county, "新野县", Kind.COUNTY, None)])
    _add_level(world, [(lihepu, "溧河铺镇", Kind.TOWN, "新野县"), (shian, "施庵镇", Kind.TOWN, "新野县")])
    _add_level(
        world,
        [
            (tree.MAOQIAO, "毛桥村", Kind.VILLAGE, "溧河铺镇"),
            (tree.ZHUANGYING, "庄营村", Kind.VILLAGE, "溧河铺镇"),
            (tree.village_code(shian, 0), "施东村", Kind.VILLAGE, "施庵镇"),
        ],
    )
    _add_level(world, [(f"{tree.MAOQIAO}001", "毛桥村第1网格", Kind.GRID, "毛桥村")])
    _add_level(
        world,
        [
            (f"{tree.MAOQIAO}001001", "毛桥村第1网格第1微网格", Kind.MICROGRID, "毛桥村第1网格"),
            (f"{tree.ZHUANGYING}001", "庄营村第1网格", Kind.GRID, "庄营村"),
            (tree.PAICHUSUO, "溧河铺派出所", Kind.DEPARTMENT, "溧河铺镇"),
            (f"{lihepu}B02", "溧河铺司法所", Kind.DEPARTMENT, "溧河铺镇"),
            (f"{shian}B01", "施庵派出所", Kind.DEPARTMENT, "施庵镇"),
            # County departments that review stars (分星部门审核), each with a handler.
            *(
                (f"{county}B{n:02d}", name, Kind.DEPARTMENT, "新野县")
                for n, (name, _, _) in enumerate(COUNTY_DEPARTMENTS, start=3)
            ),
            # Another county: the outsider for what the whole of 新野县 shares (its criteria sets).
            ("411328000000", "唐河县", Kind.COUNTY, None),
        ],
    )
    by_code = {u.code: u for u in world.units.values()}
    people: list[tuple[str, str, Unit, str]] = [
        (spec.username, spec.full_name, by_code[spec.unit_code], spec.role) for spec in tree.USERS
    ]
    # A village clerk of the other town: the outsider at village level; another county's administrator.
    people.append(("shidong", "施小东", world.unit("施东村"), Role.VILLAGE_CLERK))
    people.append(("tanghe", "唐国庆", world.unit("唐河县"), Role.COUNTY_ADMIN))
    people += [
        (username, full_name, world.unit(name), Role.DEPT_HANDLER) for name, username, full_name in COUNTY_DEPARTMENTS
    ]
    users = []
    for username, full_name, _unit, _role in people:
        user = User(username=User.normalize_username(username), full_name=full_name)
        user.set_password(PASSWORD)
        users.append(user)
    users = User.objects.bulk_create(users)
    Membership.objects.bulk_create(
        Membership(user=user, unit=unit, role=role) for user, (_, _, unit, role) in zip(users, people, strict=True)
    )
    world.users = {user.username: user for user in users}
    return world
