"""The training run's thread budget against a busy core: seconds per epoch of the default CNN.

    python -m benchmarks.thread_budget [--steps 200] [--model cnn]

Three thread policies, each timed alone and beside another process that keeps one core busy
(a Python busy loop, as a second job or a burst of students' predictions would):
`all cores` (torch's default: every core, fixed), `one fewer` (fixed, what the app used to do
on a small box) and `budget` (digitlab.threads.ThreadBudget: all cores, one fewer while a core
is taken). Reports s/epoch (from `--steps` steps at the default run's batch size) and, for the
budget, how often it changed its thread count.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import subprocess
import sys
import time

import torch

from digitlab.data import load_mnist
from digitlab.threads import ThreadBudget, cores
from digitlab.training import settings
from digitlab.training.events import Step
from digitlab.training.trainer import train


@contextlib.contextmanager
def busy_core():
    """Another process spinning on one core while the block runs."""
    hog = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        time.sleep(0.5)  # let it start spinning
        yield
    finally:
        hog.kill()
        hog.wait()


def epoch_seconds(model: str, steps: int, policy: str) -> tuple[float, int]:
    """s/epoch of the model's default run under a thread policy, and the budget's changes."""
    cfg = settings.config_from({**settings.recipe(model), "seed": 0})
    cfg = dataclasses.replace(cfg, max_steps=steps, evals_per_epoch=1)
    n = cores()
    torch.set_num_threads(n if policy == "all cores" else max(1, n - 1))
    budget = ThreadBudget(n) if policy == "budget" else None  # sets its own count, all cores
    last = [e for e in train(cfg, load_mnist(), threads=budget) if isinstance(e, Step)][-1]
    changes = len(budget.changes) - 1 if budget is not None else 0
    return last.elapsed / steps * cfg.steps_per_epoch, changes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=200, help="steps timed per measurement")
    parser.add_argument("--model", default="cnn", choices=["mlp", "cnn"])
    args = parser.parse_args()
    print(f"{cores()} cores, torch {torch.__version__}, {args.model}, {args.steps} steps a run")
    print("| threads | s/epoch alone | s/epoch beside a busy core | slowdown | budget changes |")
    print("|---|---|---|---|---|")
    for policy in ("all cores", "one fewer", "budget"):
        alone, _ = epoch_seconds(args.model, args.steps, policy)
        with busy_core():
            beside, changes = epoch_seconds(args.model, args.steps, policy)
        print(
            f"| {policy} | {alone:.1f} | {beside:.1f} | {beside / alone:.1f}x | "
            f"{changes if policy == 'budget' else '-'} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
