import datetime as dt
import re

from django.utils import timezone

from xingyao.core.testing import Marker, RouteCase, RouteKind, every, expect
from xingyao.disputes.models import AgreementDocument, Dispute, MediationSession
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


def _dispute_in(village: str, on: dt.date | None = None):  # type: ignore[no-untyped-def]
    """A marker case in `village`, taken beyond the village (so it counts against 零上访), received `on` (today)."""
    return lambda w, text: f.dispute(
        w, village=village, summary=text, received_on=on or timezone.localdate(), petition_beyond_village=True
    )


def _cases(w, village: str = "毛桥村"):  # type: ignore[no-untyped-def]
    return every(Dispute).filter(village=w.unit(village))


def _the_case(w) -> Dispute:  # type: ignore[no-untyped-def]
    return every(Dispute).get()


def _received(response) -> float:  # type: ignore[no-untyped-def]
    """The 合计 row's 受理 on the figures page."""
    return int(re.search(r"<th>合计</th><th>(\d+)</th>", response.content.decode()).group(1))


def _petitions(response) -> float:  # type: ignore[no-untyped-def]
    """Petitions beyond the village over every row of the “三零” page (a village at zero shows ✓)."""
    return sum(int(n) for n in re.findall(r">(\d+) 起<", response.content.decode()))


def _marker(figure=None, on=None, outsider="zhuangying"):  # type: ignore[no-untyped-def]
    return Marker(mine=_dispute_in("毛桥村", on), theirs=_dispute_in("庄营村", on), outsider=outsider, figure=figure)


def _village_with_case(town: str):  # type: ignore[no-untyped-def]
    """A further village of `town`, named by the marker, with a case of 2024 taken beyond it."""

    def make(w, text: str) -> None:  # type: ignore[no-untyped-def]
        from xingyao.places.codes import Kind

        w.new_unit(town, text, Kind.VILLAGE)
        f.dispute(w, village=text, received_on=IN_2024, petition_beyond_village=True)

    return make


