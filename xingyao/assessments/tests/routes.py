from django.utils import timezone

from xingyao.assessments.tests import fixtures as f
from xingyao.assessments.workflow import State
from xingyao.core.testing import RouteCase


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


ROUTES = [
    RouteCase("assessments:detail", _detail),
    RouteCase("assessments:values", _values, write=True),
    RouteCase(
        "assessments:values", _values, method="POST", data=_values_data, write=True, ok=(302,), label="POST values"
    ),
    RouteCase(
        "assessments:refresh",
        lambda w: f"/assessments/{f.assessment(w).pk}/refresh/",
        method="POST",
        write=True,
        ok=(302,),
    ),
    RouteCase(
        "assessments:evidence_upload",
        lambda w: f"/assessments/{f.assessment(w).pk}/evidence/",
        method="POST",
        data=_upload,
        write=True,
        ok=(302,),
    ),
    RouteCase("assessments:evidence_file", lambda w: f"/assessments/evidence/{_evidence(w).pk}/"),
    RouteCase(
        "assessments:evidence_delete",
        lambda w: f"/assessments/evidence/{_evidence(w).pk}/delete/",
        method="POST",
        write=True,
        ok=(302,),
    ),
    RouteCase("assessments:transition", _submit, method="POST", write=True, ok=(302,), label="POST submit"),
    RouteCase(
        "assessments:transition",
        _town_approve,
        method="POST",
        owner="zhen_shenhe",
        write=True,
        ok=(302,),
        label="POST town_approve",
    ),
    RouteCase(
        "assessments:star_review",
        lambda w: f"/assessments/{f.in_dept_review(w).pk}/stars/safety/review/",
        method="POST",
        data=lambda w: {"decision": "approve"},
        owner="zhengfawei",
        write=True,
        ok=(302,),
    ),
    RouteCase(
        "assessments:detail",
        lambda w: f"/assessments/{f.in_dept_review(w).pk}/",
        owner="zhengfawei",
        label="GET detail (department)",
    ),
    RouteCase(
        "assessments:queue",
        lambda w: (f.in_dept_review(w), "/assessments/queue/")[1],
        owner="zhengfawei",
        outsider="",
        label="GET queue (department)",
    ),
    RouteCase(
        "assessments:start",
        lambda w: (f.published_set(w), f"/assessments/start/{w.unit('毛桥村').code}/2023/")[1],
        method="POST",
        write=True,
        ok=(302,),
    ),
    RouteCase(
        "assessments:open_year",
        lambda w: (f.published_set(w), f"/assessments/open/{_town(w)}/2023/")[1],
        method="POST",
        owner="zhen",
        outsider="shian",
        write=True,
        ok=(302,),
    ),
    RouteCase("assessments:queue", lambda w: "/assessments/queue/", owner="zhen_shenhe", outsider=""),
    RouteCase(
        "assessments:queue_approve",
        lambda w: (f.at_state(w, State.SUBMITTED), "/assessments/queue/approve/")[1],
        method="POST",
        data=lambda w: {"ids": [f.assessment(w).pk]},
        owner="zhen_shenhe",
        outsider="",
        write=True,
        ok=(302,),
    ),
    RouteCase(
        "assessments:overview",
        lambda w: f"/assessments/overview/{_town(w)}/2023/",
        owner="zhen",
        outsider="shian",
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
    ),
    RouteCase(
        "assessments:award_ended",
        lambda w: f"/assessments/overview/{_town(w)}/2023/award/",
        method="POST",
        owner="xian",
        outsider="shian",
        write=True,
        ok=(302,),
    ),
    RouteCase(
        "assessments:objection_decide",
        lambda w: f"/assessments/objections/{f.objection(w).pk}/decide/",
        method="POST",
        data=lambda w: {"upheld": "0", "decision": "经核实，道路已修通"},
        owner="xian",
        write=True,
        ok=(302,),
    ),
    RouteCase(
        "assessments:star_manage",
        lambda w: f"/assessments/stars/{_award_id(w)}/",
        owner="xian",
        write=True,
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
    ),
    RouteCase("assessments:star_evidence_file", lambda w: f"/assessments/stars/evidence/{f.star_evidence(w).pk}/"),
    RouteCase(
        "assessments:rankings",
        lambda w: (f.at_state(w, State.COUNTY_APPROVED), f"/assessments/rankings/{_town(w)}/2023/")[1],
        owner="zhen",
        outsider="shian",
    ),
    # API
    RouteCase(
        "api:assessment_list",
        lambda w: (f.assessment(w), "/api/v1/assessments?year=2023")[1],
        api=True,
        outsider="",
    ),
    RouteCase("api:assessment_detail", lambda w: f"/api/v1/assessments/{f.assessment(w).pk}", api=True),
    RouteCase(
        "api:assessment_set_values",
        lambda w: f"/api/v1/assessments/{f.assessment(w).pk}/values",
        method="POST",
        data=lambda w: {"values": {"branch.1.2": True}},
        api=True,
        write=True,
    ),
    RouteCase(
        "api:assessment_transition",
        lambda w: f"/api/v1/assessments/{f.submittable(w).pk}/transitions",
        method="POST",
        data=lambda w: {"action": "submit"},
        api=True,
        write=True,
    ),
    RouteCase(
        "api:review_star",
        lambda w: f"/api/v1/assessments/{f.in_dept_review(w).pk}/star-reviews",
        method="POST",
        data=lambda w: {"star_code": "safety", "decision": "approve"},
        api=True,
        owner="zhengfawei",
        write=True,
    ),
    RouteCase(
        "api:assessment_evidence", lambda w: f"/api/v1/assessments/{_evidence(w).assessment_id}/evidence", api=True
    ),
    RouteCase(
        "api:ranking_list",
        lambda w: (f.at_state(w, State.COUNTY_APPROVED), f"/api/v1/assessments/rankings/{_town(w)}/2023")[1],
        api=True,
        owner="zhen",
        outsider="shian",
    ),
]
