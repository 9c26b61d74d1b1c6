"""Command line: `python -m digitlab train ...` and `python -m digitlab evaluate PATH`."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

from tqdm import tqdm

from digitlab.checkpoint import CheckpointError, load_checkpoint, save_checkpoint
from digitlab.config import (
    ACTIVATIONS,
    DEVICES,
    MODELS,
    OPTIMIZERS,
    SCHEDULES,
    ConfigError,
    TrainConfig,
    parse_sizes,
)
from digitlab.data import DataError, load_mnist
from digitlab.train import Done, Eval, Step, evaluate, train

# What each setting does, for `train --help`; argparse adds the choices, _parser the default.
HELP = {
    "model": "model family",
    "hidden": "MLP hidden layer sizes, e.g. 256-128, 256,128 or '256 128'",
    "activation": "MLP activation",
    "channels": "CNN conv widths, one 2x2 pooling stage each, e.g. 16-32-64",
    "batch_norm": "CNN batch normalization",
    "dropout": "dropout probability",
    "momentum": "SGD-with-momentum's momentum, or Adam's and AdamW's beta1 (plain sgd has none)",
    "lr": "learning rate (the peak, with onecycle)",
    "epochs": "passes over the training images",
    "batch_size": "images per optimizer step",
    "optimizer": "optimizer",
    "weight_decay": "weight decay",
    "schedule": "learning-rate schedule",
    "augment": "random rotation, scale, shift and stroke thickness",
    "subset": "train on this many images (a seeded choice); none: all 60,000",
    "seed": "random seed",
    "device": "where to train; auto: CUDA when available",
    "max_steps": "stop after this many optimizer steps (smoke runs)",
    "evals_per_epoch": "test-set evaluations per epoch",
}
CHOICES = {
    "model": MODELS,
    "activation": ACTIVATIONS,
    "optimizer": OPTIMIZERS,
    "schedule": SCHEDULES,
    "device": DEVICES,
}
OUT = Path("runs/model.pt")
DATA_HELP = "MNIST folder (default: $DIGITLAB_DATA, else ./data)"


class _Parser(argparse.ArgumentParser):
    """argparse that reports a mistake in one line, not after the whole usage block."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"error: {message} (see: {self.prog} --help)\n")


def _sizes_of(field: str) -> Callable[[str], tuple[int, ...]]:
    def sizes(text: str) -> tuple[int, ...]:
        try:
            return parse_sizes(text, field)
        except ConfigError as error:  # argparse shows only ArgumentTypeError's own message
            raise argparse.ArgumentTypeError(str(error)) from None

    return sizes


def _shown(default: object) -> str:
    if isinstance(default, bool):
        return "on" if default else "off"
    if isinstance(default, tuple):
        return "-".join(map(str, default))
    return "none" if default is None else str(default)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m digitlab", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    tr = commands.add_parser("train", help="train a model on MNIST and save a checkpoint")
    defaults = TrainConfig()
    for field in dataclasses.fields(TrainConfig):
        name, default = field.name, getattr(defaults, field.name)
        flag = "--" + name.replace("_", "-")
        text = f"{HELP[name]} (default: {_shown(default)})"
        if isinstance(default, bool):
            tr.add_argument(flag, action=argparse.BooleanOptionalAction, default=default, help=text)
        elif name in CHOICES:
            tr.add_argument(flag, type=str.lower, choices=CHOICES[name], default=default, help=text)
        elif isinstance(default, tuple):
            tr.add_argument(flag, type=_sizes_of(name), default=default, help=text)
        else:
            kind = type(default) if default is not None else int
            tr.add_argument(flag, type=kind, default=default, help=text)
    tr.add_argument("--out", type=Path, default=OUT, help=f"checkpoint to write (default: {OUT})")
    tr.add_argument("--data", type=Path, default=None, help=DATA_HELP)
    ev = commands.add_parser("evaluate", help="test and per-digit accuracy of a checkpoint")
    ev.add_argument("path", type=Path, help="checkpoint to evaluate")
    ev.add_argument("--data", type=Path, default=None, help=DATA_HELP)
    return parser


def _train(args: argparse.Namespace) -> None:
    names = {f.name for f in dataclasses.fields(TrainConfig)}
    cfg = TrainConfig(**{k: v for k, v in vars(args).items() if k in names})
    data = load_mnist(args.data)
    print(
        f"training {cfg.label()} ({cfg.parameters():,} parameters) on {cfg.train_size:,} images, "
        f"{cfg.total_steps:,} steps"
    )
    bar = tqdm(total=cfg.total_steps, unit="step", dynamic_ncols=True, leave=False)
    done = None
    for event in train(cfg, data):
        if isinstance(event, Step):
            bar.update(event.step - bar.n)
            bar.set_postfix(loss=f"{event.loss:.4f}", img_s=f"{event.images_per_s:,.0f}")
        elif isinstance(event, Eval):
            bar.write(
                f"epoch {event.epoch:5.2f}  test acc {event.test_accuracy:.2%}  "
                f"test loss {event.test_loss:.4f}  train acc {event.train_accuracy:.2%}  "
                f"{event.elapsed:6.1f}s"
            )
        elif isinstance(event, Done):
            done = event
    bar.close()
    path = save_checkpoint(args.out, done.model, cfg, done.metrics)
    m = done.metrics
    print(
        f"test accuracy {m['test_accuracy']:.2%} after {m['epochs']} epochs, "
        f"{m['train_time_s']:.1f}s of training on {m['device']}; saved {path}"
    )


def _evaluate(args: argparse.Namespace) -> None:
    ckpt = load_checkpoint(args.path)
    data = load_mnist(args.data)
    result = evaluate(ckpt.model, data.test_x, data.test_y)
    print(f"{args.path}: {ckpt.config.label()}")
    print(f"test accuracy {result['accuracy']:.2%}  test loss {result['loss']:.4f}")
    print("per digit: " + "  ".join(f"{d}:{a:.2%}" for d, a in enumerate(result["per_class"])))


def main(argv: list[str] | None = None) -> int:
    """Run the command line; user errors print one clear line and exit with status 2."""
    args = _parser().parse_args(argv)
    try:
        {"train": _train, "evaluate": _evaluate}[args.command](args)
    except (ConfigError, DataError, CheckpointError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    return 0
