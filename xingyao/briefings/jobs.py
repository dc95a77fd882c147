"""The county briefing as a background job: it gathers every town of the county (core/jobs.py)."""

from __future__ import annotations

import datetime as dt

from xingyao.briefings import actions, render
from xingyao.core import jobs
from xingyao.core.jobs import JobKind, JobRun, Outcome
from xingyao.core.roles import Action
from xingyao.core.scoping import access
from xingyao.places.models import Unit

COUNTY_BRIEFING = "briefings.county"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _county(run: JobRun) -> Outcome:
    """Generate the county's briefing as the user who asked, and hand back its Word version."""
    params = run.params
    unit = access(Unit.objects.all(), run.user, params["unit"], Action.VIEW, field="code")
    until = dt.date.fromisoformat(params["until"]) if params.get("until") else None
    span = actions.span_of(params["period"], int(params["year"]), params.get("quarter"), until)
    run.progress(0, 2)
    briefing = actions.do_generate_briefing(run.user, unit, span)
    run.progress(1, 2)
    content = render.docx_bytes(briefing)
    towns = len(next((s["rows"] for s in briefing.content["sections"] if s["key"] == "towns"), []))
    return Outcome(
        f"已生成{unit.name}{briefing.period_label}工作通报（汇总 {towns} 个乡镇），"
        "可在通报列表中查看、修改下一步并签发",
        content,
        render.filename(briefing, "docx"),
        DOCX,
    )


def register() -> None:
    jobs.register(JobKind(COUNTY_BRIEFING, "生成全县工作通报", _county))
