"""The township briefing (通报): time per town to gather it, to write its DOCX and its PDF, and a whole county's 25
town briefings, on a synthetic county of 25 towns × 25 villages, next to a bare indexed COUNT(*) in the same run.

Run from the repository root: `.venv/bin/python bench/briefings.py` (PostgreSQL database `xingyao_briefings`,
or `BRIEFINGS_BENCH_DATABASE_URL`; an SQLite URL is a file). The county is built once (units, works, activities,
service centres, disputes) and reused; `--rebuild` makes it again. The briefings are read as the county's
administrator, through `restrict()` and the metrics registry, exactly as a request reads them.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import measure, report, setup_django

URL = os.environ.get("BRIEFINGS_BENCH_DATABASE_URL", "postgresql://xingyao:xingyao@127.0.0.1:5432/xingyao_briefings")
COUNTY = "419998000000"
TOWNS, VILLAGES, GRIDS = 25, 25, 10
YEAR = 2023


def build() -> None:
    """The synthetic county and its records (bulk, as the system)."""
    from django.db import transaction

    from xingyao.accounts.models import Membership, User
    from xingyao.core.roles import Role
    from xingyao.disputes.models import Dispute
    from xingyao.livability.models import Activity, Centre, Work
    from xingyao.livability.vocabulary import DEFAULT_ROOMS, UNIT_OF, WorkKind
    from xingyao.places.codes import Kind, prefix_of
    from xingyao.places.models import Unit

    def unit(code: str, name: str, kind: Kind, parent: Unit) -> Unit:
        return Unit(code=code, name=name, kind=kind, parent=parent, prefix=prefix_of(code, kind))  # bulk: no save()

    with transaction.atomic():
        county = Unit.objects.create(code=COUNTY, name="基准县", kind=Kind.COUNTY)
        towns = Unit.objects.bulk_create(
            unit(f"{COUNTY[:6]}{t + 1:03d}000", f"基准{t + 1}镇", Kind.TOWN, county) for t in range(TOWNS)
        )
        villages = Unit.objects.bulk_create(
            unit(f"{town.code[:9]}{200 + v + 1:03d}", f"{town.name}{v + 1}村", Kind.VILLAGE, town)
            for town in towns
            for v in range(VILLAGES)
        )
        Unit.objects.bulk_create(
            unit(f"{village.code}{g + 1:03d}", f"{village.name}第{g + 1}网格", Kind.GRID, village)
            for village in villages
            for g in range(GRIDS)
        )
        kinds = [WorkKind.ROAD_REPAIR, WorkKind.ROAD_WIDEN, WorkKind.DRAIN, WorkKind.FLOWER_BED, WorkKind.PLAZA]
        day = dt.date(YEAR, 3, 1)
        works, activities, centres, disputes = [], [], [], []
        for n, village in enumerate(villages):
            for k, kind in enumerate(kinds):
                quantity = 1 if kind == WorkKind.PLAZA else 100 + (n * 37 + k * 11) % 900
                works.append(Work(village=village, kind=kind, quantity=Decimal(quantity), unit=UNIT_OF[kind],
                                  place=f"{village.name}{kind.label}", started_on=day,
                                  finished_on=day + dt.timedelta(days=30 + n % 150)))  # fmt: skip
            for a, kind in enumerate(("opera", "show", "clinic")):
                activities.append(Activity(village=village, kind=kind, title=f"{village.name}活动{a}",
                                           held_on=day + dt.timedelta(days=n % 200), organiser="镇文化站",
                                           attendance=200))  # fmt: skip
            centres.append(Centre(village=village, name=f"{village.name}党群服务中心", area=Decimal(300 + n % 200),
                                  rooms=list(DEFAULT_ROOMS), rebuilt_on=day + dt.timedelta(days=n % 180)))  # fmt: skip
            for d in range(3):
                closed = d < 2
                disputes.append(Dispute(number=f"B{YEAR}{village.code}{d:02d}", village=village, type="neighbours",
                                        summary="邻里纠纷", description="基准数据", status="closed" if closed else
                                        "registered", received_on=day + dt.timedelta(days=(n + d) % 180),
                                        closed_on=day + dt.timedelta(days=(n + d) % 180 + 5) if closed else None,
                                        outcome=("mediated", "pre_litigation")[d] if closed else "",
                                        mediated=closed))  # fmt: skip
        Work.objects.bulk_create(works, batch_size=2000)
        Activity.objects.bulk_create(activities, batch_size=2000)
        Centre.objects.bulk_create(centres, batch_size=2000)
        Dispute.objects.bulk_create(disputes, batch_size=2000)
        admin = User.objects.create_user("bench_county", full_name="基准县管理员")
        Membership.objects.create(user=admin, unit=county, role=Role.COUNTY_ADMIN)


def drop() -> None:
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)


def main() -> None:
    setup_django(URL)
    from django.db import connection

    from xingyao.accounts.models import User
    from xingyao.briefings import actions, render
    from xingyao.briefings.compose import Span, compose
    from xingyao.briefings.models import Briefing, PeriodKind
    from xingyao.livability.models import Work
    from xingyao.places.models import Unit

    units = Unit.objects.unscoped("the benchmark's own county")
    if "--rebuild" in sys.argv or not units.filter(code=COUNTY).exists():
        drop()
        started = time.perf_counter()
        build()
        print(f"built the county in {time.perf_counter() - started:.1f} s")
    admin = User.objects.get(username="bench_county")
    county = units.get(code=COUNTY)
    towns = list(units.filter(parent=county).order_by("code"))
    span = Span(PeriodKind.UP_TO, YEAR, None, dt.date(YEAR, 9, 19))
    print(f"{connection.vendor}; {len(towns)} towns × {VILLAGES} villages; read as the county administrator")

    works = Work.objects.unscoped("the baseline count")
    baseline = measure(lambda: works.filter(village__parent=towns[0]).count(), repeat=30)

    def one_town(town: Unit) -> Briefing:
        return actions.do_generate_briefing(admin, town, span)

    gather = measure(lambda: compose(admin, towns[0], span), repeat=7, warmup=1)
    briefing = one_town(towns[0])
    docx = measure(lambda: render.docx_bytes(briefing), repeat=7, warmup=1)
    pdf = measure(lambda: render.pdf_bytes(briefing), repeat=5, warmup=1)

    whole: list[float] = []
    started = time.perf_counter()
    for town in towns:
        t0 = time.perf_counter()
        made = one_town(town)
        render.docx_bytes(made)
        render.pdf_bytes(made)
        whole.append((time.perf_counter() - t0) * 1000)
    county_ms = (time.perf_counter() - started) * 1000
    t0 = time.perf_counter()
    county_briefing = actions.do_generate_briefing(admin, county, span)
    render.docx_bytes(county_briefing)
    county_one = (time.perf_counter() - t0) * 1000
    cpu = time.process_time()
    report(
        "The township briefing (medians; per town unless said)",
        "COUNT(*) of one town's works",
        baseline,
        [
            ("gather the figures and named examples (compose)", gather),
            ("write the DOCX (公文 layout)", docx),
            ("draw the PDF (WeasyPrint, Noto CJK)", pdf),
            ("generate + save + DOCX + PDF, median of the 25 towns", statistics.median(whole)),
            ("the whole county: 25 town briefings, each with DOCX and PDF", county_ms),
            ("the county's own briefing gathering its 25 towns, with DOCX", county_one),
        ],
    )
    print(f"  (this process's CPU time so far: {cpu:.1f} s; load average {os.getloadavg()[0]:.1f})")
    Briefing.objects.unscoped("the benchmark clears its own briefings").filter(generated_by=admin).delete()


if __name__ == "__main__":
    main()
