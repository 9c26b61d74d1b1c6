"""DigitLab: draw a digit and watch models read it; train your own MNIST model and compare.

The page, composed: a header with the language switch, then the Draw, Train, Inside and
Evaluate tabs, then a line that credits the data. Each tab is one module in digitlab/ui/ that
builds its components, holds its handlers and wires its events; what they share (the shipped
models, the per-session registries, the translated-component registry) is in
digitlab/ui/common.py. Every text is in digitlab/words/ (English and Simplified Chinese).

Run `python app.py` (host and port from GRADIO_SERVER_NAME / GRADIO_SERVER_PORT).
"""

from __future__ import annotations

import os
import threading

# Gradio rebuilds a pandas summary of its last 10,000 events after every event, for its
# /monitoring page: 4-8 ms of the server's CPU a stroke (more as a class goes on), held under
# the GIL. Once every 1,000 events instead (a host may set its own). Read when the Blocks is made.
os.environ.setdefault("GRADIO_ANALYTICS_CACHE_FREQUENCY", "1000")

import gradio as gr
from starlette.middleware import Middleware

from digitlab.limits import SESSION_TTL_S, SESSIONS_KEPT
from digitlab.training.live import warm_up
from digitlab.ui import a11y
from digitlab.ui.api_errors import explain_errors
from digitlab.ui.common import tr
from digitlab.ui.draw import DrawTab
from digitlab.ui.evaluate import EvaluateTab
from digitlab.ui.header import Header
from digitlab.ui.inside import InsideTab
from digitlab.ui.lesson_link import LessonLink
from digitlab.ui.line_panel import CSS as LINE_CSS
from digitlab.ui.queues import LINE_WAITING
from digitlab.ui.robust import RobustTab
from digitlab.ui.session_file import SessionFile
from digitlab.ui.session_folders import (
    CacheBudget,
    UploadGate,
    sweep_session_folders,
    use_process_cache,
)
from digitlab.ui.sessions import discard_session
from digitlab.ui.teach import TeachTab
from digitlab.ui.train import TrainTab
from digitlab.words import Text

sweep_session_folders()  # checkpoint folders in /tmp that a killed or crashed server left
# Gradio's cache in a folder of this process's own, made before any component reads where it
# is: a server killed or restarted leaves nothing there for good (the next one deletes it).
CACHE = use_process_cache()

CSS = """
.dl-headline { text-align: center; padding: 8px 0; }
.dl-digit { font-size: 96px; font-weight: 700; line-height: 1.05; }
.dl-conf { font-size: 22px; }
.dl-note { font-size: 14px; opacity: 0.75; margin-top: 6px; }
.dl-empty .dl-digit { opacity: 0.3; }
#dl-pixels img, #dl-probe-image img, #dl-maps img { image-rendering: pixelated; }
#dl-maps img { width: 100%; height: 100%; object-fit: contain; }  /* a small sheet, enlarged */
#dl-lang { max-width: 260px; margin-left: auto; }
#dl-credits { font-size: 13px; color: var(--body-text-color-subdued); }  /* 4.5:1, links too */
/* Inside: the strip is four tiles a row (two with preprocessing off), the first-layer gallery
   eight (Gradio's 100 px minimum a tile cut its last column); both as tall as their tiles. */
#dl-strip { --dl-cols: 4; height: auto !important; } #dl-weights { --dl-cols: 8; }
#dl-strip .grid-container, #dl-weights .grid-container {
  grid-template-columns: repeat(var(--dl-cols), minmax(0, 1fr)); grid-auto-rows: auto;
}
#dl-strip .grid-wrap, #dl-weights .grid-wrap {
  height: auto !important; max-height: none; padding-top: 30px;  /* below the label */
}
#dl-weights .thumbnail-item { height: auto; }  /* square tiles: aspect-ratio applies */
#dl-weights .caption-label { display: none; }  /* "filter 12" would cover a 60 px tile */
/* The canvas and the pixel view are HTML components: no code icon in their labels. */
#dl-canvas [data-testid="block-label"] > span, #dl-pixels [data-testid="block-label"] > span,
#dl-confusion [data-testid="block-label"] > span {
  display: none;
}
/* The Draw tab's one-line verdict under the canvas is for narrow screens only (draw.py). */
@media (min-width: 701px) { #dl-verdict-compact { display: none; } }
/* The Draw tab's "This is a: 0 ... 9" (draw.py LabelRow): ten buttons in one row however
   narrow the screen (a phone's 390 px leaves each about 30 px). */
#dl-label-row { display: grid; grid-template-columns: repeat(10, minmax(0, 1fr)); gap: 4px; }
#dl-label-row > button { min-width: 0 !important; padding: 8px 0; font-size: var(--text-lg); }
/* Every tab in sight on a phone: the tab bar wraps onto a second row, as 6.31's
   overflow_behavior="wrap" styles it, instead of hiding tabs behind its "More tabs" menu. The
   menu takes the tabs that hidden copies, measured for their width, say do not fit: at no
   width, they all fit. */
.tab-container.visually-hidden > button { width: 0; min-width: 0; padding: 0; }
.tab-wrapper:has(> [role="tablist"]) { height: auto; }
.tab-wrapper > [role="tablist"] { flex-wrap: wrap; height: auto; overflow: visible; }
.tab-wrapper > [role="tablist"] > button { height: var(--size-8); }
/* Teach: the gallery's tiles below its label (it covered their top), ten a row, five on a phone
   (Gradio's 100 px minimum a tile left three and a sideways scroll there). */
#dl-teach-gallery .grid-wrap { padding-top: 30px; }
#dl-teach-gallery .grid-container {
  grid-template-columns: repeat(10, minmax(0, 1fr)); grid-auto-rows: auto;
}
#dl-teach-gallery .thumbnail-item { height: auto; }  /* square tiles: aspect-ratio applies */
@media (max-width: 700px) {
  #dl-teach-gallery .grid-container { grid-template-columns: repeat(5, minmax(0, 1fr)); }
}
/* The learning rate is typed in its own box: the log-scale slider's number box would show
   log10 values. */
#dl-lr-slider .tab-like-container, #dl-lr-slider .min_value, #dl-lr-slider .max_value {
  display: none;
}
/* A narrow screen: the run's buttons and status first, then the settings, then the charts. */
@media (max-width: 700px) {
  #dl-train-row { flex-direction: column; }
  #dl-train-results { display: contents; }
  #dl-train-results > * { order: 2; }
  #dl-train-results > #dl-run-bar, #dl-train-results > .form:has(#dl-status) { order: 0; }
  #dl-train-settings { order: 1; }
  #dl-runs table { min-width: 760px; }  /* the runs table scrolls sideways, words whole */
}
/* A phone: the title gets the whole width, the language switch goes below it. */
@media (max-width: 520px) {
  div:has(> div > #dl-lang) > *, div:has(> #dl-lang) { flex-basis: 100%; }
  #dl-lang { max-width: none; margin-left: 0; flex-grow: 1 !important; }  /* over scale=0 */
}
"""

