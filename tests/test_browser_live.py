"""Steering a run from the Train tab in headless Chromium: the teacher turns the learning-rate
knob while the model trains, the change is marked, Pause holds the run, Stop ends it, and
"Train on" continues the same curve. Also the Train tab at a projector's 1366x768: Train, the
live knobs and the loss chart visible together without scrolling."""

from __future__ import annotations

import re
import time

import pytest
from browser_kit import SCREENSHOTS, launch, open_app, screenshot, sync_api

pytestmark = pytest.mark.browser


@pytest.fixture
def page(app_module, shipped):
    with sync_api.sync_playwright() as p:
        browser = launch(p)
        yield open_app(browser, app_module.url)
        browser.close()


def visible_without_scrolling(page, selector: str) -> bool:
    box = page.locator(selector).first.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 768


def test_turn_the_lr_knob_during_a_run_pause_stop_and_train_on(page):
    page.set_viewport_size({"width": 1366, "height": 768})
    page.get_by_role("tab", name="Train").click()
    for selector in ("#dl-lr", "#dl-lr-slider", "#dl-loss-plot", "#dl-extend"):
        assert visible_without_scrolling(page, selector), selector
    train = page.get_by_role("button", name="Train", exact=True)
    assert visible_without_scrolling(page, "button:has-text('Train')")
    page.get_by_label("MLP", exact=True).check()
    page.locator("#dl-epochs input[type=number]").fill("20")
    page.locator("#dl-epochs input[type=number]").press("Enter")
    train.click()
    status = page.locator("#dl-status textarea")
    sync_api.expect(status).to_have_value(re.compile("^Epoch"), timeout=60_000)

    lr = page.locator("#dl-lr input[type=number]")
    lr.fill("0.003")  # the learning rate itself (lower: 0.1 can explode an Adam MLP, ending it)
    lr.press("Enter")
    changes = page.locator("#dl-changes")
    sync_api.expect(changes).to_contain_text(
        # From the lr the teacher set (the MLP's run: 0.01; one-cycle's peak) to 0.003.
        re.compile(r"learning rate 0\.01 → 0\.003 at epoch \d+\.\d\d"),
        timeout=10_000,
    )
    sync_api.expect(page.locator("#dl-loss-plot")).to_contain_text("Δ")  # the marks' legend
    mark = page.locator("#dl-loss-plot g.mark-line path[stroke][d^='M']")
    sync_api.expect(mark).to_have_count(2, timeout=10_000)  # the run's line and the rule
    if SCREENSHOTS:
        screenshot(page, "train-live.png")

    page.get_by_role("button", name="Pause").click()
    sync_api.expect(status).to_have_value(re.compile("^Paused at epoch"), timeout=10_000)
    page.get_by_role("button", name="Resume").click()
    sync_api.expect(status).to_have_value(re.compile("^Epoch"), timeout=10_000)
    page.get_by_role("button", name="Stop").click()
    sync_api.expect(status).to_have_value(re.compile("^Stopped"), timeout=10_000)

    page.locator("#dl-more-epochs input").fill("1")
    page.locator("#dl-extend").click()
    sync_api.expect(status).to_have_value(re.compile("^Finished"), timeout=90_000)
    sync_api.expect(changes).to_contain_text("→ 0.003 at epoch")
    runs = page.locator("#dl-runs tbody tr")
    sync_api.expect(runs).to_have_count(1)  # the same run, trained on
    assert page.errors == []


def test_a_run_waiting_in_line_says_its_place_can_stop_at_once_and_not_pause(page, app_module):
    from gradio_client import Client

    # Another student's long run holds the one training slot (its own session, by the API).
    other = Client(app_module.url, verbose=False)
    long_run = dict(
        model="MLP", hidden="64", activation="relu", channels="8", batch_norm=True, lr=0.003,
        epochs=20, batch_size=16, optimizer="adam", weight_decay=0.0, dropout=0.1,
        schedule="constant", augment="off", subset=3000, seed=0,
    )  # fmt: skip
    job = other.submit(**long_run, api_name="/train")
    deadline = time.monotonic() + 60
    while not any(str(out[0]).startswith("Epoch") for out in job.outputs()):
        assert time.monotonic() < deadline and not job.done(), job.outputs()[-1:]
        time.sleep(0.2)
    try:
        page.get_by_role("tab", name="Train").click()
        train = page.get_by_role("button", name="Train", exact=True)
        train.click()
        sync_api.expect(page.locator("#dl-line")).to_contain_text(
            re.compile(r"Your run is next: it should start in about \d+ s"),
            timeout=20_000,
        )
        # Waiting, nothing to pause yet; Stop takes the run out of the line at once.
        sync_api.expect(page.get_by_role("button", name="Pause")).to_be_disabled()
        page.get_by_role("button", name="Stop").click()
        status = page.locator("#dl-status textarea")
        sync_api.expect(status).to_have_value(
            re.compile("^Stopped before it started"), timeout=5_000
        )
        # The counts say so in the same update, not at their next refresh (every 3 s).
        assert "waiting in line: 0" in page.locator("#dl-line-counts").inner_text()
        sync_api.expect(train).to_be_enabled()
        assert not job.done()  # the other run went on
    finally:
        other.predict(api_name="/stop")
        job.result(timeout=60)
