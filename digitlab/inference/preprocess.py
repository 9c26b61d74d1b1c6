"""Canvas image -> 28x28 MNIST-like image: pure numpy/PIL, no model, no globals."""

from __future__ import annotations

import functools
from typing import NamedTuple

import numpy as np
from PIL import Image

INK_THRESHOLD = 0.05  # faint anti-aliasing fringes below this do not count towards the bbox
MIN_SIDE_FRACTION = 0.04  # a bbox shorter than 4% of the canvas is a stray dot, not a digit
MIN_SIDE_PX = 2
DIGIT_BOX = 20  # MNIST fits each digit's longer side to 20 px...
SIZE = 28  # ...inside a 28x28 field,
CENTRE = 14.0  # with the centre of mass at pixel index 14 (measured on MNIST test: 13.99, 14.01)
_LUMA = np.array([0.299, 0.587, 0.114], dtype=np.float32)


class Placement(NamedTuple):
    """Where preprocessing took the digit from on the canvas and put it in the 28x28 field."""

    top: int  # the ink's bounding box on the canvas
    left: int
    height: int
    width: int
    y0: int  # the scaled digit's offset and size in the 28x28 field
    x0: int
    scaled_height: int
    scaled_width: int


def _to_unit(arr: np.ndarray) -> np.ndarray:
    """Return an array as float32 in [0, 1]; integers and floats above 1 are on the 0-255 scale."""
    # In-place arithmetic throughout: fresh canvas-sized temporaries cost page faults.
    out = arr.astype(np.float32)
    if np.issubdtype(arr.dtype, np.floating):
        nan = np.isnan(out)  # cheaper than np.nan_to_num when, as usual, there is none
        if nan.any():
            out[nan] = 0.0
        if out.size and out.max() <= 1.0:
            return np.clip(out, 0.0, 1.0, out=out)
    out *= np.float32(1 / 255)
    # uint8 is already in range; other types may not be.
    return out if arr.dtype == np.uint8 else np.clip(out, 0.0, 1.0, out=out)


def ink_mask(image: np.ndarray | Image.Image) -> np.ndarray:
    """Return the ink of any canvas image as (H, W) float32 in [0, 1], 1 = ink."""
    if isinstance(image, Image.Image) and image.mode not in ("L", "LA", "RGB", "RGBA", "F"):
        image = image.convert("RGBA")
    arr = np.asarray(image)
    if arr.ndim == 3 and arr.shape[2] in (2, 4):
        alpha = _to_unit(arr[..., -1])
        if alpha.size and alpha.min() < 1.0:  # transparent somewhere: the alpha is the ink
            return alpha
    if arr.ndim == 2:
        gray = _to_unit(arr)
    elif arr.ndim == 3 and arr.shape[2] in (1, 2):
        gray = _to_unit(arr[..., 0])
    elif arr.ndim == 3 and arr.shape[2] in (3, 4) and arr.dtype == np.uint8:
        # PIL's C luma conversion (ITU-R 601, alpha ignored) is ~10x faster than numpy's.
        gray = _to_unit(np.asarray(Image.fromarray(arr).convert("L")))
    elif arr.ndim == 3 and arr.shape[2] in (3, 4):
        gray = _to_unit(arr[..., :3]) @ _LUMA
    else:
        raise ValueError(f"expected an (H, W), (H, W, 3) or (H, W, 4) image, got shape {arr.shape}")
    if gray.size == 0:
        return gray
    # The border is mostly background even when a stroke touches it, so its median tells the
    # polarity and the paper's level (off-white paper still gives ink 0).
    border = np.concatenate([gray[0], gray[-1], gray[:, 0], gray[:, -1]])
    bg = float(np.median(border))
    if bg == 0.0:  # already ink on black (editor_to_image masks, MNIST-style arrays)
        return gray
    if bg > 0.5:  # dark on light: ink = (bg - gray) / bg
        gray *= np.float32(-1.0 / bg)
        gray += np.float32(1.0)
    else:  # light on dark: ink = (gray - bg) / (1 - bg)
        gray -= np.float32(bg)
        gray *= np.float32(1.0 / (1.0 - bg))
    return np.clip(gray, 0.0, 1.0, out=gray)


