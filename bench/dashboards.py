"""Dashboards: a town's and a county's page, on the demo and on a synthetic county of 25 towns × 25 villages, next to
the bare `/healthz/` view in the same run; and the delay from an event saved to it being on the town dashboard.

Builds (once) in its own database the demo (`xingyao demo`) and beside it 合成县: 25 towns of 25 villages, each
village with a boundary, a grid, 40 events of 2023 (some closed, some overdue), a county-signed result with its
stars and awards, and a 创星计划 target. Every request goes through the whole Django stack (middleware, session,
scoping, templates) with the test client in this process, one after another: p95 is of single requests, the
throughput that of one worker. Ratios are to the bare view measured in the same run.

    .venv/bin/python bench/dashboards.py            # build once, then measure
    .venv/bin/python bench/dashboards.py --rebuild  # drop 合成县's records and build them again
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import time

os.environ.setdefault(
    "BENCH_DATABASE_URL",
    os.environ.get(
        "DASHBOARD_BENCH_DATABASE_URL", "postgresql://xingyao:xingyao@127.0.0.1:5432/xingyao_bench_dashboards"
    ),
)

import harness

harness.setup_django()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from xingyao.accounts.models import Membership, User  # noqa: E402
from xingyao.assessments.models import Assessment  # noqa: E402
from xingyao.core.roles import Role  # noqa: E402
from xingyao.core.scoping import forget_scope  # noqa: E402
from xingyao.demo.tree import COUNTY, LIHEPU, MAOQIAO  # noqa: E402
from xingyao.grid.actions import do_report_event  # noqa: E402
from xingyao.grid.models import Event, EventCategory  # noqa: E402
from xingyao.places.codes import Kind, prefix_of  # noqa: E402
from xingyao.places.models import Unit  # noqa: E402
from xingyao.stars.models import CriteriaSet  # noqa: E402

SYNTHETIC = ("411399000000", "合成县")
TOWNS, VILLAGES, EVENTS_PER_VILLAGE = 25, 25, 40
YEAR = 2023
FIGURE = re.compile(r"<b>([\d,]+)<small>件</small></b><span>网格事件上报数</span>")


def _town_code(t: int) -> str:
    return f"411399{100 + t:03d}000"


def _square(t: int, v: int) -> dict:
    x, y = 112.0 + (t % 5) * 0.05 + (v % 5) * 0.01, 32.3 + (t // 5) * 0.05 + (v // 5) * 0.01
    ring = [[x, y], [x + 0.01, y], [x + 0.01, y + 0.01], [x, y + 0.01], [x, y]]
    return {"type": "Polygon", "coordinates": [[[round(a, 4), round(b, 4)] for a, b in ring]]}


def _units() -> None:
    county = Unit(code=SYNTHETIC[0], name=SYNTHETIC[1], kind=Kind.COUNTY, prefix=prefix_of(SYNTHETIC[0], Kind.COUNTY))
    county.save()
    towns = [
        Unit(code=_town_code(t), name=f"合成{t + 1}镇", kind=Kind.TOWN, parent=county,
             prefix=prefix_of(_town_code(t), Kind.TOWN))
        for t in range(TOWNS)
    ]  # fmt: skip
    Unit.objects.bulk_create(towns)
    villages = []
    for t, town in enumerate(towns):
        for v in range(VILLAGES):
            code = f"{prefix_of(town.code, Kind.TOWN)}{201 + v:03d}"
            name = f"合成{t + 1}镇{v + 1}村"
            prefix = prefix_of(code, Kind.VILLAGE)
            villages.append(
                Unit(code=code, name=name, kind=Kind.VILLAGE, parent=town, prefix=prefix, geometry=_square(t, v))
            )
    Unit.objects.bulk_create(villages)
    grids = [
        Unit(code=f"{v.code}001", name=f"{v.name}第1网格", kind=Kind.GRID, parent=v,
             prefix=prefix_of(f"{v.code}001", Kind.GRID))
        for v in Unit.objects.unscoped("bench").filter(kind=Kind.VILLAGE, code__startswith=SYNTHETIC[0][:6])
    ]  # fmt: skip
    Unit.objects.bulk_create(grids)


def _records() -> None:
    """Events, results with their awards, and targets for 合成县's villages, with INSERT … SELECT."""
    category = EventCategory.objects.unscoped("bench").filter(level=2).order_by("code").values_list("pk", flat=True)
    criteria = CriteriaSet.objects.unscoped("bench").get(county__code=COUNTY[0], year=YEAR, unit_kind="village")
    like = SYNTHETIC[0][:6] + "%"
    department = Unit.objects.unscoped("bench").filter(kind=Kind.DEPARTMENT).order_by("code").first()
    assert department is not None
    with connection.cursor() as c:
        c.execute("SET synchronous_commit = off")
        c.execute(
            """
            INSERT INTO grid_event (
                unit_id, village_id, category_id, title, description, address, source, contact_name, contact_phone,
                state, reported_at, accepted_at, dispatched_at, feedback_at, closed_at, department_id, deadline_days,
                extended_days, due_at, warn_at, handler_ids, urgent, legacy, sent_back_count, rework_count,
                manual_level)
            SELECT g.id, g.parent_id, (%s::int[])[1 + (i %% cardinality(%s::int[]))], '合成事件', '基准测试数据',
                   '', 'patrol', '', '', CASE WHEN i %% 10 = 0 THEN 'handling' ELSE 'closed' END, at, at, at, at,
                   CASE WHEN i %% 10 = 0 THEN NULL ELSE at + interval '2 days' END, %s, 5, 0,
                   at + interval '5 days', at + interval '4 days', '[]'::jsonb, false, false, 0, 0, 'normal'
            FROM places_unit g
            CROSS JOIN generate_series(1, %s) AS i
            CROSS JOIN LATERAL (
                SELECT timestamptz '2023-01-01' + (i * 8) * interval '1 day' + g.id * interval '1 minute' AS at
            ) t
            WHERE g.kind = 'grid' AND g.code LIKE %s
            """,
            [list(category), list(category), department.pk, EVENTS_PER_VILLAGE, like],
        )
        c.execute(
            """
            INSERT INTO assessments_assessment (village_id, year, criteria_set_id, state, state_since, star_count,
                                                points, passed_stars, created_at)
            SELECT v.id, %s, %s, 'awarded', now(), v.id %% 6, 300 + v.id %% 200,
                   (to_jsonb((ARRAY['branch', 'industry', 'ecology', 'safety', 'civility'])[1:(v.id %% 6)])), now()
            FROM places_unit v WHERE v.kind = 'village' AND v.code LIKE %s
            """,
            [YEAR, criteria.pk, like],
        )
        c.execute(
            """
            INSERT INTO assessments_staraward (village_id, year, star_code, star_name, "order", status, awarded_at,
                                               assessment_id)
            SELECT a.village_id, a.year, s.code, s.name, s."order", 'active', now(), a.id
            FROM assessments_assessment a JOIN places_unit v ON v.id = a.village_id
            JOIN stars_star s ON s.criteria_set_id = a.criteria_set_id AND s."order" <= a.star_count
            WHERE v.code LIKE %s AND a.year = %s
            """,
            [like, YEAR],
        )
        c.execute(
            """
            INSERT INTO stars_starplan (village_id, year, star_code, strengths, gaps, measures, responsible, deadline,
                                        created_at, updated_at)
            SELECT v.id, %s, 'industry', '', '', '合成计划', '书记', date '2023-11-30', now(), now()
            FROM places_unit v WHERE v.kind = 'village' AND v.code LIKE %s
            """,
            [YEAR, like],
        )
        c.execute("ANALYZE")


