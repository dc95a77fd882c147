"""What a grid worker's phone downloads for the report page: cold (first visit, nothing kept) and warm (the service
worker and the browser keep the shell), next to the size of the shell itself. Not a test: it prints figures.

Run against a served demo (`make demo`, or `xingyao runserver` on the demo database):

    .venv/bin/python bench/phone_bytes.py [--base http://127.0.0.1:8000] [--user wangge]

Bytes are what crossed the wire (compressed where the server compressed), summed from the browser's own network
events (Chromium DevTools protocol); files the service worker or the cache answer count zero, and the page itself,
which the worker fetches from the network first, counts its body (headers aside).
"""

from __future__ import annotations

import argparse
import gzip
from pathlib import Path

from playwright.sync_api import sync_playwright

STATIC = Path(__file__).resolve().parent.parent / "xingyao"
SHELL = [
    "static/xingyao/app.css",
    "static/xingyao/app.js",
    "static/xingyao/offline.js",
    "static/xingyao/favicon.svg",
    "static/vendor/htmx.min.js",
    "static/vendor/idb-keyval.js",
    "grid/static/grid/report.js",
]


def shell_size() -> tuple[int, int]:
    raw = gz = 0
    for name in SHELL:
        data = (STATIC / name).read_bytes()
        raw += len(data)
        gz += len(gzip.compress(data, 9))
    return raw, gz


def page_bytes(page, cdp, url: str) -> int:  # type: ignore[no-untyped-def]
    """Bytes received while `url` loads and settles."""
    received: dict[str, float] = {}
    cdp.on("Network.loadingFinished", lambda e: received.__setitem__(e["requestId"], e["encodedDataLength"]))
    response = page.goto(url, wait_until="networkidle")
    total = int(sum(received.values()))
    # The service worker fetches a page from the network first (its copy is for when there is no signal): those
    # bytes cross the wire in the worker, where this page's DevTools session does not see them. Count the body.
    if response is not None and response.from_service_worker:
        total += len(response.body())
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--user", default="wangge")
    parser.add_argument("--password", default="xingyao-demo")
    args = parser.parse_args()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
        context = browser.new_context(viewport={"width": 390, "height": 844}, base_url=args.base)
        page = context.new_page()
        page.goto("/accounts/login/")
        page.fill("#id_username", args.user)
        page.fill("#id_password", args.password)
        page.click("button[type=submit]")
        page.wait_for_url("**/home/")
        # Cold: nothing kept — no service worker, no stored pages, an empty browser cache.
        page.evaluate(
            "async () => { for (const r of await navigator.serviceWorker.getRegistrations()) await r.unregister();"
            " for (const k of await caches.keys()) await caches.delete(k); }"
        )
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.clearBrowserCache")
        cold = page_bytes(page, cdp, "/grid/new/")
        page.evaluate("navigator.serviceWorker && navigator.serviceWorker.ready")
        warm_cdp = context.new_cdp_session(page)
        warm_cdp.send("Network.enable")
        warm = page_bytes(page, warm_cdp, "/grid/new/")
        browser.close()
    raw, gz = shell_size()
    print(f"PWA shell: {raw:,} bytes ({gz:,} gzipped), {len(SHELL)} files")
    print(f"report page, cold: {cold:,} bytes over the wire")
    print(f"report page, warm: {warm:,} bytes over the wire ({warm / cold:.1%} of cold)")


if __name__ == "__main__":
    main()
