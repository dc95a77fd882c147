"""Bearer-token authentication for the API: `Authorization: Bearer <key>`, the key's SHA-256 looked up."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from xingyao.accounts.models import ApiToken


class TokenAuth(HttpBearer):
    """The user of a live token, or None (the API answers 401)."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = ApiToken.objects.live().select_related("user").filter(digest=ApiToken.digest_of(token)).first()
        if found is None:
            return None
        # Touch last-use at most once a minute: no write on every request.
        now = timezone.now()
        if found.last_used_at is None or (now - found.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        return found.user
