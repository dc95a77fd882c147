"""Criteria sets through actions, pages and the database: the example, publishing, copying, inline edits."""

from __future__ import annotations

import html
import re
from decimal import Decimal

import pytest
from django.core.management import call_command

from xingyao.core.errors import ActionError
from xingyao.core.models import AuditEntry
from xingyao.stars import actions
from xingyao.stars.models import CriteriaSet, Status, UnitKind
from xingyao.stars.queries import criteria_for
from xingyao.stars.tests.fixtures import draft_set, published_set

INDICATOR_EDIT = {
    "code": "branch.1.2",
    "name": "“两委”班子团结干事",
    "section": "好书记好班子",
    "kind": "bool",
    "points": Decimal(12),
    "required": False,
    "veto": False,
    "threshold": None,
    "comparison": ">=",
    "unit": "",
    "choices": [],
    "min_score": None,
    "max_score": None,
    "evidence_count": 2,
    "data_source": "",
    "note": "",
    "order": None,
}


def _form(**overrides: object) -> dict[str, object]:
    """INDICATOR_EDIT as POST data: blanks for what is unset."""
    data = {**INDICATOR_EDIT, "choices": "", **overrides}
    return {k: "" if v is None else v for k, v in data.items() if v is not False}


def test_the_example_set_has_29_indicators_in_3_sections_per_star_and_27_bound_to_data_sources(world) -> None:
    criteria_set = published_set(world)
    assert criteria_set.indicators.count() == 29
    assert [s.sections.count() for s in criteria_set.stars.all()] == [3, 3, 3, 3, 3]
    assert criteria_set.indicators.exclude(data_source=None).count() == 27
    assert "示例" in criteria_set.name and "示例" in criteria_set.note
    spec = criteria_set.to_spec()
    assert spec.star("industry").prerequisites == ("branch",)


def test_load_example_command_is_idempotent_and_says_so(world, capsys) -> None:
    call_command("criteria", "load-example", "--county", world.unit("新野县").code, "--year", "2023")
    call_command("criteria", "load-example", "--county", world.unit("新野县").code, "--year", "2023")
    out = capsys.readouterr().out
    assert "已加载" in out and "已存在，未改动" in out
    assert CriteriaSet.objects.count() == 1
    assert CriteriaSet.objects.get().status == Status.DRAFT


def test_a_village_falls_under_its_countys_published_set_of_its_kind_only(world) -> None:
    draft = draft_set(world, 2023)
    assert criteria_for(world.unit("毛桥村"), 2023) is None
    actions.do_publish_criteria_set(world.user("xian"), draft)
    assert criteria_for(world.unit("毛桥村"), 2023) == draft
    assert criteria_for(world.unit("溧河铺镇"), 2023, UnitKind.COMMUNITY) is None


def test_a_published_set_refuses_every_edit_with_a_chinese_message(world) -> None:
    criteria_set = published_set(world)
    xian = world.user("xian")
    indicator = criteria_set.indicators.get(code="branch.1.2")
    star = criteria_set.stars.get(code="industry")
    attempts = [
        lambda: actions.do_update_indicator(xian, indicator, **INDICATOR_EDIT),
        lambda: actions.do_create_indicator(xian, star, **{**INDICATOR_EDIT, "code": "industry.9"}),
        lambda: actions.do_delete_indicator(xian, indicator),
        lambda: actions.do_update_star(
            xian, star, name="产业星", min_points=None, require_all_required=True, prerequisites=[]
        ),
        lambda: actions.do_update_criteria_set(
            xian, criteria_set, name="改名", note="", dept_review=True, publicity_days=5
        ),
        lambda: actions.do_publish_criteria_set(xian, criteria_set),
    ]
    for attempt in attempts:
        with pytest.raises(ActionError, match="已发布，不能再修改"):
            attempt()
    indicator.refresh_from_db()
    assert indicator.points == 10 and criteria_set.indicators.count() == 29


