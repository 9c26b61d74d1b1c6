"""Predictor: a model in, ten probabilities out for a drawing or a batch of 28x28 images."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from torch import nn

from digitlab.checkpoint import load_checkpoint
from digitlab.config import MNIST_MEAN, MNIST_STD
from digitlab.preprocess import to_mnist


@dataclass(frozen=True)
class Prediction:
    """The ten probabilities, the winner, and the 28x28 image (0..1, ink = 1) the model saw."""

    probabilities: np.ndarray
    digit: int
    confidence: float
    image: np.ndarray


class Predictor:
    """Wraps an eval-mode CPU model; safe to share between threads (inference only, no state)."""

    def __init__(self, model: nn.Module, name: str = "", metrics: dict | None = None) -> None:
        self.model = model.to("cpu").eval()
        self.name = name
        self.metrics = metrics or {}

    @classmethod
    def from_checkpoint(cls, path: str | Path, name: str = "") -> Predictor:
        """Load a checkpoint once (safely) and wrap its model."""
        ckpt = load_checkpoint(path)
        return cls(ckpt.model, name or ckpt.config.label(), ckpt.metrics)

    @torch.inference_mode()
    def probabilities(self, images: np.ndarray) -> np.ndarray:
        """(N, 28, 28) or (28, 28) floats in [0, 1] -> (N, 10) probabilities."""
        if torch.get_num_threads() != 1:
            # One intra-op thread: a tiny forward pass gains nothing from more, and it must not
            # fight a training run for the cores. With OpenMP this holds for the calling thread
            # (and threads started after it), so a trainer thread sets its own budget.
            torch.set_num_threads(1)
        x = torch.as_tensor(np.asarray(images, dtype=np.float32)).reshape(-1, 1, 28, 28)
        x = (x - MNIST_MEAN) / MNIST_STD
        return torch.softmax(self.model(x), dim=1).numpy()

    def predict(self, image) -> Prediction | None:
        """Preprocess a canvas image and classify it; None when the canvas is empty."""
        digit28 = to_mnist(image)
        if digit28 is None:
            return None
        probs = self.probabilities(digit28)[0]
        top = int(probs.argmax())
        return Prediction(probs, top, float(probs[top]), digit28)
