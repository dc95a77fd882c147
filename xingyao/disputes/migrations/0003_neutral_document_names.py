"""Agreement documents keep a neutral name (调解协议书-<case number>-<n>.<ext>) instead of the uploader's file
name, which often held the parties' names; the cases' history lines that quoted it say the neutral name too.
(Audit rows are append-only: the audit page no longer shows the name they recorded.)"""

from django.db import migrations


def rename(apps, schema_editor):  # type: ignore[no-untyped-def]
    document_model = apps.get_model("disputes", "AgreementDocument")
    step_model = apps.get_model("disputes", "DisputeStep")
    seen: dict[int, int] = {}
    for doc in document_model.objects.select_related("dispute").order_by("dispute_id", "uploaded_at", "id"):
        seen[doc.dispute_id] = seen.get(doc.dispute_id, 0) + 1
        ext = doc.file.name.rsplit(".", 1)[-1].lower() if "." in doc.file.name else "bin"
        neutral = f"调解协议书-{doc.dispute.number}-{seen[doc.dispute_id]}.{ext}"
        old = doc.original_name
        if old == neutral:
            continue
        step_model.objects.filter(dispute_id=doc.dispute_id, action="document", reason=old[:1000]).update(
            reason=neutral
        )
        doc.original_name = neutral
        doc.save(update_fields=["original_name"])


class Migration(migrations.Migration):
    dependencies = [("disputes", "0002_dispute_steps_on_history_step")]

    operations = [migrations.RunPython(rename, migrations.RunPython.noop)]
