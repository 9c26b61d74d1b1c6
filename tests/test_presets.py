"""Every lesson preset fills the Train tab with settings that build a valid TrainConfig."""

from __future__ import annotations

import pytest

from digitlab.config import TrainConfig
from digitlab.presets import BY_KEY, CONTROLS, PRESETS
from digitlab.sessions import config_from_controls


@pytest.mark.parametrize("preset", PRESETS, ids=lambda p: p.key)
def test_preset_builds_a_valid_config(preset):
    values = preset.values()
    assert len(values) == len(CONTROLS)
    cfg = config_from_controls(*values)
    assert isinstance(cfg, TrainConfig) and cfg.model == values[0].lower()
    for lang in ("en", "zh"):
        assert preset.name(lang) and 0 < len(preset.lesson(lang)) < 200  # one line under it
    assert cfg.total_steps <= 400  # a lesson runs in class time on a CPU


def test_preset_values_are_choices_the_train_tab_offers():
    import app

    for preset in PRESETS:
        settings = dict(zip(CONTROLS, preset.values(), strict=True))
        assert settings["subset"] in app.SUBSET_CHOICES
        assert settings["batch_size"] in app.BATCH_CHOICES
        assert settings["weight_decay"] in app.WEIGHT_DECAY_CHOICES
        assert 1 <= settings["epochs"] <= 20 and -4 <= settings["lr_log10"] <= 0


def test_paired_presets_differ_only_in_what_they_teach():
    def diff(a: str, b: str) -> set[str]:
        pairs = zip(CONTROLS, BY_KEY[a].values(), BY_KEY[b].values(), strict=True)
        return {name for name, x, y in pairs if x != y}

    assert diff("budget_mlp", "budget_cnn") == {"model"}
    assert diff("sigmoid", "relu") == {"activation"}
    assert diff("lr_high", "lr_good") == {"lr_log10"}


def test_hidden_runs_leave_the_overlaid_charts(mnist):
    from digitlab.sessions import SessionRuns
    from digitlab.teach import run_labels, shown_curves
    from digitlab.train import Done, Eval, Step, train

    runs = SessionRuns()
    try:
        for seed in (1, 2):
            cfg = TrainConfig(model="mlp", hidden=(8,), subset=300, epochs=1, seed=seed)
            events = list(train(cfg, mnist))
            losses = [(e.epoch, e.loss) for e in events if isinstance(e, Step)]
            accuracies = [(e.epoch, e.test_accuracy) for e in events if isinstance(e, Eval)]
            runs.add(events[-1], losses, accuracies)
            assert isinstance(events[-1], Done)
        assert run_labels(runs) == [("#1", 1), ("#2", 2)]
        loss, accuracy = shown_curves(runs, [2])
        assert set(loss["run"]) == {"#2"} and set(accuracy["run"]) == {"#2"}
        assert loss["loss"].notna().sum() == len(runs.records[1].losses)
        both, _ = shown_curves(runs, [1, 2])
        assert set(both["run"]) == {"#1", "#2"}
        assert shown_curves(runs, [])[0].empty
    finally:
        runs.cleanup()
