"""A lesson run through in headless Chromium as a teacher runs it (issue 27): the learning rate
typed as a number, a run steered by one drag, the language switched while it trains, Stop and
Train on with the chart of the followed drawing saying what the Draw tab says, a run that
learned nothing saying so, and the run's buttons first on a phone."""

from __future__ import annotations

import re

import pytest
from browser_kit import SCREENSHOTS, draw, open_app, screenshot, sync_api

# conftest's browser (one Chromium a module) and the shipped models the pages read with.
pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("shipped")]

SEVEN = [[(0.22, 0.15), (0.78, 0.15)], [(0.78, 0.15), (0.42, 0.88)]]
PERCENT = re.compile(r"(\d) \((\d+\.\d)% sure\)")  # "Now: 7 (45.3% sure)"
VERDICT = re.compile(r"(\d+\.\d)%")


def train_tab(page):
    page.get_by_role("tab", name="Train").click()
    return page.locator("#dl-status textarea")


def choose(page, selector: str, option: str) -> None:
    page.locator(f"{selector} input").click()
    page.get_by_role("option", name=option, exact=True).click()


def set_number(page, selector: str, value: str) -> None:
    box = page.locator(f"{selector} input[type=number]").first
    box.fill(value)
    box.press("Enter")


def reading(page) -> tuple[str, str]:
    """(digit, percent) the chart of the followed drawing says now."""
    found = PERCENT.search(page.locator("#dl-probe-line").inner_text())
    assert found, page.locator("#dl-probe-line").inner_text()
    return found.group(1), found.group(2)


def draw_tab_says(page, run: str, once: str = "") -> str:
    """The Draw tab's verdict on the same drawing with the run's model (picker: "Run n"), once
    it says `once` (a run picked before and trained on since is read again, no pick needed)."""
    page.get_by_role("tab", name="Draw").click()
    page.locator("#dl-picker input").click()
    page.get_by_role("option", name=re.compile(rf"^{run} · ")).click()
    verdict = page.locator("#dl-verdict")
    sync_api.expect(verdict).to_contain_text(run, timeout=20_000)
    sync_api.expect(verdict).to_contain_text(once, timeout=20_000)
    text = verdict.inner_text()
    page.get_by_role("tab", name="Train").click()
    return text


