"""The rectification-ledger import (整顿台账) of 10,000 rows, next to python-calamine reading the same file alone.

A fresh SQLite database in a temporary file (the demo's tree of 新野县 for the villages); the rows spread over every
village of the county, as a county office's consolidated ledger would. Prints wall and CPU rows/s and the ratio to
reading alone; asserts nothing about time.

    .venv/bin/python bench/ledger_import.py
"""

from __future__ import annotations

import datetime as dt
import io
import os
import sys
import tempfile
import time
from pathlib import Path

ROWS = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
path = Path(tempfile.gettempdir()) / "xingyao_bench_ledger_import.sqlite3"
for suffix in ("", "-wal", "-shm"):
    Path(f"{path}{suffix}").unlink(missing_ok=True)

import harness  # noqa: E402

os.environ.setdefault("XINGYAO_MEDIA_ROOT", tempfile.mkdtemp(prefix="xingyao-bench-media-"))
harness.setup_django(f"sqlite:///{path}")

from python_calamine import CalamineWorkbook  # noqa: E402

from xingyao.core.actors import SYSTEM  # noqa: E402
from xingyao.core.sheets import write_workbook  # noqa: E402
from xingyao.demo.tree import load_tree  # noqa: E402
from xingyao.ledgers.imports import OPTIONAL, REQUIRED, do_import_items  # noqa: E402
from xingyao.ledgers.models import Item  # noqa: E402
from xingyao.places.models import Unit  # noqa: E402


def timed(fn):  # type: ignore[no-untyped-def]
    cpu, start = time.process_time(), time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start, time.process_time() - cpu


def main() -> None:
    load_tree()
    villages = list(Unit.objects.unscoped("bench").filter(kind="village").values_list("code", flat=True))
    start = dt.date(2023, 3, 6)
    source = ["", "创星短板"]  # 村（社区） left empty, 来源
    rows = [
        [villages[n % len(villages)], f"问题 {n}", "整改到位", "措施", "步骤", "责任人", start, 10 + n % 50, *source]
        for n in range(ROWS)
    ]
    content = write_workbook([("整顿台账", [*REQUIRED, *OPTIONAL], rows)])
    _n, read_s, read_cpu = timed(lambda: sum(1 for _ in CalamineWorkbook.from_filelike(io.BytesIO(content))
                                             .get_sheet_by_index(0).iter_rows()))  # fmt: skip
    count, wall, cpu = timed(lambda: do_import_items(SYSTEM, io.BytesIO(content), "台账.xlsx"))
    assert count == ROWS == Item.objects.unscoped("bench").count()
    print(f"\nLedger import of {ROWS:,} rows over {len(villages)} villages (SQLite; load {os.getloadavg()[0]:.1f})")
    print(f"  calamine reading alone   {read_s:6.2f} s  {ROWS / read_s:>9,.0f} rows/s (CPU {read_cpu:5.2f} s)")
    print(f"  do_import_items          {wall:6.2f} s  {ROWS / wall:>9,.0f} rows/s (CPU {cpu:5.2f} s "
          f"{ROWS / cpu:,.0f} rows/s)  {wall / read_s:5.1f}× reading alone")  # fmt: skip


main()
