"""Is this drawing a digit at all? A check on the ink before any model judges it.

A model trained on MNIST has only digits to choose from: it reads a dot, a dash, a filled blob
or a scribble as some digit, often "98% sure", and temperature scaling cannot help (it is fitted
on digits). So the app looks at the ink first. The measures are in stroke widths, so they mean
the same on a 280x280 canvas with a 24 px brush, on a photo, and on a 28x28 MNIST image:

- span: the longer side of the ink's bounding box over the stroke's width. A digit is several
  strokes long; a dot is one stroke wide and long, a short dash about three.
- size: the box's longer side over the picture's. A digit drawn on the canvas fills a good part
  of it (MNIST's fill 20 of 28 pixels); a dot or a dash is a small thing in a corner of it.
- heavy ink: the mean of the 28x28 image the model would see. Preprocessing scales every
  drawing to the same box, so a blob or a scribble turns into far more ink than a digit.
- fill: the share of the bounding box that is ink. High for a blob, and for a "1", which is
  told apart by its span.
- across: for small ink, its extent along its narrow axis (the minor principal axis) over the
  widest disc that fits in it. A dot or a dash is one stroke across (1.0); a digit drawn small
  is wider than its strokes, so it is told "draw it bigger" rather than "a dot or a dash".

The thresholds were chosen on measurements (python -m benchmarks.not_sure): of the 10,000 MNIST
test digits 0.31% are called "not sure" by this check, of the drawn-digit benchmark's 10,000
canvases 0.11%, of the styled-digit benchmark's 3,360 0.27%; of seeded canvases drawn with the
app's brush, every dot and blob, 39 of 40 dashes and 35 of 40 random scribbles (a model's low
confidence catches more of the rest).

TINY_ACROSS was measured too (the numbers are in tests/test_ood.py's docstring): dots and dashes
5-60 px long are 0.96-1.08 strokes across with the app's 24 px brush (up to 1.13 with 16 px);
real pen digits (pendigits.render) drawn 20-50 px tall in a corner, medians 1.09-1.37, so 4 in
10 of those 20 px tall and 9 in 10 of those 50 px tall are told to draw bigger (the rest are
blobs that read as a dot).
"""

from __future__ import annotations

import itertools
from typing import NamedTuple

import numpy as np
from PIL import Image

INK = 0.5  # a pixel at least half inked counts as ink here
MIN_SPAN = 3.0  # a bounding box shorter than this many stroke widths is a dot or a dash
MIN_SIZE = 0.3  # so is one shorter than this share of the picture's longer side
HEAVY = 0.34  # a 28x28 image inked more than this on average is a blob or a scribble...
THICK = ((3.5, 0.26), (5.0, 0.30))  # ...and so is one shorter than span, inked more than heavy
FILLED_SPAN, FILLED = 4.0, 0.7  # ...and a short one that fills this much of its box
TINY_ACROSS = 1.1  # small ink wider than this many strokes across is a digit drawn too small
ACROSS_SIDE = 64  # small ink is measured across at most this many pixels (a photo's is larger)


class Ink(NamedTuple):
    """The measures of a drawing's ink (see the module's docstring)."""

    span: float  # longer bbox side / stroke width
    size: float  # longer bbox side / the picture's longer side
    heavy: float  # mean of the 28x28 model input
    fill: float  # inked share of the bbox
    width: float  # estimated stroke width, in the picture's pixels


def measure(found: dict) -> Ink:
    """The measures of a drawing's ink. found: preprocess.steps()'s result."""
    mask = np.asarray(found["cropped"]) >= INK
    height, length = mask.shape
    size = max(height, length) / max(found["ink"].shape)
    heavy = float(found["centred"].mean())
    area = int(mask.sum())
    if area == 0:  # only faint ink: nothing to measure a stroke by
        return Ink(0.0, size, heavy, 0.0, 0.0)
    # Ink pixels with a non-ink 4-neighbour (or on the box's edge) trace the stroke's outline;
    # a stroke of length L and width w has area ~ L w and an outline ~ 2 L, so w ~ 2 area / edge.
    padded = np.pad(mask, 1)
    inner = padded[:-2, 1:-1] & padded[2:, 1:-1] & padded[1:-1, :-2] & padded[1:-1, 2:]
    edge = int((mask & ~inner).sum())
    width = 2.0 * area / max(edge, 1)
    return Ink(max(height, length) / width, size, heavy, area / mask.size, width)


def across(cropped: np.ndarray) -> float:
    """How many strokes wide the ink is across its narrow direction: its extent along its
    minor principal axis over the diameter of the widest disc inside it (1 for a dot or a
    dash). cropped: the ink's bounding box, as preprocess.steps() cuts it."""
    cropped = np.asarray(cropped, dtype=np.float32)
    scale = ACROSS_SIDE / max(cropped.shape)
    if scale < 1:  # the widest disc is found by brute force: keep the picture small
        size = (max(1, round(cropped.shape[1] * scale)), max(1, round(cropped.shape[0] * scale)))
        cropped = np.asarray(Image.fromarray(cropped).resize(size, Image.Resampling.BOX))
    mask = np.pad(cropped >= INK, 1)  # background all round
    if mask.sum() < 2:
        return 1.0
    # The widest disc's radius: the farthest any ink pixel is from the background. The nearest
    # background pixel always touches the ink (8-neighbours), so only those are compared.
    grown = np.pad(mask, 1)
    touching = np.zeros_like(mask)
    for dy, dx in itertools.product((0, 1, 2), repeat=2):
        touching |= grown[dy : dy + mask.shape[0], dx : dx + mask.shape[1]]
    ink = np.argwhere(mask).astype(np.float32)  # (N, 2) row, column
    edge = np.argwhere(touching & ~mask).astype(np.float32)  # (M, 2)
    squared = (ink**2).sum(1)[:, None] + (edge**2).sum(1)[None, :] - 2 * ink @ edge.T  # (N, M)
    diameter = 2 * float(np.sqrt(max(squared.min(1).max(), 1.0)))
    # The extent along the minor principal axis, in pixels (+1: a pixel has a width).
    centred = ink - ink.mean(0)
    _, axes = np.linalg.eigh(centred.T @ centred)  # ascending: the minor axis first
    return float(np.ptp(centred @ axes[:, 0]) + 1) / diameter


def doubt(found: dict) -> str | None:
    """Why this drawing is no digit to judge ("small": a dot or a dash; "tiny": a digit drawn
    too small; "filled": a blob or a scribble), or None when it may be a digit.
    found: preprocess.steps()'s result."""
    ink = measure(found)
    if ink.size < MIN_SIZE or ink.span < MIN_SPAN:  # a dot or a short dash...
        if ink.size >= MIN_SIZE and ink.heavy > THICK[0][1]:
            return "filled"  # ...or ink so thick that it is a blob
        # ...unless it is wider across than one stroke: a digit drawn small.
        return "tiny" if across(found["cropped"]) > TINY_ACROSS else "small"
    thick = any(ink.span < span and ink.heavy > heavy for span, heavy in THICK)
    if ink.heavy > HEAVY or thick or (ink.span < FILLED_SPAN and ink.fill > FILLED):
        return "filled"
    return None
