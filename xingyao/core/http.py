"""Request types for views behind login: `request.user` is a real user there."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from xingyao.accounts.models import User  # the user model lives a layer above core; only the type is named


class AuthedRequest(HttpRequest):
    user: User  # type: ignore[assignment]
