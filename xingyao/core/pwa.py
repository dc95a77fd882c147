"""The installable app shell: the web manifest, the service worker (served from the site's root so it may look after
every page) and the page shown when a page was never kept and there is no signal."""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import never_cache

from xingyao.core import offline

SHELL_ASSETS = (
    "xingyao/app.css",
    "xingyao/app.js",
    "xingyao/offline.js",
    "xingyao/favicon.svg",
    "vendor/htmx.min.js",
    "vendor/idb-keyval.js",
    "grid/report.js",
)


def manifest(request: HttpRequest) -> JsonResponse:
    """What a phone needs to install the site as an app: name, icon, where it starts, its colour."""
    data = {
        "name": "星耀 · 五星支部创建",
        "short_name": "星耀",
        "lang": "zh-CN",
        "start_url": reverse("home:home"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#f7f5f2",
        "theme_color": "#c62828",
        "icons": [{"src": static("xingyao/favicon.svg"), "sizes": "any", "type": "image/svg+xml"}],
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response


@never_cache  # the browser must see a new worker as soon as the shell changes
def service_worker(request: HttpRequest) -> HttpResponse:
    shell = [static(name) for name in SHELL_ASSETS] + [reverse("core:offline")]
    pages = offline.kept_pages()
    fingerprint = hashlib.blake2s(json.dumps([shell, pages, settings.STATIC_URL]).encode(), digest_size=6)
    version = fingerprint.hexdigest()  # a new shell is a new cache: phones drop the old one
    response = render(
        request,
        "core/sw.js",
        {"version": version, "shell": json.dumps(shell), "pages": json.dumps(pages), "static_url": settings.STATIC_URL},
        content_type="text/javascript; charset=utf-8",
    )
    response["Service-Worker-Allowed"] = "/"
    return response


def offline_page(request: HttpRequest) -> HttpResponse:
    """Shown by the service worker for a page the phone never kept, when there is no signal."""
    return render(request, "core/offline.html")
