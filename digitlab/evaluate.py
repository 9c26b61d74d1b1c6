"""The one evaluator of a model on labelled images: loss, accuracy, per digit, confusion.

Used by the trainer (during and after a run) and by the app's Evaluate tab.
"""

from __future__ import annotations

import contextlib
import copy
from collections.abc import Callable

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from digitlab.data import normalize
from digitlab.models import prefers_channels_last

# A stopped run is evaluated on a sample of the test set sized to take about this long, so Stop
# answers within a second even for a large model; between these many images.
QUICK_SECONDS = 0.15
QUICK_SIZES = (100, 1_000)


@torch.inference_mode()
def evaluate(
    model: nn.Module,
    x: torch.Tensor,
    y: torch.Tensor,
    batch_size: int = 2_000,
    predictions: bool = False,
    logits: bool = False,
    stop: Callable[[], bool] | None = None,
) -> dict | None:
    """Loss, accuracy, per-digit accuracy and confusion matrix (rows: true digit).

    x: (N, 28, 28) uint8 images, y: (N,) labels, on any device. With predictions=True the result
    also has "predicted" (N,) int64 and "confidence" (N,) float32, CPU numpy arrays: each image's
    predicted digit and the probability the model gives it.
    stop: asked before each batch of batch_size images; when it says True the evaluation ends
    there and returns None (a training run's Stop, during a long evaluation of a large model).
    """
    was_training = model.training
    model.eval()
    device = next(model.parameters()).device
    channels_last = prefers_channels_last(model)
    net = _channels_last(model) if channels_last else model
    autocast = autocast_for(device)
    losses, preds, confs, outs = [], [], [], []
    for start in range(0, len(x), batch_size):
        if stop is not None and stop():
            model.train(was_training)
            return None
        xb = normalize(x[start : start + batch_size].to(device))
        if channels_last:
            xb = xb.contiguous(memory_format=torch.channels_last)
        with autocast:
            out = net(xb).float()
        if logits:
            outs.append(out.cpu())
        yb = y[start : start + batch_size].to(device)
        losses.append(F.cross_entropy(out, yb, reduction="sum"))
        conf, pred = torch.softmax(out, 1).max(1)
        preds.append(pred)
        confs.append(conf)
    model.train(was_training)
    pred, y = torch.cat(preds), y.to(device)
    confusion = torch.bincount(y * 10 + pred, minlength=100).view(10, 10).cpu()
    per_class = (confusion.diag() / confusion.sum(1).clamp(min=1)).tolist()
    result = {
        "loss": (torch.stack(losses).sum() / len(x)).item(),
        "accuracy": (pred == y).float().mean().item(),
        "per_class": per_class,
        "confusion": confusion.tolist(),
    }
    if predictions:
        result["predicted"] = pred.cpu().numpy()
        result["confidence"] = torch.cat(confs).cpu().numpy().astype(np.float32)
    if logits:
        result["logits"] = torch.cat(outs)
    return result


def spread(x: torch.Tensor, y: torch.Tensor, n: int | None):
    """n of the images and labels, every k-th in order (a view, no copy); all of them for None."""
    every = len(y) // n if n else 1
    return x[::every][:n], y[::every][:n]


def quick_size(train_images_per_s: float) -> int:
    """Test images to evaluate a stopped run on: about QUICK_SECONDS of the model's time."""
    # A forward pass without gradients costs about a third of a training step per image, but
    # the evaluation is fp32 where steps may be bf16 (about 2x faster), and it reads as many
    # training images again (the train-accuracy sample): 4/3 of a step's time per test image.
    # (3x the rate, before: a stopped 256-channel CNN on 2x2 patches took 0.9 s to answer.)
    lo, hi = QUICK_SIZES
    return int(min(hi, max(lo, round(QUICK_SECONDS * 0.75 * train_images_per_s, -2))))


def autocast_for(device: torch.device):
    """Evaluation's autocast: bf16 on CUDA (no loss scaling needed); the CPU path stays plain
    fp32, also where training steps run in bf16 (theirs is training/parts.py step_autocast)."""
    return (
        torch.autocast("cuda", torch.bfloat16)
        if device.type == "cuda"
        else contextlib.nullcontext()
    )


def _channels_last(model: nn.Module) -> nn.Module:
    """The model if its weights are channels_last already, else a private channels_last copy.

    A copy, not a conversion: the model may be shared with other threads (the app's predictors).
    Channels_last weights, not only inputs, make a CNN's CPU forward pass 2x faster.
    """
    weight = next(p for p in model.parameters() if p.dim() == 4)
    if weight.is_contiguous(memory_format=torch.channels_last):
        return model  # already so (during training)
    return copy.deepcopy(model).to(memory_format=torch.channels_last)
