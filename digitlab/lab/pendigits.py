"""Real pen-drawn digits: read the UNIPEN file of the UCI pen digits, and draw a trajectory on
the 280x280 canvas the way the app's canvas draws a stroke.

The data (digitlab/assets/README.md): 30 writers, ~250 digits each, every digit a list of pen
strokes sampled in time. `render` inks a digit like canvas.js (a round brush: a dot where the
pen goes down, then a round-capped line to each next point), anti-aliased as a browser draws,
at a brush width, size, place, slant, rotation and sampling rate given by a `Pen`; the result
goes through the app's own `to_mnist`, as a drawing does. One renderer for training and for
every benchmark.

Writers are held out, never digits (a writer's 250 digits look alike): FOLDS splits the 30
writers in three groups of ten. What the app draws from them: pen_data.py.
"""

from __future__ import annotations

import functools
import gzip
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from digitlab.inference.preprocess import to_mnist

FILE = Path(__file__).parent.parent / "assets" / "pendigits-train.gz"
WRITERS = tuple(range(1, 31))
FOLDS = (tuple(range(1, 11)), tuple(range(11, 21)), tuple(range(21, 31)))  # held-out groups
CANVAS = 280
SUPERSAMPLE = 2  # drawn at 2x and box-filtered: the anti-aliased edge a browser gives a stroke
TABLET = 500.0  # the tablet's box per digit, in its own units
WIDTHS = (12.0, 36.0)  # brush diameters for training, px (the app's brush is 24)
HEIGHTS = (100.0, 230.0)  # pen-path height on the canvas, px: a small digit to a canvas-filling one


@dataclass(frozen=True)
class PenDigit:
    """One written digit: its label, its writer (1-30), and its strokes in tablet units, each a
    (K, 2) float array of x (right) and y (down) points in pen order."""

    label: int
    writer: int
    strokes: tuple[np.ndarray, ...]


@dataclass(frozen=True)
class Pen:
    """How a digit is put on the canvas: brush diameter and path height in canvas px, slant
    (x moves by slant x height above the centre), rotation in degrees (counter-clockwise),
    width over height, where the centre goes (0-1 of the room left on each axis), and `every`:
    keep every n-th sampled point, as a faster pen or a slower pointer gives fewer points."""

    width: float = 24.0
    height: float = 180.0
    slant: float = 0.0
    angle: float = 0.0
    aspect: float = 1.0
    x: float = 0.5
    y: float = 0.5
    every: int = 1


def read(path: str | Path = FILE) -> list[PenDigit]:
    """Parse a UNIPEN pen-digit file (gzipped or not) into PenDigits, in file order."""
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="ascii") as f:
        return list(_parse(f))


@functools.lru_cache(maxsize=1)
def shipped() -> tuple[PenDigit, ...]:
    """The shipped file's digits, read once per process (~0.3 s)."""
    return tuple(read(FILE))


def _parse(lines: Iterable[str]) -> Iterable[PenDigit]:
    label = writer = None
    strokes: list[np.ndarray] = []
    points: list[tuple[int, int]] | None = None
    for line in lines:
        if line.startswith(".COMMENT"):
            if label is not None:
                yield _digit(label, writer, strokes)
            _, label_text, writer_text, *_ = line.split()
            label, writer, strokes = int(label_text), int(writer_text), []
        elif line.startswith(".PEN_DOWN"):
            points = []
        elif line.startswith(".PEN_UP"):
            if points:
                strokes.append(np.asarray(points, dtype=np.float64))
            points = None
        elif points is not None and line.strip():
            x, y = line.split()
            points.append((int(x), int(y)))
    if label is not None:
        yield _digit(label, writer, strokes)


def _digit(label: int, writer: int, strokes: list[np.ndarray]) -> PenDigit:
    # The tablet's y grows upwards; the canvas's grows downwards.
    flipped = tuple(np.column_stack([s[:, 0], TABLET - s[:, 1]]) for s in strokes)
    return PenDigit(label, writer, flipped)


def render(digit: PenDigit, pen: Pen = Pen()) -> np.ndarray:
    """The digit drawn on a 280x280 canvas with `pen`: (280, 280) float32 ink in [0, 1]."""
    return _ink(place(digit, pen), pen.width)


def place(digit: PenDigit, pen: Pen = Pen()) -> list[np.ndarray]:
    """Where the pen goes on the 280x280 canvas: each stroke's (K, 2) x, y points in canvas px
    (what a mouse replaying the digit would trace)."""
    # Fewer points, the first and last kept: straighter segments, as a fast pen draws.
    strokes = [s[np.unique(np.r_[0 : len(s) : pen.every, len(s) - 1])] for s in digit.strokes]
    points = np.vstack(strokes)
    centre = (points.min(0) + points.max(0)) / 2
    angle = np.deg2rad(pen.angle)
    # x' = aspect * (x + slant * (centre_y - y)), then a rotation (y down: counter-clockwise
    # on screen is a negative angle in these axes).
    shape = np.array([[pen.aspect, -pen.aspect * pen.slant], [0.0, 1.0]])
    turn = np.array([[np.cos(angle), np.sin(angle)], [-np.sin(angle), np.cos(angle)]])
    linear = turn @ shape
    moved = [(s - centre) @ linear.T for s in strokes]
    together = np.vstack(moved)
    low, high = together.min(0), together.max(0)
    extent = np.maximum(high - low, 1.0)
    room = CANVAS - pen.width - 4  # the ink adds half a brush on every side
    scale = min(pen.height / extent[1], room / extent[0], room / extent[1])
    free = np.maximum(room - extent * scale, 0.0)
    offset = 2 + pen.width / 2 + free * np.array([pen.x, pen.y]) - low * scale
    return [s * scale + offset for s in moved]


