"""Steering a real run: settings changed mid-run, pause, more epochs, divergence (small runs)."""

import copy
import threading

import numpy as np
import pytest
import torch

from digitlab.config import ConfigError, TrainConfig
from digitlab.training.events import Done, Eval, Probe, Step
from digitlab.training.steering import Change, LiveSettings, Pause, knobs, more_epochs
from digitlab.training.trainer import train

# 640 images in batches of 64: 10 steps an epoch, a loss report every step.
TINY = {"model": "mlp", "hidden": (32,), "subset": 640, "batch_size": 64, "seed": 3}


def _steps(events):
    return [e for e in events if isinstance(e, Step)]


def _run_changing(cfg, mnist, at_step, **settings):
    """Run cfg, asking for `settings` when the report of step `at_step` arrives."""
    steering = LiveSettings(cfg)
    events = []
    for event in train(cfg, mnist, steering=steering):
        events.append(event)
        if isinstance(event, Step) and event.step == at_step:
            steering.change(**settings)
    return events


@pytest.mark.parametrize("schedule", ["constant", "onecycle", "cosine"])
def test_a_changed_lr_is_used_from_the_next_step(mnist, schedule):
    cfg = TrainConfig(**TINY, epochs=2, schedule=schedule)
    plain = {e.step: e.lr for e in _steps(train(cfg, mnist))}
    events = _run_changing(cfg, mnist, 5, lr=0.05)
    change = next(e for e in events if isinstance(e, Change))
    # old: the lr the teacher had set (one-cycle's peak), not the schedule's lr at that step
    assert (change.step, change.name, change.old, change.new) == (5, "lr", cfg.lr, 0.05)
    lrs = {e.step: e.lr for e in _steps(events)}
    assert [lrs[s] for s in range(1, 6)] == [plain[s] for s in range(1, 6)]
    assert events.index(change) < events.index(next(e for e in _steps(events) if e.step == 6))
    assert lrs[6] == 0.05  # the very next step
    later = [lrs[s] for s in range(6, 21)]
    if schedule == "constant":
        assert set(later) == {0.05}
    else:
        assert later == sorted(later, reverse=True) and later[-1] < 0.01  # decays from it
    done = events[-1]
    assert done.changes == (change,)
    assert done.state.optimizer["param_groups"][0]["lr"] == lrs[20]  # the optimizer's own lr


def test_changing_the_schedule_mid_run_does_not_jump_the_lr(mnist):
    cfg = TrainConfig(**TINY, epochs=3, schedule="onecycle")
    plain = {e.step: e.lr for e in _steps(train(cfg, mnist))}
    events = _run_changing(cfg, mnist, 12, schedule="cosine")
    lrs = {e.step: e.lr for e in _steps(events)}
    assert [lrs[s] for s in range(1, 13)] == [plain[s] for s in range(1, 13)]
    assert lrs[13] == pytest.approx(plain[13], rel=1e-12)  # continues from the current lr
    rest = [lrs[s] for s in range(13, 31)]
    assert rest == sorted(rest, reverse=True) and rest[-1] < rest[0] / 100  # then cosine
    change = next(e for e in events if isinstance(e, Change))
    assert (change.name, change.old, change.new) == ("schedule", "onecycle", "cosine")


def test_momentum_weight_decay_dropout_and_augmentation_change_mid_run(mnist):
    cfg = TrainConfig(**{**TINY, "model": "cnn", "channels": (4,)}, epochs=1, dropout=0.1)
    assert knobs(cfg) == ("schedule", "lr", "momentum", "weight_decay", "dropout", "augment")
    new = {"momentum": 0.5, "weight_decay": 0.01, "dropout": 0.3, "augment": "strong"}
    events = _run_changing(cfg, mnist, 4, **new)
    changes = {e.name: e for e in events if isinstance(e, Change)}
    assert {name: c.new for name, c in changes.items()} == new
    assert all(c.step == 4 for c in changes.values())
    done = events[-1]
    group = done.state.optimizer["param_groups"][0]
    assert group["betas"][0] == 0.5 and group["weight_decay"] == 0.01  # Adam's beta1
    dropouts = [m for m in done.model.modules() if isinstance(m, torch.nn.Dropout)]
    assert dropouts and all(m.p == 0.3 for m in dropouts)
    assert done.state.values["augment"] == "strong"


