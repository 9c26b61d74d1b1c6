"""Pieces of the training loop: batch order, training clock, loss watch, probe, optimizer."""

from __future__ import annotations

import contextlib
import math
import time

import numpy as np
import torch
from torch import nn

from digitlab.config import TrainConfig
from digitlab.data import normalize

CHANCE_LOSS = math.log(10)  # cross-entropy of a uniform guess over 10 digits
EXPLODE_FACTOR = 10.0  # a loss this many times its start (at least chance) has exploded...
EXPLODE_REPORTS = 2  # ...when it stays so for this many loss reports in a row


class Clock:
    """Seconds spent training: evaluation, pauses and the consumer's time do not count. On a
    GPU, pause() first waits for the queued steps: they are training time."""

    def __init__(self, total: float = 0.0, device: torch.device | None = None) -> None:
        self.total, self.cuda = total, device is not None and device.type == "cuda"
        self._start = time.perf_counter()

    def pause(self) -> None:
        """Stop counting."""
        if self.cuda:
            torch.cuda.synchronize()
        self.total += time.perf_counter() - self._start

    def resume(self) -> None:
        """Count again from now."""
        self._start = time.perf_counter()


class Batches:
    """Batch indices, epoch after epoch, in data.batches' order (the exported script's).

    Each epoch is one shuffled permutation, its last partial batch dropped. The state (generator,
    permutation, position) lets a continued run take the very batch an uninterrupted run would.
    """

    def __init__(self, n: int, batch_size: int, generator: torch.Generator, state=None) -> None:
        self.n, self.batch_size, self.generator = n, batch_size, generator
        self.perm, self.position = None, 0
        if state is not None:
            generator.set_state(state["generator"])
            self.position = state["position"]
            if state["perm"] is not None:
                self.perm = state["perm"].to(generator.device)

    def next(self) -> torch.Tensor:
        """The next batch's indices, (B,) on the generator's device."""
        if self.perm is None or self.position + self.batch_size > self.n:
            self.perm = torch.randperm(
                self.n, device=self.generator.device, generator=self.generator
            )
            self.position = 0
        start, self.position = self.position, self.position + self.batch_size
        return self.perm[start : self.position]

    def state(self) -> dict:
        """Plain data (CPU tensors) to continue from."""
        perm = None if self.perm is None else self.perm.cpu()
        return {"generator": self.generator.get_state(), "perm": perm, "position": self.position}


class LossWatch:
    """Tells a diverging loss: NaN or infinite at once, or exploded for EXPLODE_REPORTS reports."""

    def __init__(self) -> None:
        self.ceiling: float | None = None
        self._over = 0

    def start(self, first_loss: float) -> None:
        """Set the ceiling from the run's (or continued part's) first loss."""
        start = first_loss if math.isfinite(first_loss) else CHANCE_LOSS
        self.ceiling = EXPLODE_FACTOR * max(start, CHANCE_LOSS)

    def check(self, mean: float) -> str | None:
        """The verdict on a reported mean loss: "nan", "exploded" or None (fine)."""
        if not math.isfinite(mean):
            return "nan"
        self._over = self._over + 1 if mean > self.ceiling else 0
        return "exploded" if self._over >= EXPLODE_REPORTS else None

    def clip(self, loss: float) -> tuple[float, bool]:
        """(loss for a chart, whether it was clipped): never NaN, never over the ceiling."""
        if math.isfinite(loss) and loss <= self.ceiling:
            return loss, False
        return self.ceiling, True


def suggested_lr(lr: float) -> float:
    """A tenth of lr to one significant digit: 1.0 -> 0.1, 0.35 -> 0.04."""
    return float(f"{lr / 10:.1g}")


@torch.inference_mode()
def read_probe(model: nn.Module, image: np.ndarray | None, channels_last: bool, temperature: float):
    """(image, probabilities) for the followed drawing, as the app's Predictor reads it (eval
    mode, logits divided by the temperature); None without a drawing or without numbers."""
    if image is None:
        return None
    device = next(model.parameters()).device
    # A copy: normalize works in place, and as_tensor would share the drawing's memory (each
    # read then normalised the followed drawing again: its maximum went 1 -> 2.8 -> 8.7).
    x = normalize(torch.tensor(image, dtype=torch.float32, device=device).view(1, 28, 28))
    if channels_last:
        x = x.contiguous(memory_format=torch.channels_last)
    was_training = model.training
    model.eval()  # batch norm uses its running statistics, dropout is off: as the app predicts
    probs = torch.softmax(model(x).float() / temperature, dim=1)[0].cpu().numpy()
    model.train(was_training)
    return (image, probs) if np.isfinite(probs).all() else None