with gr.Blocks(title="DigitLab") as demo:
    # Everything one browser session trains; its files are deleted when the session ends.
    runs = gr.State(None, time_to_live=SESSION_TTL_S, delete_callback=discard_session)
    header = Header()
    lang = header.lang
    with gr.Tabs() as tabs:  # each tab's id is its name in a lesson link (lesson_query.py)
        with tr(gr.Tab, label=Text("tab.draw"), id="draw"):
            draw = DrawTab(runs, lang)
        with tr(gr.Tab, label=Text("tab.train"), id="train"):
            train = TrainTab(runs, lang, picker=draw.picker)  # a finished run joins the picker
        with tr(gr.Tab, label=Text("tab.inside"), id="inside"):
            inside = InsideTab(draw.canvas, draw.picker, runs, lang)  # the Draw tab's drawing
        with tr(gr.Tab, label=Text("tab.robust"), id="robust"):
            robust = RobustTab(draw.canvas, runs, lang)  # the Draw tab's drawing, changed
        with tr(gr.Tab, label=Text("tab.evaluate"), id="evaluate"):
            evaluate = EvaluateTab(runs, lang)
        with tr(gr.Tab, label=Text("tab.teach"), id="teach"):
            # It labels the Draw tab's drawing, from its own digits and the Draw tab's row.
            teach = TeachTab(draw.canvas, draw.picker, runs, lang, labels=draw.labels)
    LessonLink(demo, train.settings, tabs, lang)  # the lesson's settings as a link
    session_file = SessionFile(runs, draw.picker, train.session, teach, lang)  # in one file
    draw.read_again(train.extended, session_file.reopened)  # a name's model may have changed
    tr(gr.Markdown, value=Text("app.credits"), elem_id="dl-credits")  # where the data comes from
    header.wire(demo)
# An error a caller causes always says something, in their language (ui/api_errors.py).
explain_errors(demo)
# Uploads, served pictures and scripts kept within CACHE_BUDGET_BYTES, and deleted once unused.
BUDGET = CacheBudget(CACHE, demo.upload_file_set, demo.temp_file_sets)


def launch(**kwargs):
    """Start the app with its theme, CSS and script; kwargs go to demo.launch()."""
    # Uploads (canvas PNGs, images) are capped: a 280x280 drawing is a few kB.
    kwargs.setdefault("max_file_size", "5mb")
    kwargs.setdefault("state_session_capacity", SESSIONS_KEPT)  # ~400 kB each, in Gradio
    # The cache's sweep (not Gradio's delete_cache: it would iterate the sets the sweep empties),
    # and uploads past the budget refused before they are read.
    BUDGET.start()
    # The CPU's kernels for the default runs' shapes, set up now: the first Train starts at once
    # (DIGITLAB_WARM_UP=0: not, as in the tests, which launch the app twenty times).
    if os.environ.get("DIGITLAB_WARM_UP", "1") != "0":
        threading.Thread(target=warm_up, name="digitlab-warm-up", daemon=True).start()
    gate = Middleware(UploadGate, budget=BUDGET)
    kwargs["app_kwargs"] = {**kwargs.get("app_kwargs", {}), "middleware": [gate]}
    # Readable colours, a focus ring, the verdict's live region (ui/a11y.py).
    # Threads for the runs waiting in the training line (ui/queues.py), besides Gradio's 40.
    kwargs.setdefault("max_threads", 40 + LINE_WAITING)
    return demo.launch(css=CSS + a11y.CSS + LINE_CSS, theme=a11y.THEME, js=a11y.JS, **kwargs)


if __name__ == "__main__":
    launch()
