"""A training run in a worker thread, seen by the UI as a stream of LiveView snapshots.

The trainer is a plain generator; TrainingRun runs it in its own thread (with its own stop flag
and thread budget) so the Gradio handler can yield updates on a timer and stop it from outside.
Its steering (change settings, pause, resume, more epochs) goes through TrainingRun.steering,
which any thread may call; continue_run() trains a finished or stopped run for more epochs.
"""

from __future__ import annotations

import contextvars
import math
import queue
import threading
import time
from collections.abc import Iterator

import torch

from digitlab.config import ConfigError, TrainConfig, option, resolve_device
from digitlab.data import MNIST, DataError, load_mnist
from digitlab.limits import RUN_TIME_S
from digitlab.threads import ThreadBudget, cores, serve_on_one_thread, train_behind_serving
from digitlab.training import pen_data
from digitlab.training.events import Done, Probe, Step
from digitlab.training.settings import recipe_fields
from digitlab.training.steering import Change, LiveSettings, more_epochs
from digitlab.training.trainer import train
from digitlab.training.view import LiveView
from digitlab.words import DEFAULT, Said, Text, localize

__all__ = [
    "LiveView",
    "THREAD_NAME",
    "TrainingFailed",
    "TrainingRun",
    "continue_run",
    "finished_text",
    "warm_up",
]

UPDATE_INTERVAL = 0.4  # seconds between UI updates while training


class TrainingFailed(Exception):
    """Training could not run; the message is meant for the student."""


_END = object()
THREAD_NAME = "digitlab-train"


class TrainingRun:
    """Run train(cfg) in a worker thread; updates() yields LiveViews every UPDATE_INTERVAL.

    Use as a context manager: leaving it (run over, Stop, cancelled or browser closed) sets the
    stop flag, so the worker never outlives the request that started it.
    """

    def __init__(
        self,
        cfg: TrainConfig,
        stop: threading.Event,
        probe: Probe | None = None,
        lang: str = DEFAULT,
        steering: LiveSettings | None = None,
        continue_from: Done | None = None,
        earlier: LiveView | None = None,
        data: MNIST | None = None,
        start_from: torch.nn.Module | None = None,
        time_limit: float | None = RUN_TIME_S,
    ) -> None:
        self.cfg, self.stop, self.probe, self.lang = cfg, stop, probe, lang
        self.time_limit = time_limit  # seconds the run may hold its training slot (trainer.train)
        self.data, self.start_from = data, start_from  # other data than MNIST; fine-tuning
        values = continue_from.state.values if continue_from is not None else None
        self.steering = steering or LiveSettings(cfg, values)
        self.continue_from, self.earlier = continue_from, earlier
        self._events: queue.Queue = queue.Queue()
        self._thread = threading.Thread(
            target=contextvars.copy_context().run, args=(self._work,), name=THREAD_NAME, daemon=True
        )

    def __enter__(self) -> TrainingRun:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()  # a paused run sees it too
        self._thread.join(timeout=10)

    def change(self, **settings: float | bool | str) -> None:
        """New values for steering.KNOBS from the next step on; ConfigError if one is invalid."""
        self.steering.change(**settings)

    def pause(self) -> None:
        """Hold the run after its current step (Stop still works; it ends after a time-out)."""
        self.steering.pause()

    def resume(self) -> None:
        """Go on after pause()."""
        self.steering.resume()

    def add_epochs(self, epochs: int) -> None:
        """Make the running run longer; for a finished or stopped one, see continue_run()."""
        self.steering.add_epochs(epochs)

    def _work(self) -> None:
        train_behind_serving()  # a student's prediction never waits for a core behind a step
        try:
            self._events.put(Text("status.loading"))
            data = self.data if self.data is not None else load_mnist()
            if pen_data.uses_pen(self.cfg) and not pen_data.pen_digits_ready():
                self._events.put(Text("status.drawing_pen"))  # ~10 s, once per process
                pen_data.pen_digits()  # here, where the status line can say why it waits
            device = str(resolve_device(self.cfg.device))
            label = Said(self.cfg.label)
            self._events.put(Text("status.starting_on", device=device_name(device), label=label))
            # On a CPU the run takes every core, and gives one back within a second when another
            # process or thread takes one (threads.py).
            budget = ThreadBudget(cores()) if device == "cpu" else None
            events = train(
                self.cfg, data, self.stop, self.probe, self.steering, self.continue_from,
                self.start_from, budget, self.time_limit,
            )  # fmt: skip
            for event in events:
                self._events.put(event)
        except (DataError, ConfigError) as error:
            self._events.put(TrainingFailed(localize(error, self.lang)))
        except Exception as error:  # surfaced to the student as a message, not a traceback
            self._events.put(TrainingFailed(_failure(error).render(self.lang)))
        finally:
            serve_on_one_thread()  # the count threads started from now on take: one again
            self._events.put(_END)

    def updates(self) -> Iterator[LiveView]:
        """Snapshots of the run, at least every UPDATE_INTERVAL (so Stop/cancel get through)."""
        waiting = Text("status.waiting")
        view = LiveView(waiting) if self.earlier is None else self.earlier.continued(waiting)
        device, last, epochs = "", 0.0, self.cfg.epochs
        while True:
            try:
                item = self._events.get(timeout=UPDATE_INTERVAL)
            except queue.Empty:
                item = None
            if item is _END:
                return
            if isinstance(item, TrainingFailed):
                raise item
            urgent = item is not None and not isinstance(item, Step)
            if isinstance(item, Text):
                view.status = item
            elif item is not None:
                view.record(item)
            if isinstance(item, Change) and item.name == "epochs":
                epochs = _whole(item.new)
            elif isinstance(item, Step):
                device = device or str(resolve_device(self.cfg.device))
                stopping = self.stop.is_set()
                view.status = _status(item, epochs, device, stopping)
            elif isinstance(item, Done):
                view.status = finished_message(item)
            now = time.monotonic()
            if urgent or now - last >= UPDATE_INTERVAL:
                last = now
                yield view


