"""Screenshots of the public site and the residents' QR poster, for docs/screenshots/ (not a test).

Run against a database with the demo loaded (`xingyao demo`):

    XINGYAO_DEBUG=1 .venv/bin/python scripts/screenshots_public.py [--out docs/screenshots]

It serves the site from this process on a loopback port for as long as it takes the pictures (the server stops with
the script), drives Debian's Chromium through Playwright, and writes:
- public-town-board-390.png: 溧河铺镇's public board on a 390 px phone;
- qr-poster-a4.png: 毛桥村's residents' QR poster as printed on A4 (print media, 210 mm at 96 dpi).
If 毛桥村 has no residents' link yet, it issues one as the town's administrator (the same action as the button).
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
from pathlib import Path
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xingyao.settings")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
A4_WIDTH, A4_HEIGHT = 794, 1123  # 210 × 297 mm at 96 dpi


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    import django

    django.setup()
    from django.core.wsgi import get_wsgi_application
    from django.test import Client
    from playwright.sync_api import sync_playwright

    from xingyao.accounts.models import User
    from xingyao.grid.actions import do_rotate_resident_link
    from xingyao.grid.models import ResidentLink
    from xingyao.places.models import Unit

    units = Unit.objects.unscoped("a screenshot script reads the demo")
    town = units.get(name="溧河铺镇", kind="town")
    village = units.get(name="毛桥村", parent=town)
    if not ResidentLink.objects.unscoped("does the demo village have a link yet").filter(village=village).exists():
        do_rotate_resident_link(User.objects.get(username="zhen"), village)
    staff = Client()
    staff.force_login(User.objects.get(username="maoqiao"))
    session = staff.cookies["sessionid"].value

    server = make_server("127.0.0.1", 0, get_wsgi_application(), server_class=_Server, handler_class=_Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            phone = browser.new_page(viewport={"width": 390, "height": 1100}, device_scale_factor=1)
            phone.goto(f"{base}/public/{town.code}/")
            phone.screenshot(path=str(out / "public-town-board-390.png"))
            context = browser.new_context(viewport={"width": A4_WIDTH, "height": A4_HEIGHT}, device_scale_factor=1)
            context.add_cookies([{"name": "sessionid", "value": session, "url": base}])
            paper = context.new_page()
            paper.emulate_media(media="print")
            paper.goto(f"{base}/grid/links/{village.code}/poster/")
            paper.screenshot(path=str(out / "qr-poster-a4.png"))
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    for name in ("public-town-board-390.png", "qr-poster-a4.png"):
        print(f"{out / name}  {(out / name).stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
