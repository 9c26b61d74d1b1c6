import threading

import numpy as np
import pytest

from digitlab.config import TrainConfig
from digitlab.training.checkpoint import SHIPPED, load_predictor, save_checkpoint
from digitlab.training.trainer import train


@pytest.fixture(scope="module")
def predictor(mnist, tmp_path_factory):
    cfg = TrainConfig(model="mlp", subset=5000, epochs=2, batch_size=256, seed=0)
    done = list(train(cfg, mnist))[-1]
    path = save_checkpoint(
        tmp_path_factory.mktemp("ckpt") / "mlp.pt", done.model, cfg, done.metrics
    )
    return load_predictor(path)


def _canvas(digit28: np.ndarray) -> np.ndarray:
    """A 280x280 RGBA canvas as the app's Sketchpad delivers it: black ink in the alpha channel."""
    big = np.kron(digit28, np.ones((10, 10), dtype=np.uint8))
    rgba = np.zeros((280, 280, 4), dtype=np.uint8)
    rgba[..., 3] = big
    return rgba


def test_probabilities_sum_to_one(predictor, mnist):
    probs = predictor.probabilities(mnist.test_x[:32].numpy() / 255.0)
    assert probs.shape == (32, 10)
    np.testing.assert_allclose(probs.sum(1), 1.0, atol=1e-5)


def test_drawn_canvas_digits_are_recognised(predictor, mnist):
    hits = [
        predictor.predict(_canvas(mnist.test_x[i].numpy())).digit == mnist.test_y[i].item()
        for i in range(100)
    ]
    assert sum(hits) >= 85


def test_empty_canvas_gives_none(predictor):
    assert predictor.predict(np.zeros((280, 280, 4), dtype=np.uint8)) is None


def test_batch_equals_one_by_one(predictor, mnist):
    images = mnist.test_x[:16].numpy() / 255.0
    batch = predictor.probabilities(images)
    single = np.stack([predictor.probabilities(img)[0] for img in images])
    np.testing.assert_allclose(batch, single, atol=1e-5)


def test_thread_safe_under_concurrent_calls(predictor, mnist):
    images = mnist.test_x[:40].numpy() / 255.0
    expected = predictor.probabilities(images).argmax(1)
    results, errors = {}, []

    def work(i):
        try:
            for _ in range(5):
                results[i] = predictor.probabilities(images[i])[0].argmax()
        except Exception as error:  # surfaced below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert [results[i] for i in range(40)] == expected.tolist()


@pytest.mark.parametrize("name", ["cnn", "mlp"])
def test_shipped_checkpoints_load_and_predict(name, mnist):
    if not SHIPPED[name].exists():
        pytest.fail(f"shipped checkpoint {SHIPPED[name]} is missing")
    predictor = load_predictor(SHIPPED[name])
    probs = predictor.probabilities(mnist.test_x[:500].numpy() / 255.0)
    assert (probs.argmax(1) == mnist.test_y[:500].numpy()).mean() > 0.97
    assert SHIPPED[name].stat().st_size < 5 * 2**20
