"""API authentication: `Authorization: Bearer <key>` (the key's SHA-256 looked up), or the browser session.

A request that sends an Authorization header is judged by its token alone: a bad, expired or revoked token is
401 on every method, never a fall-through to the session check (whose CSRF refusal would answer 403)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import AuthenticationError, HttpError
from ninja.security import HttpBearer, SessionAuth

from xingyao.accounts.models import ApiToken

MAX_KEY_LENGTH = 200  # keys are ~46 characters; anything much longer is not one of ours


def token_user(token: str) -> Any:
    """The user of a live token, or None."""
    if not token or len(token) > MAX_KEY_LENGTH:
        return None
    found = ApiToken.objects.live().select_related("user").filter(digest=ApiToken.digest_of(token)).first()
    if found is None:
        return None
    # Touch last-use at most once a minute: no write on every request.
    now = timezone.now()
    if found.last_used_at is None or (now - found.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
    return found.user


class TokenAuth(HttpBearer):
    """The user of a live token; any other Authorization header raises AuthenticationError (401)."""

    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get(self.header)
        if header is None:
            return None  # no token sent: the session may authenticate
        scheme, _, key = header.partition(" ")
        if scheme.lower() != self.openapi_scheme:
            raise AuthenticationError
        return self.authenticate(request, key.strip())

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = token_user(token)
        if user is None:
            raise AuthenticationError
        request.user = user
        return user


class BrowserSession(SessionAuth):
    """The logged-in browser session; CSRF is checked only for a logged-in user (anonymous is 401, not 403)."""

    def __call__(self, request: HttpRequest) -> Any:
        if not request.user.is_authenticated:
            return None
        try:
            return super().__call__(request)
        except HttpError as exc:
            if exc.status_code == 403:
                raise HttpError(403, "请求缺少有效的 CSRF 校验，请刷新页面后重试") from None
            raise
