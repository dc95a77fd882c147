# One audit chain per county, hashed with HMAC under XINGYAO_AUDIT_KEY.
#
# Existing rows formed one deployment-wide chain of plain SHA-256 hashes. They are checked first (a broken chain
# is refused rather than laundered into a valid new one), then split by county in their original order, numbered
# and re-signed. The hash functions are written out here, not imported, so this step keeps meaning what it meant.

import hashlib
import hmac
import json

from django.conf import settings
from django.db import migrations, models

GENESIS = "0" * 64


def _payload(row, *, chained):
    data = {
        "at": row.at.isoformat(timespec="microseconds"),
        "actor": row.actor_id,
        "actor_name": row.actor_name,
        "unit": row.unit_id,
        "object_type": row.object_type,
        "object_id": row.object_id,
        "object_repr": row.object_repr,
        "action": row.action,
        "before": row.before,
        "after": row.after,
    }
    if chained:
        data |= {"chain": row.chain, "seq": row.seq}
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def rechain(apps, schema_editor):
    AuditEntry = apps.get_model("core", "AuditEntry")
    Unit = apps.get_model("places", "Unit")
    key = settings.XINGYAO_AUDIT_KEY.encode()
    counties = {}
    for pk, code, kind in Unit.objects.values_list("pk", "code", "kind").iterator():
        counties[pk] = "" if kind in ("province", "city") else code[:6]
    prev_old = GENESIS
    heads: dict[str, tuple[int, str]] = {}  # chain → (seq, hash)
    batch = []
    for row in AuditEntry.objects.order_by("id").iterator(chunk_size=2000):
        old_hash = hashlib.sha256((row.prev_hash + _payload(row, chained=False)).encode()).hexdigest()
        if row.prev_hash != prev_old or old_hash != row.hash:
            raise RuntimeError(
                f"审计链在第 {row.id} 号记录处已断裂，拒绝转换（转换会让被改动的链重新变得完好）：请先调查并处理"
            )
        prev_old = row.hash
        row.chain = counties.get(row.unit_id, "")
        seq, prev = heads.get(row.chain, (0, GENESIS))
        row.seq, row.prev_hash = seq + 1, prev
        row.hash = hmac.new(key, (prev + _payload(row, chained=True)).encode(), hashlib.sha256).hexdigest()
        heads[row.chain] = (row.seq, row.hash)
        batch.append(row)
        if len(batch) >= 2000:
            AuditEntry.objects.bulk_update(batch, ["chain", "seq", "prev_hash", "hash"])
            batch = []
    AuditEntry.objects.bulk_update(batch, ["chain", "seq", "prev_hash", "hash"])


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_audit_chain_workdays"),
        ("places", "0001_unit_tree"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="chain",
            field=models.CharField(blank=True, default="", max_length=6, verbose_name="审计链"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditentry",
            name="seq",
            field=models.PositiveBigIntegerField(default=0, verbose_name="链内序号"),
            preserve_default=False,
        ),
        migrations.RunPython(rechain, migrations.RunPython.noop, elidable=False),
        migrations.AddConstraint(
            model_name="auditentry",
            constraint=models.UniqueConstraint(fields=("chain", "seq"), name="audit_chain_seq_unique"),
        ),
    ]
