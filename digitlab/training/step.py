"""One training step: a batch made from the images on the device, then one optimizer step.

The trainer and the exported script (export.py embeds these functions' source) run these
same lines, so the script's model equals the trainer's.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from digitlab.data import augment, normalize


def prepare_batch(images, idx, generator, strength, channels_last) -> torch.Tensor:
    """The batch idx of images (uint8, (N, 1, 28, 28)), augmented at strength (AUGMENTS) and
    normalized as the model reads it: (B, 1, 28, 28) float, channels-last for a CNN on a CPU."""
    x = normalize(augment(images[idx], generator, strength=strength))  # "off": x / 255
    return x.contiguous(memory_format=torch.channels_last) if channels_last else x


def train_step(model, optimizer, x, y, autocast, smoothing=0.0) -> torch.Tensor:
    """One optimizer step on a prepared batch; returns the loss on the device (no host sync).

    smoothing: label smoothing (TrainConfig.label_smoothing). The step descends the smoothed
    loss, F.cross_entropy(..., label_smoothing=smoothing) written out; the loss it returns is
    the plain cross-entropy, comparable with the test loss and with runs without smoothing.
    """
    with autocast:
        logits = model(x)
        if smoothing:
            log_p = F.log_softmax(logits.float(), dim=1)
            loss = F.nll_loss(log_p, y)
            smooth = log_p.mean(dim=1).mean()  # -(cross-entropy against all ten digits alike)
            objective = (1 - smoothing) * loss - smoothing * smooth
        else:
            loss = objective = F.cross_entropy(logits, y)
    optimizer.zero_grad(set_to_none=True)
    objective.backward()
    optimizer.step()
    return loss.detach()
