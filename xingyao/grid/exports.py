"""Excel: the event ledger (网格事件台账) and the grid people sheet, in the columns counties use."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils import timezone

from xingyao.core.roles import Action
from xingyao.core.scoping import covers
from xingyao.core.sheets import write_workbook
from xingyao.disputes.figures import mask_name, mask_phone
from xingyao.grid.models import Event, GridPost, Post, Source
from xingyao.grid.queries import RANK_LEVEL
from xingyao.grid.workflow import State
from xingyao.places.codes import village_code

MAX_ROWS = 50_000
EVENT_HEADER = [
    "序号",
    "事件编号",
    "上报时间",
    "来源",
    "村（社区）",
    "网格",
    "事件分类",
    "事件标题",
    "事件描述",
    "地点",
    "上报人",
    "联系人",
    "联系电话",
    "当前状态",
    "承办部门",
    "派遣时间",
    "办理时限（工作日）",
    "截止时间",
    "督办等级",
    "反馈时间",
    "办结时间",
    "是否按期办结",
    "紧急",
    "历史遗留",
]


def _time(value: Any) -> str:
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}" if value else ""


def _on_time(event: Event) -> str:
    if event.state != State.CLOSED or event.duplicate_of_id or not event.due_at or not event.feedback_at:
        return ""
    return "是" if event.feedback_at <= event.due_at else "否"


def _event_rows(user: Any, events: Any) -> Iterator[list[Any]]:
    for number, event in enumerate(events[:MAX_ROWS].iterator(chunk_size=2000), start=1):
        # The same rule as the page: those who call residents back see their contact, the rest a mask.
        show = covers(user, Action.REPORT, event.unit.prefix) or covers(user, Action.MANAGE, event.unit.prefix)
        reporter = event.reporter.full_name or event.reporter.username if event.reporter else "居民"
        yield [
            number,
            event.number,
            _time(event.reported_at),
            Source(event.source).label,
            event.village.name,
            event.unit.name if event.unit_id != event.village_id else "",
            event.category.full_name,
            event.title,
            event.description,
            event.address,
            reporter,
            event.contact_name if show else mask_name(event.contact_name),
            event.contact_phone if show else mask_phone(event.contact_phone),
            State(event.state).label,
            event.department.name if event.department else "",
            _time(event.dispatched_at),
            event.deadline_days if event.deadline_days is not None else "",
            _time(event.due_at),
            RANK_LEVEL[event.level_rank].label,
            _time(event.feedback_at),
            _time(event.closed_at),
            _on_time(event),
            "是" if event.urgent else "",
            "是" if event.legacy else "",
        ]


def event_ledger(user: Any, events: Any) -> bytes:
    """The ledger of the given (already scoped, level-annotated) events."""
    return write_workbook([("网格事件台账", EVENT_HEADER, _event_rows(user, events))])


WORKER_HEADER = ["网格代码", "网格名称", "所属村", "户数", "岗位", "姓名", "手机号", "登录名"]


def worker_sheet(user: Any, unit: Any, grids: Any) -> bytes:
    """Grid people in the import's own columns, so a sheet can go out, be corrected and come back."""
    show_phone = covers(user, Action.ADMIN, unit.prefix)
    posts = (
        GridPost.objects.restrict(user)
        .filter(unit__in=grids)
        .select_related("unit", "membership__user")
        .order_by("unit__code", "post", "membership__user__username")
    )
    order: dict[str, int] = {Post.HEAD: 0, Post.ADVISER: 1, Post.WORKER: 2}
    rows = sorted(posts, key=lambda p: (p.unit.code, order[p.post], p.membership.user.username))
    villages = dict(
        grids.model.objects.unscoped("names of the villages the listed grids lie in")
        .filter(code__in={village_code(p.unit.code) for p in rows})
        .values_list("code", "name")
    )
    body = [
        [
            p.unit.code,
            p.unit.name,
            villages.get(village_code(p.unit.code), ""),
            p.unit.households or "",
            Post(p.post).label,
            p.membership.user.full_name,
            p.membership.user.phone if show_phone else mask_phone(p.membership.user.phone),
            p.membership.user.username if show_phone else "",
        ]
        for p in rows
    ]
    return write_workbook([("网格人员", WORKER_HEADER, body)])
