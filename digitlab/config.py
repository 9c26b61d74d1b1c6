"""Training configuration, constants and the one place the device is chosen."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

import torch

from digitlab import checks
from digitlab.checks import ConfigError
from digitlab.limits import (
    MAX_CHANNELS,
    MAX_CNN_STAGES,
    MAX_EPOCHS,
    MAX_EVALS_PER_EPOCH,
    MAX_HIDDEN_LAYERS,
    MAX_HIDDEN_SIZE,
    MAX_PARAMETERS,
    MAX_STEP_MACS,
)
from digitlab.models import build_model, count_parameters
from digitlab.words import DEFAULT, STRINGS, Text, t

MNIST_MEAN = 0.1307
MNIST_STD = 0.3081
TRAIN_SIZE = 60_000

MODELS = ("mlp", "cnn")
ACTIVATIONS = ("relu", "tanh", "sigmoid")
OPTIMIZERS = ("sgd", "momentum", "adam", "adamw")
SCHEDULES = ("constant", "onecycle", "cosine")
DEVICES = ("auto", "cpu", "cuda")
# What a training step computes in (training/parts.py, training_precision): auto = bf16 where
# the device does it in hardware (CUDA; a CPU with AVX512-BF16 or AMX), else fp32.
PRECISIONS = ("auto", "bf16", "fp32")
# Training-image augmentation (data.augment): "light" = rotation, scale, shift and stroke
# thickness; "strong" adds slant, aspect, elastic distortion and a wider thickness range.
AUGMENTS = ("off", "light", "strong")
# What a run trains on (pen_data.py): MNIST only, or MNIST and the pen digits of writers 1-20.
TRAIN_DATA = ("mnist", "mnist+pen")


# Fields added after checkpoints were shipped, with the value that rebuilds an older model: a
# saved config without them describes a CNN on pixels with no dense layers, trained on plain
# cross-entropy, on MNIST only.
LEGACY = {"patch": 1, "dense": (), "label_smoothing": 0.0, "train_data": "mnist"}


@dataclass(frozen=True)
class TrainConfig:
    """Everything that decides a training run; validated on construction."""

    model: str = "cnn"
    hidden: tuple[int, ...] = (256, 128)  # MLP hidden layer sizes
    activation: str = "relu"  # MLP
    channels: tuple[int, ...] = (16, 32)  # CNN conv widths, one 2x2 pooling stage each
    batch_norm: bool = True  # CNN
    patch: int = 2  # CNN: 2 = the first conv reads 2x2 pixel blocks (models.CNN); 1 = pixels
    dense: tuple[int, ...] = (128,)  # CNN hidden Linear layers after the conv stages
    # The defaults are the CNN's default run (training/settings.py RECIPES has the MLP's); what
    # it reaches: `python -m benchmarks.train_speed`, BENCHMARKS.md.
    dropout: float = 0.0
    # The loss's targets: 1 - label_smoothing on the true digit, the rest shared by all ten.
    label_smoothing: float = 0.05
    momentum: float = 0.9  # SGD with momentum's momentum, Adam's and AdamW's beta1 (not plain SGD)
    lr: float = 0.02
    epochs: int = 3
    batch_size: int = 512
    optimizer: str = "adam"
    weight_decay: float = 0.0
    schedule: str = "onecycle"
    augment: str = "off"  # one of AUGMENTS; True / False (older checkpoints) mean "light" / "off"
    subset: int | None = None  # train on this many images (seeded choice) instead of all 60,000
    # TRAIN_DATA: "mnist+pen" adds the pen digits of writers 1-20 (pen_data.py); an epoch stays
    # train_size images' worth of steps.
    train_data: str = "mnist"
    seed: int = 0
    device: str = "auto"
    precision: str = "auto"  # PRECISIONS: the steps' matmuls (weights, evaluation: fp32)
    max_steps: int | None = None  # smoke runs: stop after this many optimizer steps
    evals_per_epoch: int = 1

    def __post_init__(self) -> None:
        # Coerce list -> tuple so configs read back from JSON compare equal and stay hashable.
        for name in ("hidden", "channels", "dense"):
            value = getattr(self, name)
            if isinstance(value, int):
                value = (value,)
            object.__setattr__(self, name, tuple(value))
        object.__setattr__(self, "augment", augment_level(self.augment))
        self._validate()

    def _validate(self) -> None:
        checks.choice("model", self.model, MODELS)
        checks.choice("activation", self.activation, ACTIVATIONS)
        checks.choice("optimizer", self.optimizer, OPTIMIZERS)
        checks.choice("schedule", self.schedule, SCHEDULES)
        checks.choice("device", self.device, DEVICES)
        checks.choice("precision", self.precision, PRECISIONS)
        checks.choice("augment", self.augment, AUGMENTS)
        checks.choice("train_data", self.train_data, TRAIN_DATA)
        checks.sizes("hidden", self.hidden, allow_empty=True, top=MAX_HIDDEN_SIZE)
        checks.sizes("channels", self.channels, allow_empty=False, top=MAX_CHANNELS)
        checks.sizes("dense", self.dense, allow_empty=True, top=MAX_HIDDEN_SIZE)
        checks.integer("patch", self.patch, lo=1, hi=2)
        deep = ((self.hidden, "config.too_deep"), (self.dense, "config.dense_too_deep"))
        for layers, key in deep:
            if len(layers) > MAX_HIDDEN_LAYERS:
                raise ConfigError(Text(key, layers=len(layers), limit=MAX_HIDDEN_LAYERS))
        if len(self.channels) > MAX_CNN_STAGES:
            raise ConfigError(Text("config.too_many_stages", limit=MAX_CNN_STAGES))
        checks.number("lr", self.lr, lo=0.0, hi=10.0, lo_open=True)
        checks.number("dropout", self.dropout, lo=0.0, hi=1.0, hi_open=True)
        checks.number("label_smoothing", self.label_smoothing, lo=0.0, hi=1.0, hi_open=True)
        checks.number("momentum", self.momentum, lo=0.0, hi=1.0, hi_open=True)
        checks.number("weight_decay", self.weight_decay, lo=0.0, hi=1.0)
        checks.integer("epochs", self.epochs, lo=1, hi=MAX_EPOCHS)
        checks.integer("batch_size", self.batch_size, lo=1, hi=TRAIN_SIZE)
        checks.integer("seed", self.seed, lo=0, hi=2**63 - 1)
        checks.integer("evals_per_epoch", self.evals_per_epoch, lo=1, hi=MAX_EVALS_PER_EPOCH)
        if self.subset is not None:
            checks.integer("subset", self.subset, lo=10, hi=TRAIN_SIZE)
        if self.max_steps is not None:
            checks.integer("max_steps", self.max_steps, lo=1, hi=10**9)
        if self.batch_size > self.train_size:
            raise ConfigError(
                Text("config.batch_too_big", batch=self.batch_size, images=self.train_size)
            )
        if self.device == "cuda" and not torch.cuda.is_available():
            raise ConfigError(Text("config.no_cuda"))
        # Last: every size is in range by now, so even the count's shapes-only build is small.
        parameters = self.parameters()
        if parameters > MAX_PARAMETERS:
            raise ConfigError(
                Text("config.too_many_parameters", n=parameters, limit=MAX_PARAMETERS)
            )
        per_image = self.macs_per_image()
        if per_image * self.batch_size > MAX_STEP_MACS:
            raise ConfigError(
                Text(
                    "config.step_too_big", gmacs=per_image * self.batch_size / 1e9,
                    mmacs=per_image / 1e6, batch=self.batch_size, limit=MAX_STEP_MACS / 1e9,
                    fits=MAX_STEP_MACS // per_image,
                )
            )  # fmt: skip

    @property
    def train_size(self) -> int:
        """Number of MNIST training images the run uses (an epoch's worth of images)."""
        return self.subset if self.subset is not None else TRAIN_SIZE

    @property
    def steps_per_epoch(self) -> int:
        """Optimizer steps per epoch (the last partial batch is dropped)."""
        return self.train_size // self.batch_size

    @property
    def total_steps(self) -> int:
        """Optimizer steps the run will take, honouring max_steps."""
        total = self.steps_per_epoch * self.epochs
        return min(total, self.max_steps) if self.max_steps is not None else total

    def parameters(self) -> int:
        """Trainable parameters of the model this config describes, counted without building it."""
        with torch.device("meta"):  # shapes only: no memory is allocated, no weights initialized
            return count_parameters(build_model(self))

    def macs_per_image(self) -> int:
        """Multiply-adds of one image's forward pass through the convolutions and linear layers
        (a training step's time grows with this times the batch; pooling, batch norm and
        activations add little and are left out)."""
        if self.model == "mlp":
            return _dense_macs((28 * 28, *self.hidden, 10))
        side, fan_in, macs = 28 // self.patch, self.patch * self.patch, 0
        for width in self.channels:
            macs += side * side * fan_in * width * 9  # a padded 3x3 conv over a side x side map
            side, fan_in = side // 2, width  # then 2x2 max-pooling (models.CNN)
        return macs + _dense_macs((fan_in * side * side, *self.dense, 10))

    def model_kwargs(self) -> dict:
        """Arguments for the model class this config names."""
        if self.model == "mlp":
            return {"hidden": self.hidden, "activation": self.activation, "dropout": self.dropout}
        return {
            "channels": self.channels, "dropout": self.dropout, "batch_norm": self.batch_norm,
            "patch": self.patch, "dense": self.dense,
        }  # fmt: skip

    def to_dict(self) -> dict:
        """Plain JSON-friendly dict (tuples become lists)."""
        values = dataclasses.asdict(self)
        return {k: list(v) if isinstance(v, tuple) else v for k, v in values.items()}

    @classmethod
    def from_dict(cls, values: dict) -> TrainConfig:
        """Rebuild from to_dict(); unknown keys are an error, not silently dropped."""
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ConfigError(Text("config.unknown", names=", ".join(unknown)))
        return cls(**{**LEGACY, **values})

    def label(self, lang: str = DEFAULT) -> str:
        """Short human name, e.g. 'CNN 16-32 · adam lr 0.003 · 2 ep' (in lang: the pickers and
        the status line show it)."""
        sizes = self.channels if self.model == "cnn" else self.hidden
        arch = f"{self.model.upper()} {'-'.join(map(str, sizes)) or 'linear'}"
        if self.model == "cnn":  # e.g. "CNN 2x2 16-32 fc128"
            patch = f"{self.patch}x{self.patch} " if self.patch > 1 else ""
            dense = "".join(t("label.dense", lang, size=size) for size in self.dense)
            arch = f"CNN {patch}{'-'.join(map(str, sizes))}{dense}"
        parts = [arch, t("label.training", lang, optimizer=option("optimizer", self.optimizer),
                         lr=self.lr, epochs=self.epochs)]  # fmt: skip
        if self.subset is not None:
            parts.append(t("label.subset", lang, images=self.subset))
        if self.augment != "off":
            parts.append(t(f"label.augment_{self.augment}", lang))
        if self.train_data == "mnist+pen":
            parts.append(t("label.pen", lang))
        return " · ".join(parts)


def option(name: str, value: object) -> Text | object:
    """A setting's value as the page shows it (Text "train.<name>.<value>" where it has one:
    "Adam", "单周期"), else the value itself."""
    key = f"train.{name}.{value}"
    return Text(key) if key in STRINGS else value


def parse_sizes(text: str | None, field: str = "hidden") -> tuple[int, ...]:
    """Layer sizes written as "256-128", "256,128", "256, 128" or "256 128" -> (256, 128).

    Only the format is checked here (ConfigError names `field`); TrainConfig checks the range.
    """
    if not isinstance(text, str | None):
        raise ConfigError(Text("config.sizes_format", field=field))
    # A dash separates only between two numbers: "-5" keeps its dash and is refused below.
    text = re.sub(r"(?<=\d)\s*-\s*(?=\d)", ",", text or "")
    parts = [p for p in re.split(r"[\s,]+", text) if p]
    # isdecimal, not isdigit: "²" is a digit that int() rejects.
    if not all(p.isdecimal() for p in parts):
        raise ConfigError(Text("config.sizes_format", field=field))
    if any(len(p) > 9 for p in parts):  # int() of a 5,000-digit string raises
        raise ConfigError(Text("config.sizes_huge", field=field))
    return tuple(int(p) for p in parts)


def augment_level(value: object) -> object:
    """An augmentation setting as one of AUGMENTS: True -> "light", False -> "off" (the setting
    was a switch before it had levels); anything else is returned as it is, to be validated."""
    if isinstance(value, bool):
        return "light" if value else "off"
    return value


def resolve_device(name: str = "auto") -> torch.device:
    """The single device decision: CUDA when asked for or available, else the CPU."""
    checks.choice("device", name, DEVICES)
    if name == "auto":
        name = "cuda" if torch.cuda.is_available() else "cpu"
    return torch.device(name)


def _dense_macs(sizes: tuple[int, ...]) -> int:
    return sum(a * b for a, b in zip(sizes[:-1], sizes[1:], strict=True))
