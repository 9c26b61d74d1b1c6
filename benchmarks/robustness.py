"""The Robustness tab's figures, per shipped model, on one CPU thread: a slider's answer (the
tab's own handler: the drawing changed, classified, and placed on both maps), the time to
compute the map (before and after training) and the curves, and the curves' accuracy.

Each time is given as wall-clock and as the CPU time of the thread that did the work: on a
busy machine the first grows with the load, the second is what the work costs an idle core.

    OMP_NUM_THREADS=1 DIGITLAB_DATA=../shared/data/mnist python -m benchmarks.robustness [--n 200]
"""

from __future__ import annotations

import argparse
import base64
import io
import os
import time

import numpy as np
from PIL import Image

from benchmarks.predict_latency import canvases
from digitlab.lab import robustness

IDLE = dict(progress=lambda *args, **kwargs: None)


def data_url(rgba: np.ndarray) -> str:
    """A canvas as the Draw tab sends it: a PNG data URL."""
    png = io.BytesIO()
    Image.fromarray(rgba, "RGBA").save(png, "PNG")
    return "data:image/png;base64," + base64.b64encode(png.getvalue()).decode()


def slider_moves(n: int, seed: int = 0) -> list[tuple]:
    """n random slider settings (angle, dx, dy, thickness, blur, noise, seed) in their ranges."""
    rng = np.random.default_rng(seed)
    return [
        (float(rng.integers(-36, 37) * 5), float(rng.integers(-6, 7)), float(rng.integers(-6, 7)),
         float(rng.integers(-4, 9) / 4), float(rng.integers(0, 21) / 10),
         float(rng.integers(0, 11) / 20), int(rng.integers(0, 100)))
        for _ in range(n)
    ]  # fmt: skip


def clock(start: tuple[float, float] | None = None):
    """(wall, thread CPU) seconds now, or since start."""
    now = (time.perf_counter(), time.thread_time())
    return now if start is None else (now[0] - start[0], now[1] - start[1])


def percentile_ms(times: list[float], q: float) -> float:
    return 1000 * float(np.percentile(times, q))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200, help="slider moves timed per model")
    args = parser.parse_args()
    import app  # the real page: the tab's handlers as the server runs them
    from digitlab.ui import common

    tab = app.robust
    drawings = [data_url(c) for c in canvases(args.n)]
    moves = slider_moves(args.n)
    for kind in ("mlp", "cnn"):
        name = common.SHIPPED.of_kind(kind).name
        clocks = clock()
        out = tab.draw_map(drawings[0], name, *moves[0], None, "en", None, None, **IDLE)
        map_s = clock(clocks)
        times, cpu = [], []
        for drawing, move in zip(drawings, moves, strict=True):
            clocks = clock()
            tab.live(drawing, name, *move, None, "en", name, out[tab.cache])
            wall, used = clock(clocks)
            times.append(wall)
            cpu.append(used)
        clocks = clock()
        tab.curves(name, name, None, "en", None, **IDLE)
        curves_s = clock(clocks)
        found = tab.curves(name, name, None, "en", None, **IDLE)[tab.curved]["A"][1]  # cached
        print(
            f"{kind}: slider answer with the map shown p50 {percentile_ms(times, 50):.1f} ms, "
            f"p95 {percentile_ms(times, 95):.1f} ms (CPU p50 {percentile_ms(cpu, 50):.1f}, "
            f"p95 {percentile_ms(cpu, 95):.1f} ms; n={args.n}); map (before + after) "
            f"{map_s[0]:.2f} s (CPU {map_s[1]:.2f} s); curves {curves_s[0]:.2f} s (CPU "
            f"{curves_s[1]:.2f} s; {robustness.SAMPLE} test digits); load {os.getloadavg()[0]:.1f}"
        )
        for curve, levels in found.items():
            row = ", ".join(f"{level:g}: {100 * acc:.1f}%" for level, acc in levels.items())
            print(f"  {curve}: {row}")


if __name__ == "__main__":
    main()
