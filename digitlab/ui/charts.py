"""The charts' data: long-format pandas frames for the probability bars and the curves.

Pure functions of numpy arrays and curves; no Gradio, no torch, no shared state.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from digitlab.words import DEFAULT, t

DIGITS = [str(d) for d in range(10)]  # fixed category order: bars never jump around

Curve = Sequence[tuple[float, float]]  # (epoch, value)
PROBE_POINTS = 200  # the probe chart thins longer histories to this many points
LOSS_CEILING = 3.0  # losses drawn no higher (a fresh model starts at ln 10 = 2.3)
MARKS = "Δ"  # the series of vertical rules where a setting was changed during a run


def _clip(value: float, ceiling: float | None) -> float:
    return value if ceiling is None or not value > ceiling else ceiling


def probability_frame(probabilities: np.ndarray | None) -> pd.DataFrame:
    """Ten rows digit "0".."9" -> probability (all zeros for an empty canvas)."""
    values = np.zeros(10) if probabilities is None else np.asarray(probabilities, dtype=float)
    return pd.DataFrame({"digit": DIGITS, "probability": values.round(4)})


def curve_frame(
    curves: dict[int, Curve], value: str, marks: Sequence[float] | None = None,
    ceiling: float | None = None,
) -> pd.DataFrame:  # fmt: skip
    """Long-format frame (epoch, value, run) for a multi-run gr.LinePlot; keys are run numbers.

    marks: epochs where a setting was changed, drawn as vertical rules in a series of their
    own, MARKS (given, even empty, so that series has its colour from the first drawing).
    ceiling: values above it are drawn at it, so one exploding run leaves the scale readable.
    """
    # A leading NaN point (drawn as nothing) puts a run in the colour scale before its first value.
    rows = [
        row
        for number, points in curves.items()
        for run in [run_name(number)]
        for row in [(0.0, math.nan, run)] + [(epoch, _clip(y, ceiling), run) for epoch, y in points]
    ]
    if marks is not None:
        values = [y for _, y, _ in rows if y == y]  # not NaN
        top = max(values, default=1.0)
        # Bottom, top, then a NaN point at each mark: the chart breaks a line at a NaN, so each
        # mark is a rule of its own (joined, they drew a line along the x-axis).
        rows += [(0.0, math.nan, MARKS)] + [
            (epoch, y, MARKS) for epoch in sorted(marks) for y in (0.0, top, math.nan)
        ]
    frame = pd.DataFrame(rows, columns=["epoch", value, "run"])
    # Explicit dtypes: an empty object column would make the plot's axes categorical.
    return frame.astype({"epoch": float, value: float, "run": str})


def curves_said(curves: dict[int, Curve], value: str, lang: str = DEFAULT) -> str:
    """A curve chart in words, its text equivalent: each run's last point ("#2: epoch 3, test
    accuracy 98.9%"); value: "loss" or "test accuracy"."""
    said = []
    for number, points in curves.items():
        if points:
            epoch, y = points[-1]
            shown = f"{y:.1%}" if value == "test accuracy" else f"{y:.3f}"
            key = "plot.said_accuracy" if value == "test accuracy" else "plot.said_loss"
            said.append(t(key, lang, run=run_name(number), epoch=f"{epoch:g}", value=shown))
    return "; ".join(said)


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


SERIES = ("A", "B")  # the two models of the robustness curves, the same names in every language


def robustness_frame(points: dict[str, Curve] | None = None) -> pd.DataFrame:
    """Long-format frame (level, accuracy, model) of one robustness curve for models "A" and
    "B" (points: model -> [(level, accuracy)]); both series start with a NaN point, so each has
    its colour from the first drawing even before it has a value."""
    points = points or {}
    # The NaN points sit at the first level: elsewhere they would break a line in two.
    first = min((level for curve in points.values() for level, _ in curve), default=0.0)
    rows = [(float(first), math.nan, name) for name in SERIES] + [
        (float(level), float(value), name)
        for name in SERIES
        for level, value in points.get(name, [])
    ]
    frame = pd.DataFrame(rows, columns=["level", "accuracy", "model"])
    return frame.astype({"level": float, "accuracy": float, "model": str})
