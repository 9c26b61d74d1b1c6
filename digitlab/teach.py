"""The Inside and Evaluate tabs' contents as plain data: images, captions, tables, text.

Handlers in app.py only pick the model and pass these through; no Gradio here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from PIL import Image

from digitlab import insight
from digitlab.data import MNIST
from digitlab.predict import Predictor
from digitlab.preprocess import to_mnist
from digitlab.views import curve_frame

MAX_UNITS = 32  # first-layer units shown: 512 MLP units would bury the page
MISTAKE_TILE = 112
EMPTY_NOTE = "Draw a digit in the Draw tab to look inside the model."


def first_layer_gallery(predictor: Predictor) -> list[tuple[np.ndarray, str]]:
    """The first MAX_UNITS first-layer units (MLP, 28x28) or filters (CNN, 3x3) as tiles."""
    weights = insight.first_layer_images(predictor.model)
    kind = "unit" if weights.shape[1] == 28 else "filter"
    tiles = insight.weight_tiles(weights[:MAX_UNITS])
    return [(tile, f"{kind} {i}") for i, tile in enumerate(tiles)]


def inside_views(ink: np.ndarray | None, predictor: Predictor, preprocessing: bool = True):
    """Preprocessing strip, prediction line, saliency overlay and CNN feature-map tiles."""
    image28 = None if ink is None else to_mnist(ink)
    if image28 is None:  # no drawing, or only a stray dot
        return [], EMPTY_NOTE, None, []
    if not preprocessing:
        image28 = insight.plain_resize(ink)
    probs = predictor.probabilities(image28)[0]
    digit = int(probs.argmax())
    mode = "with preprocessing" if preprocessing else "preprocessing OFF (plain resize)"
    line = f"**{predictor.name}** reads **{digit}** ({probs[digit]:.0%} sure), {mode}."
    strip = insight.preprocess_strip(ink)
    if not preprocessing:
        raw = (np.clip(image28, 0, 1) * 255).astype(np.uint8)
        big = np.asarray(Image.fromarray(raw).resize((140, 140), Image.Resampling.NEAREST))
        strip = [strip[0], (big, "plain resize to 28x28 (what the model sees now)")]
    sal = insight.saliency(predictor.model, image28)
    # With preprocessing off the model's field is the whole canvas, squashed.
    overlay = insight.saliency_on_canvas(sal, ink) if preprocessing else _squashed_overlay(sal, ink)
    maps = insight.feature_maps(predictor.model, image28)
    map_gallery = [] if maps is None else [
        (tile, f"map {i}") for i, tile in enumerate(insight.activation_tiles(maps))
    ]  # fmt: skip
    return strip, line, overlay, map_gallery


def _squashed_overlay(sal: np.ndarray, ink: np.ndarray) -> np.ndarray:
    h, w = ink.shape
    heat = np.asarray(Image.fromarray(sal.astype(np.float32)).resize((w, h), Image.BILINEAR))
    paper = (255.0 - 150.0 * ink)[..., None] * np.ones(3)
    alpha = (0.85 * np.clip(heat, 0, 1))[..., None]
    return (paper * (1 - alpha) + insight.HEAT * alpha).round().astype(np.uint8)


def evaluate_views(predictor: Predictor, data: MNIST, k: int = 24):
    """Summary text, per-digit table, confusion picture and the most confident mistakes."""
    pred, conf = insight.predictions(predictor.model, data.test_x)  # one pass over the test set
    truth = data.test_y.cpu().numpy()
    confusion = insight.confusion_matrix(pred, truth)
    total, right = int(confusion.sum()), int(np.trace(confusion))
    summary = (
        f"**{predictor.name}**: test accuracy **{right / total:.2%}** on {total:,} test digits "
        f"({total - right} wrong). Mistakes below: most confident first."
    )
    per_digit = pd.DataFrame({
        "digit": [str(d) for d in range(10)],
        "accuracy %": (100 * confusion.diagonal() / confusion.sum(1).clip(min=1)).round(2),
        "test digits": confusion.sum(1),
        "most confused with": [_worst(confusion, d) for d in range(10)],
    })  # fmt: skip
    gallery = []
    for index, true, predicted, confidence in insight.rank_mistakes(pred, conf, truth, k):
        digit = data.test_x[index].cpu().numpy()
        tile = Image.fromarray(digit).resize((MISTAKE_TILE,) * 2, Image.Resampling.NEAREST)
        caption = f"true {true} → predicted {predicted} ({confidence:.0%})"
        gallery.append((np.asarray(tile), caption))
    return summary, per_digit, insight.confusion_image(confusion), gallery


def _worst(confusion: np.ndarray, digit: int) -> str:
    row = confusion[digit].copy()
    row[digit] = 0
    other = int(row.argmax())
    return f"{other} ({row[other]}x)" if row[other] else "-"


def run_labels(runs) -> list[str]:
    """Curve names ('Run N') of a session's runs that still have curves, oldest first."""
    return list(runs.curves()[0]) if runs else []


def shown_curves(runs, shown: list[str] | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Loss and test-accuracy frames with only the runs ticked in the Train tab."""
    losses, accuracies = runs.curves() if runs else ({}, {})
    keep = set(shown or [])
    return (
        curve_frame({k: v for k, v in losses.items() if k in keep}, "loss"),
        curve_frame({k: v for k, v in accuracies.items() if k in keep}, "test accuracy"),
    )
