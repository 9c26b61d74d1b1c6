"""Train-tab presets for classic lessons: settings as data, each with a one-line explanation.

Values are the Train tab's settings by name (digitlab/training/settings.py), so a preset fills the
controls and the student presses Train. Sizes stay small enough for a 2-core CPU: every run
here finishes in well under a minute there.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from digitlab.training.settings import recipe
from digitlab.words import DEFAULT, t

BASE = {  # what every lesson starts from (its CNN on pixels, no dense layer: as measured)
    "model": "MLP", "hidden": "128", "activation": "relu", "channels": "16, 32", "patch": False,
    "dense": "", "batch_norm": True, "lr": 0.003, "epochs": 2, "batch_size": 64,
    "optimizer": "adam", "weight_decay": 0.0, "dropout": 0.0, "label_smoothing": 0.0,
    "schedule": "constant", "augment": "off", "subset": 10_000, "train_data": "mnist", "seed": 0,
}  # fmt: skip


@dataclass(frozen=True)
class Preset:
    """A lesson: its key (name and explanation live in digitlab/words/) and the settings."""

    key: str
    changes: dict = field(default_factory=dict)  # differences from BASE

    def name(self, lang: str = DEFAULT) -> str:
        """The name in the dropdown."""
        return t(f"preset.{self.key}", lang)

    def lesson(self, lang: str = DEFAULT) -> str:
        """What the class should see, in one line."""
        return t(f"preset.{self.key}.lesson", lang)

    def values(self) -> dict[str, object]:
        """The settings it fills in, by name."""
        return {**BASE, **self.changes}


PRESETS = [
    # SGD with momentum: at lr 3.2 the loss explodes within a fifth of an epoch (the run ends
    # with the divergence message); at 0.05 it falls smoothly.
    Preset("lr_high", {"lr": 3.2, "optimizer": "momentum"}),
    Preset("lr_low", {"lr": 0.0001, "optimizer": "sgd"}),
    Preset("lr_good", {"lr": 0.05, "optimizer": "momentum"}),
    Preset("tiny", {"hidden": "256, 128", "subset": 300, "epochs": 20, "batch_size": 32}),
    Preset("budget_mlp", {"subset": 3_000}),
    Preset("budget_cnn", {"model": "CNN", "subset": 3_000}),
    Preset(
        "sigmoid",
        {"hidden": "128, 128, 128", "activation": "sigmoid", "optimizer": "sgd", "lr": 0.1},
    ),
    Preset(
        "relu",
        {"hidden": "128, 128, 128", "activation": "relu", "optimizer": "sgd", "lr": 0.1},
    ),
    # Lessons for the teaching tools: a model to train, then a tab to look at it with.
    # Robustness & map, 6 px shift, 1,000 test digits: shipped CNN 94%, shipped MLP 56%, this
    # run 28% (its images were never moved): what a model saw matters as much as its layers.
    Preset("why_cnn", {"model": "CNN"}),
    # The tiny run again, for its confidence: 84% right, 94% sure on average, ECE 9.6%.
    Preset(
        "confident_wrong", {"hidden": "256, 128", "subset": 300, "epochs": 20, "batch_size": 32}
    ),
    Preset("teach_handwriting", {"model": "CNN", "augment": "light"}),  # then Teach it
    # Everyone presses Train at once: the default CNN run for one epoch (98.7%; about 1.2 s on
    # 2 cores alone, ~2 s under a class), so 30 students' runs one after another take a minute.
    Preset("class_round", {**recipe("cnn"), "epochs": 1}),
]
BY_KEY = {preset.key: preset for preset in PRESETS}


def choices(lang: str = DEFAULT) -> list[tuple[str, str]]:
    """(name, key) pairs for the preset dropdown."""
    return [(preset.name(lang), preset.key) for preset in PRESETS]
