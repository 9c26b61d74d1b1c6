"""A small MNIST stand-in for the app tests on a machine without MNIST: drawn digits, IDX files.

The app tests train tiny models and check that the app streams, stops, queues and keeps models,
not how accurate MNIST makes them: any learnable set of 28x28 digits in MNIST's four files does.
Digits are drawn by the jittered hands of benchmarks/strokes.py (21 written styles, brush
widths 12-32 px on the 280x280 canvas) and read through the app's own `to_mnist` as a drawing
is; each training digit also comes moved by up to 2 px. Test digits are other hands' (centred,
as MNIST's are). Seeded: the same files every time. The lessons behave as on MNIST: "Same budget:
MLP" (MLP 128, 3,000 images, 2 epochs) reaches 91.5% here, 91.3% on MNIST, and "Learning rate:
too high" diverges on both. A change to benchmarks/strokes.py changes the set. Tests of MNIST's
own accuracy still need the real files.

    python -m tests.sample_mnist FOLDER    # write the four files there (about 5 s)
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from benchmarks.strokes import GLYPHS, draw, render
from digitlab.data import FILES
from digitlab.inference.preprocess import to_mnist

WIDTHS = (12, 18, 24, 32)  # brush diameters: each hand's path is inked with every width
# 10,000 training images, the Train tab's default: a run asking for more than the set has would
# take fewer steps than it counts (the "too high" lesson then does not even diverge).
TRAIN_HANDS, TRAIN_SHIFTS = 250, 10  # 250 hands x 4 widths x 10 (1 centred, 9 moved) = 10,000
TEST_HANDS, TEST_SHIFTS = 250, 1  # 1,000 test digits, centred


def drawn_digits(hands: int, seed: int | list[int]) -> tuple[np.ndarray, np.ndarray]:
    """(hands * len(WIDTHS), 28, 28) uint8 digits (ink 255 on 0) and their labels, 0-9 in turn."""
    rng = np.random.default_rng(seed)
    by_digit = {d: [name for name, (digit, _) in GLYPHS.items() if digit == d] for d in range(10)}
    images, labels = [], []
    for hand in range(hands):
        digit = hand % 10
        style = by_digit[digit][rng.integers(len(by_digit[digit]))]
        for canvas in render(draw(style, rng, max(WIDTHS)), WIDTHS):
            images.append(np.round(to_mnist(canvas) * 255).astype(np.uint8))
            labels.append(digit)
    return np.stack(images), np.array(labels, dtype=np.uint8)


def shifted(images: np.ndarray, copies: int, seed: int | list[int]) -> np.ndarray:
    """The images, then copies - 1 more of each, every one moved by its own (dy, dx) of up to
    2 px (to_mnist centres a digit in the middle 20x20, so the 4-px border has room)."""
    rng = np.random.default_rng(seed)
    out = [images]
    for _ in range(copies - 1):
        moves = rng.integers(-2, 3, size=(len(images), 2))
        moved = [np.roll(x, tuple(m), axis=(0, 1)) for x, m in zip(images, moves, strict=True)]
        out.append(np.stack(moved))
    return np.concatenate(out)


def write_idx(path: Path, array: np.ndarray) -> None:
    """An IDX file as MNIST ships it: zero, zero, type 0x08 (uint8), ndim, big-endian sizes."""
    header = bytes([0, 0, 0x08, array.ndim]) + b"".join(
        int(n).to_bytes(4, "big") for n in array.shape
    )
    path.write_bytes(header + np.ascontiguousarray(array, dtype=np.uint8).tobytes())


def write_sample(folder: Path, seed: int = 0) -> Path:
    """Write the four MNIST files (raw IDX) into folder; returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    parts = {}
    splits = (("train", TRAIN_HANDS, TRAIN_SHIFTS), ("test", TEST_HANDS, TEST_SHIFTS))
    for part, (split, hands, copies) in enumerate(splits):
        images, labels = drawn_digits(hands, seed=[seed, part])  # other hands for each split
        parts[f"{split}_x"] = shifted(images, copies, seed=[seed, part])
        parts[f"{split}_y"] = np.tile(labels, copies)
    for key, name in FILES.items():
        write_idx(folder / name, parts[key])
    return folder


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python -m tests.sample_mnist FOLDER")
    print(write_sample(Path(sys.argv[1])))
