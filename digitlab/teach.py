"""The Inside and Evaluate tabs' contents as plain data: images, captions, tables, text.

Handlers in app.py only pick the model and pass these through; no Gradio here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from PIL import Image

from digitlab import insight
from digitlab.data import MNIST
from digitlab.i18n import DEFAULT, t
from digitlab.predict import Predictor
from digitlab.preprocess import to_mnist
from digitlab.views import curve_frame, run_name

MAX_UNITS = 32  # first-layer units shown: 512 MLP units would bury the page
MISTAKE_TILE = 112


def first_layer_gallery(predictor: Predictor, lang: str = DEFAULT) -> list[tuple[np.ndarray, str]]:
    """The first MAX_UNITS first-layer units (MLP, 28x28) or filters (CNN, 3x3) as tiles."""
    weights = insight.first_layer_images(predictor.model)
    kind = "inside.unit" if weights.shape[1] == 28 else "inside.filter"
    tiles = insight.weight_tiles(weights[:MAX_UNITS])
    return [(tile, t(kind, lang, i=i)) for i, tile in enumerate(tiles)]


def inside_views(
    ink: np.ndarray | None,
    predictor: Predictor,
    preprocessing: bool = True,
    model_label: str = "",
    lang: str = DEFAULT,
):
    """Preprocessing strip, prediction line, saliency overlay and CNN feature-map tiles."""
    image28 = None if ink is None else to_mnist(ink)
    if image28 is None:  # no drawing, or only a stray dot
        return [], t("inside.empty", lang), None, []
    if not preprocessing:
        image28 = insight.plain_resize(ink)
    probs = predictor.probabilities(image28)[0]
    digit = int(probs.argmax())
    mode = t("inside.with" if preprocessing else "inside.without", lang)
    line = t(
        "inside.reads", lang, model=model_label or predictor.name, digit=digit,
        confidence=probs[digit], mode=mode,
    )  # fmt: skip
    strip = insight.preprocess_strip(ink, lang)
    if not preprocessing:
        raw = (np.clip(image28, 0, 1) * 255).astype(np.uint8)
        big = np.asarray(Image.fromarray(raw).resize((140, 140), Image.Resampling.NEAREST))
        strip = [strip[0], (big, t("strip.plain", lang))]
    sal = insight.saliency(predictor.model, image28)
    # With preprocessing off the model's field is the whole canvas, squashed.
    overlay = insight.saliency_on_canvas(sal, ink) if preprocessing else _squashed_overlay(sal, ink)
    maps = insight.feature_maps(predictor.model, image28)
    map_gallery = [] if maps is None else [
        (tile, t("inside.map", lang, i=i)) for i, tile in enumerate(insight.activation_tiles(maps))
    ]  # fmt: skip
    return strip, line, overlay, map_gallery


def _squashed_overlay(sal: np.ndarray, ink: np.ndarray) -> np.ndarray:
    h, w = ink.shape
    heat = np.asarray(Image.fromarray(sal.astype(np.float32)).resize((w, h), Image.BILINEAR))
    paper = (255.0 - 150.0 * ink)[..., None] * np.ones(3)
    alpha = (0.85 * np.clip(heat, 0, 1))[..., None]
    return (paper * (1 - alpha) + insight.HEAT * alpha).round().astype(np.uint8)


def evaluate_views(
    predictor: Predictor, data: MNIST, k: int = 24, model_label: str = "", lang: str = DEFAULT
):
    """Summary text, per-digit table, confusion picture and the most confident mistakes."""
    pred, conf = insight.predictions(predictor.model, data.test_x)  # one pass over the test set
    truth = data.test_y.cpu().numpy()
    confusion = insight.confusion_matrix(pred, truth)
    total, right = int(confusion.sum()), int(np.trace(confusion))
    summary = t(
        "eval.summary", lang, model=model_label or predictor.name, accuracy=right / total,
        total=total, wrong=total - right,
    )  # fmt: skip
    accuracy = 100 * confusion.diagonal() / confusion.sum(1).clip(min=1)
    per_digit = pd.DataFrame({
        t("col.digit", lang): [str(d) for d in range(10)],
        t("col.accuracy", lang): accuracy.round(2),
        t("col.count", lang): confusion.sum(1),
        t("col.confused", lang): [_worst(confusion, d) for d in range(10)],
    })  # fmt: skip
    gallery = []
    for index, true, predicted, confidence in insight.rank_mistakes(pred, conf, truth, k):
        digit = data.test_x[index].cpu().numpy()
        tile = Image.fromarray(digit).resize((MISTAKE_TILE,) * 2, Image.Resampling.NEAREST)
        caption = t("eval.mistake", lang, true=true, predicted=predicted, confidence=confidence)
        gallery.append((np.asarray(tile), caption))
    return summary, per_digit, insight.confusion_image(confusion), gallery


def _worst(confusion: np.ndarray, digit: int) -> str:
    row = confusion[digit].copy()
    row[digit] = 0
    other = int(row.argmax())
    return f"{other} ({row[other]}x)" if row[other] else "-"


def run_labels(runs) -> list[tuple[str, int]]:
    """(name, run number) of a session's runs that still have curves, oldest first."""
    numbers = list(runs.curves()[0]) if runs else []
    return [(run_name(n), n) for n in numbers]


def shown_curves(runs, shown: list[int] | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Loss and test-accuracy frames with only the runs ticked (by number) in the Train tab."""
    losses, accuracies = runs.curves() if runs else ({}, {})
    keep = set(shown or [])
    return (
        curve_frame({k: v for k, v in losses.items() if k in keep}, "loss"),
        curve_frame({k: v for k, v in accuracies.items() if k in keep}, "test accuracy"),
    )
