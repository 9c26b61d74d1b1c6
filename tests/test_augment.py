"""Augmentation levels: off / light / strong, from the config, the Train tab and the live knob
down to the batch transform."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from digitlab.config import AUGMENTS, ConfigError, TrainConfig
from digitlab.data import augment
from digitlab.training.settings import BY_NAME, config_from
from digitlab.training.steering import LiveSettings


def test_old_switch_values_still_load_as_levels():
    assert AUGMENTS == ("off", "light", "strong")
    assert TrainConfig(augment=True).augment == "light"
    assert TrainConfig(augment=False).augment == "off"
    assert TrainConfig().augment == "off"
    # A checkpoint written before the levels stores the switch: it loads as what it trained with.
    old = {**TrainConfig(model="mlp").to_dict(), "augment": True}
    assert TrainConfig.from_dict(old).augment == "light"
    assert TrainConfig.from_dict(TrainConfig(augment="strong").to_dict()).augment == "strong"


@pytest.mark.parametrize("value", ["medium", "", None, 1, 0.5])
def test_unknown_levels_are_refused_naming_the_setting(value):
    with pytest.raises(ConfigError, match="augment"):
        TrainConfig(augment=value)


def test_label_says_which_level():
    labels = {level: TrainConfig(augment=level).label() for level in AUGMENTS}
    assert "aug" not in labels["off"]
    assert labels["light"].endswith(" · aug") and labels["strong"].endswith(" · aug+")


def test_train_tab_offers_the_three_levels():
    setting = BY_NAME["augment"]
    assert setting.kind == "radio" and tuple(setting.choices) == AUGMENTS
    assert setting.default == "off"
    assert config_from({"augment": "Strong"}).augment == "strong"
    with pytest.raises(ConfigError, match="augment"):
        config_from({"augment": "max"})


def test_live_knob_takes_the_levels_and_the_old_switch_values():
    steering = LiveSettings(TrainConfig(model="mlp", hidden=(16,)))
    assert steering.values()["augment"] == "off"
    steering.change(augment="strong")
    assert steering.take()[0] == {"augment": "strong"}
    steering.change(augment=True)  # as a checkbox would send it
    assert steering.take()[0] == {"augment": "light"} and steering.values()["augment"] == "light"
    for bad in ("heavy", 2, None):
        with pytest.raises(ConfigError, match="augment"):
            steering.change(augment=bad)
    assert steering.take() == ({}, 0)


def _ink_thickness(images: torch.Tensor) -> torch.Tensor:
    """Ink per image over its skeleton-ish length (pixels over 0.5): a stroke-width proxy."""
    return images.sum((1, 2)) / (images > 0.5).sum((1, 2)).clamp(min=1)


def test_off_only_converts_and_draws_nothing(mnist):
    x = mnist.train_x[:64]
    g = torch.Generator().manual_seed(0)
    state = g.get_state()
    assert torch.equal(augment(x, g, strength="off"), x.float() / 255)
    assert torch.equal(g.get_state(), state)  # an "off" run keeps the batch order of old runs
    assert torch.equal(augment(x, torch.Generator().manual_seed(0)), augment(
        x, torch.Generator().manual_seed(0), strength="light"
    ))  # fmt: skip


def test_strong_varies_more_than_light_but_keeps_the_digit(mnist):
    x = mnist.test_x[:512]
    base = (x.float() / 255).flatten(1)
    out = {
        level: augment(x, torch.Generator().manual_seed(1), strength=level)
        for level in ("light", "strong")
    }
    similarity = {
        level: F.cosine_similarity(img.flatten(1), base, dim=1) for level, img in out.items()
    }
    assert similarity["strong"].median() < similarity["light"].median()  # it changes more...
    assert similarity["strong"].median() > 0.5  # ...and the ink stays where the digit is
    strong = out["strong"]
    assert strong.shape == (512, 28, 28) and strong.dtype == torch.float32
    assert strong.min() >= 0 and strong.max() <= 1
    # Thicker and thinner strokes than light gives: a wider spread of stroke widths.
    spread = {level: _ink_thickness(img).std() for level, img in out.items()}
    assert spread["strong"] > 1.2 * spread["light"]
    assert torch.equal(strong, augment(x, torch.Generator().manual_seed(1), strength="strong"))


def test_strong_slants_upright_strokes(mnist):
    # A vertical bar: strong's slant and rotation lean it both ways, more than light's rotation.
    bar = torch.zeros(256, 28, 28, dtype=torch.uint8)
    bar[:, 4:24, 13:15] = 255
    cols = torch.arange(28.0)

    def lean(images: torch.Tensor) -> torch.Tensor:
        top, bottom = images[:, 6:10].sum(1), images[:, 18:22].sum(1)  # (B, 28) column ink
        centre = lambda ink: (ink * cols).sum(1) / ink.sum(1).clamp(min=1e-6)  # noqa: E731
        return centre(top) - centre(bottom)

    light = lean(augment(bar, torch.Generator().manual_seed(2), strength="light"))
    strong = lean(augment(bar, torch.Generator().manual_seed(2), strength="strong"))
    assert strong.abs().max() > 4 and (strong > 2).any() and (strong < -2).any()
    assert strong.abs().mean() > 1.2 * light.abs().mean()
