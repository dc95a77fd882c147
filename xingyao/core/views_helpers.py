"""Small helpers shared by views: pagination and form errors from ActionError."""

from typing import Any

from django.core.paginator import Page, Paginator
from django.forms import Form
from django.http import HttpRequest

from xingyao.core.errors import ActionError


def paginate(request: HttpRequest, queryset: Any, per_page: int = 50) -> Page:
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def form_error(form: Form, exc: ActionError) -> None:
    """Show an action's refusal on the field it names, or on the whole form."""
    if exc.field and exc.field in form.fields:
        form.add_error(exc.field, exc.message)
    else:
        form.add_error(None, exc.message)
