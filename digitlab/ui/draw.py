"""The Draw tab: a canvas and a model picker in; the verdict, the bars, the 28x28 image the
model sees and the shipped MLP's and CNN's bars out, once per stroke. Also the public /predict
(a Sketchpad value) endpoint; /predict_image is in predict_api.py, the verdict's HTML in
verdict.py."""

from __future__ import annotations

import threading

import gradio as gr

from digitlab.inference.predict import Prediction
from digitlab.inference.safety import BadImage
from digitlab.ui import common, registries
from digitlab.ui.canvas import api_sketchpad, canvas, canvas_ink
from digitlab.ui.charts import probability_frame
from digitlab.ui.common import probability_plot, tr
from digitlab.ui.predict_api import (
    NAME_CHARS,
    clipped,
    description,
    fit_shipped_temperatures,
    predict_image,
)
from digitlab.ui.queues import IMAGES, NEWEST, PRIVATE
from digitlab.ui.sessions import MAX_SESSION_MODELS
from digitlab.ui.verdict import (
    COMPACT_CSS,
    DEFAULT_THRESHOLD,
    PIXELS_CSS,
    VERDICT_CSS,
    compact,
    finite,
    headline,
    pixels_html,
)  # fmt: skip
from digitlab.words import DEFAULT, Text, localize, t


class LabelRow:
    """The Draw tab's row that labels the canvas's drawing ("This is a: 7") into the session's
    set, and the class's with a class code: the Teach tab wires it (teach.py), as its own
    digit buttons. Ten buttons in one row even on a phone (app.py's CSS, #dl-label-row)."""

    def __init__(self) -> None:
        tr(gr.Markdown, value=Text("draw.label_hint"), elem_id="dl-label-hint")
        with gr.Row(elem_id="dl-label-row"):
            self.digits = [
                gr.Button(str(d), size="sm", min_width=0, elem_id=f"dl-label-{d}")
                for d in range(10)
            ]
        self.line = gr.Markdown("", elem_id="dl-label-line")
        self.said = gr.State(None)  # the line, as a Text: said again on a language switch


