"""What the app's handlers share, one entry per browser session, each behind a lock, and the
one place each lives: a session's stop flags (training, fine-tuning), the drawing its run
follows, its running run (for the run's live controls) and the language its page shows; and
the line of runs training and waiting."""

from __future__ import annotations

import threading
from collections import OrderedDict

from digitlab.training.events import Probe
from digitlab.training.live import TrainingRun
from digitlab.ui.queues import LINE_WAITING, TRAIN_SLOTS
from digitlab.ui.training_line import TrainingLine
from digitlab.words import DEFAULT, LANGUAGES


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


class ActiveRuns:
    """Each session's training run while it goes, so its controls can reach it (one owner,
    behind a lock)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._runs: dict[str, TrainingRun] = {}

    def add(self, session: str, run: TrainingRun) -> None:
        with self._lock:
            self._runs[session] = run

    def remove(self, session: str, run: TrainingRun) -> None:
        with self._lock:
            if self._runs.get(session) is run:
                del self._runs[session]

    def get(self, session: str | None) -> TrainingRun | None:
        with self._lock:
            return self._runs.get(session or "")


class PageLanguages:
    """Each session's language as the page shows it now, for the texts a running job sends
    later (a training run's status lines, 0.4 s apart): a switch mid-run is seen at once.

    Only the newest MAX sessions are kept (a few bytes each); an unknown one reads its default.
    """

    MAX = 10_000

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._langs: OrderedDict[str, str] = OrderedDict()

    def set(self, session: str | None, lang: str) -> None:
        if not session or lang not in LANGUAGES:
            return
        with self._lock:
            self._langs[session] = lang
            self._langs.move_to_end(session)
            while len(self._langs) > self.MAX:
                self._langs.popitem(last=False)

    def get(self, session: str | None, default: str = DEFAULT) -> str:
        with self._lock:
            return self._langs.get(session or "", default)


STOP_FLAGS = StopFlags()  # each session's training run
TUNING = StopFlags()  # each session's fine-tuning run, for its Stop button
DRAWINGS = Drawings()  # each session's canvas digit, followed by its training run
ACTIVE = ActiveRuns()  # each session's running run, for Pause, Resume and the live settings
PAGE_LANGS = PageLanguages()  # each session's language, for what a running job sends later
# The runs training and waiting to train, every session's, in order (training_line.py).
LINE = TrainingLine(TRAIN_SLOTS, most_waiting=LINE_WAITING)
