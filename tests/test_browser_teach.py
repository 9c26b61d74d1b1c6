"""The Inside and Evaluate tabs and the lesson presets in headless Chromium, with no page errors.

Skips like tests/test_browser.py when Playwright or chromium is missing. Set
DIGITLAB_SCREENSHOTS=docs to save docs/inside-tab.png and docs/evaluate-tab.png.
"""

from __future__ import annotations

import re

import pytest
from browser_kit import SCREENSHOTS, draw, launch, open_app, screenshot, sync_api

from digitlab.ui.common import SHIPPED

pytestmark = pytest.mark.browser
# Every picture shown has loaded (hidden tabs hold pictures not yet drawn).
LOADED = (
    "() => [...document.images].filter((i) => i.offsetParent !== null)"
    ".every((i) => i.complete && i.naturalWidth > 0)"
)
SEVEN = [[(0.22, 0.15), (0.78, 0.15)], [(0.78, 0.15), (0.42, 0.88)]]


@pytest.fixture
def page(app_module, shipped):  # conftest's `shipped` fails when checkpoints/*.pt are missing
    assert SHIPPED.names(), f"the app loaded no shipped model: {SHIPPED.problems}"
    with sync_api.sync_playwright() as p:
        browser = launch(p)
        yield open_app(browser, app_module.url)
        browser.close()


def test_inside_tab_follows_the_drawing_and_the_preprocessing_switch(page):
    draw(page, SEVEN)
    sync_api.expect(page.locator("#dl-verdict .dl-digit")).to_have_text("7", timeout=20_000)
    page.get_by_role("tab", name="Inside").click()
    line = page.locator("#dl-inside-line")
    sync_api.expect(line).to_contain_text("reads 7", timeout=20_000)
    sync_api.expect(line).to_contain_text("with preprocessing")
    sync_api.expect(page.locator("#dl-strip img")).to_have_count(4)
    sync_api.expect(page.locator("#dl-saliency img")).to_have_count(1)
    sync_api.expect(page.locator("#dl-weights img")).to_have_count(32)
    sync_api.expect(page.locator("#dl-maps img")).to_have_count(1)  # the CNN's 32 maps, a sheet
    if SCREENSHOTS:
        page.wait_for_function(LOADED)
        screenshot(page, "inside-tab.png")
    page.locator("#dl-preprocessing input").uncheck()
    sync_api.expect(line).to_contain_text("preprocessing OFF", timeout=20_000)
    sync_api.expect(page.locator("#dl-strip img")).to_have_count(2)
    assert page.errors == []


def test_evaluate_tab_shows_accuracy_confusion_and_mistakes(page):
    page.get_by_role("tab", name="Evaluate").click()
    page.get_by_role("button", name="Evaluate on the 10,000 test digits").click()
    summary = page.locator("#dl-eval-summary")
    sync_api.expect(summary).to_contain_text(re.compile(r"test accuracy 99\.\d\d%"), timeout=60_000)
    sync_api.expect(page.locator("#dl-confusion td")).to_have_count(100)  # an HTML table
    sync_api.expect(page.locator("#dl-mistakes img")).to_have_count(24)
    sync_api.expect(page.locator("#dl-mistakes")).to_contain_text("→ predicted")
    if SCREENSHOTS:
        page.locator("#dl-mistakes").scroll_into_view_if_needed()  # its pictures load lazily
        page.wait_for_function(LOADED)
        screenshot(page, "evaluate-tab.png")
    assert page.errors == []


def test_lesson_preset_fills_the_train_settings(page):
    page.get_by_role("tab", name="Train").click()
    page.locator("#dl-preset input").click()
    page.get_by_role("option", name="Same budget: CNN").click()
    sync_api.expect(page.locator("#dl-preset-note")).to_contain_text("Same images", timeout=10_000)
    sync_api.expect(page.get_by_label("CNN channels")).to_have_value("16, 32")
    sync_api.expect(page.locator("#dl-subset input")).to_have_value("3000")
    # Changing a setting by hand: the settings are no longer the lesson's.
    page.get_by_label("CNN channels").fill("8, 16")
    page.get_by_label("CNN channels").press("Enter")
    sync_api.expect(page.locator("#dl-preset input")).to_have_value("", timeout=10_000)
    sync_api.expect(page.locator("#dl-preset-note")).not_to_contain_text("Same images")
    assert page.errors == []


def test_preset_run_exports_a_script_and_is_evaluable(page):
    page.get_by_role("tab", name="Train").click()
    page.locator("#dl-preset input").click()
    page.get_by_role("option", name="Same budget: MLP").click()
    sync_api.expect(page.locator("#dl-subset input")).to_have_value("3000")
    page.get_by_role("button", name="Train", exact=True).click()
    status = page.locator("#dl-status textarea")
    sync_api.expect(status).to_have_value(re.compile("^Finished"), timeout=90_000)
    # Drawn lines only: the change marks' series (Δ) is always there, empty unless steered.
    line = page.locator("#dl-loss-plot g.mark-line path[stroke][d^='M']")
    sync_api.expect(line.first).to_have_attribute("d", re.compile(r"^M[\d.]+,[\d.]+L"))
    shown = page.locator("#dl-shown-runs").get_by_label("#1")
    sync_api.expect(shown).to_be_checked()
    shown.uncheck()  # hiding the only run empties the loss chart
    sync_api.expect(line).to_have_count(0, timeout=10_000)
    shown.check()
    sync_api.expect(line.first).to_have_attribute("d", re.compile(r"^M[\d.]+,[\d.]+L"))
    page.get_by_role("button", name="Export script").click()
    link = page.locator("#dl-export-file a")
    sync_api.expect(link).to_have_attribute("href", re.compile(r"digitlab_run1_mlp\.py$"))
    script = page.request.get(link.get_attribute("href")).text()
    assert "SEED = 0" in script and "'subset': 3000" in script
    page.get_by_role("tab", name="Evaluate").click()
    page.locator("#dl-eval-picker input").click()
    page.get_by_role("option", name=re.compile(r"^Run 1 · MLP 128")).click()
    page.get_by_role("button", name="Evaluate on the 10,000 test digits").click()
    sync_api.expect(page.locator("#dl-eval-summary")).to_contain_text(
        re.compile(r"Run 1 · MLP 128.*test accuracy (8|9)\d\.\d\d%"), timeout=60_000
    )

    # Switching language says the run's results again and redraws every run in the charts;
    # hiding and showing a run still works afterwards.
    page.get_by_role("tab", name="Train").click()
    shown.uncheck()
    sync_api.expect(line).to_have_count(0, timeout=10_000)
    page.locator("#dl-lang").get_by_text("简体中文").click()
    sync_api.expect(status).to_have_value(re.compile(r"^训练完成：2 轮.*测试准确率 \d+\.\d\d%"))
    sync_api.expect(page.locator("#dl-loss-plot")).to_contain_text("训练损失")  # the title
    sync_api.expect(page.locator("#dl-probe-line")).to_contain_text("在训练前（或训练中）")
    sync_api.expect(shown).to_be_checked()
    sync_api.expect(line.first).to_have_attribute("d", re.compile(r"^M[\d.]+,[\d.]+L"))
    shown.uncheck()
    sync_api.expect(line).to_have_count(0, timeout=10_000)
    shown.check()
    sync_api.expect(line.first).to_have_attribute("d", re.compile(r"^M[\d.]+,[\d.]+L"))
    assert page.errors == []
