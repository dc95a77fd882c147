"""Counting requests per key, for the public forms that need no login.

The count is shared by every worker and moved atomically: by default one UPSERT on a `core.Counter` row
(`… ON CONFLICT DO UPDATE SET value = value + 1 … RETURNING value`, so twenty simultaneous requests read twenty
different counts); when `RATELIMIT_CACHE` names a cache whose `incr` is atomic (Redis), that cache instead.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.utils import timezone

from xingyao.core.models import Counter


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
    if len(key) > 200:  # a counter's name is bounded: a longer key is hashed
        key = f"ratelimit:{hashlib.sha256(key.encode()).hexdigest()}"
    alias = getattr(settings, "RATELIMIT_CACHE", "")
    count = _count_in_cache(alias, key, window) if alias else _count_in_database(key, window)
    return count > limit


def _count_in_cache(alias: str, key: str, window: int) -> int:
    cache = caches[alias]
    if cache.add(key, 1, window):
        return 1
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.add(key, 1, window)
        return 1


_COUNT = (
    "INSERT INTO core_counter (name, value, expires_at) VALUES (%s, 1, %s) "
    "ON CONFLICT (name) DO UPDATE SET "
    "value = CASE WHEN core_counter.expires_at <= %s THEN 1 ELSE core_counter.value + 1 END, "
    "expires_at = CASE WHEN core_counter.expires_at <= %s THEN excluded.expires_at ELSE core_counter.expires_at END "
    "RETURNING value"
)


def _count_in_database(key: str, window: int) -> int:
    """One statement: a new key or an expired window starts again at 1, otherwise the count goes up by one."""
    now = timezone.now()
    stored_now = connection.ops.adapt_datetimefield_value(now)
    expires = connection.ops.adapt_datetimefield_value(now + dt.timedelta(seconds=window))
    with connection.cursor() as cursor:
        cursor.execute(_COUNT, [key, expires, stored_now, stored_now])
        row: Any = cursor.fetchone()
    count = int(row[0])
    if count == 1:  # a window starts: sweep the windows that have ended, so the table stays small
        Counter.objects.filter(name__startswith="ratelimit:", expires_at__lt=now).delete()
    return count
