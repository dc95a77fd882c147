"""`xingyao db_worker`: django-tasks-db's worker, which first marks failed the jobs a dead worker left running.

A job whose heartbeat stopped more than XINGYAO_JOB_STALE_SECONDS ago belongs to a worker that was killed (or a
machine that restarted); its work ran in one transaction that never committed, so nothing of it was written.
"""

from __future__ import annotations

from typing import Any

from django_tasks_db.management.commands.db_worker import Command as WorkerCommand

from xingyao.core.jobs import fail_stale_jobs


class Command(WorkerCommand):
    help = "运行后台任务程序（先把已停止的程序遗留的任务标为失败）"

    def handle(self, *args: Any, **options: Any) -> None:
        failed = fail_stale_jobs()
        if failed and options.get("verbosity", 1):
            self.stdout.write(f"已将 {failed} 个中断的后台任务标为失败")
        super().handle(*args, **options)
