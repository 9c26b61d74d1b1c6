"""Simulated students: each sends what the real page sent for its strokes and Clears, request by
request (same endpoints, same bodies, same order and timing), from a session of its own.

Uploads are sent again and the paths the server gives back replace the recorded ones in later
requests; the recorded page's session hash is replaced by the student's. The page's queue
stream (/queue/data) is opened as the page opens it: after a join, until the server closes it.
A stroke's latency runs from its (simulated) pen-up to the completion of its first prediction.
"""

from __future__ import annotations

import asyncio
import base64
import json
import random
import secrets
import time
from dataclasses import dataclass, field
from urllib.parse import urlparse

import httpx

from benchmarks.class_page import Group

# How long a simulated student's pen is down for a stroke. The page's own strokes take longer
# or shorter depending on how fast the browser draws (the Sketchpad's software rendering is
# slow headless); the students draw at one speed whatever canvas the page has.
STROKE_S = 0.5


@dataclass
class Tally:
    """What all simulated students saw."""

    latencies_ms: list[float] = field(default_factory=list)
    answered_at: list[float] = field(default_factory=list)  # time.time() of each answer
    errors: list[str] = field(default_factory=list)
    strokes: int = 0
    requests: int = 0
    unanswered: int = 0  # strokes whose answer never came


class Student:
    """One browser session's worth of requests."""

    def __init__(self, client: httpx.AsyncClient, recorded_session: str, predict: set[int],
                 tally: Tally) -> None:  # fmt: skip
        self.client, self.recorded, self.predict, self.tally = (
            client,
            recorded_session,
            predict,
            tally,
        )
        self.session = secrets.token_hex(6)
        self.paths: dict[str, str] = {}  # recorded upload path -> this student's
        self.waiting: dict[str, asyncio.Future] = {}  # event id -> its completion
        self.flight: dict[int, asyncio.Future] = {}  # fn_index -> its event in flight
        self.tickets: dict[int, int] = {}
        self.lifts: list[float] = []  # pen-ups still waiting for their answer
        self.stream: asyncio.Task | None = None
        self.background: set[asyncio.Task] = set()

    def _swap(self, text: str) -> str:
        text = text.replace(self.recorded, self.session)
        for old, new in self.paths.items():
            text = text.replace(old, new)
        return text

    async def send(self, fetch: dict) -> None:
        """Send one recorded request (a join goes through join())."""
        url = urlparse(fetch["url"])
        if url.path.endswith("/queue/data"):
            return  # opened by join(), as the page's client does
        if url.path.endswith("/queue/join"):
            return await self.join(fetch)
        target = url.path + (f"?{self._swap(url.query)}" if url.query else "")
        body = fetch.get("body") or {}
        self.tally.requests += 1
        if "form" in body:
            data = {p["name"]: self._swap(p["text"]) for p in body["form"] if "text" in p}
            files = [
                (p["name"], (p["filename"], base64.b64decode(p["b64"]), p["type"]))
                for p in body["form"] if "b64" in p
            ]  # fmt: skip
            response = await self.client.request(fetch["method"], target, data=data, files=files)
        else:
            response = await self.client.request(fetch["method"], target)
        _check(url.path, response)
        if url.path.endswith("/upload") and fetch.get("response"):
            self.paths.update(zip(json.loads(fetch["response"]), response.json(), strict=False))

    async def join(self, fetch: dict) -> None:
        """Join the queue as the page does: with an event of the same listener in flight, only
        the newest waits for it and is sent after it (trigger_mode="always_last")."""
        body = self._swap(fetch["body"]["text"])
        fn = json.loads(body).get("fn_index")
        ticket = self.tickets[fn] = self.tickets.get(fn, 0) + 1
        while (busy := self.flight.get(fn)) is not None and not busy.done():
            await asyncio.wait([busy])
            if self.tickets[fn] != ticket:
                return  # a newer drawing replaced this one
        sent = time.perf_counter()
        self.tally.requests += 1
        response = await self.client.post(
            "/gradio_api/queue/join", content=body, headers={"content-type": "application/json"}
        )
        _check("/queue/join", response)
        done = self.flight[fn] = asyncio.get_running_loop().create_future()
        self.waiting[response.json()["event_id"]] = done
        if self.stream is None or self.stream.done():
            self.tally.requests += 1
            self.stream = asyncio.create_task(self._listen())
        if fn in self.predict:
            done.add_done_callback(lambda answer: self._answered(sent, answer))

    def _answered(self, sent: float, answer: asyncio.Future) -> None:
        """A prediction came back: it answers every pen-up before it was sent."""
        finished, ok = answer.result()
        if not ok:
            self.tally.errors.append("a prediction failed")
        answered = [lift for lift in self.lifts if lift <= sent]
        self.lifts = [lift for lift in self.lifts if lift > sent]
        self.tally.latencies_ms += [(finished - lift) * 1000 for lift in answered]
        self.tally.answered_at += [time.time()] * len(answered)

    async def _listen(self) -> None:
        """The session's queue stream, reopened while any of its events is unanswered."""
        try:
            await self._read_stream()
        except httpx.HTTPError as error:
            self.tally.errors.append(f"queue stream: {type(error).__name__}: {error}"[:200])

    async def _read_stream(self) -> None:
        while self.waiting:
            path = f"/gradio_api/queue/data?session_hash={self.session}"
            async with self.client.stream("GET", path) as stream:
                async for line in stream.aiter_lines():
                    if not line.startswith("data:"):
                        continue
                    message = json.loads(line[5:])
                    if message.get("msg") == "process_completed":
                        done = self.waiting.pop(message.get("event_id"), None)
                        if done is not None and not done.done():
                            done.set_result((time.perf_counter(), message.get("success")))
                    if message.get("msg") == "close_stream":
                        break

    async def replay(self, group: Group) -> None:
        """One stroke (the pen down now, up STROKE_S later) or Clear (now): its requests as long
        after the pen-up as the page sent them; a join waits for the uploads started before
        it, as the page's does."""
        start = time.perf_counter()
        lift = start + (STROKE_S if group.kind == "stroke" else 0.0)
        if group.kind == "stroke":
            self.tally.strokes += 1
            self.lifts.append(lift)
        started: list[asyncio.Task] = []
        for fetch in group.fetches:
            due = max(start, lift + (fetch["offset"] - group.lift) / 1000)
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            task = asyncio.create_task(self._safely(fetch))
            if "/queue/join" in fetch["url"]:
                await asyncio.gather(*started)
                started = []
                self.background.add(task)  # it may wait for its turn: the page goes on drawing
                task.add_done_callback(self.background.discard)
            else:
                started.append(task)
        await asyncio.gather(*started)

    async def _safely(self, fetch: dict) -> None:
        try:
            await self.send(fetch)
        except Exception as error:  # a benchmark counts failures; it goes on
            self.tally.errors.append(f"{type(error).__name__}: {error}"[:200])

    async def finish(self, grace: float) -> None:
        """Wait up to `grace` s for answers still on their way; count the pen-ups never answered."""
        pending = [*self.background, *([self.stream] if self.stream else [])]
        if pending:
            await asyncio.wait(pending, timeout=grace)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        self.tally.unanswered += len(self.lifts)


