"""Arrays -> pictures to show: uint8 numpy images (grey (H, W) or RGB (H, W, 3)). No text but the
numbers drawn into the confusion matrix; no model; no Gradio."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from digitlab.preprocess import Placement

HEAT = np.array([255.0, 40.0, 0.0])  # saliency colour over the drawing
TILE = 84  # display size of one weight / feature-map tile
PIXEL_SCALE = 10  # 28x28 -> 281x281 with a 1 px grid line between pixels
GRID_LEVEL = 60  # grid lines in dark grey, so black MNIST background pixels stay countable
STEP_SIDE = 140  # each preprocessing step is shown about this big
PAD_LEVEL = 60  # the grey around a step that is not square
SHEET_LINE = 128  # the grey between feature maps: visible between dark and bright maps alike


def grey(image: np.ndarray) -> np.ndarray:
    """Floats in [0, 1] (1 = ink) -> uint8 grey, white ink on black as the model sees it."""
    return (np.clip(image, 0, 1) * 255).astype(np.uint8)


def enlarge(image: np.ndarray, factor: int) -> np.ndarray:
    """Pixel-sharp upscaling by a whole factor (each pixel becomes a factor x factor block)."""
    return np.repeat(np.repeat(image, factor, axis=0), factor, axis=1)


def pixel_view(image28: np.ndarray | None) -> np.ndarray:
    """The 28x28 model input enlarged with a visible pixel grid, as (281, 281) uint8."""
    pixels = grey(np.zeros((28, 28), np.float32) if image28 is None else image28)
    size = 28 * PIXEL_SCALE + 1
    out = np.full((size, size), GRID_LEVEL, np.uint8)
    out[:-1, :-1] = enlarge(pixels, PIXEL_SCALE)
    out[::PIXEL_SCALE, :] = GRID_LEVEL  # grid lines over each block's first row and column
    out[:, ::PIXEL_SCALE] = GRID_LEVEL
    return out


def step_picture(image: np.ndarray) -> np.ndarray:
    """One preprocessing step enlarged to about STEP_SIDE px and padded square on grey (a
    gallery crops its thumbnails to squares)."""
    pixels = grey(image)
    big = enlarge(pixels, max(1, STEP_SIDE // max(pixels.shape)))
    h, w = big.shape
    side = max(h, w)
    out = np.full((side, side), PAD_LEVEL, np.uint8)
    top, left = (side - h) // 2, (side - w) // 2
    out[top : top + h, left : left + w] = big
    return out


def weight_tiles(images: np.ndarray, size: int = TILE) -> list[np.ndarray]:
    """Signed weights as RGB tiles (blue negative, red positive, white 0), nearest-upscaled."""
    tiles = []
    for w in np.asarray(images, dtype=np.float32):
        scale = float(np.abs(w).max()) or 1.0
        v = (w / scale)[..., None]  # (h, w, 1) in [-1, 1]
        rgb = np.where(v > 0, 255 - v * np.array([0, 200, 200]), 255 + v * np.array([200, 200, 0]))
        tiles.append(_resize(rgb.clip(0, 255).astype(np.uint8), size))
    return tiles


def activation_sheet(maps: np.ndarray, columns: int = 8, scale: int = 2) -> np.ndarray:
    """Non-negative feature maps (C, h, w) in one grey picture, `columns` to a row: each scaled
    to its own peak (bright = strong), enlarged `scale` times, a grey line between them. One
    small picture, not one per map: the page fetches one file."""
    maps = np.asarray(maps, dtype=np.float32)
    count, height, width = maps.shape
    rows = -(-count // columns)
    tall, wide = height * scale + 1, width * scale + 1  # a tile and the line after it
    sheet = np.full((rows * tall - 1, columns * wide - 1), SHEET_LINE, np.uint8)
    for i, m in enumerate(maps):
        peak = float(m.max())
        top, left = i // columns * tall, i % columns * wide
        tile = enlarge(grey(m / peak if peak > 0 else m), scale)
        sheet[top : top + tall - 1, left : left + wide - 1] = tile
    return sheet


def _resize(image: np.ndarray, size: int) -> np.ndarray:
    return np.asarray(Image.fromarray(image).resize((size, size), Image.Resampling.NEAREST))


def saliency_on_canvas(sal28: np.ndarray, ink: np.ndarray, place: Placement | None) -> np.ndarray:
    """Map the 28x28 saliency back onto the canvas through the inverse of preprocessing's crop,
    scale and shift (place), and blend it over the drawing: (H, W, 3)."""
    ink = np.asarray(ink, dtype=np.float32)
    height, width = ink.shape
    heat = np.zeros((height, width), np.float32)
    if place is not None:
        sy, sx = place.scaled_height / place.height, place.scaled_width / place.width
        field = Image.fromarray(np.asarray(sal28, dtype=np.float32))
        warped = field.transform(
            (width, height), Image.Transform.AFFINE,
            (sx, 0, place.x0 - place.left * sx, 0, sy, place.y0 - place.top * sy),
            Image.Resampling.BILINEAR,
        )  # fmt: skip
        heat = np.clip(np.asarray(warped, dtype=np.float32), 0, 1)
    return _blend(heat, ink)


def saliency_squashed(sal28: np.ndarray, ink: np.ndarray) -> np.ndarray:
    """With preprocessing off the model's field is the whole canvas, squashed: stretch it back."""
    h, w = ink.shape
    heat = np.asarray(Image.fromarray(sal28.astype(np.float32)).resize((w, h), Image.BILINEAR))
    return _blend(np.clip(heat, 0, 1), np.asarray(ink, dtype=np.float32))


def _blend(heat: np.ndarray, ink: np.ndarray) -> np.ndarray:
    paper = (255.0 - 150.0 * ink)[..., None] * np.ones(3)  # dark grey ink on white
    alpha = (0.85 * heat)[..., None]
    return (paper * (1 - alpha) + HEAT * alpha).round().astype(np.uint8)


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
                level = n / diag_max
                fill = (int(255 - 200 * level), int(255 - 120 * level), 255)
            else:
                level = (n / off_max) ** 0.5 if n else 0.0
                fill = (255, int(255 - 205 * level), int(255 - 205 * level))
            x, y = margin + c * cell, margin + r * cell
            draw.rectangle([x, y, x + cell - 1, y + cell - 1], fill=fill, outline=(220, 220, 220))
            if n:
                ink = "white" if level > 0.6 else "black"
                draw.text((x + cell // 2, y + cell // 2), str(n), ink, small, anchor="mm")
    return np.asarray(image)
