"""Issue 29's attacks on the public app, as a visitor would make them, measured.

`python -m benchmarks.attack_inputs` (`--quick`: smaller sizes) starts `python app.py` in a
subprocess on a free port and reports:

- big images vs drawing: N concurrent /predict_image calls with a 4096x4096 JPEG while one
  client draws (the Draw tab's canvas prediction, a 280x280 PNG, as the page sends it through
  /gradio_api/queue/join): the strokes' p50/p95 and the server's RSS growth (targets: p95 <=
  300 ms, growth <= 500 MB);
- class codes: a burst of "New class code" calls from one session (target: a handful made,
  the rest refused with a message) and from many sessions (recycling is unit-tested);
- the null-message fuzz: every endpoint, hidden ones included (queue/join by fn_index), with
  bad values; the errors whose message is null or empty (target 0).

The queue client here (`join`, `endpoints`, `fuzz`) is what tests/test_attack_inputs.py uses.
"""

from __future__ import annotations

import argparse
import base64
import io
import json
import math
import socket
import statistics
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from PIL import Image, ImageDraw

TARGET_P95_S, TARGET_RSS_MB = 0.300, 500
# Values a hostile client sends in place of any input: wrong types, non-finite numbers, huge
# text, a ragged "image", nested garbage.
BAD_VALUES = [
    None, "", "x", "0.1", -1, 10**30, float("nan"), float("inf"), [], [[1, 2], [3]], {},
    {"layers": [[[1, 2], [3]]]}, {"path": "/etc/passwd", "meta": {"_type": "gradio.FileData"}},
    "9" * 1_000_000,
]  # fmt: skip
QUICK_VALUES = [None, "x", float("nan"), {"layers": [[[1, 2], [3]]]}, [[1, 2], [3]]]


def join(url: str, fn_index: int, data: list, session: str | None = None,
         timeout: float = 60.0) -> dict:  # fmt: skip
    """One event through the queue, as the page sends it; the server's last message, or
    {"msg": "rejected", ...} when the join itself is refused (a 4xx with its detail)."""
    session = session or uuid.uuid4().hex[:11]
    body = {"data": data, "fn_index": fn_index, "session_hash": session, "trigger_id": None,
            "event_data": None}  # fmt: skip
    with httpx.Client(timeout=timeout) as client:
        posted = client.post(
            f"{url}/gradio_api/queue/join", content=json.dumps(body),
            headers={"content-type": "application/json"},
        )  # fmt: skip
        if posted.status_code != 200:
            return {"msg": "rejected", "status": posted.status_code, "detail": posted.text}
        with client.stream("GET", f"{url}/gradio_api/queue/data",
                           params={"session_hash": session}) as stream:  # fmt: skip
            for line in stream.iter_lines():
                if not line.startswith("data:"):
                    continue
                message = json.loads(line[5:])
                if message.get("msg") in ("process_completed", "unexpected_error"):
                    return message
    return {"msg": "closed"}


def error_message(result: dict) -> str | None:
    """The error a join's result carries ("" or None when it carries one without a message);
    None too when the call succeeded."""
    if result["msg"] == "rejected":
        return result["detail"] or ""
    if result.get("success", False):
        return None
    output = result.get("output") or {}
    return (output.get("error") if isinstance(output, dict) else None) or result.get(
        "message"
    ) or ""  # fmt: skip


def endpoints(url: str) -> list[dict]:
    """Every event handler the page has, hidden ones included: fn_index, api_name, inputs."""
    config = httpx.get(f"{url}/config", timeout=30).json()
    kinds = {c["id"]: c.get("type") for c in config["components"]}
    return [
        {"fn_index": i, "api_name": d.get("api_name"),
         "inputs": [kinds.get(c) for c in d["inputs"]]}
        for i, d in enumerate(config["dependencies"])
        if d.get("backend_fn", True)
    ]  # fmt: skip


