import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from xingyao.core.models import AuditEntry
from xingyao.disputes.models import AgreementDocument, Dispute, Party
from xingyao.grid.tests import factories as f

PHONE = "13812345678"


def register_form(world, **overrides):
    data = {
        "village": world.unit("毛桥村").pk,
        "type": "homestead",
        "risk": "orange",
        "received_on": timezone.localdate().isoformat(),
        "summary": "兄弟两家宅基地四至争议",
        "description": "父辈宅基地分割不清，翻建房屋时发生争执。",
        "amount": "",
        "p1_side": "applicant",
        "p1_name": "毛建军",
        "p1_phone": PHONE,
        "p2_side": "respondent",
        "p2_name": "毛建民",
        "p2_phone": "13900001111",
        "p3_side": "respondent",
        "p4_side": "respondent",
    }
    return data | overrides


def text(response) -> str:
    return response.content.decode()


def test_town_registers_triages_mediates_and_closes_a_case(world, login):
    zhen = login("zhen")
    response = zhen.post("/disputes/new/", register_form(world))
    assert response.status_code == 302
    case = Dispute.objects.get()
    assert case.parties.count() == 2 and case.status == "registered"
    team = {"risk": "red", "lead_department": world.unit("溧河铺司法所").pk, "team": [world.unit("溧河铺派出所").pk]}
    assert zhen.post(f"/disputes/{case.pk}/triage/", team).status_code == 302
    today = timezone.localdate().isoformat()
    early = zhen.post(f"/disputes/{case.pk}/outcome/", {"outcome": "mediated", "closed_on": today, "result_note": "x"})
    assert early.status_code == 400 and "须先记录至少一次调解" in text(early)
    # The police station is on the joint team: its handler records the session.
    session = {"held_on": today, "place": "村委会", "mediators": "派出所赵卫东、司法所王振华", "note": "释法明理"}
    assert login("paichusuo").post(f"/disputes/{case.pk}/session/", session).status_code == 302
    document = zhen.post(f"/disputes/{case.pk}/documents/", {"file": f.pdf_upload()})
    assert document.status_code == 302
    closed = {"outcome": "pre_litigation", "closed_on": today, "result_note": "法院委派诉前调解，达成协议"}
    assert zhen.post(f"/disputes/{case.pk}/outcome/", closed).status_code == 302
    case.refresh_from_db()
    assert (case.status, case.outcome, case.mediated) == ("closed", "pre_litigation", True)
    assert set(case.team_members.values_list("department__name", flat=True)) == {"溧河铺司法所", "溧河铺派出所"}
    assert list(case.steps.values_list("action", flat=True)) == ["register", "triage", "session", "document", "close"]
    rows = AuditEntry.objects.filter(object_type="disputes.dispute", object_id=str(case.pk))
    assert rows.count() == 5
    assert PHONE not in str(list(rows.values_list("after", flat=True)))  # no personal data in the audit chain


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"p2_name": "", "p2_phone": ""}, "这个字段是必填项"),
        ({"p2_side": "applicant"}, "请至少登记一名申请人和一名被申请人"),
        ({"p1_phone": "12ab"}, "联系电话「12ab」应为 11 位手机号或带区号的固定电话"),
        ({"received_on": "2999-01-01"}, "受理日期不能晚于今天"),
    ],
)
def test_bad_registration_shows_a_chinese_message_and_writes_nothing(world, login, overrides, message):
    response = login("zhen").post("/disputes/new/", register_form(world, **overrides))
    assert response.status_code == 400
    assert message in text(response)
    assert not Dispute.objects.exists() and not Party.objects.exists()


def test_party_phones_are_masked_for_roles_without_the_right(world, login):
    case = f.dispute(world, phone=PHONE, team=("溧河铺司法所",))
    for username in ("zhen",):
        assert PHONE in text(login(username).get(f"/disputes/{case.pk}/"))
    for username in ("maoqiao", "lingdao", "zhen_shenhe"):
        page = text(login(username).get(f"/disputes/{case.pk}/"))
        assert PHONE not in page and "王大勇" not in page, username
        assert "138****5678" in page and "王**" in page
        listing = text(login(username).get("/disputes/"))
        assert PHONE not in listing and "王大勇" not in listing
        book = load_workbook(io.BytesIO(login(username).get("/disputes/ledger.xlsx").content))
        cells = " ".join(str(v) for row in book.active.iter_rows(values_only=True) for v in row)
        assert PHONE not in cells and "138****5678" in cells, username


