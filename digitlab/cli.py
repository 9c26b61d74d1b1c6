"""Command line: `python -m digitlab train ...` and `python -m digitlab evaluate PATH`."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

from tqdm import tqdm

from digitlab.checkpoint import CheckpointError, load_checkpoint, save_checkpoint
from digitlab.config import ConfigError, TrainConfig
from digitlab.data import DataError, load_mnist
from digitlab.models import build_model, count_parameters
from digitlab.train import Done, Eval, Step, evaluate, train


def _sizes(text: str) -> tuple[int, ...]:
    try:
        return tuple(int(s) for s in text.replace("-", ",").split(",") if s.strip())
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"expected sizes like 256,128, got {text!r}") from error


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m digitlab", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    tr = commands.add_parser("train", help="train a model on MNIST and save a checkpoint")
    defaults = TrainConfig()
    kinds = {bool: None, tuple: _sizes}
    for field in dataclasses.fields(TrainConfig):
        default = getattr(defaults, field.name)
        flag = "--" + field.name.replace("_", "-")
        if isinstance(default, bool):
            tr.add_argument(flag, action=argparse.BooleanOptionalAction, default=default)
            continue
        kind = kinds.get(type(default)) or (type(default) if default is not None else int)
        tr.add_argument(flag, type=kind, default=default, help=f"default: {default}")
    tr.add_argument("--out", type=Path, default=Path("runs/model.pt"), help="checkpoint to write")
    tr.add_argument("--data", type=Path, default=None, help="MNIST folder ($DIGITLAB_DATA)")
    ev = commands.add_parser("evaluate", help="test and per-digit accuracy of a checkpoint")
    ev.add_argument("path", type=Path)
    ev.add_argument("--data", type=Path, default=None, help="MNIST folder ($DIGITLAB_DATA)")
    return parser


def _train(args: argparse.Namespace) -> None:
    names = {f.name for f in dataclasses.fields(TrainConfig)}
    cfg = TrainConfig(**{k: v for k, v in vars(args).items() if k in names})
    data = load_mnist(args.data)
    params = count_parameters(build_model(cfg))
    print(
        f"training {cfg.label()} ({params:,} parameters) on {cfg.train_size:,} images, "
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