def build(rebuild: bool) -> None:
    if not Unit.objects.unscoped("bench").filter(code=LIHEPU[0]).exists():
        print("loading the demo (once, a few minutes)…", flush=True)
        call_command("demo", verbosity=0)
    synthetic = Unit.objects.unscoped("bench").filter(code=SYNTHETIC[0]).first()
    if synthetic is not None and rebuild:
        with connection.cursor() as c:
            like = SYNTHETIC[0][:6] + "%"
            where = "IN (SELECT id FROM places_unit WHERE code LIKE %s)"
            c.execute(f"DELETE FROM grid_event WHERE village_id {where}", [like])  # noqa: S608 (fixed text)
            c.execute(f"DELETE FROM assessments_staraward WHERE village_id {where}", [like])  # noqa: S608
            c.execute(f"DELETE FROM assessments_assessment WHERE village_id {where}", [like])  # noqa: S608
            c.execute(f"DELETE FROM stars_starplan WHERE village_id {where}", [like])  # noqa: S608
    if synthetic is None:
        print(f"building {SYNTHETIC[1]}: {TOWNS} towns × {VILLAGES} villages (once)…", flush=True)
        with transaction.atomic():
            _units()
    if not Assessment.objects.unscoped("bench").filter(village__code__startswith=SYNTHETIC[0][:6]).exists():
        with transaction.atomic():
            _records()


