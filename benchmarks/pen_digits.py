"""Accuracy on real pen-drawn digits by writers a model has never seen, beside MNIST test and the
drawn and styled benchmarks.

Each checkpoint is judged on the pen-digit writers it did not train on: its metrics name the
writers it saw ("pen_writers"; none for a model trained on MNIST alone), and `--writers` can
name the held-out ones instead. Every digit of those writers is drawn on the 280x280 canvas with
brushes of 16, 24 and 32 px at a random size and place (`digitlab.lab.pendigits.held_out_set`, the
app's own renderer and preprocessing). A model that saw every writer has none left to judge:
it is reported on the writers it saw, marked "seen", which is no measure of unseen handwriting.

    python -m benchmarks.pen_digits [--checkpoint PATH ...] [--writers 21-30] [--drawn 500]
"""

from __future__ import annotations

import argparse
import functools
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from benchmarks.train_shipped import writer_list
from digitlab.inference.predict import Predictor
from digitlab.lab import pendigits
from digitlab.training.checkpoint import SHIPPED, load_predictor

TOP_CONFUSIONS = 6


def held_out_writers(predictor: Predictor) -> tuple[tuple[int, ...], bool]:
    """The writers a checkpoint did not train on, and False; or, when it saw all 30, all of
    them and True (seen)."""
    seen = set(predictor.metrics.get("pen_writers") or ())
    unseen = tuple(w for w in pendigits.WRITERS if w not in seen)
    return (unseen, False) if unseen else (pendigits.WRITERS, True)


def judge(predictor: Predictor, data: pendigits.PenSet, mask: np.ndarray) -> np.ndarray:
    """The digit the model reads in each chosen drawing: (mask.sum(),) int."""
    return predictor.probabilities(data.images[mask] / 255.0).argmax(1)


def breakdown(labels, writers, widths, preds) -> dict:
    """Accuracy overall, per digit, per brush width, per writer, and the top confusions."""
    hit = preds == labels
    pairs = np.bincount(labels[~hit] * 10 + preds[~hit], minlength=100).reshape(10, 10)
    top = np.dstack(np.unravel_index(np.argsort(-pairs, axis=None), pairs.shape))[0]
    return {
        "all": hit.mean(),
        "digit": {int(d): hit[labels == d].mean() for d in np.unique(labels)},
        "width": {int(w): hit[widths == w].mean() for w in np.unique(widths)},
        "writer": {int(w): hit[writers == w].mean() for w in np.unique(writers)},
        "confusions": [(int(a), int(b), int(pairs[a, b])) for a, b in top[:TOP_CONFUSIONS]
                       if pairs[a, b]],
    }  # fmt: skip


def writers_label(writers: Sequence[int], seen: bool) -> str:
    """'21-30' for a run of writers, else their count; '(seen)' when the model trained on them."""
    run = list(writers) == list(range(writers[0], writers[-1] + 1))
    text = f"{writers[0]}-{writers[-1]}" if run else f"{len(writers)} writers"
    text = str(writers[0]) if len(writers) == 1 else text
    return text + (" (seen)" if seen else "")


def mnist_accuracy(predictor: Predictor, mnist) -> float:
    """Accuracy on the 10,000 MNIST test digits."""
    return float(predictor.evaluate(mnist.test_x, mnist.test_y)["accuracy"])


