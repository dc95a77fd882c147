import datetime as dt
import hashlib

from django.core.files.base import ContentFile
from django.utils import timezone

from xingyao.assessments.models import (
    Assessment,
    Evidence,
    IndicatorValue,
    Objection,
    PaperNotice,
    StarAward,
    StarReview,
)
from xingyao.assessments.tests import fixtures as f
from xingyao.assessments.workflow import State
from xingyao.core.models import Job
from xingyao.core.testing import Marker, RouteCase, RouteKind, every, expect
from xingyao.grid.tests.factories import dispute
from xingyao.places.codes import Kind
from xingyao.places.models import Unit


def _paper_notice(w) -> PaperNotice:  # type: ignore[no-untyped-def]
    a = f.at_state(w, State.PUBLICIZED)
    return every(PaperNotice).filter(assessment=a).first() or PaperNotice.objects.create(
        assessment=a,
        posted_on=timezone.localdate() - dt.timedelta(days=3),
        file=ContentFile(f.jpeg(), name="paper.jpg"),
        original_name="纸质公示.jpg",
        content_type="image/jpeg",
        size=10,
        sha256="1" * 64,
        is_image=True,
    )


def _town(w):  # type: ignore[no-untyped-def]
    return w.unit("溧河铺镇").code


def _detail(w):  # type: ignore[no-untyped-def]
    return f"/assessments/{f.assessment(w).pk}/"


def _values(w):  # type: ignore[no-untyped-def]
    return f"/assessments/{f.assessment(w).pk}/values/"


def _values_data(w):  # type: ignore[no-untyped-def]
    a = f.assessment(w)
    return {f"v_{f.indicator(a, 'branch.1.2').pk}": "true"}


def _upload(w):  # type: ignore[no-untyped-def]
    a = f.assessment(w)
    return {"indicator": f.indicator(a, "civility.1.1").pk, "file": f.photo(), "caption": "服务中心"}


def _evidence(w):  # type: ignore[no-untyped-def]
    a = f.assessment(w)
    f.attach_evidence(a, ("branch.1.2",))
    return a.evidence.first()


def _submit(w):  # type: ignore[no-untyped-def]
    return f"/assessments/{f.submittable(w).pk}/do/submit/"


def _town_approve(w):  # type: ignore[no-untyped-def]
    return f"/assessments/{f.at_state(w, State.SUBMITTED).pk}/do/town_approve/"


def _award_id(w):  # type: ignore[no-untyped-def]
    return f.award(w).pk


def _village_named(town: str, state: State | None = None):  # type: ignore[no-untyped-def]
    """A further village of `town`, named by the marker, with its 2023 assessment (at `state`, else a draft)."""

    def make(w, text: str) -> None:  # type: ignore[no-untyped-def]
        w.new_unit(town, text, Kind.VILLAGE)
        a = f.assessment(w, village=text)
        if state is not None:  # moved straight there, unfilled: lists show it all the same, and it is cheap
            f.dept_review_on(w)
            every(Assessment).filter(pk=a.pk).update(state=state.value, state_since=timezone.now())

    return make


def _renamed(village: str):  # type: ignore[no-untyped-def]
    """The village itself carries the marker (an assessment has no free text of its own)."""

    def make(w, text: str) -> None:  # type: ignore[no-untyped-def]
        f.assessment(w, village)
        every(Unit).filter(pk=w.unit(village).pk).update(name=text)

    return make


def _star_material(code: str):  # type: ignore[no-untyped-def]
    """A file and a town remark on one indicator of the assessment in department review, carrying the marker."""

    def make(w, text: str) -> None:  # type: ignore[no-untyped-def]
        a = f.in_dept_review(w)
        indicator = f.indicator(a, code)
        digest = hashlib.sha256(f"{code}{text}".encode()).hexdigest()
        Evidence.objects.create(
            assessment=a,
            indicator=indicator,
            file=ContentFile(b"%PDF-1.4 marker", name=f"{digest[:12]}.pdf"),
            original_name=f"{text}.pdf",
            content_type="application/pdf",
            size=15,
            sha256=digest,
        )
        every(IndicatorValue).filter(assessment=a, indicator=indicator).update(town_note=text)

    return make


def _state(village: str = "毛桥村"):  # type: ignore[no-untyped-def]
    return lambda w: every(Assessment).get(village=w.unit(village), year=2023).state