def warm_up() -> None:
    """A few steps and evaluations of each model's default run on random images, run once when
    the app starts: the first run a class trains then starts at once instead of spending ~0.9 s
    setting up the CPU's kernels for its shapes (it runs behind the server's threads)."""
    train_behind_serving()
    noise = torch.Generator().manual_seed(0)
    images = torch.randint(0, 256, (3_000, 28, 28), dtype=torch.uint8, generator=noise)
    labels = torch.randint(0, 10, (3_000,), generator=noise)
    data = MNIST(images[:1_024], labels[:1_024], images, labels)
    try:
        for model in ("cnn", "mlp"):
            fields = {**recipe_fields(model), "model": model, "max_steps": 2, "subset": 1_024}
            cfg = TrainConfig(**fields)
            for _ in train(cfg, data, threads=ThreadBudget(cores())):
                pass
    finally:
        serve_on_one_thread()  # the count threads started from now on take: one again


def _failure(error: Exception) -> Text:
    """What the student reads when training crashed: what happened and what to try."""
    text = str(error)
    # CUDA raises torch.OutOfMemoryError; the CPU allocator a RuntimeError ("can't allocate").
    if isinstance(error, (torch.OutOfMemoryError, MemoryError)) or (
        isinstance(error, RuntimeError) and ("out of memory" in text or "can't allocate" in text)
    ):
        return Text("msg.oom")
    first_line = text.strip().splitlines()[0][:300] if text.strip() else ""
    return Text("msg.crashed", kind=type(error).__name__, detail=first_line)


def continue_run(
    done: Done,
    epochs: int,
    stop: threading.Event,
    probe: Probe | None = None,
    lang: str = DEFAULT,
    earlier: LiveView | None = None,
) -> TrainingRun:
    """A TrainingRun that trains a finished or stopped run's model `epochs` epochs more.

    Same optimizer state, step and epoch counters; the curves go on from `earlier` (the run's
    last LiveView, or one rebuilt from its curves). ConfigError if epochs is not allowed.
    """
    return TrainingRun(
        more_epochs(done, epochs), stop, probe, lang, continue_from=done, earlier=earlier
    )


