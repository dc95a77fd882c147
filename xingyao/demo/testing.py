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


def build_world() -> World:
    """Create the miniature world; personas carry the demo's user names and roles."""
    world = World()
    county = _add(world, tree.COUNTY[0], "新野县", Kind.COUNTY, None)
    lihepu = _add(world, tree.LIHEPU[0], "溧河铺镇", Kind.TOWN, county)
    shian = _add(world, tree.SHIAN[0], "施庵镇", Kind.TOWN, county)
    maoqiao = _add(world, tree.MAOQIAO, "毛桥村", Kind.VILLAGE, lihepu)
    zhuangying = _add(world, tree.ZHUANGYING, "庄营村", Kind.VILLAGE, lihepu)
    _add(world, tree.village_code(tree.SHIAN[0], 0), "施东村", Kind.VILLAGE, shian)
    grid = _add(world, f"{tree.MAOQIAO}001", "毛桥村第1网格", Kind.GRID, maoqiao)
    _add(world, f"{tree.MAOQIAO}001001", "毛桥村第1网格第1微网格", Kind.MICROGRID, grid)
    _add(world, f"{tree.ZHUANGYING}001", "庄营村第1网格", Kind.GRID, zhuangying)
    _add(world, tree.PAICHUSUO, "溧河铺派出所", Kind.DEPARTMENT, lihepu)
    _add(world, f"{tree.LIHEPU[0]}B02", "溧河铺司法所", Kind.DEPARTMENT, lihepu)
    _add(world, f"{tree.SHIAN[0]}B01", "施庵派出所", Kind.DEPARTMENT, shian)
    # County departments that review stars (分星部门审核), each with a handler.
    for n, (name, _, _) in enumerate(COUNTY_DEPARTMENTS, start=3):
        _add(world, f"{tree.COUNTY[0]}B{n:02d}", name, Kind.DEPARTMENT, county)
    by_code = {u.code: u for u in world.units.values()}
    for spec in tree.USERS:
        user = User.objects.create_user(spec.username, password=PASSWORD, full_name=spec.full_name)
        Membership.objects.create(user=user, unit=by_code[spec.unit_code], role=spec.role)
        world.users[spec.username] = user
    # A village clerk of the other town: the outsider at village level.
    outsider = User.objects.create_user("shidong", password=PASSWORD, full_name="施小东")
    Membership.objects.create(user=outsider, unit=world.unit("施东村"), role=Role.VILLAGE_CLERK)
    world.users["shidong"] = outsider
    # Another county's administrator: the outsider for what the whole of 新野县 shares (its criteria sets).
    other_county = _add(world, "411328000000", "唐河县", Kind.COUNTY, None)
    tanghe = User.objects.create_user("tanghe", password=PASSWORD, full_name="唐国庆")
    Membership.objects.create(user=tanghe, unit=other_county, role=Role.COUNTY_ADMIN)
    world.users["tanghe"] = tanghe
    for name, username, full_name in COUNTY_DEPARTMENTS:
        handler = User.objects.create_user(username, password=PASSWORD, full_name=full_name)
        Membership.objects.create(user=handler, unit=world.unit(name), role=Role.DEPT_HANDLER)
        world.users[username] = handler
    return world
