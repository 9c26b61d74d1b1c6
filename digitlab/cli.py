"""Command line: `python -m digitlab train ...` and `python -m digitlab evaluate PATH`."""

from __future__ import annotations

import argparse
import copy
import dataclasses
import sys
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

import torch
from tqdm import tqdm

from digitlab.config import (
    ACTIVATIONS,
    AUGMENTS,
    DEVICES,
    MODELS,
    OPTIMIZERS,
    PRECISIONS,
    SCHEDULES,
    TRAIN_DATA,
    ConfigError,
    TrainConfig,
    parse_sizes,
    resolve_device,
)
from digitlab.data import DataError, load_mnist
from digitlab.evaluate import evaluate
from digitlab.threads import ThreadBudget
from digitlab.training.checkpoint import (
    Checkpoint,
    CheckpointError,
    load_checkpoint,
    save_checkpoint,
)
from digitlab.training.events import Done, Eval, RunState, Step
from digitlab.training.parts import make_optimizer
from digitlab.training.pen_data import pen_count
from digitlab.training.schedule import Schedule
from digitlab.training.settings import recipe_fields
from digitlab.training.steering import (
    KNOBS,
    Change,
    LiveSettings,
    initial_values,
    knobs,
    more_epochs,
)
from digitlab.training.trainer import train
from digitlab.words import t

# What each setting does, for `train --help`; argparse adds the choices, _parser the default.
HELP = {
    "model": "model family",
    "hidden": "MLP hidden layer sizes, e.g. 256-128, 256,128 or '256 128'",
    "activation": "MLP activation",
    "channels": "CNN conv widths, one 2x2 pooling stage each, e.g. 16-32-64",
    "batch_norm": "CNN batch normalization",
    "patch": "CNN: 2 = the first conv reads 2x2 pixel blocks (4x smaller maps), 1 = pixels",
    "dense": "CNN hidden Linear layers after the conv stages, e.g. 128; '' for none",
    "dropout": "dropout probability",
    "label_smoothing": "the loss's target gives the true digit 1 - this, shares this among all ten",
    "momentum": "SGD-with-momentum's momentum, or Adam's and AdamW's beta1 (plain sgd has none)",
    "lr": "learning rate (the peak, with onecycle)",
    "epochs": "passes over the training images; with --resume, how many more",
    "batch_size": "images per optimizer step",
    "optimizer": "optimizer",
    "weight_decay": "weight decay",
    "schedule": "learning-rate schedule",
    "augment": "off, light (rotation, scale, shift, thickness) or strong (+ slant, elastic)",
    "subset": "train on this many images (a seeded choice); none: all 60,000",
    "train_data": "mnist, or mnist+pen: MNIST and ~10,000 pen digits by 20 more writers "
    "(a subset takes the same share of them)",
    "seed": "random seed",
    "device": "where to train; auto: CUDA when available",
    "precision": "what the steps compute in; auto: bf16 on CUDA and on CPUs with native bf16",
    "max_steps": "stop after this many optimizer steps (smoke runs)",
    "evals_per_epoch": "test-set evaluations per epoch",
}
CHOICES = {
    "model": MODELS,
    "activation": ACTIVATIONS,
    "optimizer": OPTIMIZERS,
    "schedule": SCHEDULES,
    "augment": AUGMENTS,
    "device": DEVICES,
    "precision": PRECISIONS,
    "train_data": TRAIN_DATA,
}
FIELDS = dataclasses.fields(TrainConfig)
OUT = Path("runs/model.pt")
DATA_HELP = "MNIST folder (default: $DIGITLAB_DATA, else ./data)"
# --resume may change these in the config...
RESUME_CONFIG = ("device", "precision", "evals_per_epoch")
RESUMABLE = (*KNOBS, *RESUME_CONFIG, "epochs")  # ...and these flags are all it takes
RESUME_HELP = (
    "train this checkpoint's run --epochs more, with its optimizer state, batch order and "
    "counters; --lr, --momentum, --weight-decay, --dropout, --augment, --schedule change from "
    "there on (as the app's knobs do), and --device, --precision, --evals-per-epoch may "
    "change; flags that change the model, data, batch size or optimizer are refused"
)
USER_ERROR, DIVERGED, INTERRUPTED = 2, 3, 130
EXIT_STATUS = (
    f"Exit status: 0 done; {USER_ERROR} a mistake in the command, a setting, the data or a "
    f"checkpoint (one line says which); {DIVERGED} the run diverged (its checkpoint is saved, "
    f'marked "diverged"); {INTERRUPTED} interrupted (Ctrl-C: nothing saved)'
)


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
    parser = _Parser(prog="python -m digitlab", description=__doc__, epilog=EXIT_STATUS)
    commands = parser.add_subparsers(dest="command", required=True)
    # Settings left out stay out of args (SUPPRESS): the model's default run fills them in.
    mlp = " ".join(f"--{k.replace('_', '-')} {_shown(v)}" for k, v in recipe_fields("mlp").items())
    tr = commands.add_parser(
        "train", help="train a model on MNIST and save a checkpoint",
        description=f"The defaults below are the CNN's run; --model mlp changes {mlp} unless "
        f"given (the Train tab's default MLP run).\n\n{EXIT_STATUS}",
        argument_default=argparse.SUPPRESS, formatter_class=argparse.RawDescriptionHelpFormatter,
    )  # fmt: skip
    defaults = TrainConfig()
    for field in FIELDS:
        name, default = field.name, getattr(defaults, field.name)
        flag = "--" + name.replace("_", "-")
        text = f"{HELP[name]} (default: {_shown(default)})"
        if isinstance(default, bool):
            tr.add_argument(flag, action=argparse.BooleanOptionalAction, help=text)
        elif name in CHOICES:
            tr.add_argument(flag, type=str.lower, choices=CHOICES[name], help=text)
        elif isinstance(default, tuple):
            tr.add_argument(flag, type=_sizes_of(name), help=text)
        else:
            tr.add_argument(flag, type=type(default) if default is not None else int, help=text)
    tr.add_argument("--resume", type=Path, default=None, metavar="CHECKPOINT", help=RESUME_HELP)
    tr.add_argument("--out", type=Path, default=OUT, help=f"checkpoint to write (default: {OUT})")
    tr.add_argument("--data", type=Path, default=None, help=DATA_HELP)
    ev = commands.add_parser("evaluate", help="test and per-digit accuracy of a checkpoint")
    ev.add_argument("path", type=Path, help="checkpoint to evaluate")
    ev.add_argument("--data", type=Path, default=None, help=DATA_HELP)
    return parser


