"""The Draw tab: a canvas and a model picker in; the verdict, the bars, the 28x28 image the
model sees and the shipped MLP's and CNN's bars out, after every stroke. Also the public
/predict and /predict_image endpoints."""

from __future__ import annotations

import html

import gradio as gr
import numpy as np

from digitlab.charts import probability_frame
from digitlab.i18n import DEFAULT, Text, localize, t
from digitlab.pictures import pixel_view
from digitlab.predict import Prediction
from digitlab.preprocess import editor_to_image
from digitlab.safety import (
    BadImage,
    check_canvas,
    check_sketch_upload,
    decode_image,
    decoding_slot,
)
from digitlab.sessions import MAX_SESSION_MODELS
from digitlab.ui import common
from digitlab.ui.common import LIVE, PRIVATE, probability_plot, ui

# 6.31 selects no tool on load and after "Clear canvas": click the Brush button for the student.
# Gradio 6.31 has no zh-CN text for the editor's tools, so "Brush" is the label in both.
SELECT_BRUSH = """
() => {
  const pick = (tries) => {
    const brush = document.querySelector('#dl-canvas button[aria-label="Brush"]');
    if (brush) { brush.click(); } else if (tries > 0) { setTimeout(() => pick(tries - 1), 100); }
  };
  pick(100);
}
"""


def headline(
    probabilities: np.ndarray | None, model_name: str, note: str = "", lang: str = DEFAULT
) -> str:
    """Large top digit and confidence as HTML, or the neutral "draw a digit" prompt."""
    extra = f'<div class="dl-note">{html.escape(note)}</div>' if note else ""
    if probabilities is None:
        return (
            '<div class="dl-headline dl-empty"><div class="dl-digit">?</div>'
            f'<div class="dl-conf">{t("draw.empty", lang)}</div>{extra}</div>'
        )
    digit = int(np.argmax(probabilities))
    sure = t("draw.sure", lang, confidence=float(probabilities[digit]), model=model_name)
    return (
        f'<div class="dl-headline"><div class="dl-digit">{digit}</div>'
        f'<div class="dl-conf">{html.escape(sure)}</div>{extra}</div>'
    )


def check_uploads_first(canvas: gr.Sketchpad) -> gr.Sketchpad:
    """Count and measure the canvas's uploads from their headers before Gradio decodes them,
    and decode within the shared decoding slots (a crafted value could ask for many 4096x4096
    layers)."""
    decode = canvas.preprocess

    def preprocess(payload):
        blob = payload is not None and getattr(payload, "id", None)
        source = canvas.blob_storage.get(payload.id) if blob else payload
        try:
            check_sketch_upload(source)
            with decoding_slot():
                return decode(payload)
        except BadImage as error:
            raise gr.Error(localize(error)) from None

    canvas.preprocess = preprocess  # the instance only: a subclass would make Gradio write a .pyi
    return canvas


