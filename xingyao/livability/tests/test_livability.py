"""人居环境 and 文明幸福 through the pages, the API and the database: works and their bad input, photos reused across
villages, imports, toilets, centres and the county's room list, services, honours, home-page tasks, the metrics the
example criteria bind and the query counts of every list."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from xingyao.core import metrics
from xingyao.core.models import AuditEntry
from xingyao.core.testing import every
from xingyao.livability import actions
from xingyao.livability.models import Activity, Centre, Photo, ServiceRequest, ToiletCoverage, Work
from xingyao.livability.tests import factories as f

pytestmark = pytest.mark.django_db
READ = "a test reads every village"


def _form(world, **changes):  # type: ignore[no-untyped-def]
    data = {
        "village": world.unit("毛桥村").pk,
        "kind": "road_repair",
        "quantity": "1500",
        "measure": "m",
        "place": "毛桥村环形路",
        "started_on": "2023-03-25",
        "finished_on": "2023-05-20",
        "cost": "18",
    }
    return data | changes


def _json(world, **changes):  # type: ignore[no-untyped-def]
    data = {
        "village_code": world.unit("毛桥村").code,
        "kind": "road_repair",
        "quantity": "300",
        "unit": "米",
        "place": "村北道路",
        "started_on": "2023-04-01",
        "finished_on": "2023-04-30",
    }
    return data | changes


def _value(key: str, unit, period=2023):  # type: ignore[no-untyped-def]
    return metrics.unscoped(READ).compute(key, [unit], period).get(unit.pk)


def test_a_clerk_records_a_work_with_photos_before_and_after_at_the_same_spot(world, login):
    client = login("maoqiao")
    response = client.post(
        "/livability/new/",
        _form(world, spot="村口", before=f.photo("前.jpg", "gray"), after=f.photo("后.jpg", "green")),
    )
    assert response.status_code == 302
    work = every(Work).get()
    assert (work.kind, work.quantity, work.unit, work.cost) == ("road_repair", 1500, "m", Decimal(18))
    assert sorted(every(Photo).values_list("stage", "spot")) == [("after", "村口"), ("before", "村口")]
    page = client.get(response["Location"]).content.decode()
    assert "毛桥村环形路" in page and "1500 米" in page and "整治前 · 村口" in page and "整治后 · 村口" in page
    entry = every(AuditEntry).get(action="work.record")
    assert entry.actor == world.user("maoqiao") and entry.after["photos"] == 2


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"quantity": "-5"}, "数量不能为负数"),
        ({"quantity": "0"}, "数量应大于 0"),
        ({"quantity": "1000000"}, "超出一个村一项工程的合理范围（不超过 50,000 米）"),
        ({"finished_on": "2023-03-01"}, "完工日期（2023-03-01）不能早于开工日期（2023-03-25）"),
        ({"measure": "m2"}, "整修入村道路的单位应为“米”，不是“平方米”"),
        ({"kind": "flower_bed", "measure": "piece", "quantity": "2.5"}, "以“座”计的数量应为整数"),
        ({"started_on": "2999-01-01", "finished_on": ""}, "开工日期不能晚于今天"),
        ({"place": "环形\x07路"}, "名称或位置含有不可见的控制字符"),
        ({"cost": "1000000"}, "投资（万元）超出范围"),
    ],
)
def test_bad_works_are_refused_in_chinese_with_nothing_written(world, login, changes, message):
    response = login("maoqiao").post("/livability/new/", _form(world, **changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not every(Work).exists() and not every(AuditEntry).filter(action="work.record").exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"unit": ""}, "请填写单位"),
        ({"unit": "吨"}, "单位「吨」无效"),
        ({"quantity": "1e6"}, "数量应为数字"),
        ({"quantity": "1000000"}, "不超过 50,000 米"),
        ({"kind": "rocket"}, "类型应为"),
        ({"finished_on": "2023-03-31"}, "不能早于开工日期"),
    ],
)
def test_the_api_refuses_the_same_bad_works(world, api, changes, message):
    response = api("maoqiao").post("/api/v1/livability/works", _json(world, **changes), content_type="application/json")
    assert response.status_code == 400 and message in response.json()["detail"]
    assert not every(Work).exists()


def test_a_clerk_cannot_record_for_another_village(world, login, api):
    page = login("maoqiao").post("/livability/new/", _form(world, village=world.unit("庄营村").pk))
    assert page.status_code == 400 and "不在您的管辖范围内" in page.content.decode()
    payload = _json(world, village_code=world.unit("庄营村").code)
    assert api("maoqiao").post("/api/v1/livability/works", payload, content_type="application/json").status_code == 404
    assert not every(Work).exists()


def test_adding_one_work_through_the_api_moves_the_village_and_town_figures(world, api):
    maoqiao, town = world.unit("毛桥村"), world.unit("溧河铺镇")
    f.work(world, quantity=1200)
    assert _value("livability.road_metres", maoqiao) == 1200
    before = _value("livability.road_metres", town)
    made = api("maoqiao").post("/api/v1/livability/works", _json(world), content_type="application/json")
    assert made.status_code == 201 and made.json()["unit"] == "米"
    assert _value("livability.road_metres", maoqiao) == 1500
    assert _value("livability.road_metres", town) == before + 300
    widened = _json(world, kind="road_widen", quantity="200", place="主街")
    api("maoqiao").post("/api/v1/livability/works", widened, content_type="application/json")
    assert (
        _value("livability.road_metres", maoqiao) == 1700 and _value("livability.road_widened_metres", maoqiao) == 200
    )
    unfinished = _json(world, kind="drain", quantity="900", place="未完工管网", finished_on=None)
    api("maoqiao").post("/api/v1/livability/works", unfinished, content_type="application/json")
    assert _value("livability.drain_metres", maoqiao) == 0  # counted once it is finished


def test_a_photo_reused_across_villages_is_flagged_and_not_counted(world, login):
    mine = f.work(world, kind="cleanup", quantity=1, place="三月清洁行动")
    theirs = f.work(world, "庄营村", kind="cleanup", quantity=1, place="庄营清洁行动")
    f.stored_photo(mine, stage="before", digest="a" * 64)
    f.stored_photo(mine, stage="after", digest="b" * 64)
    assert _value("livability.cleanups_photographed_count", world.unit("毛桥村")) == 1
    f.stored_photo(theirs, stage="before", digest="b" * 64)  # 庄营村 uploads 毛桥村's after photo
    assert _value("livability.cleanups_photographed_count", world.unit("毛桥村")) == 0
    assert "此照片也用于：辖区外" in login("maoqiao").get(f"/livability/{mine.pk}/").content.decode()
    assert "此照片也用于：毛桥村" in login("zhen").get(f"/livability/{theirs.pk}/").content.decode()


def test_uploading_a_photo_that_is_not_an_image_writes_nothing(world, login):
    work = f.work(world)
    fake = SimpleUploadedFile("现场.jpg", b"not a picture", content_type="image/jpeg")
    response = login("maoqiao").post(f"/livability/{work.pk}/photos/", {"stage": "after", "photos": fake})
    assert response.status_code == 400 and "不是有效的图片文件" in response.content.decode()
    assert not every(Photo).exists()


# --- imports ----------------------------------------------------------------------------------------------------


def _xlsx(rows: list[list[object]], header: list[str] | None = None) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.title = "人居环境"
    sheet.append(header or [*actions.WORK_COLUMNS, *actions.WORK_OPTIONAL])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("台账.xlsx", out.getvalue())


def test_an_import_writes_every_row_and_one_audit_row_for_the_county(world, login):
    code = world.unit("毛桥村").code
    rows = [
        [code, "整修入村道路", 800, "米", "村南道路", dt.date(2023, 3, 1), dt.date(2023, 4, 1), 9.6, ""],
        [code, "花池", 12, "座", "村口花池", "2023-04-02", "2023/4/20", "", ""],
        [world.unit("庄营村").code, "墙绘", 180, "㎡", "主街墙绘", "2023.7.11", "2023.7.31", "", "乡村振兴主题"],
    ]
    response = login("zhen").post("/livability/import/", {"file": _xlsx(rows)})
    assert response.status_code == 302
    assert every(Work).count() == 3 and every(Work).get(kind="wall_painting").unit == "m2"
    entry = every(AuditEntry).get(action="work.import")
    assert entry.after == {"rows": 3, "villages": {"毛桥村": 2, "庄营村": 1}}


def test_bad_rows_are_named_by_sheet_row_and_column_and_nothing_is_written(world, login):
    code = world.unit("毛桥村").code
    rows = [
        [code, "整修入村道路", 800, "米", "村南道路", "2023-03-01", "2023-04-01"],
        [code, "整修入村道路", 1_000_000, "米", "一百万米的路", "2023-03-01", ""],
        [code, "修建下水管网", -3, "米", "排水沟", "2023-03-01", ""],
        [code, "花池", 12, "", "没有单位", "2023-04-02", ""],
        [code, "花池", 12, "座", "先完工后开工", "2023-04-02", "2023-04-01"],
        [world.unit("施东村").code, "花池", 3, "座", "别的镇", "2023-04-02", ""],
        ["999999999999", "花池", 3, "座", "不存在的村", "2023-04-02", ""],
    ]
    response = login("zhen").post("/livability/import/", {"file": _xlsx(rows)})
    page = response.content.decode()
    assert response.status_code == 400 and "未写入任何数据" in page
    for expected in [
        "工作表「人居环境」第 3 行「数量」列：数量 1,000,000 米超出一个村一项工程的合理范围",
        "第 4 行「数量」列：数量不能为负数",
        "第 5 行「单位」列：请填写单位",
        "第 6 行「完工日期」列：完工日期（2023-04-01）不能早于开工日期（2023-04-02）",
        "第 7 行「村代码」列：村代码不存在或不在您的辖区内",
        "第 8 行「村代码」列：村代码不存在或不在您的辖区内",
    ]:
        assert expected in page
    assert "第 2 行" not in page
    assert not every(Work).exists() and not every(AuditEntry).filter(action="work.import").exists()


def test_ten_thousand_rows_import_in_a_fixed_number_of_queries_besides_the_inserts(world, login, settings):
    settings.XINGYAO_JOB_IMPORT_BYTES = 10 * 1024 * 1024  # the import itself, inside the request (not the worker)
    codes = [world.unit(name).code for name in ("毛桥村", "庄营村")]
    rows = [[codes[n % 2], "花池", 1 + n % 9, "座", f"花池{n}", "2023-04-02", "2023-04-20"] for n in range(10_000)]
    upload = _xlsx(rows, [*actions.WORK_COLUMNS, "完工日期"])
    client = login("zhen")
    with CaptureQueriesContext(connection) as done:
        response = client.post("/livability/import/", {"file": upload})
    assert response.status_code == 302
    # One INSERT per batch the database takes (2,000 rows on PostgreSQL, ~90 on SQLite); the rest is fixed.
    others = [q["sql"] for q in done.captured_queries if not q["sql"].startswith('INSERT INTO "livability_work"')]
    assert len(others) <= 15, others
    assert every(Work).count() == 10_000


def test_an_exported_ledger_imports_again(world, login):
    f.work(world, place="村南道路")
    client = login("zhen")
    ledger = client.get("/livability/ledger.xlsx").content
    cells = list(load_workbook(io.BytesIO(ledger)).active.iter_rows(values_only=True))
    assert cells[0][1:7] == tuple(actions.WORK_COLUMNS) and cells[1][5] == "村南道路"
    again = client.post("/livability/import/", {"file": SimpleUploadedFile("台账.xlsx", ledger)})
    assert again.status_code == 302 and every(Work).filter(place="村南道路").count() == 2


def test_activities_import_with_their_own_columns(world, login):
    code = world.unit("毛桥村").code
    header = [*actions.ACTIVITY_COLUMNS, *actions.ACTIVITY_OPTIONAL]
    rows = [
        [code, "送戏下乡", "豫剧专场", "2023-05-01", "县文化馆", 300, ""],
        [code, "义诊", "x", "2023-05-01", "y", -1, ""],
    ]
    response = login("maoqiao").post("/livability/activities/import/", {"file": _xlsx(rows, header)})
    page = response.content.decode()
    assert (
        "第 3 行「类型」列：类型应为" in page and "第 3 行「参加人数」列：参加人数应为 0 到 100,000 之间的整数" in page
    )
    assert not every(Activity).exists()
    rows[1] = [code, "免费义诊", "夏季义诊", "2023-07-08", "镇卫生院", 120, ""]
    assert login("maoqiao").post("/livability/activities/import/", {"file": _xlsx(rows, header)}).status_code == 302
    assert _value("livability.activities_count", world.unit("毛桥村")) == 1
    assert _value("livability.care_count", world.unit("毛桥村")) == 1


# --- toilets, centres, services, honours ------------------------------------------------------------------------


def test_toilet_coverage_is_a_rate_and_more_covered_than_households_is_refused(world, login):
    client = login("maoqiao")
    data = {"village": world.unit("毛桥村").pk, "year": "2023", "households": "400", "covered": "401"}
    response = client.post("/livability/toilets/set/", data)
    assert response.status_code == 400 and "已改造户数（401）不能多于农户总数（400）" in response.content.decode()
    assert client.post("/livability/toilets/set/", data | {"covered": "372"}).status_code == 302
    assert client.post("/livability/toilets/set/", data | {"covered": "380"}).status_code == 302  # corrected
    assert every(ToiletCoverage).get().covered == 380
    assert _value("livability.toilet_coverage_rate", world.unit("毛桥村")) == Decimal("95.0")
    f.toilets(world, "庄营村", households=600, covered=300)
    assert _value("livability.toilet_coverage_rate", world.unit("溧河铺镇")) == Decimal("68.0")  # 680 / 1000


def test_a_centre_is_complete_against_its_countys_room_list(world, login):
    centre = f.centre(world)
    maoqiao = world.unit("毛桥村")
    assert _value("livability.centre_complete", maoqiao) is True
    response = login("xian").post("/livability/centres/rooms/", {"rooms": "便民服务大厅\n党员活动室\n新时代文明实践站"})
    assert response.status_code == 302
    assert _value("livability.centre_complete", maoqiao) is False
    page = login("maoqiao").get(f"/livability/centres/{centre.pk}/").content.decode()
    assert "缺少：新时代文明实践站" in page
    assert login("maoqiao").post("/livability/centres/rooms/", {"rooms": "便民服务大厅"}).status_code == 403


def test_a_centres_area_is_bounded(world, login):
    data = {"village": world.unit("毛桥村").pk, "name": "党群服务中心", "area": "200000", "rooms": ["便民服务大厅"]}
    response = login("maoqiao").post("/livability/centres/save/", data)
    assert response.status_code == 400 and "建筑面积应在 0 到 20,000 平方米之间" in response.content.decode()
    assert not every(Centre).exists()


def test_services_on_time_rate_counts_what_was_done_within_its_promise(world, login):
    maoqiao = world.unit("毛桥村")
    f.service(world, outcome="done", days=1, finished_on=dt.date(2023, 5, 2))  # on time
    f.service(world, outcome="done", days=1, finished_on=dt.date(2023, 5, 5))  # late
    f.service(world, outcome="referred", days=1, finished_on=dt.date(2023, 5, 1))
    f.service(world, outcome="open", days=1)  # still open, long past its day
    assert _value("livability.services_on_time_rate", maoqiao) == Decimal("25.0")
    late = every(ServiceRequest).get(outcome="open")
    response = login("maoqiao").post(
        f"/livability/services/{late.pk}/finish/", {"outcome": "done", "finished_on": "2023-04-30"}
    )
    assert response.status_code == 400 and "办结日期不能早于受理日期（2023-05-01）" in response.content.decode()
    assert every(ServiceRequest).get(pk=late.pk).outcome == "open"


def test_the_highest_honour_answers_the_criteria_choice(world):
    maoqiao = world.unit("毛桥村")
    assert _value("livability.honour_level", maoqiao) == "none"
    f.honour(world, level="town", year=2021)
    assert _value("livability.honour_level", maoqiao) == "town"
    f.honour(world, level="province", year=2023, name="省级文明村")
    assert _value("livability.honour_level", maoqiao) == "county"  # 县级及以上
    assert _value("livability.honour_level", maoqiao, 2022) == "town"  # not yet named in 2022


def test_a_duplicate_honour_is_refused(world, login):
    data = {"village": world.unit("毛桥村").pk, "name": "文明村", "level": "county", "year": "2022"}
    assert login("maoqiao").post("/livability/honours/new/", data).status_code == 302
    again = login("maoqiao").post("/livability/honours/new/", data)
    assert again.status_code == 400 and "已登记" in again.content.decode()


def test_the_clerk_is_reminded_of_overdue_services_and_missing_after_photos(world, login):
    home = login("maoqiao").get("/home/").content.decode()
    assert "便民服务事项已超过承诺时限" not in home
    f.service(world)
    f.work(world)  # finished in 2023: long past, no longer a reminder
    assert "已完工的人居环境工程待上传整治后照片" not in login("maoqiao").get("/home/").content.decode()
    recent = timezone.localdate() - dt.timedelta(days=10)
    f.work(world, place="村东排水沟", started_on=recent, finished_on=recent)
    home = login("maoqiao").get("/home/").content.decode()
    assert "便民服务事项已超过承诺时限" in home and "已完工的人居环境工程待上传整治后照片" in home
    assert "便民服务事项已超过承诺时限" not in login("zhuangying").get("/home/").content.decode()


# --- the assessment, metrics and query counts ---------------------------------------------------------------------


def test_the_assessment_takes_ecology_civility_and_law_values_from_the_records(world):
    from xingyao.assessments.tests import fixtures as af

    a = af.assessment(world, "庄营村")  # keeps a Party-life and a livability year
    expected = {
        "ecology.1.1": "1000", "ecology.1.2": "600", "ecology.2.1": "95", "ecology.2.2": "6",
        "civility.1.1": True, "civility.1.2": "100", "civility.2.1": "6", "civility.2.2": "county",
        "civility.3.1": "2", "safety.2.2": "4",
    }  # fmt: skip
    assert {code: af.value(a, code).derived_value for code in expected} == expected
    bare = af.assessment(world, "施东村", party_life=False)
    assert af.value(bare, "ecology.1.1").derived_value == "0"
    assert af.value(bare, "civility.1.1").derived_value is False
    assert af.value(bare, "civility.1.2").derived_value is None  # no service to rate


KEYS = [m.key for m in metrics.all_metrics() if m.app == "livability"]


def test_every_metric_links_to_its_records_and_takes_the_same_queries_for_one_village_or_all(world, login):
    for name in ("毛桥村", "庄营村", "施东村"):
        f.kept_year(world, name)
    assert len(KEYS) == 18
    reader = metrics.unscoped(READ)
    villages = [world.unit(n) for n in ("毛桥村", "庄营村", "施东村")]
    counts = {}
    for key in KEYS:
        with CaptureQueriesContext(connection) as one:
            reader.values([key], villages[:1], 2023)
        with CaptureQueriesContext(connection) as many:
            found = reader.values([key], [*villages, world.unit("溧河铺镇"), world.unit("新野县")], 2023)
        assert len(many) == len(one) + 1, key  # + the villages of the town and county
        counts[key] = len(one)
        assert found[(villages[0].pk, key)] is not None
        link = metrics.get(key).url_for(villages[0], 2023)
        assert link and login("maoqiao").get(link).status_code == 200, key
    assert max(counts.values()) <= 3, counts


@pytest.mark.parametrize(
    ("url", "make", "shown", "limit"),
    [
        ("/livability/?year=2023", lambda w, n: f.work(w, place=f"道路{n}"), "道路", 12),
        ("/livability/activities/?year=2023", lambda w, n: f.activity(w, title=f"演出{n}"), "演出", 12),
        ("/livability/services/", lambda w, n: f.service(w, matter=f"代办{n}"), "代办", 12),
        ("/livability/honours/", lambda w, n: f.honour(w, name=f"荣誉{n}"), "荣誉", 12),
        ("/livability/toilets/", lambda w, n: f.toilets(w, year=2000 + n), "<tr><td>20", 12),
        ("/livability/centres/", lambda w, n: f.centre(w, ("毛桥村", "庄营村")[n % 2], name=f"中心{n}"), "中心", 12),
        ("/api/v1/livability/works", lambda w, n: f.work(w, place=f"道路{n}"), "道路", 10),
        ("/api/v1/livability/activities", lambda w, n: f.activity(w, title=f"演出{n}"), "演出", 10),
        ("/api/v1/livability/services", lambda w, n: f.service(w, matter=f"代办{n}"), "代办", 10),
        ("/api/v1/livability/honours", lambda w, n: f.honour(w, name=f"荣誉{n}"), "荣誉", 10),
        ("/api/v1/livability/toilets", lambda w, n: f.toilets(w, year=2000 + n), '"year"', 10),
        (
            "/api/v1/livability/centres",
            lambda w, n: f.centre(w, ("毛桥村", "庄营村")[n % 2], name=f"中心{n}"),
            "中心",
            10,
        ),
    ],
)
def test_every_list_takes_a_fixed_number_of_queries(world, login, api, django_assert_max_num_queries, url, make, shown,
                                                    limit):  # fmt: skip
    client = api("zhen") if url.startswith("/api/") else login("zhen")
    rows = 2 if "centres" in url else 20
    for n in range(rows):
        make(world, n)
    with django_assert_max_num_queries(limit):
        response = client.get(url)
    text = json.dumps(response.json(), ensure_ascii=False) if url.startswith("/api/") else response.content.decode()
    assert response.status_code == 200 and text.count(shown) >= rows


def test_a_bad_filter_is_a_chinese_400(world, login, api):
    client = login("zhen")
    assert "日期止不能早于日期起" in client.get("/livability/?since=2023-05-01&until=2023-04-01").content.decode()
    assert client.get("/livability/?kind=rocket").status_code == 400
    response = api("zhen").get("/api/v1/livability/activities?group=everything")
    assert response.status_code == 400 and "活动大类" in response.json()["detail"]


def test_a_big_sheet_is_imported_by_the_background_worker_all_or_nothing(world, login, settings, monkeypatch):
    from xingyao.core.models import JobState
    from xingyao.core.tests.jobs import run_started

    settings.XINGYAO_JOB_IMPORT_BYTES = 0
    code = world.unit("毛桥村").code
    good = [code, "花池", 12, "座", "村口花池", "2023-04-02", "2023-04-20", "", ""]
    job = run_started(login("maoqiao").post("/livability/import/", {"file": _xlsx([good])}), monkeypatch)
    assert (job.state, job.summary) == (JobState.DONE, "导入完成：新增 1 条，涉及 1 个村")
    bad = [code, "花池", -1, "座", "负数花池", "2023-04-02", "", "", ""]
    job = run_started(login("maoqiao").post("/livability/import/", {"file": _xlsx([good, bad])}), monkeypatch)
    assert job.state == JobState.FAILED and "第 3 行「数量」列：数量不能为负数" in job.errors[0]
    assert every(Work).count() == 1
