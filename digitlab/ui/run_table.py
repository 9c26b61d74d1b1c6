"""The runs table's rows: each run's settings, the settings changed while it trained, and a
warning when its accuracy collapsed after such a change.

Pure functions of a run's record (settings, curves, changes); no Gradio. The Train tab shows
the frame (digitlab/ui/runs.py), SessionRuns builds it (digitlab/ui/sessions.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from digitlab.config import TrainConfig, option
from digitlab.training.steering import Change
from digitlab.words import DEFAULT, localize, t

# A run "collapsed" when it ends at least this far (in accuracy, of 1) below the best accuracy
# measured before the fall: 98% -> 11% is one; 98% -> 90% (a rough patch) is not.
COLLAPSE_DROP = 0.20

NBSP = "\u00a0"
COLUMNS = {  # column -> its header's text key, in the table's order (free text last: it wraps)
    "run": "col.run", "test acc %": "col.test_acc", "model": "col.model", "lr": "col.lr",
    "optimizer": "col.optimizer", "epochs": "col.epochs", "batch": "col.batch",
    "images": "col.images", "time s": "col.time", "note": "col.note", "settings": "col.settings",
}  # fmt: skip


@dataclass(frozen=True)
class Collapse:
    """A run's accuracy fell from `before` to `after` (its end), following `changes`."""

    before: float
    after: float
    changes: tuple[Change, ...]


def collapse(
    accuracies: Sequence[tuple[float, float]], changes: Sequence[Change], final: float,
    drop: float = COLLAPSE_DROP,
) -> Collapse | None:  # fmt: skip
    """Whether a run's accuracy collapsed after settings changed during it, and after which.

    accuracies: the run's (epoch, accuracy) measurements; final: its accuracy at the end.
    Collapsed: some measurement stood at least `drop` above the final accuracy and a change
    came before the fall. The fall starts after the last such high measurement; the changes
    blamed are those made from it to the next measurement, or else the last one made before
    it (a change can take a while to ruin a run). A change made after the fall (a student
    setting the learning rate back) is never blamed.
    """
    points = sorted(accuracies)
    high = [i for i, (_, accuracy) in enumerate(points) if accuracy >= final + drop]
    if not high or not changes:
        return None
    last = high[-1]
    start = points[last][0]
    end = points[last + 1][0] if last + 1 < len(points) else float("inf")
    blamed = [c for c in changes if start <= c.epoch < end]
    if not blamed:
        blamed = [c for c in changes if c.epoch < start][-1:]
    if not blamed:
        return None  # it fell before anything was changed
    best = max(accuracy for _, accuracy in points[: last + 1])
    return Collapse(best, final, tuple(blamed))


def value_text(name: str, value: object, lang: str = DEFAULT) -> str:
    """A setting's value as the table says it: "0.005", "onecycle" ("单周期"), "on"."""
    if isinstance(value, bool):
        return t("train.on" if value else "train.off", lang)
    if isinstance(value, float):
        return f"{value:.2g}"
    return localize(option(name, value), lang)  # as the Train tab's settings name it


def change_text(change: Change, lang: str = DEFAULT) -> str:
    """One change, short: "lr 0.01 → 1.2 at 4.4"."""
    return t(
        "runs.change", lang, name=t(f"runs.short.{change.name}", lang),
        old=value_text(change.name, change.old, lang),
        new=value_text(change.name, change.new, lang), epoch=change.epoch,
    )  # fmt: skip


def collapse_text(fall: Collapse, lang: str = DEFAULT) -> str:
    """The warning, e.g. "⚠ accuracy fell 98% → 11% after lr → 1.2"."""
    after = ", ".join(
        f"{t(f'runs.short.{c.name}', lang)} → {value_text(c.name, c.new, lang)}"
        for c in fall.changes
    )
    return t("runs.collapse", lang, before=fall.before, after=fall.after, changes=after)


def settings_text(c: TrainConfig, lang: str = DEFAULT) -> str:
    """The settings without a column of their own: "wd 0 · dropout 0 · onecycle · aug strong".

    Its narrow column wraps it between settings only: each name keeps its value, and each "·"
    the setting before it (no-break spaces).
    """
    parts = [
        (t("runs.short.weight_decay", lang), f"{c.weight_decay:g}"),
        (t("runs.short.dropout", lang), f"{c.dropout:g}"),
        (value_text("schedule", c.schedule, lang), ""),
    ]
    if c.label_smoothing:
        parts.append((t("runs.short.label_smoothing", lang), f"{c.label_smoothing:g}"))
    if c.augment != "off":
        parts.append((t("runs.short.augment", lang), value_text("augment", c.augment, lang)))
    if c.train_data != "mnist":
        parts.append((t("label.pen", lang), ""))
    return f"{NBSP}· ".join(f"{name}{NBSP}{value}".strip(NBSP) for name, value in parts)


def note_text(record, lang: str = DEFAULT) -> str:
    """What happened during a run, a line each: its changes, a collapse after them, "stopped"
    (the table shows the column as Markdown: one line break a line)."""
    done = record.done
    parts = [change_text(c, lang) for c in done.changes]
    fall = collapse(record.accuracies, done.changes, record.accuracy)
    if fall is not None:
        parts.append(collapse_text(fall, lang))
    if done.stopped:
        parts.append(t("col.stopped", lang))
    return "\n".join(parts)


def table(records: Sequence, lang: str = DEFAULT) -> pd.DataFrame:
    """Every run (RunRecord) with its settings, final accuracy and notes, newest first."""
    rows = []
    for r in reversed(records):
        c, m = r.done.config, r.done.metrics
        rows.append({
            "run": r.number,
            "test acc %": round(100 * r.accuracy, 2),
            "model": c.label(lang).split(" · ")[0],
            "lr": c.lr,
            "optimizer": value_text("optimizer", c.optimizer, lang),
            "epochs": m.get("epochs", c.epochs),
            "batch": c.batch_size,
            "images": m.get("train_images", c.train_size),  # pen digits included
            "time s": round(r.done.elapsed, 1),
            "note": note_text(r, lang),
            "settings": settings_text(c, lang),
        })  # fmt: skip
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    return frame.rename(columns={k: t(key, lang) for k, key in COLUMNS.items()})
