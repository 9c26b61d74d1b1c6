"""Issue 29's memory and disk attack on the app, as a visitor would make it: many wide training
runs from one session, thousands of sessions, big uploads no event uses, Inside-tab calls, then
a restart. Prints the server's RSS and the size of its Gradio cache folder after each step.

The app runs in a subprocess on a free port with its own GRADIO_TEMP_DIR (a temporary folder),
and is driven over HTTP (gradio_client for training, raw calls for the rest).

    python -m benchmarks.attack_memory            # 40 runs, 2,000 sessions, 40 uploads
    python -m benchmarks.attack_memory --quick    # 6 runs, 200 sessions, 10 uploads
"""

from __future__ import annotations

import argparse
import base64
import io
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import numpy as np
from PIL import Image, ImageDraw

from digitlab.ui.session_folders import FOLDER_PREFIX

ROOT = Path(__file__).resolve().parents[1]
WIDE = dict(
    model="MLP", hidden="4096", activation="relu", channels="8", batch_norm=True, lr=0.0032,
    epochs=1, batch_size=64, optimizer="adam", weight_decay=0.0, dropout=0.0,
    schedule="constant", augment="off", subset=300, seed=0,
)  # fmt: skip
UPLOAD_BYTES = 4_900_000  # just under the app's 5 MB upload cap


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """The app in a subprocess, its RSS and its cache folder."""

    def __init__(self, temp: Path) -> None:
        self.temp, self.port = temp, free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        env = {**os.environ, "GRADIO_TEMP_DIR": str(temp), "GRADIO_SERVER_NAME": "127.0.0.1"}
        code = f"import app; app.launch(server_port={self.port}, quiet=True)"
        self.process = subprocess.Popen(
            [sys.executable, "-c", code], cwd=ROOT, env=env, stdout=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.url, timeout=5).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.5)
        raise RuntimeError("the app did not start in 300 s")

    def rss_mb(self) -> float:
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        line = next(line for line in status.splitlines() if line.startswith("VmRSS:"))
        return int(line.split()[1]) / 1024

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)  # a crash: no clean-up of its own
        self.process.wait(timeout=30)


def disk(temp: Path) -> tuple[float, float, int]:
    """MB on disk under temp: all, outside the session folders; and the number of files."""
    total = cache = 0
    files = 0
    for path in temp.rglob("*"):
        if path.is_file() and not path.is_symlink():
            size = path.stat().st_blocks * 512
            total += size
            files += 1
            if not any(p.name.startswith(FOLDER_PREFIX) for p in path.parents):
                cache += size
    return total / 2**20, cache / 2**20, files


def digit_png(seed: int) -> str:
    """A random scribble on a 280x280 canvas as a PNG data URL (ink black on transparent)."""
    rng = np.random.default_rng(seed)
    layer = Image.new("RGBA", (280, 280), (0, 0, 0, 0))
    points = [tuple(p) for p in rng.integers(60, 220, size=(5, 2)).tolist()]
    ImageDraw.Draw(layer).line(points, fill=(0, 0, 0, 255), width=24, joint="curve")
    png = io.BytesIO()
    layer.save(png, "PNG")
    return "data:image/png;base64," + base64.b64encode(png.getvalue()).decode()


def train_runs(client, n: int) -> None:
    """n wide runs from the session of this gradio_client.Client."""
    for _ in range(n):
        status = client.predict(**WIDE, api_name="/train")[0]
        if not status.startswith("Finished"):
            raise RuntimeError(status)


def sessions(server: Server, n: int) -> None:
    """n new sessions: each /call without a session hash is a new one."""
    seven = digit_png(7)
    with httpx.Client(base_url=server.url + "gradio_api/", timeout=60) as http:
        for _ in range(n):
            event = http.post("call/predict_image", json={"data": [seven, "cnn"]}).json()
            http.get(f"call/predict_image/{event['event_id']}").raise_for_status()


def join(http: httpx.Client, fn: dict, data: list, session: str) -> None:
    """One event as the page sends it (queue/join from `session`), waited for to its end."""
    body = {"data": data, "fn_index": fn["id"], "session_hash": session,
            "trigger_id": fn["targets"][0][0]}  # fmt: skip
    http.post("queue/join", json=body).raise_for_status()
    with http.stream("GET", "queue/data", params={"session_hash": session}) as stream:
        for line in stream.iter_lines():
            if line.startswith("data:") and "process_completed" in line:
                if not json.loads(line[5:]).get("success"):
                    raise RuntimeError(line[:500])
                return


