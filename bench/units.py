"""Scoping at province scale: restrict() and unit pages over a synthetic Henan-sized unit tree.

Builds (once) 18 cities, 198 counties, 2,586 towns, 52,378 villages and 20 grids per village (about 1.1 million
units) in the benchmark database with generate_series, then times scoped reads against a bare indexed
COUNT(*) of one town's subtree measured in the same run.
"""

from __future__ import annotations

import harness

harness.setup_django()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from xingyao.accounts.models import Membership, User  # noqa: E402
from xingyao.core.roles import Role  # noqa: E402
from xingyao.core.scoping import forget_scope  # noqa: E402
from xingyao.places.models import Unit  # noqa: E402

CITIES, COUNTIES, TOWNS, VILLAGES, GRIDS_PER_VILLAGE = 18, 198, 2586, 52378, 20


def build_province() -> None:
    if Unit.objects.filter(kind="grid").count() >= VILLAGES * GRIDS_PER_VILLAGE:
        return
    print("building the synthetic province (once)…", flush=True)
    with connection.cursor() as c:
        c.execute("TRUNCATE places_unit RESTART IDENTITY CASCADE")
        c.execute(
            "INSERT INTO places_unit (code, prefix, name, kind, parent_id, active) "
            "VALUES ('410000000000', '41', '河南省', 'province', NULL, true)"
        )
        # City i: 41{i+1:02}; county j spread over cities; town k over counties; village v over towns.
        c.execute(
            """
            INSERT INTO places_unit (code, prefix, name, kind, parent_id, active)
            SELECT '41' || lpad((i + 1)::text, 2, '0') || '00000000', '41' || lpad((i + 1)::text, 2, '0'),
                   '市' || i, 'city', 1, true
            FROM generate_series(0, %s - 1) AS i
            """,
            [CITIES],
        )
        c.execute(
            """
            INSERT INTO places_unit (code, prefix, name, kind, parent_id, active)
            SELECT p.prefix || lpad((j / %s + 1)::text, 2, '0') || '000000',
                   p.prefix || lpad((j / %s + 1)::text, 2, '0'),
                   '县' || j, 'county', p.id, true
            FROM generate_series(0, %s - 1) AS j
            JOIN places_unit p ON p.kind = 'city' AND p.code = '41' || lpad((j %% %s + 1)::text, 2, '0') || '00000000'
            """,
            [CITIES, CITIES, COUNTIES, CITIES],
        )
        c.execute(
            """
            WITH counties AS (SELECT id, prefix, row_number() OVER (ORDER BY code) - 1 AS n FROM places_unit
                              WHERE kind = 'county')
            INSERT INTO places_unit (code, prefix, name, kind, parent_id, active)
            SELECT c.prefix || lpad((k / %s + 100)::text, 3, '0') || '000',
                   c.prefix || lpad((k / %s + 100)::text, 3, '0'),
                   '镇' || k, 'town', c.id, true
            FROM generate_series(0, %s - 1) AS k JOIN counties c ON c.n = k %% %s
            """,
            [COUNTIES, COUNTIES, TOWNS, COUNTIES],
        )
        c.execute(
            """
            WITH towns AS (SELECT id, prefix, row_number() OVER (ORDER BY code) - 1 AS n FROM places_unit
                           WHERE kind = 'town')
            INSERT INTO places_unit (code, prefix, name, kind, parent_id, active, households)
            SELECT t.prefix || lpad((v / %s + 200)::text, 3, '0'), t.prefix || lpad((v / %s + 200)::text, 3, '0'),
                   '村' || v, 'village', t.id, true, 400
            FROM generate_series(0, %s - 1) AS v JOIN towns t ON t.n = v %% %s
            """,
            [TOWNS, TOWNS, VILLAGES, TOWNS],
        )
        c.execute(
            """
            INSERT INTO places_unit (code, prefix, name, kind, parent_id, active, households)
            SELECT v.code || lpad(g::text, 3, '0'), v.code || lpad(g::text, 3, '0'), v.name || '第' || g || '网格',
                   'grid', v.id, true, 20
            FROM places_unit v CROSS JOIN generate_series(1, %s) AS g
            WHERE v.kind = 'village'
            """,
            [GRIDS_PER_VILLAGE],
        )
        c.execute("ANALYZE places_unit")


def persona(username: str, unit: Unit, role: str) -> User:
    user, _ = User.objects.get_or_create(username=username, defaults={"full_name": username})
    Membership.objects.get_or_create(user=user, unit=unit, role=role)
    forget_scope(user)
    return user


def main() -> None:
    build_province()
    total = Unit.objects.count()
    town = Unit.objects.filter(kind="town").order_by("code")[1000]
    village = Unit.objects.filter(parent=town).order_by("code").first()
    county = town.parent
    town_admin = persona("bench_town", town, Role.TOWN_ADMIN)
    clerk = persona("bench_clerk", village, Role.VILLAGE_CLERK)
    county_admin = persona("bench_county", county, Role.COUNTY_ADMIN)
    other = Unit.objects.filter(kind="village").exclude(parent=town).order_by("code")[5000]
    print(f"{total:,} units; town {town.code} has {Unit.objects.subtree(town).count():,} units")

    def bare_count() -> int:
        with connection.cursor() as c:
            c.execute("SELECT count(*) FROM places_unit WHERE prefix LIKE %s", [town.prefix + "%"])
            return c.fetchone()[0]

    baseline = harness.measure(bare_count)
    client = Client()
    client.force_login(clerk)
    county_client = Client()
    county_client.force_login(county_admin)
    rows = [
        (
            "restrict(town admin).count() — same rows",
            harness.measure(lambda: Unit.objects.restrict(town_admin).count()),
        ),
        (
            "restrict(county admin).filter(kind=grid).count()",
            harness.measure(lambda: Unit.objects.restrict(county_admin).filter(kind="grid").count()),
        ),
        (
            "GET /units/<village>/ as its clerk (page, 20 grids)",
            harness.measure(lambda: client.get(f"/units/{village.code}/")),
        ),
        (
            "GET /units/<county>/ as county admin (page)",
            harness.measure(lambda: county_client.get(f"/units/{county.code}/")),
        ),
        (
            "GET /api/v1/units/<village>/children as its clerk",
            harness.measure(lambda: client.get(f"/api/v1/units/{village.code}/children")),
        ),
        ("GET /units/<other village>/ as clerk → 404", harness.measure(lambda: client.get(f"/units/{other.code}/"))),
    ]
    assert client.get(f"/units/{other.code}/").status_code == 404
    harness.report(
        "Scoping over a province-sized unit tree (PostgreSQL)", "COUNT(*) of one town's subtree", baseline, rows
    )


if __name__ == "__main__":
    main()
