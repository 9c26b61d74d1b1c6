"""Pen strokes of the written variants of each digit, and a hand that draws them on the canvas.

A glyph is a list of strokes (pen down to pen up); a stroke is a list of runs joined at sharp
corners; a run is a smooth curve through its points (centripetal Catmull-Rom), so two points
make a straight line. Coordinates are a unit box: y from 0 (top) to 1 (bottom), x to the right.
Angles of `arc` are in degrees with y down: 0 right, 90 bottom, 180 left, 270 (or -90) top.

`draw` jitters a glyph the way hands differ (shape, size, aspect, slant, place, speed, tremor)
and `render` inks the pen path like the Sketchpad's round brush: Gradio's `Brush(default_size)`
is a radius (PIXI stamps `circle(x, y, size)` along each pointer segment), so the app's default
size 12 draws a 24 px wide line; widths here are diameters.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

CANVAS = 280
MARGIN = 4
HEIGHT_PX = (105, 230)  # pen-path height on the canvas: a small (thick-looking) to a canvas-filling
# digit
ENDS = (-0.08, 0.05)  # stroke ends stop short of / run past their mark by up to this (unit box)
SLOPPY = (0.6, 1.7)  # how much a hand departs from the model glyph: shape noise, joins, bends


def arc(cx: float, cy: float, rx: float, ry: float, a0: float, a1: float) -> np.ndarray:
    """Points along an elliptical arc from angle a0 to a1 (degrees, y down), one per ~20 deg."""
    angles = np.deg2rad(np.linspace(a0, a1, max(3, int(abs(a1 - a0) / 20) + 1)))
    return np.stack([cx + rx * np.cos(angles), cy + ry * np.sin(angles)], 1)


def pts(*xy: float) -> np.ndarray:
    """A run from flat coordinates x0, y0, x1, y1, ...: (K, 2)."""
    return np.asarray(xy, dtype=np.float64).reshape(-1, 2)


def _cat(*parts: np.ndarray) -> np.ndarray:
    return np.concatenate(parts)


_TOP2 = arc(0.36, 0.28, 0.31, 0.26, 195, 375)  # the top of a 2, left to right over the top
_BOWL5 = arc(0.33, 0.68, 0.33, 0.29, -125, 150)  # the belly of a 5, clockwise
_LOOP9 = arc(0.36, 0.26, 0.29, 0.25, -15, -370)  # the head of a 9, counterclockwise
_TOP3 = arc(0.34, 0.24, 0.3, 0.22, 205, 445)
_BOT3 = arc(0.34, 0.71, 0.34, 0.27, -115, 150)

_5ROUND = (0.12, 0.42, 0.4, 0.36, 0.66, 0.5, 0.68, 0.8, 0.4, 1.0, 0.04, 0.88)
_8 = (0.6, 0.1, 0.36, 0.0, 0.1, 0.1, 0.12, 0.3, 0.36, 0.47, 0.6, 0.64, 0.64, 0.84, 0.38, 1.0)
_8 += (0.08, 0.88, 0.1, 0.64, 0.36, 0.47, 0.56, 0.3, 0.62, 0.14, 0.5, 0.04)
_7 = [pts(0.02, 0.04, 0.72, 0.03), pts(0.72, 0.03, 0.42, 0.55, 0.3, 1.0)]
_FLAG1 = [pts(0.34, 0.2, 0.5, 0.0), pts(0.5, 0.0, 0.5, 1.0)]
_2LOOP = (0.32, 0.7, 0.15, 0.9, 0.06, 0.97, 0.01, 0.9, 0.06, 0.82)

# name -> (digit, strokes): the variants people write. 0-narrow overshoots its start; 1-flag has
# a serif at the top, 1-euro a serif and a base; 2-loop curls at the foot; 3-flat has a flat top;
# 4-open leaves the top open; 5-flag is drawn in two strokes, 5-round in one with a round belly;
# 6-curved has a long bent stem, 6-straight a straight one; 7-crossed a bar through the stem;
# 8-loop is one figure-of-eight stroke, 8-circles two circles; 9-curl curls its tail left.
GLYPHS: dict[str, tuple[int, list[list[np.ndarray]]]] = {
    "0-oval": (0, [[arc(0.36, 0.5, 0.36, 0.5, -80, -450)]]),
    "0-narrow": (0, [[arc(0.22, 0.5, 0.22, 0.5, -70, -480)]]),
    "1-plain": (1, [[pts(0.5, 0.0, 0.5, 1.0)]]),
    "1-flag": (1, [_FLAG1]),
    "1-euro": (1, [_FLAG1, [pts(0.2, 1.0, 0.8, 1.0)]]),
    "2-plain": (2, [[_cat(_TOP2, pts(0.3, 0.72, 0.03, 0.98)), pts(0.03, 0.98, 0.75, 0.97)]]),
    "2-loop": (2, [[_cat(_TOP2, pts(*_2LOOP)), pts(0.06, 0.82, 0.2, 0.9, 0.42, 0.98, 0.75, 0.96)]]),
    "3-round": (3, [[_TOP3, _BOT3]]),
    "3-flat": (3, [[pts(0.04, 0.02, 0.66, 0.02), pts(0.66, 0.02, 0.28, 0.4), _BOT3[1:]]]),
    "4-closed": (4, [[pts(0.56, 0, 0, 0.66), pts(0, 0.66, 0.78, 0.66)], [pts(0.56, 0, 0.56, 1)]]),
    "4-open": (4, [[pts(0.1, 0, 0.05, 0.62), pts(0.05, 0.62, 0.78, 0.6)], [pts(0.58, 0, 0.58, 1)]]),
    "5-flag": (5, [[pts(0.14, 0.02, 0.1, 0.47), _BOWL5], [pts(0.16, 0.02, 0.72, 0.0)]]),
    "5-round": (5, [[pts(0.7, 0.02, 0.2, 0.03), pts(0.2, 0.03, *_5ROUND)]]),
    "6-curved": (
        6,
        [[_cat(pts(0.62, 0, 0.25, 0.2, 0.04, 0.55), arc(0.34, 0.7, 0.3, 0.28, 175, -170))]],
    ),
    "6-straight": (6, [[_cat(pts(0.6, 0.0, 0.1, 0.72), arc(0.33, 0.78, 0.24, 0.22, 170, -185))]]),
    "7-plain": (7, [_7]),
    "7-crossed": (7, [_7, [pts(0.2, 0.52, 0.66, 0.5)]]),
    "8-loop": (8, [[pts(*_8)]]),
    "8-circles": (
        8,
        [[arc(0.36, 0.24, 0.24, 0.24, -60, -420)], [arc(0.36, 0.71, 0.32, 0.27, -90, -455)]],
    ),
    "9-straight": (9, [[_LOOP9, pts(*_LOOP9[-1], 0.64, 1.0)]]),
    "9-curl": (9, [[_LOOP9, pts(*_LOOP9[-1], 0.64, 0.68, 0.54, 0.93, 0.3, 1.0, 0.06, 0.88)]]),
}
STYLES = tuple(GLYPHS)


def _smooth(run: np.ndarray, per: int = 12) -> np.ndarray:
    """Centripetal Catmull-Rom curve through a run's points: (1 + per * (K - 1), 2)."""
    # Mirrored end points make the curve leave and enter straight; a 2-point run is a line.
    p = np.concatenate([2 * run[:1] - run[1:2], run, 2 * run[-1:] - run[-2:-1]])
    out = [run[:1]]
    for p0, p1, p2, p3 in zip(p, p[1:], p[2:], p[3:], strict=False):
        t1 = np.linalg.norm(p1 - p0) ** 0.5 + 1e-6
        t2 = t1 + np.linalg.norm(p2 - p1) ** 0.5 + 1e-6
        t3 = t2 + np.linalg.norm(p3 - p2) ** 0.5 + 1e-6
        t = np.linspace(t1, t2, per + 1)[1:, None]
        a1 = ((t1 - t) * p0 + t * p1) / t1
        a2 = ((t2 - t) * p1 + (t - t1) * p2) / (t2 - t1)
        a3 = ((t3 - t) * p2 + (t - t2) * p3) / (t3 - t2)
        b1 = ((t2 - t) * a1 + t * a2) / t2
        b2 = ((t3 - t) * a2 + (t - t1) * a3) / (t3 - t1)
        out.append(((t2 - t) * b1 + (t - t1) * b2) / (t2 - t1))
    return np.concatenate(out)


