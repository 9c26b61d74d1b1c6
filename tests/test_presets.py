"""Every lesson preset fills the Train tab with settings that build a valid TrainConfig."""

from __future__ import annotations

import pytest

from digitlab.config import TrainConfig
from digitlab.training.settings import BY_NAME, NAMES, config_from
from digitlab.ui.presets import BY_KEY, PRESETS


@pytest.mark.parametrize("preset", PRESETS, ids=lambda p: p.key)
def test_preset_builds_a_valid_config(preset):
    values = preset.values()
    assert set(values) <= set(NAMES), set(values) - set(NAMES)  # only real settings
    cfg = config_from(values)
    assert isinstance(cfg, TrainConfig) and cfg.model == values["model"].lower()
    for lang in ("en", "zh"):
        assert preset.name(lang) and 0 < len(preset.lesson(lang)) < 200  # one line under it
    assert cfg.total_steps <= 400  # a lesson runs in class time on a CPU


def test_preset_values_are_choices_the_train_tab_offers():
    for preset in PRESETS:
        for name, value in preset.values().items():
            setting = BY_NAME[name]
            if setting.kind in ("radio", "dropdown"):
                assert value in setting.choices, (preset.key, name, value)
            if setting.kind == "slider":
                assert setting.low <= value <= setting.high, (preset.key, name, value)


def test_paired_presets_differ_only_in_what_they_teach():
    def diff(a: str, b: str) -> set[str]:
        x, y = BY_KEY[a].values(), BY_KEY[b].values()
        return {name for name in x if x[name] != y[name]}

    assert diff("budget_mlp", "budget_cnn") == {"model"}
    assert diff("sigmoid", "relu") == {"activation"}
    assert diff("lr_high", "lr_good") == {"lr"}


def test_hidden_runs_leave_the_overlaid_charts(app_module, mnist):
    from digitlab.training.events import Done, Eval, Step
    from digitlab.training.trainer import train
    from digitlab.ui.charts import MARKS
    from digitlab.ui.runs import run_labels
    from digitlab.ui.sessions import SessionRuns

    tab = app_module.train.session
    runs = SessionRuns()
    try:
        for seed in (1, 2):
            cfg = TrainConfig(
                model="mlp", hidden=(8,), subset=300, batch_size=256, epochs=1, seed=seed
            )
            events = list(train(cfg, mnist))
            losses = [(e.epoch, e.loss) for e in events if isinstance(e, Step)]
            accuracies = [(e.epoch, e.test_accuracy) for e in events if isinstance(e, Eval)]
            runs.add(events[-1], losses, accuracies)
            assert isinstance(events[-1], Done)
        assert run_labels(runs) == [("#1", 1), ("#2", 2)]
        shown = tab.show_runs([2], runs)
        loss, accuracy = shown[tab.loss_plot], shown[tab.accuracy_plot]
        # The loss chart also holds the (here empty) series of change marks, Δ.
        assert set(loss["run"]) == {"#2", MARKS} and set(accuracy["run"]) == {"#2"}
        # and in words under them (their text equivalent): the shown run's last points
        said = shown[tab.said]
        assert said.startswith("#2: epoch 1, loss ") and "test accuracy" in said, said
        assert "#1" not in said
        assert loss["loss"].notna().sum() == len(runs.records[1].losses)
        assert loss[loss["run"] == MARKS]["loss"].notna().sum() == 0  # nothing was changed
        both = tab.show_runs([1, 2], runs)[tab.loss_plot]
        assert set(both["run"]) == {"#1", "#2", MARKS}
        assert tab.show_runs([], runs)[tab.loss_plot]["loss"].notna().sum() == 0
    finally:
        runs.cleanup()
