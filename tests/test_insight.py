"""Inside and Evaluate views' data on the real test set and the shipped models."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from PIL import Image, ImageDraw

from digitlab import insight
from digitlab.checkpoint import SHIPPED, load_checkpoint
from digitlab.data import normalize
from digitlab.preprocess import ink_mask, to_mnist
from digitlab.train import evaluate


@pytest.fixture(scope="module")
def models():
    if not all(p.is_file() for p in SHIPPED.values()):
        pytest.skip("shipped checkpoints are not trained yet")
    return {kind: load_checkpoint(path).model for kind, path in SHIPPED.items()}


@pytest.fixture(scope="module")
def seven() -> np.ndarray:
    """A 7 drawn off-centre on a 280x300 canvas, as ink in [0, 1]."""
    image = Image.new("L", (280, 300), 255)
    ImageDraw.Draw(image).line([(40, 50), (120, 50), (70, 200)], fill=0, width=20)
    return ink_mask(np.asarray(image))


def test_confusion_matrix_covers_the_whole_test_set(models, mnist):
    result = evaluate(models["mlp"], mnist.test_x, mnist.test_y)
    confusion = np.asarray(result["confusion"])
    assert confusion.shape == (10, 10) and confusion.sum() == 10_000
    assert np.trace(confusion) / 10_000 == pytest.approx(result["accuracy"], abs=1e-6)
    picture = insight.confusion_image(confusion)
    assert picture.ndim == 3 and picture.shape[2] == 3 and min(picture.shape[:2]) > 300


def test_gallery_items_are_really_misclassified_most_confident_first(models, mnist):
    model = models["mlp"]
    items = insight.mistakes(model, mnist.test_x, mnist.test_y, k=20)
    assert len(items) == 20
    confidences = [conf for *_, conf in items]
    assert confidences == sorted(confidences, reverse=True)
    for index, true, predicted, confidence in items:
        assert true == int(mnist.test_y[index]) and predicted != true
        with torch.inference_mode():
            probs = torch.softmax(model(normalize(mnist.test_x[index : index + 1])), 1)[0]
        assert int(probs.argmax()) == predicted
        assert float(probs.max()) == pytest.approx(confidence, abs=1e-5)


def test_saliency_in_range_and_on_the_canvas_shape(models, seven):
    image28 = to_mnist(seven)
    for model in models.values():
        sal = insight.saliency(model, image28)
        assert sal.shape == (28, 28) and sal.min() >= 0 and sal.max() == pytest.approx(1.0)
        overlay = insight.saliency_on_canvas(sal, seven)
        assert overlay.shape == (*seven.shape, 3) and overlay.dtype == np.uint8
        # Saliency maps back onto the drawing, not onto the empty corner far from it.
        red = overlay[..., 0].astype(int) - overlay[..., 2]
        assert red[30:220, 30:130].mean() > red[230:, 180:].mean()


def test_saliency_maps_the_model_input_back_onto_the_canvas(seven):
    image28 = to_mnist(seven)
    # A saliency equal to the input itself must land where the ink is on the canvas.
    overlay = insight.saliency_on_canvas(image28 / image28.max(), seven)
    heat = overlay[..., 0].astype(int) - overlay[..., 2]
    on_ink, off_ink = heat[seven > 0.5].mean(), heat[seven == 0].mean()
    assert on_ink > 5 * off_ink


def test_first_layer_and_feature_map_shapes(models, seven):
    assert insight.first_layer_images(models["mlp"]).shape == (512, 28, 28)
    assert insight.first_layer_images(models["cnn"]).shape == (32, 3, 3)
    maps = insight.feature_maps(models["cnn"], to_mnist(seven))
    assert maps.shape == (32, 14, 14) and maps.min() >= 0  # after the first ReLU
    assert insight.feature_maps(models["mlp"], to_mnist(seven)) is None
    tiles = insight.weight_tiles(insight.first_layer_images(models["cnn"])[:4])
    assert all(t.shape == (insight.TILE, insight.TILE, 3) for t in tiles)


def test_preprocess_strip_and_plain_resize(seven):
    strip = insight.preprocess_strip(seven)
    assert len(strip) == 4
    assert strip[0][0].shape == (300, 300)  # the 300x280 canvas, padded square for the gallery
    assert strip[3][0].shape == (140, 140)  # the 28x28 input, enlarged 5x
    assert np.array_equal(strip[3][0][::5, ::5], (to_mnist(seven) * 255).astype(np.uint8))
    assert insight.preprocess_strip(np.zeros((280, 280), np.float32)) == []
    plain = insight.plain_resize(seven)
    assert plain.shape == (28, 28) and not np.allclose(plain, to_mnist(seven))


def test_evaluate_view_matches_the_trainers_evaluate(models, mnist):
    from digitlab.predict import Predictor
    from digitlab.teach import evaluate_views

    predictor = Predictor(models["cnn"], "cnn")
    summary, per_digit, picture, gallery = evaluate_views(predictor, mnist, k=12)
    reference = evaluate(models["cnn"], mnist.test_x, mnist.test_y)
    assert f"{reference['accuracy']:.2%}" in summary
    assert per_digit["test digits"].sum() == 10_000
    expected = [round(100 * a, 2) for a in reference["per_class"]]
    assert per_digit["accuracy %"].tolist() == pytest.approx(expected, abs=0.01)
    assert len(gallery) == 12 and all("→ predicted" in caption for _, caption in gallery)


def test_inside_view_preprocessing_switch_changes_the_models_input(models, seven):
    from digitlab.predict import Predictor
    from digitlab.teach import first_layer_gallery, inside_views

    predictor = Predictor(models["cnn"], "cnn")
    on = inside_views(seven, predictor, preprocessing=True)
    off = inside_views(seven, predictor, preprocessing=False)
    assert len(on[0]) == 4 and len(off[0]) == 2
    assert "preprocessing OFF" in off[1] and "OFF" not in on[1]
    assert on[2].shape == off[2].shape == (*seven.shape, 3)
    assert len(on[3]) == 32  # CNN feature maps
    empty = inside_views(None, predictor)
    assert empty[0] == [] and empty[2] is None and empty[3] == []
    assert [caption for _, caption in first_layer_gallery(predictor)][:2] == [
        "filter 0",
        "filter 1",
    ]
    assert len(first_layer_gallery(Predictor(models["mlp"]))) == 32  # of 512 units
