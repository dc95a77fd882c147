from xingyao.accounts.models import Membership
from xingyao.core.roles import Action
from xingyao.core.scoping import covers, forget_scope, held_roles, holds, near, scope_prefixes
from xingyao.places.models import Unit


def test_a_village_clerk_is_near_his_county_but_not_another_town(world):
    clerk = world.user("maoqiao")
    assert near(clerk, Action.VIEW, world.unit("新野县").prefix)
    assert near(clerk, Action.VIEW, world.unit("毛桥村第1网格").prefix)
    assert not near(clerk, Action.VIEW, world.unit("施庵镇").prefix)
    assert not covers(clerk, Action.VIEW, world.unit("新野县").prefix)


def test_holds_tells_whether_a_user_may_do_an_action_anywhere(world):
    assert holds(world.user("zhen"), Action.ADMIN)
    assert not holds(world.user("lingdao"), Action.ADMIN)
    assert not holds(world.user("maoqiao"), Action.REVIEW)


def test_forgetting_the_scope_refreshes_roles_and_prefixes_together(world):
    user = world.user("maoqiao")
    assert not covers(user, Action.REPORT, world.unit("庄营村第1网格").prefix)
    before = held_roles(user)
    Membership.objects.create(user=user, unit=world.unit("庄营村第1网格"), role="grid_worker")
    assert held_roles(user) == before  # cached for the request
    forget_scope(user)
    assert len(held_roles(user)) == len(before) + 1
    assert world.unit("庄营村第1网格").prefix in scope_prefixes(user, Action.REPORT)


def test_roles_on_a_disabled_unit_give_nothing(world):
    user = world.user("maoqiao")
    Unit.objects.filter(pk=world.unit("毛桥村").pk).update(active=False)
    assert held_roles(user) == ()
    assert not holds(user, Action.VIEW)
