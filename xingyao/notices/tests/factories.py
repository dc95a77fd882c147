"""Messages and channels for tests."""

from __future__ import annotations

from typing import Any

from xingyao.demo.testing import World
from xingyao.notices.models import Channel, ChannelKind, Kind, Notice


def notice(world: World, username: str = "maoqiao", title: str = "事件 20231207-000001 已派遣", **extra: Any) -> Notice:
    return Notice.objects.create(
        recipient=world.user(username), kind=extra.pop("kind", Kind.EVENT_DISPATCHED), title=title, **extra
    )


def channel(world: World, county: str = "新野县", name: str = "县综治中心工作群", **extra: Any) -> Channel:
    return Channel.objects.create(
        county=world.unit(county),
        kind=extra.pop("kind", ChannelKind.WECOM),
        name=name,
        url=extra.pop("url", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=secret-robot-key-1234"),
        **extra,
    )