def test_editing_a_published_indicator_through_the_page_changes_nothing(world, login) -> None:
    criteria_set = published_set(world)
    indicator = criteria_set.indicators.get(code="branch.1.2")
    response = login("xian").post(f"/stars/criteria/indicators/{indicator.pk}/edit/", _form(points="12"))
    assert response.status_code == 200
    assert "已发布，不能再修改" in response.content.decode()
    indicator.refresh_from_db()
    assert indicator.points == 10


def test_only_the_countys_admin_may_create_a_set_and_not_twice_for_a_year(world) -> None:
    county = world.unit("新野县")
    with pytest.raises(ActionError, match="只有县级管理员"):
        actions.do_create_criteria_set(world.user("zhen"), county=county, year=2025, name="标准")
    actions.do_create_criteria_set(world.user("xian"), county=county, year=2025, name="标准")
    with pytest.raises(ActionError, match="已有"):
        actions.do_create_criteria_set(world.user("xian"), county=county, year=2025, name="标准")


def test_a_community_set_gets_the_urban_stars(world) -> None:
    criteria_set = actions.do_create_criteria_set(
        world.user("xian"), county=world.unit("新野县"), year=2025, unit_kind="community", name="社区标准"
    )
    assert [s.name for s in criteria_set.stars.all()] == [
        "支部过硬星",
        "共建共享星",
        "宜业兴业星",
        "幸福和谐星",
        "平安法治星",
    ]


def test_publishing_checks_the_whole_set(world) -> None:
    criteria_set = actions.do_create_criteria_set(
        world.user("xian"), county=world.unit("新野县"), year=2025, name="空白标准"
    )
    with pytest.raises(ActionError, match="不能发布：「支部过硬星」没有任何指标"):
        actions.do_publish_criteria_set(world.user("xian"), criteria_set)
    assert CriteriaSet.objects.get(pk=criteria_set.pk).status == Status.DRAFT


def test_copying_a_published_set_makes_next_years_draft_with_the_same_content(world) -> None:
    source = published_set(world)
    copy = actions.do_copy_criteria_set(world.user("xian"), source, 2024)
    assert copy.status == Status.DRAFT and copy.year == 2024 and "2024" in copy.name
    assert copy.to_spec() == source.to_spec()
    assert AuditEntry.objects.filter(action="criteria_set.copy", object_id=str(copy.pk)).exists()
    with pytest.raises(ActionError, match="不能重复复制"):
        actions.do_copy_criteria_set(world.user("xian"), source, 2024)


def test_a_star_cannot_require_itself_through_a_cycle(world) -> None:
    criteria_set = draft_set(world)
    branch = criteria_set.stars.get(code="branch")
    with pytest.raises(ActionError, match="循环"):
        actions.do_update_star(
            world.user("xian"),
            branch,
            name="支部过硬星",
            min_points=None,
            require_all_required=True,
            prerequisites=["industry"],
        )


