"""Run every benchmark and print its table: python -m benchmarks [--quick].

--quick uses small sizes (seconds, not minutes) so a test can check that everything runs;
its numbers are not the ones to report. Each benchmark also runs alone:
python -m benchmarks.train_speed | predict_latency | cold_start | drawn_digits | class_load,
and benchmarks/app_latency.py against any running app. The class benchmark needs Playwright
and Chromium; without them its section says so.
"""

from __future__ import annotations

import argparse
import os
import platform

import torch

from benchmarks import app_latency, class_load, cold_start, predict_latency, train_speed

FULL = {"models": ["mlp", "cnn"], "seeds": [0, 1, 2], "epochs": None, "steps": 300, "subset": None}
QUICK = {"models": ["mlp"], "seeds": [0], "epochs": 1, "steps": 20, "subset": 2000}
CLASS_QUICK = ["--students", "5", "--seconds", "10", "--digits", "1", "--no-train"]


def machine() -> str:
    """One line naming the machine and versions the figures come from."""
    gpu = torch.cuda.get_device_name(0) if torch.cuda.is_available() else "no GPU"
    return (
        f"{platform.machine()}, {os.cpu_count()} CPU cores, {gpu}; Python "
        f"{platform.python_version()}, torch {torch.__version__}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke test")
    parser.add_argument("--port", type=int, default=7880)
    parser.add_argument(
        "--no-class",
        action="store_true",
        help="leave out the class (python -m benchmarks.class_load)",
    )
    args = parser.parse_args()
    sizes = QUICK if args.quick else FULL
    calls = 20 if args.quick else 300
    print(f"# DigitLab benchmarks\n\n{machine()}\n")
    print("## Training: DigitLab vs the tutorial loop\n")
    print(train_speed.table(train_speed.run(**sizes)) + "\n")
    print("## Prediction latency\n")
    print(predict_latency.table(100 if args.quick else 1000) + "\n")
    print("## App: cold start and HTTP round trip\n")
    with cold_start.serve_app(args.port) as (url, seconds):
        idle = app_latency.measure(url, calls)
        busy, outlasted, _ = app_latency.during_training(url, calls)
    print(f"cold start (python app.py to first answered prediction): {seconds:.2f} s")
    print(app_latency.summary("idle", idle))
    print(app_latency.summary("during training", busy))
    print(f"(training run outlasted the measurement: {outlasted})")
    print("\n## A class at once: a real page and simulated students drawing, one training run\n")
    if args.no_class:
        print("left out (--no-class): python -m benchmarks.class_load runs it alone")
    elif reason := class_load.missing():
        print(f"skipped: {reason}")
    else:
        sizes = CLASS_QUICK if args.quick else []
        class_load.run(class_load.options([*sizes, "--port", str(args.port + 1)]))


if __name__ == "__main__":
    main()
