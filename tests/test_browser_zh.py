"""The whole page in Chinese (issue 27): every tab walked in headless Chromium after a drawing and
a short run, in a page opened in Chinese and in one switched to Chinese mid-run; no English word
is left anywhere a student can read, only names (MNIST, CNN, Adam, ...) and numbers."""

from __future__ import annotations

import re

import pytest
from browser_kit import SCREENSHOTS, draw, open_app, screenshot, settle, sync_api
from test_i18n import NAMES

# conftest's browser (one Chromium a module) and the shipped models the pages read with.
pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("shipped")]

SEVEN = [[(0.22, 0.15), (0.78, 0.15)], [(0.78, 0.15), (0.42, 0.88)]]
TABS = ("手写", "训练", "模型内部", "稳健性与地图", "评估", "教它认字")
WORD = re.compile(r"[A-Za-z][A-Za-z0-9'’-]*")
# Left as they are: the language switch (both languages, by design), the data's citation
# (authors and a title as published), file names, and Gradio's own footer and tooltips ("Copy
# table data"), which Gradio words in the browser's language, English for some in 6.31.
NOT_OURS = "#dl-lang, #dl-credits, .file-preview, footer"
GLOSSARY = re.compile(r"（[A-Za-z ]+）")  # "批大小（batch size）": the English term a learner meets
# What a student reads: the visible text of the page (charts, buttons, tables), what the text
# boxes hold and their placeholders; not hidden tabs, scripts or styles.
VISIBLE_TEXT = """() => {
  const out = [];
  const ours = el => !el.closest(NOT_OURS);
  const seen = el => {
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    // Screen readers' hidden labels are 1 px boxes: not on the page for the eye.
    return style.visibility !== 'hidden' && style.display !== 'none' && box.width > 1
      && box.height > 1;
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const parent = node.parentElement;
    if (!parent || ['SCRIPT', 'STYLE', 'NOSCRIPT'].includes(parent.tagName)) continue;
    if (node.textContent.trim() && seen(parent) && ours(parent)) out.push(node.textContent.trim());
  }
  for (const el of document.querySelectorAll('input, textarea')) {
    if (!seen(el) || !ours(el)) continue;
    const typed = !['number', 'range', 'radio', 'checkbox'].includes(el.type);  // values, not words
    if (el.value && typed) out.push(el.value);
    if (el.placeholder) out.push(el.placeholder);
  }
  return out;
}""".replace("NOT_OURS", repr(NOT_OURS))


def english_words(page) -> dict[str, str]:
    """{word: the text it is in} for every English word on the page that is not a name."""
    found = {}
    for text in page.evaluate(VISIBLE_TEXT):
        for word in WORD.findall(GLOSSARY.sub("", text)):
            # Names, single letters (model "A"), and words with digits (BF16, fc128) are names.
            if word not in NAMES and len(word) > 1 and not re.search(r"\d", word):
                found.setdefault(word, text[:120])
    return found


def summary(left: dict[str, dict[str, str]]) -> str:
    """Each tab's English words with one text each, one per line (a failure's message)."""
    return "\n".join(f"{tab}: {word!r} in {text!r}" for tab, words in left.items()
                     for word, text in words.items())  # fmt: skip


def walk(page, name: str) -> dict[str, dict[str, str]]:
    """Each tab's English words, after opening it (and a screenshot of it, when asked)."""
    left = {}
    for tab in TABS:
        page.get_by_role("tab", name=tab).click()
        settle(page)  # the tab's own texts, charts drawn
        words = english_words(page)
        if words:
            left[tab] = words
        if SCREENSHOTS:
            screenshot(page, f"zh-{name}-{TABS.index(tab)}.png")
    return left


def test_every_tab_reads_in_chinese_after_a_drawing_and_a_run(browser, app_module):
    page = open_app(browser, app_module.url, locale="zh-CN")  # a Chinese browser
    page.set_viewport_size({"width": 1366, "height": 768})
    draw(page, SEVEN)
    sync_api.expect(page.locator("#dl-verdict")).to_contain_text("把握", timeout=20_000)
    page.get_by_role("tab", name="训练").click()
    page.get_by_label("MLP", exact=True).check()
    page.locator("#dl-subset input").click()
    page.get_by_role("option", name="1000", exact=True).click()
    page.get_by_role("button", name="训练", exact=True).click()
    status = page.locator("#dl-status textarea")
    sync_api.expect(status).to_have_value(re.compile("^训练完成"), timeout=90_000)
    left = walk(page, "opened")
    assert left == {}, summary(left)
    assert page.errors == []


def test_a_page_switched_to_chinese_during_a_run_has_no_english_left(browser, app_module):
    page = open_app(browser, app_module.url)
    page.set_viewport_size({"width": 1366, "height": 768})
    draw(page, SEVEN)
    page.get_by_role("tab", name="Train").click()
    page.locator("#dl-epochs input[type=number]").fill("20")
    page.locator("#dl-epochs input[type=number]").press("Enter")
    page.get_by_role("button", name="Train", exact=True).click()
    status = page.locator("#dl-status textarea")
    sync_api.expect(status).to_have_value(re.compile("^Epoch"), timeout=60_000)
    page.get_by_label("简体中文").check()
    page.get_by_role("button", name="暂停").click()  # held, so the walk sees a running run
    sync_api.expect(status).to_have_value(re.compile("^已在第"), timeout=10_000)
    left = walk(page, "switched")
    page.get_by_role("tab", name="训练").click()
    page.get_by_role("button", name="停止").click()
    sync_api.expect(status).to_have_value(re.compile("^训练已停止"), timeout=20_000)
    left_after = walk(page, "stopped")
    assert left == {} and left_after == {}, (summary(left), summary(left_after))
    assert page.errors == []
