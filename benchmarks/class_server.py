"""The app under test for the class benchmarks: `python app.py` started on a port (pinned to
some CPUs if asked), and its CPU time, read from /proc as the kernel counts it."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import numpy as np

from benchmarks.cold_start import ROOT


@contextlib.contextmanager
def serve(port: int, cpus: str | None = None) -> Iterator[tuple[str, int]]:
    """`python app.py` on port (pinned to `cpus` with taskset); yields (url, its pid)."""
    env = {**os.environ, "GRADIO_SERVER_NAME": "127.0.0.1", "GRADIO_SERVER_PORT": str(port)}
    pin = ["taskset", "-c", cpus] if cpus else []
    proc = subprocess.Popen(
        [*pin, sys.executable, "app.py"], cwd=ROOT, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            if proc.poll() is not None:
                raise RuntimeError(f"app.py exited with {proc.returncode}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{url}/config", timeout=2).status_code == 200:
                    break
            time.sleep(0.2)
        yield url, proc.pid
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def family_cpu_seconds(pid: int, leave_out: int) -> float:
    """CPU seconds of pid and every process under it (a browser, its helpers), but leave_out's
    own family: what the load generator uses apart from the app it started."""
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            parents[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
    family, grew = {pid}, True
    while grew:
        more = {child for child, parent in parents.items() if parent in family} - {leave_out}
        grew, family = bool(more - family), family | more
    total = 0.0
    for member in family:
        with contextlib.suppress(OSError, IndexError, ValueError):
            total += cpu_seconds(member)
    return total


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds the process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class CpuClock:
    """The server's CPU seconds, sampled every 20 ms in a thread, to read back for any window
    of wall-clock time afterwards (epoch ms, the page's clock)."""

    def __init__(self, pid: int) -> None:
        self.pid, self.samples, self.running = pid, [], True
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()

    def _sample(self) -> None:
        while self.running:
            self.samples.append((time.time() * 1000, cpu_seconds(self.pid)))
            time.sleep(0.02)

    def between(self, start: float, end: float) -> float:
        """CPU seconds used from epoch ms start to end."""
        times, used = zip(*self.samples, strict=True)
        return float(np.interp(end, times, used) - np.interp(start, times, used))

    def stop(self) -> None:
        self.running = False
        self.thread.join()
