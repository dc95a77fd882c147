"""The industry imports (issue #10) on 10,000 rows each, next to python-calamine reading the same file alone.

A fresh database with one county, 50 towns and 10,000 villages; then, through the real import functions as the
county's admin: 10,000 projects (one row each, new), 10,000 specialty-industry areas (one village each, new, then
the same file again: all updated) and 10,000 collective-income lines (likewise).

    .venv/bin/python bench/economy_imports.py --sqlite
    .venv/bin/python bench/economy_imports.py            # PostgreSQL (IMPORT_BENCH_DATABASE_URL)
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
import time
from pathlib import Path

SQLITE = "--sqlite" in sys.argv
PG_URL = os.environ.get(
    "IMPORT_BENCH_DATABASE_URL", "postgresql://xingyao:xingyao@127.0.0.1:5432/xingyao_bench_economy"
)
TOWNS, VILLAGES_PER_TOWN = 50, 200  # 10,000 villages


def fresh_database() -> str:
    if SQLITE:
        path = Path(tempfile.gettempdir()) / "xingyao_bench_economy.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    import psycopg

    name = PG_URL.rsplit("/", 1)[1]
    with psycopg.connect(PG_URL.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
    return PG_URL


import harness  # noqa: E402

os.environ.setdefault("XINGYAO_MEDIA_ROOT", tempfile.mkdtemp(prefix="xingyao-bench-media-"))
harness.setup_django(fresh_database())

from django.db import connection  # noqa: E402
from python_calamine import CalamineWorkbook  # noqa: E402

from xingyao.accounts.models import Membership, User  # noqa: E402
from xingyao.core.sheets import write_workbook  # noqa: E402
from xingyao.economy import imports  # noqa: E402
from xingyao.economy.models import Industry  # noqa: E402
from xingyao.places.models import Unit  # noqa: E402


def tree() -> tuple[Unit, list[Unit], list[Unit]]:
    county = Unit.objects.create(code="411329000000", prefix="411329", name="新野县", kind="county")
    towns = Unit.objects.bulk_create(
        Unit(code=f"411329{100 + t:03}000", prefix=f"411329{100 + t:03}", name=f"镇{t}", kind="town", parent=county)
        for t in range(TOWNS)
    )
    villages = Unit.objects.bulk_create(
        (
            Unit(code=f"{town.prefix}{200 + v:03}", prefix=f"{town.prefix}{200 + v:03}", name=f"{town.name}村{v}",
                 kind="village", parent=town)
            for town in towns
            for v in range(VILLAGES_PER_TOWN)
        ),
        batch_size=2000,
    )  # fmt: skip
    return county, towns, villages


def calamine_read(content: bytes) -> int:
    book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    n = sum(1 for _ in book.get_sheet_by_index(0).iter_rows())
    book.close()
    return n


def timed(fn):  # type: ignore[no-untyped-def]
    cpu, start = time.process_time(), time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start, time.process_time() - cpu


def line(label: str, rows: int, seconds: float, cpu: float, baseline: float | None = None) -> None:
    ratio = f"{seconds / baseline:6.1f}× calamine alone" if baseline else ""
    print(f"  {label:<46} {rows:>7,} rows {seconds:7.2f} s {rows / seconds:>8,.0f} rows/s (CPU {cpu:6.2f} s)  {ratio}")


def run(label: str, importer, admin: User, header: list[str], rows: list[list[object]], again: bool) -> None:  # type: ignore[no-untyped-def]
    content = write_workbook([("台账", header, rows)])
    _n, read_s, read_cpu = timed(lambda: calamine_read(content))
    line(f"calamine reading the {label} file alone", len(rows), read_s, read_cpu)
    result, s, cpu = timed(lambda: importer(admin, io.BytesIO(content), f"{label}.xlsx"))
    assert result.created == len(rows), result
    line(f"import {label} (all new)", len(rows), s, cpu, read_s)
    if again:
        result, s, cpu = timed(lambda: importer(admin, io.BytesIO(content), f"{label}.xlsx"))
        assert result.updated == len(rows), result
        line(f"import {label} (same file: all updated)", len(rows), s, cpu, read_s)


def main() -> None:
    vendor = "SQLite" if connection.vendor == "sqlite" else "PostgreSQL"
    county, towns, villages = tree()
    admin = User.objects.create(username="bench_admin", full_name="县管理员")
    Membership.objects.create(user=admin, unit=county, role="county_admin")
    for town in towns:
        Industry.objects.create(town=town, village=villages[0], name="娃娃菜", product="娃娃菜")
    print(f"\nEconomy imports ({vendor}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")
    projects = [
        [f"项目{n}", towns[n % TOWNS].code, "某公司", "制造", "1000", "镇长", "2023-01-01", "签约", "2023-03-01"]
        for n in range(10_000)
    ]
    run("projects", imports.do_import_projects, admin,
        ["项目名称", "乡镇代码", "投资方", "行业", "计划投资（万元）", "包联镇领导", "登记日期", "阶段", "签约日期"],
        projects, again=False)  # fmt: skip
    areas = [["娃娃菜", v.code, 2023, 300 + n % 500, 20, 15] for n, v in enumerate(villages)]
    area_columns = ["产业名称", "村代码", "年度", "面积（亩）", "种植户数", "带动就业（人）"]
    run("areas", imports.do_import_areas, admin, area_columns, areas, again=True)
    incomes = [[v.code, 2023, 80000 + n % 90000, 20000] for n, v in enumerate(villages)]
    run("incomes", imports.do_import_incomes, admin, ["村代码", "年度", "经营性收入（元）", "资产收益（元）"], incomes,
        again=True)  # fmt: skip


if __name__ == "__main__":
    main()
