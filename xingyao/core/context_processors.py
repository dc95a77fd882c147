from functools import partial
from typing import Any

from django.http import HttpRequest

from xingyao.core.menu import menu_for


def nav(request: HttpRequest) -> dict[str, Any]:
    """The menu for the user; a callable, so a fragment that draws no menu (an HTMX partial) never builds it."""
    user = request.user
    if not user.is_authenticated:
        return {}
    return {"menu": partial(menu_for, user)}
