"""The Teach tab in headless Chromium: label three drawings made on the Draw tab's canvas,
fine-tune the shipped MLP on them, see the before/after figure and the new model in the Draw
tab's picker; a class code shares drawings with a second session only; the set goes out as a
zip and comes back in, and a wrong file gets one clear line.

Skips like tests/test_browser.py when Playwright or chromium is missing.
"""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from browser_kit import SCREENSHOTS, clear, draw, launch, open_app, screenshot, sync_api

from digitlab.ui.verdict import pixels_html

pytestmark = pytest.mark.browser
SEVEN = [[(0.22, 0.15), (0.78, 0.15)], [(0.78, 0.15), (0.42, 0.88)]]
CROSSED_SEVEN = [*SEVEN, [(0.4, 0.5), (0.75, 0.5)]]
FLAGGED_ONE = [[(0.35, 0.3), (0.55, 0.12)], [(0.55, 0.12), (0.55, 0.88)]]


@pytest.fixture
def new_page(app_module, shipped):
    """Opens the app in a new page: each page is a browser session of its own."""
    with sync_api.sync_playwright() as p:
        browser = launch(p)
        yield lambda: open_app(browser, app_module.url)
        browser.close()


BLANK = re.search(r'src="([^"]+)"', pixels_html(None)).group(1)  # the empty canvas's 28x28


def label(page, strokes, digit: int, expected: str) -> None:
    """Draw on the Draw tab, then say in the Teach tab which digit it is."""
    page.get_by_role("tab", name="Draw").click()
    pixels = page.locator("#dl-pixels img")  # the 28x28 the model sees: black when empty
    clear(page)
    sync_api.expect(pixels).to_have_attribute("src", BLANK, timeout=20_000)
    draw(page, strokes)
    sync_api.expect(pixels).not_to_have_attribute("src", BLANK, timeout=20_000)
    page.get_by_role("tab", name="Teach it").click()
    page.locator(f"#dl-teach-{digit}").click()
    sync_api.expect(page.locator("#dl-teach-line")).to_contain_text(expected, timeout=20_000)


def upload(page, name: str, data: bytes) -> None:
    """Choose a file for the Teach tab's Upload button."""
    with page.expect_file_chooser() as chooser:
        page.locator("#dl-teach-upload").click()
    chooser.value.set_files([{"name": name, "mimeType": "application/zip", "buffer": data}])


def test_label_three_drawings_fine_tune_and_pick_the_new_model(new_page):
    page = new_page()
    page.get_by_role("tab", name="Teach it").click()
    page.locator("#dl-teach-7").click()
    sync_api.expect(page.locator("#dl-teach-line")).to_contain_text("Nothing is drawn")
    label(page, SEVEN, 7, "Added a 7. Your set: 1 drawings.")
    label(page, FLAGGED_ONE, 1, "Added a 1. Your set: 2 drawings.")
    label(page, CROSSED_SEVEN, 7, "Added a 7. Your set: 3 drawings.")
    sync_api.expect(page.locator("#dl-teach-gallery img")).to_have_count(3)
    counts = page.locator("#dl-counts")
    sync_api.expect(counts).to_contain_text("all")
    cells = counts.locator("tbody td")
    sync_api.expect(cells.nth(7)).to_have_text("2")
    sync_api.expect(cells.nth(10)).to_have_text("3")

    # Stop: the run ends after its step, and no model is made.
    page.locator("#dl-teach-tune").click()  # the shipped CNN, the first in the list
    status = page.locator("#dl-teach-status textarea")
    sync_api.expect(status).to_have_value(re.compile(r"^Epoch"), timeout=60_000)
    page.locator("#dl-teach-stop").click()
    stopped = "Fine-tuning stopped before the end: no new model."
    sync_api.expect(status).to_have_value(stopped, timeout=30_000)

    page.locator("#dl-teach-model input").click()
    page.get_by_role("option", name=re.compile(r"^Shipped MLP")).click()
    page.locator("#dl-teach-tune").click()
    sync_api.expect(status).to_have_value(re.compile(r"^Finished in"), timeout=180_000)
    summary = page.locator("#dl-teach-summary")
    sync_api.expect(summary).to_contain_text("Trained on 2 drawings.")
    sync_api.expect(summary).to_contain_text(re.compile(r"the 1 held-out drawings: \d+% → \d+%"))
    sync_api.expect(summary).to_contain_text(re.compile(r"MNIST test: \d+\.\d\d% → \d+\.\d\d%"))
    sync_api.expect(page.locator("#dl-teach-held")).to_contain_text(re.compile(r"7: \d → \d"))
    bars = page.locator("#dl-teach-figure g.mark-rect path")
    sync_api.expect(bars).to_have_count(4, timeout=10_000)
    name = re.compile(r"^Run 1 · MLP taught 2 drawings · \d+\.\d%$")
    sync_api.expect(page.locator("#dl-teach-model input")).to_have_value(name)
    if SCREENSHOTS:
        screenshot(page, "teach-tab.png")
    page.get_by_role("tab", name="Draw").click()
    sync_api.expect(page.locator("#dl-picker input")).to_have_value(name)
    sync_api.expect(page.locator("#dl-verdict")).to_contain_text("Run 1 · MLP taught")

    page.locator("#dl-lang").get_by_text("简体中文").click()
    page.get_by_role("tab", name="教它认字").click()
    sync_api.expect(summary).to_contain_text("用 2 幅手写训练", timeout=10_000)
    sync_api.expect(status).to_have_value(re.compile(r"^用时 .*第 1 次训练 · 学过 2 幅手写的 MLP"))
    sync_api.expect(page.locator("#dl-teach-line")).to_contain_text("已加入一个 7")
    sync_api.expect(page.locator("#dl-teach-figure")).to_contain_text("微调前后的准确率")
    assert page.errors == []


