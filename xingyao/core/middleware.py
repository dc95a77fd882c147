"""Security headers for every response (a Content-Security-Policy that forbids inline scripts); request bodies
over their cap refused with a 413 before a byte is read; bad list parameters answered as a 400 page."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve

from xingyao.core.filters import BadParam

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        # ECharts and Swagger UI write style attributes from script; styles cannot run code, scripts stay strict.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", CSP)
        response.setdefault("Permissions-Policy", "geolocation=(self), camera=(self), microphone=()")
        response.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response


class BadParamMiddleware:
    """A list page or export asked with a parameter it does not know answers 400 with the Chinese reason."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, BadParam):
            return None
        return render(request, "core/bad_params.html", {"message": exception.message}, status=400)


class BodyLimitMiddleware:
    """Refuse a request whose declared body is larger than it may be, before anything reads it; and one whose
    path or query carries a NUL character (400).

    Placed after the authentication middleware (so the page knows the user) and before every `process_view`
    (the CSRF check reads `request.POST`, which would spool a large upload to disk). Logged-in and API requests may
    send up to `XINGYAO_MAX_REQUEST_BYTES`; anonymous ones up to `XINGYAO_MAX_ANONYMOUS_BYTES` except on the
    URLs named in `XINGYAO_ANONYMOUS_UPLOAD_URLS` (the residents' report form takes photos). Django reads no more
    than `Content-Length` from the WSGI stream (a chunked body without it reads as empty), so the declared length
    is the whole body; nginx's `client_max_body_size` should refuse the same sizes first (README).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads such a body as empty too
        if length > settings.XINGYAO_MAX_ANONYMOUS_BYTES:  # the smaller cap: most requests stop here
            limit = self._limit(request)
            if length > limit:
                return too_large(request, limit)
        if "\x00" in request.path_info or "%00" in request.META.get("QUERY_STRING", ""):
            # No text column takes a NUL (PostgreSQL refuses it with a DataError, a 500); forms refuse it already.
            return bad_text(request)
        return self.get_response(request)

    @staticmethod
    def _limit(request: HttpRequest) -> int:
        if "HTTP_AUTHORIZATION" in request.META or request.user.is_authenticated:
            return int(settings.XINGYAO_MAX_REQUEST_BYTES)
        try:
            name = resolve(request.path_info).view_name
        except Resolver404:
            name = ""
        if name in settings.XINGYAO_ANONYMOUS_UPLOAD_URLS:
            return int(settings.XINGYAO_MAX_REQUEST_BYTES)
        return int(settings.XINGYAO_MAX_ANONYMOUS_BYTES)


def bad_text(request: HttpRequest) -> HttpResponse:
    message = "地址或查询条件中含有不允许的控制字符（NUL），请检查后重试。"
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=400, json_dumps_params={"ensure_ascii": False})
    return render(request, "core/bad_params.html", {"message": message}, status=400)


def too_large(request: HttpRequest, limit: int) -> HttpResponse:
    """413 with the cap in words: the layout's page, or `{"detail": ...}` under /api/."""
    size = f"{limit / (1024 * 1024):.0f} MB" if limit >= 1024 * 1024 else f"{limit // 1024} KB"
    message = f"提交的内容超过 {size} 的上限，未被接收。请压缩或分批上传后重试。"
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=413, json_dumps_params={"ensure_ascii": False})
    return render(request, "413.html", {"message": message}, status=413)
