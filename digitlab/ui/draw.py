"""The Draw tab: a canvas and a model picker in; the verdict, the bars, the 28x28 image the
model sees and the shipped MLP's and CNN's bars out, once per stroke. Also the public /predict
(a Sketchpad value) and /predict_image (a base64 PNG or JPEG) endpoints."""

from __future__ import annotations

import base64
import html
import io
import threading

import gradio as gr
import numpy as np
from PIL import Image

from digitlab.charts import probability_frame
from digitlab.i18n import DEFAULT, Text, localize, t
from digitlab.pictures import grey
from digitlab.predict import Prediction
from digitlab.safety import BadImage, decode_image
from digitlab.sessions import MAX_SESSION_MODELS
from digitlab.ui import common
from digitlab.ui.canvas import api_sketchpad, canvas, canvas_ink
from digitlab.ui.common import LIVE, PRIVATE, probability_plot, ui

# The model's 28x28 input, enlarged pixel-sharp in the page with a grid line between pixels:
# sent inline (a few hundred bytes), so a stroke writes no file and fetches no picture.
PIXELS_CSS = """
.dl-pixels { position: relative; width: min(100%, 281px); aspect-ratio: 1; margin: 0 auto; }
.dl-pixels img { display: block; width: 100%; height: 100%; image-rendering: pixelated; }
.dl-pixels::after {
  content: ""; position: absolute; inset: 0; pointer-events: none;
  background-image: linear-gradient(to right, rgb(60 60 60) 1px, transparent 1px),
    linear-gradient(to bottom, rgb(60 60 60) 1px, transparent 1px);
  background-size: calc(100% / 28) calc(100% / 28);
}
"""
# The verdict's "not sure" (a word where the digit was, the best guess small below it).
VERDICT_CSS = """
.dl-unsure .dl-word { font-size: 56px; font-weight: 700; line-height: 1.05; padding: 18px 0 8px; }
.dl-guess { font-size: 17px; opacity: 0.8; margin-top: 4px; }
"""
# The one-line verdict under the canvas: only on a narrow screen, where the columns stack and
# the big verdict falls below the first screen of a phone.
COMPACT_CSS = """
.dl-compact { display: none; }
@media (max-width: 700px) {
  .dl-compact { display: flex; align-items: baseline; justify-content: center; gap: 12px;
    font-size: 20px; }
  .dl-compact b { font-size: 40px; line-height: 1.1; }
  .dl-compact.dl-unsure { flex-wrap: wrap; row-gap: 0; text-align: center; }
  .dl-compact.dl-unsure b { font-size: 28px; }
  .dl-compact.dl-unsure span { font-size: 17px; }
  .dl-compact.dl-empty { opacity: 0.4; }
}
"""
# % sure, temperature-scaled. With the ink check, the shipped CNN says "not sure" to 0.8% of MNIST
# test 5000-9999 and 1.1% of the drawn digits (python -m benchmarks.not_sure --verdict).
DEFAULT_THRESHOLD = 70


def headline(
    probabilities: np.ndarray | None, model_name: str, note: str = "", lang: str = DEFAULT,
    *, threshold: float = 0, doubt: str | None = None,
) -> str:  # fmt: skip
    """Large top digit and confidence as HTML, or the neutral "draw a digit" prompt; "not sure"
    (the top guess small below it) when the drawing is no digit (doubt, ood.doubt's reason) or
    the model is less than threshold (in %) sure."""
    extra = f'<div class="dl-note">{html.escape(note)}</div>' if note else ""
    if probabilities is None:
        return (
            '<div class="dl-headline dl-empty"><div class="dl-digit">?</div>'
            f'<div class="dl-conf">{t("draw.empty", lang)}</div>{extra}</div>'
        )
    if not np.isfinite(probabilities).all():  # a diverged model: no digit, no "nan%"
        broken = html.escape(t("draw.no_numbers", lang, model=model_name))
        return (
            '<div class="dl-headline dl-empty"><div class="dl-digit">?</div>'
            f'<div class="dl-conf">{broken}</div>{extra}</div>'
        )
    digit = int(np.argmax(probabilities))
    confidence = float(probabilities[digit])
    why = unsure_reason(confidence, lang, threshold, doubt)
    if why:
        guess = t("trust.guess", lang, digit=digit, confidence=confidence, model=model_name)
        return (
            f'<div class="dl-headline dl-unsure"><div class="dl-word">{t("trust.not_sure", lang)}'
            f'</div><div class="dl-conf">{html.escape(why)}</div>'
            f'<div class="dl-guess">{html.escape(guess)}</div>{extra}</div>'
        )
    sure = t("draw.sure", lang, confidence=confidence, model=model_name)
    return (
        f'<div class="dl-headline"><div class="dl-digit">{digit}</div>'
        f'<div class="dl-conf">{html.escape(sure)}</div>{extra}</div>'
    )


