"""Data from more people: what a "mnist+pen" run trains on, and the held-out pen writers the
Evaluate tab judges on.

MNIST's digits come from about 500 writers who all wrote on paper forms in the same way; the
pen digits (pendigits.py, UCI, 30 writers on a tablet) are drawn the way the app's canvas
draws, so a model trained with them sees other people's 9s and 1s. The Train tab's runs take
writers 1-20 (PEN_WRITERS); the Evaluate tab judges on writers 21-30 (HELD_OUT). Each set is
drawn on first use and kept for the process.

An epoch stays what it was: cfg.steps_per_epoch counts MNIST's images (TrainConfig.train_size),
and the batches are drawn from MNIST and the pen digits together, so an epoch of a "mnist+pen"
run sees about 6/7 of its images. A subset (TrainConfig.subset) takes the same share of the pen
digits as of MNIST (1,000 of 60,000 MNIST images: 1/60 of the pen digits too), a seeded choice:
the pen digits stay a seventh of the images whatever the subset.
"""

from __future__ import annotations

import functools
import threading

import numpy as np
import torch

from digitlab.config import TRAIN_SIZE, TrainConfig
from digitlab.data import MNIST
from digitlab.lab import pendigits

HELD_OUT = pendigits.FOLDS[2]  # writers 21-30: the Evaluate tab's; no Train-tab run sees them
PEN_WRITERS = tuple(w for w in pendigits.WRITERS if w not in HELD_OUT)  # 1-20
COPIES = 2  # times a run's set draws each digit of writers 1-20 by random pens: ~10,000 images
BRUSH = 24  # the app's brush (canvas.js: radius 12), for the held-out drawings
SEED = 7  # the random pens of the training set (held_out_set has its own seeds)
_drawn = threading.Event()  # set once this process has drawn the training writers' digits
_drawing = threading.Lock()  # one drawing of the training set, however many runs ask at once
_judging = threading.Lock()  # and one of the held-out set, not queued behind the other


def pen_digits() -> tuple[np.ndarray, np.ndarray]:
    """Writers 1-20's digits as the app draws them, (N, 28, 28) uint8 and (N,) int64: drawn on
    first use (~10 s on one core), then kept for the process."""
    with _drawing:
        found = _training_images()
    _drawn.set()
    return found


@functools.lru_cache(maxsize=1)
def _training_images() -> tuple[np.ndarray, np.ndarray]:
    return pendigits.training_images(pendigits.of_writers(PEN_WRITERS), COPIES, SEED)


@functools.lru_cache(maxsize=1)
def _held_out_set() -> pendigits.PenSet:
    return pendigits.held_out_set(HELD_OUT, widths=(BRUSH,))


def pen_digits_ready() -> bool:
    """Whether pen_digits() answers at once (a first run with them says it is drawing them)."""
    return _drawn.is_set()


def uses_pen(cfg: TrainConfig) -> bool:
    """Whether the run trains on the pen digits too."""
    return cfg.train_data == "mnist+pen"


def pen_writers(cfg: TrainConfig) -> list[int]:
    """The pen writers a run trains on, as its metrics record them ([] for MNIST only)."""
    return list(PEN_WRITERS) if uses_pen(cfg) else []


def training_set(data: MNIST, cfg: TrainConfig, device: torch.device):
    """The run's training images (N, 28, 28) uint8 and labels (N,) on device: MNIST (a seeded
    choice when cfg.subset is set), then the pen digits when cfg asks for them."""
    x, y = data.train_x, data.train_y
    if cfg.subset is not None:
        pick = seeded_choice(len(x), cfg.subset, cfg.seed).to(device)
        x, y = x[pick], y[pick]
    if not uses_pen(cfg):
        return x, y
    images, labels = pen_digits()
    pen_x, pen_y = torch.from_numpy(images), torch.from_numpy(labels)
    if cfg.subset is not None:
        pick = seeded_choice(len(pen_x), pen_count(cfg, len(pen_x)), cfg.seed)
        pen_x, pen_y = pen_x[pick], pen_y[pick]
    return torch.cat([x, pen_x.to(device)]), torch.cat([y, pen_y.to(device)])


def pen_count(cfg: TrainConfig, available: int | None = None) -> int:
    """How many pen digits the run adds: all of them, or a subset's share (0 for MNIST only).
    available: the pen digits drawn (default: counted from the file, without drawing them)."""
    if not uses_pen(cfg):
        return 0
    if available is None:  # pen_digits draws each digit COPIES times
        available = COPIES * len(pendigits.of_writers(PEN_WRITERS))
    if cfg.subset is None:
        return available
    return max(1, round(available * cfg.subset / TRAIN_SIZE))


def image_count(cfg: TrainConfig) -> int:
    """The number of images training_set gives: the run's batch order is a permutation of
    them (checkpoint.py checks a saved one against it)."""
    return cfg.train_size + pen_count(cfg)


def seeded_choice(n: int, k: int, seed: int) -> torch.Tensor:
    """k of range(n), a seeded choice (the exported script embeds this function: export.py)."""
    return torch.randperm(n, generator=torch.Generator().manual_seed(seed))[:k]


def held_out() -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """The Evaluate tab's held-out pen digits (writers 21-30, the app's brush): images
    (N, 28, 28) uint8, labels (N,) and writers (N,), int64 CPU tensors."""
    with _judging:
        found = _held_out_set()  # drawn on first use (~3 s), then kept
    return tuple(torch.from_numpy(a) for a in (found.images, found.labels, found.writers))


def held_out_writers_seen(metrics: dict) -> list[int]:
    """Which of the held-out writers (21-30) a model's metrics say it trained on: the shipped
    models trained on all 30, so for them the held-out set measures nothing unseen."""
    seen = metrics.get("pen_writers") or []
    return sorted({int(w) for w in seen} & set(HELD_OUT))
