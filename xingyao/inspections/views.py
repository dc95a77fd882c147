"""Inspection pages: the rounds, planning one, a round with its route and visits, scoring a visit, turning problems
into ledger items, the round's ranking (横向比速度) and the villages' trends (纵向比质效), the 观摩评分表 and its
import, the county's score sheets."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from xingyao.core.exports import xlsx_response
from xingyao.core.filters import Params
from xingyao.core.roles import Action
from xingyao.core.scoping import covers, roles_over
from xingyao.core.views_helpers import paginate, run_action, submit, submit_import, submit_or_show
from xingyao.inspections import actions, exports
from xingyao.inspections.forms import ImportForm, RoundForm, ScoreForm, SheetForm, ToItemsForm
from xingyao.inspections.models import RoundStep
from xingyao.inspections.queries import (
    access_round,
    access_sheet,
    access_visit,
    organised_units,
    ranking,
    round_list,
    round_visits,
    sees_whole,
    sheet_items,
    trend,
    visible_sheets,
    visit_scores,
)
from xingyao.inspections.workflow import WORKFLOW, Facts, Move, Star, State
from xingyao.ledgers.queries import of_the_village
from xingyao.places.codes import Kind as UnitKind
from xingyao.places.forms import UnitFilterForm
from xingyao.places.queries import access_unit, own_unit, top_units


@login_required
def rounds(request: HttpRequest) -> HttpResponse:
    found = round_list(request.user, request.GET)
    page = paginate(request, found, 30)
    context = {
        "page": page,
        "params": request.GET,
        "states": State.choices(),
        "can_plan": organised_units(request.user).exists(),
    }
    return render(request, "inspections/rounds.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def plan(request: HttpRequest) -> HttpResponse:
    units = organised_units(request.user).order_by("code")
    if not units.exists():
        raise PermissionDenied
    form = RoundForm(request.POST or None, user=request.user, units=units)
    done = submit(
        request,
        form,
        lambda data: actions.do_plan_round(request.user, **data),
        lambda rnd: f"已安排{rnd.label}",
    )
    if done:
        return done
    return render(request, "inspections/plan.html", {"form": form}, status=400 if form.errors else 200)


def _round_moves(user: Any, rnd: Any) -> list[Move]:
    moves: list[Move] = []
    for role in roles_over(user, rnd.unit.prefix):
        moves += [m for m in WORKFLOW.available_actions(State(rnd.state), role) if m not in moves and m != Move.SCORE]
    return moves


@login_required
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    rnd = access_round(request.user, pk)
    visits = round_visits(request.user, rnd)
    whole = sees_whole(request.user, rnd)
    # The steps name every village scored: shown to those who see the whole round, not to a village on its route.
    steps = list(RoundStep.objects.restrict(request.user).filter(round=rnd)) if whole else []
    context = {
        "round": rnd,
        "visits": visits,
        "moves": _round_moves(request.user, rnd),
        "Move": {m.name: m for m in Move},
        "history": steps,
        "whole": whole,
        "can_import": rnd.state == State.SCORING and covers(request.user, Action.REVIEW, rnd.unit.prefix),
    }
    return render(request, "inspections/round.html", context)


@login_required
@require_POST
def round_move(request: HttpRequest, pk: int, move: str) -> HttpResponse:
    rnd = access_round(request.user, pk, Action.MANAGE)
    said = {Move.START: "已开始评分", Move.FINISH: "已结束评分", Move.REOPEN: "已重新打开评分"}
    run_action(
        request,
        lambda: actions.do_round_move(request.user, rnd.pk, move),
        said.get(Move.lookup(move) or Move.SCORE, ""),
    )
    return redirect(rnd)


def _visit_page(request: HttpRequest, visit: Any, status: int = 200, **forms: Any) -> HttpResponse:
    user = request.user
    rnd = visit.round
    items = sheet_items(rnd.sheet)
    problems = list(visit.problems.restrict(user).select_related("item"))
    scores = visit_scores(user, [visit])
    may_score = any(
        WORKFLOW.allows(State(rnd.state), Move.SCORE, role, Facts(of_the_village=of_the_village(user, visit.village)))
        for role in roles_over(user, rnd.unit.prefix)
    )
    open_problems = [p for p in problems if p.item_id is None]
    score_form = forms.get("score_form") or ScoreForm(
        initial={
            "visited_on": visit.visited_on or min(rnd.ends_on, max(rnd.starts_on, timezone.localdate())),
            "praise": visit.praise,
            "problems": "\n".join(p.text for p in open_problems),
            "comments": visit.comments,
        }
        | {f"item_{i.pk}": scores.get((visit.pk, i.pk)) for i in items},
        items=items,
    )
    context = {
        "visit": visit,
        "round": rnd,
        "rows": [(i, scores.get((visit.pk, i.pk))) for i in items],
        "stars": [(s.label, visit.star_scores.get(s.value)) for s in Star if s.value in visit.star_scores],
        "problems": problems,
        "may_score": may_score,
        "score_form": score_form,
        "may_open_items": visit.scored and bool(open_problems) and covers(user, Action.MANAGE, visit.village.prefix),
        "items_form": forms.get("items_form")
        or ToItemsForm(problems=open_problems, initial={"start_on": timezone.localdate()}),
    }
    return render(request, "inspections/visit.html", context, status=status)


@login_required
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _visit_page(request, access_visit(request.user, pk))


@login_required
@require_POST
def score(request: HttpRequest, pk: int) -> HttpResponse:
    visit = access_visit(request.user, pk, Action.REVIEW)
    form = ScoreForm(request.POST, items=sheet_items(visit.round.sheet))
    return submit_or_show(
        request,
        form,
        lambda data: actions.do_score_visit(
            request.user,
            visit.pk,
            scores=form.scores(),
            visited_on=data["visited_on"],
            praise=data["praise"],
            problems=[data["problems"]],
            comments=data["comments"],
        ),
        lambda done: f"{done.village.name}已评分：{done.total} 分",
        visit,
        invalid="请检查各项得分和点评（得分在 0 到满分之间）",
        show=lambda message: _refused(request, visit, message, score_form=form),
    )


def _refused(request: HttpRequest, visit: Any, message: str, **forms: Any) -> HttpResponse:
    messages.error(request, message)
    return _visit_page(request, access_visit(request.user, visit.pk), 400, **forms)


@login_required
@require_POST
def to_items(request: HttpRequest, pk: int) -> HttpResponse:
    visit = access_visit(request.user, pk, Action.MANAGE)
    problems = list(visit.problems.restrict(request.user).filter(item__isnull=True))
    form = ToItemsForm(request.POST, problems=problems)
    return submit_or_show(
        request,
        form,
        lambda data: actions.do_problems_to_items(request.user, visit.pk, **data),
        lambda opened: f"已转为 {len(opened)} 项整改事项",
        visit,
        invalid="请选择问题并填写责任人、开始日期和时限",
        show=lambda message: _refused(request, visit, message, items_form=form),
    )


@login_required
def round_ranking(request: HttpRequest, pk: int) -> HttpResponse:
    rnd = access_round(request.user, pk)
    rows = ranking(request.user, rnd)
    scored = [r for r in rows if r.visit.scored]
    chart = {
        "villages": [r.village.name for r in scored],
        "totals": [float(r.visit.total or 0) for r in scored],
        "stars": [{"name": s.label, "values": [float(r.stars[n] or 0) for r in scored]} for n, s in enumerate(Star)],
    }
    context = {
        "round": rnd,
        "rows": rows,
        "star_labels": [s.label for s in Star],
        "chart": chart,
        "whole": sees_whole(request.user, rnd),
    }
    return render(request, "inspections/ranking.html", context)


@login_required
def export(request: HttpRequest, pk: int) -> HttpResponse:
    rnd = access_round(request.user, pk)
    content = exports.score_table(request.user, rnd)
    return xlsx_response(content, f"{rnd.unit.name}{rnd.label}评分表.xlsx")


@login_required
@require_http_methods(["GET", "POST"])
def import_scores(request: HttpRequest, pk: int) -> HttpResponse:
    rnd = access_round(request.user, pk, Action.REVIEW)
    form = ImportForm(request.POST or None, request.FILES or None)
    done, errors = submit_import(
        request,
        form,
        lambda data: actions.do_import_scores(request.user, rnd.pk, data["file"], filename=data["file"].name),
        lambda count: f"已导入 {count} 个村的评分",
        rnd,
    )
    if done:
        return done
    context = {"form": form, "errors": errors, "round": rnd, "headers": exports.headers(rnd)}
    return render(request, "inspections/import.html", context, status=400 if errors or form.errors else 200)


@login_required
def trends(request: HttpRequest) -> HttpResponse:
    """Each village's totals across the year's rounds: one village (with its points per star), or a town's."""
    params = Params(request.GET)
    today = timezone.localdate()
    year = params.year() or today.year
    village_filter = UnitFilterForm.village(request)
    village = village_filter.unit()
    code = params.text("unit", "单位", limit=20)
    unit = village or (access_unit(request.user, code) if code else None)
    unit = unit or own_unit(request.user, (UnitKind.VILLAGE, UnitKind.TOWN)) or top_units(request.user).first()
    if unit is None:
        raise PermissionDenied
    found = trend(request.user, unit, year)
    labels = [f"第{r.quarter}季度{'（全县）' if r.county_wide else ''}" for r in found.rounds]
    one = unit.kind == UnitKind.VILLAGE and len(found.lines) == 1
    if one:
        line = found.lines[0]
        series = [{"name": "总分", "values": _floats(line.totals)}] + [
            {"name": s.label, "values": _floats(line.stars[s.value])} for s in Star
        ]
    else:
        series = [{"name": line.village.name, "values": _floats(line.totals)} for line in found.lines]
    context = {
        "unit": unit,
        "year": year,
        "trend": found,
        "labels": labels,
        "one": one,
        "star_labels": [s.label for s in Star],
        "star_rows": [(s.label, found.lines[0].stars[s.value]) for s in Star] if one else [],
        "chart": {"rounds": labels, "series": series},
        "village_filter": village_filter,
        "years": range(today.year, today.year - 5, -1),
    }
    return render(request, "inspections/trend.html", context, status=200 if village_filter.is_valid() else 400)