def page_sessions(server: Server, n: int) -> None:
    """n new page sessions, each a stroke on the Draw tab as the page sends it (queue/join with
    a session hash of its own): Gradio keeps a session state for each, as for a visitor's tab."""
    config = httpx.get(server.url + "config", timeout=30).json()
    by_elem = {c["props"].get("elem_id"): c for c in config["components"]}
    verdict = by_elem["dl-verdict"]["id"]
    fn = next(d for d in config["dependencies"] if verdict in d["outputs"] and d["targets"])
    values = {c["id"]: c["props"].get("value") for c in config["components"]}
    seven = digit_png(7)
    with httpx.Client(base_url=server.url + "gradio_api/", timeout=60) as http:
        for i in range(n):
            session = f"visitor{i:05d}"
            data = [seven if k == fn["inputs"][0] else values.get(k) for k in fn["inputs"]]
            join(http, fn, data, session)


def uploads(server: Server, n: int) -> tuple[int, int]:
    """n uploads of UPLOAD_BYTES random bytes that no event uses: (taken, refused)."""
    taken = refused = 0
    with httpx.Client(base_url=server.url + "gradio_api/", timeout=60) as http:
        for i in range(n):
            data = np.random.default_rng(i).bytes(UPLOAD_BYTES)
            reply = http.post("upload", files={"files": (f"big{i}.png", data)})
            ok = reply.status_code == 200
            taken, refused = taken + ok, refused + (not ok)
    return taken, refused


def inside_calls(server: Server, n: int) -> None:
    """n Inside-tab views of n different drawings, as the page asks for them (queue/join)."""
    config = httpx.get(server.url + "config", timeout=30).json()
    strip = next(c["id"] for c in config["components"] if c["props"].get("elem_id") == "dl-strip")
    fn = next(d for d in config["dependencies"] if strip in d["outputs"])
    picker = next(c for c in config["components"] if c["props"].get("elem_id") == "dl-picker")
    model = picker["props"]["choices"][0][1]
    with httpx.Client(base_url=server.url + "gradio_api/", timeout=60) as http:
        for i in range(n):
            session = f"attack{i:05d}"
            join(http, fn, [digit_png(i), model, True, None, "en", None], session)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (a smoke run)")
    args = parser.parse_args()
    runs, many, ups, views = (6, 200, 10, 10) if args.quick else (40, 2000, 40, 40)
    rows = []
    with tempfile.TemporaryDirectory(prefix="attack-memory-") as folder:
        temp = Path(folder)
        server = Server(temp)

        def row(step: str, seconds: float, note: str = "") -> None:
            total, cache, files = disk(temp)
            rows.append((step, server.rss_mb(), total, cache, files, seconds, note))
            print(rows[-1], flush=True)

        sessions(server, 3)  # warm: the shipped models answered once
        row("started", 0)
        from gradio_client import Client

        client = Client(server.url, verbose=False)  # one session for every run
        start = time.monotonic()
        train_runs(client, 1)
        row("1 run of MLP 4096 (1 epoch, 300 images): MNIST loaded", time.monotonic() - start)
        start = time.monotonic()
        train_runs(client, runs - 1)
        row(f"{runs} runs of MLP 4096 (1 epoch, 300 images), one session",
            time.monotonic() - start)  # fmt: skip
        start = time.monotonic()
        sessions(server, many)
        row(f"{many:,} new sessions (/call/predict_image)", time.monotonic() - start)
        start = time.monotonic()
        page_sessions(server, many)
        row(f"{many:,} new page sessions (a stroke each, queue/join)", time.monotonic() - start)
        start = time.monotonic()
        taken, refused = uploads(server, ups)
        row(f"{ups} uploads of 4.9 MB nothing uses", time.monotonic() - start,
            f"{taken} taken, {refused} refused")  # fmt: skip
        start = time.monotonic()
        inside_calls(server, views)
        row(f"{views} Inside-tab views of new drawings", time.monotonic() - start)
        server.kill()
        server = Server(temp)
        row("killed, started again", 0)
        server.kill()
    print()
    print("| step | RSS MB | temp dir MB | cache MB (no session folders) | files | s | note |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for step, rss, total, cache, files, seconds, note in rows:
        print(f"| {step} | {rss:,.0f} | {total:,.1f} | {cache:,.1f} | {files:,} | "
              f"{seconds:,.0f} | {note} |")  # fmt: skip


if __name__ == "__main__":
    main()
