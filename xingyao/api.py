"""The JSON API at /api/v1/: bearer tokens or the browser session, the same scoping as the pages.

It sits beside `urls.py`, above every app: each app's router is added here, so no app imports another's API."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.security import django_auth

from xingyao.accounts.auth import TokenAuth
from xingyao.core.errors import ActionError
from xingyao.core.sheets import ImportFailed

api = NinjaAPI(
    title="星耀 API",
    version="1",
    description="农村“五星”支部创建平台接口。认证：`Authorization: Bearer <令牌>`，令牌在“我的账号”页面创建。",
    auth=[TokenAuth(), django_auth],
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, exc: Exception) -> Any:
    return api.create_response(request, {"detail": "您无权执行此操作"}, status=403)


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: Exception) -> Any:
    return api.create_response(request, {"detail": "未登录或令牌无效"}, status=401)


@api.exception_handler(ActionError)
def action_error(request: HttpRequest, exc: ActionError) -> Any:
    return api.create_response(request, {"detail": exc.message, "field": exc.field}, status=400)


@api.exception_handler(ImportFailed)
def import_failed(request: HttpRequest, exc: ImportFailed) -> Any:
    errors = [{"sheet": e.sheet, "row": e.row, "column": e.column, "message": e.message} for e in exc.errors]
    return api.create_response(request, {"detail": "导入失败，未写入任何数据", "errors": errors}, status=400)


def _add_routers() -> None:
    from xingyao.accounts.api import router as accounts_router
    from xingyao.assessments.api import router as assessments_router
    from xingyao.disputes.api import router as disputes_router
    from xingyao.grid.api import router as grid_router
    from xingyao.places.api import router as places_router
    from xingyao.stars.api import router as stars_router

    api.add_router("/units", places_router)
    api.add_router("/grid", grid_router)
    api.add_router("/disputes", disputes_router)
    api.add_router("/assessments", assessments_router)
    api.add_router("/", accounts_router)
    api.add_router("/", stars_router)


_add_routers()
