"""The trainer: train(cfg) yields Step, Eval and Done events; it never prints or imports UI code."""

from __future__ import annotations

import contextlib
import itertools
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from digitlab.config import TrainConfig, resolve_device
from digitlab.data import MNIST, augment, batches, load_mnist, normalize
from digitlab.models import build_model, count_parameters, prefers_channels_last

# Steps between loss reports. Reading the loss forces a host sync, so on the GPU it happens rarely.
LOG_EVERY = {"cpu": 10, "cuda": 50}
TRAIN_EVAL_SIZE = 5_000  # train accuracy is measured on this many training images (no augmentation)


@dataclass(frozen=True)
class Step:
    """Mean training loss over the steps since the last report."""

    step: int
    total_steps: int
    epoch: float
    loss: float
    images_per_s: float
    elapsed: float  # seconds of training, excluding evaluation
    probe: tuple[np.ndarray, np.ndarray] | None = None  # (image followed, its 10 probabilities)


class Probe:
    """A drawing to follow during a run, e.g. the one on the app's canvas.

    Any thread may replace `image` at any time (a single attribute write); at each loss report
    the trainer reads it and puts the model's probabilities for it in Step.probe.
    """

    def __init__(self, image: np.ndarray | None = None) -> None:
        self.image = image  # (28, 28) floats in [0, 1], ink = 1; None = nothing to follow


@dataclass(frozen=True)
class Eval:
    """Test (and train-sample) metrics at a point in the run."""

    step: int
    epoch: float
    test_loss: float
    test_accuracy: float
    train_accuracy: float
    elapsed: float


@dataclass(frozen=True)
class Done:
    """The trained model (CPU, eval mode) and its final metrics; stopped=True if cut short."""

    model: nn.Module
    config: TrainConfig
    metrics: dict
    stopped: bool
    elapsed: float


Event = Step | Eval | Done


