"""Look inside a model: saliency, first-layer weights, feature maps, mistakes, confusion picture.

Pure torch/numpy/PIL; no Gradio. Images returned for display are uint8 numpy arrays.
"""

from __future__ import annotations

import copy

import numpy as np
import torch
from PIL import Image, ImageDraw, ImageFont
from torch import nn

from digitlab.config import MNIST_MEAN, MNIST_STD
from digitlab.data import normalize
from digitlab.i18n import DEFAULT, t
from digitlab.models import prefers_channels_last
from digitlab.preprocess import INK_THRESHOLD, steps

HEAT = np.array([255.0, 40.0, 0.0])  # saliency colour over the drawing
TILE = 84  # display size of one weight / feature-map tile


def _input(image28: np.ndarray) -> torch.Tensor:
    x = torch.as_tensor(np.asarray(image28, dtype=np.float32)).reshape(1, 1, 28, 28)
    return (x - MNIST_MEAN) / MNIST_STD


def saliency(model: nn.Module, image28: np.ndarray) -> np.ndarray:
    """|d top logit / d input| as (28, 28) in [0, 1]: the pixels that move the winner most."""
    x = _input(image28).requires_grad_(True)
    with torch.enable_grad():
        logits = model.eval()(x)
        top = logits[0, logits[0].argmax()]
        # autograd.grad, not backward(): shared models must not collect .grad between threads.
        (grad,) = torch.autograd.grad(top, x)
    sal = grad.abs()[0, 0].numpy()
    peak = float(sal.max())
    return sal / peak if peak > 0 else sal


def _placement(ink: np.ndarray) -> tuple[int, int, int, int, int, int, int, int] | None:
    """Where preprocessing took the digit from (canvas bbox) and put it (28x28 offset)."""
    result = steps(ink)
    if result is None:
        return None
    mask = result["ink"] > INK_THRESHOLD
    rows, cols = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
    scaled, centred = result["scaled"], result["centred"]
    sh, sw = scaled.shape
    # Find the shift preprocessing chose by matching, so its rules live in preprocess.py only.
    for y0 in range(29 - sh):
        for x0 in range(29 - sw):
            if np.array_equal(centred[y0 : y0 + sh, x0 : x0 + sw], scaled):
                h, w = rows[-1] + 1 - rows[0], cols[-1] + 1 - cols[0]
                return rows[0], cols[0], h, w, y0, x0, sh, sw
    return None


def saliency_on_canvas(sal28: np.ndarray, ink: np.ndarray) -> np.ndarray:
    """Map the 28x28 saliency back onto the canvas and blend it over the drawing: (H, W, 3)."""
    ink = np.asarray(ink, dtype=np.float32)
    height, width = ink.shape
    heat = np.zeros((height, width), np.float32)
    place = _placement(ink)
    if place is not None:
        top, left, h, w, y0, x0, sh, sw = place
        sy, sx = sh / h, sw / w  # canvas px -> 28x28 px
        # Each canvas pixel reads the 28x28 field through the inverse of crop + scale + shift.
        field = Image.fromarray(np.asarray(sal28, dtype=np.float32))
        warped = field.transform(
            (width, height), Image.Transform.AFFINE,
            (sx, 0, x0 - left * sx, 0, sy, y0 - top * sy), Image.Resampling.BILINEAR,
        )  # fmt: skip
        heat = np.clip(np.asarray(warped, dtype=np.float32), 0, 1)
    paper = (255.0 - 150.0 * ink)[..., None] * np.ones(3)  # dark grey ink on white
    alpha = (0.85 * heat)[..., None]
    return (paper * (1 - alpha) + HEAT * alpha).round().astype(np.uint8)


def first_layer_images(model: nn.Module) -> np.ndarray:
    """MLP: first Linear's rows as (N, 28, 28); CNN: first conv's filters as (N, k, k)."""
    first = next(m for m in model.modules() if isinstance(m, (nn.Linear, nn.Conv2d)))
    weight = first.weight.detach().float().cpu()
    if isinstance(first, nn.Conv2d):
        return weight[:, 0].numpy()  # (out, 1, k, k) -> (out, k, k)
    return weight.reshape(-1, 28, 28).numpy()


@torch.inference_mode()
def feature_maps(model: nn.Module, image28: np.ndarray) -> np.ndarray | None:
    """The CNN's first stage (conv, pool, [BN], ReLU) for one image: (C, h, w); None for an MLP."""
    features = getattr(model, "features", None)
    if features is None:
        return None
    x = _input(image28)
    for layer in model.eval().features:
        x = layer(x)
        if isinstance(layer, nn.ReLU):
            break
    return x[0].numpy()


def weight_tiles(images: np.ndarray, size: int = TILE) -> list[np.ndarray]:
    """Signed weights as RGB tiles (blue negative, red positive, white 0), nearest-upscaled."""
    tiles = []
    for w in np.asarray(images, dtype=np.float32):
        scale = float(np.abs(w).max()) or 1.0
        v = (w / scale)[..., None]  # (h, w, 1) in [-1, 1]
        rgb = np.where(v > 0, 255 - v * np.array([0, 200, 200]), 255 + v * np.array([200, 200, 0]))
        tiles.append(_upscale(rgb.clip(0, 255).astype(np.uint8), size))
    return tiles


def activation_tiles(maps: np.ndarray, size: int = TILE) -> list[np.ndarray]:
    """Non-negative feature maps as grey tiles (bright = strong), each scaled to its own peak."""
    tiles = []
    for m in np.asarray(maps, dtype=np.float32):
        peak = float(m.max())
        grey = (255 * (m / peak if peak > 0 else m)).clip(0, 255).astype(np.uint8)
        tiles.append(_upscale(grey, size))
    return tiles


