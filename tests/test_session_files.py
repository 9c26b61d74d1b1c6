"""Session files are bounded in time: an idle session expires with its folder, and a server
killed mid-lesson has its folders swept when the app starts again."""

from __future__ import annotations

import datetime
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from digitlab.config import TrainConfig
from digitlab.limits import SESSION_TTL_S
from digitlab.training.events import Done
from digitlab.training.trainer import train
from digitlab.ui.session_folders import FOLDER_PREFIX, sweep_session_folders
from digitlab.ui.sessions import SessionRuns

ROOT = Path(__file__).resolve().parents[1]
HOLD_A_FOLDER = """
import sys, time
from digitlab.ui.session_folders import new_session_folder
print(new_session_folder(), flush=True)
time.sleep(600)
"""


def made(path: Path, age: float = 0.0, folder: bool = True) -> Path:
    """A folder (or a file) holding one file, last changed `age` seconds ago."""
    if folder:
        path.mkdir()
        (path / "run1-mlp-0.9100.pt").write_bytes(b"weights")
    else:
        path.write_bytes(b"keep me")
    then = time.time() - age
    for entry in [*path.iterdir(), path] if folder else [path]:
        os.utime(entry, (then, then))
    return path


def killed_servers_folder(root: Path) -> Path:
    """A session folder made by a real process that was then killed (SIGKILL: no clean-up)."""
    child = subprocess.Popen(
        [sys.executable, "-c", HOLD_A_FOLDER], cwd=ROOT, stdout=subprocess.PIPE, text=True,
        env={**os.environ, "TMPDIR": str(root)},
    )  # fmt: skip
    folder = Path(child.stdout.readline().strip())
    (folder / "run1-mlp-0.9100.pt").write_bytes(b"weights")
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=10)
    child.stdout.close()
    return folder


def test_folders_of_killed_servers_and_old_ones_are_swept_and_nothing_else(tmp_path):
    old = SESSION_TTL_S + 60
    alive, me = os.getppid(), os.getpid()  # pytest's parent process runs; so does this one
    dead = killed_servers_folder(tmp_path)
    swept = [
        dead,
        made(tmp_path / f"{FOLDER_PREFIX}{alive}-old", age=old),  # alive, but idle past the TTL
        made(tmp_path / f"{FOLDER_PREFIX}ab_cd_ef", age=old),  # named before ids: age decides
    ]
    kept = [
        made(tmp_path / f"{FOLDER_PREFIX}{alive}-new"),
        made(tmp_path / f"{FOLDER_PREFIX}{me}-old", age=old),  # this process's own sessions
        made(tmp_path / f"{FOLDER_PREFIX}x7_q2k9a"),
        # Not ours to touch, however old: another name, a file, a link to a folder.
        made(tmp_path / "digitlab-mnist-123", age=old),
        made(tmp_path / f"{FOLDER_PREFIX}999999999-file", age=old, folder=False),
        made(tmp_path / "precious", age=old),
    ]
    link = tmp_path / f"{FOLDER_PREFIX}999999998-link"
    link.symlink_to(tmp_path / "precious", target_is_directory=True)

    removed = sweep_session_folders(root=tmp_path)

    assert sorted(removed) == sorted(swept)
    assert not any(path.exists() for path in swept)
    assert all(path.exists() for path in kept), [p for p in kept if not p.exists()]
    assert link.is_symlink() and (link / "run1-mlp-0.9100.pt").read_bytes() == b"weights"


def test_the_app_sweeps_at_start_up(tmp_path):
    dead = killed_servers_folder(tmp_path)
    fresh = tmp_path / f"{FOLDER_PREFIX}{os.getppid()}-abc"
    fresh.mkdir()
    started = subprocess.run(
        [sys.executable, "-c", "import app"], cwd=ROOT, capture_output=True, text=True,
        timeout=180, env={**os.environ, "TMPDIR": str(tmp_path)},
    )  # fmt: skip
    assert started.returncode == 0, started.stderr[-2000:]
    assert not dead.exists(), "the killed server's folder is still there"
    assert fresh.is_dir()


def test_a_run_saved_after_its_folder_was_swept_gets_a_new_folder(digits, tmp_path):
    runs = SessionRuns()
    gone = tmp_path / f"{FOLDER_PREFIX}{os.getpid()}-gone"  # its session expired mid-run
    runs.folder = gone
    cfg = TrainConfig(model="mlp", hidden=(8,), subset=300, batch_size=100, epochs=1)
    record = runs.add(next(e for e in train(cfg, digits) if isinstance(e, Done)), [], [])
    assert record.checkpoint.is_file() and record.checkpoint.parent != gone
    assert record.checkpoint.parent.name.startswith(f"{FOLDER_PREFIX}{os.getpid()}-")
    runs.cleanup()
    assert not record.checkpoint.parent.exists()


def test_an_idle_session_expires_with_its_folder(app_module, tmp_path):
    gradio_client = pytest.importorskip("gradio_client")
    from tests.test_app_api import DIGITS, draw_layer, sketch_value

    app = app_module
    assert app.runs.time_to_live == SESSION_TTL_S
    client = gradio_client.Client(app.url, verbose=False)
    quick = dict(
        model="MLP", hidden="16", activation="relu", channels="8", batch_norm=True,
        lr=0.0032, epochs=1, batch_size=64, optimizer="adam", weight_decay=0.0,
        dropout=0.0, schedule="constant", subset=300, seed=0,
    )  # fmt: skip
    outputs = client.predict(**quick, api_name="/train")
    assert outputs[0].startswith("Finished"), outputs[0]
    session = app.demo.state_holder[client.session_hash]
    folder = session[app.runs._id].folder
    run_name = session[app.runs._id].records[0].name
    app.demo.state_holder.delete_all_expired_state()  # what Gradio runs every second
    assert folder.is_dir(), "a session that just trained must not expire"
    # Gradio keeps (time to live, last set) per state: make the last update older than the TTL.
    ttl, last_set = session._state_ttl[app.runs._id]
    session._state_ttl[app.runs._id] = (ttl, last_set - datetime.timedelta(seconds=ttl + 1))
    deadline = time.monotonic() + 10
    while folder.exists() and time.monotonic() < deadline:  # Gradio's own sweep, each second
        time.sleep(0.1)
    assert not folder.exists(), "the expired session's checkpoint folder is still there"
    # The student comes back to the page: the run is gone, and the Draw tab says so.
    seven = sketch_value(draw_layer(DIGITS[7]), tmp_path)
    verdict, *_ = client.predict(seven, run_name, api_name="/predict")
    assert f"{run_name} is no longer kept" in verdict, verdict
