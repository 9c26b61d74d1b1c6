"""The runs table says what happened during a run: the settings changed while it trained, and a
warning when its accuracy collapsed after one (issue 27, item 5); its values speak Chinese; the
change marks on the loss chart are separate rules."""

from __future__ import annotations

import math
from types import SimpleNamespace

from digitlab.config import TrainConfig
from digitlab.training.steering import Change
from digitlab.ui.charts import MARKS, curve_frame
from digitlab.ui.run_table import COLLAPSE_DROP, change_text, collapse, note_text, table

LR_UP = Change(step=440, epoch=4.4, name="lr", old=0.0094, new=1.2)
CURVE = [(0.5, 0.90), (1.0, 0.95), (2.0, 0.97), (3.0, 0.98), (4.0, 0.98), (5.0, 0.11), (6.0, 0.11)]


def record(accuracies, changes, final, stopped=False, **config):
    """A finished run as the table reads it (a RunRecord's fields, without a model)."""
    cfg = TrainConfig(model="mlp", lr=0.0094, **config)
    done = SimpleNamespace(
        config=cfg, metrics={"test_accuracy": final, "epochs": 6, "train_images": 3000},
        stopped=stopped, elapsed=12.3, changes=tuple(changes),
    )  # fmt: skip
    return SimpleNamespace(number=1, done=done, accuracies=accuracies, accuracy=final)


def test_the_lr_pushed_to_1_2_mid_run_is_blamed_for_the_fall():
    fall = collapse(CURVE, [LR_UP], 0.1135)
    assert fall is not None and fall.changes == (LR_UP,)
    assert fall.before == 0.98 and fall.after == 0.1135


def test_a_change_made_after_the_fall_is_not_blamed():
    back = Change(step=520, epoch=5.2, name="lr", old=1.2, new=0.01)
    fall = collapse(CURVE, [LR_UP, back], 0.1135)
    assert fall.changes == (LR_UP,)


def test_an_earlier_harmless_change_is_not_blamed():
    early = Change(step=50, epoch=0.5, name="weight_decay", old=0.0, new=0.0001)
    assert collapse(CURVE, [early, LR_UP], 0.1135).changes == (LR_UP,)


def test_a_change_that_ruins_the_run_later_is_blamed():
    # Still 98% at the next measurement, then down: the last change before the high is blamed.
    curve = [(1.0, 0.95), (2.0, 0.98), (3.0, 0.97), (4.0, 0.40), (5.0, 0.12)]
    dropout = Change(step=250, epoch=2.5, name="dropout", old=0.0, new=0.9)
    assert collapse(curve, [dropout], 0.12).changes == (dropout,)


def test_no_collapse_without_a_big_fall_or_without_a_change():
    assert collapse(CURVE, [LR_UP], 0.98 - COLLAPSE_DROP + 0.01) is None  # a rough patch
    assert collapse(CURVE, [], 0.11) is None  # nothing changed
    assert collapse([(1.0, 0.2), (2.0, 0.11)], [LR_UP], 0.11) is None  # never learned
    fell_first = [(1.0, 0.95), (2.0, 0.1), (3.0, 0.1)]
    late = Change(step=250, epoch=2.5, name="lr", old=0.01, new=0.001)
    assert collapse(fell_first, [late], 0.1) is None  # it fell before anything was changed


def test_the_note_says_the_change_and_the_fall_in_both_languages():
    run = record(CURVE, [LR_UP], 0.1135)
    assert note_text(run) == "lr 0.0094 → 1.2 at 4.4\n⚠ accuracy fell 98% → 11% after lr → 1.2"
    assert note_text(run, "zh") == (
        "学习率 0.0094 → 1.2（第 4.4 轮）\n⚠ 改为 学习率 → 1.2 后，准确率从 98% 跌到 11%"
    )
    assert note_text(record(CURVE[:5], [], 0.98, stopped=True)) == "stopped"


def test_a_change_of_a_named_option_speaks_chinese():
    change = Change(step=10, epoch=0.25, name="schedule", old="onecycle", new="constant")
    assert change_text(change) == "schedule onecycle → constant at 0.2"
    assert change_text(change, "zh") == "学习率计划 单周期 → 恒定（第 0.2 轮）"


def test_the_table_in_chinese_has_no_english_option_words():
    runs = [record(CURVE, [LR_UP], 0.1135, augment="strong", optimizer="adam")]
    frame = table(runs, "zh")
    text = " ".join(map(str, frame.columns)) + " " + " ".join(map(str, frame.iloc[0]))
    for word in ("adam", "relu", "onecycle", "strong", "light", "wd", "dropout", "aug", "lr "):
        assert word not in text, (word, text)  # "Adam" is its name in Chinese too
    english = table(runs).iloc[0]
    assert english["note"].startswith("lr 0.0094 → 1.2 at 4.4")
    assert english["settings"].replace("\u00a0", " ") == (
        "wd 0 · dropout 0 · onecycle · smooth 0.05 · aug strong"
    )


def test_change_marks_are_separate_vertical_rules():
    frame = curve_frame({1: [(1.0, 2.0), (5.0, 0.5)]}, "loss", marks=[2.0, 4.4])
    rules = frame[frame["run"] == MARKS]
    points = list(zip(rules["epoch"], rules["loss"], strict=True))[1:]  # after the leading NaN
    # Each mark: bottom, top, then a NaN that breaks the line before the next mark.
    assert [e for e, _ in points] == [2.0, 2.0, 2.0, 4.4, 4.4, 4.4]
    assert [v for _, v in points][:2] == [0.0, 2.0] and math.isnan(points[2][1])
    assert not any(a[1] == b[1] == 0.0 for a, b in zip(points, points[1:], strict=False))
