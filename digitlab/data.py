"""MNIST as uint8 tensors kept on the training device, batch slicing and batch augmentation."""

from __future__ import annotations

import functools
import gzip
import math
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from digitlab.config import MNIST_MEAN, MNIST_STD
from digitlab.words import Text

FILES = {
    "train_x": "train-images-idx3-ubyte",
    "train_y": "train-labels-idx1-ubyte",
    "test_x": "t10k-images-idx3-ubyte",
    "test_y": "t10k-labels-idx1-ubyte",
}


class DataError(RuntimeError):
    """MNIST could not be found, downloaded or read; the message says how to provide it."""


@dataclass(frozen=True)
class MNIST:
    """The four MNIST tensors: images (N, 28, 28) uint8, labels (N,) int64."""

    train_x: torch.Tensor
    train_y: torch.Tensor
    test_x: torch.Tensor
    test_y: torch.Tensor

    def to(self, device: torch.device | str) -> MNIST:
        """Copy to a device (once per run; uint8 keeps the copy at 55 MB)."""
        return MNIST(*(t.to(device, non_blocking=True) for t in self._tensors()))

    def _tensors(self) -> tuple[torch.Tensor, ...]:
        return self.train_x, self.train_y, self.test_x, self.test_y


def default_root() -> Path:
    """$DIGITLAB_DATA, else ./data."""
    return Path(os.environ.get("DIGITLAB_DATA", "data"))


def load_mnist(root: str | Path | None = None, download: bool = True) -> MNIST:
    """Load MNIST from root (or default_root()); download with torchvision if files are missing."""
    return _load_cached(Path(root if root is not None else default_root()).resolve(), download)


@functools.lru_cache(maxsize=2)
def _load_cached(root: Path, download: bool) -> MNIST:
    paths = _find(root)
    if None in paths.values() and download:
        _download(root)
        paths = _find(root)
    missing = [FILES[key] for key, path in paths.items() if path is None]
    if missing:
        raise DataError(Text("data.missing", root=root, missing=", ".join(missing)))
    return MNIST(**{key: torch.from_numpy(_read_idx(path)) for key, path in paths.items()})


def _find(root: Path) -> dict[str, Path | None]:
    """Each file raw or gzipped, in root or in torchvision's root/MNIST/raw layout."""
    found: dict[str, Path | None] = {}
    for key, name in FILES.items():
        candidates = [d / n for d in (root, root / "MNIST" / "raw") for n in (name, name + ".gz")]
        found[key] = next((p for p in candidates if p.is_file()), None)
    return found


def _download(root: Path) -> None:
    """Download with torchvision into a temporary folder; only a complete download reaches root.

    A failed download (no internet, a mistyped --data) leaves no folders behind.
    """
    from torchvision.datasets import MNIST as TorchvisionMNIST

    with tempfile.TemporaryDirectory(prefix="digitlab-mnist-") as tmp:
        try:
            TorchvisionMNIST(tmp, train=True, download=True)  # fetches all four files
            target = root / "MNIST" / "raw"
            target.mkdir(parents=True, exist_ok=True)
            for file in (Path(tmp) / "MNIST" / "raw").iterdir():
                if not (target / file.name).exists():
                    shutil.move(file, target / file.name)
        except Exception as error:  # torchvision raises RuntimeError, URLError, OSError...
            detail = " ".join(f"{type(error).__name__}: {error}".split())  # one line
            raise DataError(Text("data.download_failed", root=root, error=detail)) from error


def _read_idx(path: Path) -> np.ndarray:
    """Read an IDX file (magic, dims, big-endian sizes, uint8 payload) into a numpy array."""
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rb") as f:
            raw = f.read()
        ndim = raw[3]
        shape = tuple(int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
        array = np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim).reshape(shape)
    except (OSError, EOFError, ValueError, IndexError) as error:
        raise DataError(Text("data.unreadable", path=path, error=error)) from error
    return array.astype(np.int64) if ndim == 1 else array.copy()


def normalize(x: torch.Tensor) -> torch.Tensor:
    """uint8 (B, 28, 28) or float in [0, 1] -> normalized float (B, 1, 28, 28)."""
    x = x.float().div_(255.0) if x.dtype == torch.uint8 else x.float()
    return x.unsqueeze(1).sub_(MNIST_MEAN).div_(MNIST_STD)


