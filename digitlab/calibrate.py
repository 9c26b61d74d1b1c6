"""Fit and store the temperature of checkpoints (digitlab/inference/calibration.py).

    python -m digitlab.calibrate [--write] [--data DIR] [CHECKPOINT ...]

prints each checkpoint's T and its expected calibration error before and after; --write stores
T in the checkpoint's metrics (metrics["temperature"]), where the app's Predictor reads it.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from digitlab.data import DataError, load_mnist
from digitlab.inference.calibration import BINS, Calibration, calibrate
from digitlab.inference.predict import Predictor
from digitlab.training.checkpoint import SHIPPED, CheckpointError, load_checkpoint, save_checkpoint


def add_temperature(path: str | Path, data_root: str | Path | None = None) -> Calibration:
    """Fit a checkpoint's T on MNIST test 0-4999 and store it in its metrics (rewritten
    atomically; weights, settings and training state unchanged)."""
    ckpt = load_checkpoint(path)
    data = load_mnist(data_root, download=False)
    found = calibrate(Predictor(ckpt.model), data.test_x, data.test_y)
    metrics = {**ckpt.metrics, "temperature": found.temperature}
    save_checkpoint(path, ckpt.model, ckpt.config, metrics, ckpt.state)
    return found


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: each checkpoint's T and ECE before/after; --write stores T in it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("checkpoints", nargs="*", type=Path, help="default: the shipped ones")
    parser.add_argument("--data", type=Path, help="MNIST folder (default $DIGITLAB_DATA)")
    parser.add_argument("--write", action="store_true", help="store T in each checkpoint")
    args = parser.parse_args(argv)
    try:
        data = load_mnist(args.data, download=False)
        for path in args.checkpoints or [SHIPPED["cnn"], SHIPPED["mlp"]]:
            if args.write:
                found = add_temperature(path, args.data)
            else:
                model = load_checkpoint(path).model
                found = calibrate(Predictor(model), data.test_x, data.test_y)
            print(
                f"{path}: T = {found.temperature:.3f}; ECE on MNIST test 5000-9999 "
                f"({BINS} bins): {found.before.ece:.2%} before, {found.after.ece:.2%} after"
                + ("; T stored in its metrics" if args.write else "")
            )
    except (OSError, CheckpointError, DataError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
