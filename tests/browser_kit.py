"""What the browser tests share: Debian's Chromium through Playwright, pages, mouse strokes.

Importing this module skips the importing test module when Playwright or a chromium binary is
missing (CI installs both), so every browser test skips with the same clear reason.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None:
    pytest.skip(
        "no chromium binary on PATH (Debian: apt-get install -y chromium)", allow_module_level=True
    )

# Playwright cannot download its own browsers here; these flags keep Debian's quiet offline.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run",
]  # fmt: skip
SCREENSHOTS = os.environ.get("DIGITLAB_SCREENSHOTS")


def launch(playwright):
    """Debian's Chromium, headless."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def open_app(browser, url: str, locale: str | None = None):
    """A new page on the app, its brush selected; page.errors collects page and console errors.

    locale: the browser's language (e.g. "zh-CN"), sent as Accept-Language.
    """
    page = browser.new_page(viewport={"width": 1280, "height": 1000}, locale=locale)
    page.set_default_timeout(30_000)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(f"pageerror: {error}"))
    page.on(
        "console",
        lambda msg: errors.append(f"console: {msg.text}") if msg.type == "error" else None,
    )
    page.errors = errors
    page.goto(url)
    page.wait_for_selector("#dl-canvas canvas")
    # The app's load script selects the brush; wait for it so the first stroke draws.
    page.wait_for_selector('#dl-canvas button[aria-label="Brush"].highlight')
    return page


def draw(page, strokes) -> None:
    """Draw strokes (lists of (x, y) fractions) with the mouse inside the canvas's drawing area."""
    box = page.locator("#dl-canvas canvas").first.bounding_box()
    side = 0.75 * min(box["width"], box["height"])  # stays inside the 280x280 image
    left = box["x"] + (box["width"] - side) / 2
    top = box["y"] + (box["height"] - side) / 2
    for stroke in strokes:
        points = [(left + x * side, top + y * side) for x, y in stroke]
        page.mouse.move(*points[0])
        page.mouse.down()
        for point in points[1:]:
            page.mouse.move(*point, steps=4)
        page.mouse.up()


def screenshot(page, name: str) -> None:
    """Save a full-page screenshot into $DIGITLAB_SCREENSHOTS (the README's docs/)."""
    path = Path(SCREENSHOTS) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
