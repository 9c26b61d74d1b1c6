"""Preprocessing on real MNIST digits, against an independent numpy reference."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from digitlab.inference.preprocess import steps, to_mnist
from tests.test_preprocess import CANVAS, _com


def _reference(ink: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Independent reference: bbox crop, area-average resize by overlap matrices, COM shift.

    Returns the 20-px image and the 28x28 one.
    """
    rows, cols = np.flatnonzero((ink > 0.05).any(1)), np.flatnonzero((ink > 0.05).any(0))
    crop = ink[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1].astype(np.float64)
    scale = 20 / max(crop.shape)
    out_h, out_w = (max(1, round(n * scale)) for n in crop.shape)

    def overlap(n_in: int, n_out: int) -> np.ndarray:  # (n_out, n_in) area weights
        edges = np.arange(n_out + 1) * n_in / n_out
        lo, hi = edges[:-1, None], edges[1:, None]
        j = np.arange(n_in)[None, :]
        w = np.clip(np.minimum(hi, j + 1) - np.maximum(lo, j), 0, None)
        return w / w.sum(1, keepdims=True)

    small = overlap(crop.shape[0], out_h) @ crop @ overlap(crop.shape[1], out_w).T
    cy = (small.sum(1) @ np.arange(out_h)) / small.sum()
    cx = (small.sum(0) @ np.arange(out_w)) / small.sum()
    y0 = int(np.clip(np.floor(14 - cy + 0.5), 0, 28 - out_h))
    x0 = int(np.clip(np.floor(14 - cx + 0.5), 0, 28 - out_w))
    out = np.zeros((28, 28))
    out[y0 : y0 + out_h, x0 : x0 + out_w] = small
    return small, out


@pytest.fixture(scope="module")
def mnist_test(mnist) -> np.ndarray:
    """The first 300 real MNIST test digits, (N, 28, 28) uint8."""
    return mnist.test_x[:300].numpy()


def _upscale(digit: np.ndarray, resample: Image.Resampling) -> np.ndarray:
    """A 28x28 MNIST digit drawn on the 280x280 canvas."""
    return np.asarray(Image.fromarray(digit).resize((CANVAS, CANVAS), resample))


def test_real_mnist_digits_survive_a_10x_canvas(mnist_test):
    def mean_error(resample: Image.Resampling) -> float:
        return np.mean(
            [np.abs(to_mnist(_upscale(d, resample)) - d / 255).mean() for d in mnist_test]
        )

    # Nearest-neighbour 10x is MNIST drawn on the canvas; preprocessing must give the digit back.
    # Measured < 1e-5; a one-pixel shift or a stretch to 20x20 gives >= 0.06.
    assert mean_error(Image.Resampling.NEAREST) < 0.025
    # Smooth (bilinear) upscale: different edges, same digit. Measured ~0.033; broken >= 0.064.
    assert mean_error(Image.Resampling.BILINEAR) < 0.045


def test_matches_an_independent_reference_on_real_digits(mnist_test):
    same_place = 0
    for digit in mnist_test[:100]:
        canvas = _upscale(digit, Image.Resampling.BILINEAR)
        ours, (small, placed) = steps(canvas), _reference(canvas / 255)
        assert ours["scaled"].shape == small.shape
        # PIL's box filter weighs edge pixels whole, not by overlap: measured max 0.034, mean 0.008.
        assert np.abs(ours["scaled"] - small).max() < 0.08
        assert np.abs(ours["scaled"] - small).mean() < 0.015
        assert all(abs(c - 14) <= 0.5 + 1e-6 for c in _com(ours["centred"]))
        same_place += np.abs(ours["centred"] - placed).mean() < 0.01
    # Both round the centre of mass to a whole pixel, so a centre within float noise of a
    # half pixel may land one pixel apart (measured: 2 of 100).
    assert same_place >= 95
