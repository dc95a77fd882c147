"""Scoring every assessment of a scope in the database: one statement reads, scores and writes them all.

`stars.scoring` stays the reference: it explains one village. This module applies the same rules to a whole
province at once on PostgreSQL, with the criteria sent along as arrays:
- the effective value of each indicator (the county's, else the town's, else the village's; files for an
  evidence-only indicator), typed and validated as `scoring.validate_value` does — a value it would refuse counts
  as missing — and then met / earned as `scoring.evaluate` does;
- per star: its points, whether every veto and (when the star requires them) every required indicator is met,
  whether the points reach the star's minimum, and then the prerequisite stars (a star passes when it and every
  star it needs, directly or through others, pass on their own);
- the assessment's cached `star_count`, `points`, `passed_stars` and `scored_at`, written by the same statement.

A stored value whose reading the database cannot decide exactly as Python would (text that is not a plain
decimal, a float with more digits than a double keeps, text in other scripts that is not one of the words the
reference accepts) marks its assessment: such assessments are left out of the statement and scored by the
reference path afterwards, so the result never depends on which path ran.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import Count, Min, QuerySet
from django.utils import timezone

from xingyao.assessments.models import Assessment, Evidence, IndicatorValue
from xingyao.stars import scoring
from xingyao.stars.models import Indicator, Star

# What Python's str.strip() removes among ASCII characters.
ASCII_SPACE = " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f"
WORK_MEM = "128MB"
MAX_STARS = 30  # stars per set that fit the statement's bit masks; a larger set is scored by the reference path
TRUE_WORDS = sorted(scoring._TRUE)
FALSE_WORDS = sorted(scoring._FALSE)

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class SetScores:
    """What the statement found for one criteria set: assessments per bit mask of passed stars."""

    spec: scoring.CriteriaSpec
    stars: tuple[scoring.StarSpec, ...]  # in the set's order: bit i is stars[i]
    masks: Counter[int]


def specs_for(set_ids: Iterable[int]) -> dict[int, scoring.CriteriaSpec]:
    """The pure specs of several criteria sets in two queries (`CriteriaSet.to_spec` takes two per set)."""
    ids = list(set_ids)
    stars: dict[int, list[scoring.StarSpec]] = {pk: [] for pk in ids}
    indicators: dict[int, list[scoring.IndicatorSpec]] = {pk: [] for pk in ids}
    for star in Star.objects.filter(criteria_set_id__in=ids).order_by("criteria_set", "order", "id"):
        stars[star.criteria_set_id].append(star.to_spec())
    for indicator in Indicator.objects.filter(criteria_set_id__in=ids).select_related("star", "section"):
        indicators[indicator.criteria_set_id].append(indicator.to_spec())
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


CLASS_FIELDS = ("kind", "points", "threshold", "at_most", "percent", "low", "top", "files", "options")


class _Arrays:
    """The criteria of every set in scope as parallel arrays: one row per indicator, per star, and per class.

    A class is what decides how a value reads and scores (kind, points, threshold, options, …): indicators of
    several sets that share it share their verdict on each distinct value, which the statement judges once."""

    def __init__(self, specs: dict[int, scoring.CriteriaSpec], ids: dict[int, dict[str, int]]) -> None:
        self.ind: dict[str, list[Any]] = {k: [] for k in ("id", "cs", "cls", "pos", "kind", "counted")}
        self.cls: dict[str, list[Any]] = {k: [] for k in ("id", *CLASS_FIELDS)}
        self._classes: dict[tuple[Any, ...], int] = {}
        self.sets: dict[str, list[Any]] = {k: [] for k in ("cs", "pos", "need", "low", "mask", "code")}
        self.width = max((len(s.stars) for s in specs.values()), default=0)
        for cs, spec in specs.items():
            stars = ordered_stars(spec)
            position = {s.code: n for n, s in enumerate(stars)}
            counted_of: Counter[str] = Counter()
            for i in spec.indicators:
                star = spec.star(i.star_code)
                counted = i.veto or (i.required and star.require_all_required)
                counted_of[i.star_code] += counted
                self.ind["id"].append(ids[cs][i.code])
                self.ind["cs"].append(cs)
                self.ind["cls"].append(self._class_of(i))
                self.ind["pos"].append(position[i.star_code])
                self.ind["kind"].append(KINDS[i.kind])
                self.ind["counted"].append(counted)
            for n, star in enumerate(stars):
                self.sets["cs"].append(cs)
                self.sets["pos"].append(n)
                self.sets["need"].append(counted_of[star.code])
                self.sets["low"].append(star.min_points)
                self.sets["mask"].append(sum(1 << position[c] for c in needed(spec, star.code)))
                self.sets["code"].append(json.dumps(star.code, ensure_ascii=False))

    def _class_of(self, i: scoring.IndicatorSpec) -> int:
        options: dict[str, list[Any]] = {}
        if i.kind is scoring.Kind.CHOICE:
            for choice in i.choices:
                if choice.value != choice.value.strip():
                    continue  # the reference strips the value it reads, so it never equals this one
                result = scoring.evaluate(i, choice.value)
                options[choice.value] = [result.met, str(result.points)]
        fields = (
            KINDS[i.kind],
            i.points,
            i.threshold,
            i.comparison is scoring.Comparison.AT_MOST,
            i.unit == "%",
            i.min_score,
            i.max_score if i.max_score is not None else i.points,
            i.evidence_count,
            json.dumps(options, ensure_ascii=False, sort_keys=True),
        )
        if fields not in self._classes:
            self._classes[fields] = len(self._classes) + 1
            self.cls["id"].append(self._classes[fields])
            for name, value in zip(CLASS_FIELDS, fields, strict=True):
                self.cls[name].append(value)
        return self._classes[fields]


KINDS = {kind: n for n, kind in enumerate(scoring.Kind, start=1)}
BOOL, NUMBER, CHOICE, SCORE, EVIDENCE = (KINDS[k] for k in scoring.Kind)


def _indicators_sql() -> str:
    return """(
        SELECT * FROM unnest(%(i_id)s::bigint[], %(i_cs)s::bigint[], %(i_cls)s::int[], %(i_pos)s::int[],
                             %(i_kind)s::int[], %(i_counted)s::boolean[]) AS t(id, cs, cls, pos, kind, counted)
    )"""


def _classes_sql() -> str:
    return """(
        SELECT * FROM unnest(%(c_id)s::int[], %(c_kind)s::int[], %(c_points)s::numeric[],
                             %(c_threshold)s::numeric[], %(c_at_most)s::boolean[], %(c_percent)s::boolean[],
                             %(c_low)s::numeric[], %(c_top)s::numeric[], %(c_files)s::int[], %(c_options)s::jsonb[])
            AS t(cls, kind, points, threshold, at_most, percent, low, top, files, options)
    )"""


def _read_sql() -> str:
    """Each value row read as the reference reads it: b (yes/no), key (option), num (number); NULL when missing
    or refused; `unsure` when the database cannot tell exactly what the reference would read."""
    # A plain decimal (digits with at most one point, no sign, no spaces) reads the same in both.
    plain = "(translate(s, '0123456789.', '') = '' AND s <> '' AND s <> '.' AND s NOT LIKE '%%.%%.%%')"
    trimmed = "btrim(s, %(space)s)"
    # Other text: trimmed of ASCII spaces and without commas, as the reference parses it.
    u = f"replace({trimmed}, ',', '')"
    plain_u = f"(translate({u}, '0123456789.', '') = '' AND {u} <> '' AND {u} <> '.' AND {u} NOT LIKE '%%.%%.%%')"
    ascii_only = f"({trimmed} ~ '^[\\x01-\\x7f]*$')"
    return f"""
        SELECT cls, key, points, threshold, at_most, files, kind, options,
               CASE WHEN kind = {BOOL} THEN CASE
                   WHEN t = 'boolean' THEN s = 'true'
                   WHEN t = 'number' AND s IN ('0', '1') THEN s = '1'
                   WHEN t = 'string' AND lower({trimmed}) = ANY(%(true_words)s::text[]) THEN true
                   WHEN t = 'string' AND lower({trimmed}) = ANY(%(false_words)s::text[]) THEN false
               END END AS b,
               CASE WHEN kind = {CHOICE} THEN CASE
                   WHEN t = 'string' THEN {trimmed}
                   WHEN t = 'number' AND s NOT LIKE '%%.%%' THEN s
                   WHEN t = 'boolean' THEN CASE WHEN s = 'true' THEN 'True' ELSE 'False' END
               END END AS opt,
               CASE
                   WHEN kind = {NUMBER} AND (v < 0 OR (percent AND v > 100)) THEN NULL
                   WHEN kind = {SCORE} AND NOT (v >= low AND v <= top) THEN NULL
                   WHEN kind = {EVIDENCE} AND (v < 0 OR v <> trunc(v)) THEN NULL
                   ELSE v
               END AS num,
               CASE
                   WHEN t IS NULL OR t = 'boolean' THEN false
                   WHEN kind = {BOOL} THEN t = 'string' AND {trimmed} <> '' AND NOT {ascii_only}
                        AND NOT lower({trimmed}) = ANY(%(true_words)s::text[] || %(false_words)s::text[])
                   WHEN kind = {CHOICE} THEN CASE
                       WHEN t = 'string' THEN {trimmed} <> '' AND NOT (options ? {trimmed}) AND NOT {ascii_only}
                       WHEN t = 'number' THEN s LIKE '%%.%%'
                       ELSE t IN ('array', 'object')
                   END
                   WHEN t = 'number' THEN s LIKE '%%.%%' AND length(s) > 15
                   WHEN t = 'string' THEN NOT {plain} AND {trimmed} <> '' AND NOT {plain_u} AND s !~ '[一-鿿]'
                   ELSE false
               END AS unsure
        FROM (
            SELECT *, CASE WHEN kind IN ({NUMBER}, {SCORE}, {EVIDENCE}) THEN CASE
                       WHEN j IS NULL THEN NULL
                       WHEN t = 'number' THEN s::numeric
                       WHEN t <> 'string' THEN NULL
                       WHEN {plain} THEN s::numeric
                       WHEN {plain_u} THEN {u}::numeric
                   END END AS v
            FROM typed OFFSET 0
        ) AS parsed
        OFFSET 0
    """  # noqa: S608 - only constants go into the text


def _judge_sql() -> str:
    """Met and earned for each row read, as `scoring.evaluate` decides them."""
    return f"""
        SELECT cls, key, unsure,
               CASE kind
                   WHEN {BOOL} THEN CASE WHEN b THEN points ELSE 0 END
                   WHEN {CHOICE} THEN coalesce((options -> opt ->> 1)::numeric, 0)
                   WHEN {SCORE} THEN CASE WHEN num IS NULL THEN 0 ELSE greatest(0, least(num, points)) END
                   WHEN {NUMBER} THEN CASE WHEN (CASE WHEN at_most THEN num <= threshold ELSE num >= threshold END)
                                           THEN points ELSE 0 END
                   ELSE CASE WHEN num >= files THEN points ELSE 0 END
               END AS earned,
               coalesce(CASE kind
                   WHEN {BOOL} THEN b
                   WHEN {CHOICE} THEN (options -> opt ->> 0)::boolean
                   WHEN {SCORE} THEN CASE WHEN num IS NULL THEN false
                                          WHEN threshold IS NOT NULL THEN num >= threshold
                                          ELSE least(num, points) > 0 END
                   WHEN {NUMBER} THEN CASE WHEN at_most THEN num <= threshold ELSE num >= threshold END
                   ELSE num >= files
               END, false) AS met
        FROM ({_read_sql()}) AS read
        OFFSET 0
    """  # noqa: S608 - only constants go into the text


def statement(width: int, scope: str) -> str:
    iv, ev, asm = IndicatorValue._meta.db_table, Evidence._meta.db_table, Assessment._meta.db_table
    ind = _indicators_sql()
    per_star = ", ".join(
        f"sum(pts) FILTER (WHERE pos = {p}) AS pts{p}, sum(oks) FILTER (WHERE pos = {p}) AS ok{p}" for p in range(width)
    )
    own = " | ".join(
        f"(CASE WHEN coalesce(g.ok{p}, 0) = c.need[{p + 1}] "
        f"AND (c.low[{p + 1}] IS NULL OR coalesce(g.pts{p}, 0) >= c.low[{p + 1}]) THEN {1 << p} ELSE 0 END)"
        for p in range(width)
    )
    final = " | ".join(
        f"(CASE WHEN o.own & c.mask[{p + 1}] = c.mask[{p + 1}] THEN {1 << p} ELSE 0 END)" for p in range(width)
    )
    codes = ", ".join(f"CASE WHEN f.final & {1 << p} <> 0 THEN c.code[{p + 1}] END" for p in range(width))
    count = " + ".join(f"(CASE WHEN f.final & {1 << p} <> 0 THEN 1 ELSE 0 END)" for p in range(width))
    return f"""
    WITH setrows AS (
        SELECT cs, array_agg(need ORDER BY pos) AS need, array_agg(low ORDER BY pos) AS low,
               array_agg(mask ORDER BY pos) AS mask, array_agg(code ORDER BY pos) AS code
        FROM unnest(%(s_cs)s::bigint[], %(s_pos)s::int[], %(s_need)s::int[], %(s_low)s::numeric[],
                    %(s_mask)s::bigint[], %(s_code)s::text[]) AS t(cs, pos, need, low, mask, code)
        GROUP BY cs
    ), files AS MATERIALIZED (
        SELECT e.assessment_id, e.indicator_id, count(*) AS n
        FROM {ev} e JOIN {ind} i ON i.id = e.indicator_id AND i.kind = {EVIDENCE}
        WHERE e.assessment_id IN (SELECT id FROM ({scope}) AS s)
        GROUP BY 1, 2
    ), effective AS MATERIALIZED (
        -- each value row as the text of the value that counts ('null' when none)
        SELECT v.assessment_id AS a, i.cls, i.pos, i.counted, i.cs <> s.criteria_set_id AS foreign_row,
               CASE WHEN jsonb_typeof(v.county_value) <> 'null' THEN v.county_value::text
                    WHEN jsonb_typeof(v.town_value) <> 'null' THEN v.town_value::text
                    WHEN i.kind = {EVIDENCE} THEN (SELECT count(*) FROM {ev} f WHERE f.assessment_id = v.assessment_id
                                                   AND f.indicator_id = v.indicator_id)::text
                    WHEN jsonb_typeof(v.self_value) <> 'null' THEN v.self_value::text
                    ELSE 'null'
               END AS key
        FROM {iv} v
        JOIN ({scope}) AS s ON s.id = v.assessment_id
        JOIN {ind} i ON i.id = v.indicator_id
        UNION ALL
        SELECT f.assessment_id, i.cls, i.pos, i.counted, false, f.n::text
        FROM files f
        JOIN {ind} i ON i.id = f.indicator_id
        JOIN ({scope}) AS s ON s.id = f.assessment_id AND s.criteria_set_id = i.cs
        WHERE NOT EXISTS (SELECT 1 FROM {iv} v WHERE v.assessment_id = f.assessment_id
                                                AND v.indicator_id = f.indicator_id)
    ), typed AS (
        -- each distinct value of each class, once
        SELECT c.*, k.key, j, jsonb_typeof(j) AS t, j #>> '{{}}' AS s
        FROM (SELECT DISTINCT cls, key FROM effective) AS k
        JOIN {_classes_sql()} AS c ON c.cls = k.cls,
        LATERAL (SELECT nullif(k.key, 'null')::jsonb AS j) AS x
        OFFSET 0
    ), verdicts AS (
        {_judge_sql()}
    ), per_star AS (
        SELECT e.a, e.pos, bool_or(d.unsure OR e.foreign_row) AS unsure, sum(d.earned) AS pts,
               count(*) FILTER (WHERE e.counted AND d.met) AS oks
        FROM effective e JOIN verdicts d ON d.cls = e.cls AND d.key = e.key
        GROUP BY e.a, e.pos
    ), per_assessment AS (
        SELECT a, bool_or(unsure) AS unsure, sum(pts) AS total, {per_star}
        FROM per_star GROUP BY a
    ), own AS MATERIALIZED (
        -- bit i: star i passes on its own (points, vetoes, required indicators)
        SELECT s.id, s.criteria_set_id AS cs, coalesce(g.unsure, false) AS unsure, coalesce(g.total, 0) AS total,
               {own} AS own
        FROM ({scope}) AS s JOIN setrows c ON c.cs = s.criteria_set_id LEFT JOIN per_assessment g ON g.a = s.id
    ), passing AS MATERIALIZED (
        -- bit i: star i and every star it needs pass
        SELECT o.*, {final} AS final FROM own o JOIN setrows c ON c.cs = o.cs
    ), result AS MATERIALIZED (
        SELECT f.id, f.cs, f.unsure, f.total, f.final, ('[' || concat_ws(',', {codes}) || ']')::jsonb AS passed,
               {count} AS star_count
        FROM passing f JOIN setrows c ON c.cs = f.cs
    ), written AS (
        UPDATE {asm} x SET star_count = r.star_count, points = r.total, passed_stars = r.passed,
                          scored_at = %(now)s
        FROM result r WHERE x.id = r.id AND NOT r.unsure
        RETURNING 1
    )
    SELECT cs, final, unsure, count(*), array_agg(id) FILTER (WHERE unsure)
    FROM result GROUP BY cs, final, unsure
    """  # noqa: S608 - table names, generated column lists and the queryset's own SQL; values are parameters


def scope_sql(assessments: QuerySet[Assessment]) -> tuple[str, tuple[Any, ...]]:
    query = assessments.order_by().values_list("id", "criteria_set_id").query
    sql, params = query.get_compiler(using=assessments.db).as_sql()
    return sql, tuple(params)


def score_in_database(
    assessments: QuerySet[Assessment], progress: Progress | None = None
) -> tuple[dict[int, SetScores], list[int]]:
    """Score and write every assessment of the queryset in one statement (PostgreSQL).

    Returns, per criteria set, the assessments per mask of passed stars, and the assessments left to the
    reference path (values the statement cannot read exactly as the reference does, sets too big for its masks).
    """
    firsts = (
        assessments.order_by()
        .values("criteria_set_id")
        .annotate(n=Count("id"), first=Min("village__code"))
        .order_by("first")
    )
    counts = {row["criteria_set_id"]: row["n"] for row in firsts}
    total = sum(counts.values())
    if progress:
        progress(0, total)
    if not counts:
        return {}, []
    specs = specs_for(counts)
    for spec in specs.values():
        scoring.validate_spec(spec)  # an inconsistent set stops the run, as it stops the reference's score()
    big = {pk for pk, spec in specs.items() if len(spec.stars) > MAX_STARS}
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
        arrays = _Arrays(specs, ids)
        sql, scope_params = scope_sql(assessments)
        params: dict[str, Any] = {f"i_{k}": v for k, v in arrays.ind.items()}
        params.update({f"c_{k}": v for k, v in arrays.cls.items()})
        params.update({f"s_{k}": v for k, v in arrays.sets.items()})
        params.update(now=timezone.now(), space=ASCII_SPACE, true_words=TRUE_WORDS, false_words=FALSE_WORDS)
        # The scope's own placeholders are positional (%s): name them so both kinds can share one statement.
        named = sql
        for n, value in enumerate(scope_params):
            named = named.replace("%s", f"%(scope_{n})s", 1)
            params[f"scope_{n}"] = value
        with connections[assessments.db].cursor() as cursor:
            # A province's hash tables need more than the default 4 MB, and compiling the statement (JIT) costs more
            # than it saves; both are set for this statement only.
            cursor.execute(
                "SELECT current_setting('jit'), current_setting('work_mem'), current_setting('enable_mergejoin'), "
                "current_setting('enable_sort'), "
                "set_config('jit', 'off', true), set_config('work_mem', %s, true), "
                "set_config('enable_mergejoin', 'off', true), set_config('enable_sort', 'off', true)",
                [WORK_MEM],
            )
            jit, work_mem, mergejoin, sort, *_ = cursor.fetchone()
            cursor.execute(statement(arrays.width, named), params)
            for cs, final, unsure, n, unsure_ids in cursor.fetchall():
                if unsure:
                    leftover.extend(unsure_ids)
                else:
                    found[cs].masks[final] += n
            cursor.execute(
                "SELECT set_config('jit', %s, true), set_config('work_mem', %s, true), "
                "set_config('enable_mergejoin', %s, true), set_config('enable_sort', %s, true)",
                [jit, work_mem, mergejoin, sort],
            )
    if progress:
        progress(total - len(leftover), total)
    return found, leftover


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
