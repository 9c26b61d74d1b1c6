"""The app's memory and disk stay within their budget whatever a visitor calls (issue 29): a
session's old runs let go of their models, a run writes nothing to Gradio's cache until its
checkpoints are asked for, unused uploads are swept, an upload past the budget is refused, and
what a killed server left is deleted when the next one starts."""

from __future__ import annotations

import gc
import os
import signal
import subprocess
import sys
import time
import weakref
from pathlib import Path

import httpx
import pytest

from digitlab.limits import CACHE_BUDGET_BYTES, CACHE_MIN_AGE_S, UPLOAD_TTL_S
from digitlab.ui.session_folders import CACHE_PREFIX, FOLDER_PREFIX, sweep_cache_folders
from digitlab.ui.sessions import MAX_SESSION_MODELS

gradio_client = pytest.importorskip("gradio_client")

ROOT = Path(__file__).resolve().parents[1]
QUICK = dict(
    model="MLP", hidden="16", activation="relu", channels="8", batch_norm=True, lr=0.0032,
    epochs=1, batch_size=64, optimizer="adam", weight_decay=0.0, dropout=0.0,
    schedule="constant", augment="off", subset=300, seed=0,
)  # fmt: skip
HOLD_A_CACHE = """
import sys, time
from digitlab.ui.session_folders import use_process_cache
folder = use_process_cache()
(folder / "abc123").mkdir()
(folder / "abc123" / "picture.png").write_bytes(b"png")
print(folder, flush=True)
time.sleep(600)
"""


def cached_files(app) -> list[Path]:
    """Files in the app's Gradio cache outside the session folders."""
    return [
        path for path in app.CACHE.rglob("*")
        if path.is_file() and not any(p.name.startswith(FOLDER_PREFIX) for p in path.parents)
    ]  # fmt: skip


def test_gradio_writes_into_the_process_cache_folder(app_module):
    app = app_module
    assert app.CACHE.name.startswith(f"{CACHE_PREFIX}{os.getpid()}-")
    assert Path(app.demo.GRADIO_CACHE) == app.CACHE
    assert os.environ["GRADIO_TEMP_DIR"] == str(app.CACHE)


def test_old_runs_let_go_of_their_models_and_checkpoints_wait_to_be_asked(app_module):
    app = app_module
    client = gradio_client.Client(app.url, verbose=False)
    before = {path for path in cached_files(app) if path.suffix == ".pt"}
    first = client.predict(**QUICK, api_name="/train")
    assert first[0].startswith("Finished"), first[0]
    assert first[8] is None, "a run put its checkpoints in the downloads before being asked"
    runs = app.demo.state_holder[client.session_hash][app.runs._id]
    model = weakref.ref(runs.records[0].predictor.model)
    oldest_file = runs.records[0].checkpoint
    for _ in range(MAX_SESSION_MODELS):
        outputs = client.predict(**QUICK, api_name="/train")
        assert outputs[0].startswith("Finished"), outputs[0]
    gc.collect()
    assert model() is None, gc.get_referrers(model())
    oldest = runs.records[0]
    assert oldest.predictor is None and oldest.done.model is None and oldest.losses == []
    assert not oldest_file.exists()
    assert len(runs.records) == MAX_SESSION_MODELS + 1  # every run keeps its row
    assert [r.number for r in runs.with_models()] == list(range(2, MAX_SESSION_MODELS + 2))
    assert {p for p in cached_files(app) if p.suffix == ".pt"} == before, "a .pt was copied"

    files = client.predict(api_name="/downloads")
    names = sorted(Path(f).name for f in files)
    assert names == sorted(r.checkpoint.name for r in runs.with_models())
    assert {p for p in cached_files(app) if p.suffix == ".pt"} == before, "a .pt was copied"


def test_an_upload_nothing_uses_is_swept(app_module, tmp_path):
    app = app_module
    picture = tmp_path / "unused.png"
    picture.write_bytes(b"\x89PNG not really" * 1000)
    reply = httpx.post(f"{app.url}gradio_api/upload", files={"files": picture.open("rb")})
    assert reply.status_code == 200, reply.text
    (uploaded,) = reply.json()
    assert Path(uploaded).is_file() and Path(uploaded).is_relative_to(app.CACHE)
    assert uploaded in app.demo.upload_file_set
    app.BUDGET.sweep()
    assert Path(uploaded).is_file(), "a fresh upload was swept"
    removed = app.BUDGET.sweep(now=time.time() + UPLOAD_TTL_S + 1)
    assert Path(uploaded) in removed and not Path(uploaded).exists()
    assert uploaded not in app.demo.upload_file_set  # Gradio's record of it goes too


def test_an_upload_past_the_budget_is_refused_until_room_is_made(app_module, tmp_path):
    app = app_module
    hog = app.CACHE / "hog" / "big.bin"  # sparse: counts its full size, takes no disk
    hog.parent.mkdir()
    with hog.open("wb") as f:
        f.truncate(CACHE_BUDGET_BYTES)
    assert hog not in app.BUDGET.sweep()  # the periodic sweep counts it, too young to go
    picture = tmp_path / "digit.png"
    picture.write_bytes(b"\x89PNG" * 100)
    try:
        refused = httpx.post(f"{app.url}gradio_api/upload", files={"files": picture.open("rb")})
        assert refused.status_code == 503
        assert "space for uploads is full" in refused.text
        # Once the hog is old enough to go, the next upload sweeps it away and is let in.
        old = time.time() - CACHE_MIN_AGE_S - 1
        os.utime(hog, (old, old))
        taken = httpx.post(f"{app.url}gradio_api/upload", files={"files": picture.open("rb")})
        assert taken.status_code == 200, taken.text
        assert not hog.exists()
    finally:
        hog.unlink(missing_ok=True)


def test_start_up_deletes_the_cache_folders_of_gone_servers(tmp_path):
    env = {**os.environ, "GRADIO_TEMP_DIR": str(tmp_path)}
    child = subprocess.Popen(
        [sys.executable, "-c", HOLD_A_CACHE], cwd=ROOT, stdout=subprocess.PIPE, text=True, env=env
    )
    killed = Path(child.stdout.readline().strip())
    child.send_signal(signal.SIGKILL)  # no clean-up of its own
    child.wait(timeout=10)
    child.stdout.close()
    assert killed.parent == tmp_path.resolve() and (killed / "abc123" / "picture.png").is_file()
    alive = tmp_path / f"{CACHE_PREFIX}{os.getppid()}-running"  # another server's, running
    alive.mkdir()
    others = tmp_path / "0123abcd"  # not ours to judge
    others.mkdir()

    assert sweep_cache_folders(tmp_path.resolve()) == [killed]
    assert not killed.exists() and alive.is_dir() and others.is_dir()
