"""The Robustness tab in headless Chromium, on the real app: draw a 7, open the tab, move a
slider and see the answer and the bars change; draw the map and find the drawing's black
marker on it; compute the robustness curves of two models. No page errors.

Skips like the other browser tests without Playwright or chromium. Set
DIGITLAB_SCREENSHOTS=docs to save docs/robust-tab.png.
"""

from __future__ import annotations

import base64
import io

import numpy as np
import pytest
from browser_kit import SCREENSHOTS, draw, launch, open_app, screenshot, sync_api
from PIL import Image

from digitlab.ui.common import SHIPPED

pytestmark = [pytest.mark.browser, pytest.mark.real_mnist]  # the map and curves read MNIST
SEVEN = [[(0.22, 0.15), (0.78, 0.15)], [(0.78, 0.15), (0.42, 0.88)]]


@pytest.fixture
def page(app_module, shipped):
    assert SHIPPED.names(), f"the app loaded no shipped model: {SHIPPED.problems}"
    with sync_api.sync_playwright() as p:
        browser = launch(p)
        yield open_app(browser, app_module.url)
        browser.close()


def picture(page, selector: str) -> np.ndarray:
    """The RGB pixels of an inline PNG <img> on the page."""
    source = page.locator(f"{selector} img").get_attribute("src")
    data = base64.b64decode(source.split("base64,", 1)[1])
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))


def changed(page, selector: str, before: np.ndarray, seconds: float = 20) -> np.ndarray:
    """The picture once it differs from before (its <img> is replaced after the answer)."""
    for _ in range(int(seconds / 0.2)):
        now = picture(page, selector)
        if not np.array_equal(now, before):
            return now
        page.wait_for_timeout(200)
    raise AssertionError(f"{selector} did not change in {seconds} s")


def black(pixels: np.ndarray) -> np.ndarray:
    return (pixels == 0).all(2)


def test_sliders_move_the_answer_the_map_places_the_drawing_and_curves_compare(page):
    draw(page, SEVEN)
    sync_api.expect(page.locator("#dl-verdict .dl-digit")).to_have_text("7", timeout=20_000)
    page.get_by_role("tab", name="Robustness & map").click()
    verdict = page.locator("#dl-robust-verdict")
    sync_api.expect(verdict.locator(".dl-digit")).to_have_text("7", timeout=20_000)
    answer = verdict.locator(".dl-headline")  # the digit, then "100.0% sure · Shipped CNN ..."
    said, seen = answer.text_content(), picture(page, "#dl-robust-pixels")
    bars = page.locator("#dl-robust-bars").screenshot()

    # Turn the 7 upside down: the model's answer, its bars and the 28x28 picture all change.
    page.locator("#dl-robust-angle input[type=range]").fill("180")
    sync_api.expect(answer).not_to_have_text(said, timeout=20_000)
    turned = changed(page, "#dl-robust-pixels", seen)
    upright = np.rot90(turned, 2).astype(int)  # turned by 180 degrees, exactly
    assert turned.shape == (28, 28, 3) and np.abs(upright - seen).max() <= 2
    page.wait_for_timeout(500)  # the bars' transition
    assert page.locator("#dl-robust-bars").screenshot() != bars

    # The map: both pictures carry the black marker; moving the drawing moves it.
    page.get_by_role("button", name="Draw the map").click()
    line = page.locator("#dl-map-line")
    sync_api.expect(line).to_contain_text("your drawing (black dot) lands among", timeout=60_000)
    after = picture(page, "#dl-map-after")
    assert black(after).sum() > 300 and black(picture(page, "#dl-map-before")).sum() > 300
    page.locator("#dl-robust-angle input[type=range]").fill("0")
    sync_api.expect(line).to_contain_text("lands among the 7s", timeout=20_000)
    assert black(changed(page, "#dl-map-after", after)).sum() > 300

    # "Undo all changes" puts every slider back; the answer is the drawing's own again.
    page.locator("#dl-robust-noise input[type=range]").fill("0.5")
    page.locator("#dl-robust-dx input[type=range]").fill("8")
    sync_api.expect(answer).not_to_have_text(said, timeout=20_000)
    page.get_by_role("button", name="Undo all changes").click()
    sync_api.expect(page.locator("#dl-robust-noise input[type=number]")).to_have_value("0")
    sync_api.expect(page.locator("#dl-robust-dx input[type=number]")).to_have_value("0")
    sync_api.expect(answer).to_have_text(said, timeout=20_000)
    sync_api.expect(verdict.locator(".dl-digit")).to_have_text("7")

    # The curves of the shipped MLP (A) and CNN (B), side by side.
    page.get_by_role("button", name="Compute the curves").click()
    curves = page.locator("#dl-curves-line")
    sync_api.expect(curves).to_contain_text("Moved 6 px", timeout=90_000)
    sync_api.expect(curves).to_contain_text("Shipped MLP")
    sync_api.expect(curves).to_contain_text("Shipped CNN")
    for curve in ("rotation", "thickness", "noise", "shift"):
        plot = page.locator(f"#dl-curve-{curve}")
        sync_api.expect(plot.locator("canvas, svg").first).to_be_visible()
        sync_api.expect(plot).to_contain_text("A")
        sync_api.expect(plot).to_contain_text("B")
    if SCREENSHOTS:
        screenshot(page, "robust-tab.png")
    assert page.errors == []
