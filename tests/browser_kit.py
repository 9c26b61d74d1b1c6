"""What the browser tests share: Debian's Chromium through Playwright, pages, mouse and touch
strokes.

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
# How long an expectation waits for the page (Playwright's default: 5 s). A wait, not a speed
# check: on a machine running two test processes a redraw can take seconds; speed is measured by
# the benchmarks.
sync_api.expect.set_options(timeout=15_000)


def launch(playwright):
    """Debian's Chromium, headless."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def open_app(browser, url: str, locale: str | None = None, touch: bool = False):
    """A new page on the app, its canvas ready to draw; page.errors collects page and console
    errors.

    locale: the browser's language (e.g. "zh-CN"), sent as Accept-Language. touch: the page
    takes touch input (for touch_draw).
    """
    page = browser.new_page(
        viewport={"width": 1280, "height": 1000}, locale=locale, has_touch=touch
    )
    page.set_default_timeout(30_000)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(f"pageerror: {error}"))
    page.on(
        "console",
        lambda msg: errors.append(f"console: {msg.text}") if msg.type == "error" else None,
    )
    page.errors = errors
    page.goto(url)
    page.wait_for_selector("#dl-canvas [data-ready]")  # the canvas's script is listening
    return page


# Resolves once the page has not changed for `quiet` ms (or after `most` ms, on a page that
# keeps changing: a run streaming its charts).
_SETTLE = """([quiet, most]) => new Promise(resolve => {
  let timer;
  const done = () => { observer.disconnect(); resolve(); };
  const observer = new MutationObserver(() => {
    clearTimeout(timer);
    timer = setTimeout(done, quiet);
  });
  const all = {subtree: true, childList: true, attributes: true, characterData: true};
  observer.observe(document.body, all);
  timer = setTimeout(done, quiet);
  setTimeout(done, most);
})"""


def settle(page, quiet_ms: int = 400, most_ms: int = 1500) -> None:
    """Wait until the page is still: a tab just opened has drawn its texts and charts."""
    page.evaluate(_SETTLE, [quiet_ms, most_ms])


def on_canvas(page, x: float, y: float) -> tuple[float, float]:
    """Page coordinates of (x, y) in fractions of the drawing square (outside 0-1: the margin)."""
    return _on_box(page.locator("#dl-canvas canvas").bounding_box(), x, y)


def _on_box(box: dict, x: float, y: float) -> tuple[float, float]:
    return box["x"] + x * box["width"], box["y"] + y * box["height"]


def _strokes_on_page(page, strokes):
    """Each stroke in page coordinates, the canvas located once per stroke (not once per point:
    a round trip to the browser each), as the stroke starts (a verdict may move the page)."""
    for stroke in strokes:
        box = page.locator("#dl-canvas canvas").bounding_box()
        yield [_on_box(box, x, y) for x, y in stroke]


def draw(page, strokes, steps: int = 4) -> None:
    """Draw strokes (lists of (x, y) fractions of the drawing square) with the mouse; `steps`
    mouse moves per segment (a hand's pace; 1 for strokes already sampled densely)."""
    for points in _strokes_on_page(page, strokes):
        page.mouse.move(*points[0])
        page.mouse.down()
        for point in points[1:]:
            page.mouse.move(*point, steps=steps)
        page.mouse.up()


def touch_draw(page, strokes) -> None:
    """Draw strokes with a finger: Chromium's own touch events (CDP), on a page opened with
    touch=True. A stroke of one point is a tap."""
    cdp = page.context.new_cdp_session(page)
    for points in _strokes_on_page(page, strokes):
        steps = [points[0]] + [
            (a[0] + (b[0] - a[0]) * k / 4, a[1] + (b[1] - a[1]) * k / 4)
            for a, b in zip(points, points[1:], strict=False) for k in range(1, 5)
        ]  # fmt: skip
        for kind, (x, y) in [("touchStart", steps[0])] + [("touchMove", p) for p in steps[1:]]:
            cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": [{"x": x, "y": y}]})
        cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    cdp.detach()


def clear(page) -> None:
    """Press the canvas's Clear button."""
    page.locator("#dl-canvas button.dl-clear").click()


def screenshot(page, name: str) -> None:
    """Save a full-page screenshot into $DIGITLAB_SCREENSHOTS (the README's docs/)."""
    path = Path(SCREENSHOTS) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