def unsure_reason(
    confidence: float, lang: str, threshold: float = 0, doubt: str | None = None
) -> str:
    """Why the verdict is "not sure" ("" when it is not): no digit drawn, or too little sure."""
    if doubt:
        return t(f"trust.{doubt}", lang)
    if 100 * confidence < threshold:
        return t("trust.low", lang, confidence=confidence, threshold=round(threshold))
    return ""


def compact(seen: Prediction | None, lang: str = DEFAULT, threshold: float = 0) -> str:
    """The verdict in one line, under the canvas on a phone (where the big one is below it):
    "not sure" gives the big verdict's reason (a dot is no digit, however sure the model is)."""
    if seen is None or not np.isfinite(seen.probabilities).all():
        return '<div class="dl-compact dl-empty">?</div>'
    why = unsure_reason(seen.confidence, lang, threshold, seen.doubt)
    if why:
        word = html.escape(t("trust.not_sure", lang))
        guess = "" if seen.doubt else f"{seen.digit}? "  # too little sure: which digit, though
        return (
            f'<div class="dl-compact dl-unsure"><b>{word}</b>'
            f"<span>{guess}{html.escape(why)}</span></div>"
        )
    sure = t("trust.compact_sure", lang, confidence=seen.confidence)
    return f'<div class="dl-compact"><b>{seen.digit}</b><span>{html.escape(sure)}</span></div>'


def pixels_html(image28: np.ndarray | None) -> str:
    """The 28x28 model input (black when nothing is drawn) as an inline PNG in HTML."""
    png = io.BytesIO()
    Image.fromarray(grey(np.zeros((28, 28)) if image28 is None else image28)).save(png, "PNG")
    data = base64.b64encode(png.getvalue()).decode()
    return f'<div class="dl-pixels"><img alt="28x28" src="data:image/png;base64,{data}"></div>'


class LabelRow:
    """The Draw tab's row that labels the canvas's drawing ("This is a: 7") into the session's
    set, and the class's with a class code: the Teach tab wires it (teach.py), as its own
    digit buttons. Ten buttons in one row even on a phone (app.py's CSS, #dl-label-row)."""

    def __init__(self) -> None:
        ui(gr.Markdown, value=Text("draw.label_hint"), elem_id="dl-label-hint")
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
                self.picker = ui(
                    gr.Dropdown, choices=common.model_choices(None), value=first,
                    label=Text("draw.model"), info=Text("draw.model_info", n=MAX_SESSION_MODELS),
                    elem_id="dl-picker",
                )  # fmt: skip
            with gr.Column(scale=1, min_width=320):
                self.verdict = gr.HTML(
                    headline(None, ""), css_template=VERDICT_CSS, elem_id="dl-verdict"
                )
                self.threshold = ui(
                    gr.Slider, minimum=0, maximum=100, step=5, value=DEFAULT_THRESHOLD,
                    label=Text("trust.threshold"), info=Text("trust.threshold_info"),
                    elem_id="dl-threshold",
                )  # fmt: skip
                self.bars = probability_plot(Text("draw.probabilities"), height=240)
            with gr.Column(scale=1, min_width=300):
                self.pixels = ui(
                    gr.HTML, pixels_html(None), label=Text("draw.pixels"), show_label=True,
                    container=True, css_template=PIXELS_CSS, elem_id="dl-pixels",
                )  # fmt: skip
        ui(gr.Markdown, value=Text("draw.compare"))
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
        gr.on(triggers, self.predict, inputs, outputs, api_name="predict_canvas", **PRIVATE, **LIVE)
        # The public /predict keeps its inputs and outputs (the default threshold).
        self.pad.change(self.predict_api, [self.pad, *inputs[1:4]], api_outputs,
                        api_name="predict", **LIVE)  # fmt: skip
        # A language switch says the verdict again in the new language.
        lang.then(self.language, inputs, [*outputs, self.picker])
        gr.api(predict_image, api_name="predict_image", concurrency_limit=None)
        # Shipped checkpoints saved without a temperature get theirs fitted now, not on a
        # student's first stroke (a no-op for checkpoints that store one).
        threading.Thread(target=fit_shipped_temperatures, daemon=True).start()

    def predict(
        self, drawing: str | dict | None, name: str | None, runs, lang: str = DEFAULT,
        threshold: float = DEFAULT_THRESHOLD, request: gr.Request = None,
    ) -> dict:  # fmt: skip
        """Classify the drawing with the picked model (once per stroke, and on Clear)."""
        try:
            ink = canvas_ink(drawing)
        except BadImage as error:
            raise common.Refusal(t("draw.bad_canvas", lang, error=localize(error, lang))) from None
        predictor, note = common.find_model(name, runs, lang)
        seen = None if ink is None or predictor is None else predictor.predict(ink)
        if request is not None and request.session_hash:  # the session's training run follows it
            common.DRAWINGS.probe(request.session_hash).image = None if seen is None else seen.image
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


