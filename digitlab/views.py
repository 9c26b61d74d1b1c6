"""What the app shows, as plain data: probability frames, headlines, pixel views, run tables.

Pure functions of numpy arrays and run records; no Gradio, no torch, no shared state.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from digitlab.i18n import DEFAULT, t

DIGITS = [str(d) for d in range(10)]  # fixed category order: bars never jump around
PIXEL_SCALE = 10  # 28x28 -> 281x281 with a 1 px grid line between pixels
GRID_LEVEL = 60  # grid lines in dark grey, so black MNIST background pixels stay countable

Curve = Sequence[tuple[float, float]]  # (epoch, value)
PROBE_POINTS = 200  # the probe chart thins longer histories to this many points


def probability_frame(probabilities: np.ndarray | None) -> pd.DataFrame:
    """Ten rows digit "0".."9" -> probability (all zeros for an empty canvas)."""
    values = np.zeros(10) if probabilities is None else np.asarray(probabilities, dtype=float)
    return pd.DataFrame({"digit": DIGITS, "probability": values.round(4)})


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


def pixel_view(image28: np.ndarray | None) -> np.ndarray:
    """The 28x28 model input enlarged with a visible pixel grid, as (281, 281) uint8."""
    image = np.zeros((28, 28), np.float32) if image28 is None else np.asarray(image28)
    pixels = (np.clip(image, 0, 1) * 255).astype(np.uint8)
    size = 28 * PIXEL_SCALE + 1
    out = np.full((size, size), GRID_LEVEL, np.uint8)
    out[:-1, :-1] = np.kron(pixels, np.ones((PIXEL_SCALE, PIXEL_SCALE), np.uint8))
    out[::PIXEL_SCALE, :] = GRID_LEVEL  # grid lines over each block's first row and column
    out[:, ::PIXEL_SCALE] = GRID_LEVEL
    return out


def curve_frame(curves: dict[int, Curve], value: str) -> pd.DataFrame:
    """Long-format frame (epoch, value, run) for a multi-run gr.LinePlot; keys are run numbers."""
    # A leading NaN point (drawn as nothing) puts a run in the colour scale before its first value.
    rows = [
        row
        for number, points in curves.items()
        for run in [run_name(number)]
        for row in [(0.0, math.nan, run)] + [(epoch, y, run) for epoch, y in points]
    ]
    frame = pd.DataFrame(rows, columns=["epoch", value, "run"])
    # Explicit dtypes: an empty object column would make the plot's axes categorical.
    return frame.astype({"epoch": float, value: float, "run": str})


def run_name(number: int) -> str:
    """A run's name in the charts: "#2" in every language.

    6.31 charts fix their colour scale when first drawn, so a name that changed with the
    language would lose its colour; the name is the same in both.
    """
    return f"#{number}"


def probe_frame(points: Sequence[tuple[float, np.ndarray]]) -> pd.DataFrame:
    """Long-format frame (epoch, probability, digit) of one drawing's ten probabilities."""
    step = max(1, math.ceil(len(points) / PROBE_POINTS))
    kept = list(points[::step])
    if points and kept[-1] is not points[-1]:
        kept.append(points[-1])  # the newest point is always drawn
    # Every digit starts with a NaN point, so the colour of each digit never changes mid-run.
    rows = [(0.0, math.nan, d) for d in DIGITS] + [
        (epoch, float(p), digit)
        for epoch, probs in kept
        for digit, p in zip(DIGITS, probs, strict=True)
    ]
    frame = pd.DataFrame(rows, columns=["epoch", "probability", "digit"])
    return frame.astype({"epoch": float, "probability": float, "digit": str})
