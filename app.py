"""DigitLab: draw a digit and watch models read it; train your own MNIST model and compare.

The page, composed: a header with the language switch, then the Draw, Train, Inside and
Evaluate tabs. Each tab is one module in digitlab/ui/ that builds its components, holds its
handlers and wires its events; what they share (the shipped models, the per-session registries,
the translated-component registry) is in digitlab/ui/common.py. Every text is in
digitlab/strings.py (English and Simplified Chinese).

Run `python app.py` (host and port from GRADIO_SERVER_NAME / GRADIO_SERVER_PORT).
"""

from __future__ import annotations

import gradio as gr

from digitlab.i18n import Text
from digitlab.sessions import SESSION_TTL_S, discard_session, sweep_session_folders
from digitlab.ui.common import ui
from digitlab.ui.draw import SELECT_BRUSH, DrawTab
from digitlab.ui.evaluate import EvaluateTab
from digitlab.ui.header import Header
from digitlab.ui.inside import InsideTab
from digitlab.ui.train import TrainTab

sweep_session_folders()  # checkpoint folders in /tmp that a killed or crashed server left

CSS = """
.dl-headline { text-align: center; padding: 8px 0; }
.dl-digit { font-size: 96px; font-weight: 700; line-height: 1.05; }
.dl-conf { font-size: 22px; }
.dl-note { font-size: 14px; opacity: 0.75; margin-top: 6px; }
.dl-empty .dl-digit { opacity: 0.3; }
#dl-pixels img, #dl-probe-image img { image-rendering: pixelated; }
#dl-lang { max-width: 260px; margin-left: auto; }
"""

with gr.Blocks(title="DigitLab") as demo:
    # Everything one browser session trains; its files are deleted when the session ends.
    runs = gr.State(None, time_to_live=SESSION_TTL_S, delete_callback=discard_session)
    header = Header()
    lang = header.lang
    with ui(gr.Tab, label=Text("tab.draw")):
        draw = DrawTab(runs, lang)
    with ui(gr.Tab, label=Text("tab.train")):
        train = TrainTab(runs, lang, picker=draw.picker)  # a finished run joins the picker
    with ui(gr.Tab, label=Text("tab.inside")):
        inside = InsideTab(draw.canvas, draw.picker, runs, lang)  # the Draw tab's drawing
    with ui(gr.Tab, label=Text("tab.evaluate")):
        evaluate = EvaluateTab(runs, lang)
    header.wire(demo)


def launch(**kwargs):
    """Start the app with its CSS and brush fix; kwargs go to demo.launch()."""
    # Uploads (canvas PNGs, images) are capped: a 280x280 drawing is a few kB.
    kwargs.setdefault("max_file_size", "5mb")
    return demo.launch(css=CSS, js=SELECT_BRUSH, **kwargs)


if __name__ == "__main__":
    launch()
