"""The pen-digit renderer against the real canvas: real pen digits replayed as mouse strokes in
headless Chromium give the model the same 28x28 image as `pendigits.render` does.

Every pen-digit figure (training, the benchmark, the Evaluate tab) rests on the renderer drawing
a trajectory as the page's canvas does. Skips like tests/test_browser.py without Playwright or
chromium.
"""

from __future__ import annotations

import base64
import io

import numpy as np
import pytest
from browser_kit import clear, draw, open_app
from PIL import Image

from digitlab.inference.preprocess import ink_mask, to_mnist
from digitlab.lab import pendigits
from digitlab.training.checkpoint import SHIPPED, load_predictor

pytestmark = pytest.mark.browser
BRUSH = 24  # canvas.js: RADIUS 12


def canvas_ink(page) -> np.ndarray:
    """The page canvas's pixels as ink, (280, 280) float32."""
    url = page.locator("#dl-canvas canvas").evaluate("c => c.toDataURL('image/png')")
    png = base64.b64decode(url.split(",", 1)[1])
    return ink_mask(Image.open(io.BytesIO(png)))


def test_a_replayed_pen_digit_is_the_rendered_one(browser, app_module):
    page = open_app(browser, app_module.url)
    cnn = load_predictor(SHIPPED["cnn"])
    rng = np.random.default_rng(3)
    digits = pendigits.of_writers([27])
    picks = [digits[i] for i in rng.choice(len(digits), 12, replace=False)]
    same, gaps = 0, []
    for digit in picks:
        pen = pendigits.Pen(width=BRUSH, height=float(rng.uniform(120, 220)),
                            x=float(rng.uniform()), y=float(rng.uniform()))  # fmt: skip
        strokes = [[(x / 280, y / 280) for x, y in s] for s in pendigits.place(digit, pen)]
        draw(page, strokes, steps=1)  # the canvas joins moves with straight segments, as render
        browser_ink, our_ink = canvas_ink(page), pendigits.render(digit, pen)
        inked = (browser_ink > 0.5) | (our_ink > 0.5)
        gaps.append(float(np.abs(browser_ink - our_ink)[inked].mean()))
        read = cnn.probabilities(np.stack([to_mnist(browser_ink), to_mnist(our_ink)])).argmax(1)
        same += int(read[0] == read[1])
        clear(page)
    # Mean |difference| over the inked pixels (ink 0-1) of the two 280x280 canvases: a brush
    # off by 2 px gives ~0.15, an upside-down digit ~0.9; the two anti-aliasings alone ~0.01.
    # (On the 28x28 image a digit may land one pixel apart: to_mnist rounds its centre.)
    assert max(gaps) < 0.05, gaps
    assert same >= 11
    assert not page.errors
    page.close()
