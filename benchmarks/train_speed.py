"""Training throughput and time-to-accuracy: DigitLab's trainer vs the PyTorch-tutorial loop.

    python -m benchmarks.train_speed [--models mlp cnn] [--seeds 0 1 2 3 4] [--quick]

Same process, same machine, same model. The baseline is what a reader of PyTorch tutorials
writes: torchvision.datasets.MNIST with ToTensor() + Normalize, DataLoader(batch_size=64,
shuffle=True), the plain loop. Throughput compares both at batch 64 with the same model.

Time-to-accuracy runs the Train tab's default run for each model (what a teacher gets by
pressing Train: digitlab.training.settings.recipe) once per seed, evaluating on the full test set
EVALS_PER_EPOCH times an epoch (evaluations are not counted as training time), and reports the
median and the worst seed: the accuracy at the end, the training seconds at which the target
was first reached, and where in the run that was (a target crossed only at the last
evaluation is not one the class can count on). The tutorial loop runs to its own epochs.
"""

from __future__ import annotations

import argparse
import dataclasses
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
from digitlab.evaluate import evaluate
from digitlab.models import build_model
from digitlab.training import settings
from digitlab.training.events import Eval, Step
from digitlab.training.trainer import train

TARGET = {"mlp": 0.98, "cnn": 0.99}
# The tutorial loop's epochs for time-to-accuracy: long enough for it to reach the target.
EPOCHS = {"mlp": 6, "cnn": 2}
EVALS_PER_EPOCH = 10


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
    """DigitLab's trainer; yields (train_seconds, test_accuracy) at each evaluation point after
    the first (the untrained model's)."""
    for event in train(cfg, load_mnist()):
        if isinstance(event, Eval) and event.step > 0:
            yield event.elapsed, event.test_accuracy


def default_run(kind: str, seed: int, subset: int | None = None) -> TrainConfig:
    """The Train tab's default run for this model (as a teacher gets it), evaluated often."""
    values = {**settings.recipe(kind), "seed": seed}
    if subset is not None:
        values["subset"] = subset
    cfg = settings.config_from(values)
    return dataclasses.replace(cfg, evals_per_epoch=EVALS_PER_EPOCH)


def reach(points: list[tuple[float, float]], target: float) -> dict:
    """One run's figures: end accuracy, seconds to target, and the share of the run by then."""
    seconds = first_reach(points, target)
    total = points[-1][0]
    return {
        "end": points[-1][1], "seconds": seconds, "run_s": total,
        "share": None if seconds is None else seconds / total,
    }  # fmt: skip


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
            reach_base, runs = [], []
            for seed in seeds:
                base_cfg = TrainConfig(
                    model=kind, seed=seed, batch_size=64, subset=subset,
                    epochs=epochs or EPOCHS[kind],
                )  # fmt: skip
                reach_base.append(first_reach(baseline(base_cfg, root), TARGET[kind]))
                points = list(ours(default_run(kind, seed, subset)))
                runs.append(reach(points, TARGET[kind]))
            rows.append({
                "model": kind, "target": TARGET[kind], "recipe": default_run(kind, 0).label(),
                "baseline_img_s": base_rate, "digitlab_img_s": our_rate,
                "baseline_epoch_s": 60_000 / base_rate, "digitlab_epoch_s": 60_000 / our_rate,
                "speedup": our_rate / base_rate,
                "baseline_reach_s": _median(reach_base), "runs": runs,
            })  # fmt: skip
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return rows


def _median(values: list[float | None]) -> float | None:
    """Median of the runs that reached the target; None if any run missed it."""
    return None if any(v is None for v in values) else statistics.median(values)


def _worst(values: list[float | None], high_is_bad: bool) -> float | None:
    """The worst of the runs: None (never reached) if any missed."""
    if any(v is None for v in values):
        return None
    return max(values) if high_is_bad else min(values)


def table(rows: list[dict]) -> str:
    """Markdown tables of run()'s rows: speed against the tutorial, then the default runs."""
    fmt = lambda v, f="{:.1f}": "not reached" if v is None else f.format(v)  # noqa: E731
    lines = [
        "| model | s/epoch baseline | s/epoch DigitLab | img/s baseline | img/s DigitLab | "
        "speedup | s to target baseline |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['model']} (target {r['target']:.0%}) | {r['baseline_epoch_s']:.1f} | "
            f"{r['digitlab_epoch_s']:.1f} | {r['baseline_img_s']:,.0f} | "
            f"{r['digitlab_img_s']:,.0f} | {r['speedup']:.1f}x | {fmt(r['baseline_reach_s'])} |"
        )
    seeds = len(rows[0]["runs"]) if rows else 0
    lines += [
        "",
        f"The Train tab's default runs, {seeds} seeds: median (worst)",
        "",
        "| model | default run | accuracy at the end | s to target | target crossed at | run s |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        runs = r["runs"]
        end = [x["end"] for x in runs]
        secs, share = [x["seconds"] for x in runs], [x["share"] for x in runs]
        pct = "{:.0%}"
        lines.append(
            f"| {r['model']} ({r['target']:.0%}) | {r['recipe']} | "
            f"{statistics.median(end):.2%} ({min(end):.2%}) | "
            f"{fmt(_median(secs))} ({fmt(_worst(secs, True))}) | "
            f"{fmt(_median(share), pct)} ({fmt(_worst(share, True), pct)}) | "
            f"{statistics.median(x['run_s'] for x in runs):.1f} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="+", default=["mlp", "cnn"])
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2, 3, 4])
    parser.add_argument("--epochs", type=int, default=None, help=f"tutorial loop: {EPOCHS}")
    parser.add_argument("--steps", type=int, default=300, help="steps timed for throughput")
    parser.add_argument("--subset", type=int, default=None, help="small runs: train images")
    args = parser.parse_args()
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, seeds {args.seeds}")
    print(table(run(args.models, args.seeds, args.epochs, args.steps, args.subset)))


if __name__ == "__main__":
    main()
