"""The shipped checkpoints' recipe: MNIST plus digits drawn on the canvas, trained by DigitLab.

MNIST's 60,000 training digits, plus (optional) canvas drawings read through the app's own
`to_mnist`, as a user's drawing is:

- `--styled N`: N digits in the written styles of benchmarks/strokes.py (crossed 7, flagged 1,
  open 4, curled 9, ...), drawn by random hands with brushes of 8-36 px, from `--data-seed`
  (never the styled benchmark's held-out seed 2026);
- `--redrawn N`: N MNIST *training* digits thinned to their pen path and redrawn with a round
  brush of 8-36 px at a random size and place (as benchmarks/drawn_digits.py does for test
  digits).

Then `digitlab.training.trainer.train` runs on the union with the settings of
`python -m digitlab train`
(the same flags; TrainConfig validates them). An epoch stays 60,000 images (TrainConfig counts
steps from MNIST's size), drawn from the union. The extra digits are cached in `--cache`
(default runs/cache), so a second run with the same sizes and seed starts at once.

    python -m benchmarks.train_shipped --styled 20000 --redrawn 20000 --model cnn ... --out PATH
"""

from __future__ import annotations

import argparse
import copy
import dataclasses
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch
from torch import nn

from benchmarks.drawn_digits import render_drawn
from benchmarks.styled_digits import styled_images
from digitlab.config import TrainConfig, parse_sizes
from digitlab.data import MNIST, load_mnist
from digitlab.evaluate import evaluate
from digitlab.inference.preprocess import to_mnist
from digitlab.lab import pendigits
from digitlab.training.checkpoint import load_checkpoint, save_checkpoint
from digitlab.training.events import Done, Eval
from digitlab.training.trainer import train

BRUSHES = (8, 36)  # brush diameters, px, for redrawn digits (the drawn-digit benchmark's range)


def redrawn_images(train_x: np.ndarray, seed: int, n: int) -> tuple[np.ndarray, np.ndarray]:
    """n training digits redrawn on the canvas and read by to_mnist: (n, 28, 28) uint8 and the
    indices of the digits they came from."""
    rng = np.random.default_rng([seed, 1])
    pick = rng.choice(len(train_x), size=n, replace=n > len(train_x))
    images = np.zeros((n, 28, 28), dtype=np.uint8)
    for i, index in enumerate(pick):
        canvas = render_drawn(train_x[index], int(rng.integers(BRUSHES[0], BRUSHES[1] + 1)), rng)
        digit = to_mnist(canvas)
        images[i] = 0 if digit is None else np.round(digit * 255).astype(np.uint8)
    return images, pick


def extra_digits(
    mnist: MNIST, styled: int, redrawn: int, seed: int, cache: Path,
    pen_writers: tuple[int, ...] = (), pen_copies: int = 0,
):  # fmt: skip
    """The extra training digits and labels (uint8 (N, 28, 28), int64 (N,)), cached by kind,
    size and seed."""
    xs, ys = [], []
    pen = len(pen_writers) * pen_copies
    for kind, n in (("styled", styled), ("redrawn", redrawn), ("pen", pen)):
        if n == 0:
            continue
        writers = ".".join(map(str, pen_writers))
        name = f"pen-{writers}-x{pen_copies}" if kind == "pen" else f"{kind}-{n}"
        path = cache / f"{name}-seed{seed}.npz"
        if not path.exists():
            start = time.perf_counter()
            if kind == "styled":
                x, y = styled_images(seed, n)
            elif kind == "pen":
                x, y = pendigits.training_images(
                    pendigits.of_writers(pen_writers), pen_copies, seed
                )
            else:
                x, pick = redrawn_images(mnist.train_x.numpy(), seed, n)
                y = mnist.train_y.numpy()[pick]
            path.parent.mkdir(parents=True, exist_ok=True)
            np.savez_compressed(path, x=x, y=y)
            print(f"drew {len(x):,} {kind} digits in {time.perf_counter() - start:.0f} s -> {path}")
        with np.load(path) as saved:
            xs.append(torch.from_numpy(saved["x"]))
            ys.append(torch.from_numpy(saved["y"]).long())
    return xs, ys


def blend(start: nn.Module, tuned: nn.Module, weight: float) -> nn.Module:
    """(1 - weight) x start's weights + weight x tuned's (WiSE-FT, Wortsman et al. 2022): a
    fine-tuned model averaged with the one it started from keeps the start's accuracy on what it
    knew (MNIST) and most of what fine-tuning taught (written styles). BatchNorm's running
    statistics are averaged the same way; its step counter is the tuned model's."""
    ours, theirs = start.state_dict(), tuned.state_dict()
    mixed = copy.deepcopy(tuned)
    mixed.load_state_dict({
        k: torch.lerp(ours[k].float(), v.float(), weight).to(v.dtype) if v.is_floating_point()
        else v
        for k, v in theirs.items()
    })  # fmt: skip
    return mixed


def _measured(test: dict) -> dict:
    """The test metrics a checkpoint keeps, from evaluate()'s result."""
    return {
        "test_accuracy": test["accuracy"], "test_loss": test["loss"],
        "per_class": test["per_class"], "confusion": test["confusion"],
    }  # fmt: skip