def _floats(values: list[Any]) -> list[float | None]:
    return [float(v) if v is not None else None for v in values]


@login_required
def sheets(request: HttpRequest) -> HttpResponse:
    county = own_unit(request.user, (UnitKind.COUNTY,))
    may_create = county is not None and covers(request.user, Action.ADMIN, county.prefix)
    context = {
        "sheets": list(visible_sheets(request.user).order_by("-year", "county__code")[:50]),
        "may_create": may_create,
        "form": SheetForm(initial={"year": timezone.localdate().year}),
    }
    return render(request, "inspections/sheets.html", context)


@login_required
def sheet_detail(request: HttpRequest, pk: int) -> HttpResponse:
    sheet = access_sheet(request.user, pk)
    items = sheet_items(sheet)
    groups = []
    for star in Star:
        mine = [i for i in items if i.star == star.value]
        if mine:
            groups.append((star.label, sum(i.max_points for i in mine), mine))
    context = {"sheet": sheet, "groups": groups, "total": sum(i.max_points for i in items)}
    return render(request, "inspections/sheet.html", context)


@login_required
@require_POST
def sheet_new(request: HttpRequest) -> HttpResponse:
    county = own_unit(request.user, (UnitKind.COUNTY,))
    if county is None or not covers(request.user, Action.ADMIN, county.prefix):
        raise PermissionDenied
    form = SheetForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写年度（2000–2100）")
        return redirect("inspections:sheets")
    done = run_action(
        request,
        lambda: actions.do_create_sheet(request.user, county=county, year=form.cleaned_data["year"]),
        lambda sheet: f"已制定{sheet.name}",
    )
    return redirect(done.value.get_absolute_url() if done and done.value else reverse("inspections:sheets"))
