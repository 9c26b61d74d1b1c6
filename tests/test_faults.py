"""Faults a class meets: double clicks, closed browsers, bad checkpoints, no data, no memory.

Against the app launched in this process (gradio_client, or raw HTTP where a browser's own
protocol matters), with real MNIST, real checkpoints and a real allocator failure.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import gradio as gr
import httpx
import pytest

from benchmarks.app_latency import train_data
from digitlab.config import TrainConfig
from digitlab.training.checkpoint import SHIPPED
from digitlab.training.events import Done
from digitlab.training.live import THREAD_NAME
from digitlab.training.trainer import train
from digitlab.ui import common, registries
from digitlab.ui.predict_api import predict_image
from digitlab.ui.sessions import MAX_SESSION_MODELS, SessionRuns, ShippedModels, discard_session
from tests.test_fuzz_api import b64, seven

gradio_client = pytest.importorskip("gradio_client")
from gradio_client import Client  # noqa: E402

QUICK = dict(
    model="MLP", hidden="16", activation="relu", channels="8", batch_norm=True, lr=0.0032,
    epochs=1, batch_size=64, optimizer="adam", weight_decay=0.0, dropout=0.0,
    schedule="constant", augment="off", subset=300, seed=0,
)  # fmt: skip
LONG = {**QUICK, "epochs": 20, "batch_size": 16, "subset": 3000}  # minutes unless stopped


@pytest.fixture(scope="module")
def url(app_module) -> str:
    """The URL of the app launched in this process (conftest.py)."""
    return app_module.url


def workers() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == THREAD_NAME and t.is_alive()]


def wait_for(condition, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"condition not met within {timeout} s"
        time.sleep(0.05)


def started(job) -> bool:
    return any(out[0].startswith("Epoch") for out in job.outputs())


def test_train_twice_stop_twice_and_instant_cancel_leave_no_stuck_state(url):
    client = Client(url, verbose=False)
    # A long first run: still going when Train is pressed again (a quick one can be over by
    # then on the small stand-in data, and the second press then rightly trains).
    first = client.submit(**LONG, api_name="/train")
    wait_for(lambda: bool(first.outputs()), timeout=60)  # in the line, or training
    second = client.submit(**QUICK, api_name="/train")  # Train again: one run a session
    with pytest.raises(Exception, match="already has a run waiting or training"):
        second.result()
    assert not first.done()
    client.predict(api_name="/stop")
    wait_for(first.done, timeout=30)
    assert first.result()[0].startswith("Stopped"), first.result()[0]
    again = client.submit(**QUICK, api_name="/train")  # once it has ended, the session trains
    assert again.result()[0].startswith("Finished"), again.result()[0]

    long = client.submit(**LONG, api_name="/train")
    wait_for(lambda: started(long), timeout=60)
    client.predict(api_name="/stop")
    client.predict(api_name="/stop")  # Stop pressed twice
    wait_for(long.done, timeout=10)
    assert long.result()[0].startswith("Stopped"), long.result()[0]
    client.predict(api_name="/stop")  # Stop with nothing running: a notice, not an error
    assert client.predict(**QUICK, api_name="/train")[0].startswith("Finished")

    cancelled = client.submit(**LONG, api_name="/train")
    cancelled.cancel()  # in the line, before or during its first step
    wait_for(cancelled.done, timeout=15)
    wait_for(lambda: not workers() and registries.LINE.counts() == (0, 0), timeout=15)
    assert client.predict(**QUICK, api_name="/train")[0].startswith("Finished")


def test_closing_the_browser_mid_training_ends_the_run_and_frees_the_slot(url):
    # The browser's own protocol: join the queue, read the event stream, then drop it.
    train = next(d for d in httpx.get(f"{url}config").json()["dependencies"]
                 if d.get("api_name") == "train")  # fmt: skip
    session = "closed-tab-" + os.urandom(4).hex()
    joined = httpx.post(
        f"{url}gradio_api/queue/join",
        json={
            "data": train_data(LONG),
            "fn_index": train["id"],
            "session_hash": session,
        },
    )
    assert joined.status_code == 200, joined.text
    with httpx.stream("GET", f"{url}gradio_api/queue/data?session_hash={session}", timeout=60) as s:
        next(line for line in s.iter_lines() if "Epoch" in line)  # training has started
    wait_for(lambda: not workers(), timeout=10)
    status = Client(url, verbose=False).predict(**QUICK, api_name="/train")[0]
    assert status.startswith("Finished"), status


class Payload:
    """A pickle that would create a file if unpickled with code execution allowed."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


