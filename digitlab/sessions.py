"""State behind the app: shared read-only models and each session's runs.

Shared things have one owner each: `ShippedModels` (loaded once, read-only) and `StopFlags`
(a lock-guarded dict, one flag per browser session). Everything a student creates lives in a
`SessionRuns` kept in that session's gr.State. Live training runs are in digitlab/live.py.
"""

from __future__ import annotations

import math
import shutil
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from digitlab.checkpoint import SHIPPED, CheckpointError, load_checkpoint, save_checkpoint
from digitlab.config import TRAIN_SIZE, ConfigError, TrainConfig
from digitlab.predict import Predictor
from digitlab.train import Done

MAX_SESSION_MODELS = 5  # models kept per session (the run table keeps every run)


class ShippedModels:
    """The pretrained predictors shared by every session; loaded once, never changed."""

    def __init__(self, paths: dict[str, Path] = SHIPPED) -> None:
        self._by_kind: dict[str, tuple[str, Predictor]] = {}
        self.problems: list[str] = []
        for kind, path in paths.items():
            try:
                ckpt = load_checkpoint(path)
            except (OSError, CheckpointError) as error:
                self.problems.append(f"The shipped {kind.upper()} is not available: {error}")
                continue
            name = f"Shipped {kind.upper()} ({ckpt.metrics.get('test_accuracy', 0):.1%})"
            self._by_kind[kind] = (name, Predictor(ckpt.model, name, ckpt.metrics))

    def names(self) -> list[str]:
        """Picker names, CNN first."""
        return [self._by_kind[k][0] for k in ("cnn", "mlp") if k in self._by_kind]

    def get(self, name: str) -> Predictor | None:
        """The predictor with this picker name, if shipped."""
        return next((p for n, p in self._by_kind.values() if n == name), None)

    def of_kind(self, kind: str) -> Predictor | None:
        """The shipped "cnn" or "mlp" predictor, if present."""
        return self._by_kind[kind][1] if kind in self._by_kind else None


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


