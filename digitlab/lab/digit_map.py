"""The map of what a model has learned: each test image's penultimate-layer features (what the
last layer reads), projected to 2-D by PCA, so images the model finds alike land close. PCA is
a fixed linear projection: a new drawing is placed on a finished map with one matrix product.

Also the same model before training (its architecture, freshly initialised with its run's
seed), so the class sees the digits' clusters form. Pure torch/numpy; no pictures, no text.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from digitlab.inference.predict import Predictor
from digitlab.threads import serve_on_one_thread

SAMPLE = 2000  # test images on a map
NEIGHBOURS = 10  # a drawing's nearest points on the map, to say where it landed


@torch.inference_mode()
def features(predictor: Predictor, images: np.ndarray | torch.Tensor) -> np.ndarray:
    """(N, 28, 28) or (28, 28) images (uint8, or floats in [0, 1]) -> (N, D) penultimate
    features, fed as the model is fed for a prediction."""
    serve_on_one_thread()  # as Predictor.logits: one core per request
    return predictor.model.penultimate(predictor.inputs(images)).float().numpy()


def untrained(model: nn.Module, seed: int) -> nn.Module:
    """A copy of model as it was before training: every layer initialised again, in the order
    build_model() creates them, after torch.manual_seed(seed) as train() does; the caller's
    random state is left as it was."""
    fresh = copy.deepcopy(model)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        for layer in fresh.modules():
            if hasattr(layer, "reset_parameters"):
                layer.reset_parameters()  # BatchNorm also forgets its running statistics
    return fresh.eval()


@dataclass(frozen=True)
class Map:
    """A fitted map: the features' mean and two principal axes (D, 2), the sample's points
    (N, 2), their digits (N,), and the share of the features' variance the two axes show."""

    mean: np.ndarray
    axes: np.ndarray
    points: np.ndarray
    labels: np.ndarray
    explained: float

    def place(self, feats: np.ndarray) -> np.ndarray:
        """(N, D) features -> (N, 2) points on this map."""
        return (np.asarray(feats, dtype=np.float64) - self.mean) @ self.axes

    def nearest(self, point: np.ndarray, k: int = NEIGHBOURS) -> dict[int, int]:
        """The digits of the k sample points nearest to point, as {digit: count}, most first."""
        order = np.argsort(((self.points - point) ** 2).sum(1), kind="stable")[:k]
        digits, counts = np.unique(self.labels[order], return_counts=True)
        ranked = sorted(zip(digits, counts, strict=True), key=lambda dc: (-dc[1], dc[0]))
        return {int(d): int(c) for d, c in ranked}


def fit(feats: np.ndarray, labels: np.ndarray) -> Map:
    """PCA of (N, D) features: the two directions along which they vary most. Each axis's sign
    is fixed (its largest loading positive), so the same model always gives the same picture."""
    x = np.asarray(feats, dtype=np.float64)
    mean = x.mean(0)
    centred = x - mean
    # The D x D covariance's eigenvectors: D is at most a few thousand here, N a few thousand.
    values, vectors = np.linalg.eigh(centred.T @ centred)
    axes = vectors[:, ::-1][:, :2].copy()  # eigh sorts ascending: the two largest, last
    axes *= np.sign(axes[np.abs(axes).argmax(0), [0, 1]])
    total = float(values.sum())
    explained = float(values[::-1][:2].sum() / total) if total > 0 else 0.0
    return Map(mean, axes, centred @ axes, np.asarray(labels, dtype=np.int64), explained)


def build(predictor: Predictor, images: torch.Tensor, labels: torch.Tensor) -> Map:
    """The map of a model over images (uint8 (N, 28, 28)) and their labels."""
    return fit(features(predictor, images), np.asarray(labels))
