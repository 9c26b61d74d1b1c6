"""Registries the app's handlers share, one entry per browser session, each behind a lock:
the stop flag of a session's training run, and the drawing that run follows."""

from __future__ import annotations

import threading
from collections import OrderedDict

from digitlab.training.events import Probe


class StopFlags:
    """One stop flag per browser session, so a Stop click reaches that session's run only."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._flags: dict[str, threading.Event] = {}

    def arm(self, session: str) -> threading.Event:
        """A fresh flag for the session's next run (set before a run starts = cancelled)."""
        with self._lock:
            self._flags[session] = flag = threading.Event()
            return flag

    def claim(self, session: str) -> threading.Event:
        """The flag armed for this session's run, or a new one (API calls skip arm())."""
        with self._lock:
            return self._flags.setdefault(session, threading.Event())

    def running(self, session: str) -> bool:
        """Whether the session has a run going (or waiting for a slot)."""
        with self._lock:
            return session in self._flags

    def stop(self, session: str) -> bool:
        """Ask the session's run to stop; False if it has none."""
        with self._lock:
            flag = self._flags.get(session)
        if flag is not None:
            flag.set()
        return flag is not None

    def release(self, session: str, flag: threading.Event) -> None:
        """Forget the flag once its run is over (unless a newer run armed another)."""
        with self._lock:
            if self._flags.get(session) is flag:
                del self._flags[session]


class Drawings:
    """Each session's current Draw-canvas digit, which that session's training run follows.

    One Probe per browser session, behind a lock; the least recently drawn are forgotten past
    `limit` (a run keeps following its own Probe object even then).
    """

    def __init__(self, limit: int = 1024) -> None:
        self._lock = threading.Lock()
        self._probes: OrderedDict[str, Probe] = OrderedDict()
        self._limit = limit

    def probe(self, session: str) -> Probe:
        """The session's probe, created empty on first use."""
        with self._lock:
            probe = self._probes.pop(session, None) or Probe()
            self._probes[session] = probe  # most recent last
            while len(self._probes) > self._limit:
                self._probes.popitem(last=False)
            return probe
