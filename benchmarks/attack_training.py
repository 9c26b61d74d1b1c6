"""Issue 29's training attack, as a visitor would make it: Stop on the largest models the settings
allow, and one session holding the class's one training slot by pausing and resuming.

1. Step time: one training step of the largest allowed configurations (limits.MAX_STEP_MACS).
2. Stop latency: Stop pressed at random moments (the first evaluation and the first step
   included) through the real trainer in its worker thread (live.TrainingRun, its stop Event), from
   the press to the run's Done reaching the consumer; p50 / p95 / max.
3. The same through the app's /stop endpoint (the app in a subprocess, gradio_client: ~70 ms of
   each figure is the client's own), from the call to the /train job's end.
4. Lockout: session A trains, pauses and resumes again and again; session B presses Train: how
   long B waits for its first training step, and how A's run ends.

    python -m benchmarks.attack_training            # 10 presses each; the real limits
    python -m benchmarks.attack_training --quick    # 3 presses; the lockout with a 6 s pause budget
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import torch

from benchmarks.attack_memory import ROOT, free_port
from digitlab import limits
from digitlab.config import TrainConfig
from digitlab.data import load_mnist
from digitlab.models import build_model
from digitlab.training import parts
from digitlab.training.live import TrainingRun
from digitlab.training.settings import config_from, recipe
from digitlab.training.step import train_step

# The largest models the Train tab's settings allow (batch sizes are its choices, 16-512).
WIDEST_CNN = dict(
    model="CNN", channels="256, 256, 256", dense="1024", patch=False, batch_size=64, epochs=20
)  # 149 M multiply-adds an image: batch 64 is the largest choice within the cap
WIDEST_CNN_PATCHES = dict(WIDEST_CNN, patch=True, batch_size=256)  # 36 M an image
WIDEST_MLP = dict(model="MLP", hidden="4096, 191", batch_size=512, epochs=20)  # 4.0 M parameters
RUNS = {
    "largest CNN (256-256-256 on pixels, fc1024, batch 64)": WIDEST_CNN,
    "largest CNN on 2x2 patches (batch 256)": WIDEST_CNN_PATCHES,
    "largest MLP (4096-191, batch 512)": WIDEST_MLP,
    "default CNN run": recipe("cnn"),
    "default MLP run": recipe("mlp"),
}


def step_times(cfg: TrainConfig, steps: int) -> list[float]:
    """Seconds of each of `steps` training steps on random images (the first one included)."""
    device = torch.device("cpu")
    model = build_model(cfg)
    layout = torch.channels_last if cfg.model == "cnn" else torch.contiguous_format
    model = model.to(memory_format=layout).train()
    optimizer = parts.make_optimizer(cfg, model)
    autocast = parts.step_autocast(device, cfg.precision)
    x = torch.randn(cfg.batch_size, 1, 28, 28).contiguous(memory_format=layout)
    y = torch.randint(0, 10, (cfg.batch_size,))
    times = []
    for _ in range(steps):
        start = time.perf_counter()
        train_step(model, optimizer, x, y, autocast, cfg.label_smoothing)
        times.append(time.perf_counter() - start)
    return times


def stop_latency(cfg: TrainConfig, data, press_within: float, rng: random.Random):
    """(seconds from Stop to the Done reaching the consumer, steps taken) for one run stopped
    at a random moment within press_within seconds of its start."""
    stop, pressed, done_at = threading.Event(), [], []

    def press() -> None:
        pressed.append(time.perf_counter())
        stop.set()

    with TrainingRun(cfg, stop, data=data) as run:
        timer = threading.Timer(rng.uniform(0.0, press_within), press)
        timer.start()
        for view in run.updates():
            if view.done is not None and not done_at:
                done_at.append((time.perf_counter(), view.done.metrics["steps"]))
        timer.join()
    return done_at[0][0] - pressed[0], done_at[0][1]


def first_step(cfg: TrainConfig, data) -> float:
    """Seconds from a run's start to its first loss report (its first evaluation, then steps)."""
    stop, start = threading.Event(), time.perf_counter()
    with TrainingRun(cfg, stop, data=data) as run:
        for view in run.updates():
            if view.losses:
                stop.set()
                return time.perf_counter() - start
    return time.perf_counter() - start


def summary(latencies: list[float]) -> str:
    ordered = sorted(latencies)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return (
        f"p50 {statistics.median(ordered):.2f} s · p95 {p95:.2f} s · max {ordered[-1]:.2f} s"
        f" ({len(ordered)} presses)"
    )


