"""Each unit field is a picker whose search and whose server check read the same scoped set: what the search
offers is accepted, a unit outside it (another town's, or of the wrong kind) is a Chinese refusal, nothing written."""

from __future__ import annotations

import html
import re

from xingyao.disputes.models import Dispute, DisputeTeamMember
from xingyao.grid.models import Event
from xingyao.grid.tests import factories as f
from xingyao.grid.tests.test_events import report_form
from xingyao.grid.workflow import State
from xingyao.stars.models import CriteriaSet

REFUSED = "所选单位不存在或不在您的管辖范围内"


def _search_url(page: str, name: str) -> str:
    """The search address of the picker for field `name` on a page."""
    found = re.search(rf'data-url="([^"]+)"><(?:input type="hidden" name="{name}"|span class="picker-chips")', page)
    assert found, f"no picker for {name}"
    return html.unescape(found[1])


def _offered(client, url: str, text: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [r["name"] for r in client.get(f"{url}&q={text}").json()["results"]]


# --- reporting an event


def test_a_grid_worker_with_one_grid_reports_there_without_choosing(world, login):
    page = login("wangge").get("/grid/new/").content.decode()
    assert f'type="hidden" name="unit" value="{world.unit("毛桥村第1网格").pk}"' in page
    assert "data-unit-picker" not in page


def test_a_town_user_searches_his_villages_to_report_and_cannot_report_elsewhere(world, login):
    zhen = login("zhen")
    page = zhen.get("/grid/new/").content.decode()
    url = _search_url(page, "unit")
    assert _offered(zhen, url, "村") == ["毛桥村", "庄营村"]  # villages only: not grids, not 施庵镇's 施东村
    assert zhen.post("/grid/new/", report_form(world, unit=world.unit("毛桥村").pk)).status_code == 302
    for wrong in ("施东村", "毛桥村第1网格", "溧河铺派出所"):
        response = zhen.post("/grid/new/", report_form(world, unit=world.unit(wrong).pk, title="不该写入"))
        assert response.status_code == 400 and REFUSED in response.content.decode()
    assert not Event.objects.filter(title="不该写入").exists()


# --- dispatching an event


def test_dispatch_searches_the_events_town_and_county_departments_and_refuses_others(world, login):
    f.categories(world)
    event = f.event(world, state=State.ACCEPTED)
    xian = login("xian")
    url = _search_url(xian.get(f"/grid/{event.pk}/").content.decode(), "department")
    offered = _offered(xian, url, "所")
    assert "溧河铺派出所" in offered and "施庵派出所" not in offered  # another town's station does not serve it
    assert _offered(xian, url, "毛桥") == []  # not a department
    for wrong in ("施庵派出所", "毛桥村"):
        response = xian.post(f"/grid/{event.pk}/act/", {"action": "dispatch", "department": world.unit(wrong).pk})
        assert response.status_code == 400 and REFUSED in response.content.decode()
        event.refresh_from_db()
        assert event.state == State.ACCEPTED and event.department is None
    ok = xian.post(f"/grid/{event.pk}/act/", {"action": "dispatch", "department": world.unit("溧河铺派出所").pk})
    assert ok.status_code == 302
    event.refresh_from_db()
    assert (event.state, event.department) == (State.DISPATCHED, world.unit("溧河铺派出所"))


# --- triaging a dispute


def test_triage_searches_the_cases_departments_for_the_lead_and_the_joint_team(world, login):
    case = f.dispute(world)
    zhen = login("zhen")
    page = zhen.get(f"/disputes/{case.pk}/").content.decode()
    for name in ("lead_department", "team"):
        assert "溧河铺司法所" in _offered(zhen, _search_url(page, name), "溧河铺")
    outsider = world.unit("施庵派出所").pk
    ours = world.unit("溧河铺派出所").pk
    for data in ({"lead_department": outsider, "team": [ours]}, {"lead_department": ours, "team": [ours, outsider]}):
        response = zhen.post(f"/disputes/{case.pk}/triage/", {"risk": "red", **data})
        assert response.status_code == 400 and REFUSED in response.content.decode()
    assert not DisputeTeamMember.objects.filter(dispute=case).exists()
    team = {"risk": "red", "lead_department": ours, "team": [world.unit("溧河铺司法所").pk, ours]}
    assert zhen.post(f"/disputes/{case.pk}/triage/", team).status_code == 302
    case.refresh_from_db()
    assert case.lead_department == world.unit("溧河铺派出所")
    names = set(case.team_members.values_list("department__name", flat=True))
    assert names == {"溧河铺派出所", "溧河铺司法所"}
    again = zhen.get(f"/disputes/{case.pk}/").content.decode()  # the team shows as chips to keep or remove
    assert again.count('class="picker-chip"') == 2 and 'aria-label="移除溧河铺司法所"' in again


def test_registering_a_dispute_in_another_towns_village_is_refused(world, login):
    from xingyao.disputes.tests.test_disputes import register_form

    response = login("zhen").post("/disputes/new/", register_form(world) | {"village": world.unit("施东村").pk})
    assert response.status_code == 400 and REFUSED in response.content.decode()
    assert not Dispute.objects.exists()


# --- criteria sets


def test_a_county_admin_has_his_county_chosen_for_a_new_set_and_cannot_pick_another(world, login):
    xian = login("xian")
    page = xian.get("/stars/criteria/new/").content.decode()
    assert f'name="county" value="{world.unit("新野县").pk}"' in page and "已选：新野县" in page
    data = {"year": 2025, "unit_kind": "village", "name": "别县的标准", "publicity_days": 5}
    refused = xian.post("/stars/criteria/new/", data | {"county": world.unit("唐河县").pk})
    assert refused.status_code == 200 and REFUSED in refused.content.decode()
    assert not CriteriaSet.objects.filter(name="别县的标准").exists()


# --- the map's town and the lists' village filters


def test_the_map_picks_a_town_by_search_and_refuses_one_outside_the_scope(world, login):
    xian = login("xian")
    page = xian.get("/grid/map/").content.decode()
    assert set(_offered(xian, _search_url(page, "town"), "镇")) == {"溧河铺镇", "施庵镇"}
    assert "事件地图 · 施庵镇" in xian.get(f"/grid/map/?town={world.unit('施庵镇').code}").content.decode()
    assert "事件地图 · 施庵镇" in xian.get(f"/grid/map/?town={world.unit('施庵镇').pk}").content.decode()
    assert 'name="town"' not in login("zhen").get("/grid/map/").content.decode()  # one town: nothing to pick
    refused = login("zhen").get(f"/grid/map/?town={world.unit('施庵镇').code}")
    assert refused.status_code == 400 and REFUSED in refused.content.decode()


def test_the_event_list_filters_by_a_picked_or_typed_village_and_explains_a_bad_one(world, login):
    f.categories(world)
    f.event(world, title="毛桥的事")
    f.event(world, unit="庄营村第1网格", title="庄营的事")
    zhen = login("zhen")
    maoqiao = world.unit("毛桥村")
    picked = zhen.get(f"/grid/?village={maoqiao.pk}").content.decode()
    assert "毛桥的事" in picked and "庄营的事" not in picked and "已选：毛桥村" in picked
    typed = zhen.get("/grid/?village=&village__q=庄营村").content.decode()  # no JavaScript: the name is enough
    assert "庄营的事" in typed and "毛桥的事" not in typed
    for bad in (str(world.unit("施东村").pk), "abc", "99999"):
        response = zhen.get(f"/grid/?village={bad}")
        text = response.content.decode()
        # The filter says the village is not his; a list that checks its own parameters may say so first.
        assert response.status_code == 400 and (REFUSED in text or "村应为" in text) and "毛桥的事" not in text


def test_the_dispute_list_filters_by_a_picked_village_and_explains_a_bad_one(world, login):
    f.dispute(world, summary="毛桥的纠纷")
    f.dispute(world, village="庄营村", summary="庄营的纠纷")
    zhen = login("zhen")
    picked = zhen.get(f"/disputes/?village={world.unit('庄营村').pk}").content.decode()
    assert "庄营的纠纷" in picked and "毛桥的纠纷" not in picked and "已选：庄营村" in picked
    refused = zhen.get(f"/disputes/?village={world.unit('施东村').pk}")
    assert refused.status_code == 400 and REFUSED in refused.content.decode()
