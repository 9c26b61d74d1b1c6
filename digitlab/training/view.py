"""LiveView: what a training run shows at one moment, built from the trainer's events."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from digitlab.training.events import Done, Eval, Event, Step
from digitlab.training.steering import Change, Pause


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
    lrs: list[tuple[float, float]] = field(default_factory=list)  # (epoch, lr of that step)
    changes: list[Change] = field(default_factory=list)  # settings changed, to mark on the curves
    paused: bool = False
    diverged: bool = False  # done.divergence says where, and what to try

    def record(self, event: Event) -> None:
        """Add what an event of the trainer shows (the status line is the caller's)."""
        if isinstance(event, Step):
            self.losses.append((round(event.epoch, 4), event.loss))
            self.lrs.append((round(event.epoch, 4), event.lr))
            self.follow(event.epoch, event.probe)
        elif isinstance(event, Eval):
            self.accuracies.append((round(event.epoch, 4), event.test_accuracy))
        elif isinstance(event, Change):
            self.changes.append(event)
        elif isinstance(event, Pause):
            self.paused = event.paused
        elif isinstance(event, Done):
            self.done, self.paused, self.diverged = event, False, event.diverged
            self.follow_end(event)

    def follow(self, epoch: float, probe: tuple[np.ndarray, np.ndarray] | None) -> None:
        """Add the probabilities for the drawing at this epoch; a new drawing starts a new curve."""
        if probe is None:
            return
        image, probs = probe
        # A new drawing, not just a new copy of it (the picker or the language changed).
        if self.probe_image is None or not np.array_equal(image, self.probe_image):
            self.probe_image, self.probe = image, []
        self.probe.append((round(epoch, 4), probs))

    def follow_end(self, done: Done) -> None:
        """The drawing as the saved model reads it: the curve's last point (it replaces the last
        report's, taken at the same step before the final evaluation fitted the temperature)."""
        if done.probe is None:
            return
        epoch = round(done.metrics["epochs"], 4)
        if self.probe and self.probe[-1][0] >= epoch:
            self.probe.pop()
        self.follow(epoch, done.probe)

    def continued(self, status: str) -> LiveView:
        """A new view for the run's continuation: the curves and marks go on from these."""
        return LiveView(
            status, list(self.losses), list(self.accuracies), None, self.probe_image,
            list(self.probe), list(self.lrs), list(self.changes),
        )  # fmt: skip
