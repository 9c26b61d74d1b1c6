"""Learning-rate schedules as plain data: the lr (and one-cycle's momentum) at any step.

The trainer sets the optimizer's lr before every step from `Schedule.lr(step)`, instead of
using torch's OneCycleLR, so a run can be steered and extended smoothly. `step` is the 0-based
index of the optimizer step about to be taken. A schedule describes the rest of the run from
`start` (the step where it was last reshaped) to `end` (the steps in the run):

- constant: `start_lr` at every step.
- cosine: from `start_lr` at `start` down a half cosine towards 0 at `end`.
- onecycle: from `start_lr` up to `peak` over the first 25% (warm-up), then down a half cosine to
  peak / 250,000. An untouched run starts at peak / 25, and gives exactly the learning rates (and
  momenta: 0.95 -> 0.85 -> 0.95 on SGD's momentum or Adam's beta1) of
  `OneCycleLR(max_lr=lr, total_steps=max(steps, 2), pct_start=0.25)`, which the exported script
  uses; unlike OneCycleLR it also works for runs of 4 steps.

What a change does, from the next step on:

- The lr knob set to L (`set_lr`): the next step uses L exactly. constant stays at L; cosine and
  onecycle decay from L to the same end as before (a onecycle still warming up stops warming up).
- Another schedule (`switch`): it continues from the current lr, without a jump. constant keeps
  the current lr; cosine decays from it over the rest of the run; onecycle warms from it up to
  the lr setting (the last lr the knob set, else the run's lr) over 25% of the rest, then decays.
- More epochs (`extend`, the end moves later): constant is unchanged; onecycle starts a new cycle
  over the rest of the run, warming from the current lr (no jump) up to the lr setting; cosine
  restarts at the lr setting (a warm restart, as in SGDR: the one deliberate jump, since a
  finished cosine is at ~0 and would not learn) and decays to 0 at the new end.

One-cycle's momentum cycle belongs to the untouched run only: any of these changes, or the
momentum knob, leaves momentum at its current value from then on.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

WARM_UP = 0.25  # onecycle's share of its steps spent warming up (OneCycleLR's pct_start)
DIV_FACTOR = 25.0  # onecycle starts at peak / 25 ...
FINAL_DIV = 1e4  # ... and ends at that / 10,000
MOMENTUM_CYCLE = (0.95, 0.85)  # OneCycleLR's max_momentum, base_momentum


@dataclass(frozen=True)
class Schedule:
    """The learning rate from step `start` to `end`; see the module docstring."""

    kind: str  # constant, cosine or onecycle
    start: int
    end: int
    start_lr: float
    peak: float = 0.0  # onecycle: the top of the cycle
    warm_end: float = 0.0  # onecycle: last step of the warm-up (OneCycleLR's float convention)
    cycles_momentum: bool = False  # onecycle on an untouched run: momentum follows MOMENTUM_CYCLE

    @classmethod
    def initial(cls, kind: str, lr: float, steps: int) -> Schedule:
        """The schedule of a fresh run of `steps` steps whose lr setting is `lr`."""
        if kind == "onecycle":
            return _cycle(0, steps, lr / DIV_FACTOR, lr, cycles_momentum=True)
        return cls(kind, 0, steps, lr, peak=lr)

    def lr(self, step: int) -> float:
        """The learning rate of the step with this 0-based index."""
        if self.kind == "constant":
            return self.start_lr
        if self.kind == "cosine":
            pct = (step - self.start) / max(self.end - self.start, 1)
            return _anneal(self.start_lr, 0.0, pct)
        phase, pct = self._phase(step)
        if phase == 0:
            return _anneal(self.start_lr, self.peak, pct)
        return _anneal(self.peak, self.peak / DIV_FACTOR / FINAL_DIV, pct)

    def momentum(self, step: int) -> float | None:
        """One-cycle's momentum (or Adam's beta1) for this step; None when it is not cycled."""
        if not self.cycles_momentum:
            return None
        high, low = MOMENTUM_CYCLE
        phase, pct = self._phase(step)
        return _anneal(high, low, pct) if phase == 0 else _anneal(low, high, pct)

    def set_lr(self, step: int, lr: float) -> Schedule:
        """The lr knob moved: `lr` from `step` on, then this schedule's decay (if any)."""
        if self.kind == "onecycle":  # straight to the decay: warm_end = step skips the warm-up
            return _cycle(step, self.end, lr, lr, warm_end=step)
        return Schedule(self.kind, step, self.end, lr, peak=lr)

    def switch(self, kind: str, step: int, lr_now: float, lr_setting: float) -> Schedule:
        """Another schedule from `step`, starting at the current lr."""
        if kind == "onecycle":
            return _cycle(step, self.end, lr_now, lr_setting)
        return Schedule(kind, step, self.end, lr_now, peak=lr_setting)

    def extend(self, step: int, end: int, lr_now: float, lr_setting: float) -> Schedule:
        """The run now ends at `end` (later): a new cycle over the rest, see the docstring."""
        if self.kind == "onecycle":
            return _cycle(step, end, lr_now, lr_setting)
        if self.kind == "cosine":
            return Schedule("cosine", step, end, lr_setting, peak=lr_setting)
        return dataclasses.replace(self, end=end)

    def _phase(self, step: int) -> tuple[int, float]:
        """(0, progress) in the warm-up, else (1, progress) in the decay; as OneCycleLR counts."""
        last = self.start + max(self.end - self.start, 2) - 1
        if self.warm_end > self.start and step <= self.warm_end:
            return 0, (step - self.start) / (self.warm_end - self.start)
        # A warm-up too short to exist (under 5 steps) starts the decay before `start`, as
        # OneCycleLR does for 2 or 3 steps; at 4 steps OneCycleLR divides by zero instead.
        return 1, (step - self.warm_end) / (last - self.warm_end)


def _cycle(
    start: int,
    end: int,
    start_lr: float,
    peak: float,
    warm_end: float | None = None,
    cycles_momentum: bool = False,
) -> Schedule:
    """A onecycle over steps start..end-1, warming from start_lr up to peak."""
    steps = max(end - start, 2)  # OneCycleLR needs total_steps >= 2
    if warm_end is None:
        warm_end = start + float(WARM_UP * steps) - 1
        if warm_end <= start and start > 0:  # no room to warm up mid-run: decay from here
            warm_end, peak = start, start_lr
    return Schedule("onecycle", start, end, start_lr, peak, warm_end, cycles_momentum)


def _anneal(start: float, end: float, pct: float) -> float:
    """Half-cosine from start (pct 0) to end (pct 1): OneCycleLR's formula, to the last bit."""
    cos_out = math.cos(math.pi * pct) + 1
    return end + (start - end) / 2.0 * cos_out
