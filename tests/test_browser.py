"""End-to-end: the real page in headless Chromium (Debian's), driven with mouse strokes.

Skips when Playwright or a chromium binary is missing. CI installs both. Set
DIGITLAB_SCREENSHOTS=docs to also save the README screenshots of each tab.
"""

from __future__ import annotations

import math
import re

import pytest
from browser_kit import SCREENSHOTS, clear, draw, open_app, screenshot, sync_api

from digitlab.ui.common import SHIPPED

pytestmark = pytest.mark.browser

# Digits as pen strokes in fractions of the drawing area; few points keep software-GL runs quick.
LOOP = [(0.5 + 0.22 * math.sin(t * math.pi / 6), 0.5 - 0.34 * math.cos(t * math.pi / 6))
        for t in range(13)]  # fmt: skip
DIGITS = {
    1: [[(0.5, 0.12), (0.5, 0.88)]],
    7: [[(0.22, 0.15), (0.78, 0.15)], [(0.78, 0.15), (0.42, 0.88)]],
    0: [LOOP],
}
SHOWN = "() => document.querySelector('#dl-verdict .dl-digit')?.textContent"


@pytest.fixture
def shipped(app_module, shipped):  # conftest's `shipped` fails when checkpoints/*.pt are missing
    assert SHIPPED.names(), f"the app loaded no shipped model: {SHIPPED.problems}"


@pytest.fixture
def page(browser, app_module):
    page = open_app(browser, app_module.url)
    yield page
    page.close()


def wait_for_digit(page, expected: str) -> None:
    page.wait_for_function(f"() => ({SHOWN})() === {expected!r}", timeout=20_000)


def test_drawn_digits_win_and_clear_resets(shipped, page):
    assert page.evaluate(SHOWN) == "?"  # neutral state before any drawing
    for digit in (7, 1, 0):  # draw, Clear, draw again: every drawing is read
        draw(page, DIGITS[digit])
        wait_for_digit(page, str(digit))
        if SCREENSHOTS and digit == 7:
            screenshot(page, "draw-tab.png")
        clear(page)
        wait_for_digit(page, "?")
        assert "Draw a digit" in page.locator("#dl-verdict").inner_text()
    # After Clear the canvas still draws: a new drawing is read.
    draw(page, DIGITS[1])
    wait_for_digit(page, "1")


def test_short_training_run_draws_curve_and_adds_model(shipped, page):
    draw(page, DIGITS[7])  # the run follows the Draw tab's digit
    wait_for_digit(page, "7")
    page.get_by_role("tab", name="Train").click()
    page.get_by_label("MLP", exact=True).check()
    page.get_by_label("MLP hidden sizes").fill("32")
    page.locator("#dl-subset input").click()
    page.get_by_role("option", name="1000", exact=True).click()
    page.get_by_role("button", name="Train", exact=True).click()
    status = page.locator("#dl-status textarea")
    sync_api.expect(status).to_have_value(re.compile("^Finished"), timeout=90_000)
    # The loss curve has a drawn line, and the run is listed and in the Draw tab's picker.
    line = page.locator("#dl-loss-plot g.mark-line path[stroke]")  # a coloured, drawn line
    sync_api.expect(line.first).to_have_attribute("d", re.compile(r"^M[\d.]+,[\d.]+L"))
    sync_api.expect(page.locator("#dl-runs")).to_contain_text("MLP 32")
    # The drawn 7, followed through training: ten probability lines and a reading.
    probe_lines = page.locator("#dl-probe-plot g.mark-line path[stroke]")
    sync_api.expect(probe_lines).to_have_count(10)
    reading = re.compile(r"\s*Now: \d \(\d+\.\d% sure\) after [\d.]+ epochs\.\s*")
    sync_api.expect(page.locator("#dl-probe-line")).to_have_text(reading)
    sync_api.expect(page.locator("#dl-probe-image img")).to_be_visible()
    page.get_by_role("tab", name="Draw").click()
    page.locator("#dl-picker input").click()
    option = page.get_by_role("option", name=re.compile(r"^Run 1 · MLP 32"))
    sync_api.expect(option).to_be_visible()
    option.click()
    # As a student does: the run is shown picked, then they draw.
    sync_api.expect(page.locator("#dl-picker input")).to_have_value(re.compile(r"^Run 1 · MLP 32"))
    draw(page, DIGITS[1])
    sync_api.expect(page.locator("#dl-verdict")).to_contain_text("Run 1 · MLP 32", timeout=20_000)


