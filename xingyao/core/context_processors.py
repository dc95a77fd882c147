from typing import Any

from django.http import HttpRequest

from xingyao.core.roles import Action
from xingyao.core.scoping import scope_prefixes


def nav(request: HttpRequest) -> dict[str, Any]:
    """What the menu needs: whether the user administers anything."""
    user = request.user
    if not user.is_authenticated:
        return {}
    return {"is_admin": user.is_superuser or bool(scope_prefixes(user, Action.ADMIN))}