def test_bad_settings_are_refused_with_the_config_message(mnist):
    steering = LiveSettings(TrainConfig(**TINY))
    for settings, message in [
        ({"lr": 0}, "learning rate"), ({"lr": float("nan")}, "learning rate"),
        ({"momentum": 1.0}, "momentum"), ({"schedule": "linear"}, "schedule"),
        ({"dropout": 0.2}, "dropout"),  # this MLP has no dropout layers to change
        ({"augment": "yes"}, "augment"), ({"speed": 2}, "speed"),
    ]:  # fmt: skip
        with pytest.raises(ConfigError, match=message):
            steering.change(**settings)
    with pytest.raises(ConfigError, match="epochs"):
        steering.add_epochs(0)
    assert steering.take() == ({}, 0)  # nothing refused reaches the trainer


def test_pause_and_resume_continue_with_identical_state(mnist):
    cfg = TrainConfig(**{**TINY, "hidden": (32, 16)}, epochs=2, dropout=0.2, augment=True)
    plain = list(train(cfg, mnist))
    steering = LiveSettings(cfg)
    events = []
    for event in train(cfg, mnist, steering=steering):
        events.append(event)
        if isinstance(event, Step) and event.step == 7:
            steering.pause()
            threading.Timer(1.0, steering.resume).start()
    pauses = [e for e in events if isinstance(e, Pause)]
    assert [(p.step, p.paused) for p in pauses] == [(7, True), (7, False)]
    losses = [e.loss for e in _steps(events)]
    assert losses == pytest.approx([e.loss for e in _steps(plain)], rel=1e-6)
    for a, b in zip(
        plain[-1].model.state_dict().values(), events[-1].model.state_dict().values(), strict=True
    ):
        assert torch.allclose(a, b)
    steps = {e.step: e for e in _steps(events)}
    # The pause (1 s) is not training time: one tiny step is a few ms, even on a busy machine.
    assert steps[8].elapsed - steps[7].elapsed < 1.0


def test_stop_while_paused_and_a_pause_time_out_end_the_run_and_keep_the_model(mnist):
    cfg = TrainConfig(**TINY, epochs=2)
    for how in ("stop", "timeout"):
        stop, steering = threading.Event(), LiveSettings(cfg, pause_budget=0.3)
        events = []
        for event in train(cfg, mnist, stop, steering=steering):
            events.append(event)
            if isinstance(event, Step) and event.step == 3:
                steering.pause()
                if how == "stop":
                    threading.Timer(0.1, stop.set).start()
        done = events[-1]
        assert done.stopped and done.metrics["steps"] == 3
        assert done.metrics["ended"] == ("stopped" if how == "stop" else "pause_timeout")
        assert 100 <= done.metrics["test_sample"] <= 1000
        assert sum(map(sum, done.metrics["confusion"])) == done.metrics["test_sample"]
        assert isinstance(events[-2], Eval) and events[-2].sample == done.metrics["test_sample"]


def test_more_epochs_continue_the_same_model_optimizer_and_curves(mnist):
    cfg = TrainConfig(**TINY, epochs=2, schedule="constant", dropout=0.0)
    first = list(train(cfg, mnist))[-1]
    kept = copy.deepcopy(first.model.state_dict())
    more = more_epochs(first, 1)
    assert more.epochs == 3 and more.total_steps == 30
    events = list(train(more, mnist, continue_from=first))
    change = events[0]
    assert isinstance(change, Change) and (change.name, change.old, change.new) == (
        "epochs", 2.0, 3.0,
    )  # fmt: skip
    epochs = [e.epoch for e in _steps(events)]
    assert epochs[0] == 2.1 and epochs[-1] == 3.0 and epochs == sorted(epochs)
    assert [e.epoch for e in events if isinstance(e, Eval)] == [3.0]
    done = events[-1]
    assert done.metrics["steps"] == 30 and done.metrics["epochs"] == 3.0
    assert done.state.optimizer["state"][0]["step"].item() == 30  # Adam's count went on
    assert done.elapsed > first.elapsed and done.changes == (change,)
    # 2 + 1 epochs at a constant lr is the 3-epoch run: same batches, same optimizer state.
    straight = list(train(TrainConfig(**{**cfg.to_dict(), "epochs": 3}), mnist))[-1]
    for a, b in zip(
        straight.model.state_dict().values(), done.model.state_dict().values(), strict=True
    ):
        assert torch.allclose(a, b, atol=1e-6)
    for name, value in first.model.state_dict().items():  # the first run's model is untouched
        assert torch.equal(value, kept[name])


