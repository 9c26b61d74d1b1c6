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

import numpy as np
import torch

from digitlab.config import ConfigError, TrainConfig, resolve_device
from digitlab.data import DataError, load_mnist
from digitlab.i18n import DEFAULT, Text, localize, t
from digitlab.train import Done, Eval, Probe, Step, train

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
    # The followed drawing and the model's probabilities for it, from when it was first seen.
    probe_image: np.ndarray | None = None
    probe: list[tuple[float, np.ndarray]] = field(default_factory=list)  # (epoch, 10 probs)

    def follow(self, step: Step) -> None:
        """Add the step's probabilities for the drawing; a new drawing starts a new curve."""
        if step.probe is None:
            return
        image, probs = step.probe
        # A new drawing, not just a new copy of it (the picker or the language changed).
        if self.probe_image is None or not np.array_equal(image, self.probe_image):
            self.probe_image, self.probe = image, []
        self.probe.append((round(step.epoch, 4), probs))


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
    ) -> None:
        self.cfg, self.stop, self.probe, self.lang = cfg, stop, probe, lang
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
            self._events.put(Text("status.loading"))
            data = load_mnist()
            device = str(resolve_device(self.cfg.device))
            self._events.put(Text("status.starting_on", device=device, label=self.cfg.label()))
            if device == "cpu":
                torch.set_num_threads(TRAIN_THREADS)
            for event in _events(self.cfg, data, self.stop, self.probe):
                self._events.put(event)
        except (DataError, ConfigError) as error:
            self._events.put(TrainingFailed(localize(error, self.lang)))
        except Exception as error:  # surfaced to the student as a message, not a traceback
            self._events.put(TrainingFailed(_failure(error).render(self.lang)))
        finally:
            self._events.put(_END)

    def updates(self) -> Iterator[LiveView]:
        """Snapshots of the run, at least every UPDATE_INTERVAL (so Stop/cancel get through)."""
        view = LiveView(t("status.waiting", self.lang))
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
            if isinstance(item, Text):
                view.status = item.render(self.lang)
            elif isinstance(item, Step):
                device = device or str(resolve_device(self.cfg.device))
                view.losses.append((round(item.epoch, 4), item.loss))
                view.follow(item)
                view.status = _status(item, self.cfg, device, self.stop.is_set(), self.lang)
            elif isinstance(item, Eval):
                view.accuracies.append((round(item.epoch, 4), item.test_accuracy))
            elif isinstance(item, Done):
                view.done = item
                view.status = finished_text(item, self.lang)
            now = time.monotonic()
            if urgent or now - last >= UPDATE_INTERVAL:
                last = now
                yield view


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


def _status(step: Step, cfg: TrainConfig, device: str, stopping: bool, lang: str) -> str:
    left = (step.total_steps - step.step) * step.elapsed / max(step.step, 1)
    progress = t(
        "status.progress", lang, epoch=step.epoch, epochs=cfg.epochs, step=step.step,
        total=step.total_steps, rate=step.images_per_s, left=math.ceil(left), device=device,
    )  # fmt: skip
    return t("status.stopping", lang, progress=progress) if stopping else progress


def finished_text(done: Done, lang: str = DEFAULT) -> str:
    """The status line of a finished (or stopped) run."""
    m = done.metrics
    return t(
        "status.stopped" if done.stopped else "status.finished", lang, epochs=m["epochs"],
        steps=m["steps"], seconds=done.elapsed, device=m["device"], accuracy=m["test_accuracy"],
    )  # fmt: skip


def _events(cfg: TrainConfig, data, stop: threading.Event, probe: Probe | None):
    if not ZERO_GPU:
        yield from train(cfg, data, stop, probe)
        return
    # On ZeroGPU the trainer runs in a forked GPU worker, which cannot see this process's stop
    # flag or the canvas probe: closing the generator ends the worker's run (the partial model
    # is not kept there), and the drawing is not followed.
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