def train(
    cfg: TrainConfig,
    data: MNIST | None = None,
    stop: threading.Event | None = None,
    probe: Probe | None = None,
) -> Iterator[Event]:
    """Fit the model cfg describes on MNIST, yielding progress events and finally Done."""
    device = resolve_device(cfg.device)
    torch.manual_seed(cfg.seed)  # model init and dropout
    generator = torch.Generator(device=device).manual_seed(cfg.seed)  # order and augmentation
    data = (data if data is not None else load_mnist()).to(device)
    train_x, train_y = _subset(data, cfg, device)
    model = build_model(cfg).to(device)
    channels_last = prefers_channels_last(model)
    if channels_last:
        model = model.to(memory_format=torch.channels_last)
    optimizer = _optimizer(cfg, model, device.type == "cuda")
    scheduler = _scheduler(cfg, optimizer)
    autocast = _autocast(device)
    # Short runs (a tiny subset in class) still get a curve of ~20 points.
    log_every = max(1, min(LOG_EVERY[device.type], cfg.total_steps // 20))
    eval_steps = _eval_steps(cfg)

    clock = _Clock()
    loss_sum, logged = torch.zeros((), device=device), 0  # losses stay on the device until a log
    model.train()
    for step, idx in enumerate(_run_batches(len(train_x), cfg, generator, device), start=1):
        x = augment(train_x[idx], generator) if cfg.augment else train_x[idx]
        x = normalize(x)  # (B, 1, 28, 28)
        if channels_last:
            x = x.contiguous(memory_format=torch.channels_last)
        loss_sum += train_step(model, optimizer, scheduler, x, train_y[idx], autocast)
        stopped = stop is not None and stop.is_set()
        last = stopped or step == cfg.total_steps
        epoch = step / cfg.steps_per_epoch
        if step % log_every == 0 or last:
            mean = (loss_sum / (step - logged)).item()  # the loop's only host sync
            seconds = clock.pause()
            rate = (step - logged) * cfg.batch_size / max(seconds, 1e-9)
            seen = _read_probe(model, probe, channels_last) if probe is not None else None
            yield Step(step, cfg.total_steps, epoch, mean, rate, clock.total, seen)
            loss_sum.zero_()
            logged = step
            clock.resume()
        if step in eval_steps or last:
            if device.type == "cuda":
                torch.cuda.synchronize()  # queued steps are training time, not evaluation time
            clock.pause()
            test = evaluate(model, data.test_x, data.test_y)
            sample = evaluate(model, train_x[:TRAIN_EVAL_SIZE], train_y[:TRAIN_EVAL_SIZE])
            yield Eval(step, epoch, test["loss"], test["accuracy"], sample["accuracy"], clock.total)
            clock.resume()
        if stopped:
            break
    model = model.to("cpu", memory_format=torch.contiguous_format).eval()
    metrics = {  # the last step always evaluates, so `test` is the final model's result
        "test_accuracy": test["accuracy"],
        "test_loss": test["loss"],
        "per_class": test["per_class"],
        "confusion": test["confusion"],
        "steps": step,
        "epochs": round(step / cfg.steps_per_epoch, 3),
        "train_time_s": round(clock.total, 3),
        "device": str(device),
        "parameters": count_parameters(model),
    }
    yield Done(model, cfg, metrics, stopped, clock.total)


def train_step(model, optimizer, scheduler, x, y, autocast) -> torch.Tensor:
    """One optimizer step on a prepared batch; returns the loss on the device (no host sync)."""
    with autocast:
        loss = F.cross_entropy(model(x), y)
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    optimizer.step()
    if scheduler is not None:
        scheduler.step()
    return loss.detach()


class _Clock:
    """Seconds spent training: evaluation and the consumer's time between events do not count."""

    def __init__(self) -> None:
        self.total = 0.0
        self._start = time.perf_counter()

    def pause(self) -> float:
        """Stop counting; return the seconds since the last resume."""
        seconds = time.perf_counter() - self._start
        self.total += seconds
        self._start = time.perf_counter()
        return seconds

    def resume(self) -> None:
        self._start = time.perf_counter()


def _run_batches(n: int, cfg: TrainConfig, generator: torch.Generator, device: torch.device):
    """Batch indices for the whole run: epoch after epoch, cut at cfg.total_steps."""
    epochs = (batches(n, cfg.batch_size, generator, device) for _ in itertools.count())
    return itertools.islice(itertools.chain.from_iterable(epochs), cfg.total_steps)


@torch.inference_mode()
def evaluate(model: nn.Module, x: torch.Tensor, y: torch.Tensor, batch_size: int = 2_000) -> dict:
    """Loss, accuracy, per-digit accuracy and confusion matrix (rows: true digit)."""
    was_training = model.training
    model.eval()
    device = next(model.parameters()).device
    autocast = _autocast(device)
    losses, preds = [], []
    for start in range(0, len(x), batch_size):
        xb = normalize(x[start : start + batch_size].to(device))
        if prefers_channels_last(model):
            xb = xb.contiguous(memory_format=torch.channels_last)
        with autocast:
            logits = model(xb).float()
        yb = y[start : start + batch_size].to(device)
        losses.append(F.cross_entropy(logits, yb, reduction="sum"))
        preds.append(logits.argmax(1))
    model.train(was_training)
    pred, y = torch.cat(preds), y.to(device)
    confusion = torch.bincount(y * 10 + pred, minlength=100).view(10, 10).cpu()
    per_class = (confusion.diag() / confusion.sum(1).clamp(min=1)).tolist()
    return {
        "loss": (torch.stack(losses).sum() / len(x)).item(),
        "accuracy": (pred == y).float().mean().item(),
        "per_class": per_class,
        "confusion": confusion.tolist(),
    }


@torch.inference_mode()
def _read_probe(model: nn.Module, probe: Probe, channels_last: bool):
    """(image, probabilities) for the probe's current image, or None when it has none."""
    image = probe.image  # read once: another thread may replace it meanwhile
    if image is None:
        return None
    device = next(model.parameters()).device
    x = normalize(torch.as_tensor(image, dtype=torch.float32, device=device).view(1, 28, 28))
    if channels_last:
        x = x.contiguous(memory_format=torch.channels_last)
    model.eval()  # batch norm uses its running statistics, dropout is off: as the app predicts
    probs = torch.softmax(model(x).float(), dim=1)[0].cpu().numpy()
    model.train()
    return image, probs


def _subset(data: MNIST, cfg: TrainConfig, device: torch.device):
    if cfg.subset is None:
        return data.train_x, data.train_y
    pick = torch.randperm(len(data.train_x), generator=torch.Generator().manual_seed(cfg.seed))
    pick = pick[: cfg.subset].to(device)
    return data.train_x[pick], data.train_y[pick]


def _eval_steps(cfg: TrainConfig) -> set[int]:
    per_epoch = cfg.steps_per_epoch
    every = max(1, per_epoch // cfg.evals_per_epoch)
    return {s for s in range(every, cfg.total_steps + 1, every)} | {
        e * per_epoch for e in range(1, cfg.epochs + 1)
    }


def _autocast(device: torch.device):
    """bf16 autocast on CUDA (no loss scaling needed); the CPU path stays plain fp32."""
    return (
        torch.autocast("cuda", torch.bfloat16)
        if device.type == "cuda"
        else contextlib.nullcontext()
    )


def _optimizer(cfg: TrainConfig, model: nn.Module, cuda: bool) -> torch.optim.Optimizer:
    params, wd = model.parameters(), cfg.weight_decay
    if cfg.optimizer == "sgd":
        return torch.optim.SGD(params, lr=cfg.lr, weight_decay=wd)
    if cfg.optimizer == "momentum":
        return torch.optim.SGD(params, lr=cfg.lr, momentum=0.9, nesterov=True, weight_decay=wd)
    adam = torch.optim.Adam if cfg.optimizer == "adam" else torch.optim.AdamW
    return adam(params, lr=cfg.lr, weight_decay=wd, fused=cuda or None)


def _scheduler(cfg: TrainConfig, optimizer: torch.optim.Optimizer):
    if cfg.schedule == "constant":
        return None
    return torch.optim.lr_scheduler.OneCycleLR(
        optimizer, max_lr=cfg.lr, total_steps=max(cfg.total_steps, 2), pct_start=0.25
    )