def fuzz(url: str, values: list, skip: set[str] = frozenset(), workers: int = 4) -> dict:
    """Each endpoint with every input set to each bad value, and with no inputs at all; the
    errors whose message is null or empty, as (fn_index, api_name, value) rows."""
    calls = [
        (e, value)
        for e in endpoints(url) if (e["api_name"] or "") not in skip
        for value in ["<no inputs>", *values]
    ]  # fmt: skip

    def one(call):
        e, value = call
        data = [] if value == "<no inputs>" else [value] * len(e["inputs"])
        start = time.perf_counter()
        result = join(url, e["fn_index"], data, timeout=120)
        return e, value, result, time.perf_counter() - start

    silent, errors, completed, slowest = [], 0, 0, []
    with ThreadPoolExecutor(workers) as pool:
        for e, value, result, seconds in pool.map(one, calls):
            slowest = sorted([*slowest, (seconds, e["api_name"], repr(value)[:20])])[-5:]
            message = error_message(result)
            completed += message is None
            errors += message is not None
            if message is not None and not message.strip():
                shown = repr(value)[:40]
                silent.append((e["fn_index"], e["api_name"], shown, result.get("msg")))
    return {"calls": len(calls), "errors": errors, "completed": completed, "silent": silent,
            "slowest": slowest[::-1]}  # fmt: skip


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def big_jpeg(side: int) -> str:
    """A side x side JPEG of a drawn 7 with photo-like noise, as bare base64."""
    picture = Image.new("L", (side, side), 235)
    scale = side / 280
    points = [(70 * scale, 50 * scale), (210 * scale, 50 * scale), (125 * scale, 240 * scale)]
    ImageDraw.Draw(picture).line(points, fill=20, width=int(24 * scale))
    noise = Image.effect_noise((side, side), 12)
    picture = Image.blend(picture, noise, 0.15).convert("RGB")
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=85)
    return base64.b64encode(out.getvalue()).decode()


def stroke_png(seed: int) -> str:
    """A 280x280 canvas PNG data URL (ink in alpha, as canvas.js sends it): a 7, moved a bit."""
    layer = Image.new("RGBA", (280, 280), (0, 0, 0, 0))
    dx = seed % 20 - 10
    points = [(70 + dx, 50), (210 + dx, 50), (125 + dx, 240)]
    ImageDraw.Draw(layer).line(points, fill=(0, 0, 0, 255), width=24)
    out = io.BytesIO()
    layer.save(out, "PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


def fn_index(url: str, api_name: str) -> int:
    return next(e["fn_index"] for e in endpoints(url) if e["api_name"] == api_name)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS"):
            return int(line.split()[1]) / 1024
    return math.nan


def images_vs_drawing(url: str, pid: int, images: int, side: int, strokes: int) -> dict:
    """`images` concurrent /predict_image calls with a side x side JPEG while one client sends
    `strokes` canvas predictions one after another: the strokes' times and the RSS growth."""
    canvas = fn_index(url, "predict_canvas")
    session = uuid.uuid4().hex[:11]
    join(url, canvas, [stroke_png(0), None, None, "en", 70], session)  # warm
    alone = sorted(stroke_seconds(url, canvas, session, strokes))  # the baseline: no images
    jpeg = big_jpeg(side)
    before, peak = rss_mb(pid), [rss_mb(pid)]
    done = threading.Event()

    def watch():
        while not done.is_set():
            peak.append(rss_mb(pid))
            time.sleep(0.05)

    def image_call(_):
        return join(url, fn_index_image, [jpeg, "cnn"], timeout=600)

    fn_index_image = fn_index(url, "predict_image")
    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    with ThreadPoolExecutor(images) as pool:
        flood = pool.map(image_call, range(images))
        time.sleep(0.5)  # the images are in
        times = sorted(stroke_seconds(url, canvas, session, strokes))
        results = list(flood)
    done.set()
    watcher.join()
    read = [r["output"]["data"][0] for r in results if r.get("success")]
    sevens = sum(1 for r in read if r.get("digit") == 7)
    return {
        "images": images, "side": side, "jpeg_kb": len(jpeg) * 3 // 4 // 1024,
        "images_ok": len(read), "images_read_7": sevens, "strokes": len(times),
        "alone_p50_ms": 1000 * statistics.median(alone), "alone_p95_ms": 1000 * p95(alone),
        "p50_ms": 1000 * statistics.median(times), "p95_ms": 1000 * p95(times),
        "rss_before_mb": before, "rss_growth_mb": max(peak) - before,
    }  # fmt: skip


def stroke_seconds(url: str, canvas: int, session: str, strokes: int) -> list[float]:
    """Seconds of each of `strokes` canvas predictions sent one after another (a pen lift of
    50 ms between them), each checked to have succeeded."""
    times = []
    for i in range(strokes):
        start = time.perf_counter()
        result = join(url, canvas, [stroke_png(i), None, None, "en", 70], session)
        times.append(time.perf_counter() - start)
        if not result.get("success"):
            raise RuntimeError(f"a stroke failed: {result}")
        time.sleep(0.05)
    return times


def p95(ordered: list[float]) -> float:
    return ordered[min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1)]


