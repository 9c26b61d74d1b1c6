"""State behind the app: shared read-only models and each session's runs.

`ShippedModels` is loaded once and shared read-only; everything a student creates lives in a
`SessionRuns` kept in that session's gr.State. The per-session stop flags and followed drawings
are in digitlab/ui/registries.py, live training runs in digitlab/training/live.py.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import dataclasses
import shutil
import weakref
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from digitlab.inference.predict import Predictor
from digitlab.limits import SESSION_RUNS_KEPT
from digitlab.training.checkpoint import SHIPPED, CheckpointError, load_checkpoint, save_checkpoint
from digitlab.training.events import Done
from digitlab.ui import run_table
from digitlab.ui.session_folders import new_session_folder
from digitlab.words import DEFAULT, Text, t

MAX_SESSION_MODELS = 5  # models kept per session (older runs keep only their table row)


class ShippedModels:
    """The pretrained predictors shared by every session; loaded once, never changed."""

    def __init__(self, paths: dict[str, Path] = SHIPPED) -> None:
        self._by_kind: dict[str, tuple[str, Predictor]] = {}
        self._labels: dict[str, Text] = {}  # picker name -> its text in every language
        self.problems: list[Text] = []
        for kind, path in paths.items():
            try:
                ckpt = load_checkpoint(path)
            except (OSError, CheckpointError) as error:
                self.problems.append(Text("app.shipped_missing", kind=kind.upper(), error=error))
                continue
            accuracy = ckpt.metrics.get("test_accuracy", 0)
            label = Text("model.shipped", kind=kind.upper(), accuracy=accuracy)
            name = str(label)  # the English label is the stable name (picker value, API)
            self._labels[name] = label
            self._by_kind[kind] = (name, Predictor(ckpt.model, name, ckpt.metrics, ckpt.config))

    def names(self) -> list[str]:
        """Picker names, CNN first."""
        return [self._by_kind[k][0] for k in ("cnn", "mlp") if k in self._by_kind]

    def label(self, name: str, lang: str = DEFAULT) -> str:
        """A shipped model's name in the student's language."""
        return self._labels[name].render(lang) if name in self._labels else name

    def get(self, name: str) -> Predictor | None:
        """The predictor with this picker name, if shipped."""
        return next((p for n, p in self._by_kind.values() if n == name), None)

    def of_kind(self, kind: str) -> Predictor | None:
        """The shipped "cnn" or "mlp" predictor, if present."""
        return self._by_kind[kind][1] if kind in self._by_kind else None


@dataclass
class RunRecord:
    """One finished run of a session: its settings, result, curves and (recent) model."""

    number: int
    done: Done
    losses: list[tuple[float, float]]
    accuracies: list[tuple[float, float]]
    predictor: Predictor | None = None
    checkpoint: Path | None = None
    reading: dict | None = None  # the model's last reading of the followed drawing
    title: Text | None = None  # instead of the settings, e.g. a fine-tuned model's origin

    @property
    def accuracy(self) -> float:
        """Final test accuracy in [0, 1]."""
        return float(self.done.metrics["test_accuracy"])

    @property
    def name(self) -> str:
        """Picker name, e.g. 'Run 2 · CNN 16-32 · adam lr 0.003 · 2 ep · 98.9%'."""
        return self.label(DEFAULT)

    def label(self, lang: str = DEFAULT) -> str:
        """The picker name in the student's language (the English one is the stable value)."""
        if self.title is not None:
            return t("model.titled", lang, n=self.number, title=self.title, accuracy=self.accuracy)
        ended = "model.diverged" if self.done.diverged else "model.stopped"
        stopped = t(ended, lang) if self.done.stopped or self.done.diverged else ""
        return t(
            "model.run", lang, n=self.number, label=self.done.config.label(lang), stopped=stopped,
            accuracy=self.accuracy,
        )  # fmt: skip


