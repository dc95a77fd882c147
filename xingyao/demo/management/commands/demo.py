from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from xingyao.demo.steps import LOGINS, STEPS


class Command(BaseCommand):
    help = "载入演示数据：新野县溧河铺镇（幂等，重复运行不改变任何数据）；--reset 清空数据库后重建"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--reset", action="store_true", help="清空整个数据库后重建演示数据")

    def handle(self, *args: Any, reset: bool = False, **options: Any) -> None:
        if settings.PRODUCTION:  # the app is not installed there; this guards a settings module that adds it
            raise CommandError("生产环境不能载入演示数据：xingyao demo 只用于演示和开发环境")
        if reset:
            call_command("flush", interactive=False, verbosity=0)
            self.stdout.write("已清空数据库")
        for title, step in STEPS:
            self.stdout.write(f"{title}：{step()}")
        self.stdout.write(self.style.SUCCESS(f"演示数据已就绪。登录账号（密码均为 {settings.DEMO_PASSWORD}）："))
        for username, full_name, what in LOGINS:
            self.stdout.write(f"  {username:<12} {full_name}  {what}")
