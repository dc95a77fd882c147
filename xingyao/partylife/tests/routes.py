from xingyao.core.testing import Marker, RouteCase, RouteKind, every, expect
from xingyao.partylife.models import Candidate, Meeting, MeetingPhoto
from xingyao.partylife.tests import factories as f
from xingyao.partylife.workflow import Stage

TOWN = {"owner": "zhen", "outsider": "shian", "write": True}


def _meeting_in(village: str):  # type: ignore[no-untyped-def]
    return lambda w, text: f.meeting(w, village, topic=text)


def _candidate_in(village: str):  # type: ignore[no-untyped-def]
    return lambda w, text: f.candidate(w, village, name=text)


def _one_meeting(w) -> str:  # type: ignore[no-untyped-def]
    return f"/partylife/{f.meeting(w).pk}/"


def _photo(w) -> str:  # type: ignore[no-untyped-def]
    from xingyao.core.uploads import check_image

    stored = MeetingPhoto(meeting=f.meeting(w))
    stored.fill_from(check_image(f.photo(), "签到表.jpg"))
    stored.save()
    return f"/partylife/photos/{stored.pk}/"


def _meeting_form(w):  # type: ignore[no-untyped-def]
    return {
        "village": w.unit("毛桥村").pk,
        "kind": "committee",
        "held_on": "2023-03-05",
        "topic": "三月支委会",
        "led_by": "毛德胜",
        "expected": "7",
        "present": "6",
        "absences": "毛小兵 外出务工",
    }


def _meeting_json(w):  # type: ignore[no-untyped-def]
    return {
        "village_code": w.unit("毛桥村").code,
        "kind": "theme_day",
        "held_on": "2023-03-05",
        "topic": "三月主题党日",
        "led_by": "毛德胜",
        "expected": 20,
        "present": 19,
        "absences": [{"name": "毛小兵", "reason": "外出务工"}],
    }


def _months(response) -> float:  # type: ignore[no-untyped-def]
    """Months with a 支委会 on the town's month table."""
    return response.content.decode().count('title="支委会">支')


def _months_marker(w, text: str, village: str = "毛桥村"):  # type: ignore[no-untyped-def]
    f.meeting(w, village, topic=text)


def _prospect(w) -> str:  # type: ignore[no-untyped-def]
    import datetime as dt

    c = f.candidate(w, stage=Stage.PROSPECT, activist_on=dt.date(2023, 2, 1), prospect_on=dt.date(2023, 5, 1))
    return f"/partylife/members/{c.pk}/advance/"


