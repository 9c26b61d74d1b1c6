"""A lesson that runs itself (issue 27, items 2 and 6) in headless Chromium: students label
drawings from the Draw tab's "This is a" row and the teacher's Teach tab shows the class's count,
per-digit counts and gallery without a click; the live view ticks only while the Teach tab is
open in a session with a class; on a phone every tab is in sight, the row fits, and the one-line
verdict says why it is not sure (a dot; a digit drawn too small), in English and Chinese.

Skips like tests/test_browser.py when Playwright or chromium is missing. Screenshots go to
$DIGITLAB_SCREENSHOTS when it is set.
"""

from __future__ import annotations

import re
import time

import pytest
from browser_kit import SCREENSHOTS, clear, draw, open_app, sync_api, touch_draw

from digitlab.ui.teach import LIVE_S

# conftest's browser (one Chromium a module) and the shipped models the pages read with.
pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("shipped")]
SEVEN = [[(0.22, 0.15), (0.78, 0.15)], [(0.78, 0.15), (0.42, 0.88)]]
ONE = [[(0.35, 0.3), (0.55, 0.12)], [(0.55, 0.12), (0.55, 0.88)]]
DOT = [[(0.5, 0.5)]]  # a tap
TINY_SEVEN = [[(0.05, 0.05), (0.22, 0.05)], [(0.22, 0.05), (0.1, 0.25)]]  # 48x56 px in a corner
LIVE_MS = int(LIVE_S * 1000) + 4000  # a tick, and the time to draw what it sends
TABS = {"en": ["Draw", "Train", "Inside", "Robustness & map", "Evaluate", "Teach it"],
        "zh": ["手写", "训练", "模型内部", "稳健性与地图", "评估", "教它认字"]}  # fmt: skip


def session(browser, url: str):
    """A page in a browser context of its own (browser.new_page makes one): another browser."""
    return open_app(browser, url)


def label(page, strokes, digit: int, expected: str) -> None:
    """Draw on the Draw tab's canvas, then press `digit` in its "This is a" row."""
    clear(page)
    draw(page, strokes)
    page.locator(f"#dl-label-{digit}").click()
    sync_api.expect(page.locator("#dl-label-line")).to_have_text(expected, timeout=20_000)


def ticks(pages: list, seconds: float) -> list[int]:
    """How many requests each page makes in the same `seconds` with no one touching it (after
    a second for the requests of the last click)."""
    pages[0].wait_for_timeout(1000)
    sent: dict = {page: [] for page in pages}

    def counter(page):
        return lambda request: sent[page].append(request.url) if request.method == "POST" else None

    listeners = {page: counter(page) for page in pages}
    for page, listener in listeners.items():
        page.on("request", listener)
    pages[0].wait_for_timeout(seconds * 1000)  # every page's events are dispatched meanwhile
    for page, listener in listeners.items():
        page.remove_listener("request", listener)
    return [len(sent[page]) for page in pages]


def test_the_teacher_sees_the_class_drawings_arrive_without_a_click(browser, app_module):
    url = app_module.url
    teacher = session(browser, url)
    teacher.get_by_role("tab", name="Teach it").click()
    teacher.locator("#dl-teach-new-code").click()
    code_box = teacher.locator("#dl-teach-code input")
    sync_api.expect(code_box).to_have_value(re.compile(r"^[A-Z2-9]{6}$"), timeout=10_000)
    code = code_box.input_value()
    class_line = teacher.locator("#dl-teach-class")
    sync_api.expect(class_line).to_contain_text(f"Class {code}: 0 drawings")

    students = [session(browser, url), session(browser, url)]
    for student in students:
        student.get_by_role("tab", name="Teach it").click()
        student.locator("#dl-teach-code input").fill(code)
        student.locator("#dl-teach-join").click()
        sync_api.expect(student.locator("#dl-teach-class")).to_contain_text(f"Class {code}")
        student.get_by_role("tab", name="Draw").click()
    ana, ben = students
    ana.locator("#dl-label-5").click()  # nothing drawn yet
    sync_api.expect(ana.locator("#dl-label-line")).to_contain_text("Nothing is drawn")
    label(ana, SEVEN, 7, f"Added as 7 to class {code}: 1 drawings.")
    label(ben, ONE, 1, f"Added as 1 to class {code}: 2 drawings.")
    label(ana, SEVEN, 7, f"Added as 7 to class {code}: 3 drawings.")
    added = time.monotonic()

    # The teacher clicked nothing since making the code: the tab shows the three drawings.
    sync_api.expect(class_line).to_contain_text(f"Class {code}: 3 drawings", timeout=LIVE_MS)
    seen_after = time.monotonic() - added
    cells = teacher.locator("#dl-counts tbody td")
    sync_api.expect(cells.nth(7)).to_have_text("2")
    sync_api.expect(cells.nth(1)).to_have_text("1")
    sync_api.expect(cells.nth(10)).to_have_text("3")  # the count line's number, and the gallery's
    gallery = teacher.locator("#dl-teach-gallery")
    sync_api.expect(gallery.locator("img")).to_have_count(3)
    captions = gallery.locator(".caption-label")
    sync_api.expect(captions).to_have_text(["7", "1", "7"])  # newest first
    assert seen_after < LIVE_S + 4, seen_after

    # A fourth drawing arrives too; then a student's own Teach tab agrees with the teacher's.
    label(ben, ONE, 1, f"Added as 1 to class {code}: 4 drawings.")
    sync_api.expect(class_line).to_contain_text(f"Class {code}: 4 drawings", timeout=LIVE_MS)
    sync_api.expect(cells.nth(1)).to_have_text("2")
    sync_api.expect(captions.first).to_have_text("1")
    ben.get_by_role("tab", name="Teach it").click()
    sync_api.expect(ben.locator("#dl-teach-class")).to_contain_text(f"Class {code}: 4 drawings")
    sync_api.expect(ben.locator("#dl-counts tbody td").nth(10)).to_have_text("4")
    for page in (teacher, *students):
        assert page.errors == [] and page.locator(".toast-body").count() == 0


