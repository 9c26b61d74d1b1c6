"""The training line (digitlab/ui/training_line.py): runs start in the order they joined, a
waiting run's estimated start adds up what trains and waits ahead of it, Stop takes a waiting
run out of the line at once, and a full line refuses; runs trained at the same time reach what
the same run reaches alone."""

from __future__ import annotations

import threading
import time

import pytest

from digitlab.config import TrainConfig
from digitlab.ui import line_panel
from digitlab.ui.training_line import (
    PRIOR_S_PER_MAC,
    START_S,
    TURN_S,
    LineFull,
    TrainingLine,
)
from digitlab.words import Text

CNN = TrainConfig()  # the default run: 351 steps of 512 images
STEPS = CNN.total_steps


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def started(line: TrainingLine, ticket) -> bool:
    """Run the ticket's wait to its end if it is its turn (no waiting: one look)."""
    for _ in line.wait(ticket):
        return False
    return ticket.started is not None


def test_runs_start_in_the_order_they_joined_one_at_a_time():
    line = TrainingLine(slots=1, most_waiting=10)
    a, b, c = (line.join(s, CNN, STEPS, threading.Event()) for s in "abc")
    assert started(line, a)
    assert not started(line, b) and not started(line, c)
    assert (line.place(b).place, line.place(c).place) == (1, 2)
    assert line.counts() == (1, 2)
    line.leave(a)
    assert not started(line, c)  # b is first
    assert started(line, b)
    assert line.place(c).place == 1


def test_a_waiting_runs_start_is_what_trains_and_waits_ahead_of_it():
    clock = Clock()
    line = TrainingLine(slots=1, most_waiting=10, clock=clock)
    a, b, c = (line.join(s, CNN, STEPS, threading.Event()) for s in "abc")
    assert started(line, a)
    each = line.expected_s(a)
    assert each == pytest.approx(
        START_S + STEPS * 512 * CNN.macs_per_image() * PRIOR_S_PER_MAC["cnn"]
    )
    clock.now += 1.0  # a has run for a second
    assert line.place(b).start_in_s == pytest.approx(each - 1.0 + TURN_S)
    assert line.place(c).start_in_s == pytest.approx(2 * (each + TURN_S) - 1.0)
    # Half done after a second: still what its kind takes (its start-up is in that second).
    line.progress(a, 0.5)
    assert line.place(b).start_in_s == pytest.approx(each - 1.0 + TURN_S)
    # Half done after longer than its kind takes: as long again to go, its progress says; b,
    # a run of its kind, is still expected to take what its kind takes (one run is no trend).
    clock.now += each
    assert line.place(b).start_in_s == pytest.approx(each + 1.0 + TURN_S)
    assert line.place(c).start_in_s == pytest.approx(each + 1.0 + each + 2 * TURN_S)


def test_the_runs_that_finished_set_what_the_next_runs_of_their_kind_are_expected_to_take():
    clock = Clock()
    line = TrainingLine(slots=1, most_waiting=10, clock=clock)
    waiting = line.join("w", CNN, STEPS, threading.Event())
    prior = line.expected_s(waiting)
    for n in range(3):  # three runs of 10 s, far slower than the prior
        run = line.join(f"r{n}", CNN, STEPS, threading.Event())
        line._waiting.remove(run)
        line._waiting.insert(0, run)  # ahead of the one waiting
        assert started(line, run)
        clock.now += 10.0
        line.leave(run, finished=True)
        if n == 0:  # one slow run (a class's first, in the rush of presses) moves nothing
            assert line.expected_s(waiting) == pytest.approx(prior)
    assert line.expected_s(waiting) == pytest.approx(10.0)  # three are how runs go here now
    mlp = line.join("c", TrainConfig(model="mlp"), 100, threading.Event())
    assert line.expected_s(mlp) < START_S + 1.0  # an MLP's speed is its own