def config_from_controls(
    model: str, hidden: str, activation: str, channels: str, batch_norm: bool, lr_log10: float,
    epochs: float, batch_size: float, optimizer: str, weight_decay: float, dropout: float,
    schedule: str, augment: bool, subset: float, seed: float,
) -> TrainConfig:  # fmt: skip
    """Build a TrainConfig from the Train tab's controls; ConfigError says what to fix."""
    if not isinstance(lr_log10, (int, float)) or not -4 <= lr_log10 <= 0:
        raise ConfigError("learning rate: pick a value from 1e-4 to 1 (log10 from -4 to 0).")
    subset = _whole("training-set size", subset)
    return TrainConfig(
        model=str(model).lower(),
        hidden=_sizes("MLP hidden sizes", hidden, allow_empty=True),
        activation=activation,
        channels=_sizes("CNN channels", channels, allow_empty=False),
        batch_norm=bool(batch_norm),
        dropout=_real("dropout", dropout),
        lr=float(f"{10**lr_log10:.2g}"),  # 2 significant digits: "lr 0.003", not 0.0031622...
        epochs=_whole("epochs", epochs),
        batch_size=_whole("batch size", batch_size),
        optimizer=optimizer,
        weight_decay=_real("weight decay", weight_decay),
        schedule=schedule,
        augment=bool(augment),
        subset=None if subset >= TRAIN_SIZE else subset,
        seed=_whole("seed", seed),
        evals_per_epoch=max(1, 4 // max(1, int(epochs))),  # at least ~4 accuracy points a run
    )


def _whole(name: str, value: object) -> int:
    # Checked in this order: int() of NaN or infinity raises, and of 1e300 makes a 300-digit int.
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ConfigError(f"{name}: {value!r} is not a whole number.")
    if abs(value) > 2**63:
        raise ConfigError(f"{name}: {value:.3g} is far too large.")
    if value != int(value):
        raise ConfigError(f"{name}: {value!r} is not a whole number.")
    return int(value)


def _real(name: str, value: object) -> float:
    # NaN passes as a float here; TrainConfig's range check turns it away with its own message.
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ConfigError(f"{name}: {value!r} is not a number.")
    return float(value)


def _sizes(name: str, text: str, allow_empty: bool) -> tuple[int, ...]:
    parts = [p for p in str(text or "").replace(" ", ",").split(",") if p]
    # isdecimal, not isdigit: "²" is a digit that int() rejects.
    if not all(p.isdecimal() for p in parts) or (not parts and not allow_empty):
        raise ConfigError(f"{name}: write whole numbers separated by commas, e.g. 64, 32.")
    if any(len(p) > 9 for p in parts):  # int() of a 5,000-digit string raises
        raise ConfigError(f"{name}: sizes are far too large (at most a few thousand).")
    return tuple(int(p) for p in parts)


@dataclass
class RunRecord:
    """One finished run of a session: its settings, result, curves and (recent) model."""

    number: int
    done: Done
    losses: list[tuple[float, float]]
    accuracies: list[tuple[float, float]]
    predictor: Predictor | None = None
    checkpoint: Path | None = None

    @property
    def accuracy(self) -> float:
        """Final test accuracy in [0, 1]."""
        return float(self.done.metrics["test_accuracy"])

    @property
    def name(self) -> str:
        """Picker name, e.g. 'Run 2 · CNN 16-32 · adam lr 0.003 · 2 ep · 98.9%'."""
        stopped = " · stopped" if self.done.stopped else ""
        return f"Run {self.number} · {self.done.config.label()}{stopped} · {self.accuracy:.1%}"


@dataclass
class SessionRuns:
    """Everything one browser session trained; lives in gr.State, never shared."""

    records: list[RunRecord] = field(default_factory=list)
    folder: Path | None = None  # this session's private checkpoint folder

    def add(self, done: Done, losses: list, accuracies: list) -> RunRecord:
        """Keep a finished run, save its checkpoint, and drop the oldest models past the cap."""
        if self.folder is None:
            self.folder = Path(tempfile.mkdtemp(prefix="digitlab-session-"))
        record = RunRecord(len(self.records) + 1, done, list(losses), list(accuracies))
        record.predictor = Predictor(done.model, record.name, done.metrics)
        file_name = f"run{record.number}-{done.config.model}-{record.accuracy:.4f}.pt"
        record.checkpoint = save_checkpoint(
            self.folder / file_name, done.model, done.config, done.metrics
        )
        self.records.append(record)
        for old in self.records[:-MAX_SESSION_MODELS]:
            if old.checkpoint is not None:
                old.checkpoint.unlink(missing_ok=True)
            old.predictor, old.checkpoint = None, None
        return record

    def with_models(self) -> list[RunRecord]:
        """Runs whose model is still kept, oldest first."""
        return [r for r in self.records if r.predictor is not None]

    def get(self, name: str) -> Predictor | None:
        """The session model with this picker name, if still kept."""
        return next((r.predictor for r in self.with_models() if r.name == name), None)

    def curves(self) -> tuple[dict[str, list], dict[str, list]]:
        """Loss and accuracy curves of the kept runs, keyed 'Run N'."""
        kept = self.with_models()
        return {f"Run {r.number}": r.losses for r in kept}, {
            f"Run {r.number}": r.accuracies for r in kept
        }

    def table(self) -> pd.DataFrame:
        """Every run with its settings and final accuracy, newest first."""
        rows = []
        for r in reversed(self.records):
            c, m = r.done.config, r.done.metrics
            rows.append({
                "run": r.number,
                "test acc %": round(100 * r.accuracy, 2),
                "model": c.label().split(" · ")[0],
                "lr": c.lr,
                "optimizer": c.optimizer,
                "epochs": m.get("epochs", c.epochs),
                "batch": c.batch_size,
                "images": c.train_size,
                "settings": f"wd {c.weight_decay:g} · dropout {c.dropout:g} · {c.schedule}"
                + (" · aug" if c.augment else ""),
                "time s": round(r.done.elapsed, 1),
                "note": "stopped" if r.done.stopped else "",
            })  # fmt: skip
        return pd.DataFrame(rows, columns=TABLE_COLUMNS)

    def files(self) -> list[str]:
        """Checkpoint files of the kept runs, for download."""
        return [str(r.checkpoint) for r in self.with_models() if r.checkpoint is not None]

    def cleanup(self) -> None:
        """Delete the session's checkpoint folder (called when Gradio drops the session)."""
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)


TABLE_COLUMNS = [
    "run", "test acc %", "model", "lr", "optimizer", "epochs", "batch", "images", "settings",
    "time s", "note",
]  # fmt: skip


def discard_session(runs: SessionRuns | None) -> None:
    """gr.State delete_callback: free a closed session's files."""
    if runs is not None:
        runs.cleanup()
