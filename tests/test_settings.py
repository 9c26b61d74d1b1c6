"""The Train settings table: every setting reaches the config, by name, and bad values are
refused with a message that names the setting."""

from __future__ import annotations

import dataclasses

import pytest

from digitlab.config import ConfigError, TrainConfig
from digitlab.training.parts import eval_steps
from digitlab.training.settings import (
    BY_NAME,
    NAMES,
    RECIPES,
    SETTINGS,
    config_from,
    defaults,
    recipe,
)
from digitlab.words import localize

# A value for each setting that differs from its default, and the TrainConfig field it sets.
CHANGED = {
    "model": ("MLP", "model", "mlp"),
    "hidden": ("64-32", "hidden", (64, 32)),
    "activation": ("tanh", "activation", "tanh"),
    "channels": ("8 16", "channels", (8, 16)),
    "patch": (False, "patch", 1),
    "dense": ("", "dense", ()),
    "batch_norm": (False, "batch_norm", False),
    "lr": (0.1, "lr", 0.1),
    "epochs": (5, "epochs", 5),
    "subset": (3_000, "subset", 3_000),
    "train_data": ("mnist+pen", "train_data", "mnist+pen"),
    "batch_size": (64, "batch_size", 64),
    "optimizer": ("sgd", "optimizer", "sgd"),
    "weight_decay": (1e-4, "weight_decay", 1e-4),
    "dropout": (0.25, "dropout", 0.25),
    "label_smoothing": (0.1, "label_smoothing", 0.1),
    "momentum": (0.8, "momentum", 0.8),
    "schedule": ("constant", "schedule", "constant"),
    "augment": ("strong", "augment", "strong"),
    "seed": (7, "seed", 7),
}


def test_every_setting_is_tested_here():
    assert set(CHANGED) == set(BY_NAME)


@pytest.mark.parametrize("name", sorted(CHANGED))
def test_every_setting_reaches_the_config(name):
    value, field, expected = CHANGED[name]
    before, after = config_from({}), config_from({name: value})
    assert getattr(after, field) == expected
    assert getattr(before, field) != expected  # it changed something
    changed = {
        f.name for f in dataclasses.fields(TrainConfig)
        if getattr(before, f.name) != getattr(after, f.name)
    }  # fmt: skip
    # And nothing else; a model brings its default run (settings.RECIPES).
    recipe_fields = {BY_NAME[n].field or n for n in RECIPES["mlp"]} if name == "model" else set()
    assert changed <= {field, "evals_per_epoch", *recipe_fields}, changed


def test_defaults_build_the_default_run():
    cfg = config_from(defaults())
    assert cfg.model == TrainConfig().model and cfg.lr == TrainConfig().lr
    assert cfg.subset is None and cfg.total_steps > 0  # all 60,000 images


def test_each_model_has_its_own_default_run():
    cnn, mlp = config_from({"model": "CNN"}), config_from({"model": "MLP"})
    assert cnn.lr == TrainConfig().lr and cnn.epochs == TrainConfig().epochs
    assert (mlp.epochs, mlp.batch_size, mlp.lr) == (4, 512, 0.01)
    assert config_from({"model": "mlp", "epochs": 1}).epochs == 1  # a given setting wins
    assert set(recipe("mlp")) == set(NAMES) and recipe("cnn") == {**defaults(), "model": "CNN"}
    with pytest.raises(ConfigError):
        config_from({"model": "rnn"})


@pytest.mark.parametrize("epochs", [1, 2, 3, 4, 5, 8, 40])
def test_a_run_draws_enough_accuracy_points_to_watch(epochs):
    """~8 test evaluations a run (6 in the default 3-epoch runs; the curve starts with one
    more), and one an epoch at least, not one a step."""
    cfg = config_from({"model": "CNN", "epochs": epochs})
    points = len(eval_steps(cfg, cfg.total_steps))
    assert (6 if epochs <= 4 else epochs) <= points <= max(10, epochs), points


@pytest.mark.parametrize("per_epoch, n", [(117, 2), (117, 10), (469, 3), (5, 10)])
def test_evaluations_are_evenly_spaced_and_end_each_epoch(per_epoch, n):
    cfg = TrainConfig(subset=64 * per_epoch, batch_size=64, epochs=2, evals_per_epoch=n)
    steps = sorted(eval_steps(cfg, cfg.total_steps))
    gaps = [b - a for a, b in zip([0, *steps], steps, strict=False)]
    assert {per_epoch, 2 * per_epoch} <= set(steps) and len(steps) == 2 * min(n, per_epoch)
    assert max(gaps) - min(gaps) <= 1, gaps  # not 58, 116, 117 (a wasted evaluation)


def test_picking_a_model_fills_in_its_run(app_module):
    tab = app_module.train.settings
    filled = {c.elem_id: v for c, v in tab.model_recipe("MLP").items()}
    assert filled == {"dl-lr": 0.01, "dl-lr-slider": -2.0, "dl-epochs": 4}
    back = {c.elem_id: v for c, v in tab.model_recipe("CNN").items()}
    assert back["dl-epochs"] == TrainConfig().epochs == 3 and back["dl-lr"] == 0.02


@pytest.mark.parametrize("text", ["256-128", "256,128", "256 128", " 256, 128 ", "256 - 128"])
def test_one_parser_reads_every_way_of_writing_layer_sizes(text):
    assert config_from({"hidden": text}).hidden == (256, 128)


@pytest.mark.parametrize(
    ("values", "words"),
    [
        ({"hidden": "64, lots"}, "MLP hidden sizes"),
        ({"lr": 31.6}, "learning rate"),
        ({"epochs": 2.5}, "epochs"),
        ({"nonsense": 1}, "nonsense"),
    ],
)
def test_bad_values_name_the_setting(values, words):
    with pytest.raises(ConfigError) as error:
        config_from(values)
    assert words in str(error.value)
    assert localize(error.value, "zh") != str(error.value)  # translated too


def test_table_is_well_formed():
    for setting in SETTINGS:
        assert setting.kind in ("radio", "dropdown", "slider", "checkbox", "number", "text")
        assert str(setting.label)  # every label has a text
        if setting.kind in ("radio", "dropdown"):
            assert setting.default in setting.choices, setting.name


@pytest.mark.parametrize(("optimizer", "read"), [
    ("momentum", lambda group: group["momentum"]),
    ("adam", lambda group: group["betas"][0]),
    ("adamw", lambda group: group["betas"][0]),
])  # fmt: skip
def test_momentum_setting_reaches_the_optimizer(optimizer, read):
    from digitlab.models import build_model
    from digitlab.training.parts import make_optimizer

    cfg = config_from({"optimizer": optimizer, "momentum": 0.8, "model": "MLP"})
    built = make_optimizer(cfg, build_model(cfg))
    assert read(built.param_groups[0]) == pytest.approx(0.8)