def _train(args: argparse.Namespace) -> int:
    given = {f.name: getattr(args, f.name) for f in FIELDS if hasattr(args, f.name)}
    if args.resume:
        cfg, done, steering = _resumed(args.resume, given)
    else:  # unset flags take the model's default run, as the Train tab's do
        run = recipe_fields(given.get("model", TrainConfig().model))
        cfg, done, steering = TrainConfig(**{**run, **given}), None, None
    data = load_mnist(args.data)
    left = cfg.total_steps - (done.state.step if done else 0)
    pen = pen_count(cfg)
    extra = f" and {pen:,} pen digits by writers 1-20" if pen else ""
    print(
        f"training {cfg.label()} ({cfg.parameters():,} parameters) on {cfg.train_size:,} MNIST "
        f"images{extra}, {left:,} steps"
    )
    final = _run(cfg, data, steering, done)
    path = save_checkpoint(args.out, final.model, final.config, final.metrics, final.state)
    if final.diverged:  # in the app's words
        d = dataclasses.asdict(final.divergence)
        print("diverged: " + t("status.diverged", **d, suggested=d["suggested_lr"]))
    m = final.metrics
    print(
        f"test accuracy {m['test_accuracy']:.2%} after {m['epochs']:g} epochs, "
        f"{m['train_time_s']:.1f}s of training on {final.trained_on}; saved {path}"
    )
    return DIVERGED if final.diverged else 0


def _resumed(path: Path, given: dict) -> tuple[TrainConfig, Done, LiveSettings]:
    """The config, Done and steering that continue the checkpoint's run for --epochs more."""
    fixed = ", ".join("--" + name.replace("_", "-") for name in given if name not in RESUMABLE)
    if fixed:
        why = "a resumed run keeps its model, data, batch size and optimizer"
        raise ConfigError(f"{fixed}: not with --resume: {why}")
    ckpt = load_checkpoint(path)
    cfg = dataclasses.replace(ckpt.config, **{k: given[k] for k in RESUME_CONFIG if k in given})
    if "dropout" in given and "dropout" not in knobs(cfg):
        raise ConfigError("--dropout: this model has no dropout layers whose rate could change")
    state = _state_for(path, ckpt, cfg)
    done = Done(ckpt.model, cfg, ckpt.metrics, False, state.elapsed, None, state, state.changes)
    longer = more_epochs(done, given.get("epochs", TrainConfig().epochs))
    steering = LiveSettings(longer, state.values)
    steering.change(**{name: given[name] for name in KNOBS if name in given})
    print(f"resuming {path} at epoch {state.step / cfg.steps_per_epoch:g} (step {state.step:,})")
    return longer, done, steering


