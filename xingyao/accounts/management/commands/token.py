from typing import Any

from django.core.management.base import BaseCommand, CommandError

from xingyao.accounts.actions import do_create_token
from xingyao.accounts.models import User


class Command(BaseCommand):
    help = "API 令牌：create <用户名> [--name 用途] 创建令牌并打印（只显示一次）"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("subcommand", choices=["create"])
        parser.add_argument("username")
        parser.add_argument("--name", default="命令行创建")

    def handle(self, *args: Any, subcommand: str, username: str, name: str, **options: Any) -> None:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"用户「{username}」不存在或已停用")
        # The operator at the console acts with the user's own authority over his tokens.
        _token, key = do_create_token(user, user, name)
        self.stdout.write(key)