def _whole(epochs: float) -> float | int:
    """3.0 -> 3 (as the status line shows a run's epochs), 2.5 stays."""
    return int(epochs) if float(epochs).is_integer() else round(epochs, 2)


def _status(step: Step, epochs: float, device: str, stopping: bool) -> Text:
    left = (step.total_steps - step.step) * step.elapsed / max(step.step, 1)
    progress = Text(
        "status.progress", epoch=step.epoch, epochs=epochs, step=step.step,
        total=step.total_steps, rate=step.images_per_s, left=math.ceil(left),
        device=device_name(device),
    )  # fmt: skip
    return Text("status.stopping", progress=progress) if stopping else progress


def device_name(device: str) -> str:
    """ "cpu" -> "CPU", "cuda:0" -> "CUDA:0": as the status line names it."""
    return device.upper()


TEST_SIZE = 10_000  # MNIST's test images, what a finished run is measured on
CHANCE = 0.2  # test accuracy at or below this (guessing is 10%) ends a run "learned nothing"
FEW_STEPS = 20  # steps a run needs at least to learn anything
# Learning rates that train MNIST at all, by optimizer (the presets' lessons; BENCHMARKS.md).
GOOD_LR = {"sgd": (1e-3, 1.0), "momentum": (1e-4, 0.5), "adam": (1e-5, 0.05), "adamw": (1e-5, 0.05)}


def finished_message(done: Done) -> Text:
    """The status line of a finished (or stopped, or diverged) run; a run that ends near chance
    says so, with its likely cause."""
    m = done.metrics
    ended = done.stopped or done.diverged  # the UI words a divergence from done.divergence
    key = "status.stopped" if ended else "status.finished"
    sample = {}  # a quick check on part of the test set says so, and on how many images
    total = m.get("test_set", TEST_SIZE)  # older checkpoints' runs do not say
    if "test_sample" in m and m["test_sample"] < total:
        key, sample = "status.stopped_sample", {"images": m["test_sample"], "total": total}
    said = Text(
        key, epochs=round(m["epochs"], 2), steps=m["steps"], seconds=done.elapsed,
        device=device_name(done.trained_on), accuracy=m["test_accuracy"], **sample,
    )  # fmt: skip
    if m.get("ended") == "time_limit":
        said = Text("status.time_limit", stopped=said, minutes=m["time_limit_s"] / 60)
    elif m.get("ended") == "pause_timeout" and "pause_budget_s" in m:
        said = Text("status.pause_spent", stopped=said, minutes=m["pause_budget_s"] / 60)
    if done.diverged or m["test_accuracy"] > CHANCE:
        return said
    return Text("status.chance", finished=said, cause=_chance_cause(done))


def _chance_cause(done: Done) -> Text:
    """Why a run learned nothing, most likely first: a learning rate too high or too low for
    its optimizer, too few steps, or else a change made while it ran."""
    cfg, steps = done.config, done.metrics["steps"]
    lr = done.state.values["lr"] if done.state is not None else cfg.lr
    low, high = GOOD_LR[cfg.optimizer]
    optimizer = option("optimizer", cfg.optimizer)
    if lr > high:
        return Text("status.cause_lr_high", lr=lr, optimizer=optimizer, suggested=high)
    if steps < FEW_STEPS:
        return Text("status.cause_few_steps", steps=steps)
    if lr < low:
        return Text("status.cause_lr_low", lr=lr, optimizer=optimizer, suggested=low)
    return Text("status.cause_unknown")


def finished_text(done: Done, lang: str = DEFAULT) -> str:
    """The status line of a finished (or stopped, or diverged) run, in lang."""
    return finished_message(done).render(lang)
