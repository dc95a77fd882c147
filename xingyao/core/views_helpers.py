"""Small helpers shared by views: pagination, and running a `do_*` so that its refusal reaches the user.

A view never writes `try: do_x(…) except ActionError` itself:

- a button (a POST without a form page) calls `run_action(request, lambda: do_x(user, obj), "已撤销")`: on
  success the Chinese message is flashed, on ActionError its message is, and the view redirects either way
  (the returned `Outcome` is falsy on refusal and carries the action's return value on success);
- a form page calls `submit(request, form, lambda data: do_x(user, obj, **data), "已保存", obj)`: on a valid
  POST it runs the action, flashes the message and returns the redirect; a refusal goes onto the form (on its
  field when the error names one) and `None` tells the view to render the form again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from xingyao.core import import_errors
from xingyao.core.errors import ActionError
from xingyao.core.import_errors import ErrorReport
from xingyao.core.sheets import ImportFailed

T = TypeVar("T")

# What to say on success: a fixed text, or one made from what the action returned ("" says nothing).
Said = str | Callable[[Any], str]
# Where to go on success: anything `redirect()` takes, or a function of what the action returned.
Then = Any


def paginate(request: HttpRequest, queryset: Any, per_page: int = 50) -> Page:
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def form_error(form: Form, exc: ActionError) -> None:
    """Show an action's refusal on the field it names, or on the whole form."""
    if exc.field and exc.field in form.fields:
        form.add_error(exc.field, exc.message)
    else:
        form.add_error(None, exc.message)


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """What `run_action` did: `ok` (also its truth value) and, on success, the action's return value."""

    ok: bool
    value: T | None = None
    error: ActionError | None = None

    def __bool__(self) -> bool:
        return self.ok


def _say(success: Said, result: Any) -> str:
    return success(result) if callable(success) else success


def _done(request: HttpRequest, success: Said, result: Any, then: Then) -> HttpResponse:
    """After an action went through: its message, then the redirect (`then`, or the result itself)."""
    if text := _say(success, result):
        messages.success(request, text)
    target: Any = result if then is None else then(result) if callable(then) else then
    return redirect(target)


def attempt(call: Callable[[], T]) -> Outcome[T]:
    """Run one `do_*` and say how it went, flashing nothing (a fragment answered to a script says it itself)."""
    try:
        return Outcome(True, call())
    except ActionError as exc:
        return Outcome(False, error=exc)


def run_action(request: HttpRequest, call: Callable[[], T], success: Said = "") -> Outcome[T]:
    """Run one `do_*`; flash `success` when it went through, or the action's Chinese refusal when it did not."""
    outcome = attempt(call)
    if outcome.error is not None:
        messages.error(request, outcome.error.message)
    elif text := _say(success, outcome.value):
        messages.success(request, text)
    return outcome


def submit(
    request: HttpRequest, form: Form, call: Callable[[dict[str, Any]], T], success: Said, then: Then = None
) -> HttpResponse | None:
    """On a valid POST of `form`, run `call(form.cleaned_data)` and redirect to `then`; else None (render the form).

    `then` is anything `redirect()` takes, or a function of the action's result; None goes to the result itself
    (a created record's page). A refusal (ActionError) is put on the form, on the field it names, and nothing is
    flashed.
    """
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = call(form.cleaned_data)
    except ActionError as exc:
        form_error(form, exc)
        return None
    return _done(request, success, result, then)


def submit_import(
    request: HttpRequest, form: Form, call: Callable[[dict[str, Any]], T], success: Said, then: Then = None
) -> tuple[HttpResponse | None, ErrorReport | None]:
    """`submit` for a spreadsheet import: also the report of the cells an `ImportFailed` names (the first 200 for
    the page, the count, and every one in a downloadable sheet).

    Returns the redirect after a successful import, else None and the error report (None when the form itself
    or an ActionError refused the upload).
    """
    try:
        return submit(request, form, call, success, then), None
    except ImportFailed as exc:
        messages.error(request, f"导入失败，共 {exc.count} 处错误，未写入任何数据")
        return None, import_errors.report(request.user, exc)


def run_posted(
    request: HttpRequest,
    form: Form,
    invalid: str | Callable[[Form], str],
    call: Callable[[dict[str, Any]], T],
    success: Said = "",
) -> Outcome[T]:
    """A button with a small form (a reason, a year, a name): flash `invalid` (a text, or one made from the form's
    errors) when the form does not validate, else `run_action(call(form.cleaned_data))`. The view redirects."""
    if not form.is_valid():
        messages.error(request, invalid(form) if callable(invalid) else invalid)
        return Outcome(False)
    return run_action(request, lambda: call(form.cleaned_data), success)


def submit_or_show(
    request: HttpRequest,
    form: Form,
    call: Callable[[dict[str, Any]], T],
    success: Said,
    then: Then,
    *,
    invalid: str,
    show: Callable[[str], HttpResponse],
) -> HttpResponse:
    """A form posted from a record's page that shows refusals in the page itself (the case, the event).

    An invalid form answers `show(invalid)`, a refused action `show(its message)` (the page at status 400, the
    posted form kept); success flashes `success` and redirects to `then` like `submit`.
    """
    if not form.is_valid():
        return show(invalid)
    try:
        result = call(form.cleaned_data)
    except ActionError as exc:
        return show(exc.message)
    return _done(request, success, result, then)
