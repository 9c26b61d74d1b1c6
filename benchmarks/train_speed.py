"""Training throughput and time-to-accuracy: DigitLab's trainer vs the PyTorch-tutorial loop.

    python -m benchmarks.train_speed [--models mlp cnn] [--seeds 0 1 2] [--epochs 2] [--quick]

Same process, same machine, same model. The baseline is what a reader of PyTorch tutorials
writes: torchvision.datasets.MNIST with ToTensor() + Normalize, DataLoader(batch_size=64,
shuffle=True), the plain loop. Throughput compares both at batch 64; time-to-accuracy runs each
with its own defaults (baseline: Adam 1e-3, batch 64; DigitLab: TrainConfig()) and evaluates on
the full test set 8 times per epoch, counting training seconds only. Medians over seeds.
"""

from __future__ import annotations

import argparse
import gzip
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader, Subset
from torchvision import datasets, transforms

from digitlab.config import TrainConfig, resolve_device
from digitlab.data import FILES, _find, default_root, load_mnist
from digitlab.models import build_model
from digitlab.train import Eval, Step, evaluate, train

TARGET = {"mlp": 0.98, "cnn": 0.99}
# Epochs for the time-to-accuracy runs: long enough for both loops to reach the target (the MLP
# needs more than DigitLab's 2-epoch default to pass 98%). DigitLab's one-cycle spans the run.
EPOCHS = {"mlp": 6, "cnn": 2}
EVALS_PER_EPOCH = 8


def torchvision_root(root: Path) -> Path:
    """A temp folder in torchvision's layout (raw files in MNIST/raw), from our MNIST copy."""
    tmp = Path(tempfile.mkdtemp(prefix="mnist-tv-"))
    raw = tmp / "MNIST" / "raw"
    raw.mkdir(parents=True)
    for key, path in _find(root).items():
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rb") as src, open(raw / FILES[key], "wb") as dst:
            shutil.copyfileobj(src, dst)
    return tmp


def _tutorial_loader(root: Path, subset: int | None) -> DataLoader:
    tf = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.1307,), (0.3081,))])
    train_set = datasets.MNIST(root, train=True, download=False, transform=tf)
    if subset is not None:
        train_set = Subset(train_set, range(subset))
    return DataLoader(train_set, batch_size=64, shuffle=True)


def baseline(cfg: TrainConfig, root: Path, max_steps: int | None = None):
    """The tutorial loop (Adam 1e-3, batch 64); yields (train_seconds, test_accuracy | None).

    With max_steps it only times that many steps and yields once, with accuracy None.
    """
    torch.manual_seed(cfg.seed)
    device = resolve_device(cfg.device)  # the same device DigitLab trains on
    loader, data = _tutorial_loader(root, cfg.subset), load_mnist()
    model = build_model(cfg).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    every = max_steps or len(loader) // EVALS_PER_EPOCH
    seconds = 0.0
    for _ in range(cfg.epochs):
        model.train()
        tick = time.perf_counter()
        for i, (x, y) in enumerate(loader, start=1):
            x, y = x.to(device), y.to(device)
            optimizer.zero_grad()
            loss = F.cross_entropy(model(x), y)
            loss.backward()
            optimizer.step()
            if i % every == 0:
                if device.type == "cuda":
                    torch.cuda.synchronize()  # count the queued GPU work, not just its launch
                seconds += time.perf_counter() - tick
                if max_steps:
                    yield seconds, None
                    return
                yield seconds, evaluate(model, data.test_x, data.test_y)["accuracy"]
                model.train()
                tick = time.perf_counter()


def ours(cfg: TrainConfig):
    """DigitLab's trainer; yields (train_seconds, test_accuracy) at each evaluation point."""
    for event in train(cfg, load_mnist()):
        if isinstance(event, Eval):
            yield event.elapsed, event.test_accuracy


def first_reach(points, target: float) -> float | None:
    """Training seconds at the first evaluation at or above target (None if never)."""
    return next((s for s, acc in points if acc is not None and acc >= target), None)


def images_per_s(kind: str, root: Path, steps: int, subset: int | None) -> tuple[float, float]:
    """(baseline, DigitLab) training images/s over `steps` steps at batch 64, same model."""
    cfg = TrainConfig(model=kind, batch_size=64, max_steps=steps, subset=subset)
    last = [e for e in train(cfg, load_mnist()) if isinstance(e, Step)][-1]
    base_seconds = next(iter(baseline(cfg, root, max_steps=steps)))[0]
    return steps * 64 / base_seconds, steps * 64 / last.elapsed


def run(
    models: list[str], seeds: list[int], epochs: int | None, steps: int, subset: int | None = None
) -> list[dict]:
    """One row per model: medians over seeds of throughput and time to target accuracy."""
    root = torchvision_root(default_root())
    rows = []
    try:
        for kind in models:
            rates = [images_per_s(kind, root, steps, subset) for _ in seeds]
            base_rate = statistics.median(r[0] for r in rates)
            our_rate = statistics.median(r[1] for r in rates)
            reach_base, reach_ours = [], []
            for seed in seeds:
                run_epochs = epochs or EPOCHS[kind]
                common = {"model": kind, "seed": seed, "epochs": run_epochs, "subset": subset}
                base_cfg = TrainConfig(batch_size=64, **common)
                our_cfg = TrainConfig(evals_per_epoch=EVALS_PER_EPOCH, **common)
                reach_base.append(first_reach(baseline(base_cfg, root), TARGET[kind]))
                reach_ours.append(first_reach(ours(our_cfg), TARGET[kind]))
            rows.append({
                "model": kind, "target": TARGET[kind],
                "baseline_img_s": base_rate, "digitlab_img_s": our_rate,
                "baseline_epoch_s": 60_000 / base_rate, "digitlab_epoch_s": 60_000 / our_rate,
                "speedup": our_rate / base_rate,
                "baseline_reach_s": _median(reach_base), "digitlab_reach_s": _median(reach_ours),
            })  # fmt: skip
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return rows


def _median(values: list[float | None]) -> float | None:
    """Median of the runs that reached the target; None if any run missed it."""
    return None if any(v is None for v in values) else statistics.median(values)


def table(rows: list[dict]) -> str:
    """Markdown table of run()'s rows."""
    fmt = lambda v: "not reached" if v is None else f"{v:.1f}"  # noqa: E731
    lines = [
        "| model | s/epoch baseline | s/epoch DigitLab | img/s baseline | img/s DigitLab | "
        "speedup | s to target baseline | s to target DigitLab |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['model']} (target {r['target']:.0%}) | {r['baseline_epoch_s']:.1f} | "
            f"{r['digitlab_epoch_s']:.1f} | {r['baseline_img_s']:,.0f} | "
            f"{r['digitlab_img_s']:,.0f} | "
            f"{r['speedup']:.1f}x | {fmt(r['baseline_reach_s'])} | {fmt(r['digitlab_reach_s'])} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="+", default=["mlp", "cnn"])
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument("--epochs", type=int, default=None, help=f"default: {EPOCHS}")
    parser.add_argument("--steps", type=int, default=300, help="steps timed for throughput")
    parser.add_argument("--subset", type=int, default=None, help="small runs: train images")
    args = parser.parse_args()
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, seeds {args.seeds}")
    print(table(run(args.models, args.seeds, args.epochs, args.steps, args.subset)))


if __name__ == "__main__":
    main()
