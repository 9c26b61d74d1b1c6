"""Prediction latency: preprocess a 280x280 canvas + forward pass, batch 1, one CPU thread.

    python -m benchmarks.predict_latency [--n 1000] [--checkpoint checkpoints/cnn.pt ...]

Prints p50/p99 per checkpoint, and batched throughput (drawings/s) for many users at once.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import numpy as np
import torch

from digitlab.data import load_mnist
from digitlab.inference.predict import Predictor
from digitlab.inference.preprocess import to_mnist
from digitlab.training.checkpoint import SHIPPED, load_predictor


def canvases(n: int, seed: int = 0) -> list[np.ndarray]:
    """MNIST test digits blown up 10x onto 280x280 RGBA canvases, ink in alpha (as the app gets)."""
    data = load_mnist()
    pick = np.random.default_rng(seed).choice(len(data.test_x), n, replace=False)
    out = []
    for i in pick:
        rgba = np.zeros((280, 280, 4), dtype=np.uint8)
        rgba[..., 3] = np.kron(data.test_x[i].numpy(), np.ones((10, 10), dtype=np.uint8))
        out.append(rgba)
    return out


def latency(predictor: Predictor, images: list[np.ndarray], warmup: int = 50) -> dict:
    """Per-call seconds of predictor.predict over the images; p50, p99 in milliseconds."""
    for img in images[:warmup]:
        predictor.predict(img)
    times = []
    for img in images:
        t = time.perf_counter()
        predictor.predict(img)
        times.append(time.perf_counter() - t)
    times.sort()
    return {
        "p50_ms": statistics.median(times) * 1e3,
        "p99_ms": times[int(0.99 * (len(times) - 1))] * 1e3,
    }


def throughput(predictor: Predictor, images: list[np.ndarray], batch: int = 64) -> float:
    """Drawings/s when requests are preprocessed one by one and classified in batches."""
    t = time.perf_counter()
    for start in range(0, len(images), batch):
        chunk = [to_mnist(img) for img in images[start : start + batch]]
        predictor.probabilities(np.stack(chunk))
    return len(images) / (time.perf_counter() - t)


def table(n: int, checkpoints: list[Path] | None = None) -> str:
    """Markdown table: p50/p99 of batch-1 predict() and batched throughput per checkpoint."""
    torch.set_num_threads(1)
    images = canvases(n)
    lines = [
        f"{n} calls on one CPU thread, 280x280 canvas, preprocessing included",
        "",
        "| model | p50 ms | p99 ms | batched drawings/s (batch 64) |",
        "|---|---|---|---|",
    ]
    for path in checkpoints or list(SHIPPED.values()):
        predictor = load_predictor(path)
        lat = latency(predictor, images)
        rate = throughput(predictor, images)
        name = f"{path.name} ({predictor.name})"
        lines.append(f"| {name} | {lat['p50_ms']:.2f} | {lat['p99_ms']:.2f} | {rate:,.0f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="calls per checkpoint")
    parser.add_argument("--checkpoint", type=Path, action="append")
    args = parser.parse_args()
    print(table(args.n, args.checkpoint))


if __name__ == "__main__":
    main()