def code_burst(url: str, calls: int) -> dict:
    """`calls` "New class code" clicks from one session as fast as they go, then one from a
    fresh session: how many codes were made and what the refused ones were told."""
    new_code = next(e["fn_index"] for e in endpoints(url) if e["api_name"] == "new_class")
    session = uuid.uuid4().hex[:11]
    start = time.perf_counter()
    results = [join(url, new_code, ["en"], session) for _ in range(calls)]
    seconds = time.perf_counter() - start
    refused = [error_message(r) for r in results if not r.get("success")]
    other = join(url, new_code, ["en"])
    return {
        "calls": calls, "seconds": seconds, "made": calls - len(refused),
        "refused": len(refused), "silent": sum(1 for m in refused if not m),
        "message": refused[0] if refused else "", "other_session_made": bool(other.get("success")),
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (a smoke run)")
    args = parser.parse_args()
    from benchmarks.class_server import serve

    images, side, strokes = (8, 2048, 20) if args.quick else (40, 4096, 60)
    with serve(free_port()) as (url, pid):
        print(f"app.py pid {pid} at {url}")
        flood = images_vs_drawing(url, pid, images, side, strokes)
        print(
            f"images vs drawing: {flood['images']} concurrent {side}x{side} JPEG "
            f"({flood['jpeg_kb']} kB) /predict_image calls, {flood['images_ok']} answered "
            f"({flood['images_read_7']} read 7); {flood['strokes']} canvas strokes meanwhile: "
            f"p50 {flood['p50_ms']:.0f} ms, p95 {flood['p95_ms']:.0f} ms (target <= "
            f"{TARGET_P95_S * 1000:.0f}; without the images: p50 {flood['alone_p50_ms']:.0f} ms, "
            f"p95 {flood['alone_p95_ms']:.0f} ms); RSS "
            f"{flood['rss_before_mb']:.0f} MB + {flood['rss_growth_mb']:.0f} MB at peak "
            f"(target <= {TARGET_RSS_MB})"
        )
        burst = code_burst(url, 62)
        print(
            f"class codes: {burst['calls']} New class code calls from one session in "
            f"{burst['seconds']:.1f} s: {burst['made']} made, {burst['refused']} refused "
            f'({burst["silent"]} without a message): "{burst["message"]}"; a fresh session '
            f"then {'made one' if burst['other_session_made'] else 'was REFUSED'}"
        )
        found = fuzz(url, QUICK_VALUES if args.quick else BAD_VALUES)
        print(
            f"fuzz: {found['calls']} calls over every fn_index, {found['errors']} errors, "
            f"{found['completed']} completed; errors with a null/empty message: "
            f"{len(found['silent'])} (target 0)"
        )
        for row in found["silent"]:
            print(f"  silent: fn_index {row[0]} ({row[1]}), value {row[2]} ({row[3]})")


if __name__ == "__main__":
    main()
