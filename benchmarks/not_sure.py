"""How often the ink check (digitlab/inference/ood.py) calls a real digit "not sure", and
whether it calls a dot, a dash, a filled blob and a scribble "not sure".

Digits: the 10,000 MNIST test images as they are (28x28), the drawn-digit benchmark's canvases
(MNIST test digits redrawn with round brushes 8-36 px, benchmarks/drawn_digits.py) and the
styled-digit benchmark's canvases (seed 2026, benchmarks/styled_digits.py). Not digits: canvases
drawn with the app's 24 px brush (dots, dashes up to 60 px, filled blobs, scribbles), seeded.

    python -m benchmarks.not_sure [--drawn 2000] [--per-variant 40] [--data DIR] [--verdict]

--verdict adds the whole verdict of each shipped model (the ink check or below the Draw tab's
default 70%, temperature-scaled) on MNIST test 5000-9999 (held out from the temperature's fit)
and the drawn digits: how many digits it calls "not sure", how many of those it would have read
right, and its accuracy on the digits it does answer.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from benchmarks.drawn_digits import BRUSHES, render_skeleton, skeleton
from benchmarks.strokes import STYLES, draw, render
from benchmarks.styled_digits import BENCHMARK_SEED, WIDTHS
from digitlab.data import load_mnist
from digitlab.inference.calibration import REPORT
from digitlab.inference.ood import doubt, measure
from digitlab.inference.preprocess import steps
from digitlab.training.checkpoint import SHIPPED, load_predictor
from digitlab.ui.verdict import DEFAULT_THRESHOLD

CANVAS, BRUSH = 280, 24  # the app's canvas and its brush's diameter


def verdicts(canvases) -> list[str | None]:
    """ood.doubt for each canvas (None: may be a digit)."""
    return [doubt(steps(canvas)) for canvas in canvases]


def mnist_canvases(data) -> list[np.ndarray]:
    """The MNIST test digits as they are: 28x28 uint8, ink 255 on 0."""
    return list(data.test_x.numpy())


def drawn_canvases(data, n: int, seed: int = 0):
    """The drawn-digit benchmark's canvases: n test digits x every brush (as drawn_digits)."""
    pick = np.random.default_rng(seed).choice(len(data.test_y), n, replace=False)
    for i, digit in enumerate(data.test_x.numpy()[pick]):
        yield from render_skeleton(skeleton(digit), BRUSHES, np.random.default_rng([seed, i]))


def styled_canvases(per_variant: int):
    """The styled-digit benchmark's canvases (seed 2026), as styled_digits.styled_set draws them."""
    for v, style in enumerate(STYLES):
        for hand in range(per_variant):
            path = draw(style, np.random.default_rng([BENCHMARK_SEED, v, hand]), max(WIDTHS))
            yield from render(path, WIDTHS)


def _ink(paint) -> np.ndarray:
    """A canvas (280x280, ink 255 on 0) painted by paint(ImageDraw, brush diameter)."""
    image = Image.new("L", (CANVAS, CANVAS), 0)
    paint(ImageDraw.Draw(image))
    return np.asarray(image)


def _stroke(points, width: int = BRUSH):
    def paint(pen):
        pen.line([tuple(p) for p in points], fill=255, width=width, joint="curve")
        for x, y in (points[0], points[-1]):  # round ends, like the canvas's brush
            pen.ellipse([x - width / 2, y - width / 2, x + width / 2, y + width / 2], fill=255)

    return _ink(paint)


