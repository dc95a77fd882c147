from typing import Any

from django import template
from django.utils.html import format_html

from xingyao.core import formats
from xingyao.core.roles import Action
from xingyao.core.scoping import covers

register = template.Library()


@register.simple_tag(takes_context=True)
def query_with(context, **changes):  # type: ignore[no-untyped-def]
    """The current query string with some parameters replaced (for pagers and filters)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        params[key] = value
    return params.urlencode()


@register.filter
def points(value: Any) -> str:
    """Points as every page shows them: 52, 52.5; missing → “—”."""
    return formats.points(value)


@register.filter
def rate(value: Any) -> str:
    """A 0–100 percentage with its sign: 85.3%; no cases → “—”."""
    return formats.rate(value)


@register.simple_tag(takes_context=True)
def unit_link(context, unit):  # type: ignore[no-untyped-def]
    """A unit's name, linked to its page only when the viewer may open it (a clerk's town is not his to see)."""
    if unit is None:
        return ""
    user = context["request"].user
    if covers(user, Action.VIEW, unit.prefix):
        return format_html('<a href="{}">{}</a>', unit.get_absolute_url(), unit.name)
    return unit.name