def fit_shipped_temperatures() -> None:
    """Each shipped model's temperature, fitted once if its checkpoint stores none."""
    for kind in ("cnn", "mlp"):
        predictor = common.SHIPPED.of_kind(kind)
        if predictor is not None:
            predictor.temperature  # noqa: B018 (fitted and cached on first read)


def finite(probabilities: np.ndarray | None) -> np.ndarray | None:
    """The probabilities if they are numbers (a diverged model's are NaN: no bars then)."""
    ok = probabilities is not None and np.isfinite(probabilities).all()
    return probabilities if ok else None


def shipped_model(model: str):
    """The shipped predictor for /predict_image's model: "" (the first), a kind ("cnn",
    "mlp", any case) or a picker name. An unknown name is refused with the valid ones."""
    names = common.SHIPPED.names()
    if not names:
        raise common.Refusal("No shipped model is installed on this server.")
    if not model:
        return common.SHIPPED.get(names[0])
    found = common.SHIPPED.of_kind(model.lower()) or common.SHIPPED.get(model)
    if found is None:
        kinds = [kind for kind in ("cnn", "mlp") if common.SHIPPED.of_kind(kind)]
        valid = ", ".join(f'"{name}"' for name in [*kinds, *names])
        raise common.Refusal(f'model: unknown model "{model}"; valid names: {valid} (or "").')
    return found


def predict_image(image: str, model: str = "") -> dict:
    """Classify a base64 PNG/JPEG (data URL or bare base64) with a shipped model.

    model: "cnn", "mlp", a picker name, or "" for the first shipped model; any other name is
    refused. Returns {"digit", "confidence", "probabilities", "model", "not_sure"}; digit is
    null for an empty image. The probabilities are temperature-scaled; not_sure is true when
    the image does not look like a digit (a dot, a blob) or the model is below 70% sure.
    """
    if not isinstance(model, str):
        raise common.Refusal(
            'model: expected a name such as "cnn" or "mlp" (or "" for the default).'
        )
    predictor = shipped_model(model)
    try:
        picture = decode_image(image)  # size limits are checked before any pixel is decoded
    except BadImage as error:
        raise common.Refusal(f"image: {error}") from None
    seen = predictor.predict(picture)
    if seen is None:
        return {
            "digit": None, "confidence": 0.0, "probabilities": [0.0] * 10, "model": "",
            "not_sure": False,
        }  # fmt: skip
    return {
        "digit": seen.digit,
        "confidence": seen.confidence,
        "probabilities": [float(p) for p in seen.probabilities],
        "model": predictor.name,
        "not_sure": bool(unsure_reason(seen.confidence, DEFAULT, DEFAULT_THRESHOLD, seen.doubt)),
    }