def test_two_slots_serve_the_line_two_at_a_time():
    clock = Clock()
    line = TrainingLine(slots=2, most_waiting=10, clock=clock)
    a, b, c, d = (line.join(s, CNN, STEPS, threading.Event()) for s in "abcd")
    assert started(line, a) and started(line, b)
    each = line.expected_s(a)
    assert line.place(c).start_in_s == pytest.approx(each + TURN_S)  # the first slot to free up
    assert line.place(d).start_in_s == pytest.approx(
        each + TURN_S
    )  # the second one, at the same time


def test_stop_takes_a_waiting_run_out_of_the_line_at_once():
    line = TrainingLine(slots=1, most_waiting=10)
    a = line.join("a", CNN, STEPS, threading.Event())
    assert started(line, a)
    stop = threading.Event()
    b = line.join("b", CNN, STEPS, stop)
    ended = threading.Event()

    def wait() -> None:
        for _ in line.wait(b):
            pass
        ended.set()

    threading.Thread(target=wait, daemon=True).start()
    time.sleep(0.1)
    assert not ended.is_set()
    stop.set()
    assert ended.wait(5), "Stop did not take the waiting run out of the line"
    assert b.started is None and line.counts() == (1, 0)


def test_the_end_of_a_run_starts_the_next_one_waiting():
    line = TrainingLine(slots=1, most_waiting=10)
    a = line.join("a", CNN, STEPS, threading.Event())
    assert started(line, a)
    b = line.join("b", CNN, STEPS, threading.Event())
    turn = threading.Event()
    threading.Thread(target=lambda: (list(line.wait(b)), turn.set()), daemon=True).start()
    time.sleep(0.1)
    assert not turn.is_set()
    line.leave(a, finished=True)
    assert turn.wait(5) and b.started is not None


def test_a_full_line_refuses_another_run_with_a_message():
    line = TrainingLine(slots=1, most_waiting=2)
    for session in "ab":
        line.join(session, CNN, STEPS, threading.Event())
    with pytest.raises(LineFull):
        line.join("c", CNN, STEPS, threading.Event())
    assert "64 runs waiting" in Text("line.full", n=64).render("en")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_place_is_said_in_words_rounded_as_a_person_says_it(lang):
    from digitlab.ui.training_line import Place

    second = line_panel.place_html(Place(2, 23.4, 1, 5), lang)
    assert 'data-place="2"' in second and 'data-start-s="23.40"' in second
    assert ("25 s" if lang == "en" else "25 秒") in second
    assert 'aria-live="polite"' in second
    assert line_panel.when_text(200, lang) == ("3 min" if lang == "en" else "3 分钟")
    assert line_panel.place_html(None, lang) == ""


def test_runs_trained_at_the_same_time_reach_what_each_reaches_alone(digits):
    """Two runs of the same settings (and seed) in two threads at once, as two training slots
    would run them, against the same run alone: the same accuracy."""
    from digitlab.training.trainer import train

    cfg = TrainConfig(subset=2_000, epochs=1, batch_size=128, max_steps=10)

    def accuracy() -> float:
        *_, done = train(cfg, digits)
        return done.metrics["test_accuracy"]

    alone = accuracy()
    together: list[float] = []
    threads = [threading.Thread(target=lambda: together.append(accuracy())) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert together == pytest.approx([alone, alone], abs=0.001)


def test_a_ticket_nobody_looks_after_any_more_never_holds_up_the_line():
    """A page closed while its run waited, whose handler was never closed: its ticket leaves the
    line once it has not looked for STALE_S, and the run behind it starts."""
    from digitlab.ui.training_line import STALE_S

    clock = Clock()
    line = TrainingLine(slots=1, most_waiting=10, clock=clock)
    a, gone, c = (line.join(s, CNN, STEPS, threading.Event()) for s in "abc")
    assert started(line, a) and not started(line, gone) and not started(line, c)
    line.leave(a, finished=True)
    clock.now += STALE_S["waiting"] / 2
    assert not started(line, c)  # gone's turn: it may still look
    clock.now += STALE_S["waiting"]
    assert started(line, c)
    assert line.counts() == (1, 0) and not line.holds("b")
