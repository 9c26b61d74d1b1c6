"""Inside and Evaluate: the model's explanations and the pictures made of them, on the real test
set and the shipped models."""

from __future__ import annotations

import base64
import io

import numpy as np
import pytest
import torch
from PIL import Image, ImageDraw

from digitlab.data import normalize
from digitlab.evaluate import evaluate
from digitlab.inference.predict import Predictor
from digitlab.inference.preprocess import ink_mask, steps, to_mnist
from digitlab.lab import explain
from digitlab.training.checkpoint import SHIPPED, load_checkpoint
from digitlab.ui import common, pictures


@pytest.fixture(scope="module")
def models():
    missing = [str(p) for p in SHIPPED.values() if not p.is_file()]
    assert not missing, f"the shipped checkpoints are missing: {missing}"
    return {kind: Predictor(load_checkpoint(path).model, kind) for kind, path in SHIPPED.items()}


@pytest.fixture(scope="module")
def seven() -> np.ndarray:
    """A 7 drawn off-centre on a 280x300 canvas, as ink in [0, 1]."""
    image = Image.new("L", (280, 300), 255)
    ImageDraw.Draw(image).line([(40, 50), (120, 50), (70, 200)], fill=0, width=20)
    return ink_mask(np.asarray(image))


def sketch(ink: np.ndarray) -> str:
    """What the Draw tab's canvas sends: a PNG data URL, black ink in its alpha."""
    layer = np.zeros((*ink.shape, 4), np.uint8)
    layer[..., 3] = (ink * 255).round().astype(np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(layer, "RGBA").save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def test_confusion_matrix_covers_the_whole_test_set(models, mnist):
    result = models["mlp"].evaluate(mnist.test_x, mnist.test_y)
    truth = mnist.test_y.numpy()
    confusion = np.bincount(truth * 10 + result["predicted"], minlength=100).reshape(10, 10)
    assert confusion.tolist() == result["confusion"]  # counted by the evaluator, once
    assert confusion.shape == (10, 10) and confusion.sum() == 10_000
    assert np.trace(confusion) / 10_000 == pytest.approx(result["accuracy"], abs=1e-6)


def test_mistakes_are_really_misclassified_most_confident_first(models, mnist):
    predictor = models["cnn"]
    result = predictor.evaluate(mnist.test_x, mnist.test_y)
    truth = mnist.test_y.numpy()
    items = explain.rank_mistakes(result["predicted"], result["confidence"], truth, k=20)
    assert len(items) == 20
    confidences = [conf for *_, conf in items]
    assert confidences == sorted(confidences, reverse=True)
    model = load_checkpoint(SHIPPED["cnn"]).model.eval()  # the model read independently
    for index, true, predicted, confidence in items:
        assert true == int(mnist.test_y[index]) and predicted != true
        with torch.inference_mode():
            probs = torch.softmax(model(normalize(mnist.test_x[index : index + 1])), 1)[0]
        assert int(probs.argmax()) == predicted
        assert float(probs.max()) == pytest.approx(confidence, abs=1e-4)


def test_saliency_in_range_and_on_the_canvas_shape(models, seven):
    image28 = to_mnist(seven)
    for predictor in models.values():
        sal = explain.saliency(predictor, image28)
        assert sal.shape == (28, 28) and sal.min() >= 0 and sal.max() == pytest.approx(1.0)
        overlay = pictures.saliency_on_canvas(sal, seven, steps(seven)["placement"])
        assert overlay.shape == (*seven.shape, 3) and overlay.dtype == np.uint8
        # Saliency maps back onto the drawing, not onto the empty corner far from it.
        red = overlay[..., 0].astype(int) - overlay[..., 2]
        assert red[30:220, 30:130].mean() > red[230:, 180:].mean()


def test_saliency_maps_the_model_input_back_onto_the_canvas(seven):
    image28 = to_mnist(seven)
    # A saliency equal to the input itself must land where the ink is on the canvas.
    overlay = pictures.saliency_on_canvas(image28 / image28.max(), seven, steps(seven)["placement"])
    heat = overlay[..., 0].astype(int) - overlay[..., 2]
    on_ink, off_ink = heat[seven > 0.5].mean(), heat[seven == 0].mean()
    assert on_ink > 5 * off_ink


def test_first_layer_and_feature_map_shapes(models, seven):
    assert explain.first_layer_weights(models["mlp"].model).shape == (512, 28, 28)
    width = load_checkpoint(SHIPPED["cnn"]).config.channels[0]  # the first conv's filters
    assert explain.first_layer_weights(models["cnn"].model).shape == (width, 3, 3)
    maps = explain.feature_maps(models["cnn"], to_mnist(seven))
    assert maps.shape == (width, 14, 14) and maps.min() >= 0  # after the first ReLU
    assert explain.feature_maps(models["mlp"], to_mnist(seven)) is None
    tiles = pictures.weight_tiles(explain.first_layer_weights(models["cnn"].model)[:4])
    assert all(t.shape == (pictures.TILE, pictures.TILE, 3) for t in tiles)


def test_preprocessing_steps_as_pictures_and_the_switch(models, seven):
    found = steps(seven)
    strip = [pictures.step_picture(found[key]) for key in ("ink", "cropped", "scaled", "centred")]
    assert strip[0].shape == (300, 300)  # the 300x280 canvas, padded square for the gallery
    assert strip[3].shape == (140, 140)  # the 28x28 input, enlarged 5x
    assert np.array_equal(strip[3][::5, ::5], (to_mnist(seven) * 255).astype(np.uint8))
    assert steps(np.zeros((280, 280), np.float32)) is None
    on, off = models["cnn"].predict(seven), models["cnn"].predict(seven, preprocessing=False)
    assert np.array_equal(on.image, to_mnist(seven)) and on.steps is not None
    assert off.image.shape == (28, 28) and not np.allclose(off.image, on.image)
    assert off.steps is None


def test_evaluate_tab_matches_the_trainers_evaluate(app_module, models, mnist):
    tab = app_module.evaluate
    name = common.SHIPPED.of_kind("cnn").name
    out = tab.evaluate(name, None)
    reference = evaluate(load_checkpoint(SHIPPED["cnn"]).model, mnist.test_x, mnist.test_y)
    assert f"{reference['accuracy']:.2%}" in out[tab.summary]
    per_digit = out[tab.per_digit]
    assert per_digit["test digits"].sum() == 10_000
    expected = [round(100 * a, 2) for a in reference["per_class"]]
    assert per_digit["accuracy %"].tolist() == pytest.approx(expected, abs=0.01)
    gallery = out[tab.mistakes]
    assert len(gallery) == 24 and all("→ predicted" in caption for _, caption in gallery)


def test_inside_tab_preprocessing_switch_changes_the_models_input(app_module, seven):
    from digitlab.ui.inside import first_layer

    tab = app_module.inside
    name = common.SHIPPED.of_kind("cnn").name
    on = tab.show(sketch(seven), name, True, None)
    off = tab.show(sketch(seven), name, False, None)
    assert len(on[tab.strip]) == 4 and len(off[tab.strip]) == 2
    assert "preprocessing OFF" in off[tab.line] and "OFF" not in on[tab.line]
    assert on[tab.saliency].shape == off[tab.saliency].shape == (*seven.shape, 3)
    # The CNN's feature maps (14x14, one per first-conv filter) in one sheet: rows of 8,
    # enlarged 2x, lines between; the first 32 filters shown with the views.
    rows = -(-load_checkpoint(SHIPPED["cnn"]).config.channels[0] // 8)
    assert on[tab.maps].shape == (rows * 29 - 1, 8 * 29 - 1)
    assert len(on[tab.weights]) == 32
    again = tab.show(sketch(seven), name, True, None, "en", on[tab.shown])
    assert set(again) == {tab.shown}  # nothing changed: nothing is computed or sent again
    empty = tab.show(None, name, True, None)
    assert empty[tab.strip] == [] and empty[tab.saliency] is None and empty[tab.maps] is None
    cnn = Predictor(load_checkpoint(SHIPPED["cnn"]).model)
    assert [caption for _, caption in first_layer(cnn)][:2] == ["filter 0", "filter 1"]
    mlp = Predictor(load_checkpoint(SHIPPED["mlp"]).model)
    assert len(first_layer(mlp)) == 32  # of 512 units
