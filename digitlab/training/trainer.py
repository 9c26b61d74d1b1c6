"""The trainer: train(cfg) yields Step, Eval, Change, Pause and finally Done events.

It never prints or imports UI code. A training step: step.py; events: events.py; steering:
steering.py; lr schedules: schedule.py; evaluation: digitlab/evaluate.py; the loop's smaller
pieces: parts.py.
"""

from __future__ import annotations

import copy
import threading
import time
from collections.abc import Iterator

import torch

from digitlab.config import TrainConfig, resolve_device
from digitlab.data import MNIST, load_mnist
from digitlab.evaluate import evaluate, quick_size, spread
from digitlab.inference.calibration import refit_temperature
from digitlab.limits import MAX_STEP_MACS
from digitlab.models import build_model, count_parameters, prefers_channels_last
from digitlab.threads import ThreadBudget
from digitlab.training import parts, pen_data
from digitlab.training.events import Divergence, Done, Eval, Event, Probe, RunState, Step
from digitlab.training.knobs import Knobs
from digitlab.training.schedule import Schedule
from digitlab.training.steering import Change, LiveSettings, Pause, initial_values, length_config
from digitlab.training.step import prepare_batch, train_step

LOG_EVERY = {"cpu": 10, "cuda": 50}  # steps between loss reports (each syncs with the device)
TRAIN_EVAL_SIZE = 5_000  # train accuracy is measured on this many training images (no augmentation)
START_EVAL_SIZE = 1_000  # test images for the untrained model's accuracy, where the curve starts
# Test images an evaluation during the run reads, spread over the test set (its first half is
# the cleaner); the run's last evaluation reads all of them.
TRAINING_EVAL_SIZE = 2_000
EVAL_BATCH = 2_000  # images an evaluation takes at once, fewer for large models (_Run.eval_batch)
# How a run ends: "finished", or cut short (Done.stopped) by Stop, by a pause past the pause
# budget (steering.py), or by its time limit; or "diverged".
CUT_SHORT = ("stopped", "pause_timeout", "time_limit")
SEEDING = threading.Lock()  # held from seeding torch's global RNG to the model's initial weights


def train(
    cfg: TrainConfig,
    data: MNIST | None = None,
    stop: threading.Event | None = None,
    probe: Probe | None = None,
    steering: LiveSettings | None = None,
    continue_from: Done | None = None,
    start_from: torch.nn.Module | None = None,
    threads: ThreadBudget | None = None,
    time_limit: float | None = None,
) -> Iterator[Event]:
    """Fit the model cfg describes on MNIST (and the pen digits: cfg.train_data), yielding
    progress events and finally Done.

    steering: settings another thread may change during the run, and pause (steering.py).
    continue_from: a finished or stopped run's Done to go on with, to cfg.total_steps steps in
    all (cfg from steering.more_epochs): its model (a copy), optimizer, batch order and counters.
    start_from: a model of cfg's architecture whose weights (a copy) this run starts from
    (fine-tuning); the optimizer, schedule and counters start afresh.
    threads: on a CPU, a ThreadBudget that sets this thread's torch thread count as it goes.
    time_limit: seconds the run may last from now, evaluations and pauses included (the app's:
    limits.RUN_TIME_S); then it ends as if stopped, metrics["ended"] == "time_limit". Stop and
    the time limit are seen between two steps and between two batches of an evaluation.
    """
    stop = stop or threading.Event()
    run = _Run(cfg, data, stop, probe, steering, continue_from, start_from, time_limit)
    yield from run.events(threads if run.device.type == "cpu" else None)


