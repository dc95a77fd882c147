"""Imports and exports at province scale, each next to what reading or writing the same rows costs on its own.

In one run, on a fresh database (SQLite with `--sqlite`, else PostgreSQL: `IMPORT_BENCH_DATABASE_URL`, default
`…/xingyao_bench_import`, dropped and made again):
- the division-code list of a Henan-sized province (54,271 rows: 1 province, 18 cities, 198 counties, 2,586 towns,
  51,468 villages) through `do_import_divisions`, next to python-calamine reading the same file alone;
- grid people (50,000 rows: 10,000 grids × a head, an adviser and three workers, every one a new account) through
  `do_import_workers`, next to calamine reading the same file alone;
- the unit ledger export (50,000 rows) through `core.exports.Sheet`, in rows/s.

    .venv/bin/python bench/imports.py --sqlite
    .venv/bin/python bench/imports.py            # PostgreSQL
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
import time
from pathlib import Path

SQLITE = "--sqlite" in sys.argv
PG_URL = os.environ.get("IMPORT_BENCH_DATABASE_URL", "postgresql://xingyao:xingyao@127.0.0.1:5432/xingyao_bench_import")
CITIES, COUNTIES, TOWNS, VILLAGES = 18, 198, 2586, 51468  # 54,271 rows with the province
GRIDS, PEOPLE_PER_GRID = 10_000, 5
INITIAL = "Initial-" + "Pa55word"  # the initial password of the people file (not a secret)


def fresh_database() -> str:
    if SQLITE:
        path = Path(tempfile.gettempdir()) / "xingyao_bench_import.sqlite3"
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

from xingyao.accounts.models import User  # noqa: E402
from xingyao.core.exports import Column, Sheet  # noqa: E402
from xingyao.core.scoping import forget_scope  # noqa: E402
from xingyao.core.sheets import write_workbook  # noqa: E402
from xingyao.grid.actions import do_import_workers  # noqa: E402
from xingyao.places.actions import do_import_divisions  # noqa: E402
from xingyao.places.models import Unit  # noqa: E402


def division_rows() -> list[list[str]]:
    """A synthetic province's codes, each level spread evenly over the one above, in the national layout."""
    rows = [["410000000000", "河南省", "省"]]
    cities = [f"41{i + 1:02}" for i in range(CITIES)]
    rows += [[c.ljust(12, "0"), f"市{i}", "市"] for i, c in enumerate(cities)]
    counties = [f"{cities[j % CITIES]}{j // CITIES + 1:02}" for j in range(COUNTIES)]
    rows += [[c.ljust(12, "0"), f"县{j}", "县"] for j, c in enumerate(counties)]
    towns = [f"{counties[k % COUNTIES]}{k // COUNTIES + 100:03}" for k in range(TOWNS)]
    rows += [[t.ljust(12, "0"), f"镇{k}", "镇"] for k, t in enumerate(towns)]
    rows += [[f"{towns[v % TOWNS]}{v // TOWNS + 200:03}", f"村{v}", "村"] for v in range(VILLAGES)]
    return rows


def xlsx(title: str, header: list[str], rows: list[list[object]]) -> bytes:
    return write_workbook([(title, header, rows)])


def calamine_read(content: bytes) -> int:
    book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    n = sum(1 for _ in book.get_sheet_by_index(0).iter_rows())
    book.close()
    return n


CPU: dict[float, float] = {}  # wall seconds → this process's CPU seconds for the same call


def timed(fn):  # type: ignore[no-untyped-def]
    """(result, wall seconds); the process's CPU seconds are kept too: on a shared machine the wall clock also
    counts other people's work, the CPU time does not (SQLite runs in this process; PostgreSQL's share does not)."""
    cpu, start = time.process_time(), time.perf_counter()
    result = fn()
    wall = time.perf_counter() - start
    CPU[wall] = time.process_time() - cpu
    return result, wall


def line(label: str, rows: int, seconds: float, baseline: float | None = None) -> None:
    cpu = CPU.get(seconds, seconds)
    ratio = f"{seconds / baseline:5.1f}× calamine alone" if baseline else ""
    print(
        f"  {label:<52} {rows:>7,} rows {seconds:7.2f} s {rows / seconds:>8,.0f} rows/s"
        f" (CPU {cpu:6.2f} s {rows / cpu:>8,.0f} rows/s)  {ratio}"
    )


def main() -> None:
    vendor = "SQLite" if connection.vendor == "sqlite" else "PostgreSQL"
    admin = User.objects.create(username="bench_admin", is_superuser=True, is_staff=True)
    print(f"\nImports and exports ({vendor}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")

    divisions = division_rows()
    division_file = xlsx("区划代码", ["代码", "名称", "层级"], divisions)
    _n, read_s = timed(lambda: calamine_read(division_file))
    line("calamine reading the division list alone", len(divisions), read_s)
    result, import_s = timed(lambda: do_import_divisions(admin, io.BytesIO(division_file), "河南省区划.xlsx"))
    assert result.created == len(divisions), result
    line("do_import_divisions (new province)", len(divisions), import_s, read_s)
    again, again_s = timed(lambda: do_import_divisions(admin, io.BytesIO(division_file), "河南省区划.xlsx"))
    assert again.unchanged == len(divisions), again
    line("do_import_divisions (same list again: all unchanged)", len(divisions), again_s, read_s)

    if "--divisions" in sys.argv:
        return
    villages = list(Unit.objects.unscoped("bench").filter(kind="village").order_by("code")[:GRIDS])
    grids = [
        Unit(code=f"{v.code}001", prefix=f"{v.code}001", name=f"{v.name}第1网格", kind="grid", parent=v)
        for v in villages
    ]
    Unit.objects.bulk_create(grids, batch_size=2000)
    posts = ["网格长", "网格指导员", "网格员", "网格员", "网格员"][:PEOPLE_PER_GRID]
    people = [
        [g.code, f"人员{i}{p}", f"1{(3_000_000_000 + i * PEOPLE_PER_GRID + j):010d}", post]
        for i, g in enumerate(grids)
        for j, (p, post) in enumerate(zip("ABCDE", posts, strict=False))
    ]
    people_file = xlsx("网格人员", ["网格代码", "姓名", "手机号", "岗位"], people)
    _n, read_people_s = timed(lambda: calamine_read(people_file))
    line("calamine reading the grid-people file alone", len(people), read_people_s)
    forget_scope(admin)
    workers, workers_s = timed(lambda: do_import_workers(admin, io.BytesIO(people_file), "网格人员.xlsx", INITIAL))
    assert workers.users_created == len(people), workers
    line("do_import_workers (every row a new account)", len(people), workers_s, read_people_s)

    ledger = Sheet(
        "区划代码",
        [Column("代码", lambda u: u.code), Column("名称", lambda u: u.name), Column("层级", lambda u: u.kind_label)],
    )
    units = Unit.objects.unscoped("bench").filter(kind__in=["town", "village"]).order_by("code")[:50_000]
    content, export_s = timed(lambda: ledger.workbook(admin, units))
    exported = calamine_read(content) - 1
    assert exported == 50_000, exported
    line("export: the unit ledger through core.exports.Sheet", exported, export_s)


if __name__ == "__main__":
    main()
