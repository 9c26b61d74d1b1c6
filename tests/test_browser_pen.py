"""Data from more people, in headless Chromium: train with "MNIST + pen digits", then judge the
run on the held-out pen writers in the Evaluate tab, in English and in Chinese.

Skips like tests/test_browser.py when Playwright or chromium is missing. Set
DIGITLAB_SCREENSHOTS=docs to save docs/evaluate-pen.png and docs/evaluate-pen-zh.png (1366x768).
"""

from __future__ import annotations

import re

import pytest
from browser_kit import SCREENSHOTS, open_app, sync_api

from digitlab.training import pen_data

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser, app_module):
    page = open_app(browser, app_module.url)
    page.set_viewport_size({"width": 1366, "height": 768})  # a classroom laptop
    yield page
    page.close()


def test_a_run_with_pen_digits_is_judged_on_writers_it_never_saw(page):
    page.get_by_role("tab", name="Train").click()
    page.get_by_label("MLP", exact=True).check()
    page.get_by_label("MLP hidden sizes").fill("32")
    page.locator("#dl-subset input").click()
    page.get_by_role("option", name="1000", exact=True).click()
    page.get_by_label("MNIST + pen digits (20 more writers)").check()
    drawn = pen_data.pen_digits_ready()  # the app runs in this process
    page.get_by_role("button", name="Train", exact=True).click()
    status = page.locator("#dl-status textarea")
    if not drawn:  # the first run with them says what it waits for
        sync_api.expect(status).to_have_value(re.compile("^Drawing the pen digits"))
    sync_api.expect(status).to_have_value(re.compile("^Finished"), timeout=90_000)
    sync_api.expect(page.locator("#dl-runs")).to_contain_text("+pen")

    page.get_by_role("tab", name="Evaluate").click()
    page.locator("#dl-eval-picker input").click()
    page.get_by_role("option", name=re.compile(r"^Run 1 · MLP 32 .*· \+pen ·")).click()
    page.get_by_label("Held-out pen writers 21-30").check()
    page.get_by_role("button", name="Evaluate on the held-out pen writers").click()
    summary = page.locator("#dl-eval-summary")
    accuracy = re.compile(r"accuracy \d+\.\d\d% on 2,498 digits written by 10 people")
    sync_api.expect(summary).to_contain_text(accuracy, timeout=60_000)
    sync_api.expect(summary).to_contain_text("the pen digits of writers 1-20")
    sync_api.expect(summary).to_contain_text(re.compile(r"Per writer: 21: \d+%"))
    sync_api.expect(page.locator("#dl-confusion td")).to_have_count(100)
    sync_api.expect(page.locator("#dl-credits")).to_contain_text("E. Alpaydin and F. Alimoglu")
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/evaluate-pen.png")

    page.locator("#dl-lang").get_by_text("简体中文").click()
    sync_api.expect(summary).to_contain_text("10 个人写的 2,498 个数字", timeout=60_000)
    sync_api.expect(page.locator("#dl-eval-set")).to_contain_text("留出的笔写者 21-30")
    button = page.get_by_role("button", name="在留出的笔写者的数字上评估")
    sync_api.expect(button).to_be_visible()
    sync_api.expect(page.locator("#dl-credits")).to_contain_text("土耳其海峡大学")
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/evaluate-pen-zh.png")
    # The training-data choice says itself again too.
    page.get_by_role("tab", name="训练").click()
    sync_api.expect(page.locator("#dl-train-data")).to_contain_text("MNIST + 笔写数字")
    assert page.errors == []