def test_the_live_view_ticks_only_on_the_teach_tab_of_a_class(browser, app_module):
    url = app_module.url
    alone = session(browser, url)  # no class code: no timer, ever
    alone.get_by_role("tab", name="Teach it").click()
    teacher = session(browser, url)
    teacher.get_by_role("tab", name="Teach it").click()
    teacher.locator("#dl-teach-new-code").click()
    sync_api.expect(teacher.locator("#dl-teach-class")).to_contain_text("Class", timeout=10_000)
    alone_sent, teacher_sent = ticks([alone, teacher], LIVE_S + 1)
    assert alone_sent == 0 and teacher_sent >= 1, (alone_sent, teacher_sent)
    teacher.get_by_role("tab", name="Draw").click()
    assert ticks([teacher, alone], LIVE_S + 1) == [0, 0]
    teacher.get_by_role("tab", name="Teach it").click()
    assert ticks([teacher], LIVE_S + 1)[0] >= 1
    assert alone.errors == [] and teacher.errors == []


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_phone_reaches_every_tab_labels_a_drawing_and_hears_why_not_sure(
    browser, app_module, lang
):
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True)
    page = context.new_page()
    page.goto(f"{app_module.url}?lang={lang}")
    page.wait_for_selector("#dl-canvas [data-ready]")
    tabs = page.get_by_role("tab")
    sync_api.expect(tabs).to_have_text(TABS[lang])
    for tab in tabs.all():  # all six in sight: none behind the "More tabs" menu
        box = tab.bounding_box()
        assert tab.is_visible() and box["x"] >= 0 and box["x"] + box["width"] <= 390, box
    assert not page.get_by_role("button", name="More tabs").is_visible()

    compact = page.locator("#dl-verdict-compact .dl-compact")
    touch_draw(page, DOT)
    sync_api.expect(compact).to_contain_text("dot or a dash" if lang == "en" else "一个点或一小横")
    assert "%" not in compact.inner_text()  # no "(0? 99.4% sure)" beside "not sure"
    clear(page)
    draw(page, TINY_SEVEN)
    sync_api.expect(compact).to_contain_text("draw it bigger" if lang == "en" else "请写大一些")
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/phone-tiny-{lang}.png", full_page=True)

    clear(page)
    draw(page, SEVEN)
    sync_api.expect(compact.locator("b")).to_have_text("7", timeout=20_000)
    row = page.locator("#dl-label-row button")
    sync_api.expect(row).to_have_count(10)
    for button in row.all():
        box = button.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390 and box["width"] >= 24, box
    page.locator("#dl-label-7").tap()
    added = {
        "en": "Added as 7 to your set: 1 drawings.",
        "zh": "已作为 7 加入你的数据集：共 1 幅。",
    }
    sync_api.expect(page.locator("#dl-label-line")).to_have_text(added[lang], timeout=20_000)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scroll
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/phone-labelled-{lang}.png", full_page=True)
    other = "zh" if lang == "en" else "en"
    page.locator("#dl-lang").get_by_text("简体中文" if other == "zh" else "English").click()
    sync_api.expect(page.locator("#dl-label-line")).to_have_text(added[other], timeout=10_000)
    page.get_by_role("tab", name=TABS[other][-1]).click()
    sync_api.expect(page.locator("#dl-counts tbody td").nth(7)).to_have_text("1")
    for cell in page.locator("#dl-counts th").all():  # 0-9 and the total: all in sight
        box = cell.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, box
    context.close()
