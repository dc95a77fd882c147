from typing import Any

from django import template

from xingyao.core import formats

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
