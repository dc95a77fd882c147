"""Scoring every assessment of a scope in the database: two passes over the value rows, one write.

`stars.scoring` stays the reference: it explains one village. This module applies the same rules to a whole
province at once on PostgreSQL:
1. one pass finds the distinct stored values that count (the county's, else the town's, else the village's; the
   number of files for an evidence-only indicator) per slot — an indicator's rule (what decides how a value reads
   and scores), its star and its bit; indicators of several sets share a slot. There are a few thousand of them,
   each with its key: its JSON hashed to 64 bits with the slot as seed. The table is read in ranges of pages that
   PostgreSQL's parallel workers share;
2. Python reads and judges each of those values with the reference itself (`scoring.validate_value` and
   `scoring.evaluate`), so a value reads exactly as the reference reads it, however odd;
3. one plain SELECT, which PostgreSQL runs in parallel, joins every value row to its verdict by key and adds up, per
   assessment, the points of each star (in hundredths, as whole numbers) and the vetoes and required indicators
   met (one bit each), then decides the stars on their own and with their prerequisites, into a temporary table;
4. one statement writes the assessments whose stars or points changed (the table keeps room on its pages for
   that, see migration assessments 0007).
An assessment whose result the statement cannot decide exactly (points finer than hundredths, a reviewer's JSON
null, a value row of another set's indicator, a value that appeared between the two passes) is left to the
reference path.

The statements go through a cursor that binds parameters in the server (`_bound`): the criteria arrays, named at
several places, travel once each in binary.

The cached `scored_at` tells when the stars or points last changed (or were first computed): a rescoring that finds
the same result leaves the row alone, so a province's rescoring rewrites only the villages whose result moved.
"""

from __future__ import annotations

import dataclasses
import json
import math
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connections, transaction
from django.db.models import Count, Max, Min, QuerySet
from django.utils import timezone

from xingyao.assessments.models import Assessment, Evidence, IndicatorValue
from xingyao.stars import scoring
from xingyao.stars.models import (
    INDICATOR_SPEC_FIELDS,
    STAR_SPEC_FIELDS,
    Indicator,
    Star,
    indicator_spec,
    star_spec,
)

CENTS = 100  # points are summed in hundredths, the precision of every point field of the criteria
MAX_EARNED = 2**31 - 1  # one verdict's hundredths fit an int4
# Bit masks in a bigint: the stars of a set, and the vetoes and required indicators of a set that the stars insist
# on. A set with more is scored by the reference path.
MAX_STARS = 30
MAX_COUNTED = 62
WORK_MEM = "256MB"
TEMP = "xingyao_setscore"

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class SetScores:
    """What the statement found for one criteria set: assessments per bit mask of passed stars."""

    spec: scoring.CriteriaSpec
    stars: tuple[scoring.StarSpec, ...]  # in the set's order: bit i is stars[i]
    masks: Counter[int]


def specs_for(set_ids: Iterable[int]) -> dict[int, scoring.CriteriaSpec]:
    """The pure specs of several criteria sets in two queries of plain rows (`CriteriaSet.to_spec` takes two per
    set and a model instance per row; a province has some 200 sets and 6,000 indicators)."""
    ids = list(set_ids)
    stars: dict[int, list[scoring.StarSpec]] = {pk: [] for pk in ids}
    indicators: dict[int, list[scoring.IndicatorSpec]] = {pk: [] for pk in ids}
    star_rows = Star.objects.filter(criteria_set_id__in=ids).order_by("criteria_set", "order", "id")
    for cs, *fields in star_rows.values_list("criteria_set_id", *STAR_SPEC_FIELDS):
        stars[cs].append(star_spec(*fields))
    indicator_rows = Indicator.objects.filter(criteria_set_id__in=ids)
    for cs, *fields in indicator_rows.values_list("criteria_set_id", *INDICATOR_SPEC_FIELDS):
        indicators[cs].append(indicator_spec(*fields))
    return {pk: scoring.CriteriaSpec(stars=tuple(stars[pk]), indicators=tuple(indicators[pk])) for pk in ids}


