"""The demo's criteria and plan steps on the test world: idempotent, and 毛桥村 plans its own first stars."""

from xingyao.accounts.models import User
from xingyao.demo.stars import load_criteria, load_plans
from xingyao.stars.models import CriteriaSet, StarPlan


def test_the_criteria_and_plan_steps_are_idempotent(world) -> None:
    assert "29 项指标，27 项绑定数据来源；2 颗星指定审核部门" in load_criteria()
    first = load_plans()
    assert load_criteria().endswith("已存在：29 项指标，27 项绑定数据来源")
    assert load_plans().endswith("新增 0 份")
    assert "新增 7 份" in first  # 毛桥村 three stars, 庄营村 four
    criteria_set = CriteriaSet.objects.get()
    assert criteria_set.is_published and not criteria_set.dept_review
    reviewed = criteria_set.stars.exclude(review_department=None)
    assert dict(reviewed.values_list("code", "review_department__name")) == {
        "safety": "县委政法委",
        "industry": "县农业农村局",
    }
    assert User.objects.filter(username__in=["zhengfawei", "nongye"]).count() == 2
    maoqiao = StarPlan.objects.filter(village=world.unit("毛桥村"))
    assert sorted(maoqiao.values_list("star_code", flat=True)) == ["branch", "civility", "ecology"]
    assert {p.created_by for p in maoqiao} == {world.user("maoqiao")}
    assert "1500米环村路" in maoqiao.get(star_code="ecology").measures
