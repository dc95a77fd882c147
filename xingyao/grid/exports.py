"""Excel: the event ledger (网格事件台账) and the grid people sheet, in the columns counties use."""

from __future__ import annotations

from typing import Any

from xingyao.core.exports import Column, Sheet
from xingyao.core.privacy import STAFF_CONTACTS, name_for, phone_for, sees_contacts
from xingyao.grid.models import Event, GridPost, Post, Source
from xingyao.grid.queries import RANK_LEVEL, may_see_contact
from xingyao.grid.workflow import State
from xingyao.places.codes import village_code


def _on_time(event: Event) -> str:
    if event.state != State.CLOSED or event.duplicate_of_id or not event.due_at or not event.feedback_at:
        return ""
    return "是" if event.feedback_at <= event.due_at else "否"


def _reporter(event: Event) -> str:
    return event.reporter.full_name or event.reporter.username if event.reporter else "居民"


EVENTS = Sheet(
    "网格事件台账",
    [
        Column("事件编号", lambda e: e.number),
        Column("上报时间", lambda e: e.reported_at),
        Column("来源", lambda e: Source(e.source).label),
        Column("村（社区）", lambda e: e.village.name),
        Column("网格", lambda e: e.unit.name if e.unit_id != e.village_id else ""),
        Column("事件分类", lambda e: e.category.full_name),
        Column("事件标题", lambda e: e.title),
        Column("事件描述", lambda e: e.description),
        Column("地点", lambda e: e.address),
        Column("上报人", _reporter),
        Column("联系人", lambda e: e.contact_name, personal=name_for),
        Column("联系电话", lambda e: e.contact_phone, personal=phone_for),
        Column("当前状态", lambda e: State(e.state).label),
        Column("承办部门", lambda e: e.department.name if e.department else ""),
        Column("派遣时间", lambda e: e.dispatched_at),
        Column("办理时限（工作日）", lambda e: e.deadline_days),
        Column("截止时间", lambda e: e.due_at),
        Column("督办等级", lambda e: RANK_LEVEL[e.level_rank].label),
        Column("反馈时间", lambda e: e.feedback_at),
        Column("办结时间", lambda e: e.closed_at),
        Column("是否按期办结", _on_time),
        Column("紧急", lambda e: e.urgent),
        Column("历史遗留", lambda e: e.legacy),
    ],
    sees=may_see_contact,  # the same rule as the page: those who call residents back see their contact
)


def event_ledger(user: Any, events: Any) -> bytes:
    """The ledger of the given (already scoped, level-annotated) events."""
    return EVENTS.workbook(user, events)


def worker_sheet(user: Any, unit: Any, grids: Any) -> bytes:
    """Grid people in the import's own columns, so a sheet can go out, be corrected and come back."""
    people = Sheet(
        "网格人员",
        [
            Column("网格代码", lambda p: p.unit.code),
            Column("网格名称", lambda p: p.unit.name),
            Column("所属村", lambda p: villages.get(village_code(p.unit.code), "")),
            Column("户数", lambda p: p.unit.households or ""),
            Column("岗位", lambda p: Post(p.post).label),
            Column("姓名", lambda p: p.membership.user.full_name),
            Column("手机号", lambda p: p.membership.user.phone, personal=phone_for),
            Column("登录名", lambda p: p.membership.user.username, personal=lambda shown, v: v if shown else ""),
        ],
        sees=lambda viewer, _post: sees_contacts(viewer, STAFF_CONTACTS, unit.prefix),
        numbered=False,
    )
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
    return people.workbook(user, rows)
