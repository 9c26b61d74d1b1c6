"""The styled-digit set: seeded, balanced, drawn like the canvas, read by the shipped CNN."""

from __future__ import annotations

import numpy as np
import pytest

from benchmarks import styled_digits as sd
from benchmarks.strokes import GLYPHS, STYLES, render
from digitlab.inference.preprocess import to_mnist
from digitlab.training.checkpoint import SHIPPED, load_predictor


@pytest.fixture(scope="module")
def small():
    """Two hands per style at every width, from a seed that is not the benchmark's."""
    return sd.styled_set(seed=7, per_variant=2)


def test_same_seed_same_set_other_seed_other_set(small):
    again, other = sd.styled_set(seed=7, per_variant=2), sd.styled_set(seed=8, per_variant=2)
    for a, b in zip(small, again, strict=True):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(small.labels, other.labels)  # same grid of styles and widths...
    differs = (small.images != other.images).any(axis=(1, 2))
    assert differs.all()  # ...but every drawing is another hand's


def test_every_style_at_every_width_equally_often(small):
    n = len(STYLES) * 2 * len(sd.WIDTHS)
    assert small.images.shape == (n, 28, 28) and small.images.dtype == np.uint8
    assert set(STYLES) >= {"7-crossed", "7-plain", "1-flag", "1-plain", "1-euro", "4-open"}
    assert set(STYLES) >= {"4-closed", "9-curl", "9-straight", "2-loop", "2-plain"}
    for digit in (0, 3, 5, 6, 8):
        assert sum(GLYPHS[s][0] == digit for s in STYLES) >= 2
    for style in STYLES:
        for width in sd.WIDTHS:
            rows = (small.styles == style) & (small.widths == width)
            assert rows.sum() == 2
            assert (small.labels[rows] == GLYPHS[style][0]).all()
    assert set(small.labels) == set(range(10))


def test_images_are_centred_digits_like_mnist(small):
    ink = small.images.astype(np.float64) / 255
    assert (ink.max(axis=(1, 2)) > 0.9).all()
    assert (ink.sum(axis=(1, 2)) > 15).all()  # a real stroke, not a speck
    # to_mnist's frame: the longer side fits 20 px and the centre of mass sits near (14, 14).
    rows, cols = np.arange(28)[None, :, None], np.arange(28)[None, None, :]
    total = ink.sum(axis=(1, 2))
    cy, cx = (ink * rows).sum(axis=(1, 2)) / total, (ink * cols).sum(axis=(1, 2)) / total
    assert np.abs(cy - 14).max() < 1.5 and np.abs(cx - 14).max() < 1.5
    for image in ink:
        rows, cols = np.flatnonzero(image.any(1)), np.flatnonzero(image.any(0))
        assert 17 <= max(np.ptp(rows), np.ptp(cols)) + 1 <= 20


def test_thicker_brush_inks_more_of_the_same_drawing(small):
    ink = small.images.astype(np.float64).sum(axis=(1, 2)).reshape(-1, len(sd.WIDTHS))
    # Rows come per hand in width order 12, 18, 24, 32: more ink with every step.
    assert (np.diff(ink, axis=1) > 0).mean() > 0.95


def test_width_is_the_brush_diameter():
    # A vertical pen path: across any row, the ink adds up to the width (round brush, 1 px rim).
    line = [np.array([[140.0, 40.0], [140.0, 240.0]])]
    canvases = render(line, sd.WIDTHS)
    assert canvases.shape == (len(sd.WIDTHS), 280, 280, 4)
    for canvas, width in zip(canvases, sd.WIDTHS, strict=True):
        assert abs(canvas[140, :, 3].sum() / 255 - width) < 0.1
        assert (canvas[..., :3] == 0).all()  # black ink; the alpha carries it


def test_training_canvases_look_like_sketchpad_drawings():
    canvases, labels, styles, widths = sd.styled_canvases(seed=1, n=24)
    assert canvases.shape == (24, 280, 280, 4) and canvases.dtype == np.uint8
    assert [GLYPHS[s][0] for s in styles] == labels.tolist()
    assert set(widths) <= set(sd.WIDTHS)
    again = sd.styled_canvases(seed=1, n=24)[0]
    np.testing.assert_array_equal(canvases, again)
    for canvas in canvases:
        ink = canvas[..., 3] > 127
        assert canvas[..., 3].max() == 255
        # The whole digit is on the canvas, never cut at the edge.
        assert not (ink[0].any() or ink[-1].any() or ink[:, 0].any() or ink[:, -1].any())
        assert np.ptp(np.flatnonzero(ink.any(1))) >= 110
        assert to_mnist(canvas) is not None


def test_training_never_draws_the_benchmark_seed():
    with pytest.raises(ValueError, match="held-out"):
        sd.styled_canvases(seed=sd.BENCHMARK_SEED, n=1)


@pytest.fixture(scope="module")
def cnn(shipped):  # conftest's `shipped` fails when checkpoints/*.pt are missing
    return load_predictor(shipped["cnn"])


def test_shipped_cnn_reads_every_digit_of_the_benchmark(cnn):
    data = sd.styled_set(sd.BENCHMARK_SEED, per_variant=10)
    hits = sd.predict(cnn, data.images) == data.labels
    per_digit = [hits[data.labels == d].mean() for d in range(10)]
    # Chance is 10%; at 40 hands the shipped CNN read every digit at 91.9% or better.
    assert min(per_digit) > 0.6, per_digit
    assert hits.mean() > 0.9


def test_command_line_reports_every_slice(cnn, capsys, tmp_path):
    sd.main(
        ["--per-variant", "1", "--model", str(SHIPPED["cnn"]), "--sheet", str(tmp_path / "s.png")]
    )
    out = capsys.readouterr().out
    for row in ["all", *(f"brush {w} px" for w in sd.WIDTHS), "digit 0", "digit 9"]:
        assert f"| {row} |" in out
    for style in STYLES:
        assert f"| style {style} | 4 |" in out
    assert "cnn acc" in out and (tmp_path / "s.png").stat().st_size > 10_000


def test_training_images_are_seeded_model_inputs_of_every_digit():
    images, labels = sd.styled_images(seed=3, n=60)
    assert images.shape == (60, 28, 28) and images.dtype == np.uint8
    assert labels.dtype == np.int64 and set(labels) <= set(range(10)) and len(set(labels)) >= 8
    again, _ = sd.styled_images(seed=3, n=60)
    np.testing.assert_array_equal(images, again)
    assert (images != sd.styled_images(seed=4, n=60)[0]).any(axis=(1, 2)).mean() > 0.9
    # Framed as to_mnist frames a drawing: the longer side 17-20 px; strong ink even from the
    # thinnest brush (8 px on a 230 px digit is under one pixel wide at 28x28).
    for image in images:
        rows, cols = np.flatnonzero(image.any(1)), np.flatnonzero(image.any(0))
        assert 17 <= max(np.ptp(rows), np.ptp(cols)) + 1 <= 20 and image.max() > 180
    with pytest.raises(ValueError, match="held-out"):
        sd.styled_images(seed=sd.BENCHMARK_SEED, n=1)
