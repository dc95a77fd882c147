"""Outside delivery, after the step has committed: a county's WeCom or DingTalk group robot, or an SMS gateway.

What leaves the site is the message's kind, its title (worded by the sender without personal data) and a link;
never its body. A slow or failing endpoint is logged and forgotten: it never fails, nor undoes, the step.

The URL is typed by a county admin, so the server must not become his way into the deployment's own network
(SSRF): an address that is not public (loopback, private, link-local such as a cloud's metadata service, reserved)
is refused when the channel is saved, and every connection — redirects included — checks the address it actually
reached before a byte of the message is sent, so a name that resolves elsewhere later (DNS rebinding) is caught
too. `XINGYAO_WEBHOOK_PRIVATE_OK` lets a deployment whose gateway sits on its own network (and the tests) allow
private addresses."""

from __future__ import annotations

import http.client
import ipaddress
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


class NotPublic(OSError):
    """The endpoint's address is not a public one."""


def _private_ok() -> bool:
    return bool(getattr(settings, "XINGYAO_WEBHOOK_PRIVATE_OK", False))


def _public(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def _check_peer(sock: Any) -> None:
    address = sock.getpeername()[0]
    if not _private_ok() and not _public(address):
        sock.close()
        raise NotPublic(f"refused to send to the non-public address {address}")


class _Http(http.client.HTTPConnection):
    def connect(self) -> None:
        super().connect()
        _check_peer(self.sock)


class _Https(http.client.HTTPSConnection):
    def connect(self) -> None:
        super().connect()  # TCP and the TLS handshake; nothing of the message is sent before the check
        _check_peer(self.sock)


class _HttpHandler(urllib.request.HTTPHandler):
    def http_open(self, req: Any) -> Any:
        return self.do_open(_Http, req)


class _HttpsHandler(urllib.request.HTTPSHandler):
    def https_open(self, req: Any) -> Any:
        return self.do_open(_Https, req, context=self._context)  # type: ignore[attr-defined]


OPENER = urllib.request.build_opener(_HttpHandler, _HttpsHandler)


def clean_url(value: Any) -> str:
    """An http(s) URL without spaces, at most 500 characters, not naming a non-public address."""
    url = str(value or "").strip()
    if not url:
        raise ActionError("请填写推送地址", "url")
    if len(url) > 500 or any(c.isspace() or ord(c) < 32 for c in url):
        raise ActionError("推送地址格式不正确（不超过 500 个字符，不能含空格）", "url")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ActionError("推送地址应以 https:// 或 http:// 开头", "url")
    host = parts.hostname
    literal = True
    try:
        ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        literal = False
    named_inside = host == "localhost" or host.endswith((".localhost", ".local", ".internal"))
    if not _private_ok() and ((literal and not _public(host)) or named_inside):
        raise ActionError("推送地址须是互联网上的地址（企业微信、钉钉或短信平台），不能是内网或本机地址", "url")
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
            with OPENER.open(request, timeout=TIMEOUT) as response:  # checks the address it reached (see above)
                response.read(4096)
            sent += 1
        except (urllib.error.URLError, OSError, ValueError) as exc:
            log.warning("notice delivery to channel %s (%s) failed: %s", channel.pk, channel.shown_url, exc)
    return sent
