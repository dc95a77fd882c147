"""The audit chain at county scale: appending with record(), `audit verify` over 100,000 rows, anchoring.

Builds (once) 100,000 rows in one county's chain with record(), 1,000 per transaction, in its own database
(`xingyao_bench_audit`, or AUDIT_BENCH_DATABASE_URL), then times verify_chains() against streaming the same rows
without checking them (the baseline: what reading alone costs) and the anchor step (two queries).
"""

from __future__ import annotations

import os
import sys
import time
from typing import Any

os.environ.setdefault(
    "BENCH_DATABASE_URL",
    os.environ.get("AUDIT_BENCH_DATABASE_URL", "postgresql://xingyao:xingyao@127.0.0.1:5432/xingyao_bench_audit"),
)
import harness

harness.setup_django()

from django.db import transaction  # noqa: E402

from xingyao.core import audit  # noqa: E402
from xingyao.core.models import AuditEntry  # noqa: E402
from xingyao.places.models import Unit  # noqa: E402

ROWS, BATCH = 100_000, 1_000
# Every row is the same handled event but for its number: a typical row's size, in one chain.
SAMPLE_ROW: dict[str, Any] = {
    "action": "event.handle",
    "object_type": "grid.event",
    "before": {"status": "dispatched"},
    "after": {"status": "handled", "note": "已到现场处理，群众满意"},
}


def build_chain() -> None:
    village = Unit.objects.filter(code="411329101201").first() or Unit.objects.create(
        code="411329101201", name="毛桥村", kind="village"
    )
    have = AuditEntry.objects.filter(chain="411329").count()
    if have >= ROWS:
        return
    print(f"appending {ROWS - have:,} rows with record() (once)…", flush=True)
    start = time.perf_counter()
    for first in range(have, ROWS, BATCH):
        with transaction.atomic():
            for n in range(first, min(first + BATCH, ROWS)):
                audit.record(actor=None, unit=village, object_id=str(n), object_repr=f"事件 {n}", **SAMPLE_ROW)
    seconds = time.perf_counter() - start
    print(f"  record(): {(ROWS - have) / seconds:,.0f} rows/s")


def stream() -> None:
    for _entry in AuditEntry.objects.order_by("chain", "seq").iterator(chunk_size=2000):
        pass


def main() -> None:
    build_chain()
    count = AuditEntry.objects.count()
    verify = harness.measure(lambda: audit.verify_chains({}), repeat=3, warmup=1)
    read = harness.measure(stream, repeat=3, warmup=1)
    heads = harness.measure(audit.chain_heads, repeat=5, warmup=1)
    harness.report(
        f"audit chain, {count:,} rows",
        "stream the rows in (chain, seq) order, unchecked",
        read,
        [("verify_chains(): links, HMAC, seq", verify), ("chain_heads() for the anchor", heads)],
    )
    print(f"  verify: {count / verify * 1000:,.0f} rows/s")


if __name__ == "__main__":
    sys.exit(main())
