"""Accuracy on digits written in the styles people use and MNIST rarely shows, drawn on the canvas.

A drawn-digit test set that owes MNIST nothing: each written variant of each digit (crossed 7,
flagged and European 1, open 4, curled 9, looped 2, ...; see benchmarks/strokes.py) is drawn
stroke by stroke by a jittered hand, inked with the Sketchpad's round brush at diameters 12-32 px
on the 280x280 canvas, and read through the app's own `to_mnist`, exactly as a drawing is.

Seed 2026 (BENCHMARK_SEED) is the held-out benchmark; training may draw from any other seed
(`styled_canvases` refuses 2026), so the benchmark measures styles learnt, not samples seen.

    python -m benchmarks.styled_digits [--model PATH ...] [--per-variant 40] [--sheet PNG]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

import numpy as np
from PIL import Image, ImageDraw

from benchmarks.strokes import GLYPHS, STYLES, draw, render
from digitlab.inference.predict import Predictor
from digitlab.inference.preprocess import to_mnist
from digitlab.training.checkpoint import SHIPPED, load_predictor

BENCHMARK_SEED = 2026  # the held-out set: never train on styled_set(2026)
WIDTHS = (12, 18, 24, 32)  # brush diameters, px; the app's Brush(default_size=12) is a radius: 24
PER_VARIANT = 40  # hands per style; each hand is drawn with every width


class StyledSet(NamedTuple):
    """A styled test set; row i is one drawing."""

    images: np.ndarray  # (N, 28, 28) uint8, to_mnist's output x 255 (ink 255 on 0), like MNIST
    labels: np.ndarray  # (N,) int64 digit
    styles: np.ndarray  # (N,) str, a key of strokes.GLYPHS such as "7-crossed"
    widths: np.ndarray  # (N,) int64 brush diameter in canvas px


def _model_input(canvas: np.ndarray) -> np.ndarray:
    digit = to_mnist(canvas)
    if digit is None:  # cannot happen for a 110+ px drawing; a silent skip would bias the set
        raise RuntimeError("to_mnist found no digit on a styled canvas")
    return np.round(digit * 255).astype(np.uint8)


def styled_set(
    seed: int = BENCHMARK_SEED, per_variant: int = PER_VARIANT, widths: Sequence[int] = WIDTHS
) -> StyledSet:
    """Every style x per_variant hands x every width, through to_mnist; the same set per seed."""
    rows = []
    for v, style in enumerate(STYLES):
        for hand in range(per_variant):
            # One pen path per hand, inked with every width: width is the only difference.
            path = draw(style, np.random.default_rng([seed, v, hand]), max(widths))
            canvases = render(path, widths)
            rows += [(_model_input(c), style, w) for c, w in zip(canvases, widths, strict=True)]
    images, styles, used = zip(*rows, strict=True)
    labels = [GLYPHS[s][0] for s in styles]
    return StyledSet(
        np.stack(images), np.array(labels, np.int64), np.array(styles), np.array(used, np.int64)
    )


def styled_canvases(
    seed: int, n: int, widths: Sequence[int] = WIDTHS
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """n random-style canvases for training: (n, 280, 280, 4) uint8 (ink in alpha), labels,
    styles, widths. Pass them through to_mnist as the app does. Refuses the benchmark's seed."""
    rng = _training_rng(seed)
    picks, used = rng.integers(len(STYLES), size=n), rng.choice(np.asarray(widths), size=n)
    canvases = np.zeros((n, 280, 280, 4), dtype=np.uint8)
    for i, (pick, width) in enumerate(zip(picks, used, strict=True)):
        canvases[i] = render(draw(STYLES[pick], rng, max(widths)), [width])[0]
    styles = np.array(STYLES)[picks]
    return canvases, np.array([GLYPHS[s][0] for s in styles], np.int64), styles, used


def styled_images(
    seed: int,
    n: int,
    widths: tuple[float, float] = (8.0, 36.0),
    styles: Sequence[str] = STYLES,
) -> tuple[np.ndarray, np.ndarray]:
    """n random-style drawings as a model sees them, for training: (n, 28, 28) uint8 and labels.

    Brush diameters are drawn from the whole range `widths` (not only the benchmark's four);
    one canvas at a time, so memory stays small. `styles` can leave some out (to measure what
    training on the others teaches about them). Refuses the benchmark's seed.
    """
    rng = _training_rng(seed)
    picks = np.asarray(styles)[rng.integers(len(styles), size=n)]
    images = np.zeros((n, 28, 28), dtype=np.uint8)
    for i, style in enumerate(picks):
        width = rng.uniform(*widths)
        images[i] = _model_input(render(draw(style, rng, width), [width])[0])
    return images, np.array([GLYPHS[style][0] for style in picks], np.int64)


