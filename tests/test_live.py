"""TrainingRun as the UI drives it: steering from another thread, Stop, more epochs."""

import threading

import pytest

from digitlab.config import TrainConfig
from digitlab.training.live import THREAD_NAME, TrainingRun, continue_run, finished_text


def _workers() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == THREAD_NAME]


def test_the_ui_thread_changes_pauses_and_resumes_a_run(mnist):
    cfg = TrainConfig(
        model="mlp",
        hidden=(32,),
        subset=640,
        batch_size=64,
        epochs=200,
        schedule="constant",
    )  # fmt: skip  (2,000 steps: it is still going when the test is done with it)
    stop = threading.Event()
    paused_views = []
    with TrainingRun(cfg, stop) as run:
        for view in run.updates():
            if view.losses and not paused_views and not run.steering.paused:
                run.change(lr=0.05)  # the default is 0.02
                run.pause()
            elif view.paused:
                paused_views.append(len(view.losses))
                if len(paused_views) == 3:  # three updates (>= 0.8 s) without a new loss
                    run.resume()
            elif paused_views and len(view.losses) > paused_views[-1] + 2:
                stop.set()
    assert not _workers()  # the stopped run's thread is over when the consumer returns
    assert len(set(paused_views)) == 1  # no step while paused
    change = view.changes[0]
    assert (change.name, change.new) == ("lr", 0.05)
    assert view.lrs[-1][1] == 0.05 and not view.paused
    assert view.done.stopped and view.done.metrics["ended"] == "stopped"


def test_stop_ends_a_big_models_run_and_keeps_its_partial_model(mnist):
    # How soon is not asserted (a timed test fails on a busy machine): that it stops, is.
    cfg = TrainConfig(model="mlp", hidden=(2048, 1024), subset=20_000, batch_size=256, epochs=1)
    stop = threading.Event()
    with TrainingRun(cfg, stop) as run:
        for view in run.updates():
            if view.losses:
                stop.set()  # as the Stop button does
    assert not _workers()
    done = view.done
    assert done.stopped and done.metrics["steps"] < cfg.total_steps
    assert 100 <= done.metrics["test_sample"] <= 1_000  # evaluated on a sample, and says so


def test_more_epochs_continue_the_runs_curves_in_the_view(mnist):
    cfg = TrainConfig(model="mlp", hidden=(32,), subset=640, batch_size=64, epochs=2)
    with TrainingRun(cfg, threading.Event()) as run:
        first = list(run.updates())[-1]
    with continue_run(first.done, 1, threading.Event(), earlier=first) as run:
        statuses = []
        for view in run.updates():
            statuses.append(str(view.status))
    assert view.losses[: len(first.losses)] == first.losses  # the old curve is kept...
    added = view.losses[len(first.losses) :]
    assert added and added[0][0] > first.losses[-1][0] and added[-1][0] == 3.0  # ...and goes on
    assert view.accuracies[-1][0] == 3.0 and len(view.accuracies) > len(first.accuracies)
    assert [(c.name, c.old, c.new) for c in view.changes] == [("epochs", 2.0, 3.0)]
    assert view.done.metrics["steps"] == 30 and "3" in finished_text(view.done)
    assert any("/3 " in status for status in statuses)  # the status counts the new length


def test_a_diverged_run_is_flagged_in_the_view(mnist):
    cfg = TrainConfig(
        model="mlp", optimizer="sgd", schedule="constant", lr=10.0, subset=3000, batch_size=64,
    )  # fmt: skip
    with TrainingRun(cfg, threading.Event()) as run:
        view = list(run.updates())[-1]
    assert view.diverged and view.done.divergence.suggested_lr == pytest.approx(1.0)
    assert all(loss <= view.losses[-1][1] for _, loss in view.losses)  # finite, clipped
    assert finished_text(view.done)


def test_the_warm_up_trains_each_default_model_a_little_without_mnist(monkeypatch):
    """What app.launch starts: a few steps of each default run on random images (no MNIST
    needed or read), the CNN's and the MLP's."""
    from digitlab.training import live, trainer

    def no_mnist(*args, **kwargs):
        raise AssertionError("the warm-up read MNIST")

    built = []
    real_build = trainer.build_model
    monkeypatch.setattr(trainer, "load_mnist", no_mnist)
    monkeypatch.setattr(trainer, "build_model", lambda cfg: built.append(cfg) or real_build(cfg))
    errors = []
    thread = threading.Thread(target=lambda: _catch(live.warm_up, errors))
    thread.start()
    thread.join(timeout=120)
    assert not thread.is_alive() and errors == []
    assert [cfg.model for cfg in built] == ["cnn", "mlp"]


def _catch(work, errors: list) -> None:
    try:
        work()
    except Exception as error:  # reported to the test's thread
        errors.append(error)
