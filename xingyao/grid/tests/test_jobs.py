"""The grid's big ledger and big people imports run as background jobs."""

import io

from openpyxl import Workbook

from xingyao.accounts.models import User
from xingyao.core.models import JobState
from xingyao.core.tests.jobs import result_cells, run_started
from xingyao.grid.models import GridPost
from xingyao.grid.tests import factories as f


def test_a_big_event_ledger_is_written_by_the_worker_for_the_user_who_asked(world, login, settings, monkeypatch):
    settings.XINGYAO_JOB_EXPORT_ROWS = 0  # every ledger counts as big
    f.event(world, title="毛桥村的事件")
    f.event(world, unit="庄营村", title="庄营村的事件")
    job = run_started(login("maoqiao").get("/grid/ledger.xlsx"), monkeypatch)
    assert (job.state, job.summary, job.done, job.total) == (JobState.DONE, "已导出 1 件事件", 1, 1)
    cells = result_cells(job)
    assert "毛桥村的事件" in cells and "庄营村的事件" not in cells


def test_a_ledger_under_the_threshold_is_still_sent_at_once(world, login):
    f.event(world, title="毛桥村的事件")
    response = login("maoqiao").get("/grid/ledger.xlsx")
    assert response.status_code == 200 and "spreadsheetml" in response["Content-Type"]


def _sheet(rows):  # type: ignore[no-untyped-def]
    book = Workbook()
    book.active.append(["网格代码", "姓名", "手机号", "岗位", "登录名"])
    for row in rows:
        book.active.append(list(row))
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "网格人员.xlsx"
    return out


def test_a_big_people_import_runs_as_a_job_and_forgets_the_initial_password(world, login, settings, monkeypatch):
    settings.XINGYAO_JOB_IMPORT_BYTES = 0
    grid = world.unit("毛桥村第1网格").code
    upload = _sheet([(grid, "毛建华", "13800000001", "网格长", "")])
    response = login("zhen").post(
        f"/grid/people/{world.unit('毛桥村').code}/import/", {"file": upload, "initial_password": "网格初始密码2023"}
    )
    job = run_started(response, monkeypatch)
    assert job.state == JobState.DONE and job.summary.startswith("导入完成：新建账号 1")
    assert "initial_password" not in job.params
    assert User.objects.get(username="13800000001").check_password("网格初始密码2023")


def test_a_big_people_import_with_bad_rows_fails_with_every_error_and_writes_nothing(
    world, login, settings, monkeypatch
):
    settings.XINGYAO_JOB_IMPORT_BYTES = 0
    grid = world.unit("毛桥村第1网格").code
    upload = _sheet([(grid, "毛建华", "13800000001", "网格长", ""), ("999", "", "123", "队长", "")])
    client = login("zhen")
    job = run_started(
        client.post(f"/grid/people/{world.unit('毛桥村').code}/import/", {"file": upload, "initial_password": "x"}),
        monkeypatch,
    )
    assert job.state == JobState.FAILED and job.summary.startswith("导入失败，共") and "未写入任何数据" in job.summary
    assert job.error_count == len(job.errors) >= 3
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "网格代码不存在或不在您的辖区内" in page and "下载错误清单" in page
    assert "网格代码不存在或不在您的辖区内" in result_cells(job)
    assert not User.objects.filter(username="13800000001").exists() and not GridPost.objects.exists()