IN_2024 = dt.date(2024, 6, 1)
VILLAGES = Marker(mine=_village_with_case("溧河铺镇"), theirs=_village_with_case("施庵镇"), outsider="shian")
CASES = _marker()
TEAM = ("溧河铺司法所", "溧河铺派出所")
ROUTES = [
    RouteCase("disputes:list", lambda w: "/disputes/", outsider="", kind=RouteKind.LIST, marker=CASES),
    RouteCase(
        "disputes:register", lambda w: "/disputes/new/", owner="zhen", outsider="", write=True, kind=RouteKind.FORM
    ),
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
        effect=expect(lambda w: _cases(w).filter(summary="排水沟纠纷").exists(), "the case is registered"),
    ),
    RouteCase(
        "disputes:figures",
        lambda w: "/disputes/figures/?year=2024",
        outsider="",
        kind=RouteKind.FIGURES,
        marker=_marker(_received, IN_2024),
    ),
    # The town admin sees both villages: the figures of one must not count the other's cases.
    RouteCase(
        "disputes:figures",
        lambda w: f"/disputes/figures/?unit={w.unit('毛桥村').code}",
        owner="zhen",
        label="GET disputes:figures of a village",
        kind=RouteKind.FIGURES,
        marker=_marker(_received, outsider=None),
    ),
    RouteCase(
        "disputes:zero",
        lambda w: "/disputes/zero/?year=2024",
        outsider="",
        kind=RouteKind.FIGURES,
        marker=_marker(_petitions, IN_2024),
    ),
    RouteCase(
        "disputes:zero",
        lambda w: f"/disputes/zero/?unit={w.unit('毛桥村').code}",
        owner="zhen",
        label="GET disputes:zero of a village",
        kind=RouteKind.FIGURES,
        marker=_marker(_petitions, outsider=None),
    ),
    # Every village in scope has a row, cases or not: a village carries the marker, and 施庵镇's admin gets his own.
    *[
        RouteCase(name, _path, owner="zhen", outsider="", kind=RouteKind.EXPORT, marker=VILLAGES)
        for name, _path in (
            ("disputes:figures_export", lambda w: "/disputes/figures.xlsx?year=2024"),
            ("disputes:zero_export", lambda w: "/disputes/zero.xlsx?year=2024"),
        )
    ],
    RouteCase(
        "disputes:zero_export",
        lambda w: f"/disputes/zero.xlsx?unit={w.unit('溧河铺镇').code}&year=2024",
        owner="zhen",
        outsider="shian",
        label="GET disputes:zero_export of a town",
        kind=RouteKind.EXPORT,
        marker=Marker(mine=_village_with_case("溧河铺镇"), theirs=_village_with_case("施庵镇")),
    ),
    RouteCase("disputes:export", lambda w: "/disputes/ledger.xlsx", outsider="", kind=RouteKind.EXPORT, marker=CASES),
    RouteCase("disputes:dispute", _case(), kind=RouteKind.DETAIL),
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
        effect=expect(
            lambda w: (_the_case(w).risk, _the_case(w).lead_department) == ("orange", w.unit("溧河铺司法所")),
            "the case is orange and led by 司法所",
        ),
        **TOWN,
    ),
    RouteCase(
        "disputes:session",
        _case("/session/", status="triaged", team=TEAM),
        method="POST",
        ok=(302,),
        data=lambda w: {"held_on": _today(), "mediators": "司法所李所长", "note": "双方同意协商"},
        effect=expect(
            lambda w: every(MediationSession).filter(mediators="司法所李所长").exists(), "the session is kept"
        ),
        **TOWN,
    ),
    RouteCase(
        "disputes:outcome",
        _case("/outcome/", status="mediating", team=TEAM),
        method="POST",
        ok=(302,),
        data=lambda w: {"outcome": "mediated", "closed_on": _today(), "result_note": "达成协议"},
        effect=expect(lambda w: _the_case(w).outcome == "mediated", "the case is closed as mediated"),
        **TOWN,
    ),
    RouteCase(
        "disputes:document_add",
        _case("/documents/", status="mediating", team=TEAM),
        method="POST",
        ok=(302,),
        data=lambda w: {"file": f.pdf_upload()},
        effect=expect(lambda w: every(AgreementDocument).filter(dispute=_the_case(w)).exists(), "the PDF is kept"),
        **TOWN,
    ),
    # The agreement carries the parties' names: only those who work the case may download it.
    RouteCase("disputes:document", _document(), kind=RouteKind.FILE, **TOWN),
    # API
    RouteCase(
        "api:disputes_list", lambda w: "/api/v1/disputes", api=True, outsider="", kind=RouteKind.LIST, marker=CASES
    ),
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
        effect=expect(lambda w: _cases(w).filter(summary="承包地边界争议").exists(), "the case is registered"),
        **TOWN,
    ),
    RouteCase("api:get_dispute", _case(api=True), api=True, kind=RouteKind.DETAIL),
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
        effect=expect(lambda w: _the_case(w).risk == "red", "the case is red"),
        **TOWN,
    ),
    RouteCase(
        "api:add_mediation_session",
        _case("/sessions", api=True, status="triaged", team=TEAM),
        method="POST",
        api=True,
        ok=(201,),
        data=lambda w: {"held_on": _today(), "mediators": "派出所张警官", "note": "第一次调解"},
        effect=expect(
            lambda w: every(MediationSession).filter(mediators="派出所张警官").exists(), "the session is kept"
        ),
        **TOWN,
    ),
    RouteCase(
        "api:close_dispute",
        _case("/outcome", api=True, status="mediating", team=TEAM),
        method="POST",
        api=True,
        data=lambda w: {"outcome": "pre_litigation", "closed_on": _today(), "result_note": "法院诉前调解达成协议"},
        effect=expect(
            lambda w: _the_case(w).outcome == "pre_litigation", "the case is closed by the court's mediation"
        ),
        **TOWN,
    ),
    RouteCase(
        "api:upload_agreement",
        _case("/documents", api=True, status="mediating", team=TEAM),
        method="POST",
        api=True,
        multipart=True,
        data=lambda w: {"file": f.pdf_upload()},
        ok=(201,),
        effect=expect(lambda w: every(AgreementDocument).filter(dispute=_the_case(w)).exists(), "the PDF is kept"),
        **TOWN,
    ),
    RouteCase("api:agreement_file", _document(api=True), api=True, kind=RouteKind.FILE, **TOWN),
    RouteCase(
        "api:dispute_figures_api",
        lambda w: "/api/v1/disputes/figures?year=2024",
        api=True,
        outsider="",
        kind=RouteKind.FIGURES,
        marker=_marker(lambda r: r.json()[-1]["received"], IN_2024),
    ),
    RouteCase(
        "api:zero_tally_api",
        lambda w: f"/api/v1/disputes/zero?year=2024&unit={w.unit('毛桥村').code}",
        api=True,
        owner="zhen",
        kind=RouteKind.FIGURES,
        marker=_marker(lambda r: sum(row["petitions"] for row in r.json()), IN_2024, outsider=None),
    ),
]
