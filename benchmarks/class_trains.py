"""A class pressing Train at once: N students submit the Train tab's default run (each with its
own learning rate, as a class would) within a few seconds, while M more students keep drawing.

    python -m benchmarks.class_trains [--students 30] [--drawing 10] [--spread 3] [--model cnn]
                                      [--preset class_round]

The app runs as `python app.py` in a subprocess (benchmarks/class_server.py). Each student is a
session of its own calling the public /train endpoint over plain HTTP and reading its stream;
a drawing student sends /predict_image calls with a real 280x280 canvas PNG at a hand's pace (a
stroke every ~0.8 s, 2 s between digits). Reported: when the first and the last run finished
(from the first press); each run's wait (press to its turn in the training line: its first
update without a place in line) and its own time (from then to finished: its training, model
build, evaluations and final save); the training times the status lines report, and the last
finish against their sum (the issue's measure); how far each start time a waiting student was
shown fell from when their run started; and the drawing students' verdict latency. Numbers
from a machine running other work are not figures to quote: the load average is printed.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import threading
import time
from dataclasses import dataclass, field

import httpx

from benchmarks.app_latency import seven_png, train_data
from benchmarks.class_server import serve
from digitlab.training.settings import RECIPES, defaults
from digitlab.ui.presets import BY_KEY

STROKE_GAP_S = 0.8  # between a drawing student's strokes
DIGIT_GAP_S = 2.0  # between digits (two strokes each)
SECONDS = re.compile(r"([\d.]+) s on ")  # "Finished after 3 epochs (351 steps, 2.5 s on cpu)"
START_S = re.compile(r'data-start-s="([\d.]+)"')  # the estimate a waiting student is shown


@dataclass
class Run:
    """One student's run, timed from the benchmark's start (seconds)."""

    student: int
    lr: float
    pressed: float = 0.0
    started: float | None = None  # its turn: its first update without a place in line
    finished: float | None = None
    status: str = ""
    error: str = ""
    shown: list[tuple[float, float]] = field(default_factory=list)  # (when, start estimate s)
    waited: bool = False  # it was shown a place in line

    def misses(self, signed: bool = False) -> list[float]:
        """How far each start time it was shown fell from its start, as a share of the time
        it then had to wait (estimates made under 2 s before the start are left out); signed:
        negative where the run started later than shown."""
        if self.started is None:
            return []
        off = [
            (at + estimate - self.started) / (self.started - at)
            for at, estimate in self.shown
            if self.started - at >= 2.0
        ]
        return off if signed else [abs(value) for value in off]

    @property
    def wait(self) -> float | None:
        return None if self.started is None else self.started - self.pressed

    @property
    def own(self) -> float | None:
        if self.started is None or self.finished is None:
            return None
        return self.finished - self.started

    @property
    def trained_s(self) -> float | None:
        """The training time its status line reports."""
        found = SECONDS.search(self.status)
        return float(found[1]) if found else None


@dataclass
class Drawing:
    latencies_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def settings(model: str, lr: float, preset: str | None = None) -> dict:
    """The Train tab's default run of `model` (or the preset's run) with this learning rate."""
    if preset is not None:
        return {**BY_KEY[preset].values(), "lr": lr}
    return {**defaults(), **RECIPES[model], "model": model.upper(), "lr": lr}


def train(url: str, run: Run, model: str, t0: float, preset: str | None = None) -> None:
    """Press Train: POST the call, read the stream until complete (or error)."""
    data = train_data(settings(model, run.lr, preset))
    run.pressed = time.perf_counter() - t0
    try:
        with httpx.Client(base_url=url, timeout=900) as client:
            posted = client.post("/gradio_api/call/train", json={"data": data})
            event_id = posted.json()["event_id"]
            event = ""
            with client.stream("GET", f"/gradio_api/call/train/{event_id}") as stream:
                for line in stream.iter_lines():
                    if line.startswith("event:"):
                        event = line.split(":", 1)[1].strip()
                    elif line.startswith("data:"):
                        now = time.perf_counter() - t0
                        values = json.loads(line[5:].strip() or "null")
                        if event == "error":
                            run.error = str(values)
                            return
                        if not (isinstance(values, list) and len(values) > 2):
                            continue  # a heartbeat (every 15 s while it waits), not an update
                        if isinstance(values[0], str):
                            run.status = values[0]
                        place = values[-2]  # the outputs' last two: place in line, counts
                        found = START_S.search(place) if isinstance(place, str) else None
                        if found:
                            run.shown.append((now, float(found[1])))
                            run.waited = True
                        elif run.started is None and place == "":  # its turn came
                            run.started = now
                        if event == "complete":
                            run.finished = now
                            return
    except (httpx.HTTPError, ValueError) as error:
        run.error = f"{type(error).__name__}: {error}"


def draw(url: str, tally: Drawing, stop: threading.Event, seed: int) -> None:
    """A student drawing: two strokes a digit, each answered by /predict_image."""
    rng = random.Random(seed)
    image = seven_png()
    with httpx.Client(base_url=url, timeout=60) as client:
        time.sleep(rng.uniform(0, DIGIT_GAP_S))
        while not stop.is_set():
            for _ in range(2):
                start = time.perf_counter()
                try:
                    event_id = client.post(
                        "/gradio_api/call/predict_image", json={"data": [image, "cnn"]}
                    ).json()["event_id"]
                    with client.stream(
                        "GET", f"/gradio_api/call/predict_image/{event_id}"
                    ) as stream:
                        events = [line for line in stream.iter_lines() if line.startswith("event:")]
                    if not events or "complete" not in events[-1]:
                        tally.errors.append(str(events[-1:]))
                    else:
                        tally.latencies_ms.append((time.perf_counter() - start) * 1000)
                except httpx.HTTPError as error:
                    tally.errors.append(f"{type(error).__name__}: {error}")
                time.sleep(STROKE_GAP_S)
            time.sleep(DIGIT_GAP_S)


def quantile(values: list[float], q: float) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[round(q * 100) - 1]


def report(runs: list[Run], tally: Drawing, args, wall: float) -> str:
    done = [r for r in runs if r.finished is not None]
    failed = [r for r in runs if r.finished is None]
    lines = [
        f"# A class presses Train: {args.students} {args.preset or 'default'} "
        f"{args.model.upper()} runs pressed "
        f"within {args.spread:g} s, {args.drawing} students drawing",
        f"load average before: {args.load_before}; after: {os.getloadavg()[0]:.2f}",
        "",
    ]
    if done:
        own = [r.own for r in done]
        back_to_back = sum(own)
        last = max(r.finished for r in done)
        first = min(r.finished for r in done)
        trained = [r.trained_s for r in done if r.trained_s is not None]
        waits = [r.wait for r in done]
        misses = [m for r in done for m in r.misses()]
        firsts = [r.misses()[0] for r in done if r.misses()]
        lines += [
            f"finished: {len(done)} of {len(runs)}; first after {first:.1f} s, last after "
            f"{last:.1f} s (from the first press)",
            f"own time per run (training began to finished): p50 {statistics.median(own):.2f} s, "
            f"min {min(own):.2f}, max {max(own):.2f}; back to back {back_to_back:.1f} s",
            f"training time its status reports: p50 {statistics.median(trained):.2f} s "
            f"(sum {sum(trained):.1f} s)"
            if trained
            else "training time its status reports: not found",
            f"last finish / runs' own times back to back: {last / back_to_back:.2f}x",
            f"last finish / the reported training times back to back: {last / sum(trained):.2f}x"
            if trained
            else "",
            f"wait (press to its turn): p50 {statistics.median(waits):.1f} s, "
            f"max {max(waits):.1f} s; {sum(r.waited for r in done)} shown a place in line",
        ]
        if misses:
            within = sum(m <= 0.2 for m in misses) / len(misses)
            lines.append(
                f"start times shown: {len(misses)}, {within:.0%} within 20% of the start; "
                f"miss p50 {statistics.median(misses):.0%}, p95 {quantile(misses, 0.95):.0%}, "
                f"max {max(misses):.0%}; each student's first: p50 "
                f"{statistics.median(firsts):.0%}, max {max(firsts):.0%}"
            )
            signed = [m for r in done for m in r.misses(signed=True)]
            first_signed = [r.misses(signed=True)[0] for r in done if r.misses()]
            lines.append(
                f"start shown minus start, as a share of the wait (negative: it started later "
                f"than shown): p50 {statistics.median(signed):+.0%}, each student's first p50 "
                f"{statistics.median(first_signed):+.0%} (min {min(first_signed):+.0%}, max "
                f"{max(first_signed):+.0%})"
            )
    for run in failed:
        lines.append(f"student {run.student} (lr {run.lr:.4g}): not finished: {run.error[:200]}")
    lat = tally.latencies_ms
    lines.append(
        f"drawing: {len(lat)} strokes, p50 {quantile(lat, 0.5):.0f} ms, p95 "
        f"{quantile(lat, 0.95):.0f} ms, p99 {quantile(lat, 0.99):.0f} ms, "
        f"{len(tally.errors)} errors"
        if lat
        else f"drawing: no strokes answered, {len(tally.errors)} errors"
    )
    lines.append(f"(benchmark wall time {wall:.0f} s)")
    return "\n".join(lines)


def options(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=30, help="students pressing Train")
    parser.add_argument("--drawing", type=int, default=10, help="students drawing meanwhile")
    parser.add_argument("--spread", type=float, default=3.0, help="seconds the presses span")
    parser.add_argument("--model", choices=sorted(RECIPES), default="cnn")
    parser.add_argument("--preset", choices=sorted(BY_KEY), help="every run is this preset's")
    parser.add_argument("--port", type=int, default=7893)
    parser.add_argument("--seed", type=int, default=0)
    return parser.parse_args(argv)


def run(args: argparse.Namespace) -> str:
    args.load_before = f"{os.getloadavg()[0]:.2f}"
    rng = random.Random(args.seed)
    base = RECIPES[args.model].get("lr", defaults()["lr"])
    # Each student's own lr: within a factor of 2 of the default, as a class would pick.
    runs = [Run(i, round(base * 2 ** rng.uniform(-1, 1), 4)) for i in range(args.students)]
    presses = sorted(rng.uniform(0, args.spread) for _ in runs)
    tally, stop = Drawing(), threading.Event()
    with serve(args.port) as (url, _pid):
        drawers = [
            threading.Thread(target=draw, args=(url, tally, stop, args.seed + k), daemon=True)
            for k in range(args.drawing)
        ]
        for thread in drawers:
            thread.start()
        t0 = time.perf_counter()
        trainers = []
        for student, at in zip(runs, presses, strict=True):
            time.sleep(max(0.0, at - (time.perf_counter() - t0)))
            thread = threading.Thread(
                target=train, args=(url, student, args.model, t0, args.preset)
            )
            thread.start()
            trainers.append(thread)
        for thread in trainers:
            thread.join()
        wall = time.perf_counter() - t0
        stop.set()
        for thread in drawers:
            thread.join(timeout=10)
    return report(runs, tally, args, wall)


def main() -> None:
    print(run(options()))


if __name__ == "__main__":
    main()