def writer_list(text: str) -> tuple[int, ...]:
    """Pen-digit writers from "1-20", "1-10,21-30", "all" or "none"."""
    if text in ("none", ""):
        return ()
    if text == "all":
        return pendigits.WRITERS
    chosen: set[int] = set()
    for part in text.split(","):
        low, _, high = part.partition("-")
        chosen.update(range(int(low), int(high or low) + 1))
    if not chosen <= set(pendigits.WRITERS):
        raise argparse.ArgumentTypeError("writers are numbered 1 to 30")
    return tuple(sorted(chosen))


def run(
    cfg: TrainConfig, data: MNIST, out: Path, start_from=None, weight: float = 1.0,
    extra: dict | None = None,
) -> Done:  # fmt: skip
    """Train (from start_from's weights if given; blended back with them by `weight` < 1),
    print each evaluation as the command line does, save the checkpoint."""
    done = None
    for event in train(cfg, data, start_from=start_from):
        if isinstance(event, Eval):
            print(
                f"epoch {event.epoch:5.2f}  test acc {event.test_accuracy:.2%}  "
                f"test loss {event.test_loss:.4f}  train acc {event.train_accuracy:.2%}  "
                f"{event.elapsed:6.1f}s",
                flush=True,
            )
        elif isinstance(event, Done):
            done = event
    model, metrics = done.model, done.metrics
    if start_from is not None and weight < 1.0:
        model = blend(start_from, done.model, weight)
        test = evaluate(model, data.test_x, data.test_y)
        metrics = {**metrics, "blend": weight, **_measured(test)}
        print(f"blended {weight:g} x fine-tuned + {1 - weight:g} x start", flush=True)
    save_checkpoint(out, model, cfg, {**metrics, **(extra or {})})
    m = metrics
    print(
        f"test accuracy {m['test_accuracy']:.2%} after {m['epochs']} epochs, "
        f"{m['train_time_s']:.1f}s of training on {m['device']}; saved {out}"
    )
    return done


def _settings_parser(parser: argparse.ArgumentParser) -> None:
    """A --flag per TrainConfig field, as `python -m digitlab train` names them."""
    for field in dataclasses.fields(TrainConfig):
        flag, default = "--" + field.name.replace("_", "-"), getattr(TrainConfig(), field.name)
        if isinstance(default, bool):
            parser.add_argument(flag, action=argparse.BooleanOptionalAction, default=default)
        elif isinstance(default, tuple):
            parser.add_argument(flag, type=lambda text, f=field.name: parse_sizes(text, f))
        else:
            kind = type(default) if default is not None else int
            parser.add_argument(flag, type=kind, default=default)


def main(argv: Sequence[str] | None = None) -> None:
    """Command line: the extra digits, then any `python -m digitlab train` setting."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--styled", type=int, default=0, help="styled drawings to add")
    parser.add_argument("--redrawn", type=int, default=0, help="redrawn training digits to add")
    parser.add_argument(
        "--pen-writers", type=writer_list, default=(),
        help="pen-digit writers to add, e.g. 1-20 or 1-10,21-30 (default none)",
    )  # fmt: skip
    parser.add_argument(
        "--pen-copies", type=int, default=8, help="times each pen digit is drawn (default 8)"
    )
    parser.add_argument("--data-seed", type=int, default=1, help="seed of the extra digits")
    parser.add_argument("--cache", type=Path, default=Path("runs/cache"))
    parser.add_argument("--threads", type=int, default=0, help="torch threads (0: torch's)")
    parser.add_argument("--out", type=Path, required=True, help="checkpoint to write")
    parser.add_argument(
        "--init", type=Path, help="fine-tune: start from this checkpoint's weights (same model)"
    )
    parser.add_argument(
        "--blend", type=float, default=1.0,
        help="with --init: save (1-B) x the initial weights + B x the fine-tuned ones (WiSE-FT)",
    )  # fmt: skip
    parser.add_argument("--data", type=Path, help="MNIST folder (default: $DIGITLAB_DATA)")
    _settings_parser(parser.add_argument_group("digitlab train settings"))
    args = parser.parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    fields = {f.name for f in dataclasses.fields(TrainConfig)}
    cfg = TrainConfig(**{k: v for k, v in vars(args).items() if k in fields and v is not None})
    mnist = load_mnist(args.data)
    xs, ys = extra_digits(
        mnist, args.styled, args.redrawn, args.data_seed, args.cache, args.pen_writers,
        args.pen_copies,
    )  # fmt: skip
    data = MNIST(
        torch.cat([mnist.train_x, *xs]), torch.cat([mnist.train_y, *ys]), mnist.test_x,
        mnist.test_y,
    )  # fmt: skip
    pen = len(pendigits.of_writers(args.pen_writers)) * args.pen_copies if args.pen_writers else 0
    pen = f", {pen:,} pen digits of {len(args.pen_writers)} writers" if pen else ""
    print(
        f"training {cfg.label()} ({cfg.parameters():,} parameters) on {len(data.train_x):,} "
        f"images ({args.styled:,} styled, {args.redrawn:,} redrawn{pen}), "
        f"{cfg.total_steps:,} steps",
        flush=True,
    )
    start = load_checkpoint(args.init).model if args.init else None
    if start is not None:
        print(f"starting from the weights of {args.init}", flush=True)
    elif args.blend != 1.0:
        parser.error("--blend needs --init (the weights to blend back with)")
    if not 0.0 < args.blend <= 1.0:
        parser.error("--blend: a weight in (0, 1]")
    run(cfg, data, args.out, start, args.blend, {"pen_writers": list(args.pen_writers)})


if __name__ == "__main__":
    main()
