"""Inspections over the API: rounds (list, one with its visits, ranking), visits (list, one, scoring)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from xingyao.core.paging import Mapped, list_route
from xingyao.core.roles import Action
from xingyao.inspections import actions
from xingyao.inspections.models import Round, Visit
from xingyao.inspections.queries import (
    API_VISIT_FILTERS,
    FILTERS,
    access_round,
    access_visit,
    ranking,
    round_list,
    round_visits,
    sees_whole,
    sheet_items,
    visit_list,
    visit_scores,
)
from xingyao.inspections.workflow import Star

router = Router(tags=["观摩评比"])


class RoundOut(Schema):
    id: int
    unit_code: str
    unit: str
    label: str
    year: int
    quarter: int
    starts_on: dt.date
    ends_on: dt.date
    state: str
    state_label: str
    team: list[str]


class RoundListOut(RoundOut):
    stops: int
    scored: int


class StopOut(Schema):
    visit_id: int
    order: int
    village_code: str
    village: str
    total: Decimal | None


class RoundDetailOut(RoundOut):
    route: list[StopOut]


class RankOut(Schema):
    rank: int | None
    village_code: str
    village: str
    total: Decimal | None
    stars: dict[str, Decimal | None]


class RankingOut(Schema):
    round_id: int
    label: str
    stars: dict[str, str]
    whole_round: bool
    rows: list[RankOut]


class ScoreOut(Schema):
    item: str
    star: str
    max_points: int
    points: Decimal | None


class ProblemOut(Schema):
    text: str
    ledger_item_id: int | None


class VisitOut(Schema):
    id: int
    round_id: int
    round: str
    village_code: str
    village: str
    order: int
    visited_on: dt.date | None
    total: Decimal | None
    stars: dict[str, Decimal]


class VisitDetailOut(VisitOut):
    praise: str
    comments: str
    scores: list[ScoreOut]
    problems: list[ProblemOut]


class ScoreIn(Schema):
    visited_on: dt.date
    scores: dict[int, Decimal]
    praise: str = ""
    problems: list[str] = []
    comments: str


def _round(r: Round) -> dict[str, Any]:
    return {
        "id": r.pk,
        "unit_code": r.unit.code,
        "unit": r.unit.name,
        "label": r.label,
        "year": r.year,
        "quarter": r.quarter,
        "starts_on": r.starts_on,
        "ends_on": r.ends_on,
        "state": r.state,
        "state_label": r.state_label,
        "team": r.team_names,
    }


def _visit(v: Visit) -> dict[str, Any]:
    return {
        "id": v.pk,
        "round_id": v.round_id,
        "round": v.round.label,
        "village_code": v.village.code,
        "village": v.village.name,
        "order": v.order,
        "visited_on": v.visited_on,
        "total": v.total,
        "stars": {k: Decimal(str(x)) for k, x in v.star_scores.items()},
    }


@list_route(router, "/rounds", response=RoundListOut, params=FILTERS, summary="辖区内的观摩")
def inspection_rounds_list(request: HttpRequest, params: dict[str, str]) -> Any:
    return Mapped(round_list(request.user, params), lambda r: _round(r) | {"stops": r.stops, "scored": r.scored})


@router.get("/rounds/{int:round_id}", response=RoundDetailOut, summary="一轮观摩和它的路线（可见的村）")
def get_inspection_round(request: HttpRequest, round_id: int) -> Any:
    rnd = access_round(request.user, round_id)
    route = [
        {"visit_id": v.pk, "order": v.order, "village_code": v.village.code, "village": v.village.name,
         "total": v.total}
        for v in round_visits(request.user, rnd)
    ]  # fmt: skip
    return _round(rnd) | {"route": route}


@router.get("/rounds/{int:round_id}/ranking", response=RankingOut, summary="一轮观摩的排名（横向比速度）")
def inspection_ranking(request: HttpRequest, round_id: int) -> Any:
    rnd = access_round(request.user, round_id)
    rows = [
        {
            "rank": r.rank,
            "village_code": r.village.code,
            "village": r.village.name,
            "total": r.visit.total,
            "stars": {s.value: r.stars[n] for n, s in enumerate(Star)},
        }
        for r in ranking(request.user, rnd)
    ]
    return {
        "round_id": rnd.pk,
        "label": rnd.label,
        "stars": dict(Star.choices()),
        "whole_round": sees_whole(request.user, rnd),
        "rows": rows,
    }


@list_route(router, "/visits", response=VisitOut, params=API_VISIT_FILTERS, summary="观摩点位（各村得分）")
def inspection_visits_list(request: HttpRequest, params: dict[str, str]) -> Any:
    return Mapped(visit_list(request.user, params), _visit)


def _visit_detail(request: HttpRequest, visit_id: int) -> dict[str, Any]:
    visit = access_visit(request.user, visit_id)
    scores = visit_scores(request.user, [visit])
    return _visit(visit) | {
        "praise": visit.praise,
        "comments": visit.comments,
        "scores": [
            {"item": i.name, "star": i.star, "max_points": i.max_points, "points": scores.get((visit.pk, i.pk))}
            for i in sheet_items(visit.round.sheet)
        ],
        "problems": [{"text": p.text, "ledger_item_id": p.item_id} for p in visit.problems.restrict(request.user)],
    }


@router.get("/visits/{int:visit_id}", response=VisitDetailOut, summary="一个村的观摩得分、亮点、问题和点评")
def get_inspection_visit(request: HttpRequest, visit_id: int) -> Any:
    return _visit_detail(request, visit_id)


@router.post("/visits/{int:visit_id}/score", response=VisitDetailOut, summary="给一个村的观摩评分")
def score_inspection_visit(request: HttpRequest, visit_id: int, payload: ScoreIn) -> Any:
    visit = access_visit(request.user, visit_id, Action.REVIEW)
    actions.do_score_visit(
        request.user,
        visit.pk,
        scores=payload.scores,
        visited_on=payload.visited_on,
        praise=payload.praise,
        problems=payload.problems,
        comments=payload.comments,
    )
    return _visit_detail(request, visit_id)
