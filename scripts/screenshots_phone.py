"""Screenshots of the phone pages (390×844) for the closing note: the report form, the event list as cards with its
filter chips, evidence with thumbnails on an assessment, the inbox, a resident's tracking page and the offline
"待上传" outbox (a report, and a note on an event). Not a test: it saves PNGs (each under 250 KB) and prints any
page wider than the phone.

Run against a served demo (`make demo`, or `xingyao runserver` on the demo database):

    .venv/bin/python scripts/screenshots_phone.py [--base http://127.0.0.1:8000] [--out docs/screenshots]

It changes the demo a little, as a person would: a resident reports through 毛桥村's public link (to have a report to
track), and three photos are uploaded to one indicator of 毛桥村's assessment when none of its rows shows any yet.
The offline report is never sent (its browser is closed while it waits).
"""

from __future__ import annotations

import argparse
import io
from pathlib import Path
from typing import Any

from PIL import Image
from playwright.sync_api import Browser, Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
MAX_BYTES = 250_000
VILLAGE = "411329107201"  # 毛桥村 in the demo township
PHONE = {"viewport": {"width": 390, "height": 844}, "locale": "zh-CN", "device_scale_factor": 1}


def _photo(colour: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (640, 480), colour).save(out, "JPEG", quality=80)
    return out.getvalue()


