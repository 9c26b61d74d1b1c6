"""The trainer's side of steering: settings written into the optimizer, model and lr curve."""

from __future__ import annotations

import dataclasses

from torch import nn

from digitlab.training.schedule import Schedule
from digitlab.training.steering import KNOBS, Change


class Knobs:
    """The trainer's hands on the settings: the optimizer's groups, dropout layers, lr curve."""

    def __init__(
        self, optimizer, model: nn.Module, schedule: Schedule, values: dict, step: int
    ) -> None:
        self.optimizer, self.schedule, self.values = optimizer, schedule, dict(values)
        self._dropouts = [m for m in model.modules() if isinstance(m, nn.Dropout)]
        self.lr_used = schedule.lr(max(step - 1, 0))  # by the last step taken (step: steps so far)

    def before_step(self, step: int) -> None:
        """Set the lr (and one-cycle's momentum) of the step with this 0-based index."""
        self.lr_used = set_step_lr(self.optimizer, self.schedule, step)

    def apply(self, requested: dict, step: int, epoch: float) -> list[Change]:
        """Apply requested values before step `step` (0-based); a Change for each that differs
        from the setting (the lr the teacher set, one-cycle's peak, not the schedule's lr now)."""
        changes = []
        for name in KNOBS:
            if name not in requested or (name == "dropout" and not self._dropouts):
                continue
            old, new = self._current(name, step), requested[name]
            if new != old:
                self._set(name, new, step)
                changes.append(Change(step, epoch, name, old, new))
        return changes

    def extend(self, step: int, old: int, end: int, per_epoch: int) -> Change:
        """The run, `old` steps long so far, now ends at step `end`; an "epochs" Change."""
        self.schedule = self.schedule.extend(step, end, self.lr_used, self.values["lr"])
        return Change(step, step / per_epoch, "epochs", old / per_epoch, end / per_epoch)

    def _current(self, name: str, step: int):
        if name == "momentum":
            return _momentum(self.optimizer.param_groups[0])
        if name == "schedule":
            return self.schedule.kind
        return self.values[name]

    def _set(self, name: str, value, step: int) -> None:
        if name == "schedule":
            now = self.schedule.lr(step)
            self.schedule = self.schedule.switch(value, step, now, self.values["lr"])
        elif name == "lr":
            self.schedule = self.schedule.set_lr(step, value)
        elif name == "momentum":  # the knob ends one-cycle's momentum cycle
            self.schedule = dataclasses.replace(self.schedule, cycles_momentum=False)
        for group in self.optimizer.param_groups:
            if name == "momentum":
                _set_momentum(group, value)
            elif name == "weight_decay":
                group["weight_decay"] = value
        for module in self._dropouts if name == "dropout" else ():
            module.p = value
        self.values[name] = value


def _momentum(group: dict) -> float:
    return group["betas"][0] if "betas" in group else group["momentum"]


def set_step_lr(optimizer, schedule: Schedule, step: int) -> float:
    """Set the lr (and one-cycle's momentum) of the 0-based step `step`; returns that lr.
    (The exported script embeds this function: export.py.)"""
    lr, momentum = schedule.lr(step), schedule.momentum(step)
    for group in optimizer.param_groups:
        group["lr"] = lr
        if momentum is not None:
            _set_momentum(group, momentum)
    return lr


def _set_momentum(group: dict, value: float) -> None:
    if "betas" in group:
        group["betas"] = (value, group["betas"][1])
    else:
        group["momentum"] = value