class DrawTab:
    """Builds the Draw tab in the current Blocks and wires its events."""

    def __init__(self, runs: gr.State, lang: common.Language) -> None:
        first = (common.SHIPPED.names() or [None])[0]
        with gr.Row():
            with gr.Column(scale=1, min_width=320):
                self.canvas = check_uploads_first(ui(
                    gr.Sketchpad, label=Text("draw.canvas"), canvas_size=(280, 280),
                    transforms=(), layers=False, format="png", elem_id="dl-canvas",
                    brush=gr.Brush(default_size=12, colors=["#000000"], color_mode="fixed"),
                ))  # fmt: skip
                self.picker = ui(
                    gr.Dropdown, choices=common.model_choices(None), value=first,
                    label=Text("draw.model"), info=Text("draw.model_info", n=MAX_SESSION_MODELS),
                    elem_id="dl-picker",
                )  # fmt: skip
            with gr.Column(scale=1, min_width=320):
                self.verdict = gr.HTML(headline(None, ""), elem_id="dl-verdict")
                self.bars = probability_plot(Text("draw.probabilities"), height=240)
            with gr.Column(scale=1, min_width=300):
                self.pixels = ui(
                    gr.Image, pixel_view(None), label=Text("draw.pixels"), interactive=False,
                    buttons=[], elem_id="dl-pixels", height=300,
                )  # fmt: skip
        ui(gr.Markdown, value=Text("draw.compare"))
        with gr.Row():
            self.mlp_bars = probability_plot(Text("draw.shipped_mlp"), height=200)
            self.cnn_bars = probability_plot(Text("draw.shipped_cnn"), height=200)

        inputs = [self.canvas, self.picker, runs, lang.radio]
        outputs = [self.verdict, self.bars, self.pixels, self.mlp_bars, self.cnn_bars]
        self.canvas.change(self.predict, inputs, outputs, api_name="predict", **LIVE)
        self.picker.change(self.predict, inputs, outputs, **PRIVATE, **LIVE)
        self.canvas.clear(self.clear, inputs[1:], outputs, js=SELECT_BRUSH, **PRIVATE, **LIVE)
        # A language switch says the verdict again in the new language.
        lang.then(self.language, inputs, [*outputs, self.picker])
        gr.api(predict_image, api_name="predict_image", concurrency_limit=None)

    def predict(
        self, sketch: dict | None, name: str | None, runs, lang: str = DEFAULT,
        request: gr.Request = None,
    ) -> dict:  # fmt: skip
        """Classify the canvas with the picked model (called after every stroke)."""
        try:
            check_canvas(sketch)
        except BadImage as error:
            raise gr.Error(t("draw.bad_canvas", lang, error=localize(error, lang))) from None
        predictor, note = common.find_model(name, runs, lang)
        ink = editor_to_image(sketch)
        seen = None if ink is None or predictor is None else predictor.predict(ink)
        if request is not None and request.session_hash:  # the session's training run follows it
            common.DRAWINGS.probe(request.session_hash).image = None if seen is None else seen.image
        return self.show(seen, predictor, note, runs, lang)

    def language(self, sketch, name: str | None, runs, lang: str, request: gr.Request = None):
        """After a language switch: the picker's choices and the verdict in lang."""
        picker = common.picker_choices(runs, lang)
        return {self.picker: picker, **self.predict(sketch, name, runs, lang, request)}

    def clear(self, name: str | None, runs, lang: str = DEFAULT, request: gr.Request = None):
        """The empty canvas: neutral outputs, and nothing for a training run to follow."""
        if request is not None and request.session_hash:
            common.DRAWINGS.probe(request.session_hash).image = None
        predictor, note = common.find_model(name, runs, lang)
        return self.show(None, predictor, note, runs, lang)

    def show(self, seen: Prediction | None, predictor, note: str, runs, lang: str) -> dict:
        """The picked model's verdict and bars, the 28x28 input, the shipped models' bars."""
        if seen is None:
            empty = probability_frame(None)
            return {
                self.verdict: headline(None, "", note, lang), self.bars: empty,
                self.pixels: pixel_view(None), self.mlp_bars: empty, self.cnn_bars: empty,
            }  # fmt: skip
        # The shipped MLP and CNN read the same 28x28 image: preprocessing runs once a stroke.
        shipped = [common.SHIPPED.of_kind(kind) for kind in ("mlp", "cnn")]
        mlp, cnn = [
            seen.probabilities if p is predictor else p and p.probabilities(seen.image)[0]
            for p in shipped
        ]
        label = common.model_label(predictor.name, runs, lang)
        return {
            self.verdict: headline(seen.probabilities, label, note, lang),
            self.bars: probability_frame(seen.probabilities),
            self.pixels: pixel_view(seen.image),
            self.mlp_bars: probability_frame(mlp),
            self.cnn_bars: probability_frame(cnn),
        }


def predict_image(image: str, model: str = "") -> dict:
    """Classify a base64 PNG/JPEG (data URL or bare base64) with a shipped model.

    model: a picker name, "cnn" or "mlp"; empty = the first shipped model. Returns
    {"digit", "confidence", "probabilities", "model"}; digit is null for an empty image.
    """
    if not isinstance(model, str):
        raise gr.Error('model: expected a name such as "cnn" or "mlp" (or "" for the default).')
    predictor = common.SHIPPED.of_kind(model.lower()) or common.find_model(model, None)[0]
    if predictor is None:
        raise gr.Error("No shipped model is installed on this server.")
    try:
        picture = decode_image(image)  # size limits are checked before any pixel is decoded
    except BadImage as error:
        raise gr.Error(f"image: {error}") from None
    seen = predictor.predict(picture)
    if seen is None:
        return {"digit": None, "confidence": 0.0, "probabilities": [0.0] * 10, "model": ""}
    return {
        "digit": seen.digit,
        "confidence": seen.confidence,
        "probabilities": [float(p) for p in seen.probabilities],
        "model": predictor.name,
    }
