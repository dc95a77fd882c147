from typing import Any

from django.core.management.base import BaseCommand

from xingyao.core.audit import verify_chain


class Command(BaseCommand):
    help = "审计链：verify 从头校验整条哈希链"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("subcommand", choices=["verify"])

    def handle(self, *args: Any, subcommand: str, **options: Any) -> None:
        report = verify_chain()
        if not report.ok:
            self.stderr.write(f"审计链断裂：第 {report.broken_id} 号记录{report.problem}（此前 {report.count} 条完好）")
            raise SystemExit(1)
        self.stdout.write(f"审计链完好：共 {report.count} 条记录")
