"""The JSON API at /api/v1/: bearer tokens or the browser session, the same scoping as the pages.

It sits beside `urls.py`, above every app: each app's router is added here, so no app imports another's API."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as InvalidInput

from xingyao.accounts.auth import BrowserSession, TokenAuth, token_user
from xingyao.core.errors import ActionError
from xingyao.core.paging import JsonParser
from xingyao.core.sheets import ImportFailed


def _docs_need_login(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """In production the docs and the schema are for logged-in users (session or token) only: they map every
    route an attacker could try. DEBUG and tests leave them open."""

    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if settings.PRODUCTION and not request.user.is_authenticated:
            scheme, _, key = request.headers.get("Authorization", "").partition(" ")
            if scheme.lower() != "bearer" or token_user(key.strip()) is None:
                if request.path.endswith("/docs"):
                    return redirect_to_login(request.get_full_path())
                return JsonResponse({"detail": "未登录或令牌无效"}, status=401)
        return view(request, *args, **kwargs)

    return guarded


api = NinjaAPI(
    title="星耀 API",
    version="1",
    description="农村“五星”支部创建平台接口。认证：`Authorization: Bearer <令牌>`，令牌在“我的账号”页面创建。",
    auth=[TokenAuth(), BrowserSession()],
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
    docs_decorator=_docs_need_login,
    parser=JsonParser(),
)


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, exc: Exception) -> Any:
    return api.create_response(request, {"detail": "您无权执行此操作"}, status=403)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Exception) -> Any:
    # The same answer for "missing" and "not yours", as on the pages.
    return api.create_response(request, {"detail": "记录不存在或不在您的辖区内"}, status=404)


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: Exception) -> Any:
    return api.create_response(request, {"detail": "未登录或令牌无效"}, status=401)


@api.exception_handler(ActionError)
def action_error(request: HttpRequest, exc: ActionError) -> Any:
    return api.create_response(request, {"detail": exc.message, "field": exc.field}, status=400)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> Any:
    """ninja's own refusals (a body that is not JSON: "Cannot parse request body") said in Chinese; ours pass as
    they are."""
    cause = exc.__cause__
    said = str(exc)
    if isinstance(cause, ActionError):
        detail = cause.message
    elif not said.isascii():  # our own refusals are raised in Chinese already (the API's CSRF check)
        detail = said
    elif exc.status_code == 400:
        detail = "请求内容无法解析：应为 JSON"
    else:
        detail = {405: "不支持此请求方法", 413: "提交的内容过大"}.get(exc.status_code, "请求有误")
    return api.create_response(request, {"detail": detail}, status=exc.status_code)


# Pydantic's error types, said in Chinese; anything else is "格式不正确".
_INVALID = {
    "missing": "缺少此项",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "float_parsing": "应为数字",
    "decimal_parsing": "应为数字",
    "bool_parsing": "应为 true 或 false",
    "date_parsing": "应为 年-月-日 格式的日期",
    "date_from_datetime_parsing": "应为 年-月-日 格式的日期",
    "datetime_parsing": "应为日期时间",
    "datetime_from_date_parsing": "应为日期时间",
    "string_type": "应为文字",
    "list_type": "应为列表",
    "dict_type": "应为对象",
}


def _explain(error: dict[str, Any]) -> str:
    where = ".".join(str(part) for part in error.get("loc", ())[1:]) or "请求"
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    if kind == "less_than_equal":
        return f"{where} 不能大于 {ctx.get('le')}"
    if kind == "greater_than_equal":
        return f"{where} 不能小于 {ctx.get('ge')}"
    return f"{where} {_INVALID.get(kind, '格式不正确')}"


@api.exception_handler(InvalidInput)
def invalid_input(request: HttpRequest, exc: InvalidInput) -> Any:
    """Query and body values of the wrong type or range: 400 with the reasons in Chinese, like ActionError."""
    reasons = [_explain(e) for e in exc.errors]
    errors = [
        {"field": ".".join(str(p) for p in e.get("loc", ())[1:]), "message": r}
        for e, r in zip(exc.errors, reasons, strict=True)
    ]
    return api.create_response(request, {"detail": "请求参数有误：" + "；".join(reasons), "errors": errors}, status=400)


@api.exception_handler(ImportFailed)
def import_failed(request: HttpRequest, exc: ImportFailed) -> Any:
    # The first SHOWN_ERRORS cells and the total: a file with a million bad cells is not a million-item answer.
    errors = [{"sheet": e.sheet, "row": e.row, "column": e.column, "message": e.message} for e in exc.shown]
    body = {"detail": f"导入失败，共 {exc.count} 处错误，未写入任何数据", "count": exc.count, "errors": errors}
    return api.create_response(request, body, status=400)


def _add_routers() -> None:
    from xingyao.accounts.api import router as accounts_router
    from xingyao.assessments.api import router as assessments_router
    from xingyao.disputes.api import router as disputes_router
    from xingyao.economy.api import router as economy_router
    from xingyao.grid.api import router as grid_router
    from xingyao.inspections.api import router as inspections_router
    from xingyao.ledgers.api import router as ledgers_router
    from xingyao.livability.api import router as livability_router
    from xingyao.partylife.api import router as partylife_router
    from xingyao.places.api import router as places_router
    from xingyao.stars.api import router as stars_router

    api.add_router("/units", places_router)
    api.add_router("/grid", grid_router)
    api.add_router("/disputes", disputes_router)
    api.add_router("/partylife", partylife_router)
    api.add_router("/economy", economy_router)
    api.add_router("/ledgers", ledgers_router)
    api.add_router("/inspections", inspections_router)
    api.add_router("/livability", livability_router)
    api.add_router("/assessments", assessments_router)
    api.add_router("/", accounts_router)
    api.add_router("/", stars_router)


_add_routers()
