from typing import Any

from django.core.management.base import BaseCommand, CommandError

from xingyao.core.actors import SYSTEM
from xingyao.core.errors import ActionError
from xingyao.places.models import Unit
from xingyao.stars.actions import do_load_example


class Command(BaseCommand):
    help = "评定标准：load-example --county 县代码 --year 年度 [--publish] 加载示例农村标准供县里修改"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("subcommand", choices=["load-example"])
        parser.add_argument("--county", required=True, help="县级单位的 12 位代码，如 411329000000")
        parser.add_argument("--year", type=int, default=2023)
        parser.add_argument("--publish", action="store_true", help="加载后直接发布（演示用）")

    def handle(self, *args: Any, subcommand: str, county: str, year: int, publish: bool, **options: Any) -> None:
        unit = Unit.objects.unscoped("a command run by the operator at the console").filter(code=county).first()
        if unit is None:
            raise CommandError(f"单位「{county}」不存在")
        try:
            # The operator at the console acts as the system, as the demo does.
            criteria_set, created = do_load_example(SYSTEM, unit, year, publish=publish)
        except ActionError as exc:
            raise CommandError(exc.message) from None
        count = criteria_set.indicators.count()
        verb = "已加载" if created else "已存在，未改动"
        self.stdout.write(f"{unit.name}：{criteria_set}（{criteria_set.get_status_display()}，{count} 项指标）{verb}")