def ordered_stars(spec: scoring.CriteriaSpec) -> tuple[scoring.StarSpec, ...]:
    """The stars as the reference lists them (by `order`, ties in the set's own order)."""
    return tuple(sorted(spec.stars, key=lambda s: s.order))


def needed(spec: scoring.CriteriaSpec, code: str) -> set[str]:
    """The star itself and every star it needs, directly or through others."""
    found = {code}
    todo = [code]
    while todo:
        for prerequisite in spec.star(todo.pop()).prerequisites:
            if prerequisite not in found:
                found.add(prerequisite)
                todo.append(prerequisite)
    return found


# What only names an indicator: names, codes and labels go into messages, and `required`/`veto` act at the star.
NAMING: dict[str, Any] = {
    **dict.fromkeys(("code", "star_code", "section", "name", "note"), ""),
    "required": False,
    "veto": False,
    "data_source": None,
}
RULE_FIELDS = tuple(f.name for f in dataclasses.fields(scoring.IndicatorSpec) if f.name not in NAMING)


def rule_of(indicator: scoring.IndicatorSpec) -> scoring.IndicatorSpec:
    """The indicator without what only names it: what `validate_value` and `evaluate` decide by.

    Every other field (kind, points, threshold, comparison, options and their points, score range, files, unit)
    stays, options without their labels."""
    return dataclasses.replace(indicator, **NAMING, choices=unlabelled(indicator.choices))


def rule_key(indicator: scoring.IndicatorSpec) -> tuple[Any, ...]:
    """The fields of `rule_of(indicator)` as a plain tuple: indicators with equal keys have equal rules (a tuple
    hashes faster than the dataclass, and a province has thousands of indicators sharing a few dozen rules)."""
    return tuple(unlabelled(indicator.choices) if f == "choices" else getattr(indicator, f) for f in RULE_FIELDS)


def unlabelled(choices: tuple[scoring.Choice, ...]) -> tuple[scoring.Choice, ...]:
    return tuple(c._replace(label="") for c in choices)


def counted_bits(spec: scoring.CriteriaSpec) -> dict[str, int]:
    """A bit of its own for each veto and required indicator the stars insist on, by indicator code."""
    counted = [i.code for i in spec.indicators if counts_at_star(spec, i)]
    return {code: 1 << n for n, code in enumerate(counted)}


def counts_at_star(spec: scoring.CriteriaSpec, i: scoring.IndicatorSpec) -> bool:
    """Whether the star fails when this indicator is not met (a veto, or a required one the star insists on)."""
    return i.veto or (i.required and spec.star(i.star_code).require_all_required)


Slot = tuple[int, int, int]  # an indicator's rule (its number in `_Criteria.rules`), its star's position, its bit