def persona(username: str, code: str, role: str) -> User:
    user, _ = User.objects.get_or_create(username=username, defaults={"full_name": username})
    Membership.objects.get_or_create(user=user, unit=Unit.objects.unscoped("bench").get(code=code), role=role)
    forget_scope(user)
    return user


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def timed(client: Client, path: str, n: int) -> tuple[float, float, float]:
    """(median ms, p95 ms, requests per second) over n requests one after another, after two warm-ups."""
    for _ in range(2):
        assert client.get(path).status_code == 200, path
    samples = []
    start = time.perf_counter()
    for _ in range(n):
        t0 = time.perf_counter()
        response = client.get(path)
        samples.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, path
    total = time.perf_counter() - start
    samples.sort()
    return statistics.median(samples), samples[max(0, round(0.95 * n) - 1)], n / total


def delay(client: Client, path: str, reporter: User, grid: Unit) -> float:
    """ms from an event reported through the grid's own action (committed) to the town dashboard counting it."""

    def count() -> int:
        found = FIGURE.search(client.get(path).content.decode())
        assert found, "the dashboard shows no 网格事件上报数"
        return int(found.group(1).replace(",", ""))

    before = count()
    category = EventCategory.objects.unscoped("bench").filter(county__code=COUNTY[0], level=2).first()
    assert category is not None
    start = time.perf_counter()
    do_report_event(reporter, unit=grid, category=category, title="基准：测量看板延迟", description="看板实时性测量")
    while count() == before:  # the next load already counts it: no rebuild to wait for
        pass
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("-n", type=int, default=30, help="requests per dashboard (the bare view gets 10×)")
    args = parser.parse_args()
    build(args.rebuild)
    load = os.getloadavg()[0]
    xian = client_for(User.objects.get(username="xian"))
    zhen = client_for(User.objects.get(username="zhen"))
    county = client_for(persona("bench_county", SYNTHETIC[0], Role.COUNTY_ADMIN))
    town = client_for(persona("bench_town", _town_code(0), Role.TOWN_ADMIN))
    events = Event.objects.unscoped("bench").count()
    print(f"\nDashboards ({YEAR}), {events:,} events in the database, load average {load:.1f} at the start")
    bare = timed(xian, "/healthz/", args.n * 10)
    rows = [
        ("demo town dashboard (溧河铺镇, 25 villages)", timed(zhen, f"/reports/{LIHEPU[0]}/{YEAR}/", args.n)),
        ("demo county dashboard (新野县, 2 towns)", timed(xian, f"/reports/{COUNTY[0]}/{YEAR}/", args.n)),
        ("synthetic town dashboard (25 villages)", timed(town, f"/reports/{_town_code(0)}/{YEAR}/", args.n)),
        ("synthetic county dashboard (25 towns, 625 villages)", timed(county, f"/reports/{SYNTHETIC[0]}/{YEAR}/",
                                                                       args.n)),
    ]  # fmt: skip
    print(f"  {'page':<54} {'median':>9} {'p95':>9} {'req/s':>8}   p95 ratio  throughput ratio")
    baseline = "bare view /healthz/ (baseline)"
    print(f"  {baseline:<54} {bare[0]:7.1f}ms {bare[1]:7.1f}ms {bare[2]:8.1f}   1.0×       1.0×")
    for label, (median, p95, rps) in rows:
        print(f"  {label:<54} {median:7.1f}ms {p95:7.1f}ms {rps:8.1f}   {p95 / bare[1]:6.1f}×   "
              f"{bare[2] / rps:6.1f}× slower")  # fmt: skip
    wangge = User.objects.get(username="wangge")
    grid = Unit.objects.unscoped("bench").get(code=f"{MAOQIAO}001")
    today = timezone.localdate().year
    waits = [delay(zhen, f"/reports/{LIHEPU[0]}/{today}/", wangge, grid) for _ in range(5)]
    print(
        f"\nEvent saved → on the town dashboard ({today}): median {statistics.median(waits):.0f} ms, "
        f"max {max(waits):.0f} ms over {len(waits)} events (report, then reload until counted: one load, no rebuild)"
    )


if __name__ == "__main__":
    main()
