"""A session saved and reopened in headless Chromium (issue 31): two runs and three drawings
saved as one file, opened in a new browser context, come back with the same names in the model
picker, the same curves and runs table, and the same drawings; a file that is not one is
refused with one line."""

from __future__ import annotations

import re

import pytest
from browser_kit import SCREENSHOTS, clear, draw, sync_api
from test_browser_lesson_link import new_page

from digitlab.ui.charts import run_name
from digitlab.words import Text, t

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("shipped")]

SEVEN = [[(0.22, 0.15), (0.78, 0.15)], [(0.78, 0.15), (0.42, 0.88)]]
ONE = [[(0.5, 0.12), (0.5, 0.88)]]
SMALL_RUN = "?model=mlp&hidden=16&epochs=1&subset=300&batch_size=32&tab=train"


def run(page, lr: str) -> None:
    """Train one small run at this learning rate, until it has finished."""
    page.get_by_role("tab", name="Train").click()
    box = page.locator("#dl-lr input[type=number]").first
    box.fill(lr)
    box.press("Enter")
    page.get_by_role("button", name="Train", exact=True).click()
    status = page.locator("#dl-status textarea")
    sync_api.expect(status).to_have_value(re.compile(r"^Finished"), timeout=180_000)


def label(page, strokes, digit: int, n: int) -> None:
    """Draw on the Draw tab and say which digit it is with its "This is a" row."""
    page.get_by_role("tab", name="Draw").click()
    clear(page)
    draw(page, strokes)
    page.locator(f"#dl-label-{digit}").click()
    said = f"Added as {digit} to your set: {n} drawings."
    sync_api.expect(page.locator("#dl-label-line")).to_have_text(said, timeout=20_000)


def seen(page, drawings: int = 3) -> dict:
    """What the session shows: the picker's models, the runs shown in the charts, the charts'
    legends, the runs table and the Teach tab's counts."""
    page.get_by_role("tab", name="Draw").click()
    page.locator("#dl-picker input").click()
    models = [m.split("\n")[-1] for m in page.get_by_role("option").all_inner_texts()]  # no ✓
    page.keyboard.press("Escape")
    page.get_by_role("tab", name="Train").click()
    shown = page.locator("#dl-shown-runs label").all_inner_texts()
    sync_api.expect(page.locator("#dl-loss-plot")).to_contain_text(run_name(2))
    legend = page.locator("#dl-loss-plot .role-legend text").evaluate_all(
        "texts => texts.map(text => text.textContent)"
    )
    table = page.locator("#dl-runs tbody").inner_text()
    page.get_by_role("tab", name="Teach it").click()
    sync_api.expect(page.locator("#dl-teach-gallery img")).to_have_count(drawings)
    counts = page.locator("#dl-counts tbody").inner_text()
    gallery = page.locator("#dl-teach-gallery img").count()
    return {"models": models, "shown": shown, "legend": legend, "table": table,
            "counts": counts, "gallery": gallery}  # fmt: skip


def open_file(page, name: str, data: bytes) -> None:
    with page.expect_file_chooser() as chooser:
        page.locator("#dl-session-open").click()
    chooser.value.set_files([{"name": name, "mimeType": "application/zip", "buffer": data}])


def test_a_saved_session_reopens_in_a_new_browser_with_its_runs_curves_and_drawings(
    browser, app_module
):
    page = new_page(browser, app_module.url + SMALL_RUN)
    run(page, "0.05")
    run(page, "0.5")
    label(page, SEVEN, 7, 1)
    label(page, ONE, 1, 2)
    label(page, SEVEN, 7, 3)
    before = seen(page)
    assert len(before["models"]) == 4 and before["models"][2].startswith("Run 1 · MLP 16")
    assert before["shown"] == [run_name(1), run_name(2)] and before["gallery"] == 3
    assert {run_name(1), run_name(2)} <= set(before["legend"])

    page.locator("#dl-session-save").click()
    line = page.locator("#dl-session-line")
    sync_api.expect(line).to_contain_text("Saved 2 runs (2 with their models) and 3 drawings")
    link = page.locator("#dl-session-file a")
    sync_api.expect(link).to_have_attribute("href", re.compile(r"digitlab-session\.zip$"))
    data = page.request.get(link.get_attribute("href")).body()
    assert page.errors == []
    page.context.close()

    fresh = new_page(browser, app_module.url)
    open_file(fresh, "digitlab-session.zip", data)
    line = fresh.locator("#dl-session-line")
    sync_api.expect(line).to_contain_text("Opened: 2 runs (2 with their models) and 3 drawings")
    after = seen(fresh)
    assert after == before
    if SCREENSHOTS:
        fresh.get_by_role("tab", name="Train").click()
        fresh.screenshot(path=f"{SCREENSHOTS}/session-reopened.png", full_page=True)

    # The model comes back working: the Draw tab reads a drawing with it.
    fresh.get_by_role("tab", name="Draw").click()
    draw(fresh, SEVEN)
    fresh.locator("#dl-picker input").click()
    fresh.get_by_role("option", name=re.compile(r"^Run 2 · ")).click()
    sync_api.expect(fresh.locator("#dl-verdict")).to_contain_text("Run 2", timeout=20_000)

    open_file(fresh, "notes.zip", b"PK\x03\x04 not really a zip")
    refused = t("session.failed", error=Text("session.not_a_file"))
    assert refused.startswith("⚠️ Could not open this file: it is not a DigitLab session file")
    sync_api.expect(line).to_have_text(refused, timeout=20_000)
    assert seen(fresh)["models"] == before["models"]  # nothing changed
    assert fresh.errors == []
    fresh.context.close()