def test_an_inline_edit_answers_htmx_with_the_saved_row(world, login) -> None:
    indicator = draft_set(world).indicators.get(code="branch.1.2")
    client = login("xian")
    form = client.get(f"/stars/criteria/indicators/{indicator.pk}/edit/", HTTP_HX_REQUEST="true")
    assert form.status_code == 200 and b"<form" in form.content and b"<html" not in form.content
    response = client.post(
        f"/stars/criteria/indicators/{indicator.pk}/edit/", _form(points="12"), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    row = response.content.decode()
    assert row.startswith(f'<tr id="indicator-{indicator.pk}">') and "保存" not in row
    indicator.refresh_from_db()
    assert indicator.points == 12 and indicator.evidence_count == 2
    assert AuditEntry.objects.filter(action="indicator.update", object_id=str(indicator.pk)).exists()


def test_a_number_indicator_without_threshold_is_refused_on_its_field(world, login) -> None:
    indicator = draft_set(world).indicators.get(code="branch.2.1")
    data = _form(code="branch.2.1", kind="number", points="20", section="严格党内组织生活")
    response = login("xian").post(f"/stars/criteria/indicators/{indicator.pk}/edit/", data, HTTP_HX_REQUEST="true")
    assert "必须设置达标值" in response.content.decode()
    indicator.refresh_from_db()
    assert indicator.threshold == 12


def test_moving_an_indicator_to_a_new_section_creates_it_and_drops_the_emptied_one(world) -> None:
    criteria_set = draft_set(world)
    indicator = criteria_set.indicators.get(code="industry.3.1")
    other = criteria_set.indicators.get(code="industry.3.2")
    actions.do_delete_indicator(world.user("xian"), other)
    fields = {**INDICATOR_EDIT, "code": "industry.3.1", "kind": "number", "threshold": Decimal(1), "section": "招商"}
    actions.do_update_indicator(world.user("xian"), indicator, **fields)
    names = list(criteria_set.stars.get(code="industry").sections.values_list("name", flat=True))
    assert names == ["村集体经济", "一村一品", "招商"]


def test_the_set_page_shows_bindings_and_says_when_a_source_is_not_connected(
    world, login, monkeypatch, django_assert_max_num_queries
) -> None:
    from xingyao.core import metrics

    monkeypatch.setattr(metrics, "_registry", {})
    metrics.register("disputes.success_rate", "矛盾纠纷调处成功率", "%", metrics.ValueKind.RATE, lambda r, ids, p: {})
    metrics.plan("livability.road_metres", "道路整修长度", "米", metrics.ValueKind.NUMBER)
    criteria_set = published_set(world)
    client = login("maoqiao")
    with django_assert_max_num_queries(12):
        page = client.get(f"/stars/criteria/{criteria_set.pk}/").content.decode()
    assert page.count("数据来源未接入") == 26
    assert "矛盾纠纷调处成功率" in page and "道路整修长度" in page  # a planned key is named too
    assert "已接入 1 项" in page
    # Keys are for the county's staff who bind them, in small print; a village clerk sees names only.
    assert "disputes.success_rate" not in page
    admin_page = login("xian").get(f"/stars/criteria/{criteria_set.pk}/").content.decode()
    assert '<small class="muted">disputes.success_rate</small>' in admin_page


def test_the_list_of_sets_takes_few_queries_however_many_sets(world, login, django_assert_max_num_queries) -> None:
    source = published_set(world)
    for year in range(2024, 2030):
        actions.do_copy_criteria_set(world.user("xian"), source, year)
    client = login("zhuangying")
    with django_assert_max_num_queries(8):
        page = client.get("/stars/criteria/").content.decode()
    assert page.count("/stars/criteria/") >= 7
    assert "新建评定标准" not in page
    assert "新建评定标准" in login("xian").get("/stars/criteria/").content.decode()


def test_a_draft_stars_review_department_is_chosen_from_the_countys_departments(world, login) -> None:
    from xingyao.stars.tests.fixtures import draft_set

    star = draft_set(world).stars.get(code="safety")
    client = login("xian")
    form = client.get(f"/stars/criteria/stars/{star.pk}/edit/").content.decode()
    search = html.unescape(re.search(r'data-url="([^"]+)"><input type="hidden" name="review_department"', form)[1])
    offered = [r["name"] for r in client.get(f"{search}&q=县").json()["results"]]
    assert "县委政法委" in offered and "施庵派出所" not in offered
    assert not [r for r in client.get(f"{search}&q=派出所").json()["results"] if "施庵" in r["name"]]
    data = {"name": star.name, "require_all_required": "on", "prerequisites": star.prerequisites}
    response = client.post(
        f"/stars/criteria/stars/{star.pk}/edit/", {**data, "review_department": world.unit("县委政法委").pk}
    )
    assert response.status_code == 302
    star.refresh_from_db()
    assert star.review_department == world.unit("县委政法委")
    page = client.get(star.criteria_set.get_absolute_url()).content.decode()
    assert "审核部门：县委政法委" in page
    refused = client.post(
        f"/stars/criteria/stars/{star.pk}/edit/", {**data, "review_department": world.unit("施庵派出所").pk}
    )
    assert refused.status_code == 200 and "不在您的管辖范围内" in refused.content.decode()
    star.refresh_from_db()
    assert star.review_department == world.unit("县委政法委")
