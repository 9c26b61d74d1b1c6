"""Data from more people: a "mnist+pen" run trains on MNIST and the pen digits of writers 1-20,
says so in its metrics, resumes, and is refused by the script export; the Evaluate tab judges
any model on writers 21-30 with the numbers the Predictor gives.

The pen digits ship with the package, so none of this needs the real MNIST: runs train on
`digits` (MNIST, or the tests' stand-in without it).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import torch

from digitlab import cli
from digitlab.config import TrainConfig
from digitlab.training import pen_data
from digitlab.training.checkpoint import load_checkpoint
from digitlab.training.events import Done
from digitlab.training.export import ExportError, export_script
from digitlab.training.trainer import train
from digitlab.ui import common
from digitlab.ui.evaluate_sets import writer_list
from digitlab.ui.sessions import SessionRuns
from digitlab.words import localize

TINY = dict(model="mlp", hidden=(16,), subset=300, batch_size=50, epochs=1, max_steps=3)


def _done(cfg: TrainConfig, data) -> Done:
    return next(e for e in train(cfg, data) if isinstance(e, Done))


def test_a_pen_run_trains_on_mnist_and_writers_1_to_20_and_says_so(digits):
    mnist = _done(TrainConfig(**TINY), digits)
    pen = _done(TrainConfig(**TINY, train_data="mnist+pen"), digits)
    images, labels = pen_data.pen_digits()
    share = round(len(images) * 300 / 60_000)  # a subset takes the same share of the pen digits
    assert mnist.metrics["train_images"] == 300 and mnist.metrics["pen_writers"] == []
    assert pen.metrics["train_images"] == 300 + share
    assert pen.metrics["pen_writers"] == list(range(1, 21))
    assert pen.metrics["steps"] == mnist.metrics["steps"] == 3  # an epoch is still MNIST's
    assert pen.config.label().endswith("· +pen") and "+pen" not in mnist.config.label()


def test_the_training_set_is_mnist_then_the_pen_digits(digits):
    cfg = TrainConfig(**TINY, train_data="mnist+pen")
    x, y = pen_data.training_set(digits, cfg, torch.device("cpu"))
    mnist_x, _ = pen_data.training_set(digits, dataclasses.replace(cfg, train_data="mnist"), "cpu")
    assert len(x) == pen_data.image_count(cfg) == len(y)  # what checkpoint.py checks against
    assert torch.equal(x[:300], mnist_x)  # the same MNIST subset as without the pen digits
    images, labels = pen_data.pen_digits()
    extra = x[300:].numpy()
    # Each added image is one of the pen digits, with its own label, none twice.
    index = {images[i].tobytes(): i for i in range(len(images))}
    found = [index[image.tobytes()] for image in extra]
    assert len(set(found)) == len(found) and np.array_equal(labels[found], y[300:].numpy())
    whole = dataclasses.replace(cfg, subset=None)
    assert pen_data.image_count(whole) == 60_000 + len(images)  # no subset: all of them


def test_a_pen_run_resumes_from_its_checkpoint_on_the_command_line(digits_dir, tmp_path, capsys):
    path = tmp_path / "pen.pt"
    argv = ["train", "--model", "mlp", "--hidden", "16", "--subset", "500", "--batch-size", "50"]
    argv += ["--train-data", "mnist+pen", "--epochs", "1", "--data", str(digits_dir)]
    assert cli.main([*argv, "--out", str(path)]) == 0
    assert "on 500 MNIST images and 83 pen digits by writers 1-20" in capsys.readouterr().out
    more = ["train", "--resume", str(path), "--epochs", "1", "--data", str(digits_dir)]
    assert cli.main([*more, "--out", str(path)]) == 0, capsys.readouterr()
    resumed = load_checkpoint(path)  # its batch order covers MNIST's 500 and the 83 pen digits
    assert resumed.config.train_data == "mnist+pen" and resumed.metrics["steps"] == 20
    assert resumed.metrics["pen_writers"] == list(range(1, 21))
    refused = cli.main([*more, "--train-data", "mnist", "--out", str(path)])
    assert (
        refused == cli.USER_ERROR and "--train-data: not with --resume" in capsys.readouterr().err
    )


def test_a_pen_run_is_not_exported_as_an_mnist_only_script():
    with pytest.raises(ExportError) as refused:
        export_script(TrainConfig(**TINY, train_data="mnist+pen"))
    assert "pen digits" in str(refused.value) and "笔写数字" in localize(refused.value, "zh")
    assert "def main()" in export_script(TrainConfig(**TINY))  # MNIST only: exported


def test_older_checkpoints_trained_on_mnist_only_and_saw_no_pen_writer():
    saved = TrainConfig().to_dict()
    del saved["train_data"]  # as checkpoints saved before the setting existed
    assert TrainConfig.from_dict(saved).train_data == "mnist"
    assert pen_data.held_out_writers_seen({}) == []
    assert pen_data.held_out_writers_seen({"pen_writers": list(range(1, 21))}) == []
    assert pen_data.held_out_writers_seen({"pen_writers": list(range(1, 31))}) == list(
        range(21, 31)
    )
    assert writer_list(list(range(21, 31))) == "21-30" and writer_list([3, 5, 6, 7]) == "3, 5-7"


@pytest.fixture(scope="module")
def tab(app_module):
    return app_module.evaluate


def test_evaluate_on_the_pen_writers_gives_the_predictors_numbers(tab, shipped):
    name = common.SHIPPED.names()[0]
    out = tab.evaluate(name, None, "pen")
    x, y, writers = pen_data.held_out()
    assert set(writers.tolist()) == set(pen_data.HELD_OUT)
    # Directly: the Predictor's own probabilities, argmax, counted by hand.
    predicted = common.SHIPPED.get(name).probabilities(x).argmax(1)
    truth = y.numpy()
    right = predicted == truth
    summary = out[tab.summary]
    assert f"accuracy **{right.mean():.2%}** on {len(truth):,} digits written by 10" in summary
    per_digit = out[tab.per_digit]
    assert per_digit["test digits"].tolist() == np.bincount(truth, minlength=10).tolist()
    by_digit = [100 * right[truth == d].mean() for d in range(10)]
    assert per_digit["accuracy %"].tolist() == pytest.approx(by_digit, abs=0.01)
    for w in pen_data.HELD_OUT:
        assert f"{w}: {right[writers.numpy() == w].mean():.0%}" in summary
    captions = [caption for _, caption in out[tab.mistakes]]
    wrong = int((~right).sum())
    assert len(captions) == min(24, wrong) and all("→ predicted" in c for c in captions)
    mnist = tab.evaluate(name, None)[tab.summary]  # the MNIST test set stays the default
    assert "test accuracy" in mnist and "written by 10" not in mnist


def test_the_pen_result_says_whom_the_model_trained_on(tab, digits):
    runs = SessionRuns()
    try:
        done = _done(TrainConfig(**TINY, train_data="mnist+pen"), digits)
        runs.add(done, [], [])
        saw_all = dataclasses.replace(
            done, metrics={**done.metrics, "pen_writers": [*range(1, 31)]}
        )
        runs.add(saw_all, [], [])
        first, second = (r.name for r in runs.records)
        one = tab.evaluate(first, runs, "pen")[tab.summary]
        assert "trained on MNIST and the pen digits of writers 1-20" in one
        assert "saw these writers" not in one
        both = tab.evaluate(second, runs, "pen", "zh")[tab.summary]
        assert both.startswith("⚠️ 这个模型训练时见过这些书写者（第 21-30 位）")
    finally:
        runs.cleanup()
