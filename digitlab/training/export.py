"""Export a run as a standalone PyTorch script that reproduces it outside the app.

The script embeds DigitLab's own model class, batch order, augmentation, lr schedule, optimizer
and training step (their source, via inspect), so it cannot drift from the trainer; it needs
only torch, numpy and (to download MNIST) torchvision. A run trained on the pen digits too is
refused: the script could not carry them (their file and renderer), and an MNIST-only script
would not reproduce that run.
"""

from __future__ import annotations

import inspect
from pathlib import Path

from digitlab import data, models
from digitlab.config import MNIST_MEAN, MNIST_STD, TrainConfig
from digitlab.training import knobs, parts, pen_data, schedule, step
from digitlab.training.steering import Change
from digitlab.words import DEFAULT, Text

HEADER = '''"""Reproduce DigitLab run: {label}.

Standalone: needs torch and numpy (torchvision only to download MNIST).
Usage: python {{this file}} [MNIST folder]   (default ./data; downloaded there if missing)
Same seed and order of random draws as DigitLab's trainer: on the CPU it gives the same model.
{not_replayed}"""

from __future__ import annotations

import contextlib
import dataclasses
import gzip
import math
import sys
import types
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

SETTINGS = {settings}
SEED = {seed}
TOTAL_STEPS = {total_steps}  # {epochs} epoch(s) of {steps_per_epoch} steps{capped}
MNIST_MEAN, MNIST_STD = {mean}, {std}
{constants}
'''

# A steered or continued run's changes happened at moments only that run knew about.
NOT_REPLAYED = """
Not replayed: this run was changed while it trained ({names}). The script trains with the
settings below from start to end, so it does not reproduce that run's changes or its result.
"""

BODY = '''

def read_mnist(root):
    """The four MNIST files (raw or .gz, flat or torchvision's MNIST/raw) as tensors."""
    names = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte",
             "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"]
    def find(name):
        for folder in (Path(root), Path(root) / "MNIST" / "raw"):
            for path in (folder / name, folder / (name + ".gz")):
                if path.is_file():
                    return path
        return None
    if any(find(n) is None for n in names):
        from torchvision.datasets import MNIST
        for train in (True, False):
            MNIST(root, train=train, download=True)
    arrays = []
    for name in names:
        path = find(name)
        raw = (gzip.open if path.suffix == ".gz" else open)(path, "rb").read()
        ndim = raw[3]
        shape = [int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim)]
        array = np.frombuffer(raw, np.uint8, offset=4 + 4 * ndim).reshape(shape)
        arrays.append(torch.from_numpy(array.astype(np.int64) if ndim == 1 else array.copy()))
    return arrays


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "data"
    cfg = types.SimpleNamespace(**SETTINGS)  # attributes, as make_optimizer reads a TrainConfig
    cuda = torch.cuda.is_available() and cfg.device != "cpu"
    device = torch.device("cuda" if cuda else "cpu")
    torch.manual_seed(SEED)  # model init and dropout
    generator = torch.Generator(device=device).manual_seed(SEED)  # batch order, augmentation
    train_x, train_y, test_x, test_y = (t.to(device) for t in read_mnist(root))
    if cfg.subset is not None:
        pick = seeded_choice(len(train_x), cfg.subset, SEED).to(device)
        train_x, train_y = train_x[pick], train_y[pick]
    model = build().to(device)
    channels_last = cfg.model == "cnn"  # 3x faster CPU steps, as in DigitLab
    if channels_last:
        model = model.to(memory_format=torch.channels_last)
    optimizer = make_optimizer(cfg, model)
    schedule = Schedule.initial(cfg.schedule, cfg.lr, TOTAL_STEPS)
    autocast = step_autocast(device, cfg.precision)
    model.train()
    step = 0
    while step < TOTAL_STEPS:
        for idx in batches(len(train_x), cfg.batch_size, generator, device):
            x = prepare_batch(train_x, idx, generator, cfg.augment, channels_last)
            set_step_lr(optimizer, schedule, step)
            y, smoothing = train_y[idx], cfg.label_smoothing
            loss = train_step(model, optimizer, x, y, autocast, smoothing)
            step += 1
            if step % 50 == 0 or step == TOTAL_STEPS:
                print(f"step {step}/{TOTAL_STEPS} loss {loss.item():.4f}", flush=True)
            if step == TOTAL_STEPS:
                break
    model.eval()
    correct = 0
    with torch.inference_mode(), torch.autocast("cuda", torch.bfloat16, enabled=cuda):
        for start in range(0, len(test_x), 2000):
            xb = normalize(test_x[start: start + 2000])
            if channels_last:
                xb = xb.contiguous(memory_format=torch.channels_last)
            correct += (model(xb).float().argmax(1) == test_y[start: start + 2000]).sum().item()
    print(f"test accuracy {correct / len(test_x):.4f}")


if __name__ == "__main__":
    main()
'''


