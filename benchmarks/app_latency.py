"""Round-trip latency of one prediction through the running app's HTTP API (plain HTTP).

Each call is what any HTTP client does: POST /gradio_api/call/predict_image with a base64 PNG of
a drawn "7", then GET the event stream until `event: complete`. Reports p50/p99 over --calls,
idle and (with --during-training) while a training run streams on the same server.

    python app.py &   # or any running DigitLab
    python benchmarks/app_latency.py --url http://127.0.0.1:7860 --calls 300 --during-training
"""

from __future__ import annotations

import argparse
import base64
import io
import json
import statistics
import threading
import time

import httpx
from PIL import Image, ImageDraw

from digitlab.training.settings import defaults, in_order

# The Train tab's defaults except a CNN for 3 epochs at lr 0.005, long enough to overlap.
TRAIN_SETTINGS = {**defaults(), "model": "CNN", "lr": 0.005, "epochs": 3, "subset": 10_000}


def train_data(settings: dict) -> list:
    """A raw /train call's data: the settings in the endpoint's order, no runs yet, English."""
    return [*in_order(settings), None, "en"]


def seven_png() -> str:
    """A 280x280 drawing of a 7 as a base64 data URL."""
    image = Image.new("L", (280, 280), 255)
    pen = ImageDraw.Draw(image)
    pen.line([(70, 50), (210, 50), (126, 238)], fill=0, width=24, joint="curve")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def call(client: httpx.Client, api_name: str, data: list) -> list[str]:
    """POST a call, then read its SSE stream to the end; returns the data lines."""
    event_id = client.post(f"/gradio_api/call/{api_name}", json={"data": data}).json()["event_id"]
    lines = []
    with client.stream("GET", f"/gradio_api/call/{api_name}/{event_id}") as stream:
        event = ""
        for line in stream.iter_lines():
            if line.startswith("event:"):
                event = line.split(":", 1)[1].strip()
            elif line.startswith("data:"):
                lines.append(line[5:].strip())
                if event in ("complete", "error"):
                    break
    if event != "complete":
        raise RuntimeError(f"{api_name} ended with {event}: {lines[-1:]}")
    return lines


def measure(url: str, calls: int) -> list[float]:
    """Latencies in ms of `calls` sequential predictions (after 5 warm-up calls)."""
    image = seven_png()
    with httpx.Client(base_url=url, timeout=60) as client:
        for _ in range(5):
            call(client, "predict_image", [image, "cnn"])
        times = []
        for _ in range(calls):
            start = time.perf_counter()
            result = json.loads(call(client, "predict_image", [image, "cnn"])[-1])[0]
            times.append((time.perf_counter() - start) * 1000)
            assert result["digit"] == 7, result
    return times


def summary(label: str, times: list[float]) -> str:
    q = statistics.quantiles(times, n=100)
    return f"{label:>16}: p50 {q[49]:6.1f} ms   p99 {q[98]:6.1f} ms   (n={len(times)})"


def during_training(url: str, calls: int) -> tuple[list[float], bool, str]:
    """Latencies while a training run streams; also whether it outlasted them, and its end."""
    status: list[str] = []

    def train() -> None:
        with httpx.Client(base_url=url, timeout=600) as client:
            status.append(json.loads(call(client, "train", train_data(TRAIN_SETTINGS))[-1])[0])

    trainer = threading.Thread(target=train)
    trainer.start()
    time.sleep(3)  # past MNIST loading, into the optimizer steps
    times = measure(url, calls)
    still_training = trainer.is_alive()
    trainer.join()
    return times, still_training, status[-1] if status else "no status"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:7860")
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--during-training", action="store_true")
    args = parser.parse_args()

    print(summary("idle", measure(args.url, args.calls)))
    if args.during_training:
        times, still_training, final = during_training(args.url, args.calls)
        print(summary("during training", times))
        print(f"  (run still going when measuring ended: {still_training}; final: {final})")


if __name__ == "__main__":
    main()