class Shots:
    def __init__(self, browser: Browser, base: str, password: str, out: Path) -> None:
        self.browser, self.base, self.password, self.out = browser, base, password, out
        self.wide: list[str] = []

    def phone(self, user: str | None, **extra: Any) -> Page:
        context = self.browser.new_context(base_url=self.base, **PHONE, **extra)
        context.set_default_timeout(20_000)
        page = context.new_page()
        if user:
            page.goto("/accounts/login/")
            page.fill("#id_username", user)
            page.fill("#id_password", self.password)
            page.click("button[type=submit]")
            page.wait_for_url("**/home/")
        return page

    def save(self, page: Page, name: str) -> None:
        page.wait_for_load_state("networkidle")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 390:
            self.wide.append(f"{name}: {width}px")
        path = self.out / f"{name}.png"
        page.screenshot(path=str(path), scale="css", animations="disabled")
        if path.stat().st_size > MAX_BYTES:  # flat colours and text: a palette keeps it sharp and small
            Image.open(path).convert("RGB").quantize(colors=128).save(path, optimize=True)
        print(f"{path.relative_to(ROOT)}: {path.stat().st_size:,} bytes")

    def report_form(self) -> None:
        page = self.phone("wangge")
        page.click("#work a.tile.first")  # 上报事件
        page.wait_for_selector("h1:text('上报事件')")
        page.fill("#id_title", "村口路灯不亮")
        self.save(page, "report-form")
        page.context.close()

    def events(self) -> None:
        page = self.phone("zhen")
        page.goto("/grid/?tab=all&source=resident&level=normal")
        page.wait_for_selector("#event-table")
        self.save(page, "event-list-cards")
        page.context.close()

    def evidence(self) -> None:
        page = self.phone("maoqiao")
        page.click("text=待填报年度评定")
        page.wait_for_selector("[id^=ind-]")
        shown = page.locator("[id^=ind-]:has(.thumbs a:nth-child(3) img)")
        if not shown.count():  # no row with three photos yet: upload three at once, as a clerk does
            row = page.locator("[id^=ind-]:has(summary:text('上传佐证'))").first
            row.locator("summary", has_text="上传佐证").click()
            files = [
                {"name": f"清运{n}.jpg", "mimeType": "image/jpeg", "buffer": _photo(c)}
                for n, c in enumerate(("#b23a2e", "#2e6bb2", "#3f8f4a"), 1)
            ]
            row.locator("input[type=file]").set_input_files(files)
            row.get_by_role("button", name="上传", exact=True).click()
            row.locator(".thumbs img").nth(2).wait_for()
            shown = page.locator("[id^=ind-]:has(.thumbs a:nth-child(3) img)")
        row = shown.first
        row.evaluate("(el) => el.scrollIntoView({block: 'center'})")
        page.wait_for_function(
            "(el) => [...el.querySelectorAll('.thumbs img')].every((i) => i.complete && i.naturalWidth)",
            arg=row.element_handle(),
        )
        self.save(page, "evidence-thumbnails")
        page.context.close()

    def inbox(self) -> None:
        page = self.phone("zhen")
        page.click("header a[href='/notices/']")
        page.wait_for_selector("h1")
        self.save(page, "inbox")
        page.context.close()

    def track(self) -> None:
        town = self.phone("zhen")
        town.goto(f"/grid/people/{VILLAGE}/")
        town.click("a[href^='/grid/links/']")
        town.wait_for_selector("h1:has-text('居民上报二维码')")
        if not town.locator(".qr .key").count():  # the village has no public link yet: the town makes one
            town.once("dialog", lambda dialog: dialog.accept())
            town.click("form[data-confirm] button[type=submit]")
            town.wait_for_selector(".qr .key")
        url = town.locator(".qr .key").inner_text().strip()
        town.context.close()
        resident = self.phone(None)
        resident.goto(url)
        resident.select_option("#id_category", index=1)
        resident.fill("#id_description", "村西头路灯坏了三天，晚上出行不便。")
        resident.fill("#id_address", "村西头小桥边")
        resident.click("form button[type=submit]")
        resident.click("a.button:has-text('查看办理进展')")
        resident.wait_for_url(lambda url: "/grid/track/" in url)
        self.save(resident, "resident-track")
        resident.context.close()

    def outbox(self) -> None:
        page = self.phone("wangge", service_workers="allow")
        page.click("#work a.tile.first")
        page.wait_for_selector("h1:text('上报事件')")
        page.evaluate("navigator.serviceWorker.ready")
        page.context.set_offline(True)
        page.select_option("#id_category", index=2)
        page.fill("#id_title", "田间机井房垃圾堆放")
        page.fill("#id_description", "机井房旁垃圾堆放，无信号处拍照记录。")
        page.set_input_files(
            "#id_photos", files=[{"name": "现场.jpg", "mimeType": "image/jpeg", "buffer": _photo("#7a6a50")}]
        )
        page.get_by_role("button", name="提交上报").click()
        page.wait_for_selector("[data-outbox]:not([hidden])")
        page.evaluate("window.scrollTo(0, 0)")
        self.save(page, "offline-outbox")
        page.context.close()  # closed offline: the kept report is never sent

    def offline_note(self) -> None:
        page = self.phone("wangge", service_workers="allow")
        page.goto("/grid/?tab=todo")
        page.evaluate("navigator.serviceWorker.ready")
        page.locator("#event-table tbody a").first.click()
        page.wait_for_selector("form[data-offline='grid.note']")
        page.context.set_offline(True)
        page.fill("#id_text", "夜间复查：路灯仍不亮，已拍照。")
        page.set_input_files(
            "#id_photos", files=[{"name": "复查.jpg", "mimeType": "image/jpeg", "buffer": _photo("#3b3f58")}]
        )
        page.get_by_role("button", name="提交补充情况").click()
        page.wait_for_selector("[data-outbox]:not([hidden])")
        page.evaluate("window.scrollTo(0, 0)")
        self.save(page, "offline-event-note")
        page.context.close()  # closed offline: the kept note is never sent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--password", default="xingyao-demo")
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--only", nargs="*", help="names of the shots to take (report_form events evidence …)")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
        shots = Shots(browser, args.base, args.password, out)
        for take in (
            shots.report_form,
            shots.events,
            shots.evidence,
            shots.inbox,
            shots.track,
            shots.outbox,
            shots.offline_note,
        ):
            if not args.only or take.__name__ in args.only:
                take()
        browser.close()
    for line in shots.wide:
        print(f"wider than the phone: {line}")


if __name__ == "__main__":
    main()
