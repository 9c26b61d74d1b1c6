"""How many CPU threads a training run uses, chosen while it runs.

A run on a 2-core machine is fastest with both cores while nothing else runs, and collapses
(measured: an epoch of 5 s becomes 47-85 s) when another process or a student's prediction
holds one: every step then waits at OpenMP's barrier for the thread that lost its core. So the
run measures its own speed in short windows and
- drops a thread when a window runs at less than half the best speed seen with that many
  threads (someone else holds a core), or clearly slower than the latest window with one thread
  fewer (a busy machine where one thread beats two that keep waiting for each other);
- with fewer threads than it may use, tries one more now and then for one window and keeps it
  if that is faster; a probe that loses makes the next one wait twice as long (up to a minute);
- after its first measured window, tries one thread fewer once: a core taken before the run
  started leaves no fast window to compare with, so only trying tells. The run's first steps
  are not measured: they set up the kernels (a slow first window made one thread look as fast
  as two, and the default CNN ran its first 3.7 s on one; class benchmark, 2026-11-30).

`ThreadBudget.after_step` is all the trainer calls; it changes torch's thread count for the
calling thread only (OpenMP's setting is per thread), so prediction threads keep their own.
The server's own threads run torch on one thread each (`serve_on_one_thread`).

Measured in the class benchmark (BENCHMARKS.md): also dropping a thread for a second after each
student's prediction, or lowering the run's CPU priority (nice), made the default CNN run 11.7-
13.9 s under 30 students instead of 10.6-13.2 s, and the students' answers were no faster.
SCHED_IDLE (train_behind_serving) is what works: 60 students drawing while the run trained got
their answers in p95 85 ms instead of 899 (`python -m benchmarks.class_load --students 60`).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable

import torch

WINDOW_S = 0.4  # one measurement: long enough for a few steps, short enough to react within 1 s
COLLAPSED = 0.5  # a window below this share of the best speed seen with as many threads
PROBE_S = (3.0, 60.0)  # first and longest wait before trying one more thread
BETTER = 1.1  # a probe's thread is kept if the window ran this much faster


def serve_on_one_thread() -> None:
    """The server's own threads run torch on one core each: the calling one, and (torch keeps the
    last count set as the one new threads start with) threads started later. A prediction gains
    nothing from more, and none of these threads keeps an OpenMP team alive beside a training
    run's. Measured: once the main thread had run one 2-thread op (loading the shipped models),
    the default CNN run took 7.0-7.9 s in the app against 4.6-5.5 s (libgomp spins less before
    sleeping once it manages more threads than there are cores). Training threads set their own
    count (ThreadBudget). Cheap enough to call before every prediction."""
    if torch.get_num_threads() != 1:
        torch.set_num_threads(1)


def train_behind_serving() -> None:
    """The calling thread (a training run's) runs behind the server's threads: with SCHED_IDLE
    (Linux) it gets a core only when no prediction, page or request wants one; its OpenMP
    workers, started by it, inherit that. DIGITLAB_TRAIN_SCHED=normal leaves it as it is."""
    how = os.environ.get("DIGITLAB_TRAIN_SCHED", "idle")
    try:
        if how == "idle":
            os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
        elif how.startswith("nice"):
            os.setpriority(os.PRIO_PROCESS, 0, int(how[4:] or 10))  # this thread's
    except (AttributeError, OSError, ValueError):  # not Linux, or not allowed: as it is
        pass


def cores() -> int:
    """CPUs this process may run on (a container's or taskset's limit, not the host's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


class ThreadBudget:
    """The training thread's torch thread count, adapted to what else runs (module docstring).

    most: the most threads to use. clock and apply are the clock and how a count takes effect;
    tests pass their own.
    """

    def __init__(
        self,
        most: int,
        clock: Callable[[], float] = time.monotonic,
        apply: Callable[[int], None] = torch.set_num_threads,
    ) -> None:
        self.most, self.clock, self.apply = max(1, most), clock, apply
        self.threads = self.most
        self.best: dict[int, float] = {}  # threads -> best images/s seen with them
        self.last: dict[int, float] = {}  # threads -> the latest window's images/s
        self.probing_from: int | None = None
        self.wait = PROBE_S[0]
        self.changes: list[tuple[float, int]] = []  # (time, threads), for benchmarks and tests
        self._compared = self.most == 1  # has one thread fewer been tried against all of them?
        self._warming = True  # the first window: kernels being set up, not measured
        self._set(self.most, self.clock())
        self._seconds, self._images = 0.0, 0

    def after_step(self, images: int, seconds: float) -> None:
        """Count a step of `images` images that took `seconds` (evaluations and pauses between
        steps do not count); at a window's end, maybe change the thread count."""
        self._images += images
        self._seconds += seconds
        if self._seconds >= WINDOW_S:
            if not self._warming:
                self._decide(self._images / self._seconds, self.clock())
            self._warming, self._seconds, self._images = False, 0.0, 0

    def _decide(self, rate: float, now: float) -> None:
        n = self.threads
        self.last[n] = rate
        self.best[n] = max(self.best.get(n, 0.0), rate)
        if self.probing_from is not None:  # the window with one thread more (or fewer) is over
            before, self.probing_from = self.probing_from, None
            needed = BETTER if n > before else 1.0  # fewer threads: kept if as fast
            if rate >= needed * self.last.get(before, 0.0):
                self.wait = PROBE_S[0]
            else:
                self.wait = min(2 * self.wait, PROBE_S[1])
                self._set(before, now)
            return
        if not self._compared and n > 1:
            # The first window: a core may be taken already (then this window was slow, and the
            # collapse rule below has nothing to compare it with): try one thread fewer once.
            self._compared, self.probing_from = True, n
            self._set(n - 1, now)
            return
        fewer = self.last.get(n - 1, 0.0) / BETTER  # clearly slower than one thread fewer
        if n > 1 and (rate < COLLAPSED * self.best[n] or rate < fewer):
            self._compared = True
            self._set(n - 1, now)
        elif n < self.most and now - self._since >= self.wait:
            self.probing_from = n
            self._set(n + 1, now)

    def _set(self, threads: int, now: float) -> None:
        self.threads, self._since = threads, now
        self.apply(threads)
        self.changes.append((now, threads))
