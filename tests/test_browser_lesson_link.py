"""A lesson link in headless Chromium (issue 31): opened in a new browser context it fills the
Train tab's settings and opens its tab in its language; "Copy link to this lesson" gives the same
link back (shown on the page and in the clipboard); a bad value is ignored with one line."""

from __future__ import annotations

import pytest
from browser_kit import SCREENSHOTS, screenshot, sync_api

from digitlab.ui.lesson_query import build_query
from digitlab.words import t

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("shipped")]

LESSON = {
    "model": "MLP", "hidden": "256, 64", "lr": 0.5, "epochs": 5, "optimizer": "momentum",
    "subset": 3000, "batch_size": 32, "dropout": 0.1, "augment": "light",
}  # fmt: skip


def new_page(browser, url: str, width: int = 1366, height: int = 768, **context):
    """A page in a browser context of its own (no cookies, storage or session shared)."""
    context = browser.new_context(viewport={"width": width, "height": height}, **context)
    page = context.new_page()
    page.set_default_timeout(30_000)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors
    page.goto(url)
    page.wait_for_selector("#dl-canvas [data-ready]", state="attached")  # hidden on tab=train
    return page


def value(page, selector: str) -> str:
    return page.locator(f"{selector} input, {selector} textarea").first.input_value()


def test_a_lesson_link_fills_the_settings_tab_and_language_and_copies_back_the_same(
    browser, app_module
):
    link = app_module.url + build_query(LESSON, tab="train", lang="zh")
    assert "model=mlp" in link and "lr=0.5" in link and "epochs=5" in link
    page = new_page(browser, link, permissions=["clipboard-read", "clipboard-write"])
    # The Train tab open, in Chinese, its settings the link's.
    sync_api.expect(page.get_by_role("tab", name="训练", selected=True)).to_be_visible()
    sync_api.expect(page.locator("#dl-lr input")).to_have_value("0.5")
    assert page.locator("#dl-model input[value=MLP]").is_checked()
    assert value(page, "#dl-hidden") == "256, 64"
    assert page.locator("#dl-epochs input[type=number]").input_value() == "5"
    assert value(page, "#dl-subset") == "3000"
    assert value(page, "#dl-batch-size") == "32"
    assert page.locator("#dl-lr-slider input[type=range]").input_value() == "-0.3"
    assert page.locator("#dl-link-notice").inner_text().strip() == ""  # nothing ignored
    if SCREENSHOTS:
        screenshot(page, "lesson-link-zh.png")

    page.get_by_role("button", name="复制本课链接").click()
    shown = page.locator("#dl-link textarea")
    sync_api.expect(shown).to_have_value(link)
    assert page.evaluate("navigator.clipboard.readText()") == link
    assert page.url == link  # the address bar says it too
    # Another tab, then copy: the link opens that tab.
    page.get_by_role("tab", name="模型内部").click()
    page.get_by_role("button", name="复制本课链接").click()
    sync_api.expect(shown).to_have_value(link.replace("tab=train", "tab=inside"))
    assert not page.errors, page.errors
    page.context.close()


def test_a_bad_value_is_ignored_with_one_line_and_the_rest_is_used(browser, app_module):
    page = new_page(browser, app_module.url + "?model=mlp&lr=abc&epochs=500&tab=nowhere&x=1")
    notice = page.locator("#dl-link-notice")
    sync_api.expect(notice).to_contain_text("Ignored from this link")
    text = notice.inner_text().strip()
    assert "\n" not in text
    for said in ("lr=abc (not a number)", "epochs=500 (use 1 to 20)", "tab=nowhere", "x (no such"):
        assert said in text, text
    page.get_by_role("tab", name="Train").click()
    assert page.locator("#dl-model input[value=MLP]").is_checked()  # the good value is used
    sync_api.expect(page.locator("#dl-lr input")).to_have_value("0.01")  # the MLP's own run
    # The notice switches language with the page.
    page.get_by_label("简体中文").check()
    sync_api.expect(notice).to_contain_text("链接中以下内容已忽略")
    assert not page.errors, page.errors
    page.context.close()


def test_the_copy_row_on_a_phone_and_a_projector(browser, app_module):
    if not SCREENSHOTS:
        pytest.skip("screenshots only: set DIGITLAB_SCREENSHOTS")
    for lang, (width, height) in [("en", (390, 844)), ("zh", (390, 844)), ("en", (1366, 768))]:
        page = new_page(browser, app_module.url + f"?lang={lang}&tab=train", width, height)
        train = {"en": "Train", "zh": "训练"}[lang]
        sync_api.expect(page.get_by_role("tab", name=train, selected=True)).to_be_visible()
        page.locator("#dl-link-copy").click()
        sync_api.expect(page.locator("#dl-link textarea")).to_have_value(
            app_module.url + f"?model=cnn&tab=train&lang={lang}"
        )
        hint = page.locator("#dl-session-line")
        sync_api.expect(hint).to_have_text(t("session.hint", lang), timeout=20_000)
        hint.scroll_into_view_if_needed()
        page.screenshot(path=f"{SCREENSHOTS}/link-{lang}-{width}.png")
        page.context.close()