def test_more_epochs_after_stop_and_onecycle_go_on_without_a_jump(mnist):
    cfg = TrainConfig(**TINY, epochs=2, schedule="onecycle")
    stop = threading.Event()
    events = []
    for event in train(cfg, mnist, stop):
        events.append(event)
        if isinstance(event, Step) and event.step == 6:
            stop.set()
    first = events[-1]
    assert first.stopped and first.metrics["steps"] == 6  # no step after Stop
    more = list(train(more_epochs(first, 1), mnist, continue_from=first))
    assert (more[0].name, more[0].old, more[0].new) == ("epochs", 0.6, 1.6)
    lrs = [e.lr for e in _steps(more)]
    assert lrs[0] == pytest.approx(_steps(events)[-1].lr, rel=1e-12)  # goes on from there
    assert max(lrs) > lrs[0] and max(lrs) == pytest.approx(cfg.lr, rel=0.02)  # a new cycle
    assert more[-1].metrics["steps"] == 16 and more[-1].metrics["ended"] == "finished"


def test_epochs_added_while_running_lengthen_the_run(mnist):
    cfg = TrainConfig(**TINY, epochs=1)
    steering = LiveSettings(cfg)
    events = []
    for event in train(cfg, mnist, steering=steering):
        events.append(event)
        if isinstance(event, Step) and event.step == 4:
            steering.add_epochs(2)
    steps = _steps(events)
    assert steps[3].total_steps == 10 and steps[4].total_steps == 30 and steps[-1].step == 30
    change = next(e for e in events if isinstance(e, Change))
    assert (change.step, change.old, change.new) == (4, 1.0, 3.0)
    assert events[-1].config.epochs == 3 and events[-1].config.total_steps == 30


def test_a_diverging_run_ends_at_once_with_plain_data_for_the_message(mnist):
    cfg = TrainConfig(
        model="mlp", optimizer="sgd", schedule="constant", lr=10.0, subset=3000, batch_size=64,
        epochs=3, seed=1,
    )  # fmt: skip
    probe = Probe(mnist.test_x[0].float().numpy() / 255)
    events = list(train(cfg, mnist, probe=probe))
    done = events[-1]
    assert isinstance(done, Done) and done.diverged and not done.stopped
    d = done.divergence
    assert (d.lr, d.lr_used, d.optimizer, d.suggested_lr) == (10.0, 10.0, "sgd", 1.0)
    assert d.epoch < 0.5 and (d.loss > 23 if d.reason == "exploded" else d.loss is None)
    assert done.metrics["ended"] == "diverged" and done.metrics["steps"] < 20
    steps = _steps(events)
    assert all(np.isfinite(e.loss) and e.loss <= steps[-1].loss for e in steps)
    assert steps[-1].clipped  # shown at the ceiling, not at 1e6
    assert all(e.probe is None or np.isfinite(e.probe[1]).all() for e in steps)
    assert next(done.model.parameters()).device.type == "cpu"  # the diverged model is kept


def test_a_nan_loss_ends_the_run_at_once_without_nan_in_any_event(mnist):
    cfg = TrainConfig(**TINY, epochs=1, schedule="constant")
    first = list(train(cfg, mnist))[-1]
    broken = copy.deepcopy(first)
    with torch.no_grad():
        next(broken.model.parameters())[0, 0] = float("nan")  # NaN weights give NaN losses
    probe = Probe(mnist.test_x[0].float().numpy() / 255)
    events = list(train(more_epochs(broken, 2), mnist, probe=probe, continue_from=broken))
    done = events[-1]
    assert done.divergence.reason == "nan" and done.divergence.loss is None
    assert done.metrics["steps"] == 11  # the first report after the NaN
    steps = _steps(events)
    assert len(steps) == 1 and np.isfinite(steps[0].loss) and steps[0].clipped
    assert steps[0].probe is None  # no NaN probabilities for the chart
    evals = [e for e in events if isinstance(e, Eval)]
    assert all(np.isfinite(e.test_loss) for e in evals)
