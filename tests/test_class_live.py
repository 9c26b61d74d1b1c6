"""The Teach tab's live view of a class's set, called as the page calls it: a tick sends nothing
while the set is as shown, and the count line, counts and gallery (newest first) from one look
when it changed; a session whose class is gone stops its timer."""

from __future__ import annotations

import re
import time

import gradio as gr
import numpy as np
import pytest

from digitlab.lab.handwriting import CLASSES


@pytest.fixture
def teach(app_module):
    return app_module.teach


def nothing(update: dict) -> bool:
    """Whether a handler's answer leaves every output as it is. Gradio takes a dict as updates
    only when it names an output: {} would be one value for all seven, an error each tick."""
    return bool(update) and all(value == gr.skip() for value in update.values())


def cells(table: str) -> list[int]:
    """The numbers in the counts table's row."""
    return [int(n) for n in re.findall(r"<td>(?:<b>)?(\d+)", table)]


def drawing(seed: int) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, (28, 28), dtype=np.uint8)


def test_a_tick_sends_nothing_until_the_class_adds_a_drawing(teach):
    code = CLASSES.create("teacher")
    seen = teach.view(None, code, "class", "en")[teach.seen]
    assert nothing(teach.refresh(None, code, "class", "en", seen))
    klass = CLASSES.get(code)
    for i, digit in enumerate((7, 1, 7)):
        klass.add(drawing(i), digit, owner=f"student{i}")
    update = teach.refresh(None, code, "class", "en", seen)
    assert f"Class **{code}**: 3 drawings" in update[teach.class_line]
    assert cells(update[teach.counts]) == [0, 1, 0, 0, 0, 0, 0, 2, 0, 0, 3]
    assert [caption for _, caption in update[teach.gallery]] == ["7", "1", "7"]
    assert [digit for _, digit in update[teach.shown]] == [7, 1, 7]  # newest first, as shown
    assert teach.picked not in update  # a drawing picked for Remove stays picked
    assert nothing(teach.refresh(None, code, "class", "en", update[teach.seen]))


def test_a_tick_is_cheap_when_nothing_changed(teach):
    code = CLASSES.create("teacher")
    klass = CLASSES.get(code)
    for i in range(200):
        klass.add(drawing(i), i % 10, owner="student")
    seen = teach.view(None, code, "class", "en")[teach.seen]
    start = time.perf_counter()
    for _ in range(1000):
        assert nothing(teach.refresh(None, code, "class", "en", seen))
    per_tick = (time.perf_counter() - start) / 1000
    assert per_tick < 2e-4, f"{per_tick * 1e6:.0f} µs a tick"  # measured: ~5 µs


def test_the_own_set_shown_still_follows_the_class_count(teach):
    code = CLASSES.create("teacher")
    seen = teach.view(None, code, "mine", "en")[teach.seen]
    CLASSES.get(code).add(drawing(0), 4, owner="student")
    update = teach.refresh(None, code, "mine", "en", seen)
    assert f"Class **{code}**: 1 drawings" in update[teach.class_line]
    assert cells(update[teach.counts])[-1] == 0  # the session's own set: empty


def test_the_timer_stops_when_the_class_is_gone(teach):
    update = teach.refresh(None, "ABCDEF", "class", "en", None)  # no such class (any more)
    assert update[teach.live].active is False
    assert "ABCDEF" in update[teach.class_line] and "expired" in update[teach.class_line]
