"""LiveView: what a training run shows at one moment, built from the trainer's events."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from digitlab.train import Change, Done, Eval, Event, Pause, Step


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
            self.follow(event)
        elif isinstance(event, Eval):
            self.accuracies.append((round(event.epoch, 4), event.test_accuracy))
        elif isinstance(event, Change):
            self.changes.append(event)
        elif isinstance(event, Pause):
            self.paused = event.paused
        elif isinstance(event, Done):
            self.done, self.paused, self.diverged = event, False, event.diverged

    def follow(self, step: Step) -> None:
        """Add the step's probabilities for the drawing; a new drawing starts a new curve."""
        if step.probe is None:
            return
        image, probs = step.probe
        # A new drawing, not just a new copy of it (the picker or the language changed).
        if self.probe_image is None or not np.array_equal(image, self.probe_image):
            self.probe_image, self.probe = image, []
        self.probe.append((round(step.epoch, 4), probs))

    def continued(self, status: str) -> LiveView:
        """A new view for the run's continuation: the curves and marks go on from these."""
        return LiveView(
            status, list(self.losses), list(self.accuracies), None, self.probe_image,
            list(self.probe), list(self.lrs), list(self.changes),
        )  # fmt: skip
