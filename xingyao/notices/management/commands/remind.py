"""`xingyao remind [--date YYYY-MM-DD]`: the daily reminder (cron or the job worker runs it each morning)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from xingyao.notices import actions, reminders


class Command(BaseCommand):
    help = "每日到期提醒：给每人发一条消息，汇总明天到期和已超期的待办；同一天重复运行不会重复发送"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--date", help="按这一天提醒（年-月-日，默认今天）")

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        if options.get("date"):
            try:
                today = dt.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError("日期格式应为 年-月-日，如 2026-12-07") from None
        sent = actions.remind(today, reminders.parts_for(today))
        self.stdout.write(f"{today:%Y-%m-%d} 到期提醒：新发送 {sent} 条")
