import re

import pytest
import torch

from digitlab.config import ConfigError, TrainConfig, parse_sizes, resolve_device
from digitlab.models import build_model
from digitlab.words import localize


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"lr": 0}, "learning rate"),
        ({"lr": -1e-3}, "learning rate"),
        ({"lr": float("nan")}, "learning rate"),
        ({"epochs": 0}, "epochs"),
        ({"epochs": 2.5}, "epochs"),
        ({"batch_size": 0}, "batch size"),
        ({"batch_size": 60_001}, "batch size"),
        ({"batch_size": 600, "subset": 500}, "larger than the training set"),
        ({"optimizer": "adagrad"}, "optimizer"),
        ({"model": "transformer"}, "model"),
        ({"activation": "gelu"}, "activation"),
        ({"schedule": "exponential"}, "schedule"),
        ({"dropout": 1.0}, "dropout"),
        ({"dropout": -0.1}, "dropout"),
        ({"label_smoothing": 1.0}, "label smoothing"),
        ({"label_smoothing": float("nan")}, "label smoothing"),
        ({"weight_decay": -1}, "weight decay"),
        ({"subset": 5}, "training-set size"),
        ({"channels": ()}, "CNN channels"),
        ({"channels": (8, 8, 8, 8)}, "CNN channels"),
        ({"hidden": (0,)}, "MLP hidden sizes"),
        ({"hidden": (16,) * 9}, "9 layers is too deep; at most 8 hidden layers"),
        (
            {"model": "mlp", "hidden": (4096, 4096)},
            "20,037,642 parameters, more than the 4,000,000 allowed",
        ),
        ({"seed": -1}, "seed"),
        ({"device": "tpu"}, "device"),
        ({"precision": "fp16"}, "precision"),
        ({"train_data": "pen"}, "training data: 'pen' is not one of mnist, mnist\\+pen"),
        ({"lr": "fast"}, "learning rate"),
        ({"epochs": True}, "epochs"),
    ],
)
def test_bad_settings_raise_a_clear_error(settings, message):
    with pytest.raises(ConfigError, match=message) as raised:
        TrainConfig(**settings)
    # The same message in Chinese names the setting in Chinese and keeps the values.
    chinese = localize(raised.value, "zh")
    assert chinese != str(raised.value) and re.search(r"[\u4e00-\u9fff]", chinese), chinese


@pytest.mark.parametrize(
    ("text", "sizes"),
    [
        ("256-128", (256, 128)),
        ("256,128", (256, 128)),
        ("256 128", (256, 128)),
        (" 64, 32 ", (64, 32)),
        ("256 - 128", (256, 128)),
        ("64,", (64,)),
        ("", ()),
        (None, ()),
    ],
)
def test_parse_sizes_reads_every_way_of_writing_layer_sizes(text, sizes):
    assert parse_sizes(text) == sizes


@pytest.mark.parametrize("text", ["256,abc", "-5", "5-", "1--2", "²", "1.5", [64, 32], 64])
def test_parse_sizes_refuses_anything_else_naming_the_setting(text):
    with pytest.raises(ConfigError, match="^MLP hidden sizes: write whole numbers") as raised:
        parse_sizes(text)
    assert localize(raised.value, "zh").startswith("MLP 隐藏层大小：")
    with pytest.raises(ConfigError, match="^CNN channels: "):
        parse_sizes(text, "channels")


def test_parse_sizes_refuses_numbers_too_long_to_read():
    with pytest.raises(ConfigError, match="sizes are far too large"):
        parse_sizes("9" * 5000)


def test_the_parameter_count_is_the_built_models():
    for cfg in (
        TrainConfig(),
        TrainConfig(model="mlp"),
        TrainConfig(model="cnn", batch_norm=False),
    ):
        assert cfg.parameters() == sum(p.numel() for p in build_model(cfg).parameters())


def test_cuda_asked_for_without_gpu_is_explained():
    if torch.cuda.is_available():
        pytest.skip("this machine has a GPU")
    with pytest.raises(ConfigError, match="no CUDA GPU"):
        TrainConfig(device="cuda")


def test_defaults_are_valid_and_frozen():
    cfg = TrainConfig()
    with pytest.raises(AttributeError):
        cfg.lr = 1.0  # type: ignore[misc]
    assert cfg.total_steps == cfg.epochs * (60_000 // cfg.batch_size)


def test_dict_round_trip_and_unknown_keys():
    cfg = TrainConfig(model="mlp", hidden=[64, 32], subset=1000, augment=True)
    assert cfg.hidden == (64, 32)
    assert TrainConfig.from_dict(cfg.to_dict()) == cfg
    with pytest.raises(ConfigError, match="unknown setting"):
        TrainConfig.from_dict({**cfg.to_dict(), "learning_rate": 0.1})


def test_max_steps_caps_total_steps_and_label_names_the_run():
    cfg = TrainConfig(
        model="mlp", hidden=(128, 64), lr=0.1, epochs=2, subset=1000, batch_size=256, max_steps=3
    )
    assert cfg.total_steps == 3
    assert cfg.label() == "MLP 128-64 · adam lr 0.1 · 2 ep · 1000 imgs"
    assert TrainConfig().label() == "CNN 2x2 16-32 fc128 · adam lr 0.02 · 3 ep"
    assert TrainConfig(channels=(8,), patch=1, dense=()).label().startswith("CNN 8 · ")


def test_device_choice():
    assert resolve_device("cpu") == torch.device("cpu")
    expected = "cuda" if torch.cuda.is_available() else "cpu"
    assert resolve_device("auto").type == expected


def test_a_saved_config_from_before_patches_and_dense_layers_rebuilds_its_model():
    saved = TrainConfig(channels=(8, 16)).to_dict()
    del saved["patch"], saved["dense"]  # as checkpoints saved before these fields existed
    cfg = TrainConfig.from_dict(saved)
    assert (cfg.patch, cfg.dense) == (1, ())
    assert TrainConfig.from_dict(TrainConfig().to_dict()) == TrainConfig()  # new ones keep theirs


def test_a_saved_config_from_before_label_smoothing_was_trained_without_it():
    saved = TrainConfig().to_dict()
    del saved["label_smoothing"]  # as the shipped checkpoints, saved before the field existed
    assert TrainConfig.from_dict(saved).label_smoothing == 0.0
    assert TrainConfig().label_smoothing > 0  # the default run smooths


@pytest.mark.parametrize(
    "changes, field",
    [({"patch": 3}, "patch"), ({"patch": 0}, "patch"), ({"dense": (0,)}, "dense")],
)
def test_patch_and_dense_out_of_range_are_refused_by_name(changes, field):
    with pytest.raises(ConfigError, match=field):
        TrainConfig(**changes)