def main(argv: Sequence[str] | None = None) -> None:
    """Command line: the side-by-side table, then each checkpoint's pen-digit breakdown."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checkpoint", action="append", type=Path, help="repeatable")
    parser.add_argument("--writers", type=writer_list, help="held-out writers, e.g. 21-30")
    parser.add_argument(
        "--drawn", type=int, default=500, help="MNIST test digits redrawn (0: skip)"
    )
    parser.add_argument("--styled", type=int, default=10, help="hands per style (0: skip)")
    parser.add_argument("--seed", type=int, default=0, help="sizes and places of the pen digits")
    parser.add_argument("--data", type=Path, help="MNIST folder (default $DIGITLAB_DATA)")
    parser.add_argument("--cache", type=Path, default=Path("runs/cache"), help="drawn sets")
    args = parser.parse_args(argv)

    paths = args.checkpoint or [SHIPPED["cnn"], SHIPPED["mlp"]]
    predictors = {p.stem: load_predictor(p) for p in paths}
    start = time.perf_counter()
    if args.writers:
        data = pendigits.held_out_set(args.writers, seed=args.seed)
    else:
        data = every_writer(args.seed, args.cache)
    drawn_s = time.perf_counter() - start

    from digitlab.data import load_mnist

    mnist = load_mnist(args.data, download=False)
    rows, details = [], []
    for name, predictor in predictors.items():
        writers, seen = (args.writers, False) if args.writers else held_out_writers(predictor)
        mask = np.isin(data.writers, writers)
        preds = judge(predictor, data, mask)
        result = breakdown(data.labels[mask], data.writers[mask], data.widths[mask], preds)
        row = {"name": name, "mnist": mnist_accuracy(predictor, mnist), "pen": result["all"],
               "pen_writers": writers_label(writers, seen), "n": int(mask.sum())}  # fmt: skip
        row.update(other_benchmarks(predictor, mnist, args))
        rows.append(row)
        details.append((name, result))
    print(summary_table(rows))
    for name, result in details:
        print(f"\n{name}\n{breakdown_text(result)}")
    print(
        f"\npen digits drawn with brushes {pendigits.JUDGED_WIDTHS} px, seed {args.seed}, "
        f"in {drawn_s:.0f} s; all in {time.perf_counter() - start:.0f} s"
    )


def every_writer(seed: int, cache: Path) -> pendigits.PenSet:
    """All 30 writers' digits drawn at the judged widths (~1 minute), kept in `cache`."""
    path = cache / f"pen-judged-{'-'.join(map(str, pendigits.JUDGED_WIDTHS))}-seed{seed}.npz"
    if path.exists():
        with np.load(path) as saved:
            return pendigits.PenSet(**{k: saved[k] for k in saved.files})
    data = pendigits.held_out_set(pendigits.WRITERS, seed=seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(path, **vars(data))
    return data


def other_benchmarks(predictor: Predictor, mnist, args) -> dict:
    """The drawn-digit and styled-digit benchmarks' overall accuracy (None when skipped)."""
    out: dict = {"drawn": None, "styled": None}
    if args.drawn:
        from benchmarks import drawn_digits

        pick = np.random.default_rng(0).choice(len(mnist.test_y), args.drawn, replace=False)
        digits, labels = mnist.test_x.numpy()[pick], mnist.test_y.numpy()[pick]
        out["drawn"] = drawn_digits.evaluate({"m": predictor}, digits, labels)["m"].mean()
    if args.styled:
        from benchmarks import styled_digits

        styled = _styled_set(args.styled)
        out["styled"] = (styled_digits.predict(predictor, styled.images) == styled.labels).mean()
    return out


@functools.lru_cache(maxsize=1)
def _styled_set(per_variant: int):
    """The styled set, drawn once for all the checkpoints of a run."""
    from benchmarks import styled_digits

    return styled_digits.styled_set(per_variant=per_variant)


def summary_table(rows: list[dict]) -> str:
    """Markdown: one row per checkpoint, MNIST test, held-out pen writers, drawn and styled."""
    head = ["checkpoint", "MNIST test", "pen digits", "pen writers (n)", "drawn", "styled"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        cells = [r["name"], f"{r['mnist']:.2%}", f"{r['pen']:.2%}"]
        cells.append(f"{r['pen_writers']} ({r['n']})")
        cells += [("-" if r[k] is None else f"{r[k]:.1%}") for k in ("drawn", "styled")]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def breakdown_text(result: dict) -> str:
    """Per digit, per brush width, per writer, and the top confusions, one line each."""

    def row(title: str, values: dict, prefix: str = "") -> str:
        return f"  {title}: " + ", ".join(f"{prefix}{k} {v:.1%}" for k, v in values.items())

    worst = min(result["writer"].values())
    spread = f"  (writers: lowest {worst:.1%}, highest {max(result['writer'].values()):.1%})"
    confusions = ", ".join(f"{a}->{b} ({n})" for a, b, n in result["confusions"]) or "none"
    return "\n".join([
        row("per digit", result["digit"]), row("per brush", result["width"], ""),
        row("per writer", result["writer"], "#") + "\n" + spread,
        f"  top confusions (true->read): {confusions}",
    ])  # fmt: skip


if __name__ == "__main__":
    main()