def _state_for(path: Path, ckpt: Checkpoint, cfg: TrainConfig) -> RunState:
    """The checkpoint's training state, made to fit this device; a fresh one if it has none."""
    device = resolve_device(cfg.device)
    rng = torch.Generator(device).manual_seed(cfg.seed).get_state()  # a fresh run's, on device
    state = ckpt.state
    if state is None:
        print(f"{path} holds no optimizer state: resuming with a fresh optimizer and batch order")
        step = max(1, int(ckpt.metrics.get("steps", cfg.total_steps)))
        elapsed = float(ckpt.metrics.get("train_time_s", 0.0))
        optimizer = make_optimizer(cfg, ckpt.model).state_dict()
        # The schedule as it was, at its end: "more epochs" then extends it as the app does.
        schedule = Schedule.initial(cfg.schedule, cfg.lr, cfg.total_steps)
        return RunState(step, elapsed, optimizer, schedule, initial_values(cfg), None, rng)
    if state.rng.numel() == rng.numel() == state.batches["generator"].numel():
        return state
    # CPU and CUDA random-number states differ in kind: this device draws its own from the seed.
    print(f"{path} was trained on another kind of device: the batch order starts afresh here")
    optimizer = copy.deepcopy(state.optimizer)
    for group in optimizer["param_groups"]:
        group["fused"] = None  # fused Adam runs on CUDA only; the plain one runs anywhere
    return dataclasses.replace(state, optimizer=optimizer, batches=None, rng=rng)


def _run(cfg: TrainConfig, data, steering: LiveSettings | None, done: Done | None) -> Done:
    """Train, showing a progress bar, each evaluation and each change; the final Done."""
    start = done.state.step if done is not None else 0
    bar = tqdm(total=cfg.total_steps, initial=start, unit="step", dynamic_ncols=True, leave=False)
    final = None
    # Every core this process may use, one fewer while another process holds one (threads.py).
    budget = ThreadBudget(torch.get_num_threads())
    for event in train(cfg, data, steering=steering, continue_from=done, threads=budget):
        if isinstance(event, Step):
            bar.update(event.step - bar.n)
            bar.set_postfix(loss=f"{event.loss:.4f}", img_s=f"{event.images_per_s:,.0f}")
        elif isinstance(event, Eval):
            bar.write(
                f"epoch {event.epoch:5.2f}  test acc {event.test_accuracy:.2%}  "
                f"test loss {event.test_loss:.4f}  train acc {event.train_accuracy:.2%}  "
                f"{event.elapsed:6.1f}s"
            )
        elif isinstance(event, Change):
            old, new = (f"{v:g}" if isinstance(v, float) else v for v in (event.old, event.new))
            bar.write(f"epoch {event.epoch:5.2f}  {event.name.replace('_', ' ')} {old} -> {new}")
        elif isinstance(event, Done):
            final = event
    bar.close()
    return final


def _evaluate(args: argparse.Namespace) -> int:
    ckpt = load_checkpoint(args.path)
    data = load_mnist(args.data)
    result = evaluate(ckpt.model, data.test_x, data.test_y)
    print(f"{args.path}: {ckpt.config.label()}")
    print(f"test accuracy {result['accuracy']:.2%}  test loss {result['loss']:.4f}")
    print("per digit: " + "  ".join(f"{d}:{a:.2%}" for d, a in enumerate(result["per_class"])))
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the command line; the exit status is in EXIT_STATUS (user errors: one clear line)."""
    args = _parser().parse_args(argv)
    try:
        return {"train": _train, "evaluate": _evaluate}[args.command](args)
    except (ConfigError, DataError, CheckpointError) as error:
        print(f"error: {error}", file=sys.stderr)
        return USER_ERROR
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return INTERRUPTED
