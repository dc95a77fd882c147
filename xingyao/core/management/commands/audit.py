from typing import Any

from django.core.management.base import BaseCommand

from xingyao.core import audit


class Command(BaseCommand):
    help = (
        "审计链：verify 逐条校验每个县的哈希链并与锚点文件核对，完好时追加新锚点；"
        "anchor 把每条链的链头（条数和最后的哈希，带签名）追加到锚点文件（每天由定时任务运行）"
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("subcommand", choices=["verify", "anchor"])

    def handle(self, *args: Any, subcommand: str, **options: Any) -> None:
        if subcommand == "anchor":
            written = audit.write_anchors(audit.chain_heads())
            self.stdout.write(f"已把 {written} 条审计链的链头追加到 {audit.anchor_path()}")
            return
        anchors, problems = audit.read_anchors()
        if not audit.anchor_path().exists():
            self.stdout.write(f"注意：锚点文件 {audit.anchor_path()} 不存在，无法核对链尾；本次校验后将新建")
        reports = audit.verify_chains(anchors)
        for problem in problems:
            self.stderr.write(problem)
        for report in reports:
            if report.ok:
                self.stdout.write(f"审计链 {report.label} 完好：共 {report.count} 条记录")
            elif report.broken_id is not None:
                self.stderr.write(
                    f"审计链 {report.label} 断裂：第 {report.broken_id} 号记录{report.problem}"
                    f"（此前 {report.count} 条完好）"
                )
            else:
                self.stderr.write(f"审计链 {report.label} 不完整：{report.problem}")
        if problems or not all(r.ok for r in reports):
            raise SystemExit(1)
        # Anchor exactly what was just verified, not whatever has been appended since.
        audit.write_anchors(audit.Head(r.chain, r.count, r.head) for r in reports if r.count)
        self.stdout.write(f"审计链完好：共 {len(reports)} 条链，{sum(r.count for r in reports)} 条记录")
