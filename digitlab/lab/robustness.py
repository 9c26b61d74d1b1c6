"""How robust a model is: the changes a student can make to a 28x28 image (turn, move, thicken
or thin the strokes, blur, add noise) as one batched function, and accuracy on a test sample
against each change's strength (the robustness curves). Pure torch; no pictures, no text."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
import torch
import torch.nn.functional as F

from digitlab.inference.predict import Predictor
from digitlab.words import Text

# The curves' levels. The untouched sample (every change 0) is shared by the curves, so a
# model costs 1 + 8 + 5 + 4 + 4 = 22 passes over the sample: ~6 s for the shipped CNN on
# 1,000 images and one idle core, inside the 10 s a class waits for a figure.
ANGLES = (-60, -45, -30, -15, 0, 15, 30, 45, 60)  # degrees; MNIST has few digits past +-20
THICKNESS = (-1.0, -0.5, 0.0, 0.5, 1.0, 2.0)  # pixels added to (or taken from) each side
NOISE = (0.0, 0.1, 0.2, 0.3, 0.5)  # Gaussian noise's standard deviation, ink = 1
SHIFTS = (0.0, 2.0, 4.0, 6.0, 8.0)  # pixels to the right: where convolutions shine
CURVES = {"rotation": ("angle", ANGLES), "thickness": ("thickness", THICKNESS),
          "noise": ("noise", NOISE), "shift": ("dx", SHIFTS)}  # fmt: skip
SAMPLE = 1000  # test images in the curves' sample
SAMPLE_SEED = 0  # the same sample, and the same noise, for every model: curves compare

LIMITS = {  # the range of each change (the sliders'), and what the units are; seed: 0 to 9999
    "angle": (-180.0, 180.0),  # degrees, counter-clockwise
    "dx": (-14.0, 14.0),  # pixels to the right
    "dy": (-14.0, 14.0),  # pixels down
    "thickness": (-2.0, 3.0),  # pixels per side: a 3x3 dilation (+1) or erosion (-1) a step
    "blur": (0.0, 3.0),  # Gaussian sigma in pixels
    "noise": (0.0, 1.0),  # Gaussian noise sigma, in ink units
}


@dataclass(frozen=True)
class Distortion:
    """What to do to an image; all zero is nothing. seed fixes the noise's pattern, so moving
    the noise slider changes its strength and not its grain."""

    angle: float = 0.0
    dx: float = 0.0
    dy: float = 0.0
    thickness: float = 0.0
    blur: float = 0.0
    noise: float = 0.0
    seed: int = 0

    def __post_init__(self) -> None:
        for name, (lo, hi) in [*LIMITS.items(), ("seed", (0, 9999))]:
            value = getattr(self, name)
            number = isinstance(value, int) if name == "seed" else isinstance(value, int | float)
            if not (number and math.isfinite(value) and lo <= value <= hi):
                what = Text(f"robust.{name}")  # the slider's name, in the student's language
                raise ValueError(Text("robust.range", what=what, value=value, lo=lo, hi=hi))


def apply(images: np.ndarray | torch.Tensor, change: Distortion) -> torch.Tensor:
    """(N, 28, 28) or (28, 28) images in [0, 1] (ink = 1), changed: thickness first (the pen),
    then turn and move, blur, noise. Returns float (N, 28, 28) in [0, 1]; one pass per change
    over the whole batch."""
    x = torch.as_tensor(np.asarray(images) if not torch.is_tensor(images) else images)
    x = (x.float().div(255.0) if x.dtype == torch.uint8 else x.float()).reshape(-1, 1, 28, 28)
    x = thicken(x, change.thickness)
    if change.angle or change.dx or change.dy:
        x = move(x, change.angle, change.dx, change.dy)
    if change.blur > 0:
        x = blur(x, change.blur)
    if change.noise > 0:
        generator = torch.Generator().manual_seed(change.seed)
        x = x + change.noise * torch.randn(x.shape, generator=generator)
    return x.clamp(0.0, 1.0).squeeze(1)  # (N, 28, 28)


def thicken(x: torch.Tensor, amount: float) -> torch.Tensor:
    """(N, 1, 28, 28): whole 3x3 dilations (amount > 0) or erosions (< 0), then part of one more
    for the fraction: 1.5 is one dilation and halfway to a second."""
    steps, fraction = divmod(abs(amount), 1.0)
    sign = 1.0 if amount > 0 else -1.0

    def step(img: torch.Tensor) -> torch.Tensor:  # max-pool of -x is a min-pool: erosion
        return sign * F.max_pool2d(sign * img, 3, stride=1, padding=1)

    for _ in range(int(steps)):
        x = step(x)
    return torch.lerp(x, step(x), fraction) if fraction > 0 else x


def move(x: torch.Tensor, angle: float, dx: float, dy: float) -> torch.Tensor:
    """(N, 1, 28, 28) turned counter-clockwise by angle degrees about the centre, then moved
    dx pixels right and dy down (bilinear; what comes in from outside is blank)."""
    a = math.radians(angle)
    cos, sin = math.cos(a), math.sin(a)
    unit = 2.0 / 28  # one pixel in affine_grid's [-1, 1] coordinates
    # Each output pixel reads the input at the inverse of (turn, then move); y points down, so
    # a counter-clockwise turn on screen is a clockwise one in these coordinates.
    tx, ty = -dx * unit, -dy * unit
    theta = torch.tensor([[cos, -sin, cos * tx - sin * ty], [sin, cos, sin * tx + cos * ty]])
    grid = F.affine_grid(theta.expand(len(x), 2, 3), list(x.shape), align_corners=False)
    return F.grid_sample(x, grid, mode="bilinear", padding_mode="zeros", align_corners=False)


def blur(x: torch.Tensor, sigma: float) -> torch.Tensor:
    """(N, 1, 28, 28) with a Gaussian blur of sigma pixels: two 1-D passes."""
    radius = max(1, math.ceil(3 * sigma))
    offsets = torch.arange(-radius, radius + 1, dtype=torch.float32)
    kernel = torch.exp(-(offsets**2) / (2 * sigma**2))
    kernel = kernel / kernel.sum()
    x = F.conv2d(F.pad(x, (radius, radius, 0, 0)), kernel.view(1, 1, 1, -1))
    return F.conv2d(F.pad(x, (0, 0, radius, radius)), kernel.view(1, 1, -1, 1))


def sample(test_x: torch.Tensor, test_y: torch.Tensor, n: int = SAMPLE, seed: int = SAMPLE_SEED):
    """A seeded choice of n test images (uint8) and their labels: the same for every model."""
    pick = torch.randperm(len(test_x), generator=torch.Generator().manual_seed(seed))[:n]
    return test_x[pick], test_y[pick]


BATCH = 250  # images a forward pass: a CNN's activations stay in the CPU's cache (~1.5x faster)


def accuracy(predictor: Predictor, images: torch.Tensor, labels: torch.Tensor) -> float:
    """The share of images the model reads as their label, through the app's inference path."""
    predicted = np.concatenate([
        predictor.probabilities(images[i : i + BATCH]).argmax(1)
        for i in range(0, len(images), BATCH)
    ])  # fmt: skip
    return float((predicted == np.asarray(labels)).mean())


Curves = dict[str, list[tuple[float, float]]]  # curve name -> [(level, accuracy)]


def curves(
    predictor: Predictor, images: torch.Tensor, labels: torch.Tensor,
    progress: Callable[[float], None] | None = None,
) -> Curves:  # fmt: skip
    """Accuracy against rotation, thickness, noise and shift, each level on the whole sample
    (noise seeded with SAMPLE_SEED). progress(fraction) is called after each pass."""
    levels = [(name, field, level) for name, (field, values) in CURVES.items() for level in values]
    # Every change at 0 is the untouched sample: measured once, shared by the curves.
    distinct = list(dict.fromkeys((field, level) if level else None for _, field, level in levels))
    done: dict = {}
    for i, key in enumerate(distinct):
        change = Distortion(seed=SAMPLE_SEED)
        done[key] = accuracy(
            predictor, apply(images, replace(change, **dict([key] if key else []))), labels
        )
        if progress is not None:
            progress((i + 1) / len(distinct))
    out: Curves = {name: [] for name in CURVES}
    for name, field, level in levels:
        out[name].append((float(level), done[(field, level) if level else None]))
    return out
