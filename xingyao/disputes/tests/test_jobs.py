"""The big dispute ledger runs as a background job, masked as for the user who asked."""

from xingyao.core.models import JobState
from xingyao.core.tests.jobs import result_cells, run_started
from xingyao.grid.tests import factories as f

PHONE = "13812345678"


def test_a_big_dispute_ledger_is_written_by_the_worker_masked_for_the_user(world, login, settings, monkeypatch):
    settings.XINGYAO_JOB_EXPORT_ROWS = 0
    f.dispute(world, phone=PHONE, summary="毛桥村的纠纷")
    f.dispute(world, village="庄营村", summary="庄营村的纠纷")
    job = run_started(login("maoqiao").get("/disputes/ledger.xlsx"), monkeypatch)
    assert job.state == JobState.DONE and job.summary == "已导出 1 件纠纷"
    cells = result_cells(job)
    assert "毛桥村的纠纷" in cells and "庄营村的纠纷" not in cells
    assert PHONE not in cells and "138****5678" in cells  # the village clerk does not work the case


def test_a_bad_filter_is_refused_before_any_job_starts(world, login, settings):
    settings.XINGYAO_JOB_EXPORT_ROWS = 0
    response = login("maoqiao").get("/disputes/ledger.xlsx?year=0")
    assert response.status_code == 400
