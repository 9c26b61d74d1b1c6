"""Why a model answers as it does, as plain arrays: saliency, first-layer weights, feature maps,
the confusion matrix and the most confident mistakes. Pure torch/numpy; no pictures, no text."""

from __future__ import annotations

import math

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from digitlab.inference.predict import Predictor


def saliency(predictor: Predictor, image28: np.ndarray) -> np.ndarray:
    """|d top logit / d input| as (28, 28) in [0, 1]: the pixels that move the winner most."""
    x = predictor.inputs(image28).requires_grad_(True)
    with torch.enable_grad():
        logits = predictor.model(x)
        top = logits[0, logits[0].argmax()]
        # autograd.grad, not backward(): shared models must not collect .grad between threads.
        (grad,) = torch.autograd.grad(top, x)
    sal = grad.abs()[0, 0].numpy()
    peak = float(sal.max())
    return sal / peak if peak > 0 else sal


def first_layer_weights(model: nn.Module) -> np.ndarray:
    """MLP: first Linear's rows as (N, 28, 28); CNN: first conv's filters as (N, k, k), in
    pixels: a conv on 2x2 pixel blocks (4 channels of 3x3) is the 6x6 filter it applies."""
    first = next(m for m in model.modules() if isinstance(m, (nn.Linear, nn.Conv2d)))
    weight = first.weight.detach().float().cpu()
    if isinstance(first, nn.Conv2d):
        patch = math.isqrt(weight.shape[1])  # in_channels = patch * patch
        # pixel_shuffle puts block channel i*patch+j back at pixel (i, j) of each 3x3 tap.
        return F.pixel_shuffle(weight, patch)[:, 0].contiguous().numpy()  # (out, 3p, 3p)
    return weight.reshape(-1, 28, 28).numpy()


@torch.inference_mode()
def feature_maps(predictor: Predictor, image28: np.ndarray) -> np.ndarray | None:
    """The CNN's first stage (conv, pool, [BN], ReLU) for one image: (C, h, w); None for an MLP."""
    features = getattr(predictor.model, "features", None)
    if features is None:
        return None
    x = predictor.inputs(image28)
    for layer in features:
        x = layer(x)
        if isinstance(layer, nn.ReLU):
            break
    return x[0].contiguous().numpy()


def rank_mistakes(
    pred: np.ndarray, conf: np.ndarray, truth: np.ndarray, k: int
) -> list[tuple[int, int, int, float]]:
    """Wrong predictions, most confident first, as (index, true, predicted, confidence)."""
    wrong = np.flatnonzero(pred != truth)
    order = wrong[np.argsort(-conf[wrong], kind="stable")][:k]
    return [(int(i), int(truth[i]), int(pred[i]), float(conf[i])) for i in order]