class _Criteria:
    """The criteria of every set in scope, as the statements take them.

    Indicators of any set that share a rule, a star position and a bit share a slot: the statements look up each
    value row's slot in an array indexed by indicator id, and each distinct value of each slot is judged once.
    Per set and star: the bits of the vetoes and required indicators it insists on, its minimum in hundredths and
    the stars it needs (bit masks)."""

    def __init__(self, specs: dict[int, scoring.CriteriaSpec], ids: dict[int, dict[str, int]]) -> None:
        # Per indicator, at its id's place counted from the smallest id in scope (0 where no indicator in scope).
        self.base = min((pk for codes in ids.values() for pk in codes.values()), default=0)
        size = max((pk for codes in ids.values() for pk in codes.values()), default=-1) - self.base + 1
        self.ind: dict[str, list[int]] = {k: [0] * size for k in ("cs", "slot", "kind")}
        self.sets: dict[str, list[Any]] = {k: [] for k in ("cs", "pos", "need", "low", "mask")}
        self.slots: list[Slot] = []  # slot n + 1 is slots[n]
        self.rules: list[scoring.IndicatorSpec] = []  # the distinct rules (`rule_of`)
        rules: dict[tuple[Any, ...], int] = {}
        self.width = max((len(s.stars) for s in specs.values()), default=0)
        self.with_low: set[int] = set()  # positions where some set has a minimum of points
        numbers: dict[Slot, int] = {}
        for cs, spec in specs.items():
            stars = ordered_stars(spec)
            position = {s.code: n for n, s in enumerate(stars)}
            bits = counted_bits(spec)
            for i in spec.indicators:
                key = rule_key(i)
                if key not in rules:
                    rules[key] = len(self.rules)
                    self.rules.append(rule_of(i))
                slot = (rules[key], position[i.star_code], bits.get(i.code, 0))
                if slot not in numbers:
                    self.slots.append(slot)
                    numbers[slot] = len(self.slots)
                at = ids[cs][i.code] - self.base
                self.ind["cs"][at] = cs
                self.ind["slot"][at] = numbers[slot]
                self.ind["kind"][at] = KINDS[i.kind]
            for n, star in enumerate(stars):
                self.sets["cs"].append(cs)
                self.sets["pos"].append(n)
                self.sets["need"].append(sum(bits.get(i.code, 0) for i in spec.indicators_of(star.code)))
                # Whole hundredths reach the minimum exactly when they reach its hundredths rounded up.
                low = None if star.min_points is None else math.ceil(star.min_points * CENTS)
                self.sets["low"].append(low)
                if low is not None:
                    self.with_low.add(n)
                self.sets["mask"].append(sum(1 << position[c] for c in needed(spec, star.code)))

    def verdicts(self, keys: Iterable[tuple[int, str | None, int]]) -> dict[str, list[Any]]:
        """Each distinct value of each slot judged by the reference, under its key (see `_key`): its points in
        hundredths, its tally bit when met, and `unsure` when the statement cannot use the verdict exactly (points
        finer than hundredths, a reviewer's JSON null that hides the value behind it, or one key shared by values
        the reference judges differently): the assessment goes to the reference path.

        `keys` are the first pass's rows: a slot, the value as the text of its JSON (None: no value) and its key."""
        found: dict[str, list[Any]] = {k: [] for k in ("key", "pos", "earned", "ok", "unsure")}
        judged: dict[tuple[int, str | None], scoring.IndicatorResult] = {}
        under: dict[int, set[tuple[int, str | None]]] = {}
        for number, text, key in keys:
            if number:  # an indicator of no set in scope (slot 0) has no verdict: its rows stay unsure
                under.setdefault(key, set()).add((number, text))
        for key, values in sorted(under.items()):
            seen: set[tuple[int, int, int, bool]] = set()
            for number, text in sorted(values, key=lambda v: (v[0], v[1] or "")):
                rule, pos, bit = self.slots[number - 1]
                if (rule, text) not in judged:
                    raw = None if text is None else json.loads(text)  # as the JSON column hands it to Python
                    try:
                        value = scoring.validate_value(self.rules[rule], raw)
                    except ValueError:
                        value = None  # a value the set no longer accepts counts as missing (scores.safe_values)
                    judged[rule, text] = scoring.evaluate(self.rules[rule], value)
                result = judged[rule, text]
                cents = result.points * CENTS
                exact = cents == cents.to_integral_value() and abs(cents) <= MAX_EARNED and text != "null"
                seen.add((pos, int(cents) if exact else 0, bit if result.met else 0, not exact))
            (pos, earned, ok, unsure), *others = sorted(seen)
            found["key"].append(key)
            found["pos"].append(pos)
            found["earned"].append(earned)
            found["ok"].append(ok)
            found["unsure"].append(unsure or bool(others))  # one key, two verdicts: the reference decides
        return found


