"""Steering a run while it trains: settings another thread changes, pause, and more epochs.

The UI thread holds a `LiveSettings` and calls change(), pause(), resume() and add_epochs(); the
trainer reads it between two optimizer steps, applies what changed through `Knobs`, and yields a
`Change` for each setting it applied (a `Pause` when it pauses or resumes). What the lr schedules
do when the lr, the schedule or the number of epochs changes is in digitlab/training/schedule.py.
"""

from __future__ import annotations

import dataclasses
import math
import threading
import time
from dataclasses import dataclass

from digitlab.config import ConfigError, TrainConfig, augment_level
from digitlab.limits import MAX_EPOCHS, PAUSE_BUDGET_S
from digitlab.words import Text

# Applied in this order, so a new schedule starts from the old lr and a new lr then reshapes it.
KNOBS = ("schedule", "lr", "momentum", "weight_decay", "dropout", "augment")
_POLL = 0.05  # seconds between looks at the stop flag while paused


@dataclass(frozen=True)
class Change:
    """A setting changed during the run: `step` was the last step with `old`, step + 1 uses `new`.

    name is one of KNOBS, or "epochs" (old and new: the run's length in epochs). For "lr", old
    is the knob's value (the lr the teacher set: one-cycle's peak, not the schedule's lr now);
    for "momentum" (SGD's, or Adam's beta1), the optimizer's value, which one-cycle may have
    cycled.
    """

    step: int
    epoch: float
    name: str
    old: float | bool | str
    new: float | bool | str


@dataclass(frozen=True)
class Pause:
    """The run paused after `step` (paused=True) or went on again (paused=False)."""

    step: int
    epoch: float
    paused: bool


def knobs(cfg: TrainConfig) -> tuple[str, ...]:
    """The settings a run of cfg can change: all of KNOBS, but dropout only with dropout layers."""
    has_dropout = cfg.model == "cnn" or cfg.dropout > 0  # models.MLP adds them only when p > 0
    return tuple(k for k in KNOBS if k != "dropout" or has_dropout)


def initial_values(cfg: TrainConfig) -> dict:
    """Each knob's value when a run of cfg starts (momentum: SGD's, or Adam's beta1)."""
    momentum = 0.0 if cfg.optimizer == "sgd" else cfg.momentum  # as parts.make_optimizer does
    return {
        "schedule": cfg.schedule, "lr": cfg.lr, "momentum": momentum,
        "weight_decay": cfg.weight_decay, "dropout": cfg.dropout, "augment": cfg.augment,
    }  # fmt: skip


def length_config(cfg: TrainConfig, steps: int) -> TrainConfig:
    """cfg with a run length of `steps` optimizer steps (epochs rounded up, max_steps if needed)."""
    per_epoch = cfg.steps_per_epoch
    epochs = -(-steps // per_epoch)
    max_steps = None if steps == epochs * per_epoch else steps
    return dataclasses.replace(cfg, epochs=epochs, max_steps=max_steps)


def more_epochs(done, epochs: int) -> TrainConfig:
    """The config to continue a finished or stopped run (a Done) for `epochs` more epochs."""
    if done.state is None:
        raise ValueError("this run cannot be continued: its Done carries no state")
    cfg = done.config
    _check_epochs(cfg, epochs, done.state.step / cfg.steps_per_epoch)
    return length_config(cfg, done.state.step + epochs * cfg.steps_per_epoch)


class LiveSettings:
    """Settings of a running training that any thread may change; applied at the next step.

    Values are checked here, so a bad one raises ConfigError in the caller (the UI), with the
    same message TrainConfig gives; several changes before the next step: the last one counts.
    pause_budget: seconds the run may spend paused in all, every pause added up (a pause that
    reaches it ends the run), so pausing and resuming cannot hold the training slot.
    """

    def __init__(
        self, cfg: TrainConfig, values: dict | None = None, pause_budget: float = PAUSE_BUDGET_S
    ) -> None:
        self.cfg, self.pause_budget = cfg, pause_budget
        self.paused_s = 0.0  # seconds paused so far, all pauses together
        self._lock = threading.Lock()
        self._values = dict(values or initial_values(cfg))
        self._pending: dict = {}
        self._epochs_added = 0  # asked for since the trainer last looked
        self._epochs_total = cfg.epochs  # the run's length with every addition, for the limit
        self._running = threading.Event()  # set = not paused
        self._running.set()

    def change(self, **settings: float | bool | str) -> None:
        """Ask for new values, e.g. change(lr=0.5, schedule="cosine"); see KNOBS."""
        for name, value in settings.items():
            self._check(name, value)
        if "augment" in settings:
            settings["augment"] = augment_level(settings["augment"])
        with self._lock:
            self._pending.update(settings)
            self._values.update(settings)

    def values(self) -> dict:
        """Each knob's latest value: the run's start values with every change asked for since."""
        with self._lock:
            return dict(self._values)

    def add_epochs(self, epochs: int) -> None:
        """Make the running training longer by this many epochs (see schedule.py)."""
        with self._lock:
            _check_epochs(self.cfg, epochs, self._epochs_total)
            self._epochs_added += epochs
            self._epochs_total += epochs

    def pause(self) -> None:
        """Hold the run after its current step; the model and optimizer state are kept."""
        self._running.clear()

    def resume(self) -> None:
        """Go on after pause()."""
        self._running.set()

    @property
    def paused(self) -> bool:
        """Whether pause() was called and resume() not yet."""
        return not self._running.is_set()

    # The trainer's side.

    def take(self) -> tuple[dict, int]:
        """The changes asked for since the last call, and the epochs to add; both are cleared."""
        with self._lock:
            pending, self._pending = self._pending, {}
            epochs, self._epochs_added = self._epochs_added, 0
        return pending, epochs

    def pause_left(self) -> float:
        """Seconds of the pause budget not used yet."""
        return max(0.0, self.pause_budget - self.paused_s)

    def wait(self, stop: threading.Event, until: float | None = None) -> str:
        """Block while paused: "resumed", "stopped" (stop was set), "timeout" (the pause
        budget is spent) or "time_limit" (time.monotonic() reached `until`, the run's end)."""
        started = time.monotonic()
        try:
            while not self._running.wait(_POLL):
                now = time.monotonic()
                if stop.is_set():
                    return "stopped"
                if now - started >= self.pause_left():
                    return "timeout"
                if until is not None and now >= until:
                    return "time_limit"
            return "resumed"
        finally:
            self.paused_s += time.monotonic() - started

    def _check(self, name: str, value: object) -> None:
        """ConfigError unless the run can take this value: TrainConfig's checks and messages
        (augment's True / False read as TrainConfig reads them)."""
        if name not in knobs(self.cfg):
            raise ConfigError(Text("config.unknown", names=name))
        dataclasses.replace(self.cfg, **{name: value})


def _check_epochs(cfg: TrainConfig, epochs: object, so_far: float) -> None:
    """ConfigError unless `epochs` more keep the run within the epoch limit; past it, the
    message says how many more are allowed."""
    done = math.ceil(so_far)
    if done >= MAX_EPOCHS:
        raise ConfigError(Text("config.epochs_spent", done=done, limit=MAX_EPOCHS))
    dataclasses.replace(cfg, epochs=epochs)  # a whole number in range (TrainConfig's message)
    if done + epochs > MAX_EPOCHS:
        raise ConfigError(
            Text(
                "config.epochs_left", epochs=epochs, total=done + epochs, limit=MAX_EPOCHS,
                done=done, left=MAX_EPOCHS - done,
            )
        )  # fmt: skip
