"""The class benchmark's real page: Debian's Chromium draws digits on the Draw tab and records
what it sends (class_record.js), so simulated students can send the same, and how long each
verdict took on screen.

A stroke's window runs from its pen-down to the next pen-down (or Clear click); every request
the page started in that window counts for that stroke. Its latency runs from the pen lifting
to the moment the page showed the answer: the first change of the verdict or the pixel view
after the completion of the first prediction the page sent after the pen lifted.
"""

from __future__ import annotations

import json
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import numpy as np

from benchmarks.strokes import draw

RECORDER = (Path(__file__).parent / "class_record.js").read_text()
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run",
]  # fmt: skip
GLYPHS = ["7-plain", "1-flag", "0-oval", "4-open", "2-plain", "3-round", "5-flag", "8-circles",
          "9-straight", "6-curved"]  # fmt: skip
READY = """() => document.querySelector('#dl-canvas [data-ready]') ||
    document.querySelector('#dl-canvas button[aria-label="Brush"].highlight')"""
CLEAR = '#dl-canvas button.dl-clear, #dl-canvas button[aria-label="Clear canvas"]'
# Quiet: nothing on its way for 1.5 s and, after a stroke, its prediction answered.
QUIET = """([stroke, fns]) => {
  const rec = window.__dl;
  const last = Math.max(0, ...rec.fetches.map((f) => f.t));
  if (rec.busy > 0 || performance.timeOrigin + performance.now() - last < 1500) return false;
  if (!stroke) return true;
  const lift = rec.pen.filter((p) => p.type === "pointerup").at(-1).t;
  const done = new Set(rec.messages.filter((m) => m.msg === "process_completed")
    .map((m) => m.event_id));
  return rec.fetches.some((f) => f.url.includes("/queue/join") && f.t >= lift && f.body &&
    fns.includes(JSON.parse(f.body.text).fn_index) && f.response &&
    done.has(JSON.parse(f.response).event_id));
}"""
SHOWN = "() => document.querySelector('#dl-verdict .dl-digit')?.textContent"


@dataclass
class Group:
    """What one stroke (or one Clear) made the page send: recorded fetches, offsets in ms."""

    kind: str  # "stroke" or "clear"
    start: float  # epoch ms of the pen-down (or the Clear click)
    lift: float  # ms after start that the pen lifted (0 for a Clear)
    fetches: list[dict] = field(default_factory=list)  # each with "offset" (ms after start)
    requests: int = 0  # every request the browser started, as Playwright saw them
    sent_bytes: int = 0
    received_bytes: int = 0
    latency_ms: float | None = None  # pen up to answer on screen; None: no answer seen
    busy_until: float = 0.0  # epoch ms of its last request or queue message


