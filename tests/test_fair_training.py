"""Fair training for a class: a run's time, pauses and epochs are bounded; one run a session in
the queue; Stop is seen inside evaluations; a step's compute is capped; every preset, default run
and shipped model stays within the caps (issue 29, items 3, 7 and 8)."""

from __future__ import annotations

import threading
from types import SimpleNamespace

import gradio as gr
import pytest
import torch
from torch import nn

from digitlab import limits
from digitlab.config import ConfigError, TrainConfig
from digitlab.evaluate import evaluate
from digitlab.models import MLP, build_model
from digitlab.training import trainer
from digitlab.training.events import Done, Pause, Step
from digitlab.training.live import TrainingRun, finished_message
from digitlab.training.settings import RECIPES, config_from, recipe
from digitlab.training.steering import LiveSettings
from digitlab.ui import registries
from digitlab.ui.live_controls import RunBar
from digitlab.ui.presets import PRESETS
from digitlab.ui.train import TrainTab, one_run

# 640 images in batches of 64: 10 steps an epoch, a loss report every step.
TINY = {"model": "mlp", "hidden": (32,), "subset": 640, "batch_size": 64, "seed": 3}
WIDEST_CNN = dict(model="cnn", channels=(256, 256, 256), dense=(1024,), patch=1)


# The compute cap on one training step.


def counted_macs(cfg: TrainConfig) -> int:
    """Multiply-adds of one image's forward pass, counted on the built model by hooks (an
    independent reference for TrainConfig.macs_per_image)."""
    total = 0

    def count(module, inputs, output):
        nonlocal total
        if isinstance(module, nn.Conv2d):
            kernel = module.kernel_size[0] * module.kernel_size[1]
            total += output.numel() * module.in_channels // module.groups * kernel
        elif isinstance(module, nn.Linear):
            total += module.in_features * module.out_features

    model = build_model(cfg).eval()
    for module in model.modules():
        module.register_forward_hook(count)
    with torch.no_grad():
        model(torch.zeros(1, 1, 28, 28))
    return total


@pytest.mark.parametrize(
    "settings",
    [
        {},
        dict(model="mlp", hidden=(256, 128)),
        dict(model="mlp", hidden=()),
        dict(WIDEST_CNN, batch_size=64),
        dict(model="cnn", channels=(48, 96, 192), dense=(128,), patch=1),
        dict(model="cnn", channels=(8, 8, 8), dense=(), patch=2),
    ],
)
def test_the_step_estimate_counts_every_conv_and_linear_multiply_add(settings):
    cfg = TrainConfig(**settings)
    assert cfg.macs_per_image() == counted_macs(cfg)


def test_a_step_over_the_compute_cap_is_refused_saying_what_to_lower():
    per_image = TrainConfig(**WIDEST_CNN, batch_size=1).macs_per_image()
    fits = limits.MAX_STEP_MACS // per_image
    with pytest.raises(ConfigError) as refused:
        TrainConfig(**WIDEST_CNN, batch_size=512)  # the CNN: 1.4-1.6 s a step
    message = str(refused.value)
    assert "76.1 billion multiply-adds" in message and "batch size 512" in message
    assert f"lower the batch size to {fits} or less" in message, message
    TrainConfig(**WIDEST_CNN, batch_size=fits)  # at the cap: allowed
    with pytest.raises(ConfigError, match="multiply-adds"):
        TrainConfig(**WIDEST_CNN, batch_size=fits + 1)
    with pytest.raises(ConfigError, match="multiply-adds"):  # an MLP's full batch too
        TrainConfig(model="mlp", hidden=(4096,), batch_size=60_000)


def test_every_preset_default_run_and_shipped_model_is_within_the_caps():
    from digitlab.training.checkpoint import SHIPPED, load_checkpoint

    configs = [config_from(preset.values()) for preset in PRESETS]
    configs += [config_from(recipe(model)) for model in RECIPES]
    configs += [load_checkpoint(path).config for path in SHIPPED.values()]
    assert len(configs) == len(PRESETS) + len(RECIPES) + len(SHIPPED)
    for cfg in configs:  # each was validated on construction; the margins, for the record
        assert cfg.macs_per_image() * cfg.batch_size <= limits.MAX_STEP_MACS / 4, cfg.label()
        assert cfg.epochs <= limits.MAX_EPOCHS


# Stop inside an evaluation.


