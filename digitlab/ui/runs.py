"""The Train tab's record of the session's runs: which runs the curves show, the runs table,
the kept checkpoints to download (when asked), and a run exported as a standalone script."""

from __future__ import annotations

import gradio as gr
import pandas as pd

from digitlab.training.export import ExportError, run_choices, write_script
from digitlab.ui import common
from digitlab.ui.charts import LOSS_CEILING, curve_frame, curves_said, run_name
from digitlab.ui.common import Language, tr
from digitlab.ui.queues import PRIVATE
from digitlab.ui.sessions import MAX_SESSION_MODELS, SessionRuns
from digitlab.words import DEFAULT, Text, localize, t

# The table's columns (run_table.COLUMNS), in % of its width: each header on one line and the
# numbers unwrapped at a projector's 1366x768 (the table is ~800 px there); the note and the
# settings wrap in what is left.
COLUMN_WIDTHS = ["6%", "9%", "12%", "8%", "10%", "6%", "8%", "8%", "6%", "15%", "12%"]
# The note is Markdown: each of its lines (a change, a warning) starts a line of its own.
DATATYPES = ["number", "number", "str", "number", "str", "number", "number", "number", "number",
             "markdown", "str"]  # fmt: skip


class RunsPanel:
    """Builds the runs' part of the Train tab; plots: the loss and accuracy charts it filters,
    said: the line under them that says what they show in words (their text equivalent)."""

    def __init__(
        self, runs: gr.State, lang: Language, plots: list[gr.LinePlot], said: gr.Markdown
    ) -> None:
        self.loss_plot, self.accuracy_plot = plots
        self.said = said
        self.shown = tr(
            gr.CheckboxGroup, [], label=Text("train.shown"), info=Text("train.shown_info"),
            elem_id="dl-shown-runs",
        )  # fmt: skip
        self.table = tr(
            gr.Dataframe, runs_table(None), label=Text("train.table"), interactive=False,
            wrap=True, column_widths=COLUMN_WIDTHS, datatype=DATATYPES, elem_id="dl-runs",
        )  # fmt: skip
        # Filled when asked, not after every run: the files are the session's checkpoints,
        # served from its folder (session_folders.py), and a dropped model's link would be dead.
        with gr.Row(equal_height=True):
            self.downloads = tr(
                gr.File, label=Text("train.downloads", n=MAX_SESSION_MODELS),
                file_count="multiple", interactive=False, scale=3, elem_id="dl-downloads",
            )  # fmt: skip
            self.downloads_button = tr(
                gr.Button, value=Text("train.downloads_button"), scale=1,
                elem_id="dl-downloads-btn",
            )  # fmt: skip
        with gr.Row(equal_height=True):
            self.export_pick = tr(
                gr.Dropdown, [], label=Text("train.export"), info=Text("train.export_info"),
                elem_id="dl-export-pick",
            )  # fmt: skip
            self.export_button = tr(
                gr.Button, value=Text("train.export_button"), elem_id="dl-export-btn"
            )
        self.export_file = tr(
            gr.File, label=Text("train.script"), interactive=False, elem_id="dl-export-file"
        )

        self.shown.input(
            self.show_runs, [self.shown, runs, lang.radio], [*plots, said], show_progress="hidden",
            **PRIVATE,
        )  # fmt: skip
        self.export_pick.focus(self.export_choices, [runs, lang.radio], self.export_pick, **PRIVATE)
        self.export_button.click(
            self.export, [self.export_pick, runs, lang.radio], self.export_file, api_name="export"
        )
        self.downloads_button.click(
            self.checkpoints, runs, self.downloads, api_name="downloads", show_progress="hidden"
        )

    def finished(self, runs: SessionRuns, lang: str) -> dict:
        """A run just ended: the table, and no checkpoints listed until they are asked for (the
        oldest run's file may just have been deleted)."""
        return {self.table: runs_table(runs, lang), self.downloads: None}

    def checkpoints(self, runs) -> list[str] | None:
        """The kept runs' checkpoint files, to download."""
        return (runs.files() or None) if runs else None

    def show_runs(self, shown: list[int], runs, lang: str = DEFAULT) -> dict:
        """Redraw the overlaid charts with the ticked runs only, each with its text equivalent
        below (every run's last point in words)."""
        # No emptying first (unlike a new run): every ticked run is already in the colour
        # scale, and a None-then-data pair raced the plot's resize code in the browser.
        losses, accuracies = runs.curves() if runs else ({}, {})
        keep = set(shown or [])
        losses = {k: v for k, v in losses.items() if k in keep}
        accuracies = {k: v for k, v in accuracies.items() if k in keep}
        marks = self.marks(runs, keep)
        said = [curves_said(losses, "loss", lang), curves_said(accuracies, "test accuracy", lang)]
        return {
            self.loss_plot: curve_frame(losses, "loss", marks, LOSS_CEILING),
            self.accuracy_plot: curve_frame(accuracies, "test accuracy"),
            self.said: "  \n".join(line for line in said if line),
        }

    def marks(self, runs, shown: set[int] | None = None) -> list[float]:
        """Epochs where a setting was changed during the (shown) kept runs."""
        kept = runs.with_models() if runs else []
        return [
            change.epoch for r in kept if shown is None or r.number in shown
            for change in r.done.changes
        ]  # fmt: skip

    def show_all(self, runs, lang: str = DEFAULT) -> dict:
        """Every run with curves ticked and drawn."""
        labels = run_labels(runs)
        numbers = [number for _, number in labels]
        return {self.shown: gr.CheckboxGroup(choices=labels, value=numbers),
                **self.show_runs(numbers, runs, lang)}  # fmt: skip

    def export(self, name: str | None, runs, lang: str = DEFAULT) -> str:
        """A standalone PyTorch script that reproduces the chosen run (default: the newest)."""
        try:
            path, stopped = write_script(runs, name)
        except (LookupError, ExportError) as error:
            raise common.Refusal(localize(error, lang)) from None
        if stopped:
            gr.Info(t("msg.export_stopped", lang))
        return str(path)

    def export_choices(self, runs, lang: str = DEFAULT):
        """Every run of the session, newest first."""
        return gr.Dropdown(choices=run_choices(runs, lang))

    def language(self, runs, lang: str = DEFAULT) -> dict:
        """The table's headers and the export choices in lang."""
        return {self.table: runs_table(runs, lang),
                self.export_pick: self.export_choices(runs, lang)}  # fmt: skip


def runs_table(runs: SessionRuns | None, lang: str = DEFAULT) -> pd.DataFrame:
    """The session's runs table in lang (run_table.py: its free-text columns come last)."""
    return (runs or SessionRuns()).table(lang)


def run_labels(runs) -> list[tuple[str, int]]:
    """(name, run number) of a session's runs that still have curves, oldest first."""
    numbers = list(runs.curves()[0]) if runs else []
    return [(run_name(n), n) for n in numbers]