def test_a_class_code_shares_drawings_with_the_class_only_and_a_set_round_trips(new_page):
    teacher = new_page()
    teacher.get_by_role("tab", name="Teach it").click()
    teacher.locator("#dl-teach-new-code").click()
    code_box = teacher.locator("#dl-teach-code input")
    sync_api.expect(code_box).to_have_value(re.compile(r"^[A-Z2-9]{6}$"), timeout=10_000)
    code = code_box.input_value()
    sync_api.expect(teacher.locator("#dl-teach-class")).to_contain_text(f"Class {code}: 0")

    student = new_page()
    student.get_by_role("tab", name="Teach it").click()
    student.locator("#dl-teach-code input").fill(code.lower())
    student.locator("#dl-teach-join").click()
    sync_api.expect(student.locator("#dl-teach-class")).to_contain_text(f"Class {code}: 0")
    label(student, SEVEN, 7, f"Added a 7 to your set (1 drawings) and to class {code}'s.")
    sync_api.expect(student.locator("#dl-teach-class")).to_contain_text(f"Class {code}: 1 ")
    label(student, FLAGGED_ONE, 1, f"Added a 1 to your set (2 drawings) and to class {code}'s.")
    sync_api.expect(student.locator("#dl-teach-class")).to_contain_text(f"Class {code}: 2 ")

    # The teacher sees the class's two drawings; a third session without the code sees none.
    teacher.get_by_label("My drawings").check()
    teacher.get_by_label("The class's drawings").check()
    sync_api.expect(teacher.locator("#dl-teach-gallery img")).to_have_count(2, timeout=10_000)
    other = new_page()
    other.get_by_role("tab", name="Teach it").click()
    sync_api.expect(other.locator("#dl-teach-gallery img")).to_have_count(0)
    other.locator("#dl-teach-code input").fill("ABCDEF")
    other.locator("#dl-teach-join").click()
    sync_api.expect(other.locator("#dl-teach-class")).to_contain_text("No class has the code")

    # The set as a zip, and back into the third session's own set.
    teacher.locator("#dl-teach-download").click()
    link = teacher.locator("#dl-teach-zip a")
    sync_api.expect(link).to_have_attribute("href", re.compile(r"handwriting-class\.zip$"))
    data = teacher.request.get(link.get_attribute("href")).body()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        rows = archive.read("labels.csv").decode().splitlines()
    assert rows == ["file,label", "0001.png,7", "0002.png,1"]
    upload(other, "class.zip", data)
    line = other.locator("#dl-teach-line")
    sync_api.expect(line).to_contain_text("Added 2 drawings from the zip", timeout=20_000)
    sync_api.expect(other.locator("#dl-teach-gallery img")).to_have_count(2)
    upload(other, "notes.zip", b"hello")
    sync_api.expect(line).to_have_text(
        "Upload refused: this is not a zip file: upload a set downloaded from this tab.",
        timeout=20_000,
    )

    # In the class's set, a drawing is removed only by the student who added it (or the teacher).
    other.locator("#dl-teach-code input").fill(code)
    other.locator("#dl-teach-join").click()
    sync_api.expect(other.locator("#dl-teach-class")).to_contain_text(f"Class {code}: 2")
    other.locator("#dl-teach-gallery button img").first.click()
    sync_api.expect(line).to_have_text("Picked a 1: press Remove to take it out of the set.")
    other.locator("#dl-teach-remove").click()
    sync_api.expect(line).to_contain_text("Only the student who added this drawing")
    student.get_by_label("The class's drawings").check()
    student.locator("#dl-teach-gallery button img").first.click()
    sync_api.expect(student.locator("#dl-teach-line")).to_contain_text("Picked a 1")
    student.locator("#dl-teach-remove").click()
    removed = "Removed. 1 drawings left in this set."
    sync_api.expect(student.locator("#dl-teach-line")).to_have_text(removed)
    sync_api.expect(student.locator("#dl-teach-gallery img")).to_have_count(1)
    for page in (teacher, student, other):
        assert page.errors == []
