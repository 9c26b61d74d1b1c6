"""Save and reopen a session: "Save session" gives one file with the session's runs (settings,
results, curves, changes, the kept models) and its own drawings; "Open session" brings such a
file's runs back into the model pickers, the runs table and the charts, and its drawings into
the session's set. The file format and its checks: digitlab/training/session_file.py.
"""

from __future__ import annotations

import dataclasses
import shutil
import weakref

import gradio as gr

from digitlab.inference.predict import Predictor
from digitlab.lab.handwriting import HandSet
from digitlab.limits import SESSION_RUNS_KEPT
from digitlab.training import session_file
from digitlab.training.events import Done
from digitlab.training.session_file import SavedRun, SessionFileError
from digitlab.ui import common, registries
from digitlab.ui.common import Language, tr
from digitlab.ui.queues import QUICK
from digitlab.ui.runs import RunsPanel, runs_table
from digitlab.ui.session_folders import new_session_folder
from digitlab.ui.sessions import MAX_SESSION_MODELS, RunRecord, SessionRuns, release
from digitlab.ui.teach import TeachTab
from digitlab.words import DEFAULT, Text

FILE_NAME = "digitlab-session.zip"


class SessionFile:
    """Builds the Save / Open row in the current Blocks and wires it to the session's runs, the
    Draw tab's picker, the Train tab's runs panel and the Teach tab's set."""

    def __init__(
        self, runs: gr.State, picker: gr.Dropdown, panel: RunsPanel, teach: TeachTab,
        lang: Language,
    ) -> None:  # fmt: skip
        self.runs, self.picker, self.panel, self.teach = runs, picker, panel, teach
        with gr.Row(elem_id="dl-session-row"):
            self.save = tr(
                gr.Button, value=Text("session.save"), scale=1, min_width=160,
                elem_id="dl-session-save",
            )  # fmt: skip
            self.open = tr(
                gr.UploadButton, label=Text("session.open"), file_types=[".zip"], type="binary",
                scale=1, min_width=160, elem_id="dl-session-open",
            )  # fmt: skip
        self.file = tr(  # shown once there is a file to download
            gr.File, label=Text("session.file"), interactive=False, visible=False, height=80,
            elem_id="dl-session-file",
        )  # fmt: skip
        self.line = tr(gr.Markdown, value=Text("session.hint"), elem_id="dl-session-line")
        self.said = gr.State(None)  # the last line as a Text, said again on a language switch
        sets = [teach.mine, teach.klass, teach.which]
        view = [teach.counts, teach.gallery, teach.shown, teach.picked, teach.seen,
                teach.class_line]  # fmt: skip
        self.save.click(
            self.saved, [runs, teach.mine, lang.radio], [self.file, runs, self.line, self.said],
            **QUICK,
        )  # fmt: skip
        shown = [panel.shown, panel.loss_plot, panel.accuracy_plot, panel.said]
        # A picker name may then stand for another model: the Draw tab reads again (app.py).
        self.reopened = self.open.upload(
            self.opened, [self.open, runs, *sets, lang.radio],
            [runs, picker, panel.table, panel.downloads, *shown, *view, teach.mine, self.line,
             self.said],
            **QUICK,
        )  # fmt: skip
        tr.later(self.line)
        lang.then(self.language, [self.said, lang.radio], self.line)

    def saved(self, runs: SessionRuns | None, mine: HandSet | None, lang: str = DEFAULT) -> dict:
        """The session's runs and own drawings as one file, in the session's folder."""
        runs = runs or SessionRuns()
        drawings = mine.drawings() if mine is not None else []
        data, left_out = session_file.write([to_saved(r) for r in runs.records], drawings)
        path = folder_of(runs) / FILE_NAME
        path.write_bytes(data)
        text = Text(
            "session.saved", runs=len(runs.records), models=len(runs.with_models()) - left_out,
            drawings=len(drawings), kb=max(1, round(len(data) / 1024)),
        )  # fmt: skip
        if left_out:
            text = Text("session.saved_without", saved=text, n=left_out)
        shown = gr.File(str(path), visible=True)
        return {self.file: shown, self.runs: runs, **self.say(text, lang)}

    def opened(
        self, data: bytes | None, runs: SessionRuns | None, mine: HandSet | None, code: str,
        which: str, lang: str = DEFAULT, request: gr.Request = None,
    ) -> dict:  # fmt: skip
        """A session file's runs and drawings added to this session, once all of it checks
        out; one line says what came back, or why nothing did."""
        session = request.session_hash if request is not None else ""
        runs, mine = runs or SessionRuns(), mine if mine is not None else HandSet()
        if registries.STOP_FLAGS.running(session) or registries.TUNING.running(session):
            return self.say(Text("session.busy"), lang)
        try:
            saved, drawings = session_file.read(data or b"")
            records = restored(saved, runs)
        except SessionFileError as error:
            return self.say(Text("session.failed", error=error), lang)
        runs.records += records
        for old in runs.with_models()[:-MAX_SESSION_MODELS]:
            release(old)
        del runs.records[:-SESSION_RUNS_KEPT]
        added = mine.extend(drawings)
        models = sum(r.predictor is not None for r in records)
        text = Text("session.opened", runs=len(records), models=models, drawings=added)
        if len(drawings) > added:
            text = Text("session.opened_full", opened=text, n=len(drawings) - added)
        return {
            self.runs: runs, self.picker: common.picker_choices(runs, lang),
            self.panel.table: runs_table(runs, lang), self.panel.downloads: None,
            **self.panel.show_all(runs, lang), **self.teach.view(mine, code, which, lang),
            self.teach.mine: mine, **self.say(text, lang),
        }  # fmt: skip

    def say(self, text: Text, lang: str) -> dict:
        """The line under the buttons (kept as a Text for the language switch)."""
        return {self.line: text.render(lang), self.said: text}

    def language(self, said: Text | None, lang: str = DEFAULT) -> str:
        """The line in the page's new language."""
        return (said or Text("session.hint")).render(lang)


