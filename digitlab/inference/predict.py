"""Predictor: the one inference path. A model in; for a drawing, the ten probabilities together
with the preprocessing steps that produced the model's 28x28 input.

The probabilities are temperature-scaled (digitlab/inference/calibration.py): the model's
logits divided by
the T stored in its metrics, or, for a checkpoint saved without one, by a T fitted once on MNIST
test images 0-4999 the first time it is needed (1.0 when MNIST is not on this machine).
"""

from __future__ import annotations

import dataclasses
import math
import threading
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from digitlab.config import TrainConfig
from digitlab.data import DataError, load_mnist, normalize
from digitlab.evaluate import evaluate
from digitlab.inference.calibration import fit_temperature, split
from digitlab.inference.ood import doubt
from digitlab.inference.preprocess import squashed, steps
from digitlab.models import prefers_channels_last
from digitlab.threads import serve_on_one_thread


@dataclass(frozen=True)
class Prediction:
    """The ten probabilities, the winner, the 28x28 image (0..1, ink = 1) the model saw, and
    the preprocessing steps that made it (preprocess.steps(); None with preprocessing off)."""

    probabilities: np.ndarray
    digit: int
    confidence: float
    image: np.ndarray
    steps: dict | None = None
    doubt: str | None = None  # why the drawing is no digit to judge (ood.doubt), or None


class Predictor:
    """Wraps an eval-mode CPU model; safe to share between threads (inference only, no state).

    It owns how a model is fed: normalisation, and channels_last for the CNNs that prefer it.
    """

    def __init__(
        self, model: nn.Module, name: str = "", metrics: dict | None = None,
        config: TrainConfig | None = None,
    ) -> None:  # fmt: skip
        self.model = model.to("cpu").eval()
        self.config = config  # the settings it was trained with, when known
        self.channels_last = prefers_channels_last(self.model)
        if self.channels_last:
            self.model = self.model.to(memory_format=torch.channels_last)
        self.name = name
        self.metrics = metrics or {}
        self._temperature = stored_temperature(self.metrics)
        self._fitting = threading.Lock()

    def inputs(self, images: np.ndarray | torch.Tensor) -> torch.Tensor:
        """(N, 28, 28) or (28, 28) images, floats in [0, 1] or uint8 -> the model's input."""
        x = torch.as_tensor(np.asarray(images) if not torch.is_tensor(images) else images)
        if x.dtype != torch.uint8:  # a copy: normalize() works in place on float tensors
            x = x.to(torch.float32, copy=True)
        x = normalize(x.reshape(-1, 28, 28))  # (N, 1, 28, 28)
        return x.contiguous(memory_format=torch.channels_last) if self.channels_last else x

    @property
    def temperature(self) -> float:
        """The T its logits are divided by: stored with the model, else fitted once (cached)."""
        if self._temperature is None:
            with self._fitting:  # one fit, however many students ask at once
                if self._temperature is None:
                    self._temperature = self._fit_temperature()
        return self._temperature

    def temperature_from(self, logits: torch.Tensor, labels: torch.Tensor) -> float:
        """The temperature, fitted on these logits (the test set's first half) if none is known
        yet (the Evaluate tab has them already: no second forward pass)."""
        with self._fitting:
            if self._temperature is None:
                self._temperature = fit_temperature(logits, labels)
        return self._temperature

    def _fit_temperature(self) -> float:
        try:
            data = load_mnist(download=False)
        except DataError:
            return 1.0  # no held-out images here: the model's own confidences
        fit = split(len(data.test_x))[0]
        return fit_temperature(self.logits(data.test_x[fit]), data.test_y[fit])

    @torch.inference_mode()
    def logits(self, images: np.ndarray | torch.Tensor) -> torch.Tensor:
        """(N, 28, 28) or (28, 28) images -> (N, 10) raw logits (float32, CPU)."""
        serve_on_one_thread()  # a tiny forward pass must not fight a training run for the cores
        x = self.inputs(images)
        return torch.cat([self.model(x[i : i + 1000]) for i in range(0, len(x), 1000)]).float()

    def probabilities(
        self, images: np.ndarray | torch.Tensor, calibrated: bool = True
    ) -> np.ndarray:
        """(N, 28, 28) or (28, 28) images -> (N, 10) probabilities (temperature-scaled unless
        calibrated=False)."""
        logits = self.logits(images)
        if calibrated:
            logits = logits / self.temperature
        return torch.softmax(logits, dim=1).numpy()

    def evaluate(self, x: torch.Tensor, y: torch.Tensor) -> dict:
        """The trainer's evaluator on (N, 28, 28) uint8 images and their labels, with each
        image's "predicted" digit and its "confidence" (numpy, not temperature-scaled) and the
        "logits" ((N, 10) tensor)."""
        return evaluate(self.model, x, y, predictions=True, logits=True)

    def classify(self, image28: np.ndarray, preprocessing: dict | None = None) -> Prediction:
        """The prediction for one 28x28 image (preprocessing: the steps that made it)."""
        probs = self.probabilities(image28)[0]
        top = int(probs.argmax())
        return Prediction(probs, top, float(probs[top]), image28, preprocessing)

    def predict(self, image, preprocessing: bool = True) -> Prediction | None:
        """Preprocess a canvas image and classify it; None when the canvas is empty.

        With preprocessing off, the whole canvas is squashed to 28x28 (the Inside tab's switch).
        """
        found = steps(image)
        if found is None:
            return None
        if preprocessing:
            seen = self.classify(found["centred"], found)
        else:
            seen = self.classify(squashed(found["ink"]))
        return dataclasses.replace(seen, doubt=doubt(found))


def stored_temperature(metrics: dict) -> float | None:
    """metrics["temperature"] if it is a usable T (a finite number > 0), else None."""
    value = metrics.get("temperature")
    ok = isinstance(value, int | float) and not isinstance(value, bool)
    return float(value) if ok and math.isfinite(value) and value > 0 else None
