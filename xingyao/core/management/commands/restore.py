from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from xingyao.core.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "从 `xingyao backup` 的目录恢复数据库和上传文件：先核对清单签名和全部校验和，"
        "当前数据库已有数据时须加 --force；恢复后核对各表行数、审计链和文件校验和。恢复前请先停止应用服务"
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("directory", metavar="DIR", type=Path)
        parser.add_argument("--force", action="store_true", help="覆盖已有数据的数据库")

    def handle(self, *args: Any, directory: Path, force: bool, **options: Any) -> None:
        try:
            report = restore(directory, force=force)
        except BackupError as error:
            raise CommandError(str(error)) from None
        for warning in report.warnings:
            self.stdout.write(f"注意：{warning}")
        if report.problems:
            raise CommandError("恢复后与备份清单不符：" + "；".join(report.problems))
        self.stdout.write(f"已从 {directory} 恢复：各表行数、审计链和上传文件的校验和都与备份清单一致")
