"""Export a run as a standalone PyTorch script that reproduces it outside the app.

The script embeds DigitLab's own model class, batch order and augmentation (their source, via
inspect), so it cannot drift from the trainer; it needs only torch, numpy and (to download
MNIST) torchvision.
"""

from __future__ import annotations

import inspect
from pathlib import Path

from digitlab import data, models, train
from digitlab.config import MNIST_MEAN, MNIST_STD, TrainConfig
from digitlab.i18n import DEFAULT, Text

HEADER = '''"""Reproduce DigitLab run: {label}.

Standalone: needs torch and numpy (torchvision only to download MNIST).
Usage: python {{this file}} [MNIST folder]   (default ./data; downloaded there if missing)
Same seed and order of random draws as DigitLab's trainer: on the CPU it gives the same model.
"""

import gzip
import math
import sys
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

SETTINGS = {settings}
SEED = {seed}
TOTAL_STEPS = {total_steps}  # {epochs} epoch(s) of {steps_per_epoch} steps{capped}
MNIST_MEAN, MNIST_STD = {mean}, {std}
ACTIVATION = {{"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid}}
'''

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


def normalize(x):
    x = x.float().div_(255.0) if x.dtype == torch.uint8 else x.float()
    return x.unsqueeze(1).sub_(MNIST_MEAN).div_(MNIST_STD)


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "data"
    cuda = torch.cuda.is_available() and SETTINGS["device"] != "cpu"
    device = torch.device("cuda" if cuda else "cpu")
    torch.manual_seed(SEED)  # model init and dropout
    generator = torch.Generator(device=device).manual_seed(SEED)  # batch order, augmentation
    train_x, train_y, test_x, test_y = (t.to(device) for t in read_mnist(root))
    if SETTINGS["subset"] is not None:
        pick = torch.randperm(len(train_x), generator=torch.Generator().manual_seed(SEED))
        pick = pick[: SETTINGS["subset"]].to(device)
        train_x, train_y = train_x[pick], train_y[pick]
    model = build().to(device)
    channels_last = SETTINGS["model"] == "cnn"  # 3x faster CPU steps, as in DigitLab
    if channels_last:
        model = model.to(memory_format=torch.channels_last)
    optimizer = make_optimizer(model, cuda)
    scheduler = None
    if SETTINGS["schedule"] == "onecycle":
        scheduler = torch.optim.lr_scheduler.OneCycleLR(
            optimizer, max_lr=SETTINGS["lr"], total_steps=max(TOTAL_STEPS, 2), pct_start=0.25
        )
    autocast = torch.autocast("cuda", torch.bfloat16, enabled=cuda)
    model.train()
    step = 0
    while step < TOTAL_STEPS:
        for idx in batches(len(train_x), SETTINGS["batch_size"], generator, device):
            x = augment(train_x[idx], generator) if SETTINGS["augment"] else train_x[idx]
            x = normalize(x)
            if channels_last:
                x = x.contiguous(memory_format=torch.channels_last)
            loss = train_step(model, optimizer, scheduler, x, train_y[idx], autocast)
            step += 1
            if step % 50 == 0 or step == TOTAL_STEPS:
                print(f"step {step}/{TOTAL_STEPS} loss {loss.item():.4f}", flush=True)
            if step == TOTAL_STEPS:
                break
    model.eval()
    correct = 0
    with torch.inference_mode(), autocast:
        for start in range(0, len(test_x), 2000):
            xb = normalize(test_x[start: start + 2000])
            if channels_last:
                xb = xb.contiguous(memory_format=torch.channels_last)
            correct += (model(xb).float().argmax(1) == test_y[start: start + 2000]).sum().item()
    print(f"test accuracy {correct / len(test_x):.4f}")


def make_optimizer(model, cuda):
    params, lr, wd = model.parameters(), SETTINGS["lr"], SETTINGS["weight_decay"]
    if SETTINGS["optimizer"] == "sgd":
        return torch.optim.SGD(params, lr=lr, weight_decay=wd)
    if SETTINGS["optimizer"] == "momentum":
        return torch.optim.SGD(params, lr=lr, momentum=0.9, nesterov=True, weight_decay=wd)
    adam = torch.optim.Adam if SETTINGS["optimizer"] == "adam" else torch.optim.AdamW
    return adam(params, lr=lr, weight_decay=wd, fused=cuda or None)


if __name__ == "__main__":
    main()
'''


def export_script(cfg: TrainConfig) -> str:
    """A short standalone script with cfg's exact settings and seed; prints its test accuracy."""
    model_class = models.REGISTRY[cfg.model]
    kwargs = ", ".join(f"{k}={v!r}" for k, v in cfg.model_kwargs().items())
    pieces = [
        inspect.getsource(model_class),
        f"def build():\n    return {model_class.__name__}({kwargs})\n",
        inspect.getsource(data.batches),
        inspect.getsource(data.augment),
        inspect.getsource(train.train_step),
    ]
    capped = f", capped at max_steps={cfg.max_steps}" if cfg.max_steps is not None else ""
    header = HEADER.format(
        label=cfg.label(),
        settings=repr(cfg.to_dict()),
        seed=cfg.seed,
        total_steps=cfg.total_steps,
        epochs=cfg.epochs,
        steps_per_epoch=cfg.steps_per_epoch,
        capped=capped,
        mean=MNIST_MEAN,
        std=MNIST_STD,
    )
    return header + "\n\n" + "\n\n".join(pieces) + BODY


def run_choices(runs, lang: str = DEFAULT) -> list[tuple[str, str]]:
    """(label, name) of every run of a session (SessionRuns), newest first: all can be exported."""
    return [(r.label(lang), r.name) for r in reversed(runs.records)] if runs else []


def write_script(runs, name: str | None) -> tuple[Path, bool]:
    """Write the named run's script (default: the newest) into the session's folder.

    Returns the path and whether the run had been stopped early (the script runs to the end).
    """
    if not runs or not runs.records or runs.folder is None:
        raise LookupError(Text("msg.export_none"))
    record = next((r for r in runs.records if r.name == name), runs.records[-1])
    path = Path(runs.folder) / f"digitlab_run{record.number}_{record.done.config.model}.py"
    path.write_text(export_script(record.done.config))
    return path, record.done.stopped
