"""The training line as the Train tab shows it: a waiting student's place and start time in large
text (a polite live region: read out as it changes), and for everyone on the tab, the teacher
first, how many runs train and wait (refreshed every few seconds while the tab is open)."""

from __future__ import annotations

import html
import math
import time
from collections.abc import Iterator

import gradio as gr

from digitlab.ui import registries
from digitlab.ui.common import Refusal, tr
from digitlab.ui.queues import QUICK
from digitlab.ui.teach_sets import other_tabs
from digitlab.ui.training_line import LineFull, Place, Ticket
from digitlab.words import Text, t

COUNTS_S = 3.0  # how often the counts line is refreshed while the Train tab is open
# A waiting run's handler yields at least this often: a page closed while it waits is seen
# (Gradio closes the handler at its next yield) and leaves the line within this long.
SAID_EVERY_S = 2.0

CSS = """
#dl-line [role="status"] { font-size: 1.5rem !important; font-weight: 600; line-height: 1.3; }
/* A phone: the place in line right under the run's buttons, with the status. */
@media (max-width: 700px) {
  #dl-train-results > #dl-line, #dl-train-results > #dl-line-counts,
  #dl-train-results > :has(#dl-line), #dl-train-results > :has(#dl-line-counts) { order: 0; }
}
"""


def when_text(seconds: float, lang: str) -> str:
    """'25 s', '2 min': a start time rounded as a person would say it (5 s steps under a
    minute, whole minutes from two)."""
    if seconds < 90:
        return t("line.seconds", lang, n=max(5, 5 * math.ceil(seconds / 5)))
    return t("line.minutes", lang, n=round(seconds / 60))


def place_text(place: Place, lang: str) -> str:
    """A waiting run's place and start time, in words."""
    when = when_text(place.start_in_s, lang)
    if place.place == 1:
        return t("line.next", lang, when=when)
    return t("line.place", lang, place=place.place, when=when)


def place_html(place: Place | None, lang: str) -> str:
    """The large line of a waiting run ("" when none waits); data-start-s carries the estimate
    unrounded (the class benchmark checks it against when the run started)."""
    if place is None:
        return ""
    return (
        f'<div role="status" aria-live="polite" data-place="{place.place}" '
        f'data-start-s="{place.start_in_s:.2f}">{html.escape(place_text(place, lang))}</div>'
    )


def counts_text(lang: str) -> str:
    """How many runs train and wait now ("" when none does)."""
    training, waiting = registries.LINE.counts()
    if not training and not waiting:
        return ""
    return t("line.counts", lang, training=training, waiting=waiting)


def join(session: str, run, stop, lang: str) -> Ticket:
    """A place in the line for a TrainingRun (its steps still to go); a Refusal when full."""
    done = run.continue_from
    steps = run.cfg.total_steps - (done.state.step if done is not None else 0)
    try:
        return registries.LINE.join(session, run.cfg, steps, stop)
    except LineFull:
        raise Refusal(t("line.full", lang, n=registries.LINE.most_waiting)) from None


def wait_turn(ticket: Ticket, lang_of) -> Iterator[Place]:
    """Wait for the ticket's turn, yielding its Place whenever what it says changes, and at
    least every SAID_EVERY_S (most looks send nothing); lang_of() is the page's language now."""
    said, at = None, time.monotonic()
    for place in registries.LINE.wait(ticket):
        lang = lang_of()
        seen = (place.place, when_text(place.start_in_s, lang), counts_text(lang))
        if seen != said or time.monotonic() - at >= SAID_EVERY_S:
            said, at = seen, time.monotonic()
            yield place


def share_done(run, view) -> float:
    """How much of a TrainingRun's steps (those to go when it started) its latest view has run."""
    done = run.continue_from
    start = done.state.step if done is not None else 0
    steps = view.losses[-1][0] * run.cfg.steps_per_epoch if view.losses else start
    return (steps - start) / max(run.cfg.total_steps - start, 1)


class LinePanel:
    """The large place line and the counts line, built in the current Blocks."""

    def __init__(self) -> None:
        self.place = tr(gr.HTML, "", label=Text("line.place_label"), elem_id="dl-line")
        self.counts = tr(gr.Markdown, "", label=Text("line.counts_label"), elem_id="dl-line-counts")
        self.timer = gr.Timer(COUNTS_S, active=False)

    def wire(self, tab: gr.Tab, lang_radio: gr.Radio) -> None:
        """The counts refreshed while the tab is open, and off on any other tab."""
        tab.select(lambda: gr.Timer(active=True), None, self.timer, **QUICK)
        for other in other_tabs(tab):
            other.select(lambda: gr.Timer(active=False), None, self.timer, **QUICK)
        self.timer.tick(self.refresh, [lang_radio, self.counts], self.counts, queue=False, **QUICK)

    def refresh(self, lang: str, shown: str):
        """The counts line, only when it changed (most ticks send nothing)."""
        now = counts_text(lang)
        return gr.skip() if now == shown else now
