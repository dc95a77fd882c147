"""Big division and grid imports, and big unit exports, run as background jobs."""

import io

from openpyxl import Workbook

from xingyao.core.models import JobState
from xingyao.core.tests.jobs import result_cells, run_started
from xingyao.places.models import Unit


def _upload(rows, name):  # type: ignore[no-untyped-def]
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = name
    return out


def test_a_big_grid_import_runs_as_a_job(world, login, settings, monkeypatch):
    settings.XINGYAO_JOB_IMPORT_BYTES = 0
    village = world.unit("毛桥村")
    upload = _upload(
        [["网格代码", "网格名称", "所属单位代码", "户数"], [village.code + "005", "毛桥村第5网格", village.code, 40]],
        "grids.xlsx",
    )
    job = run_started(
        login("zhen").post(f"/units/{world.unit('溧河铺镇').code}/import/grids/", {"file": upload}), monkeypatch
    )
    assert (job.state, job.summary) == (JobState.DONE, "导入完成：新增 1，更新 0，未变 0")
    assert Unit.objects.get(code=village.code + "005").households == 40


def test_a_big_division_import_with_errors_fails_and_writes_nothing(world, login, settings, monkeypatch):
    settings.XINGYAO_JOB_IMPORT_BYTES = 0
    before = Unit.objects.count()
    upload = _upload([["代码", "名称", "层级"], ["411329108000", "王集镇", "镇"], ["411329108201", "", "村"]], "c.xlsx")
    job = run_started(
        login("xian").post(f"/units/{world.unit('新野县').code}/import/divisions/", {"file": upload}), monkeypatch
    )
    assert job.state == JobState.FAILED and job.error_count == 1
    assert "名称不能为空" in job.errors[0] and "名称不能为空" in result_cells(job)
    assert Unit.objects.count() == before


def test_a_big_unit_export_is_written_by_the_worker(world, login, settings, monkeypatch):
    settings.XINGYAO_JOB_EXPORT_ROWS = 0
    job = run_started(login("zhen").get(f"/units/{world.unit('溧河铺镇').code}/export/divisions.xlsx"), monkeypatch)
    assert job.state == JobState.DONE and job.label == "导出溧河铺镇区划代码"
    cells = result_cells(job)
    assert "毛桥村" in cells and "施东村" not in cells


def test_a_big_file_over_the_row_cap_fails_its_job_with_the_caps_message(world, login, settings, monkeypatch):
    settings.XINGYAO_IMPORT_MAX_ROWS, settings.XINGYAO_JOB_IMPORT_BYTES = 100, 0
    town = world.unit("溧河铺镇")
    upload = io.BytesIO(("代码,名称,层级\n" + f"{town.prefix}400,很长的村名,村\n" * 5000).encode())
    upload.name = "很多行.csv"
    job = run_started(
        login("xian").post(f"/units/{world.unit('新野县').code}/import/divisions/", {"file": upload}), monkeypatch
    )
    assert job.state == JobState.FAILED and "数据超过 100 行" in " ".join([job.summary, *job.errors])
    assert not Unit.objects.filter(code=f"{town.prefix}400").exists()