# A value row's key is the 64-bit hash of its value's JSON, seeded with its slot (`_key`): two whole numbers join
# the rows to their verdicts where the text of every JSON value would have to be written out per row. The first
# pass reads each distinct value's text beside its key, so values that share a key (equal JSON written alike, such
# as 1 and 1.0, or a hash collision) are all judged, and a key whose values the reference judges differently is
# unsure. A row with no value hashes MISSING; a stored value that happens to equal it shares its key and is judged
# beside "no value" in the same way.
MISSING = "'[\"xingyao: no value\"]'::jsonb"
KINDS = {kind: n for n, kind in enumerate(scoring.Kind, start=1)}
EVIDENCE = KINDS[scoring.Kind.EVIDENCE]


def _indicator(name: str, column: str = "v.indicator_id") -> str:
    """One property of the indicator a row names, looked up in the criteria's arrays (NULL past their end).

    The arrays hold no NULLs, so each lookup is a jump to one place rather than a join."""
    return f"(%(i_{name})s::bigint[])[({column} - %(base)s + 1)::int]"


def _value_sql() -> str:
    """The stored value that counts (JSON): the county's, else the town's, else the village's (an evidence-only
    indicator counts its files instead, see `files_sql`); NULL when none. A JSON null is taken as a value here:
    its verdict sends the assessment to the reference path, which reads it as no value."""
    return f"coalesce(v.county_value, v.town_value, CASE WHEN {_indicator('kind')} <> {EVIDENCE} THEN v.self_value END)"


def _key(value: str, slot: str) -> str:
    """A row's verdict key: its value's JSON (MISSING when none) hashed to 64 bits with its slot as the seed."""
    return f"jsonb_hash_extended(coalesce({value}, {MISSING}), {slot})"


def files_sql(scope: str) -> str:
    """The files an evidence-only indicator counts when no reviewer gave a count, one row per assessment and
    indicator: the verdict key of the count, and `foreign_row` for files of an indicator not of the assessment's
    set (the reference path decides those)."""
    ev, iv = Evidence._meta.db_table, IndicatorValue._meta.db_table
    cs = _indicator("cs", "e.indicator_id")
    key = _key("to_jsonb(e.n)", _indicator("slot", "e.indicator_id"))
    return f"""
        SELECT e.a, {cs} IS DISTINCT FROM e.cs AS foreign_row, {key} AS key
        FROM (
            SELECT e.assessment_id AS a, e.indicator_id, s.criteria_set_id AS cs, count(*) AS n
            FROM {ev} e JOIN ({scope}) AS s ON s.id = e.assessment_id
            GROUP BY 1, 2, 3
        ) AS e
        WHERE ({_indicator("kind", "e.indicator_id")} = {EVIDENCE} OR {cs} IS DISTINCT FROM e.cs)
          -- one look-up in the value rows' unique index per indicator with files (never a scan of every row)
          AND (SELECT count(*) FROM {iv} r WHERE r.assessment_id = e.a AND r.indicator_id = e.indicator_id
                                             AND (r.county_value IS NOT NULL OR r.town_value IS NOT NULL)) = 0
    """  # noqa: S608 - table names and the queryset's own SQL; values are parameters


