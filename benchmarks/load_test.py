"""A class at once: N students each send a drawing for prediction about twice a second.

Every student is a thread with its own HTTP connection that POSTs a base64 PNG of a drawn 7 to
/predict_image at --rate calls per second for --seconds, optionally while one training run goes
on. Reports p50/p99 latency, errors, and the training run's slowdown (its train time under load
over its train time alone). Loopback only, and bounded: at most students x rate x seconds
requests, and every request times out.

    python -m benchmarks.load_test --serve --students 30 --seconds 60 --train   # starts app.py
    python -m benchmarks.load_test --url http://127.0.0.1:7860                   # a running app
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import statistics
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlparse

import httpx

from benchmarks.app_latency import TRAIN_SETTINGS, call, seven_png, train_data
from benchmarks.cold_start import serve_app

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
# The app_latency run, one epoch: ~40 steps, long enough to overlap the load on a small CPU.
LOAD_TRAIN_SETTINGS = {**TRAIN_SETTINGS, "epochs": 1}


@dataclass
class LoadResult:
    """What the load run saw."""

    latencies_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    train_s: float | None = None  # train time of the run made under load (from its status)

    @property
    def requests(self) -> int:
        """Requests sent, answered or not."""
        return len(self.latencies_ms) + len(self.errors)

    def summary(self) -> str:
        """One line of figures."""
        if len(self.latencies_ms) < 2:
            return f"{self.requests} requests, {len(self.errors)} errors"
        q = statistics.quantiles(self.latencies_ms, n=100)
        return (
            f"{self.requests} requests in {self.seconds:.0f} s "
            f"({self.requests / self.seconds:.1f}/s), errors {len(self.errors)}, "
            f"p50 {q[49]:.0f} ms, p99 {q[98]:.0f} ms, max {max(self.latencies_ms):.0f} ms"
        )


def check_loopback(url: str) -> None:
    """Refuse any target but this machine: a load test must never hit someone else's server."""
    host = urlparse(url).hostname
    if host not in LOOPBACK:
        raise SystemExit(f"load_test only targets loopback (127.0.0.1, localhost), not {host!r}")


def student(url: str, rate: float, deadline: float, result: LoadResult, lock: threading.Lock):
    """One student: a prediction every 1/rate seconds (jittered start) until the deadline."""
    image, period = seven_png(), 1.0 / rate
    due = time.monotonic() + random.uniform(0, period)
    with httpx.Client(base_url=url, timeout=30) as client:
        # Both bounds: the schedule (at most rate x seconds calls) and the wall clock, so a
        # server slower than the offered load does not stretch the run past its time.
        while due < deadline and time.monotonic() < deadline:
            time.sleep(max(0.0, due - time.monotonic()))
            start = time.perf_counter()
            try:
                digit = json.loads(call(client, "predict_image", [image, "cnn"])[-1])[0]["digit"]
                error = None if digit == 7 else f"wrong digit {digit}"
            except Exception as failure:  # a load test counts failures; it does not stop at one
                error = f"{type(failure).__name__}: {failure}"
            took = (time.perf_counter() - start) * 1000
            with lock:
                if error:
                    result.errors.append(error)
                else:
                    result.latencies_ms.append(took)
            due += period  # fixed schedule: a slow answer does not lower the offered load


def train_seconds(url: str, settings: list) -> float:
    """Run one training through the API; its train time as the final status reports it."""
    with httpx.Client(base_url=url, timeout=600) as client:
        status = json.loads(call(client, "train", train_data(settings))[-1])[0]
    found = re.search(r"([\d.]+) s on ", status)
    if not found:
        raise RuntimeError(f"training did not finish: {status}")
    return float(found.group(1))


def run_load(
    url: str, students: int = 30, seconds: float = 60, rate: float = 2.0,
    train: list | None = None,
) -> LoadResult:  # fmt: skip
    """Offer students x rate predictions a second for `seconds`; with train, train meanwhile."""
    check_loopback(url)
    result, lock = LoadResult(), threading.Lock()
    start = time.monotonic()
    deadline = start + seconds
    crowd = [
        threading.Thread(target=student, args=(url, rate, deadline, result, lock), daemon=True)
        for _ in range(students)
    ]
    for thread in crowd:
        thread.start()
    if train is not None:
        time.sleep(min(2.0, seconds / 4))  # the crowd is up to speed before training starts
        result.train_s = train_seconds(url, train)
    for thread in crowd:
        thread.join(timeout=seconds + 60)
    result.seconds = time.monotonic() - start
    budget = students * math.ceil(rate * seconds) + students  # +1 each for the jittered start
    assert result.requests <= budget, "the load test sent more than its bound"
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:7860")
    parser.add_argument("--serve", action="store_true", help="start app.py on --port first")
    parser.add_argument("--port", type=int, default=7881)
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--rate", type=float, default=2.0, help="predictions/s per student")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--train", action="store_true", help="one training run during the load")
    args = parser.parse_args()
    if args.serve:
        with serve_app(args.port) as (url, _):
            report(url, args)
    else:
        check_loopback(args.url)
        report(args.url, args)


def report(url: str, args: argparse.Namespace) -> None:
    """Train alone (for the baseline), then load with or without training; print the figures."""
    alone = train_seconds(url, LOAD_TRAIN_SETTINGS) if args.train else None
    settings = LOAD_TRAIN_SETTINGS if args.train else None
    result = run_load(url, args.students, args.seconds, args.rate, settings)
    offered = f"{args.students * args.rate:g}/s offered"
    print(f"{args.students} students x {args.rate:g}/s ({offered}) for {args.seconds:g} s:")
    print(f"  {result.summary()}")
    if alone is not None and result.train_s is not None:
        print(
            f"training run (CNN, 10,000 images, 1 epoch): {alone:.1f} s alone, "
            f"{result.train_s:.1f} s under load ({result.train_s / alone:.2f}x)"
        )
    for error in sorted(set(result.errors))[:5]:
        print("error:", error)


if __name__ == "__main__":
    main()
