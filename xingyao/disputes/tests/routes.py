from xingyao.core.testing import RouteCase
from xingyao.grid.tests import factories as f

TOWN = {"owner": "zhen", "outsider": "shian", "write": True}


def _today() -> str:
    from django.utils import timezone

    return timezone.localdate().isoformat()


def _case(suffix: str | None = None, api: bool = False, **kwargs):  # type: ignore[no-untyped-def]
    base = "/api/v1/disputes/" if api else "/disputes/"
    suffix = suffix if suffix is not None else "" if api else "/"
    return lambda w: f"{base}{f.dispute(w, **kwargs).pk}{suffix}"


def _document(api: bool = False):  # type: ignore[no-untyped-def]
    def make(w) -> str:  # type: ignore[no-untyped-def]
        from xingyao.core.uploads import check_document
        from xingyao.disputes.models import AgreementDocument

        case = f.dispute(w, status="closed", outcome="mediated", team=("溧河铺司法所",))
        doc = AgreementDocument(dispute=case)
        doc.fill_from(check_document(f.pdf_upload(), "调解协议书.pdf"))
        doc.save()
        return f"/api/v1/disputes/documents/{doc.pk}" if api else f"/disputes/documents/{doc.pk}/"

    return make


def _register(w):  # type: ignore[no-untyped-def]
    return {
        "village": w.unit("毛桥村").pk,
        "type": "neighbours",
        "risk": "yellow",
        "received_on": "2024-03-01",
        "summary": "排水沟纠纷",
        "description": "两户争执",
        "p1_side": "applicant",
        "p1_name": "王大勇",
        "p1_phone": "13812345678",
        "p2_side": "respondent",
        "p2_name": "李秀兰",
        "p2_phone": "",
        "p3_side": "respondent",
        "p4_side": "respondent",
    }


TEAM = ("溧河铺司法所", "溧河铺派出所")
ROUTES = [
    RouteCase("disputes:list", lambda w: "/disputes/", outsider=""),
    RouteCase("disputes:register", lambda w: "/disputes/new/", owner="zhen", outsider="", write=True),
    RouteCase(
        "disputes:register",
        lambda w: "/disputes/new/",
        method="POST",
        owner="zhen",
        outsider="",
        write=True,
        ok=(302,),
        data=_register,
        label="POST disputes:register",
    ),
    RouteCase("disputes:figures", lambda w: "/disputes/figures/?year=2024", outsider=""),
    RouteCase(
        "disputes:figures",
        lambda w: f"/disputes/figures/?unit={w.unit('毛桥村').code}",
        label="GET disputes:figures of a village",
    ),
    RouteCase("disputes:zero", lambda w: "/disputes/zero/?year=2024", outsider=""),
    RouteCase(
        "disputes:zero",
        lambda w: f"/disputes/zero/?unit={w.unit('毛桥村').code}",
        label="GET disputes:zero of a village",
    ),
    RouteCase("disputes:export", lambda w: "/disputes/ledger.xlsx", outsider=""),
    RouteCase("disputes:dispute", _case()),
    RouteCase(
        "disputes:triage",
        _case("/triage/"),
        method="POST",
        ok=(302,),
        data=lambda w: {
            "risk": "orange",
            "lead_department": w.unit("溧河铺司法所").pk,
            "team": [w.unit("溧河铺派出所").pk],
        },
        **TOWN,
    ),
    RouteCase(
        "disputes:session",
        _case("/session/", status="triaged", team=TEAM),
        method="POST",
        ok=(302,),
        data=lambda w: {"held_on": _today(), "mediators": "司法所李所长", "note": "双方同意协商"},
        **TOWN,
    ),
    RouteCase(
        "disputes:outcome",
        _case("/outcome/", status="mediating", team=TEAM),
        method="POST",
        ok=(302,),
        data=lambda w: {"outcome": "mediated", "closed_on": _today(), "result_note": "达成协议"},
        **TOWN,
    ),
    RouteCase(
        "disputes:document_add",
        _case("/documents/", status="mediating", team=TEAM),
        method="POST",
        ok=(302,),
        data=lambda w: {"file": f.pdf_upload()},
        **TOWN,
    ),
    # The agreement carries the parties' names: only those who work the case may download it.
    RouteCase("disputes:document", _document(), **TOWN),
    # API
    RouteCase("api:disputes_list", lambda w: "/api/v1/disputes", api=True, outsider=""),
    RouteCase(
        "api:register_dispute",
        lambda w: "/api/v1/disputes",
        method="POST",
        api=True,
        ok=(201,),
        data=lambda w: {
            "village_code": w.unit("毛桥村").code,
            "type": "land",
            "summary": "承包地边界争议",
            "description": "两户地界不清",
            "received_on": "2024-04-02",
            "parties": [
                {"side": "applicant", "name": "毛建军", "phone": "13700001234"},
                {"side": "respondent", "name": "毛春花"},
            ],
        },
        **TOWN,
    ),
    RouteCase("api:get_dispute", _case(api=True), api=True),
    RouteCase(
        "api:triage_dispute",
        _case("/triage", api=True),
        method="POST",
        api=True,
        data=lambda w: {
            "risk": "red",
            "lead_department_code": w.unit("溧河铺司法所").code,
            "team_codes": [w.unit("溧河铺派出所").code],
        },
        **TOWN,
    ),
    RouteCase(
        "api:add_mediation_session",
        _case("/sessions", api=True, status="triaged", team=TEAM),
        method="POST",
        api=True,
        ok=(201,),
        data=lambda w: {"held_on": _today(), "mediators": "派出所张警官", "note": "第一次调解"},
        **TOWN,
    ),
    RouteCase(
        "api:close_dispute",
        _case("/outcome", api=True, status="mediating", team=TEAM),
        method="POST",
        api=True,
        data=lambda w: {"outcome": "pre_litigation", "closed_on": _today(), "result_note": "法院诉前调解达成协议"},
        **TOWN,
    ),
    RouteCase(
        "api:upload_agreement",
        _case("/documents", api=True, status="mediating", team=TEAM),
        method="POST",
        api=True,
        ok=(400,),
        **TOWN,
    ),
    RouteCase("api:agreement_file", _document(api=True), api=True, **TOWN),
    RouteCase("api:dispute_figures_api", lambda w: "/api/v1/disputes/figures?year=2024", api=True, outsider=""),
    RouteCase(
        "api:zero_tally_api", lambda w: f"/api/v1/disputes/zero?year=2024&unit={w.unit('毛桥村').code}", api=True
    ),
]
