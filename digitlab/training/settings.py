"""The Train tab's settings, defined once: name, kind, default, range, texts, and how each value
becomes a TrainConfig field.

The tab's layout and handler arguments, the /train API's parameter names, the presets and the
benchmarks all read this table. Adding a hyperparameter = one Setting here plus its field in
TrainConfig. No Gradio here: the UI builds its components from these rows.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from digitlab.config import (
    ACTIVATIONS,
    AUGMENTS,
    OPTIMIZERS,
    SCHEDULES,
    TRAIN_DATA,
    TRAIN_SIZE,
    ConfigError,
    TrainConfig,
    parse_sizes,
)
from digitlab.words import STRINGS, Text

DEFAULTS = TrainConfig()


def whole(name: str, value: object) -> int:
    """A whole number from a control (floats like 3.0 from sliders are fine)."""
    # Checked in this order: int() of NaN or infinity raises, and of 1e300 makes a 300-digit int.
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ConfigError(Text("config.not_whole", field=name, value=value))
    if abs(value) > 2**63:
        raise ConfigError(Text("config.too_large", field=name, value=value))
    if value != int(value):
        raise ConfigError(Text("config.not_whole", field=name, value=value))
    return int(value)


def real(name: str, value: object) -> float:
    """A number from a control; NaN passes here and TrainConfig's range check refuses it."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ConfigError(Text("config.not_number", field=name, value=value))
    return float(value)


LR_RANGE = (1e-4, 10.0)  # what the learning rate box takes (the slider: its log10, -4 to 1)


def learning_rate(name: str, lr: object) -> float:
    """The learning rate as typed (0.02, 0.5, 10), within LR_RANGE."""
    if isinstance(lr, bool) or not isinstance(lr, (int, float)):
        raise ConfigError(Text("config.lr_range"))
    if not LR_RANGE[0] <= lr <= LR_RANGE[1]:  # NaN fails here too
        raise ConfigError(Text("config.lr_range"))
    return float(lr)


def lr_position(lr: float) -> float:
    """The lr slider's position (log10) for a learning rate."""
    return round(math.log10(lr), 2)


def slider_lr(position: float) -> float:
    """The learning rate at a slider position, to 2 significant digits ("0.003", not
    0.0031622...)."""
    return float(f"{10**position:.2g}")


def _subset(name: str, value: object) -> int | None:
    images = whole(name, value)
    return None if images >= TRAIN_SIZE else images


def _sizes(name: str, value: object) -> tuple[int, ...]:
    return parse_sizes(value, field=name)


def _same(name: str, value: object) -> object:
    return value


def _flag(name: str, value: object) -> bool:
    return bool(value)


def _patch(name: str, value: object) -> int:
    """The checkbox (2x2 pixel blocks or pixels), or the block size itself from an API call."""
    return (2 if value else 1) if isinstance(value, bool) else whole(name, value)


def _lower(name: str, value: object) -> object:
    return value.lower() if isinstance(value, str) else value


@dataclass(frozen=True)
class Setting:
    """One Train-tab control: what it is called, shows and accepts, and its TrainConfig field."""

    name: str  # the control's and the /train API parameter's name
    kind: str  # "radio", "dropdown", "slider", "checkbox", "number" or "text"
    default: object
    choices: tuple = ()  # radio/dropdown values (a value's text, if any: train.<name>.<value>)
    low: float = 0.0  # slider range and step
    high: float = 1.0
    step: float = 1.0
    group: str = "main"  # where it sits: "main", "mlp", "cnn" or "more" (the accordion)
    field: str = ""  # the TrainConfig field it sets (default: the same name)
    convert: Callable[[str, object], object] = _same
    text: str = ""  # its texts' key in digitlab/words/: train.<text> (default: the name)

    @property
    def label(self) -> Text:
        """The control's label."""
        return Text(f"train.{self.text or self.name}")

    def choice_texts(self) -> dict[object, Text]:
        """The choices that have a text of their own in digitlab/words, by value."""
        keys = {value: f"train.{self.text or self.name}.{value}" for value in self.choices}
        return {value: Text(key) for value, key in keys.items() if key in STRINGS}

    @property
    def info(self) -> Text | None:
        """Its help text, when it has one."""
        key = f"train.{self.text or self.name}_info"
        return Text(key) if key in STRINGS else None

    def to_config(self, value: object) -> tuple[str, object]:
        """(TrainConfig field, value) for a value of this control."""
        field = self.field or self.name
        return field, self.convert(field, value)


SUBSET_CHOICES = (300, 1_000, 3_000, 10_000, 30_000, 60_000)
BATCH_CHOICES = (16, 32, 64, 128, 256, 512)
WEIGHT_DECAY_CHOICES = (0.0, 1e-5, 1e-4, 1e-3, 1e-2)


def _text(sizes: tuple[int, ...]) -> str:
    return ", ".join(map(str, sizes))


