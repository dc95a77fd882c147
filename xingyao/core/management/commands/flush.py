from typing import Any

from django.core.management.commands import flush
from django.db import transaction
from django.utils import timezone

from xingyao.core.audit import anchor_path, append_only_suspended
from xingyao.core.models import AuditEntry


class Command(flush.Command):
    # Django's flush empties every table, the audit table too, which its append-only triggers refuse. Wiping the
    # whole database is a deliberate act of the tables' owner (`xingyao demo --reset`, the test suite between
    # tests), so the triggers are lifted for exactly that transaction.
    help = flush.Command.help + "（连同审计记录：审计表的只增触发器只在本次事务内解除）"

    def handle(self, **options: Any) -> None:
        with transaction.atomic(), append_only_suspended():
            super().handle(**options)
        path = anchor_path()
        if path.exists() and not AuditEntry.objects.unscoped("is the table empty").exists():
            # The anchors describe chains that are gone on purpose: keep them, under another name, so that the new
            # database's first verify does not report the wipe as truncation.
            kept = path.with_name(f"{path.name}.flushed-{timezone.now():%Y%m%d%H%M%S}")
            try:
                path.rename(kept)
            except OSError as error:  # an append-only (chattr +a) file cannot be renamed: that is its point
                self.stderr.write(f"锚点文件 {path} 未能改名（{error}）：新数据库的 audit verify 会报告链被截断")
            else:
                if options["verbosity"]:
                    self.stdout.write(f"原审计锚点文件已改名为 {kept}")
