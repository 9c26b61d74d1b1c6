"""The training line: the runs training now and the runs waiting for a slot, in order, with when
each will start.

A server trains TRAIN_SLOTS runs at a time (queues.py). Gradio's own queue would keep the waiting
runs out of sight (a small grey "queue: 2/2"); so the Train tab's and the Teach tab's runs wait
here, in their own handler: a waiting student sees their place and an estimated start, the page
shows how many runs train and wait, and Stop takes a waiting run out of the line at once.

When a run will start: the runs training now finish in their expected time less what they have
run (or, once they have run longer than that, in what their progress says); each run waiting
ahead then takes its expected time, and each turn from one run to the next TURN_S. A run's
expected time is a fixed cost (start-up, the final evaluation on the whole test set, saving)
and its work (steps x batch x multiply-adds per image) times the seconds per unit of work its
kind (MLP or CNN) takes here: the median over the last runs of the kind that finished here,
the prior counted twice to begin with, so that one slow run (the first of a class, in the rush
of thirty presses, takes three to four times the next ones) moves nothing.

Estimates are shown only to students waiting in line, that is while a class trains: the prior
and the fixed cost are a class's (`python -m benchmarks.class_trains`, 10 students drawing),
not a quiet machine's.
"""

from __future__ import annotations

import statistics
import threading
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field

from digitlab.config import TrainConfig

# Seconds per multiply-add of a run in the app on the 2-core machine while a class trains and
# draws (default CNN runs and the class round, `python -m benchmarks.class_trains [--preset
# class_round]`: 3.9 s and 2.1 s a run), until runs of the kind have finished here.
PRIOR_S_PER_MAC = {"mlp": 3.0e-11, "cnn": 4.3e-11}
START_S = 1.0  # a run's fixed cost: start-up, final evaluation and save, whatever its size
# From one run's end to the next one's first update on its page, while a class draws: the end's
# last updates and the next start's first (the same benchmark: 0.4-0.8 s).
TURN_S = 0.5
RECENT = 5  # a kind's speed is the median of its last runs (and of the prior, twice, at first)
WAIT_S = 0.25  # how often a waiting run looks at Stop and at the line
# A ticket its handler stopped looking after (a page closed mid-wait whose generator was never
# closed) leaves the line after this long, so it never holds up the runs behind it.
STALE_S = {"waiting": 10.0, "training": 120.0}
PROGRESS_FROM = 0.1  # a running run's own progress predicts its end once this much is done


@dataclass(eq=False)
class Ticket:
    """One run's place: waiting until started is set, then training until it leaves."""

    session: str
    kind: str  # "mlp" or "cnn": whose measured speed estimates it
    work: float  # multiply-adds of its steps
    stop: threading.Event
    started: float | None = None
    done_share: float = 0.0  # how much of it has run (0-1), told by its stream
    seen: float = field(default_factory=time.monotonic)  # its handler's last look (clock's)


@dataclass(frozen=True)
class Place:
    """Where a waiting run stands: its place (1 = next) and in how many seconds it should start;
    and how many runs train and wait in all (what the teacher sees)."""

    place: int
    start_in_s: float
    training: int
    waiting: int


class LineFull(Exception):
    """The line holds as many waiting runs as it may."""


