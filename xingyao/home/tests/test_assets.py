"""Page scripts and styles sit where a click (hx-boost swaps only the body) still loads them."""

from __future__ import annotations

import re
from pathlib import Path

import xingyao

ROOT = Path(xingyao.__file__).parent
# Whole documents with a head of their own: the layout, and the no-signal page the service worker keeps (it is
# never reached by a click, and carries no session or CSRF token, so it does not extend the layout).
DOCUMENTS = {"base.html", "offline.html"}
TEMPLATES = [p for p in ROOT.glob("**/templates/**/*.html") if p.name not in DOCUMENTS]
PAGE_SCRIPTS = [p for p in ROOT.glob("*/static/*/*.js")]
ASSETS = re.compile(r"{%\s*block assets\s*%}(.*?){%\s*endblock", re.S)
TAGS = re.compile(r"<script\b[^>]*>|<link\b[^>]*rel=\"stylesheet\"[^>]*>")


def test_no_template_loads_anything_in_the_head():
    offenders = [str(p.relative_to(ROOT)) for p in TEMPLATES if re.search(r"{%\s*block head\s*%}", p.read_text())]
    assert not offenders, f"the head is never swapped on a click; use {{% block assets %}}: {offenders}"


def test_scripts_and_styles_are_in_the_body_assets_block_and_scripts_are_files():
    for path in TEMPLATES:
        text = path.read_text()
        inside = "".join(ASSETS.findall(text))
        for tag in TAGS.findall(text):
            assert tag in inside, f"{path.relative_to(ROOT)}: {tag} outside {{% block assets %}}"
            if tag.startswith("<script"):
                assert "src=" in tag and " defer" in tag, f"{path.relative_to(ROOT)}: {tag} (a file, with defer)"


def test_every_page_script_sets_up_through_the_shell():
    assert PAGE_SCRIPTS, "no page scripts found"
    for path in PAGE_SCRIPTS:
        text = path.read_text()
        assert "window.xingyao.page(" in text, f"{path.name}: register the setup with window.xingyao.page"
        assert "DOMContentLoaded" not in text, f"{path.name}: runs only on a full load"
