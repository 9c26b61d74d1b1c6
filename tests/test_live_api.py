"""Steering a training run live through the public API (gradio_client), as a teacher's
buttons and sliders do: change the learning rate, pause and resume, stop, then train on for
more epochs; and a learning rate so high that the loss explodes."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest

from digitlab.ui.presets import BY_KEY
from digitlab.ui.verdict import headline
from tests.test_app_api import DIGITS, draw_layer, sketch_value

pytest.importorskip("gradio_client")
from gradio_client import Client  # noqa: E402

pytestmark = pytest.mark.slow

# An MLP run long enough to steer: 3,000 images in batches of 16 for 20 epochs.
LONG = dict(
    model="MLP", hidden="64", lr=0.005, epochs=20, batch_size=16, optimizer="adam",
    schedule="constant", subset=3000, seed=0,
)  # fmt: skip
STATUS, LOSSES, PICKER, TABLE, CHANGES = 0, 1, 6, 7, 9  # /train's and /extend's outputs


def wait_for(condition, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def latest(job, index: int):
    outputs = job.outputs()
    return outputs[-1][index] if outputs else None


def loss_points(frame: dict, run: str = "#1") -> pd.DataFrame:
    data = pd.DataFrame(frame["data"], columns=frame["columns"]).dropna()
    return data[data["run"] == run]


@pytest.fixture
def client(app_module) -> Client:
    client = Client(app_module.url, verbose=False)
    yield client
    client.predict(api_name="/stop")  # a failed test leaves no run holding the training slot


def test_lr_change_pause_resume_stop_then_more_epochs(client):
    job = client.submit(**LONG, api_name="/train")
    wait_for(lambda: (latest(job, STATUS) or "").startswith("Epoch"), timeout=60)

    assert client.predict("lr", 0.05, api_name="/steer") == "ok"
    wait_for(lambda: "→ 0.05" in (latest(job, CHANGES) or ""), timeout=10)
    assert "learning rate 0.005 → 0.05 at epoch" in latest(job, CHANGES)

    client.predict(api_name="/pause")
    wait_for(lambda: (latest(job, STATUS) or "").startswith("Paused at epoch"), timeout=10)
    held = len(loss_points(latest(job, LOSSES)))
    time.sleep(1.5)
    assert len(loss_points(latest(job, LOSSES))) == held  # no step while paused
    client.predict(api_name="/resume")
    wait_for(lambda: len(loss_points(latest(job, LOSSES))) > held, timeout=10)

    client.predict(api_name="/stop")
    wait_for(job.done, timeout=10)
    stopped = job.result()
    assert stopped[STATUS].startswith("Stopped"), stopped[STATUS]
    stopped_at = loss_points(stopped[LOSSES])["epoch"].max()
    marks = pd.DataFrame(stopped[LOSSES]["data"], columns=stopped[LOSSES]["columns"])
    assert (marks[marks["run"] == "Δ"]["loss"].dropna() > 0).any()  # the change's rule

    more = client.predict(1, api_name="/extend")
    assert more[STATUS].startswith("Finished"), more[STATUS]
    points = loss_points(more[LOSSES])
    assert points["epoch"].max() == pytest.approx(stopped_at + 1, abs=0.05)  # the same curve
    assert points["epoch"].min() < stopped_at  # ... from its start, not a new run
    assert [row[0] for row in more[TABLE]["data"]] == [1]  # still one run in the table
    assert "learning rate 0.005 → 0.05" in more[CHANGES]  # its marks kept


def test_steering_without_a_run_and_bad_values_say_why(client):
    with pytest.raises(Exception, match="No training run"):
        client.predict("lr", 0.1, api_name="/steer")
    with pytest.raises(Exception, match="Train a model first"):
        client.predict(1, api_name="/extend")
    for endpoint in ("/pause", "/resume"):  # a notice, as /stop's: no error with no message
        client.predict(api_name=endpoint)
    job = client.submit(**LONG, api_name="/train")
    wait_for(lambda: (latest(job, STATUS) or "").startswith("Epoch"), timeout=60)
    with pytest.raises(Exception, match="learning rate"):
        client.predict("lr", -1.0, api_name="/steer")
    with pytest.raises(Exception, match="expected one of"):
        client.predict("batch_size", 8, api_name="/steer")
    client.predict(api_name="/stop")
    wait_for(job.done, timeout=10)


def test_the_too_high_lesson_explodes_and_says_what_to_try(client, shipped, tmp_path):
    settings = {**BY_KEY["lr_high"].values(), "model": "MLP"}
    result = client.predict(**settings, api_name="/train")
    status = result[STATUS]
    assert "learning rate 3.2 is too high for momentum" in status, status
    assert "try 0.3" in status, status
    names = [name for name, _ in result[PICKER]["choices"]]
    assert any(name.startswith("Run 1") and "diverged" in name for name in names), names
    # The loss chart stays readable: the explosion is drawn at the ceiling, not at 3,000.
    assert loss_points(result[LOSSES])["loss"].max() <= 3.0
    # Drawing against the diverged model shows no "nan%" anywhere.
    run = next(name for name in names if name.startswith("Run 1"))
    value = sketch_value(draw_layer(DIGITS[7]), tmp_path)
    verdict = client.predict(value, run, api_name="/predict")[0]
    assert "nan" not in verdict.lower(), verdict


def test_a_model_without_numbers_shows_no_digit():
    verdict = headline(np.full(10, np.nan), "Run 1")
    assert 'class="dl-digit">?<' in verdict and "diverged" in verdict
    assert "nan" not in verdict.lower()
