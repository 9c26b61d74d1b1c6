"""Train-tab presets for classic lessons: settings as data, each with a one-line explanation.

Values are the Train tab's control values, in the order config_from_controls takes them, so
a preset fills the controls and the student presses Train. Sizes stay small enough for a
2-core CPU: every run here finishes in well under a minute there.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# The Train tab's controls, in config_from_controls's argument order.
CONTROLS = (
    "model", "hidden", "activation", "channels", "batch_norm", "lr_log10", "epochs",
    "batch_size", "optimizer", "weight_decay", "dropout", "schedule", "augment", "subset", "seed",
)  # fmt: skip
BASE = {
    "model": "MLP", "hidden": "128", "activation": "relu", "channels": "16, 32",
    "batch_norm": True, "lr_log10": -2.52, "epochs": 2, "batch_size": 64, "optimizer": "adam",
    "weight_decay": 0.0, "dropout": 0.0, "schedule": "constant", "augment": False,
    "subset": 10_000, "seed": 0,
}  # fmt: skip


@dataclass(frozen=True)
class Preset:
    """A lesson: its name in the dropdown, what the class should see, and the settings."""

    name: str
    lesson: str
    changes: dict = field(default_factory=dict)  # differences from BASE

    def values(self) -> list:
        """Control values in CONTROLS order."""
        settings = {**BASE, **self.changes}
        return [settings[name] for name in CONTROLS]


PRESETS = [
    Preset(
        "Learning rate: too high",
        "lr 0.3: each step overshoots, the loss jumps around instead of falling, and accuracy "
        "stays near chance (10%).",
        {"lr_log10": -0.52},
    ),
    Preset(
        "Learning rate: too low",
        "lr 0.0001 with plain SGD: every step is tiny, so after two epochs the loss has barely "
        "moved: the model crawls.",
        {"lr_log10": -4.0, "optimizer": "sgd"},
    ),
    Preset(
        "Learning rate: a good one",
        "lr 0.003 with Adam: the loss falls fast and smoothly, ~94% test accuracy in two epochs.",
        {"lr_log10": -2.52},
    ),
    Preset(
        "Tiny training set: overfits",
        "300 images, 20 epochs: the model memorises them (training loss near 0) while test "
        "accuracy stalls far below a model trained on more data.",
        {"hidden": "256, 128", "subset": 300, "epochs": 20, "batch_size": 32},
    ),
    Preset(
        "Same budget: MLP",
        "3,000 images, 2 epochs, MLP 128: compare its test accuracy with the CNN preset's.",
        {"subset": 3_000},
    ),
    Preset(
        "Same budget: CNN",
        "Same images, epochs and optimizer as the MLP preset, but convolutions that share "
        "weights across the image: higher test accuracy from the same data.",
        {"model": "CNN", "subset": 3_000},
    ),
    Preset(
        "Activation: sigmoid",
        "A 3-layer MLP with sigmoid and plain SGD: gradients shrink through each sigmoid; after "
        "two epochs it is still near chance (10%). Compare with the ReLU preset.",
        {"hidden": "128, 128, 128", "activation": "sigmoid", "optimizer": "sgd", "lr_log10": -1},
    ),
    Preset(
        "Activation: ReLU",
        "The same network and SGD with ReLU: gradients pass through, and it reaches ~92% in the "
        "same two epochs.",
        {"hidden": "128, 128, 128", "activation": "relu", "optimizer": "sgd", "lr_log10": -1},
    ),
]
BY_NAME = {preset.name: preset for preset in PRESETS}
