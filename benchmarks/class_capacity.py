"""How many strokes a second one app process answers flat out, and what share of the time its
threads hold Python's GIL: the ceiling on students that more cores cannot raise.

--clients sessions each send the Draw tab's stroke request (the canvas's change with a 280x280
PNG of a drawn digit, as the page sends it: /queue/join, then the queue stream) again as soon as
the last one is answered, for --seconds. Reports strokes/s, the server's busy cores and CPU ms a
stroke, latency, and (with py-spy installed) how often a thread held the GIL. Pin the server
with --server-cpus to measure one core; run this script itself on other CPUs (taskset).

    taskset -c 1 python -m benchmarks.class_capacity --server-cpus 0
"""

from __future__ import annotations

import argparse
import base64
import io
import secrets
import shutil
import statistics
import subprocess
import threading
import time

import httpx
import numpy as np
from PIL import Image

from benchmarks.class_page import predict_fns
from benchmarks.class_server import cpu_seconds, serve
from benchmarks.strokes import draw, render


def drawing() -> str:
    """A drawn 7 on the canvas, as the page sends it: a PNG data URL, ink in the alpha channel."""
    ink = render(draw("7-plain", np.random.default_rng(0)), [24])[0]
    out = io.BytesIO()
    Image.fromarray(ink, "RGBA").save(out, "PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


def client(url: str, body: dict, until: float, latencies: list[float]) -> None:
    """One session sending strokes back to back."""
    session = body["session_hash"] = secrets.token_hex(6)
    with httpx.Client(base_url=url, timeout=60) as http:
        while time.monotonic() < until:
            began = time.perf_counter()
            http.post("/gradio_api/queue/join", json=body).raise_for_status()
            with http.stream("GET", f"/gradio_api/queue/data?session_hash={session}") as stream:
                for line in stream.iter_lines():
                    if "close_stream" in line:
                        break
            latencies.append((time.perf_counter() - began) * 1000)


def gil_share(pid: int, seconds: float) -> float | None:
    """The share of samples in which some thread of pid held the GIL (py-spy), or None."""
    if not shutil.which("py-spy"):
        return None
    rate, out = 100, f"/tmp/class-capacity-{pid}.txt"
    subprocess.run(
        ["py-spy", "record", "-p", str(pid), "-d", str(int(seconds)), "-r", str(rate), "--gil",
         "--nonblocking", "-f", "raw", "-o", out], capture_output=True, check=False,
    )  # fmt: skip
    with open(out) as samples:
        held = sum(int(line.rsplit(" ", 1)[1]) for line in samples if line.strip())
    return held / (seconds * rate)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--port", type=int, default=7883)
    parser.add_argument("--server-cpus", help="pin the app to these CPUs (taskset -c)")
    args = parser.parse_args()
    with serve(args.port, args.server_cpus) as (url, pid):
        config = httpx.get(f"{url}/config").json()
        ids = {c.get("props", {}).get("elem_id"): c["id"] for c in config["components"]}
        body = {"data": [drawing(), None, None, "en", 70], "event_data": None,
                "fn_index": min(predict_fns(config)), "trigger_id": ids["dl-canvas"]}  # fmt: skip
        until, latencies = time.monotonic() + args.seconds + 5, []
        crowd = [
            threading.Thread(target=client, args=(url, dict(body), until, latencies))
            for _ in range(args.clients)
        ]
        for thread in crowd:
            thread.start()
        time.sleep(5)  # warmed up
        used, done, began = cpu_seconds(pid), len(latencies), time.monotonic()
        gil = gil_share(pid, args.seconds - 1) if args.seconds > 2 else None
        time.sleep(max(0.0, began + args.seconds - 1 - time.monotonic()))
        used, done = cpu_seconds(pid) - used, len(latencies) - done
        took = time.monotonic() - began
        for thread in crowd:
            thread.join()
    rate = done / took
    pinned = f" (app on CPUs {args.server_cpus})" if args.server_cpus else ""
    print(f"{args.clients} sessions flat out{pinned}: {rate:.1f} strokes/s, "
          f"server {used / took:.2f} cores busy, {1000 * used / max(1, done):.1f} ms CPU a stroke, "
          f"latency p50 {statistics.median(latencies):.0f} ms")  # fmt: skip
    if gil is not None:
        print(
            f"a thread held the GIL {gil:.0%} of the time: one process answers at most about "
            f"{rate / max(gil, 1e-9):.0f} strokes/s however many cores it has"
        )


if __name__ == "__main__":
    main()
