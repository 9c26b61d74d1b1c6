"""Temperature scaling, the reliability diagram's numbers, and the ink check that says "not sure"
to a dot, a dash, a blob or a scribble but not to real digits."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from PIL import Image, ImageDraw

from digitlab import calibrate as command
from digitlab.inference import calibration
from digitlab.inference.calibration import (
    calibrate,
    fit_temperature,
    reliability,
    softmax,
)
from digitlab.inference.ood import doubt
from digitlab.inference.predict import Predictor, stored_temperature
from digitlab.inference.preprocess import steps
from digitlab.training.checkpoint import SHIPPED, load_checkpoint, load_predictor, save_checkpoint


def synthetic(temperature: float, n: int = 20_000, seed: int = 0):
    """Logits whose labels are drawn from softmax(logits / temperature): that T is the truth."""
    rng = np.random.default_rng(seed)
    logits = torch.from_numpy(rng.normal(0, 4, (n, 10)))
    probs = softmax(logits, temperature)
    labels = torch.from_numpy((probs.cumsum(1) > rng.random((n, 1))).argmax(1))
    return logits, labels


@pytest.mark.parametrize("truth", [0.5, 1.0, 2.5])
def test_fit_temperature_finds_the_temperature_the_labels_were_drawn_with(truth):
    logits, labels = synthetic(truth)
    assert fit_temperature(logits, labels) == pytest.approx(truth, rel=0.06)


def test_ece_is_small_when_calibrated_and_large_when_over_confident():
    logits, labels = synthetic(2.0)
    right = reliability(softmax(logits, 2.0), labels.numpy())
    over = reliability(softmax(logits, 1.0), labels.numpy())  # sharper than the truth
    assert right.ece < 0.01 < 0.05 < over.ece
    assert right.count.sum() == len(labels) and len(right.count) == calibration.BINS
    # An over-confident model is right less often than it says, in every busy bin.
    busy = over.count > 200
    assert (over.accuracy[busy] <= over.confidence[busy] + 0.01).all()


def test_ece_by_hand():
    # Two bins used: 0.95 (right, right) and 0.55 (right, wrong): |1 - .95| and |.5 - .55|.
    probs = np.zeros((4, 10))
    probs[:, 0] = [0.95, 0.95, 0.55, 0.55]
    probs[:, 1] = 1 - probs[:, 0]
    found = reliability(probs, np.array([0, 0, 0, 1]))
    assert found.ece == pytest.approx(0.5 * 0.05 + 0.5 * 0.05)


def test_temperature_is_stored_with_the_checkpoint_and_read_by_the_predictor(
    tmp_path, mnist, mnist_dir
):
    ckpt = load_checkpoint(SHIPPED["mlp"])
    metrics = {k: v for k, v in ckpt.metrics.items() if k != "temperature"}  # shipped: has T
    path = save_checkpoint(tmp_path / "mlp.pt", ckpt.model, ckpt.config, metrics)
    assert "temperature" not in load_checkpoint(path).metrics  # (the copy has none yet)
    found = command.add_temperature(path, str(mnist_dir))
    again = load_checkpoint(path)
    assert again.metrics["temperature"] == pytest.approx(found.temperature)
    assert {k: v for k, v in again.metrics.items() if k != "temperature"} == metrics
    predictor = load_predictor(path)
    assert predictor.temperature == found.temperature
    x = mnist.test_x[:50]
    scaled = torch.softmax(predictor.logits(x) / found.temperature, 1).numpy()
    np.testing.assert_allclose(predictor.probabilities(x), scaled, atol=1e-6)
    plain = predictor.probabilities(x, calibrated=False)
    assert (plain.argmax(1) == scaled.argmax(1)).all()  # T never changes an answer


def test_a_checkpoint_without_temperature_gets_one_fitted_once(mnist):
    predictor = Predictor(load_checkpoint(SHIPPED["mlp"]).model)
    expected = fit_temperature(predictor.logits(mnist.test_x[:5000]), mnist.test_y[:5000])
    assert predictor.temperature == pytest.approx(expected)
    assert predictor._temperature is not None  # cached


@pytest.mark.parametrize("value", [None, 0, -1.0, float("nan"), float("inf"), "2", True])
def test_unusable_stored_temperatures_are_ignored(value):
    assert stored_temperature({"temperature": value}) is None
    assert stored_temperature({"temperature": 1.3}) == 1.3


@pytest.mark.parametrize("kind", ["cnn", "mlp"])
def test_shipped_models_are_calibrated_on_held_out_digits(kind, mnist):
    found = calibrate(Predictor(load_checkpoint(SHIPPED[kind]).model), mnist.test_x, mnist.test_y)
    assert 0.5 < found.temperature < 3
    assert found.after.ece <= found.before.ece + 0.001  # fitted on 0-4999, judged on 5000-9999
    assert found.after.ece < 0.01


def test_the_command_prints_each_checkpoints_figures(capsys, mnist_dir):
    assert command.main([str(SHIPPED["mlp"]), "--data", str(mnist_dir)]) == 0
    out = capsys.readouterr().out
    assert "mlp.pt: T = " in out and "before" in out and "after" in out
    assert command.main(["/no/such.pt", "--data", str(mnist_dir)]) == 2
    assert capsys.readouterr().err.startswith("error: ")


def brush(points, width: int = 24) -> np.ndarray:
    """A 280x280 RGBA canvas with black ink along points, like the Draw tab's brush."""
    image = Image.new("RGBA", (280, 280), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    pen.line(points, fill=(0, 0, 0, 255), width=width, joint="curve")
    for x, y in (points[0], points[-1]):
        pen.ellipse([x - width / 2, y - width / 2, x + width / 2, y + width / 2], (0, 0, 0, 255))
    return np.asarray(image)


def scribble(seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return brush([tuple(p) for p in rng.uniform(50, 230, (30, 2))])


def blob(box) -> np.ndarray:
    image = Image.new("RGBA", (280, 280), (0, 0, 0, 0))
    ImageDraw.Draw(image).ellipse(box, fill=(0, 0, 0, 255))
    return np.asarray(image)


NOT_DIGITS = {
    "dot": brush([(140, 140), (140, 140)]),
    "short line": brush([(120, 150), (160, 150)]),
    "short slanted line": brush([(120, 120), (150, 150)]),
    "filled blob": blob((80, 70, 200, 190)),
    "small filled blob": blob((120, 120, 170, 160)),
    "scribble": scribble(0),
    "another scribble": scribble(1),
}


@pytest.mark.parametrize("name", sorted(NOT_DIGITS))
def test_a_dot_a_line_a_blob_and_a_scribble_are_no_digits(name):
    reason = doubt(steps(NOT_DIGITS[name]))
    small = ("dot", "short line", "short slanted line", "small filled blob")  # a big dot
    expected = "small" if name in small else "filled"
    assert reason == expected


def test_a_dot_reads_not_sure_though_the_model_is_sure(mnist):
    predictor = load_predictor(SHIPPED["cnn"])
    seen = predictor.predict(NOT_DIGITS["dot"])
    assert seen.doubt == "small"
    assert seen.confidence > 0.5  # what the model alone says: why the ink check is needed


def test_real_digits_are_almost_never_called_no_digit(mnist):
    # The MNIST test digits as they are, and the same redrawn large on a canvas with the brush.
    said = [doubt(steps(image)) for image in mnist.test_x[:3000].numpy()]
    assert sum(s is not None for s in said) / len(said) < 0.005
    canvases = [np.kron(d, np.ones((10, 10), np.uint8)) for d in mnist.test_x[3000:3300].numpy()]
    assert sum(doubt(steps(c)) is not None for c in canvases) <= 1
    seven = brush([(70, 50), (210, 50), (125, 240)])
    one = brush([(140, 40), (140, 240)])
    assert doubt(steps(seven)) is None and doubt(steps(one)) is None


def test_the_test_set_is_halved_whatever_its_size():
    from digitlab.inference.calibration import split

    assert split(10_000) == (slice(0, 5000), slice(5000, 10_000))  # MNIST's
    fit, report = split(1_000)  # the tests' stand-in: judged on its second half, not on nothing
    assert len(range(1_000)[fit]) == len(range(1_000)[report]) == 500


def test_the_reliability_diagram_joins_thin_bins_until_each_has_enough_digits():
    from digitlab.inference.calibration import MIN_BIN_DIGITS, Calibration, Reliability
    from digitlab.ui.evaluate import reliability_frame

    # A bin of 3 digits is 100% right by chance, one of 19 0%: drawn as they are, the curve
    # zig-zagged between 1 and 0. Joined, they are one point of 22 digits, 3 right.
    counts = np.array([0, 3, MIN_BIN_DIGITS - 1, MIN_BIN_DIGITS, 500, 2])
    confidence = np.array([np.nan, 0.3, 0.5, 0.7, 0.95, 1.0])
    accuracy = np.array([np.nan, 1.0, 0.0, 0.6, 0.99, 1.0])
    bins = Reliability(0.01, confidence, accuracy, counts)
    frame = reliability_frame(Calibration(1.5, bins, bins))
    drawn = frame[frame["curve"].str.startswith("before")]
    expected = [
        ((0.3 * 3 + 0.5 * 19) / 22, 3 / 22),
        (0.7, 0.6),
        ((0.95 * 500 + 2.0) / 502, (0.99 * 500 + 2) / 502),  # the top 2 join the last group
    ]
    assert np.allclose(drawn[["confidence", "accuracy"]].to_numpy(), expected)
