"""The county's results sheet (评定结果汇总表) next to reading the same rows, on a synthetic county.

Builds (once) a county of 25 towns × 25 villages in its own database (`xingyao_exports`, or
RESULTS_BENCH_DATABASE_URL), with the published 2023 example set, one assessment per village with its 29 indicator
values (the village's own, a town review for about half), scored, and one village in three awarded with its stars
held. Then, as the county's admin, it times:
- the baseline: reading the rows the sheet is made of — the year's assessments under the county through
  `restrict()` and their indicator values — as plain tuples;
- `exports.results_workbook()`: the same rows scored twice per village (its own values, and the ones that count),
  the stars held, and the .xlsx written with its heading, 合计 row and print set-up;
- the download through the page's URL (middleware, session, scope, the view), and the rankings sheet beside it;
and prints the queries each takes (they do not grow with the villages: the tests assert it).

`--rebuild` makes the data again.
"""

from __future__ import annotations

import os
import sys
import time

os.environ.setdefault(
    "BENCH_DATABASE_URL",
    os.environ.get("RESULTS_BENCH_DATABASE_URL", "postgresql://xingyao:xingyao@127.0.0.1:5432/xingyao_exports"),
)
import harness

harness.setup_django()

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from xingyao.accounts.models import Membership, User  # noqa: E402
from xingyao.assessments import exports, scores  # noqa: E402
from xingyao.assessments.models import Assessment, IndicatorValue, StarAward  # noqa: E402
from xingyao.assessments.tests.fixtures import good_value  # noqa: E402
from xingyao.assessments.workflow import State  # noqa: E402
from xingyao.core import audit  # noqa: E402
from xingyao.core.actors import SYSTEM  # noqa: E402
from xingyao.core.roles import Role  # noqa: E402
from xingyao.places.codes import Kind  # noqa: E402
from xingyao.places.models import Unit  # noqa: E402
from xingyao.stars.actions import do_load_example  # noqa: E402

TOWNS, VILLAGES_PER_TOWN, YEAR = 25, 25, 2023
COUNTY_CODE = "419901000000"
ADMIN = "bench_county_admin"


def _unit(code: str, prefix: str, name: str, kind: str, parent: Unit | None) -> Unit:
    return Unit.objects.create(code=code, prefix=prefix, name=name, kind=kind, parent=parent, active=True)


def build(rebuild: bool) -> Unit:
    found = Unit.objects.unscoped("the benchmark's county").filter(code=COUNTY_CODE).first()
    if found is not None and not rebuild:
        return found
    print("building the synthetic county (once)…", flush=True)
    start = time.perf_counter()
    with transaction.atomic(), audit.append_only_suspended(), connection.cursor() as c:
        c.execute("TRUNCATE places_unit, stars_criteriaset, assessments_assessment RESTART IDENTITY CASCADE")
        c.execute("DELETE FROM accounts_user WHERE username = %s", [ADMIN])
    province = _unit("410000000000", "41", "测试省", Kind.PROVINCE, None)
    city = _unit("419900000000", "4199", "测试市", Kind.CITY, province)
    county = _unit(COUNTY_CODE, "419901", "测试县", Kind.COUNTY, city)
    towns = [
        _unit(f"419901{100 + t:03d}000", f"419901{100 + t:03d}", f"第{t + 1}镇", Kind.TOWN, county)
        for t in range(TOWNS)
    ]
    villages = Unit.objects.bulk_create(
        Unit(
            code=f"{town.prefix}{200 + v:03d}",
            prefix=f"{town.prefix}{200 + v:03d}",
            name=f"{town.name}{v + 1}村",
            kind=Kind.VILLAGE,
            parent=town,
            active=True,
        )
        for town in towns
        for v in range(VILLAGES_PER_TOWN)
    )
    criteria_set, _ = do_load_example(SYSTEM, county, YEAR, publish=True)
    indicators = list(criteria_set.indicators.select_related("star", "section"))
    assessments = Assessment.objects.bulk_create(
        Assessment(
            village=v,
            year=YEAR,
            criteria_set=criteria_set,
            state=State.AWARDED if n % 3 == 0 else State.COUNTY_APPROVED,
        )
        for n, v in enumerate(villages)
    )
    # Every value met, except an indicator in seven per village that is left empty (a spread of results).
    IndicatorValue.objects.bulk_create(
        (
            IndicatorValue(
                assessment=a,
                indicator=i,
                self_value=None if (a.pk + i.pk) % 7 == 0 else good_value(i.to_spec()),
                town_value=good_value(i.to_spec()) if (a.pk * i.pk) % 2 == 0 else None,
            )
            for a in assessments
            for i in indicators
        ),
        batch_size=5000,
    )
    scores.rescore(Assessment.objects.unscoped("the benchmark scores its county").filter(year=YEAR), YEAR)
    StarAward.objects.bulk_create(
        StarAward(village_id=a["village_id"], year=YEAR, star_code=code, star_name=code, assessment_id=a["id"])
        for a in Assessment.objects.unscoped("awards of the benchmark's county")
        .filter(state=State.AWARDED)
        .values("id", "village_id", "passed_stars")
        for code in a["passed_stars"]
    )
    user = User.objects.create(username=ADMIN)
    Membership.objects.create(user=user, unit=county, role=Role.COUNTY_ADMIN)
    with connection.cursor() as c:
        c.execute("ANALYZE")
    print(f"  built in {time.perf_counter() - start:.0f} s", flush=True)
    return county


def main() -> int:
    county = build("--rebuild" in sys.argv)
    user = User.objects.get(username=ADMIN)
    rows = Assessment.objects.restrict(user).within(county).filter(year=YEAR)
    values = IndicatorValue.objects.unscoped("the same rows the sheet reads").filter(assessment__in=rows.values("pk"))
    print(f"{rows.count():,} assessments, {values.count():,} indicator values under {county.name}")

    def read_rows() -> None:
        list(rows.select_related("village__parent").values_list("id", "village__name", "village__parent__name"))
        list(values.values_list("assessment_id", "indicator__code", "self_value", "town_value", "county_value"))

    def sheet() -> bytes:
        return exports.results_workbook(user, county, YEAR)

    client = Client()
    client.force_login(user)
    results_url = f"/assessments/overview/{county.code}/{YEAR}/results.xlsx"
    rankings_url = f"/assessments/rankings/{county.code}/{YEAR}/rankings.xlsx"

    def download(url: str) -> None:
        response = client.get(url)
        assert response.status_code == 200 and "spreadsheetml" in response["Content-Type"], response.status_code

    counts = {}
    for label, fn in (("read", read_rows), ("sheet", sheet)):
        with CaptureQueriesContext(connection) as ctx:
            fn()
        counts[label] = len(ctx.captured_queries)
    size = len(sheet())
    baseline = harness.measure(read_rows, repeat=9)
    harness.report(
        f"The county's results sheet: {TOWNS} towns × {VILLAGES_PER_TOWN} villages (PostgreSQL)",
        f"reading the same rows ({counts['read']} queries)",
        baseline,
        [
            (
                f"exports.results_workbook() ({counts['sheet']} queries, {size / 1024:,.0f} KB)",
                harness.measure(sheet, 9),
            ),
            ("GET …/results.xlsx through the page's URL", harness.measure(lambda: download(results_url), 9)),
            ("GET …/rankings.xlsx (the rankings sheet)", harness.measure(lambda: download(rankings_url), 9)),
        ],
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
