"""A year's rescoring runs as a background job started from the overview page."""

from xingyao.assessments.models import Assessment
from xingyao.assessments.tests import fixtures as f
from xingyao.core.models import JobState
from xingyao.core.tests.jobs import run_started


def test_rescoring_a_town_runs_as_a_job_and_reports_its_summary(world, login, monkeypatch):
    a = f.assessment(world)
    f.fill(a)
    Assessment.objects.filter(pk=a.pk).update(star_count=0, passed_stars=[])
    client = login("xian")
    assert "重新计分" in client.get(f"/assessments/overview/{world.unit('溧河铺镇').code}/2023/").content.decode()
    job = run_started(client.post(f"/assessments/overview/{world.unit('溧河铺镇').code}/2023/rescore/"), monkeypatch)
    assert job.state == JobState.DONE and job.summary.startswith("2023 年度：重新计分 1 个村")
    a.refresh_from_db()
    assert a.star_count == 5


def test_rescoring_a_village_or_a_strange_year_is_not_found(world, login):
    client = login("xian")
    assert client.post(f"/assessments/overview/{world.unit('毛桥村').code}/2023/rescore/").status_code == 404
    assert client.post(f"/assessments/overview/{world.unit('溧河铺镇').code}/1/rescore/").status_code == 404
