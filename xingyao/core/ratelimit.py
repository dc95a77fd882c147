"""Counting requests per key in the cache, for the public forms that need no login."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import cache


def client_address(request: Any) -> str:
    """The caller's address. Behind `XINGYAO_PROXY_COUNT` trusted proxies, the address the nearest one saw;
    otherwise REMOTE_ADDR only, since a forwarded-for header written by the client would reset its own quota."""
    proxies = settings.PROXY_COUNT
    if proxies:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return str(request.META.get("REMOTE_ADDR") or "unknown")


def hit(key: str, limit: int, window: int) -> bool:
    """Count one request under `key`; True when the count within `window` seconds now exceeds `limit`."""
    key = f"ratelimit:{key}"
    cache.add(key, 0, window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        count = 1
    return count > limit