def _in_state(state: State, village: str = "毛桥村"):  # type: ignore[no-untyped-def]
    return expect(lambda w: _state(village)(w) == state.value, f"{village}'s assessment is {state.label}")


def _value(code: str):  # type: ignore[no-untyped-def]
    return lambda w: every(IndicatorValue).get(assessment=f.assessment(w), indicator__code=code)


def _with_pre_litigation_case(w) -> str:  # type: ignore[no-untyped-def]
    """A draft, and a case settled in 2023 that its 诉前调解 indicator has not yet fetched."""
    a = f.assessment(w)
    dispute(w, status="closed", outcome="pre_litigation", received_on=dt.date(2023, 5, 1))
    return f"/assessments/{a.pk}/refresh/"


def _ended_publicity(w) -> str:  # type: ignore[no-untyped-def]
    f.at_state(w, State.PUBLICIZED, publicity_start=timezone.localdate() - dt.timedelta(days=20), publicity_days=7)
    return f"/assessments/overview/{_town(w)}/2023/award/"


APPROVED = _in_state(State.TOWN_REVIEWED)
BRANCH_TRUE = expect(lambda w: _value("branch.1.2")(w).self_value is True, "branch.1.2 is filled in as met")
SAFETY_APPROVED = expect(
    lambda w: every(StarReview).filter(star_code="safety", decision="approve").exists(), "平安法治星 is approved"
)
# 县委政法委 reviews 平安法治星 only: a file or remark on 支部过硬星 is not his to see.
DEPT_ONLY = Marker(mine=_star_material("safety.2.2"), theirs=_star_material("branch.1.1"))
TOWN_RANKED = Marker(
    mine=_village_named("溧河铺镇", State.COUNTY_APPROVED), theirs=_village_named("施庵镇", State.COUNTY_APPROVED)
)
ROUTES = [
    RouteCase("assessments:detail", _detail, kind=RouteKind.DETAIL),
    RouteCase("assessments:values", _values, write=True, kind=RouteKind.FORM),
    RouteCase(
        "assessments:values",
        _values,
        method="POST",
        data=_values_data,
        write=True,
        ok=(302,),
        label="POST values",
        effect=BRANCH_TRUE,
    ),
    RouteCase(
        "assessments:refresh",
        _with_pre_litigation_case,
        method="POST",
        write=True,
        ok=(302,),
        effect=expect(lambda w: str(_value("safety.1.2")(w).derived_value) == "1", "the 诉前调解 count is fetched"),
    ),
    RouteCase(
        "assessments:evidence_upload",
        lambda w: f"/assessments/{f.assessment(w).pk}/evidence/",
        method="POST",
        data=_upload,
        write=True,
        ok=(302,),
        effect=expect(lambda w: every(Evidence).filter(caption="服务中心").exists(), "the photo is kept"),
    ),
    RouteCase("assessments:evidence_file", lambda w: f"/assessments/evidence/{_evidence(w).pk}/", kind=RouteKind.FILE),
    RouteCase(
        "assessments:evidence_delete",
        lambda w: f"/assessments/evidence/{_evidence(w).pk}/delete/",
        method="POST",
        write=True,
        ok=(302,),
        effect=expect(
            lambda w: (
                every(Evidence).filter(indicator__code="branch.1.2").count()
                < f.indicator(f.assessment(w), "branch.1.2").evidence_count
            ),
            "one file of branch.1.2 is gone",
        ),
    ),
    RouteCase(
        "assessments:transition",
        _submit,
        method="POST",
        write=True,
        ok=(302,),
        label="POST submit",
        effect=_in_state(State.SUBMITTED),
    ),
    RouteCase(
        "assessments:transition",
        _town_approve,
        method="POST",
        owner="zhen_shenhe",
        write=True,
        ok=(302,),
        label="POST town_approve",
        effect=APPROVED,
    ),
    RouteCase(
        "assessments:star_review",
        lambda w: f"/assessments/{f.in_dept_review(w).pk}/stars/safety/review/",
        method="POST",
        data=lambda w: {"decision": "approve"},
        owner="zhengfawei",
        write=True,
        ok=(302,),
        effect=SAFETY_APPROVED,
    ),
    RouteCase(
        "assessments:detail",
        lambda w: f"/assessments/{f.in_dept_review(w).pk}/",
        owner="zhengfawei",
        label="GET detail (department)",
        kind=RouteKind.DETAIL,
        marker=DEPT_ONLY,
    ),
    # His queue holds what waits for his department, not what the town has still to review.
    RouteCase(
        "assessments:queue",
        lambda w: (f.in_dept_review(w), "/assessments/queue/")[1],
        owner="zhengfawei",
        outsider="",
        label="GET queue (department)",
        kind=RouteKind.LIST,
        marker=Marker(
            mine=_village_named("溧河铺镇", State.TOWN_REVIEWED), theirs=_village_named("溧河铺镇", State.SUBMITTED)
        ),
    ),
    RouteCase(
        "assessments:start",
        lambda w: (f.published_set(w), f"/assessments/start/{w.unit('毛桥村').code}/2023/")[1],
        method="POST",
        write=True,
        ok=(302,),
        effect=_in_state(State.DRAFT),
    ),
    RouteCase(
        "assessments:open_year",
        lambda w: (f.published_set(w), f"/assessments/open/{_town(w)}/2023/")[1],
        method="POST",
        owner="zhen",
        outsider="shian",
        write=True,
        ok=(302,),
        effect=_in_state(State.DRAFT, "庄营村"),
    ),
    RouteCase(
        "assessments:queue",
        lambda w: "/assessments/queue/",
        owner="zhen_shenhe",
        outsider="",
        kind=RouteKind.LIST,
        marker=Marker(
            mine=_village_named("溧河铺镇", State.SUBMITTED), theirs=_village_named("施庵镇", State.SUBMITTED)
        ),
    ),
    RouteCase(
        "assessments:queue_approve",
        lambda w: (f.at_state(w, State.SUBMITTED), "/assessments/queue/approve/")[1],
        method="POST",
        data=lambda w: {"ids": [f.assessment(w).pk]},
        owner="zhen_shenhe",
        outsider="",
        write=True,
        ok=(302,),
        effect=APPROVED,
    ),
    RouteCase(
        "assessments:overview",
        lambda w: f"/assessments/overview/{_town(w)}/2023/",
        owner="zhen",
        outsider="shian",
        kind=RouteKind.LIST,
        marker=Marker(mine=_village_named("溧河铺镇"), theirs=_village_named("施庵镇")),
    ),
    RouteCase(
        "assessments:open_publicity",
        lambda w: (f.at_state(w, State.COUNTY_APPROVED), f"/assessments/overview/{_town(w)}/2023/publicity/")[1],
        method="POST",
        data=lambda w: {"start": timezone.localdate().isoformat(), "days": 7},
        owner="xian",
        outsider="shian",
        write=True,
        ok=(302,),
        effect=_in_state(State.PUBLICIZED),
    ),
    RouteCase(
        "assessments:rescore_year",
        lambda w: f"/assessments/overview/{_town(w)}/2023/rescore/",
        method="POST",
        owner="xian",
        outsider="shian",
        write=True,
        ok=(302,),
        effect=expect(
            lambda w: every(Job).filter(kind="assessments.rescore", state="queued", params={"year": 2023}).exists(),
            "a rescoring job is queued",
        ),
    ),
    RouteCase(
        "assessments:award_ended",
        _ended_publicity,
        method="POST",
        owner="xian",
        outsider="shian",
        write=True,
        ok=(302,),
        effect=_in_state(State.AWARDED),
    ),
    RouteCase(
        "assessments:objection_decide",
        lambda w: f"/assessments/objections/{f.objection(w).pk}/decide/",
        method="POST",
        data=lambda w: {"upheld": "0", "decision": "经核实，道路已修通"},
        owner="xian",
        write=True,
        ok=(302,),
        effect=expect(lambda w: every(Objection).get().status != "open", "the objection is decided"),
    ),
    RouteCase(
        "assessments:star_manage",
        lambda w: f"/assessments/stars/{_award_id(w)}/",
        owner="xian",
        write=True,
        kind=RouteKind.FORM,
    ),
    RouteCase(
        "assessments:star_manage",
        lambda w: f"/assessments/stars/{_award_id(w)}/",
        method="POST",
        data=lambda w: {"action": "warn", "reason": "发生安全生产事故", "file": f.photo("通报.jpg")},
        owner="xian",
        write=True,
        ok=(302,),
        label="POST star_manage",
        effect=expect(lambda w: every(StarAward).get().status == "warned", "the star is warned"),
    ),
    RouteCase(
        "assessments:paper_notice_add",
        lambda w: f"/assessments/{f.at_state(w, State.PUBLICIZED).pk}/paper-notice/",
        method="POST",
        data=lambda w: {"posted_on": (timezone.localdate() - dt.timedelta(days=3)).isoformat(), "photo": f.photo()},
        owner="xian",
        outsider="shian",
        write=True,
        ok=(302,),
        effect=expect(lambda w: every(PaperNotice).exists(), "the paper notice is recorded"),
    ),
    RouteCase(
        "assessments:paper_notice_file",
        lambda w: f"/assessments/paper-notices/{_paper_notice(w).pk}/",
        kind=RouteKind.FILE,
    ),
    RouteCase(
        "assessments:star_evidence_file",
        lambda w: f"/assessments/stars/evidence/{f.star_evidence(w).pk}/",
        kind=RouteKind.FILE,
    ),
    RouteCase(
        "assessments:rankings",
        lambda w: (f.at_state(w, State.COUNTY_APPROVED), f"/assessments/rankings/{_town(w)}/2023/")[1],
        owner="zhen",
        outsider="shian",
        kind=RouteKind.LIST,
        marker=TOWN_RANKED,
    ),
    RouteCase(
        "assessments:results_export",
        lambda w: f"/assessments/overview/{_town(w)}/2023/results.xlsx",
        owner="zhen",
        outsider="shian",
        kind=RouteKind.EXPORT,
        marker=Marker(mine=_village_named("溧河铺镇"), theirs=_village_named("施庵镇")),
    ),
    RouteCase(
        "assessments:rankings_export",
        lambda w: (f.at_state(w, State.COUNTY_APPROVED), f"/assessments/rankings/{_town(w)}/2023/rankings.xlsx")[1],
        owner="zhen",
        outsider="shian",
        kind=RouteKind.EXPORT,
        marker=TOWN_RANKED,
    ),
    # API
    RouteCase(
        "api:assessment_list",
        lambda w: (f.assessment(w), "/api/v1/assessments?year=2023")[1],
        api=True,
        outsider="",
        kind=RouteKind.LIST,
        marker=Marker(mine=_renamed("毛桥村"), theirs=_renamed("庄营村"), outsider="zhuangying"),
    ),
    RouteCase(
        "api:assessment_detail",
        lambda w: f"/api/v1/assessments/{f.assessment(w).pk}",
        api=True,
        kind=RouteKind.DETAIL,
    ),
    RouteCase(
        "api:assessment_detail",
        lambda w: f"/api/v1/assessments/{f.in_dept_review(w).pk}",
        api=True,
        owner="zhengfawei",
        label="GET api:assessment_detail (department)",
        kind=RouteKind.DETAIL,
        marker=DEPT_ONLY,
    ),
    RouteCase(
        "api:assessment_set_values",
        lambda w: f"/api/v1/assessments/{f.assessment(w).pk}/values",
        method="POST",
        data=lambda w: {"values": {"branch.1.2": True}},
        api=True,
        write=True,
        effect=BRANCH_TRUE,
    ),
    RouteCase(
        "api:assessment_transition",
        lambda w: f"/api/v1/assessments/{f.submittable(w).pk}/transitions",
        method="POST",
        data=lambda w: {"action": "submit"},
        api=True,
        write=True,
        effect=_in_state(State.SUBMITTED),
    ),
    RouteCase(
        "api:review_star",
        lambda w: f"/api/v1/assessments/{f.in_dept_review(w).pk}/star-reviews",
        method="POST",
        data=lambda w: {"star_code": "safety", "decision": "approve"},
        api=True,
        owner="zhengfawei",
        write=True,
        effect=SAFETY_APPROVED,
    ),
    RouteCase(
        "api:assessment_evidence",
        lambda w: f"/api/v1/assessments/{_evidence(w).assessment_id}/evidence",
        api=True,
        kind=RouteKind.DETAIL,
    ),
    RouteCase(
        "api:assessment_evidence",
        lambda w: f"/api/v1/assessments/{f.in_dept_review(w).pk}/evidence",
        api=True,
        owner="zhengfawei",
        label="GET api:assessment_evidence (department)",
        kind=RouteKind.DETAIL,
        marker=DEPT_ONLY,
    ),
    RouteCase(
        "api:ranking_list",
        lambda w: (f.at_state(w, State.COUNTY_APPROVED), f"/api/v1/assessments/rankings/{_town(w)}/2023")[1],
        api=True,
        owner="zhen",
        outsider="shian",
        kind=RouteKind.LIST,
        marker=TOWN_RANKED,
    ),
]
