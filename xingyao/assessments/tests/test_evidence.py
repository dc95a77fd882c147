"""Evidence: photos checked and re-encoded, EXIF time and position shown, reuse flagged, served only in scope."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from PIL import Image

from xingyao.assessments.models import Evidence
from xingyao.assessments.tests import fixtures as f
from xingyao.core.models import AuditEntry


def _upload(client, a, code="civility.1.1", upload=None):  # type: ignore[no-untyped-def]
    return client.post(
        f"/assessments/{a.pk}/evidence/",
        {"indicator": f.indicator(a, code).pk, "file": upload or f.photo(), "caption": "党群服务中心"},
    )


def test_a_photo_is_stored_without_metadata_and_its_time_and_place_are_shown(world, login):
    a = f.assessment(world)
    client = login("maoqiao")
    assert _upload(client, a).status_code == 302
    evidence = Evidence.objects.get(assessment=a)
    assert (evidence.is_image, evidence.original_name, evidence.caption) == (True, "现场.jpg", "党群服务中心")
    assert str(evidence.latitude) == "32.520000" and str(evidence.longitude) == "112.360000"
    page = client.get(f"/assessments/{a.pk}/").content.decode()
    assert "拍摄于 2023-09-19 10:30" in page and "位置 32.520000, 112.360000" in page
    with evidence.file.open("rb") as stored:
        assert not Image.open(stored).getexif()
    assert AuditEntry.objects.filter(action="assessment.evidence.add", object_id=str(evidence.pk)).exists()


def test_evidence_counts_toward_an_evidence_only_indicator(world, login):
    from xingyao.stars.models import Indicator
    from xingyao.stars.tests.fixtures import published_set

    # A county that keeps 普法 as photos rather than a count from the activity ledger.
    Indicator.objects.filter(criteria_set=published_set(world), code="safety.2.2").update(
        kind="evidence", data_source=None, threshold=None, unit="", evidence_count=4
    )
    a = f.assessment(world)
    client = login("maoqiao")
    for n in range(4):
        _upload(client, a, "safety.2.2", f.photo(f"普法{n}.jpg", color=["red", "green", "blue", "white"][n]))
    row = f.value(a, "safety.2.2")
    assert row.self_value is None and a.evidence.filter(indicator__code="safety.2.2").count() == 4
    page = client.get(f"/assessments/{a.pk}/").content.decode()
    assert "4 份" in page


def test_a_photo_reused_in_another_village_is_flagged_for_the_reviewer(world, login):
    mine, theirs = f.assessment(world), f.assessment(world, "庄营村")
    _upload(login("zhuangying"), theirs, upload=f.photo("庄营服务中心.jpg"))
    _upload(login("maoqiao"), mine, upload=f.photo("毛桥服务中心.jpg"))
    reviewer = login("zhen_shenhe").get(f"/assessments/{mine.pk}/").content.decode()
    assert "与其他村或年度的材料相同：庄营村 2023年" in reviewer
    # The village sees the flag but not the other village's name: that lies outside his scope.
    village = login("maoqiao").get(f"/assessments/{mine.pk}/").content.decode()
    assert "与其他村或年度的材料相同：辖区外" in village and "庄营村 2023年" not in village


def test_a_photo_reused_from_last_year_is_flagged(world, login):
    last_year = f.assessment(world, year=2022)
    this_year = f.assessment(world)
    client = login("maoqiao")
    _upload(client, last_year)
    _upload(client, this_year)
    assert "毛桥村 2022年" in client.get(f"/assessments/{this_year.pk}/").content.decode()


def test_evidence_files_are_served_only_in_scope_and_never_sniffed(world, login):
    a = f.assessment(world)
    _upload(login("maoqiao"), a)
    evidence = Evidence.objects.get(assessment=a)
    response = login("zhen_shenhe").get(f"/assessments/evidence/{evidence.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert login("zhuangying").get(f"/assessments/evidence/{evidence.pk}/").status_code == 404
    assert login("shian").get(f"/assessments/evidence/{evidence.pk}/").status_code == 404


def test_evidence_metadata_over_the_api(world, login, api):
    a = f.assessment(world)
    _upload(login("maoqiao"), a)
    rows = api("zhen_shenhe").get(f"/api/v1/assessments/{a.pk}/evidence").json()
    assert rows[0]["indicator_code"] == "civility.1.1"
    taken = dt.datetime.fromisoformat(rows[0]["taken_at"].replace("Z", "+00:00"))
    assert taken == dt.datetime(2023, 9, 19, 10, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert rows[0]["latitude"] == "32.520000" and rows[0]["reused_elsewhere"] == []
    assert rows[0]["url"] == f"/assessments/evidence/{rows[0]['id']}/"