@dataclass
class SessionRuns:
    """Everything one browser session trained; lives in gr.State, never shared."""

    records: list[RunRecord] = field(default_factory=list)
    folder: Path | None = None  # this session's private checkpoint folder

    def add(
        self, done: Done, losses: list, accuracies: list, title: Text | None = None
    ) -> RunRecord:
        """Keep a finished run, save its checkpoint, and drop the oldest models past the cap."""
        record = RunRecord(self.next_number, done, list(losses), list(accuracies))
        record.title = title
        self.records.append(record)
        self._keep(record)
        for old in self.records[:-1]:
            # Only the newest run can be trained further: free the others' optimizer state.
            if old.done.state is not None:
                old.done = dataclasses.replace(old.done, state=None)
        for old in self.records[:-MAX_SESSION_MODELS]:
            release(old)
        del self.records[:-SESSION_RUNS_KEPT]  # the oldest rows past the cap, numbers kept
        give_back_memory()
        return record

    @property
    def next_number(self) -> int:
        """The number the next run gets (numbers go on when the oldest rows are dropped)."""
        return self.records[-1].number + 1 if self.records else 1

    def extend(self, record: RunRecord, done: Done, losses: list, accuracies: list) -> RunRecord:
        """A run trained further ("+N epochs"): the same record, with its new model and curves."""
        if record.checkpoint is not None:
            record.checkpoint.unlink(missing_ok=True)
        record.done, record.losses, record.accuracies = done, list(losses), list(accuracies)
        self._keep(record)
        return record

    def _keep(self, record: RunRecord) -> None:
        """The record's model as a predictor, and its checkpoint in the session's folder."""
        if self.folder is None or not self.folder.is_dir():  # none yet, or expired mid-run
            self.folder = new_session_folder()
            # Gradio drops the least recently used sessions past its capacity without calling
            # the State's delete_callback: the folder goes when its session is collected.
            weakref.finalize(self, shutil.rmtree, self.folder, ignore_errors=True)
        done = record.done
        record.predictor = Predictor(done.model, record.name, done.metrics, done.config)
        # Its temperature is fitted now, once (calibration.py), and kept with the checkpoint.
        metrics = {**done.metrics, "temperature": record.predictor.temperature}
        file_name = f"run{record.number}-{done.config.model}-{record.accuracy:.4f}.pt"
        record.checkpoint = save_checkpoint(
            self.folder / file_name, done.model, done.config, metrics
        )

    def with_models(self) -> list[RunRecord]:
        """Runs whose model is still kept, oldest first."""
        return [r for r in self.records if r.predictor is not None]

    def get(self, name: str) -> Predictor | None:
        """The session model with this picker name, if still kept."""
        return next((r.predictor for r in self.with_models() if r.name == name), None)

    def label(self, name: str, lang: str = DEFAULT) -> str:
        """A session model's picker name in the student's language."""
        return next((r.label(lang) for r in self.records if r.name == name), name)

    def curves(self) -> tuple[dict[int, list], dict[int, list]]:
        """Loss and accuracy curves of the kept runs, keyed by run number."""
        kept = self.with_models()
        return {r.number: r.losses for r in kept}, {r.number: r.accuracies for r in kept}

    def table(self, lang: str = DEFAULT) -> pd.DataFrame:
        """Every run with its settings, final accuracy and notes, newest first."""
        return run_table.table(self.records, lang)

    def files(self) -> list[str]:
        """Checkpoint files of the kept runs, for download."""
        return [str(r.checkpoint) for r in self.with_models() if r.checkpoint is not None]

    def cleanup(self) -> None:
        """Delete the session's checkpoint folder (called when Gradio drops the session)."""
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)


def release(record: RunRecord) -> None:
    """Drop a run's model: its predictor, its weights (Done.model) and optimizer state, its
    checkpoint file and its loss curve. Its row stays (settings, result, accuracy curve for
    the note), a few kB."""
    if record.checkpoint is not None:
        record.checkpoint.unlink(missing_ok=True)
    record.predictor, record.checkpoint, record.losses = None, None, []
    if record.done.model is not None or record.done.state is not None:
        record.done = dataclasses.replace(record.done, model=None, state=None)


def _libc():
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
    except OSError:
        return None
    return libc if libc is not None and hasattr(libc, "malloc_trim") else None


_LIBC = _libc()  # glibc (Linux, as on a Space); None elsewhere


def give_back_memory() -> None:
    """Hand the heap that a finished run freed back to the system. glibc keeps freed memory for
    reuse, so without this a server's RSS climbs with every wide run although its tensors are
    gone (benchmarks/attack_memory.py); elsewhere a no-op."""
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


def discard_session(runs: SessionRuns | None) -> None:
    """gr.State delete_callback: free a closed session's files."""
    if runs is not None:
        runs.cleanup()