class DrawTab:
    """Builds the Draw tab in the current Blocks and wires its events."""

    def __init__(self, runs: gr.State, lang: common.Language) -> None:
        first = (common.SHIPPED.names() or [None])[0]
        with gr.Row():
            with gr.Column(scale=1, min_width=320):
                self.canvas = canvas(Text("draw.canvas"), elem_id="dl-canvas")
                self.compact = gr.HTML(
                    compact(None), css_template=COMPACT_CSS, container=False,
                    elem_id="dl-verdict-compact",
                )  # fmt: skip
                self.labels = LabelRow()
                self.picker = tr(
                    gr.Dropdown, choices=common.model_choices(None), value=first,
                    label=Text("draw.model"), info=Text("draw.model_info", n=MAX_SESSION_MODELS),
                    elem_id="dl-picker",
                )  # fmt: skip
            with gr.Column(scale=1, min_width=320):
                self.verdict = tr(
                    gr.HTML, headline(None, ""), label=Text("draw.verdict"), show_label=False,
                    css_template=VERDICT_CSS, elem_id="dl-verdict",
                )  # fmt: skip
                self.threshold = tr(
                    gr.Slider, minimum=0, maximum=100, step=5, value=DEFAULT_THRESHOLD,
                    label=Text("trust.threshold"), info=Text("trust.threshold_info"),
                    elem_id="dl-threshold",
                )  # fmt: skip
                self.bars = probability_plot(Text("draw.probabilities"), height=240)
            with gr.Column(scale=1, min_width=300):
                self.pixels = tr(
                    gr.HTML, pixels_html(None), label=Text("draw.pixels"), show_label=True,
                    container=True, css_template=PIXELS_CSS, elem_id="dl-pixels",
                )  # fmt: skip
        tr(gr.Markdown, value=Text("draw.compare"))
        with gr.Row():
            self.mlp_bars = probability_plot(Text("draw.shipped_mlp"), height=200)
            self.cnn_bars = probability_plot(Text("draw.shipped_cnn"), height=200)
        self.pad = api_sketchpad(Text("draw.canvas"))

        inputs = [self.canvas, self.picker, runs, lang.radio, self.threshold]
        api_outputs = [self.verdict, self.bars, self.pixels, self.mlp_bars, self.cnn_bars]
        outputs = [*api_outputs, self.compact]
        # One listener for the pen, the picker and the threshold: with always_last, an older
        # answer can never land after (and overwrite) a newer one. A pen-up or Clear is one
        # change of the canvas.
        triggers = [self.canvas.change, self.picker.change, self.threshold.change]
        self.inputs, self.outputs = inputs, outputs
        gr.on(
            triggers, self.predict, inputs, outputs, api_name="predict_canvas", **PRIVATE,
            **NEWEST,
        )  # fmt: skip
        # The public /predict keeps its inputs and outputs (the default threshold).
        self.pad.change(self.predict_api, [self.pad, *inputs[1:4]], api_outputs,
                        api_name="predict", **NEWEST)  # fmt: skip
        # A language switch says the verdict again in the new language.
        lang.then(self.language, inputs, [*outputs, self.picker])
        # Its own queue (queues.IMAGES): a burst of big images waits there, not in a stroke's way.
        gr.api(predict_image, api_name="predict_image", api_description=description(), **IMAGES)
        # Shipped checkpoints saved without a temperature get theirs fitted now, not on a
        # student's first stroke (a no-op for checkpoints that store one).
        threading.Thread(target=fit_shipped_temperatures, daemon=True).start()

    def read_again(self, *events) -> None:
        """After these events a picker name may stand for another model (a run trained on, a
        session reopened): the drawing is read again with what the name means now."""
        for event in events:
            event.then(self.predict, self.inputs, self.outputs, show_progress="hidden", **PRIVATE)

    def predict(
        self, drawing: str | dict | None, name: str | None, runs, lang: str = DEFAULT,
        threshold: float = DEFAULT_THRESHOLD, request: gr.Request = None,
    ) -> dict:  # fmt: skip
        """Classify the drawing with the picked model (once per stroke, and on Clear)."""
        try:
            ink = canvas_ink(drawing)
        except BadImage as error:
            raise common.Refusal(t("draw.bad_canvas", lang, error=localize(error, lang))) from None
        # A name is said back when it is not found: a caller's 1 MB name is said clipped.
        name = clipped(name, NAME_CHARS) if name else None
        predictor, note = common.find_model(name, runs, lang)
        seen = None if ink is None or predictor is None else predictor.predict(ink)
        if request is not None and request.session_hash:  # the session's training run follows it
            registries.DRAWINGS.probe(request.session_hash).image = (
                None if seen is None else seen.image
            )
        return self.show(seen, predictor, note, runs, lang, threshold)

    def predict_api(
        self, drawing, name: str | None, runs, lang: str = DEFAULT, request: gr.Request = None
    ) -> dict:
        """/predict: a Sketchpad value, read with the default threshold; no one-line verdict."""
        shown = self.predict(drawing, name, runs, lang, DEFAULT_THRESHOLD, request)
        shown.pop(self.compact)
        return shown

    def language(
        self, drawing, name: str | None, runs, lang: str, threshold: float = DEFAULT_THRESHOLD,
        request: gr.Request = None,
    ) -> dict:  # fmt: skip
        """After a language switch: the picker's choices and the verdict in lang."""
        picker = common.picker_choices(runs, lang)
        return {self.picker: picker, **self.predict(drawing, name, runs, lang, threshold, request)}

    def show(
        self, seen: Prediction | None, predictor, note: str, runs, lang: str,
        threshold: float = DEFAULT_THRESHOLD,
    ) -> dict:  # fmt: skip
        """The picked model's verdict and bars, the 28x28 input, the shipped models' bars."""
        if seen is None:
            empty = probability_frame(None)
            return {
                self.verdict: headline(None, "", note, lang), self.bars: empty,
                self.pixels: pixels_html(None), self.mlp_bars: empty, self.cnn_bars: empty,
                self.compact: compact(None),
            }  # fmt: skip
        # The shipped MLP and CNN read the same 28x28 image: preprocessing runs once a stroke.
        shipped = [common.SHIPPED.of_kind(kind) for kind in ("mlp", "cnn")]
        mlp, cnn = [
            seen.probabilities if p is predictor else p and p.probabilities(seen.image)[0]
            for p in shipped
        ]
        label = common.model_label(predictor.name, runs, lang)
        verdict = headline(
            seen.probabilities, label, note, lang, threshold=threshold, doubt=seen.doubt
        )
        return {
            self.verdict: verdict,
            self.bars: probability_frame(finite(seen.probabilities)),
            self.pixels: pixels_html(seen.image),
            self.mlp_bars: probability_frame(finite(mlp)),
            self.cnn_bars: probability_frame(finite(cnn)),
            self.compact: compact(seen, lang, threshold),
        }
