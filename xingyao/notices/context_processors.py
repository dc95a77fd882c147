from typing import Any

from django.http import HttpRequest

from xingyao.notices.queries import BADGE_CAP, unread_count


def badge(request: HttpRequest) -> dict[str, Any]:
    """The menu's unread count: counted on first use in a page (an HTMX fragment without the menu never counts),
    once per request however often the page shows it."""
    user = request.user
    if not user.is_authenticated:
        return {}

    def unread() -> str:
        found: str | None = getattr(request, "_notices_unread", None)
        if found is None:
            n = unread_count(user)
            found = f"{BADGE_CAP}+" if n > BADGE_CAP else (str(n) if n else "")
            request._notices_unread = found  # type: ignore[attr-defined]
        return found

    return {"notices_unread": unread}
