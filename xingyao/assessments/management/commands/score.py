from typing import Any

from django.core.management.base import BaseCommand, CommandError

from xingyao.assessments.actions import do_rescore_year
from xingyao.core.actors import SYSTEM
from xingyao.places.models import Unit


class Command(BaseCommand):
    help = "按已填报的指标值重新计算某年度全部（或某单位辖区内）评定的得分与星数，并打印汇总"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--year", type=int, required=True, help="评定年度，如 2023")
        parser.add_argument("--unit", help="只计算该单位（县、镇或村）辖区内的评定，填单位代码")

    def handle(self, *args: Any, year: int, unit: str | None = None, **options: Any) -> None:
        scope = None
        if unit:
            scope = Unit.objects.unscoped("a command run by the operator at the console").filter(code=unit).first()
            if scope is None:
                raise CommandError(f"单位代码「{unit}」不存在")
        summary = do_rescore_year(SYSTEM, year, scope)  # one transaction of its own
        for line in summary.lines():
            self.stdout.write(line)