def launch(playwright):
    """Debian's Chromium, headless."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    return playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)


class RealPage:
    """One real page on the app, drawing digits in the styles of benchmarks/strokes.py."""

    def __init__(self, browser, url: str, pace: float, predict: set[int], seed: int = 0) -> None:
        self.page = browser.new_page(viewport={"width": 1280, "height": 1000})
        self.page.set_default_timeout(60_000)
        self.page.add_init_script(RECORDER)
        self.requests: list = []
        for event in ("requestfinished", "requestfailed"):
            self.page.on(event, lambda request: self.requests.append(request))
        self.page.goto(url)
        self.page.wait_for_function(READY)
        self.sketchpad = self.page.locator('#dl-canvas button[aria-label="Brush"]').count() > 0
        self.pace, self.predict, self.rng = pace, predict, np.random.default_rng(seed)
        self.digits = 0
        self.marks: list[tuple[str, float]] = []  # ("clear", epoch ms) of each Clear click
        self.right = 0

    def settle(self, quiet: bool, stroke: bool = False) -> None:
        """`pace` s after a stroke or Clear; quiet: also until the stroke's prediction came back
        and nothing was sent for a while, so each request counts for the stroke that made it
        (for the recording alone, not under load)."""
        time.sleep(self.pace)
        if quiet:  # the Sketchpad starts some of its uploads a second or more after the stroke
            arg = [stroke, sorted(self.predict)]
            self.page.wait_for_function(QUIET, arg=arg, timeout=120_000, polling=100)

    def draw_digit(self, quiet: bool = False) -> None:
        """One digit, stroke by stroke, `pace` s after each pen-up; then Clear."""
        name = GLYPHS[self.digits % len(GLYPHS)]
        self.digits += 1
        box = self.page.locator("#dl-canvas canvas").first.bounding_box()
        side = min(box["width"], box["height"]) * (0.75 if self.sketchpad else 1.0)
        left, top = box["x"] + (box["width"] - side) / 2, box["y"] + (box["height"] - side) / 2
        mouse = self.page.mouse
        for stroke in draw(name, self.rng):
            points = [(left + x * side / 280, top + y * side / 280) for x, y in stroke]
            mouse.move(*points[0])
            mouse.down()
            for point in points[1::2]:
                mouse.move(*point)
            mouse.move(*points[-1])
            mouse.up()
            self.settle(quiet, stroke=True)
        self.right += self.page.evaluate(SHOWN) == name[0]
        self.marks.append(("clear", self.now()))
        self.page.locator(CLEAR).first.click()
        self.settle(quiet)

    def now(self) -> float:
        """The page's clock: epoch ms."""
        return self.page.evaluate("() => performance.timeOrigin + performance.now()")

    def groups(self, since: float = 0.0) -> list[Group]:
        """Every stroke and Clear since epoch ms `since`, with its requests and latency."""
        rec = self.page.evaluate("() => window.__dl")
        downs = [p["t"] for p in rec["pen"] if p["type"] == "pointerdown" and p["t"] >= since]
        ups = [p["t"] for p in rec["pen"] if p["type"] == "pointerup" and p["t"] >= since]
        clears = [t for kind, t in self.marks if t >= since]
        starts = sorted([(t, "stroke") for t in downs] + [(t, "clear") for t in clears])
        groups = []
        for i, (start, kind) in enumerate(starts):
            end = starts[i + 1][0] if i + 1 < len(starts) else float("inf")
            lift = next((u for u in ups if start <= u < end), start) if kind == "stroke" else start
            group = Group(kind, start, lift - start)
            group.fetches = [
                {**f, "offset": f["t"] - start} for f in rec["fetches"] if start <= f["t"] < end
            ]
            for request in self.requests:
                if start <= request.timing["startTime"] < end:
                    sizes = request.sizes()
                    group.requests += 1
                    group.sent_bytes += sizes["requestHeadersSize"]
                    group.received_bytes += sizes["responseBodySize"] + sizes["responseHeadersSize"]
            # Playwright leaves out bodies made of files: count them from the recording.
            group.sent_bytes += sum(body_bytes(f.get("body")) for f in group.fetches)
            group.latency_ms = answer_latency(lift, rec, self.predict)
            heard = [m["t"] for m in rec["messages"] if start <= m["t"] < end]
            group.busy_until = max([lift, *heard, *(f["t"] for f in group.fetches)])
            groups.append(group)
        return groups

    def close(self) -> None:
        self.page.close()


def predict_fns(config: dict) -> set[int]:
    """The events that answer a drawing: they write the verdict and the canvas triggers them."""
    ids = {c.get("props", {}).get("elem_id"): c["id"] for c in config["components"]}
    verdict, canvas = ids.get("dl-verdict"), ids.get("dl-canvas")
    return {
        d["id"] for d in config["dependencies"]
        if verdict in d["outputs"] and any(t[0] == canvas for t in d["targets"])
    }  # fmt: skip


def answer_latency(lift: float, rec: dict, predict: set[int]) -> float | None:
    """ms from the pen lifting to the answer on screen (None when no answer came)."""
    joins = []
    for f in rec["fetches"]:
        if "/queue/join" in f["url"] and f["t"] >= lift and f.get("response"):
            fn = json.loads(f["body"]["text"]).get("fn_index") if f.get("body") else None
            if fn in predict:
                joins.append(json.loads(f["response"]).get("event_id"))
    done = {m["event_id"]: m["t"] for m in rec["messages"] if m["msg"] == "process_completed"}
    answered = [done[e] for e in joins if e in done]
    if not answered:
        return None
    arrived = min(answered)
    shown = [d["t"] for d in rec["dom"] if arrived <= d["t"] < arrived + 1000]
    return (min(shown) if shown else arrived) - lift


def body_bytes(body: dict | None) -> int:
    """The size of a recorded request body (multipart framing counted as ~150 bytes a part)."""
    if not body:
        return 0
    if "form" in body:
        return sum(
            150 + len(p.get("text", "")) + len(p.get("b64", "")) * 3 // 4 for p in body["form"]
        )
    return len(body.get("text", "")) + len(body.get("b64", "")) * 3 // 4


def path_of(url: str) -> str:
    """The path of a URL, without the file name of a cached file."""
    path = urlparse(url).path
    return "/gradio_api/file=…" if "/file=" in path else path
