"""Arrays -> pictures to show: uint8 numpy images (grey (H, W) or RGB (H, W, 3)). No text but the
numbers drawn into the confusion matrix; no model; no Gradio."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from digitlab.inference.preprocess import Placement

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


# The map (digitlab/lab/digit_map.py): one colour per digit (matplotlib's tab10, readable on white
# and for most colour-blind eyes), and a black marker for the student's drawing: nothing else
# on a map is pure black, so the marker is never lost among the points.
DIGIT_COLOURS = np.array([
    (31, 119, 180), (255, 127, 14), (44, 160, 44), (214, 39, 40), (148, 103, 189),
    (140, 86, 75), (227, 119, 194), (127, 127, 127), (188, 189, 34), (23, 190, 207),
])  # fmt: skip
MAP_SIDE = 400  # pixels; the points' middle 99% fill it, with a margin
MARKER = 11  # the drawing's marker's radius in pixels
MAP_MARGIN = 24  # pixels between the picture's edge and the points' middle 99%


@dataclass(frozen=True)
class MapFrame:
    """Where map coordinates land in its picture: pixel = (point - low) * scale + MARGIN."""

    low: tuple[float, float]
    scale: tuple[float, float]

    def pixel(self, point) -> tuple[float, float]:
        """(x, y) on the map -> (column, row) in the picture; y points up."""
        x = (point[0] - self.low[0]) * self.scale[0] + MAP_MARGIN
        y = MAP_SIDE - ((point[1] - self.low[1]) * self.scale[1] + MAP_MARGIN)
        return float(x), float(y)

    def inside(self, point, border: int = 0) -> bool:
        """Whether point lands in the picture, at least border pixels from its edges."""
        x, y = self.pixel(point)
        return border <= x < MAP_SIDE - border and border <= y < MAP_SIDE - border


def map_picture(points: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, MapFrame]:
    """A scatter of (N, 2) points coloured by digit, each digit's number written at its points'
    median: (MAP_SIDE, MAP_SIDE, 3) uint8, and the frame that places more points on it."""
    points = np.asarray(points, dtype=np.float64)
    low, high = np.percentile(points, 0.5, axis=0), np.percentile(points, 99.5, axis=0)
    scale = (MAP_SIDE - 2 * MAP_MARGIN) / np.maximum(high - low, 1e-9)
    frame = MapFrame((float(low[0]), float(low[1])), (float(scale[0]), float(scale[1])))
    image = Image.new("RGB", (MAP_SIDE, MAP_SIDE), "white")
    draw = ImageDraw.Draw(image)
    for point, digit in zip(points, labels, strict=True):  # one dot each: 2,000 in ~10 ms
        if not frame.inside(point, 2):  # the farthest 1% of a digit: left out, not piled up
            continue
        x, y = frame.pixel(point)
        draw.ellipse([x - 2, y - 2, x + 2, y + 2], fill=tuple(DIGIT_COLOURS[digit]))
    font = ImageFont.load_default(size=24)
    for digit in range(10):
        mine = points[np.asarray(labels) == digit]
        if len(mine):
            x, y = frame.pixel(np.median(mine, axis=0))
            colour = tuple(int(c) for c in DIGIT_COLOURS[digit] * 0.6 + 8)  # darker, never black
            draw.text((x, y), str(digit), colour, font, "mm", stroke_width=3, stroke_fill="white")
    return np.asarray(image), frame


def map_marker(picture: np.ndarray, frame: MapFrame, point) -> np.ndarray:
    """A copy of a map picture with a big black dot in a white ring at point (the drawing); a
    drawing off the map is shown at its edge, in its direction."""
    image = Image.fromarray(picture)
    x, y = np.clip(frame.pixel(point), MARKER + 3, MAP_SIDE - 1 - MARKER - 3)
    draw = ImageDraw.Draw(image)
    ring = MARKER + 3
    draw.ellipse([x - ring, y - ring, x + ring, y + ring], fill="white")
    draw.ellipse([x - MARKER, y - MARKER, x + MARKER, y + MARKER], fill="black")
    return np.asarray(image)