ROUTES = [
    RouteCase(
        "partylife:list",
        lambda w: "/partylife/",
        outsider="",
        kind=RouteKind.LIST,
        marker=Marker(mine=_meeting_in("毛桥村"), theirs=_meeting_in("庄营村"), outsider="zhuangying"),
    ),
    RouteCase(
        "partylife:export",
        lambda w: "/partylife/ledger.xlsx",
        outsider="",
        kind=RouteKind.EXPORT,
        marker=Marker(mine=_meeting_in("毛桥村"), theirs=_meeting_in("庄营村"), outsider="zhuangying"),
    ),
    RouteCase(
        "partylife:record",
        lambda w: "/partylife/new/",
        method="POST",
        data=_meeting_form,
        outsider="",  # another clerk records his own village's meetings; 毛桥村 is refused (test_meetings)
        write=True,
        ok=(302,),
        effect=expect(
            lambda w: every(Meeting).filter(topic="三月支委会", present=6, absences__name="毛小兵").exists(),
            "the meeting and its absentee are recorded",
        ),
    ),
    RouteCase(
        "partylife:record",
        lambda w: "/partylife/new/",
        label="GET partylife:record",
        outsider="",
        kind=RouteKind.FORM,
        write=True,
    ),
    RouteCase(
        "partylife:months",
        lambda w: "/partylife/months/?year=2023",  # each town admin's own town
        owner="zhen",
        outsider="",
        kind=RouteKind.FIGURES,
        marker=Marker(
            mine=_months_marker,
            theirs=lambda w, text: _months_marker(w, text, "施东村"),
            outsider="shian",
            figure=_months,
        ),
    ),
    RouteCase("partylife:meeting", _one_meeting, kind=RouteKind.DETAIL),
    RouteCase(
        "partylife:meeting_photos",
        lambda w: f"/partylife/{f.meeting(w).pk}/photos/",
        method="POST",
        data=lambda w: {"photos": f.photo()},
        write=True,
        ok=(302,),
        effect=expect(lambda w: every(MeetingPhoto).count() == 1, "the photo is stored"),
    ),
    RouteCase("partylife:photo", _photo, kind=RouteKind.FILE),
    RouteCase(
        "partylife:candidates",
        lambda w: "/partylife/members/",
        outsider="",
        kind=RouteKind.LIST,
        marker=Marker(mine=_candidate_in("毛桥村"), theirs=_candidate_in("庄营村"), outsider="zhuangying"),
    ),
    RouteCase(
        "partylife:candidates_export",
        lambda w: "/partylife/members/ledger.xlsx",
        outsider="",
        kind=RouteKind.EXPORT,
        marker=Marker(mine=_candidate_in("毛桥村"), theirs=_candidate_in("庄营村"), outsider="zhuangying"),
    ),
    RouteCase(
        "partylife:candidate_new",
        lambda w: "/partylife/members/new/",
        method="POST",
        data=lambda w: {"village": w.unit("毛桥村").pk, "name": "李春燕", "applied_on": "2023-04-01"},
        outsider="",
        write=True,
        ok=(302,),
        effect=expect(lambda w: every(Candidate).filter(name="李春燕", stage="applicant").exists(), "registered"),
    ),
    RouteCase(
        "partylife:candidate_new",
        lambda w: "/partylife/members/new/",
        label="GET partylife:candidate_new",
        outsider="",
        kind=RouteKind.FORM,
        write=True,
    ),
    RouteCase(
        "partylife:candidate_advance",
        _prospect,
        method="POST",
        data=lambda w: {"move": "admit", "on": "2023-07-01"},
        **TOWN,
        ok=(302,),
        effect=expect(
            lambda w: every(Candidate).filter(stage="probationary", probationary_on="2023-07-01").exists(),
            "admitted as a probationary member",
        ),
    ),
    # API
    RouteCase(
        "api:meetings_list",
        lambda w: "/api/v1/partylife/meetings",
        api=True,
        outsider="",
        kind=RouteKind.LIST,
        marker=Marker(mine=_meeting_in("毛桥村"), theirs=_meeting_in("庄营村"), outsider="zhuangying"),
    ),
    RouteCase(
        "api:get_meeting",
        lambda w: f"/api/v1/partylife/meetings/{f.meeting(w).pk}",
        api=True,
        kind=RouteKind.DETAIL,
    ),
    RouteCase(
        "api:record_meeting",
        lambda w: "/api/v1/partylife/meetings",
        method="POST",
        api=True,
        data=_meeting_json,
        write=True,
        ok=(201,),
        effect=expect(lambda w: every(Meeting).filter(topic="三月主题党日").exists(), "the theme day is recorded"),
    ),
    RouteCase(
        "api:candidates_list",
        lambda w: "/api/v1/partylife/candidates",
        api=True,
        outsider="",
        kind=RouteKind.LIST,
        marker=Marker(mine=_candidate_in("毛桥村"), theirs=_candidate_in("庄营村"), outsider="zhuangying"),
    ),
    RouteCase(
        "api:register_candidate",
        lambda w: "/api/v1/partylife/candidates",
        method="POST",
        api=True,
        data=lambda w: {"village_code": w.unit("毛桥村").code, "name": "李春燕", "applied_on": "2023-04-01"},
        write=True,
        ok=(201,),
        effect=expect(lambda w: every(Candidate).filter(name="李春燕").exists(), "registered"),
    ),
    RouteCase(
        "api:advance_candidate",
        lambda w: f"/api/v1/partylife/candidates/{f.candidate(w).pk}/advance",
        method="POST",
        api=True,
        data=lambda w: {"move": "make_activist", "on": "2023-03-01"},
        write=True,
        effect=expect(lambda w: every(Candidate).filter(stage="activist").exists(), "an activist now"),
    ),
]
