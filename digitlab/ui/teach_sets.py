"""The Teach tab's sets as the page shows them: which set is shown, its count line and per-digit
table, and the one path that labels a drawing into the session's set and the class's (the Teach
tab's digits and the Draw tab's row both take it)."""

from __future__ import annotations

import html

import gradio as gr
import numpy as np

from digitlab.inference.preprocess import to_mnist
from digitlab.inference.safety import BadImage
from digitlab.lab.handwriting import CLASSES, HandSet, HandwritingError
from digitlab.limits import CLASS_TTL_S
from digitlab.ui.canvas import canvas_ink
from digitlab.words import DEFAULT, Text, t

# The counts: eleven columns that fit a phone's width (a Dataframe scrolled past "7").
COUNTS_CSS = """
table { width: 100%; table-layout: fixed; border-collapse: collapse; }
th, td { padding: 6px 0; text-align: center; border: 1px solid var(--border-color-primary);
  font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
th { background: var(--background-fill-secondary); font-weight: 600; }
th:last-child, td:last-child { width: 13%; }
"""


def label(digit: int, drawing, mine: HandSet, code: str, session: str) -> Text | None:
    """Add the canvas's drawing as `digit` to the session's set and, with a code, to the
    class's, each that has room: None once in both, else a Text that says what was done (one
    set full does not keep the drawing out of the other) or that the class is gone."""
    try:
        ink = canvas_ink(drawing)
    except BadImage as error:
        return Text("teach.bad_canvas", error=error)
    image = None if ink is None else to_mnist(ink)
    if image is None:
        return Text("teach.draw_first")
    pixels = np.round(image * 255).astype(np.uint8)
    klass = CLASSES.get(code) if code else None
    mine_refused = _added(mine, pixels, digit)
    if klass is None:
        return mine_refused or (Text("teach.class_gone", code=code) if code else None)
    class_refused = _added(klass, pixels, digit, owner=session)
    if mine_refused and class_refused:
        return class_refused
    if mine_refused:
        return Text("teach.added_class_only", digit=digit, code=code, limit=mine.limit)
    if class_refused:
        return Text("teach.added_mine_only", digit=digit, n=len(mine), code=code,
                    limit=klass.limit)  # fmt: skip
    return None


def _added(hand: HandSet, pixels: np.ndarray, digit: int, owner: str = "") -> Text | None:
    """Add a drawing to a set: None once added, else why not (the set is full)."""
    try:
        hand.add(pixels, digit, owner)
    except HandwritingError as error:
        return error.args[0]
    return None


def add_drawings(shown: HandSet, drawings, mine: HandSet, code: str, session: str) -> Text:
    """Add uploaded drawings to the set shown (the class's: as this session's); what to say."""
    added = shown.extend(drawings, session if shown is not mine else "")
    left = len(drawings) - added
    skipped = Text("teach.did_not_fit", n=left, limit=shown.limit) if left else ""
    if shown is mine:
        return Text("teach.uploaded", n=added, skipped=skipped)
    return Text("teach.uploaded_class", n=added, code=code, skipped=skipped)


def rendered(said: Text | None, lang: str) -> str:
    """A line kept as a Text, in the page's new language ("" when nothing was said)."""
    return said.render(lang) if said is not None else ""


def other_tabs(tab: gr.Tab) -> list[gr.Tab]:
    """The page's tabs beside this one (selecting one of them leaves this one)."""
    return [b for b in tab.parent.children if isinstance(b, gr.Tab) and b is not tab]


def stop_live() -> gr.Timer:
    """Another tab is opened: the Teach tab's live view stops."""
    return gr.Timer(active=False)


def chosen_set(mine: HandSet | None, code: str, which: str) -> HandSet | None:
    """The class's set when it is shown (None when the code no longer names one), else the
    session's. An empty set is falsy (len 0): compare with None, never `chosen_set(...) or`."""
    return CLASSES.get(code) if which == "class" and code else mine


def chosen_counts(mine, code: str, which: str) -> list[int]:
    shown = chosen_set(mine, code, which)
    return shown.counts() if shown is not None else [0] * 10


def set_choices(lang: str) -> list[tuple[str, str]]:
    return [(t("teach.mine", lang), "mine"), (t("teach.class_set", lang), "class")]


def class_line(code: str, lang: str, n: int | None = None) -> str:
    """The line about the session's class: its code and how many drawings (n when the caller
    has counted them, so that the line and the counts beside it agree)."""
    if not code:
        return t("teach.no_class", lang)
    klass = CLASSES.get(code)
    if klass is None:
        return t("teach.class_gone", lang, code=code)
    n = len(klass) if n is None else n
    return t("teach.in_class", lang, code=code, n=n, hours=CLASS_TTL_S // 3600)


def counts_html(counts: list[int], lang: str = DEFAULT) -> str:
    """A table of one row: how many drawings of each digit, and in all."""
    head = [*map(str, range(10)), html.escape(t("teach.total", lang))]
    body = [*map(str, counts), f"<b>{sum(counts)}</b>"]
    return (
        f"<table><thead><tr>{''.join(f'<th>{h}</th>' for h in head)}</tr></thead>"
        f"<tbody><tr>{''.join(f'<td>{c}</td>' for c in body)}</tr></tbody></table>"
    )