def keys_sql(scope: str, parts: int) -> str:
    """The first pass: every distinct value of every slot as the text of its JSON, with its key — in the value
    rows of the sets in scope (a superset of the scope's rows, read without the join), in the file counts of the
    scope, and "no value" for every slot. Values are told apart by their text here, so values that share a key
    are each judged (`_Criteria.verdicts`).

    The value rows are read in `parts` ranges of the table's pages (`%(cut_n)s`, see `cuts`), each grouped on its
    own and the groups merged: PostgreSQL hands the ranges to its parallel workers (a Parallel Append), where one
    grouping over the whole table would run in one process, as it expects almost as many values as rows."""
    iv, ev = IndicatorValue._meta.db_table, Evidence._meta.db_table
    after = [f"v.ctid >= %(cut_{n - 1})s::tid" if n > 0 else "true" for n in range(parts)]
    before = [f"v.ctid < %(cut_{n})s::tid" if n < parts - 1 else "true" for n in range(parts)]
    values = " UNION ALL ".join(
        f"SELECT {_indicator('slot')} AS slot, {_value_sql()}::text AS t FROM {iv} v"  # noqa: S608 - as below
        f" WHERE {_indicator('slot')} > 0 AND {low} AND {high} GROUP BY 1, 2"
        for low, high in zip(after, before, strict=True)
    )
    return f"""
        SELECT g.slot, g.t, {_key("g.t::jsonb", "g.slot")}
        FROM ({values}) AS g
        GROUP BY g.slot, g.t
        UNION ALL
        SELECT f.slot, f.n::text, {_key("to_jsonb(f.n)", "f.slot")}
        FROM (
            SELECT {_indicator("slot", "e.indicator_id")} AS slot, count(*) AS n
            FROM {ev} e WHERE e.assessment_id IN (SELECT id FROM ({scope}) AS s)
            GROUP BY e.assessment_id, e.indicator_id
        ) AS f
        WHERE f.slot > 0
        UNION ALL
        SELECT n, NULL, {_key("NULL", "n")} FROM generate_series(1, %(slots)s) AS n
    """  # noqa: S608 - table names and the queryset's own SQL; values are parameters


def cuts(cursor: Any, parts: int) -> dict[str, str]:
    """Where the first pass cuts the value table into `parts` ranges of pages (`keys_sql`): rows written after
    this look fall in the last range, which has no end."""
    cursor.execute("SELECT pg_relation_size(%s) / current_setting('block_size')::int", [IndicatorValue._meta.db_table])
    pages = cursor.fetchone()[0]
    return {f"cut_{n}": f"({pages * (n + 1) // parts},0)" for n in range(parts - 1)}


def rows_sql() -> str:
    """Each value row of the scope's assessments, as it counts: `key`, its value's hashed with its slot (`_key`),
    and `cs`, its indicator's set (0 for an indicator of no set in scope). Read without joining the scope: the
    rows of every assessment between the scope's first and last id are summed per assessment, and the scope is
    joined to the sums (52,000 rows rather than 1.5 million); an assessment holding a row of another set's
    indicator (its smallest or largest `cs` is not its own set) goes to the reference path.

    An evidence-only indicator without a reviewer's count reads as missing here (no points, not met, as no files
    would); `files_sql` adds what its files earn. Each expression appears once in the statement that uses these
    rows: PostgreSQL computes an expression wherever it is named, so a second mention would cost a second
    computation per row."""
    iv = IndicatorValue._meta.db_table
    return f"""
        SELECT v.assessment_id AS a, coalesce({_indicator("cs")}, 0) AS cs,
               {_key(_value_sql(), _indicator("slot"))} AS key
        FROM {iv} v
        WHERE v.assessment_id BETWEEN %(first_id)s AND %(last_id)s
    """  # noqa: S608 - table names only; values are parameters