def _ink(strokes: Sequence[np.ndarray], width: float) -> np.ndarray:
    """Round-brush strokes, anti-aliased: (280, 280) float32 ink in [0, 1]."""
    k = SUPERSAMPLE
    big = Image.new("L", (CANVAS * k, CANVAS * k), 0)
    pen = ImageDraw.Draw(big)
    r = width * k / 2
    for stroke in strokes:
        points = [tuple(p) for p in (stroke * k).tolist()]
        if len(points) > 1:
            pen.line(points, fill=255, width=max(1, round(2 * r)), joint="curve")
        for x, y in points:  # round caps and joins, as canvas.js's lineCap/lineJoin "round"
            pen.ellipse((x - r, y - r, x + r, y + r), fill=255)
    small = big.resize((CANVAS, CANVAS), Image.Resampling.BOX)
    return np.asarray(small, dtype=np.float32) * np.float32(1 / 255)


def random_pen(rng: np.random.Generator, widths: tuple[float, float] = WIDTHS) -> Pen:
    """A pen as a student's hand varies: any width in `widths`, size, place, slant, tilt,
    aspect and sampling rate."""
    return Pen(
        width=float(rng.uniform(*widths)), height=float(rng.uniform(*HEIGHTS)),
        slant=float(rng.uniform(-0.3, 0.3)), angle=float(rng.uniform(-12, 12)),
        aspect=float(np.exp(rng.uniform(-0.25, 0.2))), x=float(rng.uniform()),
        y=float(rng.uniform()), every=int(rng.choice([1, 1, 2, 3])),
    )  # fmt: skip


def to_image(ink: np.ndarray) -> np.ndarray:
    """A canvas's ink as the model sees it, (28, 28) uint8 (ink 255), like an MNIST digit."""
    digit = to_mnist(ink)
    if digit is None:  # a digit drawn 100+ px tall always has ink; a silent skip would bias a set
        raise ValueError("to_mnist found no digit on a rendered pen digit")
    return np.round(digit * 255).astype(np.uint8)


def of_writers(writers: Iterable[int], digits: Sequence[PenDigit] | None = None) -> list[PenDigit]:
    """The digits written by these writers."""
    chosen = set(writers)
    return [d for d in (shipped() if digits is None else digits) if d.writer in chosen]


def training_images(
    digits: Sequence[PenDigit], copies: int, seed: int, widths: tuple[float, float] = WIDTHS
) -> tuple[np.ndarray, np.ndarray]:
    """Each digit drawn `copies` times by random pens and read by to_mnist: (N, 28, 28) uint8
    and (N,) int64 labels, N = copies x len(digits)."""
    rng = np.random.default_rng(seed)
    images = np.zeros((copies * len(digits), 28, 28), dtype=np.uint8)
    labels = np.zeros(len(images), dtype=np.int64)
    for i in range(len(images)):
        digit = digits[i % len(digits)]
        images[i], labels[i] = to_image(render(digit, random_pen(rng, widths))), digit.label
    return images, labels


JUDGED_WIDTHS = (16, 24, 32)  # brush diameters a held-out set is drawn with, px


@dataclass(frozen=True)
class PenSet:
    """Held-out pen digits as a model sees them; row i is one drawing."""

    images: np.ndarray  # (N, 28, 28) uint8, ink 255
    labels: np.ndarray  # (N,) int64
    writers: np.ndarray  # (N,) int64, 1-30
    widths: np.ndarray  # (N,) int64 brush diameter, px


def held_out_set(
    writers: Iterable[int], widths: Sequence[int] = JUDGED_WIDTHS, seed: int = 0
) -> PenSet:
    """Every digit of these writers drawn once per brush width, at a random size and place
    (each digit's shape as written: no slant, tilt or resampling), read by to_mnist. The same
    set for the same writers, widths and seed."""
    digits = of_writers(writers)
    rows = []
    for i, digit in enumerate(digits):
        rng = np.random.default_rng([seed, digit.writer, i])
        for width in widths:
            pen = Pen(width=float(width), height=float(rng.uniform(*HEIGHTS)),
                      x=float(rng.uniform()), y=float(rng.uniform()))  # fmt: skip
            rows.append((to_image(render(digit, pen)), digit.label, digit.writer, width))
    images, labels, who, used = zip(*rows, strict=True)
    return PenSet(np.stack(images), *(np.array(v, dtype=np.int64) for v in (labels, who, used)))