class TrainingLine:
    """The line, shared by every session behind one lock (a Condition: a run's end wakes the
    next at once)."""

    def __init__(self, slots: int, most_waiting: int, clock=time.monotonic) -> None:
        self.slots, self.most_waiting, self.clock = max(1, slots), most_waiting, clock
        self._turns = threading.Condition()
        self._waiting: list[Ticket] = []
        self._training: list[Ticket] = []
        self._rates = {kind: deque([prior] * 2, maxlen=RECENT)
                       for kind, prior in PRIOR_S_PER_MAC.items()}  # fmt: skip

    def join(self, session: str, cfg: TrainConfig, steps: int, stop: threading.Event) -> Ticket:
        """A ticket at the end of the line for a run of cfg's model taking `steps` steps;
        LineFull when the line is full."""
        work = float(max(1, steps) * cfg.batch_size * cfg.macs_per_image())
        ticket = Ticket(session, cfg.model, work, stop, seen=self.clock())
        with self._turns:
            if len(self._waiting) >= self.most_waiting:
                raise LineFull
            self._waiting.append(ticket)
        return ticket

    def wait(self, ticket: Ticket) -> Iterator[Place]:
        """Wait for the ticket's turn, yielding its Place every WAIT_S seconds meanwhile; ends
        when it is its turn (ticket.started is set) or its Stop was pressed (then it has left
        the line)."""
        while True:
            with self._turns:
                ticket.seen = self.clock()
                if ticket.stop.is_set():
                    self._drop(ticket)
                    return
                if self._its_turn(ticket):
                    self._waiting.remove(ticket)
                    self._training.append(ticket)
                    ticket.started = self.clock()
                    return
                place = self._place(ticket)
            yield place
            with self._turns:
                if not ticket.stop.is_set() and not self._its_turn(ticket):
                    self._turns.wait(WAIT_S)

    def progress(self, ticket: Ticket, share: float) -> None:
        """How much of a training run has run (0-1), for the estimates of those waiting."""
        ticket.done_share = min(max(share, 0.0), 1.0)
        ticket.seen = self.clock()

    def leave(self, ticket: Ticket, finished: bool = False) -> None:
        """The run is over (or never started); finished: it ran to its end, so its wall time
        is what a run of its kind costs per multiply-add now."""
        with self._turns:
            if finished and ticket.started is not None and ticket in self._training:
                rate = max(self.clock() - ticket.started - START_S, 0.0) / ticket.work
                self._rates.setdefault(ticket.kind, deque(maxlen=RECENT)).append(rate)
            self._drop(ticket)

    @property
    def s_per_mac(self) -> dict[str, float]:
        """Seconds per multiply-add of a run of each kind here now."""
        return {kind: statistics.median(rates) for kind, rates in self._rates.items()}

    def holds(self, session: str) -> bool:
        """Whether the session has a run in the line (waiting or training)."""
        with self._turns:
            return any(t.session == session for t in (*self._waiting, *self._training))

    def counts(self) -> tuple[int, int]:
        """(training, waiting) runs now."""
        with self._turns:
            return len(self._training), len(self._waiting)

    def place(self, ticket: Ticket) -> Place | None:
        """The ticket's Place while it waits, else None."""
        with self._turns:
            return self._place(ticket) if ticket in self._waiting else None

    def expected_s(self, ticket: Ticket, rates: dict[str, float] | None = None) -> float:
        """Seconds the ticket's run should take from its turn to its end (at these seconds per
        multiply-add by kind; default: the last finished runs')."""
        rates = rates or self.s_per_mac
        return START_S + ticket.work * rates.get(ticket.kind, PRIOR_S_PER_MAC["cnn"])

    def _its_turn(self, ticket: Ticket) -> bool:
        self._forget_stale()
        free = self.slots - len(self._training)
        return free > 0 and ticket in self._waiting[:free]

    def _forget_stale(self) -> None:
        """Drop the tickets whose handlers stopped looking (STALE_S)."""
        now = self.clock()
        for state, tickets in (("waiting", self._waiting), ("training", self._training)):
            for stale in [t for t in tickets if now - t.seen > STALE_S[state]]:
                tickets.remove(stale)
                self._turns.notify_all()

    def _drop(self, ticket: Ticket) -> None:
        for tickets in (self._waiting, self._training):
            if ticket in tickets:
                tickets.remove(ticket)
        self._turns.notify_all()

    def _projected_s(self, ticket: Ticket, now: float) -> float:
        """Seconds a training run should take in all: what its kind is expected to take, or,
        once it has run longer than that, what its progress says (a run's progress alone
        over-projects a short run: its start-up is in the time it has run)."""
        ran, expected = now - (ticket.started or now), self.expected_s(ticket)
        if ran > expected and ticket.done_share >= PROGRESS_FROM:
            return max(ran / ticket.done_share, ran)
        return max(expected, ran)

    def _place(self, ticket: Ticket) -> Place:
        """Slots free up as the runs training end; each run ahead takes the first one free, in
        the time its kind takes now (a training run's progress says it best: the class's load)."""
        now, rates = self.clock(), self.s_per_mac
        free_at = []
        for running in self._training:
            projected = self._projected_s(running, now)
            free_at.append(projected - (now - running.started) + TURN_S)
        free_at += [0.0] * (self.slots - len(free_at))
        index = self._waiting.index(ticket)
        for ahead in self._waiting[:index]:
            free_at.sort()
            free_at[0] += TURN_S + self.expected_s(ahead, rates)
        return Place(index + 1, min(free_at), len(self._training), len(self._waiting))