def _training_rng(seed: int) -> np.random.Generator:
    if seed == BENCHMARK_SEED:
        raise ValueError(
            f"seed {BENCHMARK_SEED} draws the held-out benchmark set; train on another seed"
        )
    return np.random.default_rng(seed)


def predict(predictor: Predictor, images: np.ndarray) -> np.ndarray:
    """The digit a model reads in each (N, 28, 28) uint8 image: (N,) int."""
    return predictor.probabilities(images / 255.0).argmax(1)


def _slices(data: StyledSet) -> list[tuple[str, np.ndarray]]:
    """Named row masks: everything, each width, each digit, each style."""
    out = [("all", np.ones(len(data.labels), bool))]
    out += [(f"brush {w} px", data.widths == w) for w in np.unique(data.widths)]
    out += [(f"digit {d}", data.labels == d) for d in np.unique(data.labels)]
    return out + [(f"style {s}", data.styles == s) for s in STYLES if (data.styles == s).any()]


def _misread(labels: np.ndarray, preds: np.ndarray) -> str:
    """The commonest wrong reading among these rows, e.g. '3 (21%)', or '-' if none."""
    wrong = preds[preds != labels]
    if wrong.size == 0:
        return "-"
    top = np.bincount(wrong, minlength=10).argmax()
    return f"{top} ({(wrong == top).sum() / len(labels):.0%})"


def report(data: StyledSet, preds: dict[str, np.ndarray]) -> str:
    """Markdown table: accuracy and commonest misreading per slice, one column pair per model."""
    head = ["slice", "n"] + [f"{name} {col}" for name in preds for col in ("acc", "misread as")]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for title, mask in _slices(data):
        cells = [title, str(mask.sum())]
        for p in preds.values():
            hits = p[mask] == data.labels[mask]
            cells += [f"{hits.mean():.1%}", _misread(data.labels[mask], p[mask])]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def contact_sheet(seed: int = BENCHMARK_SEED, hands: int = 8, cell: int = 70) -> Image.Image:
    """Each style's first hands of styled_set(seed) as drawn (widths in turn), and as to_mnist
    hands them to a model (right half)."""
    sheet = Image.new("L", (90 + 2 * hands * cell, len(STYLES) * cell), 255)
    pen = ImageDraw.Draw(sheet)
    for row, style in enumerate(STYLES):
        pen.text((4, row * cell + cell // 2 - 6), style, fill=0)
        for hand in range(hands):
            path = draw(style, np.random.default_rng([seed, row, hand]), max(WIDTHS))
            canvas = render(path, [WIDTHS[hand % len(WIDTHS)]])[0]
            x, y, size = 90 + hand * cell, row * cell, (cell - 4, cell - 4)
            ink = Image.fromarray(255 - canvas[..., 3])
            sheet.paste(ink.resize(size, Image.Resampling.BOX), (x, y))
            digit = Image.fromarray(255 - _model_input(canvas))
            sheet.paste(digit.resize(size, Image.Resampling.NEAREST), (x + hands * cell, y))
    return sheet


def main(argv: Sequence[str] | None = None) -> None:
    """Command line: print the accuracy table of each checkpoint on the styled set."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", action="append", type=Path, help="checkpoint (repeatable)")
    parser.add_argument("--seed", type=int, default=BENCHMARK_SEED)
    parser.add_argument("--per-variant", type=int, default=PER_VARIANT, help="hands per style")
    parser.add_argument("--sheet", type=Path, help="also save a contact sheet PNG here")
    args = parser.parse_args(argv)

    paths = args.model or [SHIPPED["cnn"], SHIPPED["mlp"]]
    predictors = {p.stem: load_predictor(p) for p in paths}
    start = time.perf_counter()
    data = styled_set(args.seed, args.per_variant)
    drawn = time.perf_counter() - start
    preds = {name: predict(p, data.images) for name, p in predictors.items()}
    print(report(data, preds))
    print(
        f"\n{len(STYLES)} styles x {args.per_variant} hands x brushes {WIDTHS} = "
        f"{len(data.labels)} drawings, seed {args.seed}; drawn in {drawn:.1f} s, "
        f"read in {time.perf_counter() - start - drawn:.1f} s"
    )
    if args.sheet:
        contact_sheet(args.seed).save(args.sheet)
        print(f"contact sheet: {args.sheet}")


if __name__ == "__main__":
    main()
