"""Cold start: seconds from `python app.py` to the first answered prediction (plain HTTP).

python -m benchmarks.cold_start [--runs 3] [--port 7880]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

from benchmarks.app_latency import call, seven_png

ROOT = Path(__file__).resolve().parent.parent


@contextlib.contextmanager
def serve_app(port: int, timeout: float = 120.0) -> Iterator[tuple[str, float]]:
    """Start `python app.py` on port; yield (url, seconds until it answered a prediction)."""
    env = {**os.environ, "GRADIO_SERVER_NAME": "127.0.0.1", "GRADIO_SERVER_PORT": str(port)}
    url = f"http://127.0.0.1:{port}"
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "app.py"], cwd=ROOT, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        seconds = _first_prediction(url, start, timeout, proc)
        yield url, seconds
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _first_prediction(url: str, start: float, timeout: float, proc: subprocess.Popen) -> float:
    image = seven_png()
    with httpx.Client(base_url=url, timeout=10) as client:
        while time.perf_counter() - start < timeout:
            if proc.poll() is not None:
                raise RuntimeError(f"app.py exited with {proc.returncode} before answering")
            try:
                result = json.loads(call(client, "predict_image", [image, "cnn"])[-1])[0]
            except (httpx.HTTPError, RuntimeError, KeyError, ValueError):
                time.sleep(0.02)  # not listening yet, or the app is still starting
                continue
            if result["digit"] != 7:
                raise RuntimeError(f"first prediction was wrong: {result}")
            return time.perf_counter() - start
    raise TimeoutError(f"no prediction answered within {timeout:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--port", type=int, default=7880)
    args = parser.parse_args()
    times = []
    for _ in range(args.runs):
        with serve_app(args.port) as (_, seconds):
            times.append(seconds)
    print(f"cold start to first prediction: median {statistics.median(times):.2f} s "
          f"(runs: {', '.join(f'{t:.2f}' for t in times)})")  # fmt: skip


if __name__ == "__main__":
    main()
