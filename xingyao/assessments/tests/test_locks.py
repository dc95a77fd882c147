"""What the locked assessment actions answer one request at a time, and opening a year village by village."""

from __future__ import annotations

import pytest
from django.db import IntegrityError

from xingyao.assessments import actions
from xingyao.assessments.models import Assessment, Evidence
from xingyao.assessments.tests import fixtures as f
from xingyao.assessments.workflow import State
from xingyao.core.actors import SYSTEM
from xingyao.core.errors import ActionError
from xingyao.core.models import AuditEntry
from xingyao.places.models import Unit


def _loaded(a: Assessment) -> Assessment:
    """The assessment as a page loaded it, before another request moved it on."""
    return Assessment.objects.select_related("village", "criteria_set").get(pk=a.pk)


def test_evidence_for_an_assessment_submitted_meanwhile_is_refused(world):
    a = f.submittable(world)
    as_loaded = _loaded(a)
    actions.do_transition(world.user("maoqiao"), a, "submit")
    with pytest.raises(ActionError, match=r"^评定村级已提交，只有草稿状态可以上传佐证材料$"):
        actions.do_add_evidence(world.user("maoqiao"), as_loaded, f.indicator(a, "branch.1.1"), f.photo())
    assert not Evidence.objects.filter(assessment=a, original_name="现场.jpg").exists()


def test_refreshing_an_assessment_submitted_meanwhile_is_refused(world):
    a = f.submittable(world)
    as_loaded = _loaded(a)
    actions.do_transition(world.user("maoqiao"), a, "submit")
    with pytest.raises(ActionError, match=r"^只有草稿状态可以刷新系统数据$"):
        actions.do_refresh_derived(world.user("maoqiao"), as_loaded)


def test_evidence_removed_twice_is_removed_and_audited_once(world):
    a = f.assessment(world)
    f.attach_evidence(a, ("branch.1.1",))
    evidence = Evidence.objects.filter(assessment=a).first()
    as_loaded = Evidence.objects.select_related("assessment__village").get(pk=evidence.pk)
    actions.do_remove_evidence(world.user("maoqiao"), evidence)
    with pytest.raises(ActionError, match=r"^该佐证材料已被删除$"):
        actions.do_remove_evidence(world.user("maoqiao"), as_loaded)
    assert AuditEntry.objects.filter(action="assessment.evidence.remove").count() == 1


def test_a_start_that_loses_to_another_at_the_same_moment_says_it_exists(world, monkeypatch):
    f.published_set(world)
    village = world.unit("毛桥村")
    actions.do_start_assessment(SYSTEM, village, 2023)
    # Both saw no assessment yet; the unique (village, year) stops the second insert.
    monkeypatch.setattr(actions, "_exists", lambda village, year: False)
    with pytest.raises(ActionError, match=r"^「毛桥村」2023 年度评定已存在$"):
        actions.do_start_assessment(SYSTEM, village, 2023)
    assert Assessment.objects.filter(village=village, year=2023).count() == 1


def _villages(world) -> list[Unit]:
    return list(Unit.objects.subtree(world.unit("溧河铺镇")).villages().filter(active=True).order_by("code"))


def test_opening_a_year_commits_village_by_village_and_resumes(world, monkeypatch):
    f.published_set(world)
    villages = _villages(world)
    assert len(villages) >= 2
    real_create = actions._create
    opened: list[str] = []

    def create_until_the_second(actor, village, year, criteria_set):
        if opened:
            raise RuntimeError("the server went away")
        opened.append(village.name)
        return real_create(actor, village, year, criteria_set)

    monkeypatch.setattr(actions, "_create", create_until_the_second)
    with pytest.raises(RuntimeError):
        actions.do_open_year(world.user("zhen"), world.unit("溧河铺镇"), 2023)
    # The village opened before the failure stays opened, with its audit row.
    assert list(Assessment.objects.filter(year=2023).values_list("village__name", flat=True)) == opened
    assert AuditEntry.objects.filter(action="assessment.create").count() == 1

    monkeypatch.setattr(actions, "_create", real_create)
    assert actions.do_open_year(world.user("zhen"), world.unit("溧河铺镇"), 2023) == len(villages) - 1
    assert Assessment.objects.filter(year=2023).count() == len(villages)
    assert actions.do_open_year(world.user("zhen"), world.unit("溧河铺镇"), 2023) == 0  # nothing left to open


def test_a_village_opened_by_another_request_meanwhile_is_skipped(world, monkeypatch):
    f.published_set(world)
    villages = _villages(world)
    real_create = actions._create

    def lose_the_first(actor, village, year, criteria_set):
        if village.pk == villages[0].pk:
            raise IntegrityError("assessment_one_per_village_year")
        return real_create(actor, village, year, criteria_set)

    monkeypatch.setattr(actions, "_create", lose_the_first)
    assert actions.do_open_year(world.user("zhen"), world.unit("溧河铺镇"), 2023) == len(villages) - 1
    assert not Assessment.objects.filter(village=villages[0], year=2023).exists()
    assert State.DRAFT in set(Assessment.objects.filter(year=2023).values_list("state", flat=True))
