"""What the Robustness tab's handlers read: its sliders, and Look, the drawing and the change
made to it with the session's state (built from Gradio's dict of the tab's inputs)."""

from __future__ import annotations

from dataclasses import dataclass

from digitlab.lab.robustness import Distortion
from digitlab.ui import figures
from digitlab.words import DEFAULT

SLIDERS = {  # Distortion field -> (text key, step, initial)
    "angle": ("robust.angle", 5, 0), "dx": ("robust.dx", 1, 0), "dy": ("robust.dy", 1, 0),
    "thickness": ("robust.thickness", 0.25, 0), "blur": ("robust.blur", 0.1, 0),
    "noise": ("robust.noise", 0.05, 0),
}  # fmt: skip


@dataclass(frozen=True)
class Look:
    """What the sliders' view reads: the drawing, the model by name, the change made to the
    drawing (a robustness.Distortion's fields and the noise's seed), and the session's state."""

    drawing: object
    name: str | None
    angle: float = 0
    dx: float = 0
    dy: float = 0
    thickness: float = 0
    blur: float = 0
    noise: float = 0
    seed: int = 0
    runs: object = None  # the session's SessionRuns
    lang: str = DEFAULT
    mapped: str | None = None  # the model whose map is shown
    cache: figures.ModelCache | None = None  # this session's maps and curves

    def distortion(self) -> Distortion:
        """The change, checked (ValueError or TypeError for values the API let through)."""
        fields = (self.angle, self.dx, self.dy, self.thickness, self.blur, self.noise)
        return Distortion(*fields, int(self.seed or 0))
