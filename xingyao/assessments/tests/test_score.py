"""`xingyao score`: a county rescored in one pass, with the same number of queries for 2 or 10 villages."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from xingyao.assessments.actions import do_rescore_year
from xingyao.assessments.models import Assessment
from xingyao.assessments.tests import fixtures as f
from xingyao.core.actors import SYSTEM
from xingyao.demo import tree
from xingyao.places.codes import Kind
from xingyao.places.models import Unit


def rescore_queries() -> int:
    """Elsewhere: assessments, criteria sets, stars, indicators, values, evidence counts, one bulk update, the audit
    row's read-then-write and the transaction's savepoint pair. On PostgreSQL the set-based path: the sets in scope,
    stars, indicators, indicator ids, a savepoint pair, the planner settings, the value table's size in pages, the
    distinct values, the scoring into a temporary table, its outcomes, the write, the clean-up; the audit row and
    the chain's advisory lock."""
    return 18 if connection.vendor == "postgresql" else 11


def _villages(world, n: int) -> None:  # type: ignore[no-untyped-def]
    town = world.unit("溧河铺镇")
    names = ["毛桥村", "庄营村"]
    for i in range(2, n):
        unit = Unit.objects.create(
            code=tree.village_code(town.code, i), name=f"测试{i}村", kind=Kind.VILLAGE, parent=town
        )
        world.units[unit.name] = unit
        names.append(unit.name)
    for k, name in enumerate(names):
        a = f.assessment(world, name)
        f.fill(a, skip=("branch.3.2",) if k % 3 == 0 else ())
    Assessment.objects.update(star_count=0, points=0, passed_stars=[])


def test_rescoring_two_villages_takes_a_fixed_number_of_queries(world, django_assert_num_queries):
    _villages(world, 2)
    with django_assert_num_queries(rescore_queries()):
        summary = do_rescore_year(SYSTEM, 2023)
    assert summary.villages == 2


def test_rescoring_ten_villages_takes_the_same_number_of_queries(world, django_assert_num_queries):
    _villages(world, 10)
    with django_assert_num_queries(rescore_queries()):
        summary = do_rescore_year(SYSTEM, 2023)
    assert summary.villages == 10
    # Villages 0, 3, 6 and 9 fail the branch veto, and with it every star that needs the branch star first.
    assert summary.by_count == {0: 4, 5: 6}
    assert summary.passes["branch"] == 6
    assert Assessment.objects.filter(star_count=5).count() == 6


def test_score_command_prints_a_summary_and_can_be_limited_to_a_unit(world):
    _villages(world, 3)
    f.fill(f.assessment(world, "施东村"))
    out = io.StringIO()
    call_command("score", year=2023, stdout=out)
    text = out.getvalue()
    assert "2023 年度：重新计分 4 个村" in text
    assert "5 星 3 个" in text and "0 星 1 个" in text
    assert "支部过硬星 3 个" in text
    out = io.StringIO()
    call_command("score", year=2023, unit=world.unit("施庵镇").code, stdout=out)
    assert "重新计分 1 个村" in out.getvalue()
    assert Assessment.objects.get(village=world.unit("毛桥村")).star_count == 0


def test_score_command_refuses_an_unknown_unit(world):
    with pytest.raises(CommandError, match="单位代码「999」不存在"):
        call_command("score", year=2023, unit="999")


def test_rescoring_a_year_reports_its_progress(world):
    _villages(world, 3)
    calls: list[tuple[int, int]] = []
    summary = do_rescore_year(SYSTEM, 2023, progress=lambda done, total: calls.append((done, total)))
    assert calls[0] == (0, 3) and calls[-1] == (3, 3)
    assert summary.villages == 3