def test_joint_team_department_sees_the_case_and_its_parties_others_do_not(world, login, api):
    ours = f.dispute(world, team=("溧河铺派出所",), summary="派出所参与的案件")
    other = f.dispute(world, team=("溧河铺司法所",), summary="司法所的案件")
    client = login("paichusuo")
    assert PHONE in text(client.get(f"/disputes/{ours.pk}/"))
    assert client.get(f"/disputes/{other.pk}/").status_code == 404
    assert [d["summary"] for d in api("paichusuo").get("/api/v1/disputes").json()["items"]] == ["派出所参与的案件"]
    book = load_workbook(io.BytesIO(client.get("/disputes/ledger.xlsx").content))
    cells = " ".join(str(v) for row in book.active.iter_rows(values_only=True) for v in row)
    assert PHONE in cells and "司法所的案件" not in cells


def test_village_clerk_cannot_see_another_villages_disputes_by_page_api_or_export(world, login, api):
    case = f.dispute(world, summary="毛桥村的纠纷")
    client = login("zhuangying")
    assert client.get(f"/disputes/{case.pk}/").status_code == 404
    assert api("zhuangying").get(f"/api/v1/disputes/{case.pk}").status_code == 404
    assert api("zhuangying").get("/api/v1/disputes").json() == {"count": 0, "limit": 50, "offset": 0, "items": []}
    assert "毛桥村的纠纷" not in text(client.get("/disputes/"))
    book = load_workbook(io.BytesIO(client.get("/disputes/ledger.xlsx").content))
    assert book.active.max_row == 1
    assert client.get(f"/disputes/figures/?unit={world.unit('毛桥村').code}").status_code == 404


def test_agreement_must_be_what_its_name_says_and_only_case_workers_download_it(world, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    case = f.dispute(world, status="mediating", team=("溧河铺司法所",))
    fake = SimpleUploadedFile("协议书.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = login("zhen").post(f"/disputes/{case.pk}/documents/", {"file": fake})
    assert response.status_code == 400 and "内容与扩展名 .pdf 不符" in text(response)
    assert not AgreementDocument.objects.exists()
    login("zhen").post(f"/disputes/{case.pk}/documents/", {"file": f.pdf_upload()})
    document = AgreementDocument.objects.get()
    assert login("zhen").get(f"/disputes/documents/{document.pk}/").status_code == 200
    assert login("maoqiao").get(f"/disputes/documents/{document.pk}/").status_code == 403
    assert login("zhuangying").get(f"/disputes/documents/{document.pk}/").status_code == 404


def test_figures_page_shows_rates_per_village_and_by_type(world, login):
    day = dt.date(2024, 5, 1)
    f.dispute(world, status="closed", outcome="mediated", received_on=day)
    f.dispute(world, status="closed", outcome="pre_litigation", received_on=day, type="land")
    f.dispute(world, status="closed", outcome="failed", received_on=day)
    f.dispute(world, village="庄营村", status="closed", outcome="withdrawn", received_on=day)
    response = login("zhen").get("/disputes/figures/?year=2024")
    overall = response.context["overall"]
    assert (overall.received, overall.mediated, overall.pre_litigation) == (4, 2, 1)
    assert str(overall.success_rate) == "66.7" and str(overall.mediation_rate) == "75.0"
    assert [name for name, _ in response.context["rows"]] == ["毛桥村", "庄营村"]
    api_rows = login("zhen").get("/api/v1/disputes/figures?year=2024").json()
    assert api_rows[-1]["village"] == "合计" and api_rows[-1]["mediated"] == 2


def test_dispute_list_takes_the_same_number_of_queries_for_more_cases(world, login, django_assert_max_num_queries):
    client = login("zhen")
    f.dispute(world, team=("溧河铺司法所",))
    client.get("/disputes/")
    with django_assert_max_num_queries(14) as few:
        client.get("/disputes/")
    for _ in range(20):
        f.dispute(world, team=("溧河铺司法所", "溧河铺派出所"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/disputes/")


def test_the_demo_reads_44_mediated_and_9_pre_litigation_for_lihepu_in_2023(db):
    from xingyao.demo.safety import load_disputes
    from xingyao.demo.tree import load_tree
    from xingyao.disputes.queries import figures_by_village
    from xingyao.places.models import Unit

    load_tree()
    load_disputes()
    town = Unit.objects.get(name="溧河铺镇")
    since, until = dt.date(2023, 1, 1), dt.date(2023, 12, 31)
    cases = Dispute.objects.within(town).filter(received_on__gte=since, received_on__lte=until)
    overall, _ = figures_by_village(cases)
    assert (overall.mediated, overall.pre_litigation) == (44, 9)
    assert overall.received > 44  # failures and open cases too, so the rates are not trivially 100 %
    assert load_disputes().startswith("矛盾纠纷新增 0 件")  # idempotent
