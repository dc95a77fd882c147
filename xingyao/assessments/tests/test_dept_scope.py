"""A department that reviews one star sees that star's values, files and snapshot entries, and no other star's."""

from __future__ import annotations

from xingyao.assessments import queries
from xingyao.assessments.models import Evidence, StepLog
from xingyao.assessments.tests import fixtures as f


def _with_snapshot(a):  # type: ignore[no-untyped-def]
    """The town's approval step as the workflow writes it: a snapshot of every indicator."""
    shot = {code: [1, 1, None, 1] for code in ("branch.1.1", "safety.1.1", "industry.1.1")}
    StepLog.objects.create(
        assessment=a, action="town_approve", from_state="submitted", to_state="town_reviewed", data=shot
    )
    return a


def test_a_department_sees_only_its_stars_values_and_files_on_the_page(world, login):
    a = f.in_dept_review(world)
    page = login("zhengfawei").get(f"/assessments/{a.pk}/").content.decode()
    assert "矛盾纠纷调处成功率" in page and "safety.2.2-0.pdf" in page  # his star (平安法治星)
    assert "村党组织书记履职评价" not in page and "branch.1.1-0.pdf" not in page
    assert "村集体经济年收入" not in page and "industry.1.1-0.pdf" not in page  # another department's star
    village = login("maoqiao").get(f"/assessments/{a.pk}/").content.decode()
    assert "branch.1.1-0.pdf" in village and "industry.1.1-0.pdf" in village  # the village still sees everything


def test_a_department_sees_only_its_stars_values_and_files_in_the_api(world, api):
    a = f.in_dept_review(world)
    client = api("zhengfawei")
    body = client.get(f"/api/v1/assessments/{a.pk}").json()
    assert {v["star_code"] for v in body["values"]} == {"safety"}
    assert {s["code"] for s in body["stars"]} == {"safety"}
    files = client.get(f"/api/v1/assessments/{a.pk}/evidence").json()
    assert files and {e["indicator_code"].split(".")[0] for e in files} == {"safety"}
    everything = api("maoqiao").get(f"/api/v1/assessments/{a.pk}").json()
    assert {v["star_code"] for v in everything["values"]} >= {"branch", "safety", "industry"}


def test_a_department_cannot_download_another_stars_file(world, login):
    a = f.in_dept_review(world)
    client = login("zhengfawei")
    mine = Evidence.objects.unscoped("test setup").get(assessment=a, original_name="safety.1.1-0.pdf")
    other = Evidence.objects.unscoped("test setup").get(assessment=a, original_name="branch.1.1-0.pdf")
    assert client.get(f"/assessments/evidence/{mine.pk}/").status_code == 200
    assert client.get(f"/assessments/evidence/{other.pk}/").status_code == 404


def test_a_department_reads_only_its_stars_entries_in_step_snapshots(world):
    a = _with_snapshot(f.in_dept_review(world))
    steps = queries.detail(world.user("zhengfawei"), a).steps
    assert steps and all(code.startswith("safety.") for s in steps for code in s.data)
    assert any("safety.1.1" in s.data for s in steps)
    full = queries.detail(world.user("maoqiao"), a).steps
    assert any({"branch.1.1", "industry.1.1"} <= set(s.data) for s in full)
