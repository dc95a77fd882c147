from typing import Any

from django.core.management.base import BaseCommand

from xingyao.core.actors import SYSTEM
from xingyao.ledgers.warnings import do_raise_overdue


class Command(BaseCommand):
    help = "为超期未完成（红牌督办）的整改事项发出星级预警；每项只预警一次，可每天由定时任务运行"

    def handle(self, *args: Any, **options: Any) -> None:
        raised = do_raise_overdue(SYSTEM)  # one transaction of its own
        self.stdout.write(f"新发出星级预警 {raised} 条")
