from xingyao.assessments.models import StarAward
from xingyao.assessments.queries import current_stars
from xingyao.assessments.workflow import StarStatus


def test_current_stars_lists_held_stars_and_leaves_out_removed_ones(world, django_assert_num_queries):
    maoqiao, zhuangying = world.unit("毛桥村"), world.unit("庄营村")
    StarAward.objects.create(village=maoqiao, year=2023, star_code="branch", star_name="支部过硬星")
    StarAward.objects.create(
        village=maoqiao, year=2023, star_code="safety", star_name="平安法治星", status=StarStatus.SUSPENDED
    )
    StarAward.objects.create(
        village=maoqiao, year=2023, star_code="ecology", star_name="生态宜居星", status=StarStatus.REMOVED
    )
    StarAward.objects.create(village=zhuangying, year=2022, star_code="branch", star_name="支部过硬星")
    with django_assert_num_queries(1):
        held = current_stars([maoqiao.pk, zhuangying.pk], 2023)
    assert held == {maoqiao.pk: {"branch", "safety"}, zhuangying.pk: set()}
