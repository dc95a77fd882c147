"""The demo's 人居环境 and 文明幸福 step on the test world: every figure of the 2023-09-19 briefing's 生态宜居星 and
文明幸福星 sections is the sum of its records, and the metrics the example criteria bind read the same records."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.db.models import Sum

from xingyao.conftest import SharedLoad, shared_load
from xingyao.core import metrics
from xingyao.core.testing import every
from xingyao.demo.livability import BRIEFING, load_livability
from xingyao.demo.tree import load_tree
from xingyao.livability.models import Activity, Centre, Photo, Work
from xingyao.livability.vocabulary import DEFAULT_ROOMS
from xingyao.places.models import Unit

pytestmark = pytest.mark.django_db


def _load() -> tuple[str, str]:
    load_tree()
    return load_livability(), load_livability()


@pytest.fixture(scope="module")
def _loaded(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[SharedLoad]:  # type: ignore[no-untyped-def]
    """The tree and the step, loaded once for the tests of this module (each reads them in a savepoint of its own)."""
    with shared_load(django_db_blocker, tmp_path_factory, _load) as loaded:
        yield loaded


@pytest.fixture
def lihepu(db, settings, _loaded: SharedLoad) -> Unit:  # type: ignore[no-untyped-def]
    _loaded.use(settings)
    summary, again = _loaded.result
    assert summary.startswith("人居环境工程") and again == "已存在，未改动"
    return Unit.objects.get(name="溧河铺镇")


def _briefed(kind: str) -> Decimal:
    """The quantity of a kind of work finished in 2023 up to the briefing day, in 溧河铺镇."""
    done = every(Work).filter(kind=kind, finished_on__gte=dt.date(2023, 1, 1), finished_on__lte=BRIEFING)
    return done.filter(village__parent__name="溧河铺镇").aggregate(n=Sum("quantity"))["n"]


def test_the_briefing_counts_4500_metres_of_roads_repaired(lihepu) -> None:
    assert _briefed("road_repair") == 4500


def test_the_briefing_counts_2500_metres_widened_with_coloured_bricks(lihepu) -> None:
    assert _briefed("road_widen") == 2500


def test_the_briefing_counts_8000_odd_metres_of_drains(lihepu) -> None:
    drains = _briefed("drain")
    assert 8000 < drains < 8200 and drains == 8120  # “8000余米”


def test_the_briefing_counts_73_flower_beds(lihepu) -> None:
    assert _briefed("flower_bed") == 73


def test_the_briefing_counts_3_plazas_for_maoqiao_zhuangying_and_yanggang(lihepu) -> None:
    assert _briefed("plaza") == 3
    plazas = every(Work).filter(kind="plaza", finished_on__lte=BRIEFING)
    assert sorted(plazas.values_list("village__name", flat=True)) == sorted(["毛桥村", "庄营村", "杨岗村"])
    assert plazas.filter(village__name="毛桥村", place__contains="1280平方米").exists()


def test_the_briefing_counts_1000_odd_square_metres_of_wall_paintings(lihepu) -> None:
    walls = _briefed("wall_painting")
    assert 1000 < walls < 1100  # “1000余平”


def test_maoqiaos_1500_metre_ring_road_is_the_one_its_rectification_names(lihepu) -> None:
    ring = every(Work).get(village__name="毛桥村", kind="road_repair", place="毛桥村环形路")
    assert ring.quantity == 1500 and ring.finished_on == dt.date(2023, 5, 20)


def test_maoqiao_and_zhuangying_centres_were_rebuilt_or_upgraded_with_one_hall_and_five_rooms(lihepu) -> None:
    maoqiao = every(Centre).get(village__name="毛桥村")
    zhuangying = every(Centre).get(village__name="庄营村")
    assert maoqiao.area == 430 and maoqiao.rebuilt_on == dt.date(2023, 5, 12)
    assert zhuangying.upgraded_on is not None and zhuangying.upgraded_on <= BRIEFING
    assert maoqiao.rooms == list(DEFAULT_ROOMS) == zhuangying.rooms
    assert every(Centre).filter(village__parent__name="溧河铺镇").exclude(rooms=list(DEFAULT_ROOMS)).exists()


def test_the_services_paragraph_names_its_activities(lihepu) -> None:
    held = every(Activity).filter(held_on__year=2023, held_on__lte=BRIEFING)
    assert held.filter(kind="show", title="“庆八一·感党恩”文艺汇演", held_on=dt.date(2023, 8, 1)).exists()
    assert held.filter(kind="opera", title__startswith="送戏下乡").exists()
    assert held.filter(kind="clinic", title__contains="义诊").exists()


def test_the_year_metrics_read_the_same_records_and_count_the_last_quarter_too(lihepu) -> None:
    read = metrics.unscoped("the test reads the demo township")
    year = read.values(["livability.road_repaired_metres", "livability.drain_metres", "livability.plazas_count",
                        "livability.flower_beds_count", "livability.road_widened_metres"], [lihepu], 2023)  # fmt: skip
    assert year[(lihepu.pk, "livability.drain_metres")] == 8120 + 0  # no drains after the briefing
    assert year[(lihepu.pk, "livability.plazas_count")] == 3
    assert year[(lihepu.pk, "livability.road_widened_metres")] == 2500  # 兴隆村's widening is not finished
    assert year[(lihepu.pk, "livability.road_repaired_metres")] > 4500  # roads finished after 2023-09-19
    q3 = read.values(["livability.flower_beds_count"], [lihepu], metrics.Period.parse("2023Q3"))
    assert q3[(lihepu.pk, "livability.flower_beds_count")] == 3 + 3 + 6 + 6 + 5 + 4 + 4 + 4  # finished Jul–Sep


def test_a_reused_clean_up_photo_is_not_counted(lihepu) -> None:
    east = Unit.objects.get(name="东湖村")
    reused = every(Photo).filter(village=east, work__started_on__month=5, stage="before").get()
    assert every(Photo).filter(sha256=reused.sha256).exclude(village=east).exists()
    read = metrics.unscoped("the test reads the demo township")
    counted = read.compute("livability.cleanups_photographed_count", [east], 2023)[east.pk]
    with_both = [w for w in every(Work).filter(village=east, kind="cleanup")
                 if {p.stage for p in w.photos.all()} == {"before", "after"}]  # fmt: skip
    assert counted == len(with_both) - 1 >= 0