def in_process(presses: int, rng: random.Random) -> None:
    data = load_mnist()
    print("| run | step time (s): first, then p50 / max | Stop → Done | steps at the presses |")
    print("|---|---|---|---|")
    for name, settings in RUNS.items():
        cfg = config_from(settings)
        times = step_times(cfg, 6)
        rest = times[1:]
        # Presses land anywhere from the first evaluation to ~30 steps past the first one.
        window = 1.25 * first_step(cfg, data) + 30 * statistics.median(rest)
        results = [stop_latency(cfg, data, window, rng) for _ in range(presses)]
        steps = ", ".join(str(s) for _, s in results)
        print(
            f"| {name} | {times[0]:.2f}, {statistics.median(rest):.2f} / {max(rest):.2f} "
            f"| {summary([s for s, _ in results])} | {steps} |",
            flush=True,
        )


def wait_for(condition, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("timed out")
        time.sleep(0.05)


def status(job) -> str:
    outputs = job.outputs()
    return outputs[-1][0] if outputs else ""


@contextlib.contextmanager
def serve(temp: Path, changed: dict) -> Iterator[str]:
    """The app in a subprocess on a free port (limits.py's values `changed` first); its URL."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    env = {**os.environ, "GRADIO_TEMP_DIR": str(temp), "GRADIO_SERVER_NAME": "127.0.0.1"}
    code = (
        "import digitlab.limits as limits\n"
        + "".join(f"limits.{name} = {value!r}\n" for name, value in changed.items())
        + f"import app\napp.launch(server_port={port}, quiet=True)"
    )
    process = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL)  # fmt: skip
    try:
        wait_for(lambda: _answers(url), 300)
        yield url
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=5).status_code == 200
    except httpx.HTTPError:
        return False


def through_the_app(url: str, presses: int, rng: random.Random) -> None:
    from gradio_client import Client

    client = Client(url, verbose=False)
    latencies = []
    for _ in range(presses):
        job = client.submit(**WIDEST_CNN, api_name="/train")
        wait_for(lambda job=job: status(job).startswith(("Starting", "Epoch")), 120)
        time.sleep(rng.uniform(0.0, 4.0))
        pressed = time.perf_counter()
        client.predict(api_name="/stop")
        wait_for(job.done, 120)
        latencies.append(time.perf_counter() - pressed)
    print(f"/stop on the largest CNN, through the app: {summary(latencies)}", flush=True)


def lockout(url: str, paused_s: float, running_s: float) -> None:
    """Session A pauses for paused_s, runs for running_s, again and again; B presses Train."""
    from gradio_client import Client

    a, b = Client(url, verbose=False), Client(url, verbose=False)
    job_a = a.submit(**WIDEST_CNN, api_name="/train")
    wait_for(lambda: status(job_a).startswith("Epoch"), 300)
    started = time.perf_counter()
    job_b = b.submit(**recipe("mlp"), api_name="/train")
    cycles = 0
    while not job_a.done():
        with contextlib.suppress(Exception):  # A's run may end between two calls
            a.predict(api_name="/pause")
            cycles += 1
            time.sleep(paused_s)
            a.predict(api_name="/resume")
            time.sleep(running_s)
    a_ended = time.perf_counter() - started
    wait_for(lambda: status(job_b).startswith("Epoch"), 300)
    waited = time.perf_counter() - started
    print(f"A paused {cycles} times ({paused_s:g} s each, {running_s:g} s between); its run ended "
          f"after {a_ended:.1f} s: {status(job_a)!r}")  # fmt: skip
    print(f"B waited {waited:.1f} s for its first training step", flush=True)
    wait_for(job_b.done, 300)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke test")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    presses = 3 if args.quick else 10
    print(f"## Stop latency, in process ({limits.MAX_STEP_MACS:,} multiply-adds a step at most)\n")
    in_process(presses, rng)
    budget = 6.0 if args.quick else limits.PAUSE_BUDGET_S
    changed = {"PAUSE_BUDGET_S": budget} if args.quick else {}
    with tempfile.TemporaryDirectory() as temp, serve(Path(temp), changed) as url:
        print("\n## Stop latency through the app\n")
        through_the_app(url, presses, rng)
        print(f"\n## Lockout by pause cycling (pause budget {budget:g} s, run time limit "
              f"{limits.RUN_TIME_S:g} s)\n")  # fmt: skip
        lockout(url, 2.0 if args.quick else 20.0, 0.5 if args.quick else 1.0)


if __name__ == "__main__":
    main()
