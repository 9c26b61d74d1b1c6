"""A class at once: one real Chromium page draws digits while N simulated students send strokes
exactly as the page sends them, and one training run trains.

1. Starts `python app.py`. The real page (benchmarks/class_page.py) draws --digits digits
   alone: per stroke, the requests and bytes the browser sent, the server's CPU time (its
   process's user + system time over the drawing less its idle rate, Clears included) and
   the verdict latency (pen up to the answer on screen).
2. With --train, one training run alone for the baseline: the Train tab's default CNN run (what
   the teacher gets by pressing Train: 3 epochs of all 60,000 images).
3. The load, for --seconds: --students simulated students (benchmarks/class_students.py) replay
   the page's recorded strokes and Clears request by request, each --pace s (0.8x-1.25x, one
   pace a student) after the pen lifts or Clear is pressed; the real page keeps drawing at
   --pace; and (with --train) the same training run trains again, starting 5 s in.
Reports latency p50/p95/p99 for the real page and the students, errors, unanswered strokes and
the training run's slowdown. Loopback only. The load generator shares the machine's cores.

    python -m benchmarks.class_load                      # 30 students + a training run
    python -m benchmarks.class_load --students 60 --no-train --server-cpus 0
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import threading
import time
from collections import Counter

import httpx

from benchmarks.class_page import RealPage, launch, path_of, predict_fns
from benchmarks.class_server import CpuClock, cpu_seconds, family_cpu_seconds, serve
from benchmarks.class_students import run_students
from benchmarks.load_test import train_seconds
from digitlab.training.settings import recipe

CLASS_RUN = recipe("cnn")  # the Train tab's default run, as the teacher presses Train


def spread(values: list[float]) -> str:
    """p50 / p95 / p99 / max in ms."""
    if len(values) < 2:
        return ", ".join(f"{v:.0f} ms" for v in values) or "no answers"
    q = statistics.quantiles(values, n=100, method="inclusive")
    return f"p50 {q[49]:.0f} ms, p95 {q[94]:.0f} ms, p99 {q[98]:.0f} ms, max {max(values):.0f} ms"


def page_summary(groups) -> tuple[list, str]:
    """The strokes among the groups, and one line on their latency."""
    strokes = [g for g in groups if g.kind == "stroke"]
    latencies = [g.latency_ms for g in strokes if g.latency_ms is not None]
    unanswered = len(strokes) - len(latencies)
    return strokes, f"{len(strokes)} strokes, {spread(latencies)}, {unanswered} unanswered"


def record_alone(page: RealPage, pid: int, digits: int) -> tuple[list, dict, float]:
    """Draw `digits` digits with nothing else going on. The groups; the server's CPU ms for each
    stroke and each Clear, from pen-down (or click) to 200 ms after its last request or
    message, less the idle rate over that window; the idle CPU ms a second (Gradio's queue
    polls every millisecond when idle)."""
    page.draw_digit()  # warm-up: first-call costs are not a stroke's
    clock = CpuClock(pid)
    time.sleep(10)
    idle = clock.between(clock.samples[0][0], clock.samples[-1][0]) / (
        (clock.samples[-1][0] - clock.samples[0][0]) / 1000
    )
    since = page.now()
    for _ in range(digits):
        page.draw_digit(quiet=True)
    time.sleep(0.5)
    clock.stop()
    groups = page.groups(since)
    cpu_ms: dict[str, list[float]] = {"stroke": [], "clear": []}
    for g in groups:
        end = g.busy_until + 200
        cpu_ms[g.kind].append(1000 * (clock.between(g.start, end) - idle * (end - g.start) / 1000))
    return groups, cpu_ms, 1000 * idle


def report_alone(groups, cpu_ms: dict, idle_ms: float) -> None:
    strokes, line = page_summary(groups)
    n = max(1, len(strokes))
    print(f"real page alone: {line}")
    print(f"  server CPU when idle: {idle_ms:.0f} ms a second (not counted in a stroke's)")
    print(
        f"  per stroke: server CPU {statistics.mean(cpu_ms['stroke'] or [0]):.1f} ms, "
        f"{sum(g.requests for g in strokes) / n:.1f} requests, "
        f"{sum(g.sent_bytes for g in strokes) / n / 1000:.1f} kB sent, "
        f"{sum(g.received_bytes for g in strokes) / n / 1000:.1f} kB received"
    )
    paths = Counter(path_of(f["url"]) for g in strokes for f in g.fetches)
    print("  requests per stroke by endpoint (fetches): " + ", ".join(
        f"{path} {count / n:.1f}" for path, count in paths.most_common()
    ))  # fmt: skip
    clears = [g for g in groups if g.kind == "clear"]
    if clears:
        print(f"  per Clear: {sum(g.requests for g in clears) / len(clears):.1f} requests, "
              f"server CPU {statistics.mean(cpu_ms['clear']):.1f} ms")  # fmt: skip


def under_load(url, pid, page, groups, predict, args, idle_ms: float) -> None:
    """Students, the real page and (with --train) one training run at once; print the figures."""
    began = time.time()
    alone = train_seconds(url, CLASS_RUN) if args.train else None
    results: dict = {"alone_wall": time.time() - began}
    students = threading.Thread(
        target=lambda: results.update(tally=run_students(
            url, groups, predict, args.students, args.seconds, args.pace)),
        daemon=True,
    )  # fmt: skip

    def train() -> None:
        time.sleep(5)  # the class is drawing before the run starts
        began = time.time()
        results["train"] = train_seconds(url, CLASS_RUN)
        results["training"] = (began, time.time())

    trainer = threading.Thread(target=train, daemon=True)
    since = page.now()
    used, began = cpu_seconds(pid), time.monotonic()
    generator = family_cpu_seconds(os.getpid(), leave_out=pid)
    students.start()
    if args.train:
        trainer.start()
    while students.is_alive():
        page.draw_digit()
    trainer.join() if args.train else None
    used, took = cpu_seconds(pid) - used, time.monotonic() - began
    generator = family_cpu_seconds(os.getpid(), leave_out=pid) - generator
    tally = results["tally"]
    strokes, line = page_summary(page.groups(since))
    offered = tally.strokes / args.seconds
    print(f"\n{args.students} students for {args.seconds:g} s ({offered:.1f} strokes/s offered)"
          f"{' + one training run' if args.train else ''}:")  # fmt: skip
    print(f"  students: {tally.strokes} strokes, {spread(tally.latencies_ms)}, "
          f"{len(tally.errors)} errors, {tally.unanswered} unanswered")  # fmt: skip
    print(f"  real page: {line}")
    total = tally.strokes + len(strokes)
    net = 1000 * used - idle_ms * took  # less Gradio's idle polling
    print(f"  server CPU: {used / took:.2f} cores busy, {1000 * used / max(1, total):.1f} ms a "
          f"stroke, {net / max(1, total):.1f} ms net of idle"
          f"{' (training included)' if args.train else ''}; the load generator and its "
          f"browser: {generator / took:.2f} cores")  # fmt: skip
    if alone is not None and "train" in results:
        wall = results["training"][1] - results["training"][0]
        print(f"training run (the default CNN run): {alone:.1f} s alone, "
              f"{results['train']:.1f} s under load ({results['train'] / alone:.2f}x); "
              f"start to finish with data and evaluation {results['alone_wall']:.0f} s alone, "
              f"{wall:.0f} s under load")  # fmt: skip
    if "training" in results:  # the students' answers while the run trained, and the others
        began, ended = results["training"]
        during = [ms for ms, t in zip(tally.latencies_ms, tally.answered_at, strict=True)
                  if began <= t <= ended]  # fmt: skip
        others = [ms for ms, t in zip(tally.latencies_ms, tally.answered_at, strict=True)
                  if not began <= t <= ended]  # fmt: skip
        print(
            f"  students while the run trained ({ended - began:.0f} s): {spread(during)}; "
            f"the rest: {spread(others)}"
        )
    for error in sorted(set(tally.errors))[:5]:
        print("  error:", error)


def options(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line's settings (argv: None for sys.argv)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--digits", type=int, default=8, help="digits the page records alone")
    parser.add_argument("--pace", type=float, default=1.0, help="seconds after each pen-up")
    parser.add_argument("--train", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--port", type=int, default=7882)
    parser.add_argument("--server-cpus", help="pin the app to these CPUs (taskset -c)")
    return parser.parse_args(argv)


def missing() -> str | None:
    """Why the benchmark cannot run here (no Playwright, no Chromium), or None."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed"
    if not (shutil.which("chromium") or shutil.which("chromium-browser")):
        return "no chromium binary on PATH (Debian: apt-get install -y chromium)"
    return None


def run(args: argparse.Namespace) -> None:
    """Record the real page alone, then (with students) the class at once; print the figures."""
    from playwright.sync_api import sync_playwright

    print(f"load average before: {os.getloadavg()[0]:.2f}; {os.cpu_count()} CPUs"
          f"{f', app pinned to CPUs {args.server_cpus}' if args.server_cpus else ''}")  # fmt: skip
    with serve(args.port, args.server_cpus) as (url, pid), sync_playwright() as playwright:
        browser = launch(playwright)
        predict = predict_fns(httpx.get(f"{url}/config").json())
        page = RealPage(browser, url, args.pace, predict)
        groups, cpu_ms, idle_ms = record_alone(page, pid, args.digits)
        report_alone(groups, cpu_ms, idle_ms)
        if args.students:
            under_load(url, pid, page, groups, predict, args, idle_ms)
        page.close()
        browser.close()
    print(f"load average after: {os.getloadavg()[0]:.2f}")


def main() -> None:
    args = options()
    if reason := missing():
        raise SystemExit(f"class_load needs a browser: {reason}")
    run(args)


if __name__ == "__main__":
    main()
