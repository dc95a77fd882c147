"""Agreement files are stored and shown under neutral names: the uploader's file name, which often names the
parties, reaches neither the case page, the API, the download, the history nor the audit chain."""

import importlib
from urllib.parse import unquote

from django.apps import apps
from django.core.files.base import ContentFile
from django.utils import timezone

from xingyao.core.models import AuditEntry
from xingyao.disputes.models import AgreementDocument, DisputeStep
from xingyao.grid.tests import factories as f

NAMED = "赵铁柱与钱翠花调解协议书.pdf"


def test_an_agreement_is_stored_under_a_neutral_name(world, login, api):
    case = f.dispute(world, status="mediating", team=("溧河铺司法所",))
    zhen = login("zhen")
    assert zhen.post(f"/disputes/{case.pk}/documents/", {"file": f.pdf_upload(NAMED)}).status_code == 302
    document = AgreementDocument.objects.get()
    assert document.original_name == f"调解协议书-{case.number}-1.pdf"
    assert "赵铁柱" not in document.file.name
    zhen.post(f"/disputes/{case.pk}/documents/", {"file": f.pdf_upload("钱翠花签字页.pdf")})
    assert AgreementDocument.objects.order_by("id").last().original_name == f"调解协议书-{case.number}-2.pdf"
    download = zhen.get(f"/disputes/documents/{document.pk}/")
    assert f"调解协议书-{case.number}-1.pdf" in unquote(download["Content-Disposition"])
    for text in (
        zhen.get(f"/disputes/{case.pk}/").content.decode(),
        api("zhen").get(f"/api/v1/disputes/{case.pk}").content.decode(),
        str(list(DisputeStep.objects.values_list("reason", flat=True))),
        str(list(AuditEntry.objects.filter(action="dispute.document").values_list("object_repr", "after"))),
    ):
        assert "赵铁柱" not in text and "钱翠花签字页" not in text


def test_the_audit_page_never_shows_an_uploaded_file_name_even_on_old_rows(world, login):
    from django.db import transaction

    from xingyao.core import audit

    case = f.dispute(world, status="mediating", team=("溧河铺司法所",))
    with transaction.atomic():  # a row as the code wrote it before neutral names
        audit.record(
            actor=world.user("zhen"),
            action="dispute.document",
            obj=case,
            unit=case.village,
            after={"document": 1, "sha256": "ab" * 32, "name": NAMED},
        )
    page = login("zhen").get("/audit/?action=dispute.").content.decode()
    assert "上传调解协议书" in page and "已上传协议书文件（摘要 abababababababab）" in page
    assert "赵铁柱" not in page


def test_the_migration_renames_existing_agreements_and_their_history_lines(world):
    case = f.dispute(world, status="mediating")
    document = AgreementDocument.objects.create(
        dispute=case,
        file=ContentFile(b"%PDF-1.4 x", name="0123456789abcdef.pdf"),
        original_name=NAMED,
        content_type="application/pdf",
        size=10,
        sha256="0" * 64,
    )
    DisputeStep.objects.create(
        dispute=case, action="document", action_label="上传协议书", from_state="mediating", to_state="mediating",
        reason=NAMED,
    )  # fmt: skip
    migration = importlib.import_module("xingyao.disputes.migrations.0003_neutral_document_names")
    migration.rename(apps, None)
    document.refresh_from_db()
    assert document.original_name == f"调解协议书-{case.number}-1.pdf"
    assert list(DisputeStep.objects.values_list("reason", flat=True)) == [document.original_name]


def test_audit_rows_of_a_case_carry_neither_the_parties_nor_the_summary(world, login):
    form = {
        "village": world.unit("毛桥村").pk,
        "type": "homestead",
        "risk": "orange",
        "received_on": timezone.localdate().isoformat(),
        "summary": "赵铁柱与钱翠花宅基地争议",
        "description": "赵铁柱翻建房屋时与钱翠花发生争执。",
        "amount": "",
        "p1_side": "applicant",
        "p1_name": "赵铁柱",
        "p1_phone": "13812345678",
        "p2_side": "respondent",
        "p2_name": "钱翠花",
        "p2_phone": "13900001111",
        "p3_side": "respondent",
        "p4_side": "respondent",
    }
    assert login("zhen").post("/disputes/new/", form).status_code == 302
    rows = list(AuditEntry.objects.filter(action__startswith="dispute.").values_list("object_repr", "before", "after"))
    assert rows and "赵铁柱" not in str(rows) and "钱翠花" not in str(rows) and "13812345678" not in str(rows)
    page = login("xian").get("/audit/?action=dispute.").content.decode()
    assert "登记矛盾纠纷" in page and "赵铁柱" not in page