def test_a_lesson_types_the_lr_steers_by_one_drag_switches_language_stops_and_trains_on(
    browser, app_module
):
    page = open_app(browser, app_module.url)
    page.set_viewport_size({"width": 1366, "height": 768})
    draw(page, SEVEN)  # the drawing the run follows
    status = train_tab(page)
    stop = page.get_by_role("button", name="Stop")
    sync_api.expect(stop).to_be_disabled()  # nothing to stop yet

    # The learning rate is typed as itself: 10 is the top of the slider, no red error.
    set_number(page, "#dl-lr", "10")
    slider = page.locator("#dl-lr-slider input[type=range]")
    sync_api.expect(slider).to_have_value("1")
    set_number(page, "#dl-lr", "0.005")
    sync_api.expect(slider).to_have_value(re.compile(r"^-2\.3"))
    assert page.locator(".toast-body").count() == 0
    # A CNN run long enough to steer: 3,740 steps (~30 s), with short epochs (187 steps), so
    # that training on for one more epoch below takes a second, not ten.
    page.get_by_label("CNN channels").fill("32, 64")
    page.get_by_label("2x2 patches").uncheck()
    choose(page, "#dl-subset", "3000")
    choose(page, "#dl-batch-size", "16")
    set_number(page, "#dl-epochs", "20")
    page.get_by_role("button", name="Train", exact=True).click()
    sync_api.expect(status).to_have_value(re.compile(r"^Epoch"), timeout=60_000)
    sync_api.expect(stop).to_be_enabled()

    # One drag of the slider is one change, from the lr set (0.005) to where the drag ended.
    box = slider.bounding_box()
    y = box["y"] + box["height"] / 2
    # From ~0.01 to ~0.015 (a bigger lr can explode the run before the rest of the lesson).
    page.mouse.move(box["x"] + box["width"] * 0.40, y)
    page.mouse.down()
    for k in range(1, 9):
        page.mouse.move(box["x"] + box["width"] * (0.40 + 0.004 * k), y)
        page.wait_for_timeout(60)
    page.mouse.up()
    changes = page.locator("#dl-changes")
    sync_api.expect(changes).to_contain_text("learning rate 0.005 →", timeout=10_000)
    page.wait_for_timeout(1500)
    assert changes.inner_text().count("learning rate") == 1, changes.inner_text()
    dragged = page.locator("#dl-lr input[type=number]").input_value()
    assert f"→ {float(dragged):.2g} at epoch" in changes.inner_text()

    # 中文 while it trains: the next status lines, the reading and the changes are Chinese.
    page.get_by_label("简体中文").check()
    sync_api.expect(status).to_have_value(re.compile(r"^第 [\d.]+/20 轮"), timeout=5_000)
    sync_api.expect(page.locator("#dl-probe-line")).to_contain_text("目前", timeout=5_000)
    sync_api.expect(changes).to_contain_text("学习率 0.005 →")
    page.get_by_role("button", name="暂停").click()
    sync_api.expect(status).to_have_value(re.compile(r"^已在第 [\d.]+ 轮暂停"), timeout=10_000)
    if SCREENSHOTS:
        screenshot(page, "train-zh-paused.png")
    page.get_by_label("English").check()
    sync_api.expect(status).to_have_value(re.compile(r"^Paused at epoch"), timeout=5_000)
    page.get_by_role("button", name="Resume").click()
    sync_api.expect(status).to_have_value(re.compile(r"^Epoch"), timeout=10_000)

    # Stop: the chart's last point is what the Draw tab says with the stopped model.
    stop.click()
    sync_api.expect(status).to_have_value(
        re.compile(r"^Stopped after \d+(\.\d{1,2})? epochs"), timeout=20_000
    )
    sync_api.expect(stop).to_be_disabled()
    digit, percent = reading(page)
    says = draw_tab_says(page, "Run 1")
    assert f"{percent}%" in says and (digit in says), (digit, percent, says)

    # Train on: one epoch more; again the chart ends where the Draw tab is.
    set_number(page, "#dl-more-epochs", "1")
    page.locator("#dl-extend").click()
    sync_api.expect(status).to_have_value(re.compile("^Finished"), timeout=120_000)
    digit, percent = reading(page)
    says = draw_tab_says(page, "Run 1", once=f"{percent}%")
    assert digit in says and "stopped" not in says, (digit, percent, says)

    # 中文 once the run has ended: its status, reading and changes are said again.
    page.get_by_label("简体中文").check()
    sync_api.expect(status).to_have_value(re.compile("^训练完成"), timeout=5_000)
    sync_api.expect(changes).to_contain_text("学习率 0.005 →")
    sync_api.expect(page.locator("#dl-probe-line")).to_contain_text("目前")
    assert page.errors == []


def test_a_run_that_learned_nothing_says_so_and_why(browser, app_module):
    page = open_app(browser, app_module.url)
    status = train_tab(page)
    page.get_by_label("MLP", exact=True).check()
    page.locator("#dl-optimizer").get_by_label("sgd", exact=True).check()  # radio buttons
    set_number(page, "#dl-lr", "10")
    choose(page, "#dl-subset", "1000")
    set_number(page, "#dl-epochs", "3")
    page.get_by_role("button", name="Train", exact=True).click()
    sync_api.expect(status).to_have_value(re.compile("^Finished"), timeout=60_000)
    said = status.input_value()
    assert "learned nothing" in said and "learning rate 10 is likely too high for sgd" in said


def test_on_a_phone_the_runs_buttons_and_status_come_before_the_settings(browser, app_module):
    page = open_app(browser, app_module.url, touch=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.locator("button[role=tab]", has_text="Train").first.click()
    train = page.get_by_role("button", name="Train", exact=True)
    status = page.locator("#dl-status")
    settings = page.locator("#dl-preset")
    for shown in (train, status):
        box = shown.bounding_box()
        assert box["y"] + box["height"] <= 844, box  # on the first screen, no scrolling
        assert box["y"] < settings.bounding_box()["y"]
    if SCREENSHOTS:
        screenshot(page, "train-phone.png")