SETTINGS = (
    Setting("model", "radio", DEFAULTS.model.upper(), ("MLP", "CNN"), convert=_lower),
    Setting("hidden", "text", _text(DEFAULTS.hidden), group="mlp", convert=_sizes),
    Setting("activation", "dropdown", DEFAULTS.activation, ACTIVATIONS, group="mlp"),
    Setting("channels", "text", _text(DEFAULTS.channels), group="cnn", convert=_sizes),
    Setting("dense", "text", _text(DEFAULTS.dense), group="cnn", convert=_sizes),
    Setting("patch", "checkbox", DEFAULTS.patch > 1, group="cnn", convert=_patch),
    Setting("batch_norm", "checkbox", DEFAULTS.batch_norm, group="cnn", convert=_flag),
    Setting("lr", "number", DEFAULTS.lr, low=LR_RANGE[0], high=LR_RANGE[1], convert=learning_rate),
    Setting("epochs", "slider", DEFAULTS.epochs, low=1, high=20, step=1, convert=whole),
    Setting("subset", "dropdown", 60_000, SUBSET_CHOICES, convert=_subset),  # all of MNIST
    Setting("train_data", "radio", DEFAULTS.train_data, TRAIN_DATA, convert=_lower),
    Setting("batch_size", "dropdown", DEFAULTS.batch_size, BATCH_CHOICES, convert=whole),
    # Radio buttons, not a dropdown: four choices, and Gradio's dropdowns are not read well by
    # screen readers (gradio #10532, #12855).
    Setting("optimizer", "radio", DEFAULTS.optimizer, OPTIMIZERS),
    Setting(
        "weight_decay", "dropdown", DEFAULTS.weight_decay, WEIGHT_DECAY_CHOICES, group="more",
        convert=real,
    ),
    Setting(
        "dropout", "slider", DEFAULTS.dropout, low=0, high=0.8, step=0.05, group="more",
        convert=real,
    ),
    Setting(
        "label_smoothing", "slider", DEFAULTS.label_smoothing, low=0, high=0.3, step=0.05,
        group="more", convert=real,
    ),
    Setting(
        "momentum", "slider", DEFAULTS.momentum, low=0, high=0.99, step=0.01, group="more",
        convert=real,
    ),
    Setting("schedule", "radio", DEFAULTS.schedule, SCHEDULES, group="more"),
    Setting("augment", "radio", DEFAULTS.augment, AUGMENTS, group="more", convert=_lower),
    Setting("seed", "number", DEFAULTS.seed, group="more", convert=whole),
)  # fmt: skip
BY_NAME = {setting.name: setting for setting in SETTINGS}
NAMES = tuple(BY_NAME)


def defaults() -> dict[str, object]:
    """Every setting's default value, by name."""
    return {setting.name: setting.default for setting in SETTINGS}


# The default run of each model, what a teacher gets by pressing Train: the settings in which
# it differs from the table's defaults (TrainConfig's, the CNN's). Choosing a model in the Train
# tab fills in its recipe. What each reaches, and the runs behind the choice:
# `python -m benchmarks.train_speed`, BENCHMARKS.md ("the default runs").
RECIPES: dict[str, dict[str, object]] = {
    "cnn": {},  # 16-32 on 2x2 patches + 128, 3 epochs at batch 512, Adam 0.02 one-cycle
    "mlp": {"epochs": 4, "lr": 0.01},  # 256-128, 4 epochs at batch 512, Adam 0.01 one-cycle
}


def recipe(model: str) -> dict[str, object]:
    """Every setting of the model's default run ("mlp" or "cnn", any case), by name."""
    return {**defaults(), "model": model.upper(), **RECIPES[model.lower()]}


def recipe_fields(model: str) -> dict[str, object]:
    """The TrainConfig fields in which the model's default run differs from TrainConfig()'s
    (the command line starts from these); {} for an unknown model."""
    changes = RECIPES.get(model.lower(), {}) if isinstance(model, str) else {}
    return dict(BY_NAME[name].to_config(value) for name, value in changes.items())


def in_order(values: Mapping[str, object]) -> list:
    """Settings by name -> the values in the table's order, as raw HTTP /train calls send them."""
    values = {**defaults(), **values}
    return [values[name] for name in NAMES]


def config_from(values: Mapping[str, object]) -> TrainConfig:
    """A TrainConfig from settings by name (missing ones take the model's default run, RECIPES);
    ConfigError says what to fix."""
    unknown = sorted(set(values) - set(BY_NAME))
    if unknown:
        raise ConfigError(Text("config.unknown", names=", ".join(unknown)))
    model = values.get("model", BY_NAME["model"].default)
    known = isinstance(model, str) and model.lower() in RECIPES  # else TrainConfig says so
    values = {**(recipe(model) if known else defaults()), **values}  # missing: the model's run
    fields = dict(BY_NAME[name].to_config(value) for name, value in values.items())
    epochs = fields["epochs"]
    # At least ~8 test-accuracy points a run (two an epoch in the default 3-epoch runs), so the
    # class sees accuracy climb: each costs wall time, not training time (0.14 s for the CNN).
    return TrainConfig(**fields, evals_per_epoch=max(1, 8 // max(1, epochs)))