def test_a_chinese_browser_gets_the_chinese_page_and_the_switch_keeps_the_drawing(
    shipped, browser, app_module
):
    page = open_app(browser, app_module.url, locale="zh-CN")
    try:
        sync_api.expect(page.get_by_role("tab", name="手写")).to_be_visible()
        sync_api.expect(page.get_by_text("在这里写一个数字（0-9）")).to_be_visible()
        draw(page, DIGITS[7])
        wait_for_digit(page, "7")
        sync_api.expect(page.locator("#dl-verdict")).to_contain_text("把握")
        if SCREENSHOTS:
            screenshot(page, "draw-tab-zh.png")
        page.get_by_role("tab", name="训练").click()
        status = page.locator("#dl-status textarea")
        sync_api.expect(status).to_have_value("选好设置，然后点击“训练”。")
        sync_api.expect(page.get_by_role("button", name="训练", exact=True)).to_be_visible()

        page.locator("#dl-lang").get_by_text("English").click()
        sync_api.expect(page.get_by_role("tab", name="Train")).to_be_visible()
        sync_api.expect(status).to_have_value("Pick settings and press Train.")
        sync_api.expect(page.get_by_role("button", name="Train", exact=True)).to_be_visible()
        page.get_by_role("tab", name="Draw").click()
        # The drawing stays, and its verdict is said again in English.
        sync_api.expect(page.locator("#dl-verdict")).to_contain_text("sure", timeout=20_000)
        assert page.evaluate(SHOWN) == "7"
        assert not page.errors, page.errors
    finally:
        page.close()


def test_lang_in_the_address_picks_the_language(browser, app_module):
    page = open_app(browser, app_module.url + "?lang=zh")
    try:
        sync_api.expect(page.get_by_role("tab", name="模型内部")).to_be_visible()
        sync_api.expect(page.locator("#dl-lang input[value=zh]")).to_be_checked()
        assert not page.errors, page.errors
    finally:
        page.close()


@pytest.mark.skipif(not SCREENSHOTS, reason="the README's Train tab screenshots only (about 30 s)")
def test_a_default_cnn_run_follows_a_drawn_seven(shipped, page):
    draw(page, DIGITS[7])
    wait_for_digit(page, "7")
    page.wait_for_timeout(2_000)  # the first stroke alone may read 7: let the second arrive
    page.get_by_role("tab", name="Train").click()
    page.get_by_role("button", name="Train", exact=True).click()  # the default CNN run, 3 epochs
    status = page.locator("#dl-status textarea")
    finished = re.compile(r"^Finished.*test accuracy (9[5-9]|100)\.\d\d%")
    sync_api.expect(status).to_have_value(finished, timeout=180_000)
    sync_api.expect(page.locator("#dl-probe-line")).to_contain_text("Now: 7")
    screenshot(page, "train-tab.png")
    page.locator("#dl-lang").get_by_text("简体中文").click()
    sync_api.expect(page.locator("#dl-probe-line")).to_contain_text("目前：训练 3.00 轮后认为是 7")
    for tab in ("手写", "训练", "模型内部", "评估"):
        sync_api.expect(page.get_by_role("tab", name=tab)).to_be_visible()
    sync_api.expect(page.locator("#dl-runs")).to_contain_text("准确率%")
    screenshot(page, "train-tab-zh.png")
    assert not page.errors, page.errors
