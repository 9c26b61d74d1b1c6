"""What the trainer yields: Step, Eval, Change, Pause and Done; and the Probe it reads."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from digitlab.config import TrainConfig
from digitlab.training.schedule import Schedule
from digitlab.training.steering import Change, Pause


@dataclass(frozen=True)
class Step:
    """Mean training loss over the steps since the last report.

    The loss is always finite: a NaN, infinite or exploded mean is reported as the run's loss
    ceiling (10x its starting loss, at least 23) with clipped=True, so a chart keeps its scale.
    """

    step: int
    total_steps: int
    epoch: float
    loss: float
    images_per_s: float
    elapsed: float  # seconds of training, excluding evaluation and pauses
    probe: tuple[np.ndarray, np.ndarray] | None = None  # (image followed, its 10 probabilities)
    lr: float | None = None  # the learning rate of the last step
    clipped: bool = False


class Probe:
    """A drawing to follow during a run, e.g. the one on the app's canvas.

    Any thread may replace `image` at any time (a single attribute write); at each loss report
    the trainer reads it and puts the model's probabilities for it in Step.probe (None while the
    model's outputs are not finite: a diverged model has no probabilities to show).
    """

    def __init__(self, image: np.ndarray | None = None) -> None:
        self.image = image  # (28, 28) floats in [0, 1], ink = 1; None = nothing to follow


@dataclass(frozen=True)
class Eval:
    """Test (and train-sample) metrics at a point in the run."""

    step: int
    epoch: float
    test_loss: float  # finite: clipped like Step.loss
    test_accuracy: float
    train_accuracy: float
    elapsed: float
    sample: int | None = None  # test images used when not all 10,000 (a stopped run)


@dataclass(frozen=True)
class Divergence:
    """Why and where a run was ended for diverging; plain data for the UI's message."""

    step: int
    epoch: float
    reason: str  # "nan": the loss became NaN or infinite; "exploded": over 10x its start
    loss: float | None  # the mean loss that ended it; None when not finite
    lr: float  # the lr setting (the last one the knob set, else the run's lr)
    lr_used: float  # the lr of the last step (lower than lr during a warm-up or decay)
    optimizer: str
    suggested_lr: float  # a tenth of the lower of the two, to one significant digit


@dataclass(frozen=True)
class RunState:
    """What a finished or stopped run needs to go on training: plain data and CPU tensors."""

    step: int
    elapsed: float
    optimizer: dict  # the optimizer's state_dict, a private CPU copy
    schedule: Schedule
    values: dict  # each steering knob's value (steering.KNOBS)
    batches: dict  # the batch order's generator state, permutation and position
    rng: torch.Tensor  # torch's global RNG state (dropout); on CUDA, its CUDA state
    changes: tuple[Change, ...] = ()


@dataclass(frozen=True)
class Done:
    """The trained model (CPU, eval mode) and its final metrics; stopped=True if cut short.

    metrics["ended"] says how: "finished", "stopped", "pause_timeout" (its pauses used up the
    pause budget: metrics["pause_budget_s"]), "time_limit" (it ran for metrics["time_limit_s"])
    or "diverged" (then `divergence` says where). A run that did not finish was evaluated on
    metrics["test_sample"] of the metrics["test_set"] test images. `state` continues it:
    train(steering.more_epochs(done, n), ..., continue_from=done).
    """

    model: nn.Module | None  # None once a session has let the run's model go (ui/sessions.py)
    config: TrainConfig
    metrics: dict
    stopped: bool
    elapsed: float
    divergence: Divergence | None = None
    state: RunState | None = None
    changes: tuple[Change, ...] = ()  # every change of the run, continued parts included
    probe: tuple[np.ndarray, np.ndarray] | None = None  # the followed drawing, read at the end

    @property
    def diverged(self) -> bool:
        """Whether the run was ended because its loss diverged."""
        return self.divergence is not None

    @property
    def trained_on(self) -> str:
        """Where the steps ran, e.g. "cpu", or "cpu, bf16" when they computed in bf16."""
        precision = self.metrics.get("precision")  # older checkpoints' runs do not say
        return f"{self.metrics['device']}, bf16" if precision == "bf16" else self.metrics["device"]


Event = Step | Eval | Change | Pause | Done