def test_an_evaluation_ends_between_two_batches_once_stop_is_asked_for():
    stop, seen = threading.Event(), []

    class Counting(MLP):
        def forward(self, x):
            seen.append(len(x))
            if len(seen) == 2:
                stop.set()  # Stop pressed during the second batch
            return super().forward(x)

    model = Counting(hidden=(16,))
    x, y = torch.zeros(1000, 28, 28, dtype=torch.uint8), torch.zeros(1000, dtype=torch.int64)
    assert evaluate(model, x, y, batch_size=100, stop=stop.is_set) is None
    assert seen == [100, 100]  # not one batch more after Stop
    assert evaluate(model, x, y, batch_size=100, stop=stop.is_set) is None  # still set: none
    assert seen == [100, 100]
    assert evaluate(model, x, y, batch_size=100)["accuracy"] >= 0  # no stop: all ten batches
    assert seen == [100] * 12


def test_stop_during_a_runs_evaluation_ends_it_there(mnist, monkeypatch):
    real, log = trainer.evaluate, []
    stop = threading.Event()

    def counting(model, x, y, **kw):
        asked = kw.get("stop")
        batches = []

        def ask():
            if len(batches) == 2:
                stop.set()  # Stop pressed while the evaluation's third batch is due
            halted = asked()
            batches.append(halted)
            return halted

        result = real(model, x, y, **{**kw, "stop": ask if asked else None})
        log.append((len(x), kw["batch_size"], asked is not None, batches, result is None))
        return result

    monkeypatch.setattr(trainer, "evaluate", counting)
    monkeypatch.setattr(trainer, "EVAL_BATCH", 100)
    events = list(trainer.train(TrainConfig(**TINY, epochs=3), mnist, stop))
    start, *final = log
    # The curve's first evaluation (1,000 test images) stopped after 2 of its 10 batches.
    assert start == (trainer.START_EVAL_SIZE, 100, True, [False, False, True], True)
    done = events[-1]
    assert isinstance(done, Done) and done.stopped and done.metrics["ended"] == "stopped"
    assert done.metrics["steps"] == 0 and not any(isinstance(e, Step) for e in events[:-1])
    # The stopped run's own quick evaluation is not stoppable: it always gives a result.
    assert [(stoppable, stopped) for _, _, stoppable, _, stopped in final] == [(False, False)] * 2


def test_a_stopped_run_says_how_many_test_images_its_accuracy_is_from(mnist):
    stop = threading.Event()
    events = []
    for event in trainer.train(TrainConfig(**TINY, epochs=3), mnist, stop):
        events.append(event)
        if isinstance(event, Step) and event.step == 4:
            stop.set()
    done = events[-1]
    n, total = done.metrics["test_sample"], done.metrics["test_set"]
    assert total == len(mnist.test_y) and n < total
    said = finished_message(done).render("en")
    assert said.startswith("Stopped after") and f"quick check of {n:,} of the {total:,}" in said
    assert f"{total:,} 张测试图片中快速抽查了 {n:,} 张" in finished_message(done).render("zh")
    finished = list(trainer.train(TrainConfig(**TINY, epochs=1), mnist))[-1]
    assert "quick check" not in finished_message(finished).render("en")


# Time and pause limits.


def test_the_run_time_limit_ends_a_run_with_its_message(mnist):
    cfg = TrainConfig(**TINY, epochs=500)  # 5,000 steps: far more than 0.3 s of them
    done = list(trainer.train(cfg, mnist, time_limit=0.3))[-1]
    assert done.stopped and done.metrics["ended"] == "time_limit"
    assert done.metrics["steps"] < cfg.total_steps and done.metrics["time_limit_s"] == 0.3
    said = finished_message(done).render("en")
    assert said.startswith("Stopped after") and "the 0.005-minute limit a run may take" in said
    assert "0.005 分钟的上限" in finished_message(done).render("zh")
    assert TrainingRun(cfg, threading.Event()).time_limit == limits.RUN_TIME_S  # the app's


def test_a_paused_run_ends_at_the_time_limit_however_large_its_pause_budget(mnist):
    cfg = TrainConfig(**TINY, epochs=5)
    steering = LiveSettings(cfg, pause_budget=3600)
    events = []
    for event in trainer.train(cfg, mnist, steering=steering, time_limit=0.5):
        events.append(event)
        if isinstance(event, Step):
            steering.pause()  # at the first report, and never resumed
    done, first = events[-1], next(e for e in events if isinstance(e, Step))
    assert done.metrics["ended"] == "time_limit" and done.metrics["steps"] == first.step


