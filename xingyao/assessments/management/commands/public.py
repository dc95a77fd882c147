from typing import Any

from django.core.management.base import BaseCommand, CommandError

from xingyao.assessments import public_check


class Command(BaseCommand):
    help = (
        "公开网站：verify 逐页抓取公示栏（给出 --url 时通过 HTTP 访问该站点，否则在本进程内渲染），"
        "与已发布公告的快照及其在审计链中的哈希核对，并按允许清单检查页面上的文字、脚本、链接和表单；"
        "有不符时列出页面和不符之处，退出码非零"
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("subcommand", choices=["verify"])
        parser.add_argument("--url", default="", help="站点地址，如 https://wuxing.example.gov.cn")

    def handle(self, *args: Any, subcommand: str, url: str = "", **options: Any) -> None:
        base = url.strip()
        if base and not base.startswith(("http://", "https://")):
            raise CommandError("--url 须以 http:// 或 https:// 开头")
        fetch = public_check.http_fetch(base) if base else public_check.local_fetch()
        report = public_check.verify(fetch, base)
        for finding in report.findings:
            self.stderr.write(str(finding))
        if not report.ok:
            pages = {f.path for f in report.findings}
            self.stderr.write(f"公开页面核对未通过：{len(pages)} 个页面共 {len(report.findings)} 处不符")
            raise SystemExit(1)
        self.stdout.write(f"公开页面核对通过：共 {len(report.checked)} 个页面，与已发布的公告一致")
