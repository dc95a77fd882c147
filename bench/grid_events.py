"""Grid events at scale: worklists, counts, 督办 filters and the 平安法治星 metrics over 1,000,000 events.

Builds (once) the demo county (溧河铺镇: 25 villages, 277 grids, the “警司访+” departments and the category tree)
in its own benchmark database, then one million events of three years with INSERT … SELECT generate_series, in
realistic states (most closed, a few thousand open, some overdue). Times the reads the pages and the API make,
for the town admin (zhen), a department handler (paichusuo) and a grid worker (wangge), as ratios to a bare
indexed COUNT(*) over the same table measured in the same run.

    .venv/bin/python bench/grid_events.py            # build once, then measure
    .venv/bin/python bench/grid_events.py --rebuild  # drop the events and build them again
"""

from __future__ import annotations

import datetime as dt
import os
import sys

# Its own database: bench/units.py replaces the unit tree of the shared benchmark database with a province.
os.environ.setdefault(
    "BENCH_DATABASE_URL",
    os.environ.get("GRID_BENCH_DATABASE_URL", "postgresql://xingyao:xingyao@127.0.0.1:5432/xingyao_bench_grid"),
)

import harness

harness.setup_django()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from xingyao.accounts.models import User  # noqa: E402
from xingyao.core import metrics  # noqa: E402
from xingyao.demo.safety import load_grid_people  # noqa: E402
from xingyao.demo.tree import LIHEPU, load_tree  # noqa: E402
from xingyao.grid.models import Event  # noqa: E402
from xingyao.grid.queries import event_counts, worklist  # noqa: E402
from xingyao.places.models import Unit  # noqa: E402

EVENTS = 1_000_000
ZERO_KEYS = ["disputes.zero_petitions", "disputes.zero_accidents", "disputes.zero_cases"]


def build(rebuild: bool) -> None:
    if not Unit.objects.filter(code=LIHEPU[0]).exists():
        print("building the demo county (once)…", flush=True)
        load_tree()
        load_grid_people()
    if rebuild:
        with connection.cursor() as c:
            c.execute("TRUNCATE grid_eventphoto, grid_eventstep, grid_event RESTART IDENTITY CASCADE")
    if Event.objects.count() >= EVENTS:
        return
    print(f"inserting {EVENTS:,} events with generate_series (once)…", flush=True)
    with connection.cursor() as c:
        c.execute("SET synchronous_commit = off")
        c.execute(
            """
            CREATE TEMP TABLE bench_grids AS
            SELECT row_number() OVER (ORDER BY g.code) AS n, g.id AS unit_id, v.id AS village_id
            FROM places_unit g JOIN places_unit v ON v.id = g.parent_id
            WHERE g.kind = 'grid' AND g.code LIKE %s
            """,
            [LIHEPU[0][:9] + "%"],
        )
        c.execute(
            """
            CREATE TEMP TABLE bench_categories AS
            SELECT row_number() OVER (ORDER BY c.code) AS n, c.id AS category_id, c.deadline_days,
                   (SELECT d.id FROM places_unit d WHERE d.kind = 'department' AND d.parent_id = t.id
                    ORDER BY (d.name LIKE '%%' || c.department_type || '%%') DESC, d.code LIMIT 1) AS department_id
            FROM grid_eventcategory c JOIN places_unit t ON t.code = %s
            WHERE c.level = 2
            """,
            [LIHEPU[0]],
        )
        c.execute("SELECT count(*) FROM bench_grids")
        grids = c.fetchone()[0]
        c.execute("SELECT count(*) FROM bench_categories")
        categories = c.fetchone()[0]
        # The newest 0.5 % are open, spread over the states; everything older is closed, one in twelve late.
        c.execute(
            """
            INSERT INTO grid_event (
                unit_id, village_id, category_id, title, description, address, source, contact_name, contact_phone,
                state, reported_at, accepted_at, dispatched_at, feedback_at, closed_at, department_id, deadline_days,
                extended_days, due_at, warn_at, handler_ids, urgent, legacy, sent_back_count, rework_count,
                manual_level
            )
            SELECT g.unit_id, g.village_id, c.category_id, '合成事件 ' || s.i, '基准测试数据', '', 'patrol', '', '',
                   s.state, s.reported_at, s.reported_at + interval '1 hour',
                   CASE WHEN s.state IN ('reported', 'accepted') THEN NULL ELSE s.reported_at + interval '2 hours' END,
                   CASE WHEN s.state IN ('feedback', 'verified', 'closed')
                        THEN s.reported_at + interval '2 hours' + (c.deadline_days * s.speed) * interval '1 day' END,
                   CASE WHEN s.state = 'closed'
                        THEN s.reported_at + interval '1 day' + (c.deadline_days * s.speed) * interval '1 day' END,
                   CASE WHEN s.state IN ('reported', 'accepted') THEN NULL ELSE c.department_id END,
                   CASE WHEN s.state IN ('reported', 'accepted') THEN NULL ELSE c.deadline_days END,
                   0,
                   CASE WHEN s.state IN ('reported', 'accepted') THEN NULL
                        ELSE s.reported_at + interval '2 hours' + c.deadline_days * interval '1.4 day' END,
                   CASE WHEN s.state IN ('reported', 'accepted') THEN NULL
                        ELSE s.reported_at + interval '2 hours'
                             + greatest(c.deadline_days - 1, 0) * interval '1.4 day' END,
                   '[]'::jsonb, false, false, 0, 0, 'normal'
            FROM (
                SELECT i,
                       1 + (i::bigint * 7919) %% %s AS grid_n,
                       1 + (i::bigint * 104729) %% %s AS category_n,
                       now() - (%s - i) * interval '95 seconds' AS reported_at,
                       CASE WHEN i %% 12 = 0 THEN 1.8 ELSE 0.6 END AS speed,
                       CASE WHEN i <= %s - 5000 THEN 'closed'
                            ELSE (ARRAY['reported', 'accepted', 'dispatched', 'handling', 'feedback',
                                        'verified'])[1 + i %% 6]
                       END AS state
                FROM generate_series(1, %s) AS i
            ) s
            JOIN bench_grids g ON g.n = s.grid_n
            JOIN bench_categories c ON c.n = s.category_n
            """,
            [grids, categories, EVENTS, EVENTS, EVENTS],
        )
    with connection.cursor() as c:
        c.execute("VACUUM ANALYZE grid_event")
        c.execute("ANALYZE places_unit")


