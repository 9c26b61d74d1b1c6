"""The lr schedules against torch's OneCycleLR, and what steering them does (no training)."""

import math

import pytest
import torch

from digitlab.config import SCHEDULES
from digitlab.training.schedule import Schedule

LR = 0.01


def _torch_onecycle(optimizer_name: str, steps: int) -> tuple[list[float], list[float]]:
    """The lr and momentum of each step under torch's OneCycleLR, as the old trainer used it."""
    param = torch.nn.Parameter(torch.zeros(1))
    if optimizer_name == "sgd":
        optimizer = torch.optim.SGD([param], lr=LR)
    else:
        optimizer = torch.optim.Adam([param], lr=LR)
    scheduler = torch.optim.lr_scheduler.OneCycleLR(
        optimizer, max_lr=LR, total_steps=max(steps, 2), pct_start=0.25
    )
    lrs, momenta = [], []
    for _ in range(steps):
        group = optimizer.param_groups[0]
        lrs.append(group["lr"])
        momenta.append(group["betas"][0] if "betas" in group else group["momentum"])
        optimizer.step()
        scheduler.step()
    return lrs, momenta


@pytest.mark.parametrize("steps", [1, 2, 3, 5, 6, 7, 20, 117])
@pytest.mark.parametrize("optimizer_name", ["sgd", "adam"])
def test_onecycle_gives_torchs_learning_rates_and_momenta_bit_for_bit(steps, optimizer_name):
    lrs, momenta = _torch_onecycle(optimizer_name, steps)
    schedule = Schedule.initial("onecycle", LR, steps)
    assert [schedule.lr(s) for s in range(steps)] == lrs
    assert [schedule.momentum(s) for s in range(steps)] == momenta


def test_onecycle_of_four_steps_works_where_torch_divides_by_zero():
    with pytest.raises(ZeroDivisionError):
        _torch_onecycle("sgd", 4)
    schedule = Schedule.initial("onecycle", LR, 4)
    lrs = [schedule.lr(s) for s in range(4)]
    assert lrs[0] == LR and lrs == sorted(lrs, reverse=True) and lrs[-1] < LR / 2


@pytest.mark.parametrize("kind", SCHEDULES)
@pytest.mark.parametrize("steps", [1, 2, 3, 4, 5])
def test_every_schedule_gives_positive_finite_rates_for_tiny_runs(kind, steps):
    schedule = Schedule.initial(kind, LR, steps)
    lrs = [schedule.lr(s) for s in range(steps)]
    assert all(0 < lr <= LR and math.isfinite(lr) for lr in lrs), lrs


def test_cosine_decays_from_the_lr_towards_zero():
    schedule = Schedule.initial("cosine", LR, 100)
    lrs = [schedule.lr(s) for s in range(100)]
    assert lrs[0] == LR and lrs == sorted(lrs, reverse=True)
    assert lrs[50] == pytest.approx(LR / 2) and lrs[-1] < LR / 1000


@pytest.mark.parametrize("old", SCHEDULES)
@pytest.mark.parametrize("new", SCHEDULES)
@pytest.mark.parametrize("at", [0, 1, 10, 30, 70, 98, 99])
def test_switching_schedule_continues_from_the_current_lr(old, new, at):
    before = Schedule.initial(old, LR, 100)
    after = before.switch(new, at, before.lr(at), LR)
    lrs = [after.lr(s) for s in range(at, 100)]
    assert lrs[0] == pytest.approx(before.lr(at), rel=1e-12)  # no jump
    assert all(0 <= lr <= max(LR, before.lr(at)) * (1 + 1e-12) for lr in lrs)
    if new == "constant":
        assert lrs == [before.lr(at)] * len(lrs)
    if new == "cosine" and len(lrs) > 1:
        assert lrs == sorted(lrs, reverse=True)
    assert after.momentum(at) is None  # one-cycle's momentum cycle ends with any change


@pytest.mark.parametrize("kind", SCHEDULES)
@pytest.mark.parametrize("at", [0, 3, 40, 99])
def test_the_lr_knob_sets_the_next_steps_lr_and_decay_starts_from_it(kind, at):
    schedule = Schedule.initial(kind, LR, 100).set_lr(at, 0.5)
    lrs = [schedule.lr(s) for s in range(at, 100)]
    assert lrs[0] == 0.5 and max(lrs) == 0.5
    if kind == "constant":
        assert set(lrs) == {0.5}
    else:  # cosine and onecycle decay from the new lr to near zero at the same end
        assert lrs == sorted(lrs, reverse=True)
        assert len(lrs) < 3 or lrs[-1] < 0.05


def test_more_epochs_start_a_new_cycle_without_a_jump_except_cosines_restart():
    cycle = Schedule.initial("onecycle", LR, 100)
    last = cycle.lr(99)
    longer = cycle.extend(100, 200, last, LR)
    lrs = [longer.lr(s) for s in range(100, 200)]
    assert lrs[0] == pytest.approx(last) and max(lrs) == pytest.approx(LR)  # warms up again
    assert lrs.index(max(lrs)) == pytest.approx(25, abs=1) and lrs[-1] < LR / 1000
    cosine = Schedule.initial("cosine", LR, 100)
    restarted = cosine.extend(100, 200, cosine.lr(99), LR)
    assert restarted.lr(100) == LR and restarted.lr(150) == pytest.approx(LR / 2)
    constant = Schedule.initial("constant", LR, 100).extend(100, 200, LR, LR)
    assert constant.lr(150) == LR and constant.end == 200