def eval_steps(cfg: TrainConfig, total: int) -> set[int]:
    """Steps after which the test set is evaluated: cfg.evals_per_epoch times an epoch, evenly
    spaced, the last at the epoch's end (117 steps, 2 an epoch: 58 and 117, not 58, 116, 117)."""
    per_epoch, n = cfg.steps_per_epoch, cfg.evals_per_epoch
    within = {round(k * per_epoch / n) for k in range(1, n + 1)} - {0}
    epochs = range(total // per_epoch + 1)
    return {e * per_epoch + k for e in epochs for k in within if e * per_epoch + k <= total}


def make_optimizer(cfg: TrainConfig, model: nn.Module) -> torch.optim.Optimizer:
    """The optimizer cfg names; its momentum (SGD) or beta1 (Adam) is what steering moves."""
    params, wd = model.parameters(), cfg.weight_decay
    if cfg.optimizer == "sgd":
        return torch.optim.SGD(params, lr=cfg.lr, weight_decay=wd)
    if cfg.optimizer == "momentum":
        return torch.optim.SGD(
            params, lr=cfg.lr, momentum=cfg.momentum, nesterov=True, weight_decay=wd
        )
    adam = torch.optim.Adam if cfg.optimizer == "adam" else torch.optim.AdamW
    betas = (cfg.momentum, 0.999)
    # fused: one kernel for all parameters, on the CPU too (about 3x faster optimizer steps than
    # the per-tensor loop: 0.25 against 0.78 ms for the 16-32-64 CNN, one thread, BENCHMARKS.md).
    return adam(params, lr=cfg.lr, betas=betas, weight_decay=wd, fused=True)


def training_precision(device: torch.device, precision: str) -> str:
    """What a run's steps compute in, "bf16" or "fp32" (precision: a TrainConfig's).

    auto is bf16 on CUDA and on CPUs that compute bf16 in hardware (AVX512-BF16 or AMX): the
    default CNN's run 1.1-1.2x and the MLP's 1.45x faster on a 2-vCPU EPYC, the same accuracy
    (BENCHMARKS.md). Elsewhere oneDNN would emulate bf16, slower than fp32.
    """
    if precision != "auto":
        return precision
    if device.type == "cuda":
        return "bf16"
    cpu = torch.cpu  # private checks (torch >= 2.3), hence the guard: absent means no
    checks = (
        getattr(cpu, name, None) for name in ("_is_avx512_bf16_supported", "_is_amx_tile_supported")
    )
    return "bf16" if any(check is not None and check() for check in checks) else "fp32"


def step_autocast(device: torch.device, precision: str):
    """The training step's autocast: bf16 convolutions and matmuls where training_precision says
    so (the weights, the optimizer, batch norm and the loss stay fp32), else none."""
    if training_precision(device, precision) == "bf16":
        return torch.autocast(device.type, torch.bfloat16)
    return contextlib.nullcontext()


def cpu_copy(value):
    """A private copy of a state_dict with every tensor on the CPU."""
    if isinstance(value, torch.Tensor):
        return value.detach().to("cpu", copy=True)
    if isinstance(value, dict):
        return {key: cpu_copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [cpu_copy(item) for item in value]
    return value


def get_rng(device: torch.device) -> torch.Tensor:
    """The global RNG's state dropout draws from (CUDA's on a GPU), for set_rng."""
    return torch.cuda.get_rng_state(device) if device.type == "cuda" else torch.get_rng_state()


def set_rng(state: torch.Tensor, device: torch.device) -> None:
    """Restore the global RNG dropout draws from (CUDA's on a GPU)."""
    if device.type == "cuda":
        torch.cuda.set_rng_state(state, device)
    else:
        torch.set_rng_state(state)