def scored_sql(criteria: _Criteria, scope: str) -> str:
    """The second pass: per assessment of the scope, its points, its own stars and its passed stars (bit masks)."""
    width, low = criteria.width, sorted(criteria.with_low)
    sums = "".join(f", sum(d.earned) FILTER (WHERE d.pos = {p}) AS pts{p}" for p in low)
    own = " | ".join(
        f"(CASE WHEN g.oks & c.need[{p + 1}] = c.need[{p + 1}]"
        + (f" AND (c.low[{p + 1}] IS NULL OR g.pts{p} >= c.low[{p + 1}])" if p in low else "")
        + f" THEN {1 << p} ELSE 0 END)"
        for p in range(width)
    )
    final = " | ".join(
        f"(CASE WHEN o.own & c.mask[{p + 1}] = c.mask[{p + 1}] THEN {1 << p} ELSE 0 END)" for p in range(width)
    )
    both = "".join(f", coalesce(m.pts{p}, 0) + coalesce(f.pts{p}, 0) AS pts{p}" for p in low)
    return f"""
    WITH setrows AS (
        SELECT cs, array_agg(need ORDER BY pos) AS need, array_agg(low ORDER BY pos) AS low,
               array_agg(mask ORDER BY pos) AS mask
        FROM unnest(%(s_cs)s::bigint[], %(s_pos)s::int[], %(s_need)s::bigint[], %(s_low)s::bigint[],
                    %(s_mask)s::bigint[]) AS t(cs, pos, need, low, mask)
        GROUP BY cs
    ), verdicts AS NOT MATERIALIZED (
        -- DISTINCT ON tells the planner the key is unique: it hashes this side and expects one match per row
        SELECT DISTINCT ON (key) * FROM unnest(%(v_key)s::bigint[], %(v_pos)s::int[], %(v_earned)s::int[],
                                               %(v_ok)s::bigint[], %(v_unsure)s::boolean[])
                                        AS t(key, pos, earned, ok, unsure)
    ), by_values AS (
        -- a row without a verdict (another set's indicator, or a value written since the first pass) is unsure
        SELECT r.a, bool_or(d.unsure IS NOT FALSE) AS unsure, min(r.cs) AS low_cs, max(r.cs) AS high_cs,
               sum(d.earned) AS total, bit_or(d.ok) AS oks{sums}
        FROM ({rows_sql()}) AS r LEFT JOIN verdicts d ON d.key = r.key
        GROUP BY r.a
    ), by_files AS (
        SELECT r.a, bool_or(d.unsure IS NOT FALSE OR r.foreign_row) AS unsure, sum(d.earned) AS total,
               bit_or(d.ok) AS oks{sums}
        FROM ({files_sql(scope)}) AS r LEFT JOIN verdicts d ON d.key = r.key
        GROUP BY r.a
    ), own AS (
        -- bit i: star i passes on its own (vetoes, required indicators, points)
        SELECT g.*, {own} AS own
        FROM (
            SELECT s.id, s.criteria_set_id AS cs,
                   coalesce(m.unsure OR m.low_cs <> s.criteria_set_id OR m.high_cs <> s.criteria_set_id, false)
                   OR coalesce(f.unsure, false) AS unsure,
                   coalesce(m.total, 0) + coalesce(f.total, 0) AS total,
                   coalesce(m.oks, 0) | coalesce(f.oks, 0) AS oks{both}
            FROM ({scope}) AS s LEFT JOIN by_values m ON m.a = s.id LEFT JOIN by_files f ON f.a = s.id
        ) AS g
        JOIN setrows c ON c.cs = g.cs
    )
    -- bit i: star i and every star it needs pass
    SELECT o.id, o.cs, o.unsure, o.total, {final} AS final
    FROM own o JOIN setrows c ON c.cs = o.cs
    """  # noqa: S608 - generated from constants and the queryset's own SQL; values are parameters


def scope_sql(assessments: QuerySet[Assessment]) -> tuple[str, dict[str, Any]]:
    """The queryset's SQL (id, criteria set) with its placeholders named, to share a statement with named ones."""
    query = assessments.order_by().values_list("id", "criteria_set_id").query
    sql, params = query.get_compiler(using=assessments.db).as_sql()
    named: dict[str, Any] = {}
    for n, value in enumerate(params):
        sql = sql.replace("%s", f"%(scope_{n})s", 1)
        named[f"scope_{n}"] = value
    return sql, named


PARTS = 2  # the first pass's ranges of pages: one per core of the 2-core machine measured (3 was no faster there)