def test_bad_checkpoints_are_reported_nothing_runs_and_the_rest_still_works(
    app_module, tmp_path, monkeypatch
):
    marker = tmp_path / "code-ran"
    good = SHIPPED["mlp"].read_bytes()
    files = {
        "garbage": b"this is not a checkpoint",
        "truncated": good[: len(good) // 2],
        "malicious": pickle.dumps({"format": Payload(marker)}),
        "empty": b"",
    }
    paths = {}
    for kind, data in files.items():
        paths[kind] = tmp_path / f"{kind}.pt"
        paths[kind].write_bytes(data)
    paths["missing"] = tmp_path / "missing.pt"
    shipped = ShippedModels(paths)
    assert shipped.names() == [] and len(shipped.problems) == 5, shipped.problems
    assert all(str(p).startswith("The shipped ") for p in shipped.problems), shipped.problems
    assert not marker.exists(), "unpickling ran code"

    monkeypatch.setattr(common, "SHIPPED", shipped)
    with pytest.raises(gr.Error, match="No shipped model"):
        predict_image(b64(seven()), "cnn")
    mixed = ShippedModels({"cnn": SHIPPED["cnn"], "mlp": paths["truncated"]})
    assert len(mixed.names()) == 1 and len(mixed.problems) == 1
    monkeypatch.setattr(common, "SHIPPED", mixed)
    assert predict_image(b64(seven()), "")["digit"] == 7


def test_missing_mnist_says_how_to_fix_it_and_drawing_still_works(url, tmp_path, monkeypatch):
    monkeypatch.setenv("DIGITLAB_DATA", str(tmp_path / "no-mnist-here"))
    monkeypatch.setattr("torchvision.datasets.MNIST.mirrors", ["http://127.0.0.1:9/"])
    client = Client(url, verbose=False)
    with pytest.raises(Exception) as raised:
        client.predict(**QUICK, api_name="/train")
    text = str(raised.value)
    assert "Downloading MNIST" in text and "DIGITLAB_DATA" in text, text
    assert "Traceback" not in text
    result = client.predict(b64(seven()), "cnn", api_name="/predict_image")
    assert result["digit"] == 7
    wait_for(lambda: not workers(), timeout=5)


OOM_SCRIPT = """
import resource, threading
from digitlab.config import TrainConfig
from digitlab.data import load_mnist
from digitlab.training.live import TrainingFailed, TrainingRun

load_mnist()
vm_kb = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmSize"))
limit = vm_kb * 1024 + 700_000_000  # 0.7 GB more; a step's first conv output needs 1.6 GB
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
# Within the step's compute cap (limits.MAX_STEP_MACS: 7 of 10 billion), not within the memory.
cfg = TrainConfig(model="cnn", channels=(256,), batch_size=2048, subset=10_000, epochs=1)
try:
    with TrainingRun(cfg, threading.Event()) as run:
        for _ in run.updates():
            pass
    print("NO ERROR")
except TrainingFailed as error:
    print("MESSAGE:", error)
"""


def test_out_of_memory_is_a_clear_message(mnist_dir):
    # A real allocator failure, in a child process whose address space is capped.
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(OOM_SCRIPT)], capture_output=True, text=True,
        timeout=120, env={**os.environ, "DIGITLAB_DATA": str(mnist_dir)},
    )  # fmt: skip
    assert "MESSAGE: Training ran out of memory: lower the batch size" in done.stdout, (
        done.stdout + done.stderr[-2000:]
    )


def test_a_session_keeps_only_its_last_models_and_deletes_older_checkpoints(mnist):
    runs = SessionRuns()
    for seed in range(MAX_SESSION_MODELS + 2):
        cfg = TrainConfig(model="mlp", hidden=(8,), subset=300, batch_size=100, seed=seed)
        runs.add(next(e for e in train(cfg, mnist) if isinstance(e, Done)), [], [])
    kept = runs.with_models()
    assert [r.number for r in kept] == [3, 4, 5, 6, 7]
    assert sorted(runs.folder.iterdir()) == sorted(r.checkpoint for r in kept)
    assert all(r.predictor is None and r.checkpoint is None for r in runs.records[:2])
    assert len(runs.table()) == 7  # the run table keeps every run, without its model
    folder = runs.folder
    discard_session(runs)
    assert not folder.exists()
    discard_session(None)  # a session that never trained


def test_gradio_dropping_a_session_deletes_its_checkpoint_folder(app_module):
    app = app_module
    client = Client(app.url, verbose=False)
    assert client.predict(**QUICK, api_name="/train")[0].startswith("Finished")
    runs = app.demo.state_holder[client.session_hash][app.runs._id]
    assert len(list(runs.folder.iterdir())) == 1
    app.demo.state_holder.delete_state(client.session_hash)  # what Gradio does on expiry
    assert not runs.folder.exists()
