from typing import Any

from django.http import HttpRequest

from xingyao.core.roles import Action
from xingyao.core.scoping import holds


def nav(request: HttpRequest) -> dict[str, Any]:
    """What the menu needs: whether the user administers anything."""
    user = request.user
    if not user.is_authenticated:
        return {}
    return {"is_admin": holds(user, Action.ADMIN)}