class _Run:
    """One run's model, optimizer and counters; events() is the training parts."""

    def __init__(
        self, cfg, data, stop, probe, steering, done: Done | None, start=None, time_limit=None
    ) -> None:
        self.cfg, self.stop, self.probe, self.steering = cfg, stop, probe, steering
        device = self.device = resolve_device(cfg.device)
        generator = torch.Generator(device=device).manual_seed(cfg.seed)  # order, augmentation
        data = (data if data is not None else load_mnist()).to(device)
        self.test_x, self.test_y = data.test_x, data.test_y
        # MNIST (or a subset of it), then the pen digits of writers 1-20 for a "mnist+pen" run
        self.train_x, self.train_y = pen_data.training_set(data, cfg, device)
        if done is not None and (start is not None or done.state is None):
            raise ValueError("continue_from: a Done with its state, and then no start_from")
        with SEEDING:  # torch's global RNG, the process's: two runs starting at once share it
            torch.manual_seed(cfg.seed)  # model init, then dropout
            model = build_model(cfg) if done is None else copy.deepcopy(done.model)
        if start is not None:  # fine-tuning: load_state_dict checks the architecture matches
            model.load_state_dict({k: v.detach().clone() for k, v in start.state_dict().items()})
        self.channels_last = prefers_channels_last(model)
        layout = torch.channels_last if self.channels_last else torch.contiguous_format
        model = model.to(device, memory_format=layout).train()
        self.model, self.generator = model, generator
        self.precision = parts.training_precision(device, cfg.precision)  # "bf16" or "fp32"
        self.autocast = parts.step_autocast(device, self.precision)
        self.optimizer = parts.make_optimizer(cfg, model)
        state = done.state if done is not None else None
        if state is None:
            schedule = Schedule.initial(cfg.schedule, cfg.lr, cfg.total_steps)
            state = RunState(0, 0.0, {}, schedule, initial_values(cfg), None, torch.empty(0))
        else:
            self.optimizer.load_state_dict(copy.deepcopy(state.optimizer))
            parts.set_rng(state.rng, device)
        self.step, self.changes = state.step, list(state.changes)
        self.batches = parts.Batches(len(self.train_x), cfg.batch_size, generator, state.batches)
        self.knobs = Knobs(self.optimizer, model, state.schedule, state.values, self.step)
        # A continued run has no steps left until events() gives it its new length.
        self.total, self.first = cfg.total_steps if done is None else self.step, self.step
        self.clock, self.watch = parts.Clock(state.elapsed, device), parts.LossWatch()
        self._start_time = self._logged_time = state.elapsed
        # ~20 points at least: a short run (a tiny subset in class) still gets a curve
        self.log_every = max(1, min(LOG_EVERY[device.type], (cfg.total_steps - self.step) // 20))
        self.eval_at = parts.eval_steps(cfg, self.total)
        self.loss_sum, self.logged = torch.zeros((), device=device), self.step
        self.ended, self.divergence, self.evaluated = None, None, None  # evaluated: (step, test, n)
        # The T the followed drawing's logits are divided by, as the app's Predictor does:
        # fitted at each evaluation (calibration.refit_temperature).
        self.temperature = done.metrics.get("temperature", 1.0) if done is not None else 1.0
        self.budget: ThreadBudget | None = None  # set by events(): CPU runs only
        self.time_limit = time_limit  # the run ends at the deadline, time.monotonic()'s
        self.deadline = None if time_limit is None else time.monotonic() + time_limit
        # An evaluation's batch costs at most a step's forward pass: Stop is seen there too.
        self.eval_batch = max(1, min(EVAL_BATCH, MAX_STEP_MACS // cfg.macs_per_image()))

    def events(self, budget: ThreadBudget | None = None) -> Iterator[Event]:
        """The loop: steer, step, report, evaluate, pause; then Done (budget: threads.py)."""
        self.budget = budget
        if self.step > 0:  # a continued run: its new length is an "epochs" change
            yield from self._emit([self._lengthen(self.cfg.total_steps)])
        else:  # where the curve starts (chance, ~10%): the chart has a line from its first Eval
            yield from self._evaluate(quick=True, images=START_EVAL_SIZE, stoppable=True)
        while self.step < self.total and self.ended is None:
            yield from self._steer()
            if self._halted():
                break
            self._take_step()
            if self.stop.is_set():
                self.ended = "stopped"  # this step was the last one
            if self.step % self.log_every == 0 or self.ended or self.step == self.total:
                yield from self._report()
            if self.ended is None and self.step in self.eval_at and self.step < self.total:
                yield from self._evaluate(quick=False, images=TRAINING_EVAL_SIZE, stoppable=True)
            if self.ended is None and self.steering is not None and self.steering.paused:
                yield from self._pause()
        self.ended = self.ended or "finished"
        yield from self._finish()

    def _take_step(self) -> None:
        started = time.perf_counter()
        idx = self.batches.next()
        strength = self.knobs.values["augment"]
        x = prepare_batch(self.train_x, idx, self.generator, strength, self.channels_last)
        self.knobs.before_step(self.step)
        y, smoothing = self.train_y[idx], self.cfg.label_smoothing
        loss = train_step(self.model, self.optimizer, x, y, self.autocast, smoothing)
        self.loss_sum += loss
        self.step += 1
        if self.watch.ceiling is None:  # one host sync, at the first step
            self.watch.start(loss.item())
        if self.budget is not None:  # CPU steps are synchronous: this is the step's time
            self.budget.after_step(len(idx), time.perf_counter() - started)

    def _steer(self) -> Iterator[Event]:
        if self.steering is None:
            return
        requested, epochs = self.steering.take()
        changes = self.knobs.apply(requested, self.step, self._epoch()) if requested else []
        if epochs:
            changes.append(self._lengthen(self.total + epochs * self.cfg.steps_per_epoch))
        yield from self._emit(changes)

    def _lengthen(self, total: int) -> Change:
        change = self.knobs.extend(self.step, self.total, total, self.cfg.steps_per_epoch)
        self.total, self.cfg = total, length_config(self.cfg, total)
        self.eval_at = parts.eval_steps(self.cfg, total)
        return change

    def _emit(self, events: list) -> Iterator[Event]:
        self.clock.pause()
        for event in events:
            if isinstance(event, Change):
                self.changes.append(event)
            yield event
        self.clock.resume()

    def _report(self) -> Iterator[Event]:
        steps, before = self.step - self.logged, self._logged_time
        mean = (self.loss_sum / steps).item()  # the loop's only host sync
        self.clock.pause()
        rate = steps * self.cfg.batch_size / max(self.clock.total - before, 1e-9)
        reason = self.watch.check(mean)
        loss, clipped = self.watch.clip(mean)
        image = self.probe.image if self.probe is not None else None  # read once: it may change
        seen = parts.read_probe(self.model, image, self.channels_last, self.temperature)
        yield Step(
            self.step, self.total, self._epoch(), loss, rate, self.clock.total, seen,
            self.knobs.lr_used, clipped,
        )  # fmt: skip
        self.loss_sum.zero_()
        self.logged, self._logged_time = self.step, self.clock.total
        if reason is not None:
            self.ended, setting, used = "diverged", self.knobs.values["lr"], self.knobs.lr_used
            self.divergence = Divergence(
                self.step, round(self._epoch(), 3), reason, mean if reason == "exploded" else None,
                setting, used, self.cfg.optimizer, parts.suggested_lr(min(setting, used)),
            )  # fmt: skip
        self.clock.resume()

    def _halted(self) -> bool:
        """Whether the run must end now, Stop pressed or its time up (then self.ended says so)."""
        if self.ended is None and self.stop.is_set():
            self.ended = "stopped"
        out_of_time = self.deadline is not None and time.monotonic() >= self.deadline
        if self.ended is None and out_of_time:
            self.ended = "time_limit"
        return self.ended is not None

    def _evaluate(
        self, quick: bool, images: int | None = None, stoppable: bool = False
    ) -> Iterator[Event]:
        """An Eval of the model now; stoppable: Stop or the time limit ends it between two
        batches, with no Eval (the run's last evaluation, in _finish, is not stoppable)."""
        self.clock.pause()
        trained = (self.step - self.first) * self.cfg.batch_size
        rate = trained / max(self.clock.total - self._start_time, 1e-9)
        n = images or (quick_size(rate) if quick else None)
        n = None if n is None else min(n, len(self.test_y))  # the images it is measured on
        test_x, test_y = spread(self.test_x, self.test_y, n)
        halt = dict(batch_size=self.eval_batch, stop=self._halted if stoppable else None)
        test = evaluate(self.model, test_x, test_y, logits=True, **halt)
        size = n or TRAIN_EVAL_SIZE  # n None: all the test images
        sample = test and evaluate(self.model, self.train_x[:size], self.train_y[:size], **halt)
        if sample is None:  # stopped (or out of time) during it
            self.clock.resume()
            return
        self.temperature = refit_temperature(test.pop("logits"), test_y, self.temperature)
        if self.watch.ceiling is not None:  # none yet before the first step
            test["loss"] = self.watch.clip(test["loss"])[0]
        acc = test["accuracy"], sample["accuracy"]
        yield Eval(self.step, self._epoch(), test["loss"], *acc, self.clock.total, n)
        self.evaluated = (self.step, test, n)
        self.clock.resume()

    def _pause(self) -> Iterator[Event]:
        self.clock.pause()
        yield Pause(self.step, self._epoch(), True)
        outcome = self.steering.wait(self.stop, self.deadline)
        if outcome == "resumed":
            yield Pause(self.step, self._epoch(), False)
        else:
            self.ended = {"stopped": "stopped", "timeout": "pause_timeout"}.get(outcome, outcome)
        self.clock.resume()

    def _finish(self) -> Iterator[Event]:
        if self.step > self.logged:  # steps since the last report (a stop while paused)
            yield from self._report()
        finished = self.ended == "finished"  # then measured on every test image
        at, _, n = self.evaluated or (None, None, None)
        if at != self.step or (finished and n is not None):
            yield from self._evaluate(quick=not finished)
        _, test, n = self.evaluated
        self.clock.pause()
        state = RunState(
            self.step, self.clock.total, parts.cpu_copy(self.optimizer.state_dict()),
            self.knobs.schedule, dict(self.knobs.values), self.batches.state(),
            parts.get_rng(self.device), tuple(self.changes),
        )  # fmt: skip
        model = self.model.to("cpu", memory_format=torch.contiguous_format).eval()
        metrics = {
            "test_accuracy": test["accuracy"], "test_loss": test["loss"],
            "per_class": test["per_class"], "confusion": test["confusion"],
            "steps": self.step, "epochs": round(self._epoch(), 3),
            "train_time_s": round(self.clock.total, 3), "device": str(self.device),
            "precision": self.precision, "parameters": count_parameters(model),
            "ended": self.ended, "train_images": len(self.train_x),
            "pen_writers": pen_data.pen_writers(self.cfg),
        }  # fmt: skip
        if n is not None:
            metrics["test_sample"], metrics["test_set"] = n, len(self.test_y)
        if self.ended == "time_limit":
            metrics["time_limit_s"] = self.time_limit
        if self.ended == "pause_timeout":
            metrics["pause_budget_s"] = self.steering.pause_budget
        if self.divergence is None:  # a diverged model's logits are no numbers to scale
            metrics["temperature"] = self.temperature
        # The drawing read once more by the model as saved, with the T saved with it: the last
        # point of the chart is what the Draw tab says of the drawing with this model.
        image = self.probe.image if self.probe is not None else None
        seen = parts.read_probe(model, image, prefers_channels_last(model), self.temperature)
        yield Done(
            model, self.cfg, metrics, self.ended in CUT_SHORT, self.clock.total, self.divergence,
            state, tuple(self.changes), seen,
        )  # fmt: skip

    def _epoch(self) -> float:
        return self.step / self.cfg.steps_per_epoch
