from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from xingyao.core.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "备份数据库（PostgreSQL 用 pg_dump 自定义格式，SQLite 用在线备份）和上传文件到 DIR，"
        "附带清单：每个文件的 SHA-256、各表行数、每条审计链的链头。不给 DIR 时写到 XINGYAO_BACKUP_DIR/日期时间"
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("directory", metavar="DIR", nargs="?", type=Path)

    def handle(self, *args: Any, directory: Path | None, **options: Any) -> None:
        target = directory or Path(settings.XINGYAO_BACKUP_DIR) / timezone.localtime().strftime("%Y%m%d-%H%M%S")
        try:
            manifest = backup(target)
        except BackupError as error:
            raise CommandError(str(error)) from None
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            f"已备份到 {target}：{len(manifest['tables'])} 张表 {rows} 行，"
            f"{len(manifest['media']['files'])} 个上传文件，{len(manifest['audit_heads'])} 条审计链"
        )
