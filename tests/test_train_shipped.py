"""The shipped checkpoints' recipe: extra canvas digits join MNIST, DigitLab's trainer runs."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from benchmarks import train_shipped
from digitlab.evaluate import evaluate
from digitlab.training.checkpoint import load_checkpoint


def test_redrawn_digits_keep_their_labels_and_look_drawn(mnist):
    digits = mnist.train_x[:40].numpy()
    images, pick = train_shipped.redrawn_images(digits, seed=0, n=12)
    assert images.shape == (12, 28, 28) and images.dtype == np.uint8
    assert set(pick) <= set(range(40))
    for image in images:  # to_mnist's frame: the longer side fits 20 px
        rows, cols = np.flatnonzero(image.any(1)), np.flatnonzero(image.any(0))
        assert 17 <= max(np.ptp(rows), np.ptp(cols)) + 1 <= 20
    again, _ = train_shipped.redrawn_images(digits, seed=0, n=12)
    np.testing.assert_array_equal(images, again)


def test_recipe_trains_on_mnist_and_the_extra_digits(mnist, mnist_dir, tmp_path, capsys):
    out, cache = tmp_path / "m.pt", tmp_path / "cache"
    argv = [
        "--styled", "30", "--redrawn", "20", "--data-seed", "5", "--cache", str(cache),
        "--data", str(mnist_dir), "--model", "mlp", "--hidden", "32", "--augment", "strong",
        "--max-steps", "5", "--batch-size", "64", "--out", str(out),
    ]  # fmt: skip
    train_shipped.main(argv)
    text = capsys.readouterr().out
    assert "60,050 images (30 styled, 20 redrawn)" in text and "test accuracy" in text
    assert sorted(p.name for p in cache.iterdir()) == [
        "redrawn-20-seed5.npz", "styled-30-seed5.npz",
    ]  # fmt: skip
    ckpt = load_checkpoint(out)
    assert ckpt.config.augment == "strong" and ckpt.config.hidden == (32,)
    assert ckpt.metrics["steps"] == 5
    train_shipped.main(argv)  # cached: nothing is drawn again
    assert "drew" not in capsys.readouterr().out


def test_blend_mixes_weights_and_keeps_counters():
    from digitlab.models import MLP

    torch.manual_seed(0)
    start, tuned = MLP((8,)), MLP((8,))
    mixed = train_shipped.blend(start, tuned, 0.25)
    for key, value in mixed.state_dict().items():
        expected = 0.75 * start.state_dict()[key] + 0.25 * tuned.state_dict()[key]
        torch.testing.assert_close(value, expected)
    assert mixed is not tuned and mixed is not start


def test_fine_tune_and_blend_back(mnist, mnist_dir, tmp_path, capsys):
    base, out = tmp_path / "base.pt", tmp_path / "tuned.pt"
    common = [
        "--data", str(mnist_dir), "--model", "mlp", "--hidden", "32", "--batch-size", "64",
        "--max-steps", "30", "--cache", str(tmp_path / "cache"),
    ]  # fmt: skip
    train_shipped.main([*common, "--out", str(base)])
    train_shipped.main([*common, "--init", str(base), "--blend", "0.5", "--out", str(out)])
    text = capsys.readouterr().out
    assert "starting from the weights of" in text and "blended 0.5" in text
    before, after = load_checkpoint(base), load_checkpoint(out)
    assert after.metrics["blend"] == 0.5
    # The saved metrics are the blended model's own, measured again.
    x, y = mnist.test_x, mnist.test_y
    measured = evaluate(after.model, x, y)["accuracy"]
    assert abs(after.metrics["test_accuracy"] - measured) < 1e-6
    assert before.metrics["test_accuracy"] != after.metrics["test_accuracy"]
    with pytest.raises(SystemExit):
        train_shipped.main([*common, "--blend", "0.5", "--out", str(out)])  # nothing to blend
