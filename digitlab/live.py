"""A training run in a worker thread, seen by the UI as a stream of LiveView snapshots.

The trainer is a plain generator; TrainingRun runs it in its own thread (with its own stop flag
and thread budget) so the Gradio handler can yield updates on a timer and stop it from outside.
"""

from __future__ import annotations

import contextvars
import math
import os
import queue
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import torch

from digitlab.config import ConfigError, TrainConfig, resolve_device
from digitlab.data import DataError, load_mnist
from digitlab.train import Done, Eval, Step, train

try:  # ZeroGPU: the decorator must be applied at import time; it is a no-op elsewhere
    import spaces
except ImportError:
    spaces = None

ZERO_GPU = spaces is not None and os.environ.get("SPACES_ZERO_GPU", "").lower() in ("1", "true")
UPDATE_INTERVAL = 0.4  # seconds between UI updates while training
# On a small CPU box, leave one core to the web server and everyone's live predictions.
TRAIN_THREADS = max(1, (os.cpu_count() or 1) - 1)


@dataclass
class LiveView:
    """What a running training shows at one moment."""

    status: str
    losses: list[tuple[float, float]] = field(default_factory=list)  # (epoch, loss)
    accuracies: list[tuple[float, float]] = field(default_factory=list)  # (epoch, accuracy)
    done: Done | None = None


class TrainingFailed(Exception):
    """Training could not run; the message is meant for the student."""


_END = object()
THREAD_NAME = "digitlab-train"


class TrainingRun:
    """Run train(cfg) in a worker thread; updates() yields LiveViews every UPDATE_INTERVAL.

    Use as a context manager: leaving it (run over, Stop, cancelled or browser closed) sets the
    stop flag, so the worker never outlives the request that started it.
    """

    def __init__(self, cfg: TrainConfig, stop: threading.Event) -> None:
        self.cfg, self.stop = cfg, stop
        self._events: queue.Queue = queue.Queue()
        # copy_context: @spaces.GPU reads the Gradio request from a context variable.
        self._thread = threading.Thread(
            target=contextvars.copy_context().run, args=(self._work,), name=THREAD_NAME, daemon=True
        )

    def __enter__(self) -> TrainingRun:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self._thread.join(timeout=10)

    def _work(self) -> None:
        try:
            self._events.put("Loading MNIST (downloads about 11 MB on first use)…")
            data = load_mnist()
            device = str(resolve_device(self.cfg.device))
            self._events.put(f"Starting on {device}: {self.cfg.label()}…")
            if device == "cpu":
                torch.set_num_threads(TRAIN_THREADS)
            for event in _events(self.cfg, data, self.stop):
                self._events.put(event)
        except (DataError, ConfigError) as error:
            self._events.put(TrainingFailed(str(error)))
        except Exception as error:  # surfaced to the student as a message, not a traceback
            self._events.put(TrainingFailed(_failure(error)))
        finally:
            self._events.put(_END)

    def updates(self) -> Iterator[LiveView]:
        """Snapshots of the run, at least every UPDATE_INTERVAL (so Stop/cancel get through)."""
        view = LiveView("Waiting for the trainer…")
        device, last = "", 0.0
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
            if isinstance(item, str):
                view.status = item
            elif isinstance(item, Step):
                device = device or str(resolve_device(self.cfg.device))
                view.losses.append((round(item.epoch, 4), item.loss))
                view.status = _status(item, self.cfg, device, self.stop.is_set())
            elif isinstance(item, Eval):
                view.accuracies.append((round(item.epoch, 4), item.test_accuracy))
            elif isinstance(item, Done):
                view.done = item
                view.status = _finished(item)
            now = time.monotonic()
            if urgent or now - last >= UPDATE_INTERVAL:
                last = now
                yield view


def _failure(error: Exception) -> str:
    """What the student reads when training crashed: what happened and what to try."""
    text = str(error)
    # CUDA raises torch.OutOfMemoryError; the CPU allocator a RuntimeError ("can't allocate").
    if isinstance(error, (torch.OutOfMemoryError, MemoryError)) or (
        isinstance(error, RuntimeError) and ("out of memory" in text or "can't allocate" in text)
    ):
        return (
            "Training ran out of memory: lower the batch size, use a smaller model (fewer "
            "channels or hidden units) or fewer training images, then press Train again."
        )
    first_line = text.strip().splitlines()[0][:300] if text.strip() else ""
    return f"Training failed ({type(error).__name__}: {first_line}). Try other settings."


def _status(step: Step, cfg: TrainConfig, device: str, stopping: bool) -> str:
    left = (step.total_steps - step.step) * step.elapsed / max(step.step, 1)
    text = (
        f"Epoch {step.epoch:.2f}/{cfg.epochs} · step {step.step}/{step.total_steps} · "
        f"{step.images_per_s:,.0f} img/s · ~{math.ceil(left)} s left · {device}"
    )
    return "Stopping… " + text if stopping else text


def _finished(done: Done) -> str:
    how = "Stopped" if done.stopped else "Finished"
    m = done.metrics
    return (
        f"{how} after {m['epochs']:g} epochs ({m['steps']} steps, {done.elapsed:.1f} s on "
        f"{m['device']}): test accuracy {m['test_accuracy']:.2%}. "
        "The model is now in the Draw tab's picker."
    )


def _events(cfg: TrainConfig, data, stop: threading.Event):
    if not ZERO_GPU:
        yield from train(cfg, data, stop)
        return
    # On ZeroGPU the trainer runs in a forked GPU worker, which cannot see this process's stop
    # flag: closing the generator ends the worker's run (the partial model is not kept there).
    events = _train_on_zero_gpu(cfg)
    try:
        for event in events:
            if stop.is_set():
                return
            yield event
    finally:
        events.close()


if ZERO_GPU:

    @spaces.GPU(duration=120)
    def _train_on_zero_gpu(cfg: TrainConfig):
        """Train inside a ZeroGPU worker; MNIST comes from the parent process's cache."""
        yield from train(cfg, load_mnist(), None)