def to_saved(record: RunRecord) -> SavedRun:
    """What a session file keeps of a run: its record's fields and its checkpoint's bytes."""
    done, title = record.done, record.title
    values = title.values.values() if title is not None else ()
    plain = title is not None and all(isinstance(v, str | int | float) for v in values)
    fields = {
        "number": record.number, "config": done.config, "metrics": done.metrics,
        "stopped": done.stopped, "elapsed": done.elapsed, "divergence": done.divergence,
        "changes": done.changes, "losses": record.losses, "accuracies": record.accuracies,
        "reading": record.reading, "title": (title.key, title.values) if plain else None,
    }  # fmt: skip
    path = record.checkpoint if record.predictor is not None else None
    weights = path.read_bytes() if path is not None and path.is_file() else None
    return SavedRun(fields, weights)


def restored(saved: list[SavedRun], runs: SessionRuns) -> list[RunRecord]:
    """The saved runs as this session's records, numbered after its own runs (as saved when it
    has none), their models loaded into its folder; nothing is kept if one fails."""
    first = runs.next_number if runs.records else None
    records, written = [], []
    with_weights = [run for run in saved if run.weights is not None][-MAX_SESSION_MODELS:]
    try:
        for place, run in enumerate(saved):
            f = run.fields
            number = f["number"] if first is None else first + place
            done = Done(
                None, f["config"], f["metrics"], f["stopped"], f["elapsed"], f["divergence"],
                None, f["changes"],
            )  # fmt: skip
            record = RunRecord(number, done, f["losses"], f["accuracies"], reading=f["reading"])
            record.title = Text(f["title"][0], **f["title"][1]) if f["title"] else None
            if run in with_weights:
                name = f"run{number}-{done.config.model}-{record.accuracy:.4f}.pt"
                ckpt, path = session_file.load_weights(run, folder_of(runs), name)
                written.append(path)
                record.done = dataclasses.replace(done, model=ckpt.model)
                metrics = {**done.metrics, **_temperature(ckpt.metrics)}
                record.predictor = Predictor(ckpt.model, record.name, metrics, done.config)
                record.checkpoint = path
            records.append(record)
    except SessionFileError:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    return records


def _temperature(metrics: dict) -> dict:
    value = metrics.get("temperature")
    return {"temperature": value} if isinstance(value, float) else {}


def folder_of(runs: SessionRuns):
    """The session's own folder (made when it has none yet, or it expired), swept with it."""
    if runs.folder is None or not runs.folder.is_dir():
        runs.folder = new_session_folder()
        weakref.finalize(runs, shutil.rmtree, runs.folder, ignore_errors=True)
    return runs.folder