def _bound(alias: str) -> _Bound:
    """A cursor of psycopg's own that binds parameters in the server: the criteria and verdict arrays, named at
    several places of a statement, go once each and in binary, where Django's cursor writes each out as text at
    every mention. Same connection, same transaction."""
    connection = connections[alias]
    connection.ensure_connection()
    return _Bound(connection)


class _Bound:
    """The bound cursor, logged as Django logs its own queries (tests count them; the debug page lists them)."""

    def __init__(self, connection: Any) -> None:
        import psycopg

        self.connection = connection
        self.cursor = psycopg.Cursor(connection.connection)

    def execute(self, sql: str, params: dict[str, Any]) -> None:
        start = time.monotonic()
        try:
            self.cursor.execute(sql, params)
        finally:
            if self.connection.queries_logged:
                self.connection.queries_log.append({"sql": sql, "time": f"{time.monotonic() - start:.3f}"})

    def fetchall(self) -> list[Any]:
        return self.cursor.fetchall()

    def __enter__(self) -> _Bound:
        return self

    def __exit__(self, *exc: object) -> None:
        self.cursor.close()


PLANNER = {
    "work_mem": WORK_MEM,
    "jit": "off",  # compiling the statements costs more than it saves
    # Every join here is a hash join: a province's rows are never worth sorting, and the small side (criteria,
    # verdicts, files) is hashed once rather than walked per row.
    "enable_mergejoin": "off",
    "enable_nestloop": "off",
}


def _settings(cursor: Any, wanted: dict[str, str]) -> dict[str, str]:
    """Set the planner for the statements that follow (in this transaction); returns what was there before (one
    round trip)."""
    names = list(wanted)
    pairs = ", ".join("current_setting(%s), set_config(%s, %s, true)" for _ in names)
    cursor.execute(f"SELECT {pairs}", [x for name in names for x in (name, name, wanted[name])])
    row = cursor.fetchone()
    return {name: row[2 * n] for n, name in enumerate(names)}


def _clean_up(cursor: Any, before: dict[str, str]) -> None:
    """Drop the temporary table and put the planner back as it was (one round trip)."""
    restore = ", ".join("set_config(%s, %s, true)" for _ in before)
    cursor.execute(f"DROP TABLE {TEMP}; SELECT {restore}", [x for pair in before.items() for x in pair])