def _ends(curve: np.ndarray, start: float, end: float) -> np.ndarray:
    """Stop a stroke short (negative) or let it run on along its tangent (positive) at each end."""
    length = np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(curve, axis=0), axis=1))])
    lo, hi = max(0.0, -start), length[-1] - max(0.0, -end)
    if hi - lo < 0.05:  # a short stroke is never cut away
        lo, hi = 0.0, length[-1]
    keep = curve[(length > lo) & (length < hi)]
    first, last = (np.array([np.interp(t, length, c) for c in curve.T]) for t in (lo, hi))
    head = (first - keep[0]) / max(np.linalg.norm(first - keep[0]), 1e-9) if len(keep) else 0
    tail = (last - keep[-1]) / max(np.linalg.norm(last - keep[-1]), 1e-9) if len(keep) else 0
    before = [first + head * start] if start > 0 else []
    after = [last + tail * end] if end > 0 else []
    return np.stack([*before, first, *keep, last, *after])


def _shape(name: str, rng: np.random.Generator) -> list[np.ndarray]:
    """A glyph's strokes with hand-to-hand shape noise, as dense curves in the unit box."""
    strokes, sloppy = [], rng.uniform(*SLOPPY)  # neat hands and sloppy ones
    for runs in GLYPHS[name][1]:
        # Noise in proportion to the spacing of a run's points: a short flag keeps its angle,
        # an arc (points close together) does not turn lumpy; long lines move up to 0.03.
        sigma = [
            sloppy * min(0.03, 0.05 * np.linalg.norm(np.diff(run, axis=0), axis=1).mean())
            for run in runs
        ]
        noisy = [run + rng.normal(0, sd, run.shape) for run, sd in zip(runs, sigma, strict=True)]
        for prev, run in zip(noisy, noisy[1:], strict=False):
            run[0] = prev[-1]  # runs stay joined at their corner
        ends = sloppy * rng.uniform(*ENDS, 2)
        curve = _ends(np.concatenate([_smooth(run) for run in noisy]), *ends)
        # Each later stroke lands a little off where it was meant to (a 7's bar, a 4's stem).
        strokes.append(curve + (rng.normal(0, 0.025 * sloppy, 2) if strokes else 0.0))
    # A smooth random warp (two plane waves) bends whole strokes, as a hand does.
    warp = rng.normal(0, 1, (2, 2, 2)) * 2.5  # (wave, out axis, in axis)
    phase, amp = rng.uniform(0, 2 * np.pi, (2, 2)), rng.uniform(0, 0.07 * sloppy, (2, 2))
    return [s + sum(amp[k] * np.sin(s @ warp[k].T + phase[k]) for k in range(2)) for s in strokes]


