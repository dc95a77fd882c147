from django.core.files.uploadedfile import SimpleUploadedFile

from xingyao.core.testing import Marker, RouteCase, RouteKind, every, expect
from xingyao.livability.models import (
    Activity,
    Centre,
    Honour,
    Photo,
    RoomStandard,
    ServiceRequest,
    ToiletCoverage,
    Work,
)
from xingyao.livability.tests import factories as f


def _work_in(village: str):  # type: ignore[no-untyped-def]
    return lambda w, text: f.work(w, village, place=text)


def _activity_in(village: str):  # type: ignore[no-untyped-def]
    return lambda w, text: f.activity(w, village, title=text)


def _centre_in(village: str):  # type: ignore[no-untyped-def]
    return lambda w, text: f.centre(w, village, name=text)


def _service_in(village: str):  # type: ignore[no-untyped-def]
    return lambda w, text: f.service(w, village, matter=text)


def _honour_in(village: str):  # type: ignore[no-untyped-def]
    return lambda w, text: f.honour(w, village, name=text)


def _toilets_in(village: str):  # type: ignore[no-untyped-def]
    return lambda w, text: f.toilets(w, village)


def _toilet_rows(response) -> float:  # type: ignore[no-untyped-def]
    return response.content.decode().count("<tr><td>2023</td>")


def _toilet_items(response) -> float:  # type: ignore[no-untyped-def]
    return len(response.json()["items"])


def _photo(w) -> str:  # type: ignore[no-untyped-def]
    return f"/livability/photos/{f.stored_photo(f.work(w), stage='before').pk}/"


def _csv(w, header: str, row: str) -> dict:  # type: ignore[no-untyped-def]
    body = f"{header}\n{w.unit('毛桥村').code},{row}\n".encode()
    return {"file": SimpleUploadedFile("台账.csv", body, content_type="text/csv")}


def _work_form(w):  # type: ignore[no-untyped-def]
    return {
        "village": w.unit("毛桥村").pk,
        "kind": "drain",
        "quantity": "620",
        "measure": "m",
        "place": "村东排水沟",
        "started_on": "2023-04-01",
        "finished_on": "2023-05-10",
        "cost": "18.5",
        "before": f.photo("整治前.jpg", "gray"),
        "after": f.photo("整治后.jpg", "green"),
    }


def _activity_form(w):  # type: ignore[no-untyped-def]
    return {
        "village": w.unit("毛桥村").pk,
        "kind": "show",
        "title": "“庆八一·感党恩”文艺汇演",
        "held_on": "2023-08-01",
        "organiser": "溧河铺镇党委",
        "attendance": "600",
    }


PHOTOS = {"stage": "after", "spot": "村口", "photos": None}

