"""The Draw tab's canvas in headless Chromium: mouse and touch, strokes that start in the margin,
taps, Undo, many drawings with Clear between them, and what one stroke sends to the server.

Skips like tests/test_browser.py when Playwright or chromium is missing.
"""

from __future__ import annotations

import pytest
from browser_kit import clear, draw, open_app, sync_api, touch_draw

from digitlab.ui.common import SHIPPED

pytestmark = pytest.mark.browser

SEVEN = [[(0.22, 0.15), (0.78, 0.15)], [(0.78, 0.15), (0.42, 0.88)]]
ONE = [[(0.5, 0.12), (0.5, 0.88)]]
BAR = [[(0.2, 0.5), (0.8, 0.5)]]
SHOWN = "() => document.querySelector('#dl-verdict .dl-digit')?.textContent"
# The canvas's own pixels: alpha at (x, y) in fractions, and how many pixels hold any ink.
ALPHA = """([x, y]) => {
  const c = document.querySelector('#dl-canvas canvas');
  return c.getContext('2d').getImageData(Math.floor(x * c.width), Math.floor(y * c.height), 1, 1)
    .data[3];
}"""
INKED = """() => {
  const c = document.querySelector('#dl-canvas canvas');
  return c.getContext('2d').getImageData(0, 0, c.width, c.height).data
    .filter((v, i) => i % 4 === 3 && v > 0).length;
}"""


@pytest.fixture(params=["mouse", "touch"])
def hand(request, browser, app_module, shipped):
    """A fresh page and a way to draw on it: the real mouse, or a finger (CDP touch events)."""
    assert SHIPPED.names(), f"the app loaded no shipped model: {SHIPPED.problems}"
    touch = request.param == "touch"
    page = open_app(browser, app_module.url, touch=touch)
    yield page, touch_draw if touch else draw
    assert not page.errors, page.errors
    page.close()


def shows(page, digit: str) -> None:
    page.wait_for_function(f"() => ({SHOWN})() === {digit!r}", timeout=20_000)


def test_a_digit_is_read_from_mouse_and_touch(hand):
    page, stroke = hand
    stroke(page, SEVEN)
    shows(page, "7")


def test_a_stroke_that_starts_in_the_grey_margin_is_kept(hand):
    page, stroke = hand
    stroke(page, [[(0.5, -0.04), (0.5, 0.88)]])  # from 11 px above the white square, down
    shows(page, "1")
    assert page.evaluate(ALPHA, [0.5, 0.01]) == 255  # the ink reaches the square's top edge


def test_a_tap_draws_the_same_dot_with_mouse_and_touch(browser, app_module, shipped):
    dots = []
    for touch in (False, True):
        page = open_app(browser, app_module.url, touch=touch)
        (touch_draw if touch else draw)(page, [[(0.5, 0.5)]])
        page.wait_for_function(f"() => ({SHOWN})() !== '?'", timeout=20_000)  # it is read too
        dots.append(page.evaluate(INKED))
        assert page.evaluate(ALPHA, [0.5, 0.5]) == 255
        assert not page.errors, page.errors
        page.close()
    assert dots[0] == dots[1] and 400 < dots[0] < 560, dots  # a disc of radius 12


def test_undo_takes_back_the_last_stroke(page):
    draw(page, ONE)
    shows(page, "1")
    draw(page, BAR)
    page.wait_for_function(f"() => ({SHOWN})() !== '1'", timeout=20_000)
    page.locator("#dl-canvas button.dl-undo").click()
    shows(page, "1")
    page.locator("#dl-canvas button.dl-undo").click()
    shows(page, "?")
    assert page.evaluate(INKED) == 0


def test_twenty_drawings_with_clear_between_them_all_get_an_answer(page):
    for i in range(20):
        digit, strokes = [("7", SEVEN), ("1", ONE)][i % 2]
        draw(page, strokes)
        shows(page, digit)
        clear(page)
        shows(page, "?")


def test_a_stroke_sends_one_small_request_and_no_files(page):
    sent = []
    page.on("request", lambda request: sent.append(request))
    draw(page, ONE)
    shows(page, "1")
    page.wait_for_timeout(500)  # anything else the stroke would send
    drawings = [r for r in sent if "/queue/join" in r.url and "data:image/png" in r.post_data]
    assert len(drawings) == 1, [r.url for r in sent]
    assert len(drawings[0].post_data_buffer) < 30_000
    # No uploads, no component calls, no pictures to fetch: nothing but the queue.
    # (A font the page first uses about then is fetched once, from the page's own server.)
    assert [r.url for r in sent if "/queue/" not in r.url and "/static/fonts/" not in r.url] == []


def test_the_inside_tab_is_drawn_when_opened_once_per_drawing(page):
    draw(page, SEVEN)
    shows(page, "7")
    fetched = []
    page.on("request", lambda r: fetched.append(r.url) if "/file=" in r.url else None)
    page.get_by_role("tab", name="Inside").click()
    sync_api.expect(page.locator("#dl-inside-line")).to_contain_text("reads 7", timeout=20_000)
    sync_api.expect(page.locator("#dl-maps img")).to_have_count(1)  # one sheet of 32 maps
    page.wait_for_function("() => [...document.images].every((i) => i.complete)")
    assert fetched, "the tab's pictures were not fetched"
    count = len(fetched)
    page.get_by_role("tab", name="Draw").click()
    page.get_by_role("tab", name="Inside").click()  # same drawing, same model: nothing new
    page.wait_for_timeout(1_000)
    assert len(fetched) == count, fetched[count:]
    page.get_by_role("tab", name="Draw").click()
    clear(page)
    draw(page, ONE)  # a new drawing: the tab reads it when it is opened
    shows(page, "1")
    page.get_by_role("tab", name="Inside").click()
    line = page.locator("#dl-inside-line")
    sync_api.expect(line).to_contain_text("reads 1", timeout=20_000)
    page.locator("#dl-preprocessing input").uncheck()  # the switch redraws the open tab
    sync_api.expect(line).to_contain_text("preprocessing OFF", timeout=20_000)
    sync_api.expect(page.locator("#dl-strip img")).to_have_count(2)