class ExportError(ValueError):
    """This run cannot be written as a standalone script; the message says why."""


def export_script(cfg: TrainConfig, changes: tuple[Change, ...] = ()) -> str:
    """A short standalone script with cfg's exact settings and seed; prints its test accuracy.

    changes: the run's live changes (Done.changes), which the script says it does not replay.
    ExportError for a run that trained on the pen digits too.
    """
    if pen_data.uses_pen(cfg):
        raise ExportError(Text("msg.export_pen"))
    model_class = models.REGISTRY[cfg.model]
    kwargs = ", ".join(f"{k}={v!r}" for k, v in cfg.model_kwargs().items())
    pieces = [
        _source(model_class),
        f"def build():\n    return {model_class.__name__}({kwargs})\n",
        _source(data.batches),
        _source(data.augment),
        _source(data.normalize),
        _source(schedule.Schedule),
        _source(schedule._cycle),
        _source(schedule._anneal),
        _source(parts.make_optimizer),
        _source(parts.training_precision),
        _source(parts.step_autocast),
        _source(knobs.set_step_lr),
        _source(knobs._set_momentum),
        _source(pen_data.seeded_choice),
        _source(step.prepare_batch),
        _source(step.train_step),
    ]
    names = ", ".join(dict.fromkeys(change.name for change in changes))
    capped = f", capped at max_steps={cfg.max_steps}" if cfg.max_steps is not None else ""
    header = HEADER.format(
        label=cfg.label(),
        not_replayed=NOT_REPLAYED.format(names=names) if changes else "",
        settings=repr(cfg.to_dict()),
        seed=cfg.seed,
        total_steps=cfg.total_steps,
        epochs=cfg.epochs,
        steps_per_epoch=cfg.steps_per_epoch,
        capped=capped,
        mean=MNIST_MEAN,
        std=MNIST_STD,
        constants=_constants(models, "ACTIVATION")
        + "\n"
        + _constants(schedule, "WARM_UP", "DIV_FACTOR", "FINAL_DIV", "MOMENTUM_CYCLE"),
    )
    return header + "\n\n" + "\n\n".join(pieces) + BODY


def _source(obj) -> str:
    """obj's source, headed by where it comes from, so a reader can look it up in DigitLab."""
    return f"# From {obj.__module__}.\n{inspect.getsource(obj)}"


def _constants(module, *names: str) -> str:
    """The module-level assignments of these names, as written there (with their comments)."""
    lines = inspect.getsource(module).splitlines()
    return "\n".join(line for line in lines if line.split(" = ")[0] in names)


def run_choices(runs, lang: str = DEFAULT) -> list[tuple[str, str]]:
    """(label, name) of every run of a session (SessionRuns), newest first: all can be exported."""
    return [(r.label(lang), r.name) for r in reversed(runs.records)] if runs else []


def write_script(runs, name: str | None) -> tuple[Path, bool]:
    """Write the named run's script (default: the newest) into the session's folder.

    Returns the path and whether the run had been stopped early (the script runs to the end).
    A run steered live or continued is written too; its script's docstring says what it does
    not replay. LookupError without a run, ExportError for a run with pen digits.
    """
    if not runs or not runs.records or runs.folder is None:
        raise LookupError(Text("msg.export_none"))
    record = next((r for r in runs.records if r.name == name), runs.records[-1])
    done = record.done
    path = Path(runs.folder) / f"digitlab_run{record.number}_{done.config.model}.py"
    path.write_text(export_script(done.config, done.changes))
    return path, done.stopped