def non_digits(seed: int = 0) -> dict[str, list[np.ndarray]]:
    """Seeded dots, dashes, filled blobs and scribbles, drawn with the app's brush."""
    rng = np.random.default_rng(seed)
    at = lambda: rng.uniform(60, 220, 2)  # noqa: E731
    dots = [_stroke([at()] * 2) for _ in range(20)]
    dashes = []
    for _ in range(40):
        start, angle, length = at(), rng.uniform(0, np.pi), rng.uniform(5, 60)
        dashes.append(_stroke([start, start + length * np.array([np.cos(angle), np.sin(angle)])]))
    blobs = []
    for _ in range(40):
        (cx, cy), (rx, ry) = at(), rng.uniform(25, 90, 2)
        box = [cx - rx, cy - ry, cx + rx, cy + ry]
        blobs.append(_ink(lambda pen, box=box: pen.ellipse(box, 255)))
    scribbles = []
    for _ in range(40):
        (cx, cy), size = at(), rng.uniform(60, 200)
        points = np.clip(rng.uniform(-size / 2, size / 2, (int(rng.integers(12, 40)), 2)) +
                         (cx, cy), 12, CANVAS - 12)  # fmt: skip
        scribbles.append(_stroke(points))
    return {"dot": dots, "dash": dashes, "blob": blobs, "scribble": scribbles}


def _line(name: str, said: Sequence[str | None], digits: bool) -> str:
    unsure = sum(v is not None for v in said)
    what = "wrongly 'not sure'" if digits else "'not sure'"
    return f"| {name} | {len(said)} | {unsure} | {unsure / len(said):.2%} {what} |"


def verdict_table(sets: dict[str, tuple[list, np.ndarray]], threshold: float) -> str:
    """Markdown: each shipped model's "not sure" share, how many of those it had right, and its
    accuracy where it answers, on each set of (canvases, labels)."""
    lines = ["| model | set | digits | 'not sure' | of which right | accuracy answered |",
             "|---|---|---|---|---|---|"]  # fmt: skip
    for kind in ("cnn", "mlp"):
        predictor = load_predictor(SHIPPED[kind])
        for name, (canvases, labels) in sets.items():
            seen = [predictor.predict(canvas) for canvas in canvases]
            unsure = np.array([s.doubt is not None or s.confidence < threshold for s in seen])
            right = np.array([s.digit for s in seen]) == labels
            lines.append(
                f"| {kind} | {name} | {len(seen)} | {unsure.mean():.2%} | "
                f"{right[unsure].mean() if unsure.any() else 0:.0%} | {right[~unsure].mean():.2%} |"
            )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    """Command line: the table of 'not sure' rates, digits first."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drawn", type=int, default=2000, help="drawn-benchmark test digits")
    parser.add_argument("--per-variant", type=int, default=40, help="styled hands per style")
    parser.add_argument("--data", type=Path, help="MNIST folder (default $DIGITLAB_DATA)")
    parser.add_argument("--spread", action="store_true", help="also print the measures' spread")
    parser.add_argument("--verdict", action="store_true", help="also the models' whole verdict")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    data = load_mnist(args.data, download=False)
    sets = {
        "MNIST test (28x28 as is)": mnist_canvases(data),
        f"drawn digits ({args.drawn} x brushes {BRUSHES})": drawn_canvases(data, args.drawn),
        f"styled digits (seed {BENCHMARK_SEED}, {args.per_variant} hands)": styled_canvases(
            args.per_variant
        ),
    }
    print("| set | drawings | 'not sure' | rate |\n|---|---|---|---|")
    for name, canvases in sets.items():
        canvases = sets[name] = list(canvases)
        print(_line(name, verdicts(canvases), digits=True))
        if args.spread:
            found = np.array([measure(steps(c))[:3] for c in canvases])
            low = np.percentile(found[:, :2], 0.1, axis=0).round(2)
            high = np.percentile(found[:, 2], 99.9).round(3)
            print(f"  0.1% percentile: span {low[0]}, size {low[1]}; 99.9%: heavy {high}")
    for name, canvases in non_digits().items():
        print(_line(f"not a digit: {name}", verdicts(canvases), digits=False))
    if args.verdict:
        labels = data.test_y.numpy()
        pick = np.random.default_rng(0).choice(len(labels), args.drawn, replace=False)
        drawn = list(sets.values())[1]
        chosen = {
            "MNIST test 5000-9999": (mnist_canvases(data)[REPORT], labels[REPORT]),
            "drawn digits": (drawn, np.repeat(labels[pick], len(BRUSHES))),
        }
        print("\n" + verdict_table(chosen, DEFAULT_THRESHOLD / 100))
    print(f"\n{time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
