"""The Sketchpad's value (background, layers, composite) -> the ink preprocessing reads."""

from __future__ import annotations

import numpy as np
import pytest

from digitlab.inference.preprocess import editor_to_image, to_mnist
from tests.test_preprocess import CANVAS, SEVEN, _draw, _u8


def _gradio_value(ink: np.ndarray) -> dict:
    """What gr.Sketchpad(type="numpy") sends: white background, ink in a layer's alpha."""
    alpha = _u8(ink)
    background = np.full((*ink.shape, 4), 255, np.uint8)
    layer = np.zeros((*ink.shape, 4), np.uint8)
    layer[..., 3] = alpha
    composite = background.copy()
    composite[..., :3] = 255 - alpha[..., None]
    return {"background": background, "layers": [layer], "composite": composite}


def test_editor_value_gives_the_layers_ink():
    ink = _draw(SEVEN, height=170)
    value = _gradio_value(ink)
    mask = editor_to_image(value)
    assert mask.shape == ink.shape and mask.dtype == np.float32
    np.testing.assert_allclose(mask, _u8(ink) / 255, atol=1e-6)
    # The layer's alpha and the flattened composite describe the same drawing.
    np.testing.assert_allclose(to_mnist(mask), to_mnist(value["composite"]), atol=1e-5)


def test_editor_value_takes_the_max_over_layers():
    value = _gradio_value(_draw(SEVEN, height=170))
    extra = np.zeros_like(value["layers"][0])
    extra[200:210, 10:20, 3] = 255
    value["layers"].append(extra)
    mask = editor_to_image(value)
    assert mask[205, 15] == 1.0 and mask.max() == 1.0
    np.testing.assert_allclose(mask[:150], value["layers"][0][:150, :, 3] / 255, atol=1e-6)


@pytest.mark.parametrize(
    "value",
    [None, {}, {"layers": []}, {"background": None, "layers": None, "composite": None}, "x.png"],
)
def test_editor_value_without_layers_gives_none(value):
    assert editor_to_image(value) is None


def test_cleared_editor_gives_no_prediction_image():
    value = _gradio_value(np.zeros((CANVAS, CANVAS)))
    assert to_mnist(editor_to_image(value)) is None