def _check(path: str, response: httpx.Response) -> None:
    if response.status_code >= 400:
        raise RuntimeError(f"{path}: HTTP {response.status_code} {response.text[:120]}")


async def _student(url, groups, recorded, predict, until, tally, pace) -> None:
    """One student: the recorded strokes and Clears in a loop, the next `pace` s after each
    pen-up and each Clear (as the real page draws under load), until `until`."""
    async with httpx.AsyncClient(base_url=url, timeout=60) as client:
        student = Student(client, recorded, predict, tally)
        await asyncio.sleep(random.uniform(0, 3 * pace))  # students do not start in step
        while time.perf_counter() < until:
            for group in groups:
                begun = time.perf_counter()
                # The page's requests go on in the background: a hand does not wait for them.
                task = asyncio.create_task(student.replay(group))
                student.background.add(task)
                task.add_done_callback(student.background.discard)
                held = STROKE_S if group.kind == "stroke" else 0.0
                rest = begun + held + pace - time.perf_counter()
                await asyncio.sleep(max(0.0, rest))
                if time.perf_counter() >= until:
                    break
        await student.finish(grace=10.0)


def run_students(url: str, groups: list[Group], predict: set[int], students: int,
                 seconds: float, pace: float) -> Tally:  # fmt: skip
    """`students` sessions replaying the recorded groups for `seconds`, each at a pace of its
    own (0.8x to 1.25x `pace`)."""
    recorded = next(
        json.loads(f["body"]["text"])["session_hash"]
        for g in groups for f in g.fetches
        if "/queue/join" in f["url"] and f.get("body")
    )  # fmt: skip
    tally = Tally()

    async def everyone() -> None:
        until = time.perf_counter() + seconds
        await asyncio.gather(*[
            _student(url, groups, recorded, predict, until, tally, pace * random.uniform(0.8, 1.25))
            for _ in range(students)
        ])  # fmt: skip

    asyncio.run(everyone())
    return tally
