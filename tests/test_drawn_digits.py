"""Smoke test of the drawn-digits benchmark: canvases look drawn, the shipped CNN reads them."""

from __future__ import annotations

import importlib

import numpy as np
import pytest

from digitlab.inference.preprocess import to_mnist
from digitlab.training.checkpoint import load_predictor

pytest.importorskip("skimage", reason="scikit-image (a dev dependency) draws the benchmark")
drawn = importlib.import_module("benchmarks.drawn_digits")


@pytest.fixture(scope="module")
def digits(mnist):
    """The first 50 MNIST test digits and labels as numpy."""
    return mnist.test_x[:50].numpy(), mnist.test_y[:50].numpy()


@pytest.mark.parametrize("brush", [8, 20, 36])
def test_canvas_looks_like_a_sketchpad_drawing(digits, brush):
    for i, digit in enumerate(digits[0][:20]):
        canvas = drawn.render_drawn(digit, brush, np.random.default_rng(i))
        assert canvas.shape == (280, 280, 4) and canvas.dtype == np.uint8
        assert (canvas[..., :3] == 0).all()  # black brush; the ink is in alpha
        ink = canvas[..., 3] > 127
        assert canvas[..., 3].max() == 255 and 0.005 < ink.mean() < 0.5
        # Whole digit on the canvas, never cut at the edge.
        assert not (ink[0].any() or ink[-1].any() or ink[:, 0].any() or ink[:, -1].any())
        rows = np.flatnonzero(ink.any(1))
        assert 110 <= rows[-1] - rows[0] + 1 <= 280
        # Stroke width: twice the distance from the ink's centre line to its edge (median, since
        # junctions are wider) is the brush diameter.
        width = 2 * np.median(drawn.distance_transform_edt(ink)[drawn.skeletonize(ink)])
        assert abs(width - brush) <= 1.5
        assert to_mnist(canvas) is not None


def test_thicker_brush_draws_the_same_path_with_more_ink(digits):
    canvases = drawn.render_skeleton(
        drawn.skeleton(digits[0][0]), [8, 20], np.random.default_rng(0)
    )
    thin, thick = canvases[..., 3] > 127
    assert thick.sum() > 1.5 * thin.sum()
    assert thick[thin].all()  # same place and size: the thick stroke covers the thin one


def test_shipped_cnn_reads_drawn_digits(digits, shipped):
    predictor = load_predictor(shipped["cnn"])
    correct = drawn.evaluate({"cnn": predictor}, *digits, brushes=[20])["cnn"]
    assert correct.mean() >= 0.9