def steps(image: np.ndarray | Image.Image) -> dict | None:
    """The intermediate images {"ink", "cropped", "scaled", "centred"} and the "placement", or
    None for an empty canvas."""
    ink = ink_mask(image)
    mask = ink > INK_THRESHOLD
    rows, cols = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
    if rows.size == 0:
        return None
    top, bottom, left, right = rows[0], rows[-1] + 1, cols[0], cols[-1] + 1
    h, w = bottom - top, right - left
    if max(h, w) < max(MIN_SIDE_PX, MIN_SIDE_FRACTION * max(ink.shape)):
        return None
    cropped = ink[top:bottom, left:right]

    # Keep the aspect ratio: a "1" stays a thin bar instead of being stretched into a block.
    scale = DIGIT_BOX / max(h, w)
    size = (max(1, round(w * scale)), max(1, round(h * scale)))  # PIL wants (width, height)
    # Shrinking: area averaging is ink coverage, as a 28x28 sensor would see it; it does not
    # ring and is twice as fast as Lanczos (same drawn-digit accuracy). Growing a small
    # drawing: BOX would be nearest-neighbour, so interpolate.
    resample = Image.Resampling.BOX if scale <= 1 else Image.Resampling.BILINEAR
    scaled = np.asarray(Image.fromarray(cropped).resize(size, resample))
    scaled = np.clip(scaled, 0.0, 1.0)  # float rounding can step just past 1

    # Integer shift that puts the centre of mass at (14, 14), kept inside the 28x28 field.
    total = float(scaled.sum())
    sh, sw = scaled.shape
    if total > 0:
        cy = float(scaled.sum(axis=1) @ np.arange(sh)) / total
        cx = float(scaled.sum(axis=0) @ np.arange(sw)) / total
    else:
        cy, cx = (sh - 1) / 2, (sw - 1) / 2
    y0 = min(max(round(CENTRE - cy), 0), SIZE - sh)
    x0 = min(max(round(CENTRE - cx), 0), SIZE - sw)
    centred = np.zeros((SIZE, SIZE), dtype=np.float32)
    centred[y0 : y0 + sh, x0 : x0 + sw] = scaled
    placement = Placement(int(top), int(left), int(h), int(w), int(y0), int(x0), sh, sw)
    return {
        "ink": ink, "cropped": cropped, "scaled": scaled, "centred": centred,
        "placement": placement,
    }  # fmt: skip


def squashed(ink: np.ndarray) -> np.ndarray:
    """Preprocessing off: the whole canvas squashed to 28x28, no crop, no centring."""
    field = Image.fromarray(np.asarray(ink, dtype=np.float32))
    return np.clip(np.asarray(field.resize((SIZE, SIZE), Image.Resampling.BOX)), 0.0, 1.0)


def to_mnist(image: np.ndarray | Image.Image) -> np.ndarray | None:
    """Return the (28, 28) float32 MNIST-like image (white ink on black), or None if empty."""
    result = steps(image)
    return None if result is None else result["centred"]


def editor_to_image(value: dict | None) -> np.ndarray | None:
    """Return the ink of a Gradio Sketchpad value (max of the layers' alpha), or None if absent."""
    if not isinstance(value, dict):
        return None
    layers = [np.asarray(layer) for layer in value.get("layers") or [] if layer is not None]
    # Only RGBA layers carry ink in alpha; image_mode="L" layers are all zero by design.
    alphas = [layer[..., 3] for layer in layers if layer.ndim == 3 and layer.shape[2] == 4]
    if not alphas:
        return None
    return _to_unit(functools.reduce(np.maximum, alphas))
