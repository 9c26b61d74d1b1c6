"""The lesson by keyboard alone (issue 31): Give me a digit, read the verdict, switch to Train,
set the model, learning rate, epochs and images, Train, Stop, back to Draw and pick the run;
with no pointer or touch event on the page, and a focus ring on what the keyboard reaches."""

from __future__ import annotations

import re

import pytest
from axe_kit import audit, describe
from browser_kit import open_app, sync_api

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("shipped")]

# Counts every pointer, mouse and touch event the page receives, from now on.
WATCH_POINTER = """() => {
  window.dlPointer = [];
  for (const type of ['pointerdown', 'pointermove', 'mousedown', 'mousemove', 'touchstart']) {
    window.addEventListener(type, () => window.dlPointer.push(type), true);
  }
}"""
RING = """() => {
  const style = getComputedStyle(document.activeElement);
  return style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
}"""


def tab_to(page, test: str, limit: int = 200) -> None:
    """Press Tab until the focused element passes `test` (a JS function of the element)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(
            f"() => {{ const el = document.activeElement; return !!el && ({test})(el); }}"
        ):
            return
    raise AssertionError(f"Tab never reached an element with {test}")


def tab_to_tab(page, name: str) -> None:
    """Open the tab called name: Tab to it in the tab bar (each tab is a stop), Enter."""
    tab_to(page, f"el => el.getAttribute('role') === 'tab' && el.textContent.trim() === {name!r}")
    assert page.evaluate(RING), f"no focus ring on the {name} tab"
    page.keyboard.press("Enter")
    sync_api.expect(page.get_by_role("tab", name=name, exact=True)).to_have_attribute(
        "aria-selected", "true"
    )


def type_into(page, selector: str, text: str) -> None:
    """Tab to an input and replace what it holds with text, then Enter."""
    tab_to(page, f"el => el.matches({selector!r})")
    page.keyboard.press("Control+A")
    page.keyboard.type(text)
    page.keyboard.press("Enter")


def test_the_lesson_by_keyboard_alone(browser, app_module):
    page = open_app(browser, app_module.url)
    page.set_viewport_size({"width": 1366, "height": 768})
    page.evaluate(WATCH_POINTER)

    # Draw: a held-out digit, given; its verdict said in words and in the live region.
    tab_to(page, "el => el.matches('#dl-canvas button.dl-give')")
    assert page.evaluate(RING), "no focus ring on Give me a digit"
    page.keyboard.press("Enter")
    verdict = page.locator("#dl-verdict [data-key]")
    sync_api.expect(verdict).to_have_attribute("data-key", re.compile(r"^\d$|^unsure$"))
    said = verdict.get_attribute("data-said")
    assert re.match(r"It's a \d, \d+% sure; then \d|Not sure", said), said
    sync_api.expect(page.locator("#dl-announce")).to_have_text(said, timeout=10_000)

    # Train: a CNN on 1,000 images, lr 0.003 (Adam: it cannot diverge), 20 epochs (it is
    # stopped after its first), then Stop.
    tab_to_tab(page, "Train")
    tab_to(page, "el => el.matches('#dl-model input[type=radio]')")
    if page.evaluate("() => document.activeElement.value") != "CNN":
        page.keyboard.press("ArrowRight")  # the radio group's arrows pick
    sync_api.expect(page.locator("#dl-model input[value=CNN]")).to_be_checked()
    type_into(page, "#dl-lr input", "0.003")
    type_into(page, "#dl-epochs input[type=number]", "20")
    sync_api.expect(page.locator("#dl-epochs input[type=number]")).to_have_value("20")
    type_into(page, "#dl-subset input", "1000")
    sync_api.expect(page.locator("#dl-subset input")).to_have_value("1000")
    tab_to(page, "el => el.tagName === 'BUTTON' && el.textContent.trim() === 'Train'")
    assert page.evaluate(RING), "no focus ring on Train"
    page.keyboard.press("Enter")
    status = page.locator("#dl-status textarea")
    sync_api.expect(status).to_have_value(re.compile("^Epoch"), timeout=60_000)
    tab_to(page, "el => el.tagName === 'BUTTON' && el.textContent.trim() === 'Stop'")
    page.keyboard.press("Enter")
    sync_api.expect(status).to_have_value(re.compile("^Stopped after"), timeout=30_000)
    train = page.get_by_role("button", name="Train", exact=True)
    sync_api.expect(train).to_be_enabled()
    page.wait_for_timeout(600)  # the buttons' colour transitions over
    found = audit(page)  # the Train tab after a run stopped by keyboard
    assert not describe("Train, stopped", found), describe("Train, stopped", found)

    # Draw: the run, picked from the model list, reads the given digit.
    tab_to_tab(page, "Draw")
    tab_to(page, "el => el.matches('#dl-picker input')")
    page.keyboard.type("Run 1")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    sync_api.expect(page.locator("#dl-picker input")).to_have_value(re.compile("^Run 1"))
    sync_api.expect(page.locator("#dl-verdict")).to_contain_text("Run 1", timeout=20_000)
    assert page.evaluate("() => window.dlPointer") == []
    assert page.errors == []
