"""Accuracy on MNIST digits redrawn the way a user draws them on the 280x280 canvas.

MNIST scans have pen-specific stroke widths and sit centred in 28x28; a canvas drawing is a
round brush of one width at any size and place. Each test digit is thinned to its pen path
(skeleton), placed at a random size, position and slight tilt, and redrawn with round brushes
from thin to thick, as the Gradio Sketchpad delivers it (RGBA, black ink in alpha). Every canvas
goes through Predictor.predict, preprocessing included.

    python -m benchmarks.drawn_digits --n 2000 [--checkpoint PATH ...] [--data DIR]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from PIL import Image
from scipy.ndimage import distance_transform_edt
from skimage.morphology import skeletonize

from digitlab.data import load_mnist
from digitlab.inference.predict import Predictor
from digitlab.training.checkpoint import SHIPPED, load_predictor

CANVAS = 280
BRUSHES = (8, 14, 20, 28, 36)  # brush diameters in canvas pixels, thin to thick
PATH_HEIGHT = (120, 240)  # height of the pen path on the canvas; the ink adds half a brush
MAX_TILT_DEG = 8.0
MARGIN = 2


def skeleton(digit28: np.ndarray) -> np.ndarray:
    """Pen path of a 28x28 uint8 digit: (K, 2) float (row, col) points, about 200 px tall."""
    # Thinning at 28 px gives a jagged path; upsampling first makes it smooth.
    big = np.asarray(Image.fromarray(digit28).resize((200, 200), Image.Resampling.BICUBIC))
    return np.argwhere(skeletonize(big > 100)).astype(np.float64)


def render_skeleton(points: np.ndarray, brushes: Sequence[int], rng) -> np.ndarray:
    """Draw one pen path with each brush at one random size/place/tilt: (B, 280, 280, 4) uint8."""
    brushes = np.asarray(brushes, dtype=np.float64)
    angle = np.deg2rad(rng.uniform(-MAX_TILT_DEG, MAX_TILT_DEG))
    rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    pts = (points - points.mean(0)) @ rotation.T
    pts -= pts.min(0)
    # The same path for every brush, so accuracy differences come from the width alone; it is
    # sized so that the thickest brush still fits on the canvas.
    room = CANVAS - 2 * MARGIN - brushes.max()
    extent = np.maximum(pts.max(0), 1.0)
    pts *= min(rng.uniform(*PATH_HEIGHT), room) / extent[0]
    pts *= min(1.0, room / max(pts[:, 1].max(), 1.0))
    free = CANVAS - pts.max(0) - 2 * MARGIN - brushes.max()
    pts += MARGIN + brushes.max() / 2 + rng.uniform(0, 1, 2) * np.maximum(free, 0)

    path = np.ones((CANVAS, CANVAS), dtype=bool)
    r, c = np.clip(np.round(pts).astype(int), 0, CANVAS - 1).T
    path[r, c] = False
    dist = distance_transform_edt(path)  # (280, 280) distance to the pen path
    # A round brush with a one-pixel anti-aliased rim, like the browser's canvas strokes.
    alpha = np.clip(brushes[:, None, None] / 2 + 0.5 - dist, 0.0, 1.0)  # (B, 280, 280)
    canvas = np.zeros((len(brushes), CANVAS, CANVAS, 4), dtype=np.uint8)
    canvas[..., 3] = np.round(alpha * 255)
    return canvas


def render_drawn(digit28: np.ndarray, brush: int, rng) -> np.ndarray:
    """A 28x28 MNIST digit redrawn on a Sketchpad-like canvas: (280, 280, 4) uint8, ink in alpha."""
    return render_skeleton(skeleton(digit28), [brush], rng)[0]


def evaluate(
    predictors: dict[str, Predictor],
    digits: np.ndarray,
    labels: np.ndarray,
    brushes: Sequence[int] = BRUSHES,
    seed: int = 0,
) -> dict[str, np.ndarray]:
    """Correct (1) / wrong or no prediction (0) per predictor: (N, len(brushes)) arrays."""
    correct = {name: np.zeros((len(digits), len(brushes))) for name in predictors}
    for i, (digit, label) in enumerate(zip(digits, labels, strict=True)):
        canvases = render_skeleton(skeleton(digit), brushes, np.random.default_rng([seed, i]))
        for name, predictor in predictors.items():
            for j, canvas in enumerate(canvases):
                pred = predictor.predict(canvas)
                correct[name][i, j] = pred is not None and pred.digit == label
    return correct


def table(correct: dict[str, np.ndarray], plain: dict[str, float], brushes: Sequence[int]) -> str:
    """Markdown: accuracy per brush diameter, overall, and on the same digits as scanned."""
    head = ["checkpoint", *(f"brush {b}px" for b in brushes), "all drawn", "MNIST as is"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for name, hits in correct.items():
        cells = [f"{a:.1%}" for a in hits.mean(0)] + [f"{hits.mean():.1%}", f"{plain[name]:.1%}"]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    """Command line: print the accuracy table for each checkpoint."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="test digits to draw (default 2000)")
    parser.add_argument("--checkpoint", action="append", type=Path, help="repeatable")
    parser.add_argument("--data", type=Path, help="MNIST folder (default $DIGITLAB_DATA)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    paths = args.checkpoint or [SHIPPED["cnn"], SHIPPED["mlp"]]
    predictors = {p.stem: load_predictor(p) for p in paths}
    mnist = load_mnist(args.data, download=False)
    pick = np.random.default_rng(args.seed).choice(len(mnist.test_y), args.n, replace=False)
    digits, labels = mnist.test_x.numpy()[pick], mnist.test_y.numpy()[pick]

    start = time.perf_counter()
    correct = evaluate(predictors, digits, labels, BRUSHES, args.seed)
    plain = {
        name: float((p.probabilities(digits / 255.0).argmax(1) == labels).mean())
        for name, p in predictors.items()
    }
    print(table(correct, plain, BRUSHES))
    elapsed = time.perf_counter() - start
    print(f"\n{args.n} digits x {len(BRUSHES)} brushes, seed {args.seed}, {elapsed:.0f} s")


if __name__ == "__main__":
    main()
