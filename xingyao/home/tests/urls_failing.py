"""The project's URLs plus one view that fails, to see the 500 page."""

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.urls import path

from xingyao.urls import handler400, handler403, handler404, handler500
from xingyao.urls import urlpatterns as project_urls

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


def failing(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


def database_gone(request: HttpRequest) -> HttpResponse:
    raise OperationalError("server closed the connection unexpectedly")


urlpatterns = [
    path("failing/", failing),
    path("api/v1/failing/", failing),
    path("database-gone/", database_gone),
    path("api/v1/database-gone/", database_gone),
    *project_urls,
]