def main() -> None:
    build("--rebuild" in sys.argv)
    users = {u.username: u for u in User.objects.filter(username__in=["zhen", "paichusuo", "wangge"])}
    zhen, handler, worker = users["zhen"], users["paichusuo"], users["wangge"]
    villages = list(Unit.objects.filter(kind="village", code__startswith=LIHEPU[0][:9]))
    town = Unit.objects.get(code=LIHEPU[0])
    everything = metrics.unscoped("the benchmark reads the whole town")
    year = timezone.localdate().year - 1
    now = timezone.now()

    def baseline() -> None:
        with connection.cursor() as c:
            c.execute("SELECT COUNT(*) FROM grid_event")
            c.fetchone()

    def page(user, params) -> None:  # type: ignore[no-untyped-def]
        for u in (user,):
            u.__dict__.pop("_scope_cache", None)
            u.__dict__.pop("_grid_roles", None)
        qs = worklist(user, params, now)
        qs.count()
        list(qs[:30])

    def counts(user) -> None:  # type: ignore[no-untyped-def]
        user.__dict__.pop("_scope_cache", None)
        event_counts(Event.objects.restrict(user), now)

    client = Client()
    client.force_login(zhen)
    rows = [
        ("counts 待受理…累计办结 (town admin, 1M rows)", lambda: counts(zhen)),
        ("worklist 全部, first page + count (town admin)", lambda: page(zhen, {"tab": "all"})),
        ("worklist 待受理 (town admin)", lambda: page(zhen, {"tab": "reported"})),
        ("worklist 我的待办 (town admin)", lambda: page(zhen, {"tab": "todo"})),
        ("worklist 超期 (town admin)", lambda: page(zhen, {"tab": "overdue"})),
        ("worklist 红色督办 filter (town admin)", lambda: page(zhen, {"level": "red"})),
        (
            "worklist one village, 2 months (town admin)",
            lambda: page(zhen, {"village": str(villages[3]), "since": str((now - dt.timedelta(days=60)).date())}),
        ),
        ("worklist 我的待办 (派出所 handler)", lambda: page(handler, {"tab": "todo"})),
        ("counts (派出所 handler)", lambda: counts(handler)),
        ("worklist 待受理 (grid worker)", lambda: page(worker, {"tab": "reported"})),
        (
            "metric grid.events_closed_on_time_rate, 25 villages, 1 year",
            lambda: everything.compute("grid.events_closed_on_time_rate", villages, year),
        ),
        (
            "metrics “三零”, 25 villages, 1 year",
            lambda: everything.values(ZERO_KEYS, villages, year),
        ),
        (
            "every grid and disputes metric, the town, 1 year",
            lambda: everything.values([m.key for m in metrics.all_metrics()], [town], year),
        ),
        ("GET /grid/?tab=todo page (town admin, whole request)", lambda: client.get("/grid/?tab=todo")),
    ]
    base = harness.measure(baseline)
    measured = [(label, harness.measure(fn, repeat=7, warmup=1)) for label, fn in rows]
    total = Event.objects.count()
    harness.report(f"grid events: {total:,} events in one town", "SELECT COUNT(*) FROM grid_event", base, measured)


if __name__ == "__main__":
    main()
