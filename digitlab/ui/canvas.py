"""The Draw tab's canvas, and what a drawing sent to the app means.

The canvas is a gr.HTML of the app's own: a 280x280 <canvas> drawn with a round black brush
(canvas.js) that sets its value once per pen-up to a PNG data URL of the ink, or "" when
empty. One stroke is one small request; Gradio's Sketchpad sent its background, layers and
composite as dozens of uploads a stroke. "Give me a digit" draws a real held-out pen digit's
strokes with the same brush (`give_digit`): a drawing for those who cannot draw with a pointer.

`canvas_ink` reads any drawing the app accepts: this canvas's PNG, a PNG or JPEG in base64 from
an API caller, or a Sketchpad value ({"background", "layers", "composite"}) from /predict.
"""

from __future__ import annotations

import functools
from pathlib import Path

import gradio as gr
import numpy as np

from digitlab.inference.preprocess import editor_to_image, ink_mask
from digitlab.inference.safety import (
    BadImage,
    check_canvas,
    check_sketch_upload,
    decode_image,
    decoding_slot,
)
from digitlab.lab import pendigits
from digitlab.limits import MAX_CANVAS_PIXELS
from digitlab.training.pen_data import HELD_OUT
from digitlab.ui import common
from digitlab.ui.common import tr
from digitlab.words import Text, localize

HERE = Path(__file__).parent
# Handlebars fills in the props; {{...}} escapes them. The canvas's size is its pixel size.
TEMPLATE = """
<div class="dl-pad"><canvas width="280" height="280" aria-label="{{label}}"></canvas></div>
<div class="dl-tools">
  <button type="button" class="dl-give">{{give}}</button>
  <button type="button" class="dl-undo">{{undo}}</button>
  <button type="button" class="dl-clear">{{clear}}</button>
</div>
"""


def canvas(label: Text, elem_id: str) -> gr.HTML:
    """The drawing canvas, with its label and its Give me a digit, Undo and Clear buttons
    translated."""
    return tr(
        gr.HTML, "", label=label, undo=Text("canvas.undo"), clear=Text("canvas.clear"),
        give=Text("canvas.give"), html_template=TEMPLATE,
        css_template=(HERE / "canvas.css").read_text(), server_functions=[give_digit],
        js_on_load=(HERE / "canvas.js").read_text(), apply_default_css=False, show_label=True,
        container=True, elem_id=elem_id,
    )  # fmt: skip


@functools.lru_cache(maxsize=1)
def held_out_digits() -> tuple[pendigits.PenDigit, ...]:
    """The held-out writers' pen digits (no Train-tab run learns from them), in a fixed
    shuffled order: press after press gives different digits, the same on every page."""
    digits = pendigits.of_writers(HELD_OUT)
    order = np.random.default_rng(31).permutation(len(digits))
    return tuple(digits[i] for i in order)


def give_digit(count: object = 0) -> list[list[list[float]]]:
    """The count-th held-out pen digit as canvas strokes ([[x, y], ...] in canvas pixels), drawn
    by canvas.js with its own brush: what a student's pen would have traced."""
    digits = held_out_digits()
    try:
        index = int(count) % len(digits)
    except (TypeError, ValueError, OverflowError):
        index = 0
    strokes = pendigits.place(digits[index], pendigits.Pen(width=24.0))
    return [np.round(stroke, 1).tolist() for stroke in strokes]


def canvas_ink(value: object) -> np.ndarray | None:
    """The ink of a drawing as (H, W) float32 in [0, 1], or None when there is none.

    value: "" or None (nothing drawn), a PNG/JPEG as a data URL or bare base64 (the canvas,
    API callers), or a decoded Sketchpad value (dict). Raises BadImage for anything else.
    """
    if value is None or value == "":
        return None
    if isinstance(value, str):  # size limits are checked before any pixel is decoded
        return ink_mask(decode_image(value, max_pixels=MAX_CANVAS_PIXELS))
    check_canvas(value)
    return editor_to_image(value)


def api_sketchpad(label: Text) -> gr.Sketchpad:
    """A hidden Sketchpad: the input of the public /predict, which takes a Sketchpad value (its
    background, layers and composite as uploaded files) and names it by label, as before."""
    return check_uploads_first(tr(
        gr.Sketchpad, label=label, canvas_size=(280, 280), transforms=(), layers=False,
        format="png", visible=False,
        brush=gr.Brush(default_size=12, colors=["#000000"], color_mode="fixed"),
    ))  # fmt: skip


def check_uploads_first(pad: gr.Sketchpad) -> gr.Sketchpad:
    """Count and measure a Sketchpad's uploads from their headers before Gradio decodes them,
    and decode within the shared decoding slots (a crafted value could ask for many 4096x4096
    layers)."""
    decode = pad.preprocess

    def preprocess(payload):
        blob = payload is not None and getattr(payload, "id", None)
        source = pad.blob_storage.get(payload.id) if blob else payload
        try:
            check_sketch_upload(source)
            with decoding_slot():
                return decode(payload)
        except BadImage as error:
            raise common.Refusal(localize(error)) from None

    pad.preprocess = preprocess  # the instance only: a subclass would make Gradio write a .pyi
    return pad