def _upscale(image: np.ndarray, size: int) -> np.ndarray:
    return np.asarray(Image.fromarray(image).resize((size, size), Image.Resampling.NEAREST))


@torch.inference_mode()
def predictions(
    model: nn.Module, x_uint8: torch.Tensor, batch_size: int = 1_000
) -> tuple[np.ndarray, np.ndarray]:
    """Predicted digit and its probability for each (N, 28, 28) uint8 image (CPU)."""
    channels_last = prefers_channels_last(model)
    if channels_last:
        # A private channels_last copy: 3x faster on a CPU, and the shared model stays untouched.
        model = copy.deepcopy(model).to(memory_format=torch.channels_last)
    model.eval()
    preds, confs = [], []
    for start in range(0, len(x_uint8), batch_size):
        x = normalize(x_uint8[start : start + batch_size].cpu())
        if channels_last:
            x = x.contiguous(memory_format=torch.channels_last)
        conf, pred = torch.softmax(model(x), 1).max(1)
        preds.append(pred)
        confs.append(conf)
    return torch.cat(preds).numpy(), torch.cat(confs).numpy()


def confusion_matrix(pred: np.ndarray, truth: np.ndarray) -> np.ndarray:
    """(10, 10) counts, rows true digit, columns predicted."""
    return np.bincount(np.asarray(truth) * 10 + pred, minlength=100).reshape(10, 10)


def mistakes(
    model: nn.Module, x_uint8: torch.Tensor, y: torch.Tensor, k: int = 24
) -> list[tuple[int, int, int, float]]:
    """The k most confident misclassifications: (index, true, predicted, confidence)."""
    pred, conf = predictions(model, x_uint8)
    return rank_mistakes(pred, conf, np.asarray(y.cpu() if isinstance(y, torch.Tensor) else y), k)


def rank_mistakes(
    pred: np.ndarray, conf: np.ndarray, truth: np.ndarray, k: int
) -> list[tuple[int, int, int, float]]:
    """Wrong predictions, most confident first, as (index, true, predicted, confidence)."""
    wrong = np.flatnonzero(pred != truth)
    order = wrong[np.argsort(-conf[wrong], kind="stable")][:k]
    return [(int(i), int(truth[i]), int(pred[i]), float(conf[i])) for i in order]


def confusion_image(confusion, cell: int = 44) -> np.ndarray:
    """A 10x10 confusion heat map with counts; rows true digit, columns predicted: RGB uint8."""
    counts = np.asarray(confusion, dtype=np.int64)
    margin = cell + 8
    side = margin + 10 * cell
    image = Image.new("RGB", (side + 4, side + 4), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=max(10, cell // 3))
    small = ImageFont.load_default(size=max(9, cell // 4))
    diag_max = max(int(counts.diagonal().max()), 1)
    off = counts - np.diag(counts.diagonal())
    off_max = max(int(off.max()), 1)
    draw.text((4, 4), "rows: true, cols: predicted", fill="black", font=small)
    for d in range(10):
        draw.text((margin + d * cell + cell // 2, margin - 6), str(d), "black", font, anchor="md")
        draw.text((margin - 8, margin + d * cell + cell // 2), str(d), "black", font, anchor="rm")
    for r in range(10):
        for c in range(10):
            n = int(counts[r, c])
            # Mistakes get their own (red) scale: next to ~1,000 correct ones they would vanish.
            if r == c:
                t = n / diag_max
                fill = (int(255 - 200 * t), int(255 - 120 * t), 255)
            else:
                t = (n / off_max) ** 0.5 if n else 0.0
                fill = (255, int(255 - 205 * t), int(255 - 205 * t))
            x, y = margin + c * cell, margin + r * cell
            draw.rectangle([x, y, x + cell - 1, y + cell - 1], fill=fill, outline=(220, 220, 220))
            if n:
                ink = "white" if t > 0.6 else "black"
                draw.text((x + cell // 2, y + cell // 2), str(n), ink, small, anchor="mm")
    return np.asarray(image)


def preprocess_strip(image, lang: str = DEFAULT) -> list[tuple[np.ndarray, str]]:
    """The preprocessing steps as display images with captions, or [] for an empty canvas."""
    result = steps(image)
    if result is None:
        return []
    out = []
    for key in ("ink", "cropped", "scaled", "centred"):
        label = t(f"strip.{key}", lang)
        grey = (np.clip(result[key], 0, 1) * 255).astype(np.uint8)
        factor = max(1, 140 // max(grey.shape))  # small steps shown enlarged, pixel-sharp
        big = np.asarray(
            Image.fromarray(grey).resize(
                (grey.shape[1] * factor, grey.shape[0] * factor), Image.Resampling.NEAREST
            )
        )
        out.append((_square(big), label))
    return out


def _square(image: np.ndarray, border: int = 60) -> np.ndarray:
    """Pad to a square on grey, so galleries (which crop thumbnails) show the whole step."""
    h, w = image.shape
    side = max(h, w)
    out = np.full((side, side), border, np.uint8)
    top, left = (side - h) // 2, (side - w) // 2
    out[top : top + h, left : left + w] = image
    return out


def plain_resize(ink: np.ndarray) -> np.ndarray:
    """Preprocessing off: the whole canvas squashed to 28x28, no crop, no centring."""
    field = Image.fromarray(np.asarray(ink, dtype=np.float32))
    return np.clip(np.asarray(field.resize((28, 28), Image.Resampling.BOX)), 0.0, 1.0)