def augment(
    x: torch.Tensor, generator: torch.Generator, *, strength: str = "light"
) -> torch.Tensor:
    """Random rotation, scale, shift and stroke thickness for a (B, 28, 28) uint8 batch.

    Returns float (B, 28, 28) in [0, 1]. Canvas drawings are thicker, thinner and less centred
    than MNIST scans, so the model sees those variations during training. strength "off" only
    converts; "light" is the above; "strong" also slants and stretches each digit, bends it with
    a smooth random displacement field (elastic distortion, Simard et al. 2003) and varies the
    thickness more (down to a whole erosion), as people's hands and pens differ, and adds noise
    to half the batch. One warp and a few pooling ops per batch: no per-image Python.
    Self-contained (torch, F, math): exported scripts embed it.
    """
    img = x.float().div_(255.0).unsqueeze(1)  # (B, 1, 28, 28)
    if strength == "off":
        return img.squeeze(1)
    b, device, strong = x.shape[0], x.device, strength == "strong"

    def uniform(lo: float, hi: float) -> torch.Tensor:
        return torch.rand(b, device=device, generator=generator) * (hi - lo) + lo

    turn = 20.0 if strong else 12.0
    angle = uniform(-turn, turn) * (math.pi / 180)
    scale = uniform(0.8, 1.15) if strong else uniform(0.85, 1.15)
    shift = uniform(-0.15, 0.15), uniform(-0.15, 0.15)  # about +-2 px in grid units
    ones, zeros = torch.ones(b, device=device), torch.zeros(b, device=device)
    # Strong: width over height up to 1.3x either way, a slant (shear) of up to 0.15 and turns of
    # up to 20 deg. Trained on MNIST and drawn digits alone, more slant (0.35) and 15 deg made
    # flagged 1s read as 7s; with real pen digits in training, 20 deg keeps 98% of test digits
    # turned by 30 deg (12 deg: 92-95%) and the pen 1s (BENCHMARKS.md, "Real pen digits").
    aspect, slant = (
        (torch.exp(uniform(-0.25, 0.25)), uniform(-0.15, 0.15)) if strong else (ones, zeros)
    )
    cos, sin = torch.cos(angle) / scale, torch.sin(angle) / scale
    theta = torch.stack(
        [
            torch.stack([cos / aspect, cos * slant - sin, shift[0]], 1),
            torch.stack([sin / aspect, sin * slant + cos, shift[1]], 1),
        ],
        1,
    )  # (B, 2, 3): rotation and scale after slant and aspect; light: exactly rotation and scale
    grid = F.affine_grid(theta, list(img.shape), align_corners=False)  # (B, 28, 28, 2)
    if strong:
        # A 4x4 field of random moves, smoothed by bicubic upsampling: bends strokes by up to
        # ~2 px (0.07 grid units per pixel) without tearing them.
        field = torch.randn(b, 2, 4, 4, device=device, generator=generator)
        field = field * uniform(0.0, 0.08).view(b, 1, 1, 1)
        field = F.interpolate(field, size=(28, 28), mode="bicubic", align_corners=True)
        grid = grid + field.permute(0, 2, 3, 1)
    img = F.grid_sample(img, grid, align_corners=False, padding_mode="zeros")
    # Stroke thickness: blend towards a 3x3 dilation (thicker) or erosion (thinner); strong goes
    # on towards a 5x5 dilation (amount over 1), as a finger on a phone draws.
    # Strong: a whole erosion (amount -1 or less) for one batch image in ten.
    amount = (uniform(-1.3, 1.8) if strong else uniform(-0.6, 1.0)).view(b, 1, 1, 1)
    thick = F.max_pool2d(img, 3, stride=1, padding=1)
    thin = -F.max_pool2d(-img, 3, stride=1, padding=1)
    target = torch.where(amount > 0, thick, thin)
    img = torch.lerp(img, target, amount.abs().clamp(max=1.0))
    if strong:
        thicker = F.max_pool2d(thick, 3, stride=1, padding=1)
        img = torch.lerp(img, thicker, (amount - 1.0).clamp(min=0.0))
        # Speckle on half the batch (Gaussian, sigma up to 0.4, clipped to [0, 1]): without
        # it a CNN read 10% of test digits under noise 0.3 (the Robustness tab's curve).
        sigma = uniform(-0.4, 0.4).clamp(min=0.0).view(b, 1, 1, 1)
        noise = torch.randn(img.shape, device=device, generator=generator)
        img = (img + sigma * noise).clamp_(0.0, 1.0)
    return img.squeeze(1)


def batches(n: int, batch_size: int, generator: torch.Generator, device: torch.device):
    """Index slices of one shuffled permutation; the last partial batch is dropped."""
    perm = torch.randperm(n, device=device, generator=generator)
    for start in range(0, n - batch_size + 1, batch_size):
        yield perm[start : start + batch_size]