ROUTES = [
    RouteCase(
        "livability:works",
        lambda w: "/livability/",
        outsider="",
        kind=RouteKind.LIST,
        marker=Marker(mine=_work_in("毛桥村"), theirs=_work_in("庄营村"), outsider="zhuangying"),
    ),
    RouteCase(
        "livability:works_export",
        lambda w: "/livability/ledger.xlsx",
        outsider="",
        kind=RouteKind.EXPORT,
        marker=Marker(mine=_work_in("毛桥村"), theirs=_work_in("庄营村"), outsider="zhuangying"),
    ),
    RouteCase(
        "livability:work_new",
        lambda w: "/livability/new/",
        method="POST",
        data=_work_form,
        outsider="",  # another clerk records his own village's works; 毛桥村 is refused (test_livability)
        write=True,
        ok=(302,),
        effect=expect(
            lambda w: every(Work).filter(place="村东排水沟", unit="m").exists() and every(Photo).count() == 2,
            "the work and its before/after photos are stored",
        ),
    ),
    RouteCase(
        "livability:work_new",
        lambda w: "/livability/new/",
        label="GET livability:work_new",
        outsider="",
        kind=RouteKind.FORM,
        write=True,
    ),
    RouteCase(
        "livability:works_import",
        lambda w: "/livability/import/",
        method="POST",
        data=lambda w: _csv(
            w, "村代码,类型,数量,单位,名称或位置,开工日期,完工日期", "花池,12,座,村口花池,2023-04-01,2023-04-20"
        ),
        outsider="",
        write=True,
        ok=(302,),
        effect=expect(lambda w: every(Work).filter(kind="flower_bed", quantity=12).exists(), "the row is imported"),
    ),
    RouteCase(
        "livability:works_import",
        lambda w: "/livability/import/",
        label="GET livability:works_import",
        outsider="",
        kind=RouteKind.FORM,
        write=True,
    ),
    RouteCase("livability:work", lambda w: f"/livability/{f.work(w).pk}/", kind=RouteKind.DETAIL),
    RouteCase(
        "livability:work_photos",
        lambda w: f"/livability/{f.work(w).pk}/photos/",
        method="POST",
        data=lambda w: PHOTOS | {"photos": f.photo()},
        write=True,
        ok=(302,),
        effect=expect(lambda w: every(Photo).filter(stage="after", spot="村口").count() == 1, "the photo is stored"),
    ),
    RouteCase("livability:photo", _photo, kind=RouteKind.FILE),
    RouteCase(
        "livability:toilets",
        lambda w: "/livability/toilets/",
        outsider="",
        kind=RouteKind.LIST,
        marker=Marker(
            mine=_toilets_in("毛桥村"), theirs=_toilets_in("庄营村"), outsider="zhuangying", figure=_toilet_rows
        ),
    ),
    RouteCase(
        "livability:toilets_set",
        lambda w: "/livability/toilets/set/",
        method="POST",
        data=lambda w: {"village": w.unit("毛桥村").pk, "year": "2023", "households": "420", "covered": "401"},
        outsider="",
        write=True,
        ok=(302,),
        effect=expect(lambda w: every(ToiletCoverage).filter(covered=401, households=420).exists(), "coverage set"),
    ),
    RouteCase(
        "livability:toilets_set",
        lambda w: "/livability/toilets/set/",
        label="GET livability:toilets_set",
        outsider="",
        kind=RouteKind.FORM,
        write=True,
    ),
    RouteCase(
        "livability:centres",
        lambda w: "/livability/centres/",
        outsider="",
        kind=RouteKind.LIST,
        marker=Marker(mine=_centre_in("毛桥村"), theirs=_centre_in("庄营村"), outsider="zhuangying"),
    ),
    RouteCase("livability:centre", lambda w: f"/livability/centres/{f.centre(w).pk}/", kind=RouteKind.DETAIL),
    RouteCase(
        "livability:centre_save",
        lambda w: "/livability/centres/save/",
        method="POST",
        data=lambda w: {
            "village": w.unit("毛桥村").pk,
            "name": "毛桥村党群服务中心",
            "area": "430",
            "rooms": ["便民服务大厅", "党员活动室"],
            "rebuilt_on": "2023-05-12",
        },
        outsider="",
        write=True,
        ok=(302,),
        effect=expect(
            lambda w: every(Centre).filter(area=430, rebuilt_on="2023-05-12").exists(), "the centre is saved"
        ),
    ),
    RouteCase(
        "livability:centre_save",
        lambda w: "/livability/centres/save/",
        label="GET livability:centre_save",
        outsider="",
        kind=RouteKind.FORM,
        write=True,
    ),
    RouteCase(
        "livability:centre_photos",
        lambda w: f"/livability/centres/{f.centre(w).pk}/photos/",
        method="POST",
        data=lambda w: {"stage": "site", "photos": f.photo()},
        write=True,
        ok=(302,),
        effect=expect(lambda w: every(Photo).filter(centre__isnull=False).count() == 1, "the photo is stored"),
    ),
    RouteCase(
        "livability:rooms",
        lambda w: "/livability/centres/rooms/",
        method="POST",
        data=lambda w: {"rooms": "便民服务大厅\n党员活动室\n新时代文明实践站"},
        owner="xian",
        outsider="",  # the county's own list: a town or village user is refused (403), there is no other county's
        write=True,
        ok=(302,),
        effect=expect(
            lambda w: every(RoomStandard).get().rooms == ["便民服务大厅", "党员活动室", "新时代文明实践站"], "list set"
        ),
    ),
    RouteCase(
        "livability:rooms",
        lambda w: "/livability/centres/rooms/",
        label="GET livability:rooms",
        owner="xian",
        outsider="",
        kind=RouteKind.FORM,
        write=True,
    ),
    RouteCase(
        "livability:services",
        lambda w: "/livability/services/",
        outsider="",
        kind=RouteKind.LIST,
        marker=Marker(mine=_service_in("毛桥村"), theirs=_service_in("庄营村"), outsider="zhuangying"),
    ),
    RouteCase(
        "livability:service_new",
        lambda w: "/livability/services/new/",
        method="POST",
        data=lambda w: {
            "village": w.unit("毛桥村").pk,
            "mode": "immediate",
            "matter": "代办残疾证年审",
            "requested_on": "2023-06-01",
            "promised_days": "1",
            "outcome": "done",
            "finished_on": "2023-06-01",
        },
        outsider="",
        write=True,
        ok=(302,),
        effect=expect(
            lambda w: every(ServiceRequest).filter(matter="代办残疾证年审", outcome="done").exists(), "saved"
        ),
    ),
    RouteCase(
        "livability:service_new",
        lambda w: "/livability/services/new/",
        label="GET livability:service_new",
        outsider="",
        kind=RouteKind.FORM,
        write=True,
    ),
    RouteCase(
        "livability:service_finish",
        lambda w: f"/livability/services/{f.service(w).pk}/finish/",
        method="POST",
        data=lambda w: {"outcome": "done", "finished_on": "2023-05-02"},
        write=True,
        ok=(302,),
        effect=expect(
            lambda w: every(ServiceRequest).filter(outcome="done", finished_on="2023-05-02").exists(), "done"
        ),
    ),
    RouteCase(
        "livability:activities",
        lambda w: "/livability/activities/",
        outsider="",
        kind=RouteKind.LIST,
        marker=Marker(mine=_activity_in("毛桥村"), theirs=_activity_in("庄营村"), outsider="zhuangying"),
    ),
    RouteCase(
        "livability:activities_export",
        lambda w: "/livability/activities/ledger.xlsx",
        outsider="",
        kind=RouteKind.EXPORT,
        marker=Marker(mine=_activity_in("毛桥村"), theirs=_activity_in("庄营村"), outsider="zhuangying"),
    ),
    RouteCase(
        "livability:activity_new",
        lambda w: "/livability/activities/new/",
        method="POST",
        data=_activity_form,
        outsider="",
        write=True,
        ok=(302,),
        effect=expect(lambda w: every(Activity).filter(kind="show", attendance=600).exists(), "the show is recorded"),
    ),
    RouteCase(
        "livability:activity_new",
        lambda w: "/livability/activities/new/",
        label="GET livability:activity_new",
        outsider="",
        kind=RouteKind.FORM,
        write=True,
    ),
    RouteCase(
        "livability:activities_import",
        lambda w: "/livability/activities/import/",
        method="POST",
        data=lambda w: _csv(w, "村代码,类型,名称,日期,组织单位,参加人数", "免费义诊,夏季义诊,2023-07-08,镇卫生院,120"),
        outsider="",
        write=True,
        ok=(302,),
        effect=expect(
            lambda w: every(Activity).filter(kind="clinic", title="夏季义诊").exists(), "the row is imported"
        ),
    ),
    RouteCase(
        "livability:activities_import",
        lambda w: "/livability/activities/import/",
        label="GET livability:activities_import",
        outsider="",
        kind=RouteKind.FORM,
        write=True,
    ),
    RouteCase("livability:activity", lambda w: f"/livability/activities/{f.activity(w).pk}/", kind=RouteKind.DETAIL),
    RouteCase(
        "livability:activity_photos",
        lambda w: f"/livability/activities/{f.activity(w).pk}/photos/",
        method="POST",
        data=lambda w: {"stage": "site", "photos": f.photo()},
        write=True,
        ok=(302,),
        effect=expect(lambda w: every(Photo).filter(activity__isnull=False).count() == 1, "the photo is stored"),
    ),
    RouteCase(
        "livability:honours",
        lambda w: "/livability/honours/",
        outsider="",
        kind=RouteKind.LIST,
        marker=Marker(mine=_honour_in("毛桥村"), theirs=_honour_in("庄营村"), outsider="zhuangying"),
    ),
    RouteCase(
        "livability:honour_new",
        lambda w: "/livability/honours/new/",
        method="POST",
        data=lambda w: {"village": w.unit("毛桥村").pk, "name": "文明村", "level": "county", "year": "2023"},
        outsider="",
        write=True,
        ok=(302,),
        effect=expect(lambda w: every(Honour).filter(level="county", year=2023).exists(), "the honour is recorded"),
    ),
    RouteCase(
        "livability:honour_new",
        lambda w: "/livability/honours/new/",
        label="GET livability:honour_new",
        outsider="",
        kind=RouteKind.FORM,
        write=True,
    ),
    # API
    RouteCase(
        "api:livability_works",
        lambda w: "/api/v1/livability/works",
        api=True,
        outsider="",
        kind=RouteKind.LIST,
        marker=Marker(mine=_work_in("毛桥村"), theirs=_work_in("庄营村"), outsider="zhuangying"),
    ),
    RouteCase(
        "api:livability_work", lambda w: f"/api/v1/livability/works/{f.work(w).pk}", api=True, kind=RouteKind.DETAIL
    ),
    RouteCase(
        "api:record_work",
        lambda w: "/api/v1/livability/works",
        method="POST",
        api=True,
        data=lambda w: {
            "village_code": w.unit("毛桥村").code,
            "kind": "road_widen",
            "quantity": "800",
            "unit": "米",
            "place": "主街加宽铺设彩砖",
            "started_on": "2023-03-01",
            "finished_on": "2023-04-15",
        },
        write=True,
        ok=(201,),
        effect=expect(lambda w: every(Work).filter(kind="road_widen", quantity=800).exists(), "the work is recorded"),
    ),
    RouteCase(
        "api:livability_activities",
        lambda w: "/api/v1/livability/activities",
        api=True,
        outsider="",
        kind=RouteKind.LIST,
        marker=Marker(mine=_activity_in("毛桥村"), theirs=_activity_in("庄营村"), outsider="zhuangying"),
    ),
    RouteCase(
        "api:record_activity",
        lambda w: "/api/v1/livability/activities",
        method="POST",
        api=True,
        data=lambda w: {
            "village_code": w.unit("毛桥村").code,
            "kind": "law",
            "title": "宪法宣传进村",
            "held_on": "2023-12-04",
            "organiser": "镇司法所",
            "attendance": 80,
        },
        write=True,
        ok=(201,),
        effect=expect(lambda w: every(Activity).filter(kind="law").exists(), "the activity is recorded"),
    ),
    RouteCase(
        "api:livability_services",
        lambda w: "/api/v1/livability/services",
        api=True,
        outsider="",
        kind=RouteKind.LIST,
        marker=Marker(mine=_service_in("毛桥村"), theirs=_service_in("庄营村"), outsider="zhuangying"),
    ),
    RouteCase(
        "api:livability_centres",
        lambda w: "/api/v1/livability/centres",
        api=True,
        outsider="",
        kind=RouteKind.LIST,
        marker=Marker(mine=_centre_in("毛桥村"), theirs=_centre_in("庄营村"), outsider="zhuangying"),
    ),
    RouteCase(
        "api:livability_honours",
        lambda w: "/api/v1/livability/honours",
        api=True,
        outsider="",
        kind=RouteKind.LIST,
        marker=Marker(mine=_honour_in("毛桥村"), theirs=_honour_in("庄营村"), outsider="zhuangying"),
    ),
    RouteCase(
        "api:livability_toilets",
        lambda w: "/api/v1/livability/toilets",
        api=True,
        outsider="",
        kind=RouteKind.LIST,
        marker=Marker(
            mine=_toilets_in("毛桥村"), theirs=_toilets_in("庄营村"), outsider="zhuangying", figure=_toilet_items
        ),
    ),
]