def _pose(strokes: list[np.ndarray], rng: np.random.Generator, room: float) -> list[np.ndarray]:
    """Aspect, slant, tilt, size and place on the canvas: unit box -> canvas pixels (x, y)."""
    slant, tilt = rng.uniform(-0.35, 0.6), np.deg2rad(rng.uniform(-12, 12))
    aspect = np.exp(rng.uniform(-0.4, 0.4))
    # (x, y) -> (aspect * x + slant * (1 - y), y): positive slant leans the top to the right.
    affine = np.array([[aspect, -slant], [0.0, 1.0]])
    rotate = np.array([[np.cos(tilt), -np.sin(tilt)], [np.sin(tilt), np.cos(tilt)]])
    strokes = [(s @ affine.T + [slant, 0.0]) @ rotate.T for s in strokes]
    every = np.concatenate(strokes)
    low, extent = every.min(0), np.maximum(every.max(0) - every.min(0), 1e-6)
    scale = min(rng.uniform(*HEIGHT_PX), room) / extent[1]
    scale = min(scale, room / extent[0])
    free = room - extent * scale
    offset = CANVAS / 2 - room / 2 + rng.uniform(0, 1, 2) * free
    return [(s - low) * scale + offset for s in strokes]


def _pen(curve: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Pointer samples along a curve: tremor across it, uneven speed along it. (K, 2) px."""
    step = np.linalg.norm(np.diff(curve, axis=0), axis=1)
    arc_len = np.concatenate([[0.0], np.cumsum(step)])
    normal = np.gradient(curve, axis=0)[:, ::-1] * [1, -1]
    normal /= np.maximum(np.linalg.norm(normal, axis=1, keepdims=True), 1e-9)
    wave = rng.uniform(15, 40)
    shake = rng.uniform(0, 0.8) * np.sin(2 * np.pi * arc_len / wave + rng.uniform(0, 6.3))
    curve = curve + normal * shake[:, None]
    # A fast hand gives sparse pointer events joined by straight segments (polygonal curves).
    speed, period = rng.uniform(2, 9), rng.uniform(8, 30)
    k = np.arange(int(arc_len[-1] / (0.4 * speed)) + 2)
    gaps = speed * (1 + 0.6 * np.sin(2 * np.pi * k / period + rng.uniform(0, 6.3)))
    at = np.concatenate([[0.0], np.cumsum(np.maximum(gaps, 1.0))])
    at = np.append(at[at < arc_len[-1]], arc_len[-1])
    return np.stack([np.interp(at, arc_len, curve[:, i]) for i in range(2)], 1)


def draw(name: str, rng: np.random.Generator, max_width: float = 32) -> list[np.ndarray]:
    """One person's pen path of glyph `name` on the canvas: per stroke, (K, 2) pointer (x, y)."""
    room = CANVAS - 2 * MARGIN - max_width  # the thickest brush still fits on the canvas
    return [_pen(s, rng) for s in _pose(_shape(name, rng), rng, room)]


def render(strokes: Sequence[np.ndarray], widths: Sequence[float]) -> np.ndarray:
    """Ink pen paths with round brushes of these diameters: (B, 280, 280, 4) uint8, ink in alpha."""
    widths = np.asarray(widths, dtype=np.float64)
    reach = widths.max() / 2 + 1.5
    dist = np.full((CANVAS, CANVAS), np.inf)  # distance from each pixel centre to the path
    for points in strokes:
        ends = np.concatenate([points[:1], points]) if len(points) == 1 else points
        for a, b in zip(ends, ends[1:], strict=False):
            x0, y0 = np.maximum(np.floor(np.minimum(a, b) - reach).astype(int), 0)
            x1, y1 = np.minimum(np.ceil(np.maximum(a, b) + reach).astype(int) + 1, CANVAS)
            if x0 >= x1 or y0 >= y1:
                continue
            x, y = np.arange(x0, x1)[None, :], np.arange(y0, y1)[:, None]
            d = b - a
            t = np.clip(((x - a[0]) * d[0] + (y - a[1]) * d[1]) / max(d @ d, 1e-12), 0, 1)
            seg = np.hypot(x - a[0] - t * d[0], y - a[1] - t * d[1])
            np.minimum(dist[y0:y1, x0:x1], seg, out=dist[y0:y1, x0:x1])
    # Round brush with a one-pixel anti-aliased rim, as the browser's canvas strokes it.
    alpha = np.clip(widths[:, None, None] / 2 + 0.5 - dist, 0.0, 1.0)  # (B, 280, 280)
    canvas = np.zeros((len(widths), CANVAS, CANVAS, 4), dtype=np.uint8)
    canvas[..., 3] = np.round(alpha * 255)
    return canvas