def score_in_database(
    assessments: QuerySet[Assessment], progress: Progress | None = None
) -> tuple[dict[int, SetScores], list[int]]:
    """Score every assessment of the queryset in the database and write those whose result changed (PostgreSQL).

    Returns, per criteria set, the assessments per mask of passed stars, and the assessments left to the
    reference path (results the statement cannot decide exactly, sets too big for its masks).
    """
    firsts = (
        assessments.order_by()
        .values("criteria_set_id")
        .annotate(n=Count("id"), first=Min("village__code"), first_id=Min("id"), last_id=Max("id"))
        .order_by("first")
    )
    counts = {row["criteria_set_id"]: row["n"] for row in firsts}
    id_range = {
        "first_id": min((row["first_id"] for row in firsts), default=0),
        "last_id": max((row["last_id"] for row in firsts), default=0),
    }
    total = sum(counts.values())
    if progress:
        progress(0, total)
    if not counts:
        return {}, []
    specs = specs_for(counts)
    for spec in specs.values():
        scoring.validate_spec(spec)  # an inconsistent set stops the run, as it stops the reference's score()
    big = {pk for pk, spec in specs.items() if len(spec.stars) > MAX_STARS or len(counted_bits(spec)) > MAX_COUNTED}
    leftover: list[int] = []
    if big:
        leftover = list(assessments.filter(criteria_set_id__in=big).values_list("id", flat=True))
        assessments = assessments.exclude(criteria_set_id__in=big)
        specs = {pk: spec for pk, spec in specs.items() if pk not in big}
    found: dict[int, SetScores] = {pk: SetScores(spec, ordered_stars(spec), Counter()) for pk, spec in specs.items()}
    if specs:
        ids: dict[int, dict[str, int]] = {pk: {} for pk in specs}
        for pk, cs, code in Indicator.objects.filter(criteria_set_id__in=specs).values_list(
            "id", "criteria_set_id", "code"
        ):
            ids[cs][code] = pk
        criteria = _Criteria(specs, ids)
        scope, params = scope_sql(assessments)
        params.update({f"i_{k}": v for k, v in criteria.ind.items()}, base=criteria.base, slots=len(criteria.slots))
        params.update({f"s_{k}": v for k, v in criteria.sets.items()}, **id_range)
        with (
            transaction.atomic(using=assessments.db),
            connections[assessments.db].cursor() as cursor,
            _bound(assessments.db) as bound,
        ):
            before = _settings(cursor, PLANNER)
            params.update(cuts(cursor, PARTS))
            bound.execute(keys_sql(scope, PARTS), params)
            params.update({f"v_{k}": v for k, v in criteria.verdicts(bound.fetchall()).items()})
            bound.execute(f"CREATE TEMPORARY TABLE {TEMP} ON COMMIT DROP AS {scored_sql(criteria, scope)}", params)
            cursor.execute(outcomes_sql())
            outcomes: dict[tuple[int, int], tuple[int, str]] = {}
            for cs, final, unsure, n, unsure_ids in cursor.fetchall():
                if unsure:
                    leftover.extend(unsure_ids)
                    continue
                found[cs].masks[final] += n
                passed = [s.code for bit, s in enumerate(found[cs].stars) if final & (1 << bit)]
                outcomes[cs, final] = (len(passed), json.dumps(passed, ensure_ascii=False))
            _write(cursor, outcomes)
            _clean_up(cursor, before)
    if progress:
        progress(total - len(leftover), total)
    return found, leftover


def outcomes_sql() -> str:
    """Per set and mask of passed stars, how many assessments; those the statement was unsure of, by id."""
    return f"""
        SELECT cs, final, unsure, count(*), array_agg(id) FILTER (WHERE unsure) FROM {TEMP} GROUP BY 1, 2, 3
    """  # noqa: S608 - a constant table name


def _write(cursor: Any, outcomes: dict[tuple[int, int], tuple[int, str]]) -> None:
    """Write star count, points and passed stars where they changed or were never written (one statement)."""
    table = Assessment._meta.db_table
    cursor.execute(
        f"""
        UPDATE {table} x
        SET star_count = o.star_count, points = r.total * 0.01, passed_stars = o.passed, scored_at = %(now)s
        FROM {TEMP} r
        JOIN unnest(%(cs)s::bigint[], %(final)s::bigint[], %(count)s::int[], %(passed)s::jsonb[])
             AS o(cs, final, star_count, passed) ON o.cs = r.cs AND o.final = r.final
        WHERE x.id = r.id AND NOT r.unsure
          AND (x.scored_at IS NULL
               OR (x.star_count, x.points, x.passed_stars) IS DISTINCT FROM (o.star_count, r.total * 0.01, o.passed))
        """,  # noqa: S608 - table names only; values are parameters
        {
            "now": timezone.now(),
            "cs": [cs for cs, _ in outcomes],
            "final": [final for _, final in outcomes],
            "count": [n for n, _ in outcomes.values()],
            "passed": [passed for _, passed in outcomes.values()],
        },
    )


def summarise(found: dict[int, SetScores], summary: Any) -> None:
    """Add the statement's counts to a `scores.Summary` as the reference path would have."""
    for scored in found.values():
        for star in scored.stars:
            summary.star_names.setdefault(star.code, star.name)
            summary.passes[star.code] += 0
        for mask, n in scored.masks.items():
            summary.villages += n
            summary.by_count[bin(mask).count("1")] += n
            for bit, star in enumerate(scored.stars):
                if mask & (1 << bit):
                    summary.passes[star.code] += n
