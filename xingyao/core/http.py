"""Request types for views behind login: `request.user` is a real user there."""

from django.http import HttpRequest

from xingyao.accounts.models import User


class AuthedRequest(HttpRequest):
    user: User  # type: ignore[assignment]
