"""How sure a model should say it is: temperature scaling and the reliability of confidences.

A network trained with cross-entropy is usually over-confident: of the digits it calls "99%
sure" fewer than 99% are right. Dividing its logits by one number T > 1 (fitted on held-out
images, the model's weights untouched) fixes most of that without changing any answer. The
trainer reports accuracy on the whole MNIST test set; T is fitted on test images 0-4999 and
judged on 5000-9999, so the "after" figures below are on images T never saw.
Fitting and storing a checkpoint's T from the command line: digitlab/calibrate.py.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F


def split(n: int) -> tuple[slice, slice]:
    """(fit, report) of n test images: the first half T is fitted on, the second it is judged
    on. MNIST's 10,000: 0-4999 and 5000-9999; a smaller set (the tests' stand-in) is halved too."""
    return slice(0, n // 2), slice(n // 2, n)


REPORT = split(10_000)[1]  # MNIST test images 5000-9999
BINS = 15  # the usual ECE binning (Guo et al. 2017): 15 equal-width confidence bins
# The reliability diagram joins neighbouring bins until each has this many digits: a bin of 3
# is 0% or 100% right by chance, and the curve zig-zagged between them (the ECE is still
# computed on the BINS bins).
MIN_BIN_DIGITS = 20
LOG_T_RANGE = (-3.0, 3.0)  # T from 0.05 to 20: far past anything a trained model needs


def fit_temperature(logits: torch.Tensor, labels: torch.Tensor) -> float:
    """The T > 0 that minimises the NLL of softmax(logits / T): golden-section search on log T.

    The NLL is convex in 1/T, so one bracketed 1-D search finds it; 60 steps pin log T to 1e-12.
    """
    z, y = logits.detach().double().cpu(), labels.detach().long().cpu()

    def nll(log_t: float) -> float:
        return F.cross_entropy(z / math.exp(log_t), y).item()

    lo, hi = LOG_T_RANGE
    ratio = (math.sqrt(5) - 1) / 2
    a, b = hi - ratio * (hi - lo), lo + ratio * (hi - lo)
    fa, fb = nll(a), nll(b)
    for _ in range(60):
        if fa < fb:
            hi, b, fb = b, a, fa
            a = hi - ratio * (hi - lo)
            fa = nll(a)
        else:
            lo, a, fa = a, b, fb
            b = lo + ratio * (hi - lo)
            fb = nll(b)
    return float(math.exp((lo + hi) / 2))


@dataclass(frozen=True)
class Reliability:
    """Confidence against accuracy in equal-width bins, and the expected calibration error."""

    ece: float  # sum over bins of |accuracy - mean confidence| weighted by the bin's share
    confidence: np.ndarray  # (BINS,) mean confidence of each bin (NaN where empty)
    accuracy: np.ndarray  # (BINS,) fraction right in each bin (NaN where empty)
    count: np.ndarray  # (BINS,) images in each bin


def refit_temperature(logits: torch.Tensor, labels: torch.Tensor, temperature: float) -> float:
    """T fitted on the first half of these test images (split: the Predictor's half when they
    are spread over the test set in order), as many of them as logits has (an evaluation Stop
    ended has fewer); temperature where they are not all finite (a diverging run's) or none."""
    fit = split(len(labels))[0]
    logits = logits[fit]
    if len(logits) and torch.isfinite(logits).all():
        return fit_temperature(logits, labels[fit][: len(logits)])
    return temperature


def reliability(probabilities: np.ndarray, labels: np.ndarray, bins: int = BINS) -> Reliability:
    """The reliability of (N, 10) probabilities for their (N,) labels."""
    probabilities, labels = np.asarray(probabilities), np.asarray(labels)
    confidence = probabilities.max(1)
    right = probabilities.argmax(1) == labels
    # Bin i holds confidences in (i/bins, (i+1)/bins]; a confidence of 0 joins the first.
    which = np.clip(np.ceil(confidence * bins).astype(int) - 1, 0, bins - 1)
    count = np.bincount(which, minlength=bins)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_conf = np.bincount(which, confidence, bins) / count
        accuracy = np.bincount(which, right.astype(float), bins) / count
    gaps = np.nan_to_num(np.abs(accuracy - mean_conf)) * count
    return Reliability(float(gaps.sum() / max(len(labels), 1)), mean_conf, accuracy, count)


def pooled(bins: Reliability, least: int = MIN_BIN_DIGITS) -> list[tuple[float, float]]:
    """(mean confidence, accuracy) of neighbouring bins joined, lowest confidence first, until
    each group has at least `least` digits; the few left at the top join the last group."""
    counts = bins.count.astype(float)
    right = np.nan_to_num(bins.accuracy) * counts
    sure = np.nan_to_num(bins.confidence) * counts
    groups: list[list[float]] = []  # [digits, sum of confidences, digits right]
    pending = [0.0, 0.0, 0.0]
    for n, c, r in zip(counts, sure, right, strict=True):
        pending = [pending[0] + n, pending[1] + c, pending[2] + r]
        if pending[0] >= least:
            groups.append(pending)
            pending = [0.0, 0.0, 0.0]
    if pending[0] and groups:
        groups[-1] = [a + b for a, b in zip(groups[-1], pending, strict=True)]
    return [(c / n, r / n) for n, c, r in groups]


def softmax(logits: torch.Tensor, temperature: float = 1.0) -> np.ndarray:
    """(N, 10) probabilities of logits divided by the temperature."""
    return torch.softmax(logits.double() / temperature, dim=1).numpy()


@dataclass(frozen=True)
class Calibration:
    """A model's fitted temperature and its reliability on the held-out half, before and after."""

    temperature: float
    before: Reliability
    after: Reliability


def calibrate(predictor, x: torch.Tensor, y: torch.Tensor) -> Calibration:
    """Fit T on the first half of x and judge it on the second: (N, 28, 28) uint8 test images."""
    fit, report = split(len(x))
    t = fit_temperature(predictor.logits(x[fit]), y[fit])
    return judge(predictor.logits(x[report]), y[report], t)


def judge(logits: torch.Tensor, labels: torch.Tensor, temperature: float) -> Calibration:
    """The reliability of held-out logits (the second half of the test set) before and after T."""
    labels = np.asarray(labels)
    return Calibration(
        temperature,
        reliability(softmax(logits), labels),
        reliability(softmax(logits, temperature), labels),
    )
