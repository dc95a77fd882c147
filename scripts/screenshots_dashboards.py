"""Screenshots of the town dashboard (溧河铺镇, 2023) at 390 px and 1280 px wide, for docs/screenshots/.

Usage, on a database with the demo loaded (`xingyao demo`):

    DATABASE_URL=postgresql://… .venv/bin/python scripts/screenshots_dashboards.py [--base http://127.0.0.1:8000]

Without --base it starts `xingyao runserver` on a free loopback port for the run and stops it after. The pictures
are reduced to a 256-colour palette so each stays well under 300 KB.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
TOWN = "411329107000"  # 溧河铺镇
YEAR = 2023
WIDTHS = {"dashboard-town-390.png": (390, 844), "dashboard-town-1280.png": (1280, 900)}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]  # fmt: skip


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start_server() -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    env = {**os.environ, "XINGYAO_DEBUG": "1"}  # runserver serves the app's static files itself
    server = subprocess.Popen(  # noqa: S603 (our own command, fixed arguments, loopback only)
        [str(ROOT / ".venv" / "bin" / "xingyao"), "runserver", "--noreload", f"127.0.0.1:{port}"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            urllib.request.urlopen(f"{base}/accounts/login/", timeout=2)  # noqa: S310 (loopback only)
            return server, base
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("服务没有启动")


def _shrink(path: Path) -> None:
    image = Image.open(path).convert("RGB")
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)


def take(base: str) -> list[Path]:
    OUT.mkdir(parents=True, exist_ok=True)
    password = os.environ.get("XINGYAO_DEMO_PASSWORD", "xingyao-demo")
    saved = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for name, (width, height) in WIDTHS.items():
            context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN",
                                          service_workers="block")  # fmt: skip
            page = context.new_page()
            page.goto(f"{base}/accounts/login/")
            page.fill("#id_username", "zhen")
            page.fill("#id_password", password)
            page.click("button[type=submit]")
            page.wait_for_url("**/home/")
            page.goto(f"{base}/reports/{TOWN}/{YEAR}/")
            page.wait_for_function("() => document.querySelectorAll('canvas').length > 0")
            page.wait_for_timeout(1500)  # ECharts' entry animation
            path = OUT / name
            page.screenshot(path=str(path), full_page=True)
            _shrink(path)
            saved.append(path)
            context.close()
        browser.close()
    return saved


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", help="a running server (default: start one on a free loopback port)")
    args = parser.parse_args()
    server = None
    base = args.base
    if not base:
        server, base = _start_server()
    try:
        for path in take(base):
            print(f"{path.relative_to(ROOT)}  {path.stat().st_size // 1024} KB")
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
