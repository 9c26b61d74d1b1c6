"""Canvas -> 28x28: what a user would notice (empty canvas, position, size, colours, aspect)."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from digitlab.inference.preprocess import ink_mask, steps, to_mnist

CANVAS = 280
# Digits as polylines in a unit box, (x, y) with y down; rendered anti-aliased by _draw.
SEVEN = [[(0.0, 0.0), (1.0, 0.0), (0.35, 1.0)], [(0.3, 0.5), (0.85, 0.5)]]
FOUR = [[(0.7, 1.0), (0.7, 0.0), (0.0, 0.65), (1.0, 0.65)]]
TWO = [[(0.0, 0.2), (0.3, 0.0), (0.8, 0.05), (0.9, 0.35), (0.0, 1.0), (1.0, 1.0)]]
DIGITS = {"seven": SEVEN, "four": FOUR, "two": TWO}


def _draw(polylines, height, top=40.0, left=60.0, width=None, brush=18.0, size=CANVAS):
    """Ink (size, size) float in [0, 1]: round-brush polylines with a 1-px anti-aliased edge."""
    width = 0.7 * height if width is None else width
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float64) + 0.5  # pixel centres
    dist = np.full((size, size), np.inf)
    for line in polylines:
        pts = np.array(line) * [width, height] + [left, top]
        for (x0, y0), (x1, y1) in zip(pts[:-1], pts[1:], strict=True):
            dx, dy = x1 - x0, y1 - y0
            t = np.clip(((xx - x0) * dx + (yy - y0) * dy) / max(dx * dx + dy * dy, 1e-9), 0, 1)
            dist = np.minimum(dist, np.hypot(xx - x0 - t * dx, yy - y0 - t * dy))
    return np.clip(brush / 2 + 0.5 - dist, 0.0, 1.0)


def _u8(ink: np.ndarray) -> np.ndarray:
    return np.round(ink * 255).astype(np.uint8)


def _bbox(img: np.ndarray, threshold: float = 0.05) -> tuple[int, int]:
    """(height, width) of the pixels above threshold."""
    rows, cols = np.flatnonzero((img > threshold).any(1)), np.flatnonzero((img > threshold).any(0))
    return int(rows[-1] - rows[0] + 1), int(cols[-1] - cols[0] + 1)


def _com(img: np.ndarray) -> tuple[float, float]:
    """Centre of mass in pixel-index coordinates (row, col)."""
    total = img.sum()
    return float(img.sum(1) @ np.arange(28) / total), float(img.sum(0) @ np.arange(28) / total)


@pytest.mark.parametrize(
    "canvas",
    [
        np.zeros((CANVAS, CANVAS), np.uint8),  # black L
        np.full((CANVAS, CANVAS, 3), 255, np.uint8),  # white RGB
        np.zeros((CANVAS, CANVAS, 4), np.uint8),  # transparent RGBA
        np.full((CANVAS, CANVAS, 4), 255, np.uint8),  # opaque white RGBA (Gradio background)
        np.full((CANVAS, CANVAS), 0.02, np.float32),  # faint noise only
    ],
)
def test_empty_canvas_gives_none(canvas):
    assert to_mnist(canvas) is None
    assert steps(canvas) is None


def test_tiny_dot_gives_none_but_a_small_digit_does_not():
    dot = np.zeros((CANVAS, CANVAS), np.uint8)
    dot[100:104, 150:153] = 255
    assert to_mnist(dot) is None
    small = _u8(_draw(SEVEN, height=30, brush=4))
    assert to_mnist(small) is not None


@pytest.mark.parametrize("name", DIGITS)
def test_output_is_mnist_like(name):
    out = to_mnist(_u8(_draw(DIGITS[name], height=180)))
    assert out.shape == (28, 28) and out.dtype == np.float32
    assert out.min() >= 0.0 and out.max() <= 1.0 and out.max() > 0.9
    assert abs(max(_bbox(out)) - 20) <= 1  # longer side fitted to 20 px, like MNIST
    cy, cx = _com(out)
    # Integer placement of the centre of mass at pixel 14: off by at most half a pixel.
    assert abs(cy - 14) <= 0.5 + 1e-6 and abs(cx - 14) <= 0.5 + 1e-6


@pytest.mark.parametrize("name", DIGITS)
def test_position_on_canvas_does_not_matter(name):
    ink = _draw(DIGITS[name], height=150, top=10.0, left=15.0)
    moved = np.roll(ink, (107, 124), axis=(0, 1))  # whole canvas pixels: identical crop
    np.testing.assert_array_equal(to_mnist(moved), to_mnist(ink))
    # Subpixel moves change the anti-aliasing; the centre of mass is placed to the nearest pixel
    # (as MNIST did), so the result may step by one pixel but must otherwise be the same.
    a = to_mnist(ink)
    b = to_mnist(_draw(DIGITS[name], height=150, top=117.3, left=139.6))
    diffs = [
        np.abs(a - np.roll(b, (dy, dx), axis=(0, 1))) for dy in (-1, 0, 1) for dx in (-1, 0, 1)
    ]
    best = min(diffs, key=np.mean)
    assert best.mean() < 0.015 and best.max() < 0.25  # measured <= 0.006 and 0.19


@pytest.mark.parametrize("name", DIGITS)
def test_size_on_canvas_does_not_matter(name):
    small = to_mnist(_draw(DIGITS[name], height=110, brush=12, top=50.0, left=70.0))
    big = to_mnist(_draw(DIGITS[name], height=220, brush=24, top=20.0, left=40.0))
    assert np.abs(small - big).mean() < 0.01
    assert np.abs(small - big).max() < 0.15


def test_thin_one_keeps_its_aspect_ratio():
    one = np.zeros((CANVAS, CANVAS), np.uint8)
    one[40:240, 130:146] = 255  # 200 tall, 16 wide
    height, width = _bbox(to_mnist(one))
    assert height == 20
    assert width <= 3  # 16 * 20 / 200 = 1.6 px, not stretched to a 20x20 block


def test_inverted_colours_give_the_same_image():
    ink = _u8(_draw(FOUR, height=170))
    white_on_black = to_mnist(ink)
    black_on_white = to_mnist(np.repeat((255 - ink)[..., None], 3, axis=2))
    np.testing.assert_allclose(black_on_white, white_on_black, atol=1e-5)


def test_alpha_ink_of_any_colour_equals_the_grey_version():
    ink = _u8(_draw(TWO, height=160))
    rgba = np.zeros((CANVAS, CANVAS, 4), np.uint8)
    rgba[..., :3] = (200, 30, 60)  # a red brush: colour must not matter, only alpha
    rgba[..., 3] = ink
    np.testing.assert_allclose(to_mnist(rgba), to_mnist(ink), atol=1e-6)
    np.testing.assert_allclose(to_mnist(Image.fromarray(rgba)), to_mnist(ink), atol=1e-6)


def test_off_white_paper_counts_as_background():
    ink = _draw(SEVEN, height=170)
    paper = 0.9 - 0.9 * ink  # grey paper at 0.9, black ink
    np.testing.assert_allclose(to_mnist(paper), to_mnist(ink), atol=1e-4)


def test_nan_pixels_count_as_background():
    ink = _draw(SEVEN, height=170).astype(np.float32)
    noisy = ink.copy()
    noisy[::7, ::5] = np.where(ink[::7, ::5] > 0, ink[::7, ::5], np.nan)
    np.testing.assert_allclose(to_mnist(noisy), to_mnist(ink), atol=1e-6)


@pytest.mark.parametrize(
    "image",
    [
        np.zeros((1, 1), np.uint8),
        np.full((1, 1, 4), 255, np.uint8),
        np.full((CANVAS, CANVAS), 255, np.uint8),  # all ink on L reads as white paper
        np.full((CANVAS, CANVAS, 4), 255, np.uint8),
        np.full((CANVAS, CANVAS), np.nan, np.float32),
        np.full((5, 7, 1), 200.0),
        Image.new("P", (40, 40)),
        Image.new("1", (40, 40)),
    ],
    ids=["1x1", "1x1-rgba", "all-ink-L", "all-ink-rgba", "all-nan", "hw1-float255", "P", "1"],
)
def test_odd_inputs_do_not_crash(image):
    out = to_mnist(image)
    assert out is None or (out.shape == (28, 28) and np.isfinite(out).all())


def test_steps_are_the_pipeline_of_to_mnist():
    image = _u8(_draw(FOUR, height=150))
    parts = steps(image)
    assert set(parts) == {"ink", "cropped", "scaled", "centred", "placement"}
    np.testing.assert_array_equal(parts["centred"], to_mnist(image))
    assert parts["ink"].shape == (CANVAS, CANVAS)
    assert parts["cropped"].shape == _bbox(parts["ink"])
    assert max(parts["scaled"].shape) == 20
    # The placement says where the crop came from and where the scaled digit went.
    p = parts["placement"]
    ink = parts["ink"]
    np.testing.assert_array_equal(
        parts["cropped"], ink[p.top : p.top + p.height, p.left : p.left + p.width]
    )
    assert (p.scaled_height, p.scaled_width) == parts["scaled"].shape
    np.testing.assert_array_equal(
        parts["centred"][p.y0 : p.y0 + p.scaled_height, p.x0 : p.x0 + p.scaled_width],
        parts["scaled"],
    )


def test_ink_mask_reads_alpha_or_luminance():
    rgba = np.zeros((10, 10, 4), np.uint8)
    rgba[2:5, 3:6, 3] = 255
    mask = ink_mask(rgba)
    assert mask.shape == (10, 10) and mask.dtype == np.float32 and mask.sum() == 9
    opaque = np.full((10, 10, 4), 255, np.uint8)
    opaque[2:5, 3:6, :3] = 0  # flattened composite: black ink on opaque white
    np.testing.assert_allclose(ink_mask(opaque), mask, atol=1e-6)