def test_pausing_and_resuming_cannot_hold_the_run_past_its_pause_budget(mnist):
    cfg = TrainConfig(**TINY, epochs=50)  # 500 steps
    steering = LiveSettings(cfg, pause_budget=0.5)
    events = []
    for event in trainer.train(cfg, mnist, steering=steering):
        events.append(event)
        if isinstance(event, Pause) and event.paused:  # resumed 0.2 s into each pause
            threading.Timer(0.2, steering.resume).start()
        elif isinstance(event, Step):
            steering.pause()  # paused again at every report: each pause is short
    done = events[-1]
    pauses = sum(isinstance(e, Pause) and e.paused for e in events)
    # Per-pause time-outs would let this run pause 500 times; the budget is for all of them:
    # two pauses of at least 0.2 s leave at most 0.1 s, which the third one runs out of.
    assert done.metrics["ended"] == "pause_timeout" and done.stopped
    last = [e for e in events if isinstance(e, Pause)][-1]
    assert 1 <= pauses <= 3 and last.paused and done.metrics["steps"] == last.step
    assert done.metrics["pause_budget_s"] == 0.5
    assert steering.pause_left() == 0.0
    said = finished_message(done).render("en")
    assert "paused for 0.00833333 minutes in all, the most a run may be paused" in said


# Epochs.


def test_train_on_past_the_epoch_cap_says_how_many_more_are_allowed():
    steering = LiveSettings(TrainConfig(**TINY, epochs=995))
    with pytest.raises(ConfigError) as refused:
        steering.add_epochs(20)
    assert str(refused.value) == (
        "epochs: 20 more would make 1015 in all, more than the 1000 a run may have: this run "
        "(995 epochs so far) can train at most 5 more."
    )
    steering.add_epochs(5)
    with pytest.raises(ConfigError, match="trained 1000 epochs, the most a run may have"):
        steering.add_epochs(1)
    assert steering.take() == ({}, 5)


# The app's handlers: one run a session, Pause and Resume with no run.


def request(session: str) -> SimpleNamespace:
    return SimpleNamespace(session_hash=session)


def test_a_second_run_of_the_same_session_is_refused_while_one_waits_or_trains():
    tab = SimpleNamespace(status="status", bar=SimpleNamespace(running=lambda going: {}))
    session = "fair-training-test"
    try:
        waiting = {"status": "Waiting for a training slot…"}
        assert TrainTab.queue(tab, "en", request(session)) == waiting
        with pytest.raises(gr.Error, match="already has a run waiting or training"):
            TrainTab.queue(tab, "en", request(session))
        with pytest.raises(gr.Error, match="本会话已有一个训练"):
            TrainTab.queue(tab, "zh", request(session))
        assert TrainTab.queue(tab, "en", request(session + "-other"))  # others are not held
    finally:
        for name in (session, session + "-other"):
            registries.STOP_FLAGS.release(name, registries.STOP_FLAGS.claim(name))
    assert TrainTab.queue(tab, "en", request(session))  # once its run is over, it may again
    registries.STOP_FLAGS.release(session, registries.STOP_FLAGS.claim(session))


def test_refused_settings_leave_the_session_free_to_train_again():
    tab = SimpleNamespace(status="status", bar=SimpleNamespace(running=lambda going: {}))
    session = "fair-bad-settings"
    TrainTab.queue(tab, "en", request(session))  # Train pressed: the run waits for a slot
    with pytest.raises(gr.Error, match="epochs"):
        next(TrainTab.train(tab, {"epochs": 0}, None, "en", request(session)))
    assert not registries.STOP_FLAGS.running(session)  # else "already has a run" forever
    TrainTab.queue(tab, "en", request(session))
    registries.STOP_FLAGS.release(session, registries.STOP_FLAGS.claim(session))


def test_an_api_call_while_the_sessions_run_trains_is_refused():
    run = TrainingRun(TrainConfig(**TINY), threading.Event())
    registries.ACTIVE.add("fair-api", run)
    try:
        with pytest.raises(gr.Error, match="already has a run"):
            one_run("fair-api", "en")
        assert one_run("fair-api-other", "en") == "fair-api-other"
    finally:
        registries.ACTIVE.remove("fair-api", run)


@pytest.mark.parametrize("pause", [True, False])
def test_pause_or_resume_with_no_run_is_a_notice_not_an_error(monkeypatch, pause):
    notices = []
    monkeypatch.setattr(gr, "Info", notices.append)
    bar = SimpleNamespace(pause="pause", resume="resume")
    answer = RunBar._hold(bar, pause, "en", request("fair-nobody"))
    assert notices == ["No training run is going in this session."]
    assert set(answer) == {"pause", "resume"}  # an update for each output, so no error
    assert not any(button.interactive for button in answer.values())
