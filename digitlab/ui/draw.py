"""Draw tab handlers: the canvas (or an image over HTTP) in, the verdict and bars out."""

from __future__ import annotations

import gradio as gr
import numpy as np

from digitlab.i18n import DEFAULT, localize, t
from digitlab.preprocess import editor_to_image, to_mnist
from digitlab.safety import BadImage, check_canvas, decode_image
from digitlab.ui import shared
from digitlab.views import headline, pixel_view, probability_frame


def classify(image28: np.ndarray | None, name: str | None, runs, lang: str = DEFAULT):
    """Headline, bars, pixel view and the shipped MLP/CNN bars for one 28x28 image."""
    predictor, note = shared.find_model(name, runs, lang)
    if image28 is None or predictor is None:
        empty = probability_frame(None)
        return headline(None, "", note, lang), empty, pixel_view(image28), empty, empty
    compare = [shared.SHIPPED.of_kind(kind) for kind in ("mlp", "cnn")]
    probs = [p.probabilities(image28)[0] if p else None for p in [predictor, *compare]]
    return (
        headline(probs[0], shared.model_label(predictor.name, runs, lang), note, lang),
        probability_frame(probs[0]),
        pixel_view(image28),
        probability_frame(probs[1]),
        probability_frame(probs[2]),
    )


def predict(
    sketch: dict | None, name: str | None, runs, lang: str = DEFAULT, request: gr.Request = None
):
    """Classify the canvas with the picked model (called after every stroke)."""
    try:
        check_canvas(sketch)
    except BadImage as error:
        raise gr.Error(t("draw.bad_canvas", lang, error=localize(error, lang))) from None
    ink = editor_to_image(sketch)
    image28 = None if ink is None else to_mnist(ink)
    if request is not None and request.session_hash:
        shared.DRAWINGS.probe(request.session_hash).image = image28  # a training run follows it
    return classify(image28, name, runs, lang)


def clear_canvas(name: str | None, runs, lang: str = DEFAULT, request: gr.Request = None):
    """The empty canvas: neutral outputs, and nothing for a training run to follow."""
    if request is not None and request.session_hash:
        shared.DRAWINGS.probe(request.session_hash).image = None
    return classify(None, name, runs, lang)


def predict_image(image: str, model: str = "") -> dict:
    """Classify a base64 PNG/JPEG (data URL or bare base64) with a shipped model.

    model: a picker name, "cnn" or "mlp"; empty = the first shipped model. Returns
    {"digit", "confidence", "probabilities", "model"}; digit is null for an empty image.
    """
    if not isinstance(model, str):
        raise gr.Error('model: expected a name such as "cnn" or "mlp" (or "" for the default).')
    predictor = shared.SHIPPED.of_kind(model.lower()) or shared.find_model(model, None)[0]
    if predictor is None:
        raise gr.Error("No shipped model is installed on this server.")
    try:
        picture = decode_image(image)  # size limits are checked before any pixel is decoded
    except BadImage as error:
        raise gr.Error(f"image: {error}") from None
    image28 = to_mnist(picture)
    if image28 is None:
        return {"digit": None, "confidence": 0.0, "probabilities": [0.0] * 10, "model": ""}
    probs = predictor.probabilities(image28)[0]
    digit = int(probs.argmax())
    return {
        "digit": digit,
        "confidence": float(probs[digit]),
        "probabilities": [float(p) for p in probs],
        "model": predictor.name,
    }
