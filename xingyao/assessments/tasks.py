"""The home page's "我的待办" for assessments: reviews waiting, and drafts to fill."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from xingyao.assessments.queries import dept_queue, queue_base, village_todo
from xingyao.core.tasks import Task, register_task_source


@register_task_source
def assessment_tasks(user: Any) -> list[Task]:
    tasks = [
        Task("待审核年度评定", queue_base(user).count(), reverse("assessments:queue")),
        Task("待部门审核", dept_queue(user).count(), reverse("assessments:queue")),
    ]
    drafts = list(village_todo(user).order_by("-year")[:2])
    if drafts:
        label = (
            "待填报年度评定"
            if not drafts[0].steps.restrict(user).filter(action="send_back").exists()
            else "年度评定被退回，待修改"
        )
        tasks.append(Task(label, village_todo(user).count(), drafts[0].get_absolute_url()))
    return tasks
