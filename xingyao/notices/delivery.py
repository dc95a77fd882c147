"""Outside delivery, after the step has committed: a county's WeCom or DingTalk group robot, or an SMS gateway.

What leaves the site is the message's kind, its title (worded by the sender without personal data) and a link;
never its body. A slow or failing endpoint is logged and forgotten: it never fails, nor undoes, the step."""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings

from xingyao.accounts.models import User
from xingyao.core.errors import ActionError
from xingyao.notices.models import Channel, ChannelKind, Kind

log = logging.getLogger(__name__)
TIMEOUT = 3  # seconds per channel: the step's page waits for this at most


def clean_url(value: Any) -> str:
    """An http(s) URL without spaces, at most 500 characters."""
    url = str(value or "").strip()
    if not url:
        raise ActionError("请填写推送地址", "url")
    if len(url) > 500 or any(c.isspace() or ord(c) < 32 for c in url):
        raise ActionError("推送地址格式不正确（不超过 500 个字符，不能含空格）", "url")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ActionError("推送地址应以 https:// 或 http:// 开头", "url")
    return url


def text_of(kind: Kind | str, title: str, link: str) -> str:
    """The one line a group or a phone receives."""
    found = Kind.lookup(kind)
    site = getattr(settings, "XINGYAO_SITE_URL", "").rstrip("/")
    where = f"{site}{link}" if site and link.startswith("/") else "请登录星耀查看"
    return f"【星耀·{found.label if found else '消息'}】{title}\n{where}"


def payload(channel: Channel, text: str, phones: Sequence[str]) -> dict[str, Any]:
    if channel.kind == ChannelKind.SMS:
        return {"phones": list(phones), "text": text}
    return {"msgtype": "text", "text": {"content": text}}  # WeCom and DingTalk robots take the same shape


def deliver(county: str, kind: Kind | str, title: str, link: str, recipient_ids: Sequence[int]) -> int:
    """Post the message to the county's active channels; returns how many accepted it. Runs after commit."""
    channels = list(
        Channel.objects.unscoped("delivery for the county of the record that was acted on").filter(
            county__code=county, active=True
        )
    )
    if not channels:
        return 0
    text = text_of(kind, title, link)
    phones: list[str] = []
    if any(c.kind == ChannelKind.SMS for c in channels):
        phones = [
            p
            for p in User.objects.unscoped("the recipients' own phones, for the county's SMS gateway")
            .filter(pk__in=list(recipient_ids))
            .exclude(phone="")
            .values_list("phone", flat=True)
        ]
    sent = 0
    for channel in channels:
        if channel.kind == ChannelKind.SMS and not phones:
            continue
        body = json.dumps(payload(channel, text, phones), ensure_ascii=False).encode()
        request = urllib.request.Request(  # noqa: S310 - the scheme is checked to be http(s) when the URL is saved
            channel.url, data=body, headers={"Content-Type": "application/json; charset=utf-8"}, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310 - as above
                response.read(4096)
            sent += 1
        except (urllib.error.URLError, OSError, ValueError) as exc:
            log.warning("notice delivery to channel %s (%s) failed: %s", channel.pk, channel.shown_url, exc)
    return sent
