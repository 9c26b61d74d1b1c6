"""Inside and Evaluate tab handlers: what the picked model does with the drawing, and how it
does on the test set."""

from __future__ import annotations

import gradio as gr

from digitlab import teach
from digitlab.data import DataError, load_mnist
from digitlab.i18n import DEFAULT, localize, t
from digitlab.preprocess import editor_to_image
from digitlab.safety import BadImage, check_canvas
from digitlab.ui import shared


def inside(sketch: dict | None, name: str | None, preprocessing: bool, runs, lang=DEFAULT):
    """Inside tab for the Draw tab's drawing and model: strip, verdict, saliency, maps."""
    predictor, _ = shared.find_model(name, runs, lang)
    if predictor is None:
        return [], t("draw.no_model", lang), None, []
    try:
        check_canvas(sketch)
    except BadImage:
        sketch = None  # the Draw tab already says what is wrong with it
    label = shared.model_label(predictor.name, runs, lang)
    return teach.inside_views(editor_to_image(sketch), predictor, bool(preprocessing), label, lang)


def first_layer(name: str | None, runs, lang: str = DEFAULT) -> list:
    """The picked model's first-layer weights (they do not change with the drawing)."""
    predictor, _ = shared.find_model(name, runs, lang)
    return [] if predictor is None else teach.first_layer_gallery(predictor, lang)


def evaluate_model(name: str | None, runs, lang: str = DEFAULT):
    """Test accuracy, per-digit table, confusion picture and most confident mistakes."""
    predictor, note = shared.find_model(name, runs, lang)
    if predictor is None:
        raise gr.Error(t("msg.nothing_to_evaluate", lang))
    try:
        data = load_mnist()
    except DataError as error:
        raise gr.Error(localize(error, lang), title=t("msg.no_data_title", lang)) from None
    label = shared.model_label(predictor.name, runs, lang)
    summary, per_digit, picture, gallery = teach.evaluate_views(predictor, data, 24, label, lang)
    return (f"{note}\n\n{summary}" if note else summary), per_digit, picture, gallery
