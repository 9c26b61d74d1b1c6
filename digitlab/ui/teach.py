"""The Teach tab: label the Draw tab's drawing ("this is a 7") into the session's own set and,
with a class code, the class's set; fine-tune a model on MNIST plus these drawings and show its
accuracy on held-out drawings and on MNIST before and after; download and upload a set.

The sets, codes and zips are digitlab/handwriting.py's; the run is live.py's TrainingRun, in the
Train tab's queue (one run at a time on a small server), and joins the session's runs.
"""

from __future__ import annotations

import dataclasses
import functools
import threading
import time

import gradio as gr
import numpy as np
import pandas as pd
from gradio.context import get_render_context

from digitlab.checkpoint import SHIPPED as SHIPPED_FILES
from digitlab.checkpoint import load_checkpoint
from digitlab.config import ConfigError
from digitlab.data import DataError, load_mnist
from digitlab.evaluate import evaluate
from digitlab.handwriting import (
    CLASSES,
    HandSet,
    HandwritingError,
    from_zip,
    normalize_code,
    split,
    tensors,
    to_zip,
    tuning_config,
    tuning_data,
)
from digitlab.i18n import DEFAULT, Text, localize, t
from digitlab.limits import CLASS_TTL_S, SESSION_TTL_S
from digitlab.live import TrainingFailed, TrainingRun
from digitlab.pictures import enlarge
from digitlab.preprocess import to_mnist
from digitlab.registries import StopFlags
from digitlab.safety import BadImage
from digitlab.session_folders import new_session_folder
from digitlab.sessions import SessionRuns
from digitlab.ui import common
from digitlab.ui.canvas import canvas_ink
from digitlab.ui.common import PRIVATE, ui
from digitlab.ui.train import TRAIN_SLOTS

SHOWN = 40  # newest drawings in the gallery: a class set of 2,000 would be 2,000 files a click
# The fine-tuning run waits in the Train tab's queue: both are the same CPU-heavy work.
QUEUED = dict(concurrency_limit=TRAIN_SLOTS, concurrency_id="train", show_progress="minimal")
TUNING = StopFlags()  # each session's fine-tuning run, for its Stop button
QUICK = dict(concurrency_limit=None, show_progress="hidden", **PRIVATE)


class TeachTab:
    """Builds the Teach tab in the current Blocks (inside its gr.Tab), wired to the Draw tab's
    canvas and picker."""

    def __init__(
        self, canvas: gr.HTML, picker: gr.Dropdown, runs: gr.State, lang: common.Language
    ) -> None:
        tab = get_render_context()
        if not isinstance(tab, gr.Tab):
            raise TypeError("build TeachTab inside its gr.Tab")
        self.runs, self.picker = runs, picker
        # This session's HandSet: in gr.State, never seen by another session; dropped with it.
        self.mine = gr.State(None, time_to_live=SESSION_TTL_S)
        self.klass = gr.State("")  # the class code this session joined
        self.shown = gr.State([])  # (key, digit) of the drawings in the gallery, in its order
        self.picked = gr.State(None)  # key of the drawing selected in the gallery
        self.said = gr.State(None)  # the last line about the set, as a Text (said again)
        self.result = gr.State(None)  # the last fine-tuning's figures (said again)
        ui(gr.Markdown, value=Text("teach.intro"))
        self._class_row()
        self._label_row()
        self._set_rows()
        self._tune_rows()
        self._wire(tab, canvas, lang)

    def _class_row(self) -> None:
        with gr.Row(equal_height=True):
            self.code = ui(
                gr.Textbox, label=Text("teach.code"), info=Text("teach.code_info"), max_lines=1,
                max_length=20, scale=2, elem_id="dl-teach-code",
            )  # fmt: skip
            self.join = ui(gr.Button, value=Text("teach.join"), scale=1, elem_id="dl-teach-join")
            self.create = ui(
                gr.Button, value=Text("teach.new_code"), scale=1, elem_id="dl-teach-new-code"
            )
        self.class_line = gr.Markdown(t("teach.no_class"), elem_id="dl-teach-class")

    def _label_row(self) -> None:
        ui(gr.Markdown, value=Text("teach.label_hint"))
        with gr.Row():
            self.digits = [
                gr.Button(str(d), min_width=40, elem_id=f"dl-teach-{d}") for d in range(10)
            ]
        self.line = gr.Markdown(t("teach.add_hint"), elem_id="dl-teach-line")

    def _set_rows(self) -> None:
        self.which = gr.Radio(
            choices=set_choices(DEFAULT), value="mine", show_label=False, elem_id="dl-teach-which"
        )
        self.counts = gr.Dataframe(counts_frame([0] * 10), interactive=False, elem_id="dl-counts")
        self.gallery = ui(
            gr.Gallery, label=Text("teach.gallery"), columns=10, fit_columns=False, height=240,
            allow_preview=False, object_fit="contain", format="png", elem_id="dl-teach-gallery",
        )  # fmt: skip
        with gr.Row():
            self.remove = ui(gr.Button, value=Text("teach.remove"), elem_id="dl-teach-remove")
            self.export = ui(gr.Button, value=Text("teach.download"), elem_id="dl-teach-download")
            self.upload = ui(
                gr.UploadButton, label=Text("teach.upload"), file_types=[".zip"], type="binary",
                elem_id="dl-teach-upload",
            )  # fmt: skip
        self.zip = ui(
            gr.File, label=Text("teach.zip"), interactive=False, visible=False, height=80,
            elem_id="dl-teach-zip",
        )  # fmt: skip

    def _tune_rows(self) -> None:
        ui(gr.Markdown, value=Text("teach.tune_intro"))
        first = (common.SHIPPED.names() or [None])[0]
        with gr.Row(equal_height=True):
            self.model = ui(
                gr.Dropdown, choices=common.model_choices(None), value=first,
                label=Text("teach.model"), scale=3, elem_id="dl-teach-model",
            )  # fmt: skip
            self.tune = ui(
                gr.Button, value=Text("teach.tune"), variant="primary", scale=1,
                elem_id="dl-teach-tune",
            )  # fmt: skip
            self.stop = ui(gr.Button, value=Text("teach.stop"), scale=1, elem_id="dl-teach-stop")
        self.status = ui(
            gr.Textbox, value=t("teach.idle"), label=Text("teach.status"), interactive=False,
            elem_id="dl-teach-status",
        )  # fmt: skip
        with gr.Row():
            self.figure = ui(
                gr.BarPlot, None, x="bar", y="accuracy", color="when", y_lim=[0, 1],
                title=Text("teach.figure"), x_title=Text("teach.measure"),
                y_title=Text("teach.accuracy"), color_title=Text("teach.when"), show_label=False,
                height=280, scale=2, elem_id="dl-teach-figure",
            )  # fmt: skip
            self.summary = gr.Markdown("", elem_id="dl-teach-summary")
        ui.later(self.figure)  # relabelled after its data, as the Train tab's charts are
        self.held = ui(
            gr.Gallery, label=Text("teach.held_gallery"), columns=10, fit_columns=False,
            height=140, allow_preview=False, object_fit="contain", format="png",
            elem_id="dl-teach-held",
        )  # fmt: skip

    def _wire(self, tab: gr.Tab, canvas: gr.HTML, lang: common.Language) -> None:
        sets = [self.mine, self.klass, self.which, lang.radio]
        view = [self.counts, self.gallery, self.shown, self.picked]
        said = [self.line, self.said]
        for digit, button in enumerate(self.digits):
            button.click(self.adder(digit), [canvas, *sets], [self.mine, *said, *view], **QUICK)
        self.create.click(self.new_class, lang.radio, [self.code, self.klass, self.which,
                          self.class_line, *view], **QUICK)  # fmt: skip
        joined = [self.klass, self.which, self.class_line, *view]
        self.join.click(self.join_class, [self.code, self.mine, lang.radio], joined, **QUICK)
        self.code.submit(self.join_class, [self.code, self.mine, lang.radio], joined, **QUICK)
        self.which.change(self.view, sets, view, **QUICK)
        self.gallery.select(self.pick, [self.shown, lang.radio], [self.picked, *said], **QUICK)
        self.remove.click(self.drop, [self.picked, *sets], [*said, *view], **QUICK)
        self.export.click(self.download, [*sets, self.runs], [self.zip, self.runs, *said], **QUICK)
        self.upload.upload(self.load_zip, [self.upload, *sets], [self.mine, *said, *view], **QUICK)
        tab.select(self.opened, [self.runs, self.model, lang.radio], self.model, **QUICK)
        outputs = [self.status, self.figure, self.summary, self.runs, self.picker, self.model,
                   self.result, self.held]  # fmt: skip
        self.tune.click(self.waiting, lang.radio, self.status, **QUICK).success(
            self.fine_tune, [self.model, *sets, self.runs], outputs, show_progress_on=[self.status],
            **QUEUED, **PRIVATE,
        )  # fmt: skip
        self.stop.click(self.halt, lang.radio, self.status, **QUICK)
        lang.then(
            self.language, [*sets, self.said, self.result, self.status, self.runs],
            [self.which, self.class_line, self.line, self.counts, self.status, self.figure,
             self.summary, self.model],
        )  # fmt: skip
        lang.then(lambda code: ui.update(self.figure, code), lang.radio, self.figure)

    # The sets.
    def adder(self, digit: int):
        """The handler of one digit's button."""

        def add(drawing, mine, code: str, which: str, lang: str, request: gr.Request) -> dict:
            return self.add(digit, drawing, mine, code, which, lang, request)

        return add

    def add(self, digit: int, drawing, mine, code: str, which: str, lang: str,
            request: gr.Request) -> dict:  # fmt: skip
        """Label the Draw tab's drawing as `digit`: into the session's set and the class's."""
        mine = mine or HandSet()
        try:
            ink = canvas_ink(drawing)
        except BadImage as error:
            return self.say(mine, Text("teach.bad_canvas", error=error), lang)
        image = None if ink is None else to_mnist(ink)
        if image is None:
            return self.say(mine, Text("teach.draw_first"), lang)
        pixels = np.round(image * 255).astype(np.uint8)
        klass = CLASSES.get(code) if code else None
        try:
            mine.add(pixels, digit)
            if klass is not None:
                klass.add(pixels, digit, owner=request.session_hash)
        except HandwritingError as error:
            return self.say(mine, error.args[0], lang)
        if code and klass is None:
            text = Text("teach.class_gone", code=code)
        elif klass is not None:
            text = Text("teach.added_class", digit=digit, n=len(mine), code=code, m=len(klass))
        else:
            text = Text("teach.added", digit=digit, n=len(mine))
        return {**self.say(mine, text, lang), **self.view(mine, code, which, lang)}

    def say(self, mine: HandSet, text: Text, lang: str) -> dict:
        """The line under the digit buttons (kept as a Text, said again on a language switch)."""
        return {self.mine: mine, self.line: text.render(lang), self.said: text}

    def view(self, mine, code: str, which: str, lang: str = DEFAULT) -> dict:
        """The counts and gallery of the set shown (the session's own, or the class's)."""
        shown = chosen_set(mine, code, which)
        drawings = shown.drawings()[-SHOWN:] if shown is not None else []
        counts = shown.counts() if shown is not None else [0] * 10
        gallery = [(enlarge(d.image, 4), str(d.label)) for d in reversed(drawings)]
        keys = [(d.key, d.label) for d in reversed(drawings)]
        return {self.counts: counts_frame(counts, lang), self.gallery: gallery, self.shown: keys,
                self.picked: None}  # fmt: skip

    def new_class(self, lang: str, request: gr.Request) -> dict:
        """A new class code for the teacher to share; this session joins it."""
        try:
            code = CLASSES.create(request.session_hash)
        except HandwritingError as error:
            raise common.Refusal(localize(error, lang)) from None
        return {
            self.code: code, self.klass: code, self.which: "class",
            self.class_line: class_line(code, lang), **self.view(None, code, "class", lang),
        }  # fmt: skip

    def join_class(self, typed: str, mine, lang: str) -> dict:
        """Join the class whose code was typed; an unknown code is said plainly."""
        klass = CLASSES.get(typed)
        if klass is None:
            text = "teach.no_such_class" if (typed or "").strip() else "teach.no_class"
            return {self.klass: "", self.which: "mine",
                    self.class_line: t(text, lang, code=(typed or "").strip()[:20]),
                    **self.view(mine, "", "mine", lang)}  # fmt: skip
        code = normalize_code(typed)
        return {self.klass: code, self.which: "class", self.class_line: class_line(code, lang),
                **self.view(mine, code, "class", lang)}  # fmt: skip

    def pick(self, shown: list, lang: str, event: gr.SelectData) -> dict:
        """Remember the drawing clicked in the gallery, and say which it is."""
        index = event.index if isinstance(event.index, int) else -1
        if not 0 <= index < len(shown):
            return {self.picked: None}
        key, digit = shown[index]
        text = Text("teach.picked", digit=digit)
        return {self.picked: key, self.line: text.render(lang), self.said: text}

    def drop(self, key, mine, code: str, which: str, lang: str, request: gr.Request) -> dict:
        """Remove the drawing selected in the gallery from the set shown."""
        shown = chosen_set(mine, code, which)
        if key is None or shown is None:
            text = Text("teach.pick_first")
        elif shown.remove(key, request.session_hash):
            text = Text("teach.removed", n=len(shown))
        else:
            text = Text("teach.not_yours")
        return {self.line: text.render(lang), self.said: text, **self.view(mine, code, which, lang)}

    def download(self, mine, code: str, which: str, lang: str, runs) -> dict:
        """The set shown as a zip (PNG per drawing, labels.csv), in the session's folder."""
        shown = chosen_set(mine, code, which)
        if shown is None or not len(shown):
            text = Text("teach.empty_set")
            return {self.line: text.render(lang), self.said: text}
        runs = runs or SessionRuns()
        if runs.folder is None or not runs.folder.is_dir():  # the session's own, swept with it
            runs.folder = new_session_folder()
        path = runs.folder / f"handwriting-{which}.zip"
        path.write_bytes(to_zip(shown.drawings()))
        text = Text("teach.downloaded", n=len(shown))
        return {self.zip: gr.File(str(path), visible=True), self.runs: runs,
                self.line: text.render(lang), self.said: text}  # fmt: skip

    def load_zip(self, data: bytes | None, mine, code: str, which: str, lang: str,
                 request: gr.Request) -> dict:  # fmt: skip
        """Add an uploaded set's drawings to the set shown, once every file in it checks out."""
        mine = mine or HandSet()
        shown = chosen_set(mine, code, which) or mine
        try:
            drawings = from_zip(data or b"")
        except HandwritingError as error:
            return self.say(mine, Text("teach.upload_failed", error=error), lang)
        owner = request.session_hash if shown is not mine else ""
        added = shown.extend(drawings, owner)
        text = Text("teach.uploaded", n=added, skipped=len(drawings) - added)
        return {**self.say(mine, text, lang), **self.view(mine, code, which, lang)}

    # Fine-tuning.
    def opened(self, runs, name: str | None, lang: str) -> gr.Dropdown:
        """The model list, with the session's newest runs, when the tab is opened."""
        choices = common.model_choices(runs, lang)
        value = name if name in [n for _, n in choices] else choices[0][1] if choices else None
        return gr.Dropdown(choices=choices, value=value)

    def waiting(self, lang: str, request: gr.Request) -> str:
        """Arm the session's Stop before the run waits for the slot it shares with Train."""
        TUNING.arm(request.session_hash)
        return t("status.waiting_slot", lang)

    def halt(self, lang: str, request: gr.Request):
        """Stop the session's fine-tuning after its current step (it then says so itself)."""
        return t("teach.stopping", lang) if TUNING.stop(request.session_hash) else gr.skip()

    def fine_tune(self, name: str | None, mine, code: str, which: str, lang: str, runs,
                  request: gr.Request):  # fmt: skip
        """Fine-tune the chosen model on MNIST plus the set's drawings (not the held-out ones),
        measuring it before and after; the new model joins the session's runs."""
        stop = TUNING.claim(request.session_hash)
        try:
            yield from self._fine_tune(name, chosen_set(mine, code, which), lang, runs, stop)
        finally:
            TUNING.release(request.session_hash, stop)

    def _fine_tune(self, name, shown: HandSet | None, lang: str, runs, stop: threading.Event):
        train, held = split(shown.drawings() if shown is not None else [])
        if not train:
            raise common.Refusal(t("teach.nothing_to_learn", lang))
        predictor, _ = common.find_model(name, runs, lang)
        base = model_config(predictor, runs)
        if base is None:
            raise common.Refusal(t("draw.no_model", lang))
        yield {self.status: t("teach.measuring", lang)}
        began = time.perf_counter()  # what the class waits: measuring, training, measuring
        held_x, held_y = tensors(held)
        before = readings(predictor.model, held_x, held_y), mnist_accuracy(predictor)
        try:
            data = tuning_data(load_mnist(), train)
            run = TrainingRun(tuning_config(base), stop, None, lang, data=data,
                              start_from=predictor.model)  # fmt: skip
        except (DataError, ConfigError, HandwritingError) as error:
            raise common.Refusal(localize(error, lang)) from None
        view = None
        try:
            with run:  # leaving it (finished, Stop, the page closed) stops the run's thread
                for view in run.updates():
                    yield {self.status: view.status}
        except TrainingFailed as error:
            raise common.Refusal(str(error), title=t("msg.failed_title", lang)) from None
        done = view.done if view is not None else None
        if done is None or done.stopped or done.diverged:
            yield {self.status: t("teach.not_finished", lang)}
            return
        after = readings(done.model, held_x, held_y), done.metrics["test_accuracy"]
        runs = runs or SessionRuns()
        title = Text("teach.tuned", kind=base.model.upper(), n=len(train))
        record = runs.add(dataclasses.replace(done, state=None), view.losses, view.accuracies,
                          title)  # fmt: skip
        result = {
            "before": (before[0][0], before[1]), "after": (after[0][0], after[1]),
            "held": len(held), "train": len(train), "seconds": time.perf_counter() - began,
            "model": record.name,
        }  # fmt: skip
        choices = common.model_choices(runs, lang)
        yield {
            **self.results(result, runs, lang), self.runs: runs, self.result: result,
            self.picker: gr.Dropdown(choices=choices, value=record.name),
            self.model: gr.Dropdown(choices=choices, value=record.name),
            self.held: held_gallery(held, before[0][1], after[0][1]),
        }  # fmt: skip

    def results(self, result: dict, runs, lang: str) -> dict:
        """The status line, the before/after figure and its summary in lang."""
        label = common.model_label(result["model"], runs, lang)
        return {
            self.status: t("teach.finished", lang, seconds=result["seconds"], model=label),
            self.figure: gr.BarPlot(figure_frame(result, lang), sort=bar_order(lang)),
            self.summary: summary(result, lang),
        }

    def language(self, mine, code, which, lang, said, result, status, runs) -> dict:
        """After a language switch: the set's texts, the last line and the figure in lang."""
        out = {
            self.which: gr.Radio(choices=set_choices(lang)),
            self.class_line: class_line(code, lang) if code else t("teach.no_class", lang),
            self.counts: counts_frame(chosen_counts(mine, code, which), lang),
            self.line: said.render(lang) if said is not None else t("teach.add_hint", lang),
            self.model: gr.Dropdown(choices=common.model_choices(runs, lang)),
        }
        if result is not None:
            out.update(self.results(result, runs, lang))
        else:
            out[self.status] = common.said_again(status, lang, lambda code: t("teach.idle", code))
        return out


def chosen_set(mine: HandSet | None, code: str, which: str) -> HandSet | None:
    """The class's set when it is shown and the code still names one, else the session's."""
    return CLASSES.get(code) if which == "class" and code else mine


def chosen_counts(mine, code: str, which: str) -> list[int]:
    shown = chosen_set(mine, code, which)
    return shown.counts() if shown is not None else [0] * 10


def set_choices(lang: str) -> list[tuple[str, str]]:
    return [(t("teach.mine", lang), "mine"), (t("teach.class_set", lang), "class")]


def class_line(code: str, lang: str) -> str:
    klass = CLASSES.get(code)
    if klass is None:
        return t("teach.class_gone", lang, code=code)
    return t("teach.in_class", lang, code=code, n=len(klass), hours=CLASS_TTL_S // 3600)


def counts_frame(counts: list[int], lang: str = DEFAULT) -> pd.DataFrame:
    """One row: how many drawings of each digit, and in all."""
    row = {str(d): [n] for d, n in enumerate(counts)}
    return pd.DataFrame({**row, t("teach.total", lang): [sum(counts)]})


def figure_frame(result: dict, lang: str) -> pd.DataFrame:
    """Four bars: the held-out drawings and MNIST test, before and after."""
    before, after = result["before"], result["after"]
    rows = []
    for i, key in enumerate(("teach.on_drawings", "teach.on_mnist")):
        for when, values in (("teach.before", before), ("teach.after", after)):
            if values[i] is None:
                continue
            bar = f"{t(key, lang)} · {t(when, lang)}"
            rows.append({"bar": bar, "accuracy": values[i], "when": t(when, lang)})
    return pd.DataFrame(rows, columns=["bar", "accuracy", "when"])


def bar_order(lang: str) -> list[str]:
    """The bars left to right: drawings before, after; MNIST before, after."""
    return [
        f"{t(key, lang)} · {t(when, lang)}"
        for key in ("teach.on_drawings", "teach.on_mnist")
        for when in ("teach.before", "teach.after")
    ]


def summary(result: dict, lang: str) -> str:
    (held_before, mnist_before), (held_after, mnist_after) = result["before"], result["after"]
    if held_before is None:
        drawings = t("teach.no_held", lang)
    else:
        drawings = t("teach.held_line", lang, n=result["held"], before=held_before,
                     after=held_after)  # fmt: skip
    mnist = t("teach.mnist_line", lang, before=mnist_before, after=mnist_after)
    return t("teach.summary", lang, trained=result["train"], drawings=drawings, mnist=mnist)


def readings(model, x, y) -> tuple[float | None, list[int]]:
    """Accuracy on the held-out drawings (None when there are none yet) and each one's digit
    as the model reads it."""
    if not len(x):
        return None, []
    found = evaluate(model, x, y, predictions=True)
    return found["accuracy"], found["predicted"].tolist()


def held_gallery(held: list, before: list[int], after: list[int]) -> list:
    """Held-out drawings captioned "7: 1 → 7" (digit: read before → after), those whose
    reading changed first, at most SHOWN."""
    rows = sorted(zip(held, before, after, strict=True), key=lambda row: row[1] == row[2])
    return [(enlarge(d.image, 4), f"{d.label}: {b} → {a}") for d, b, a in rows[:SHOWN]]


def mnist_accuracy(predictor) -> float:
    """The model's accuracy on the whole MNIST test set: its own record when it has one."""
    metrics = predictor.metrics
    if "test_accuracy" in metrics and "test_sample" not in metrics:
        return float(metrics["test_accuracy"])
    mnist = load_mnist()
    return evaluate(predictor.model, mnist.test_x, mnist.test_y)["accuracy"]


def model_config(predictor, runs: SessionRuns | None):
    """The settings the model was trained with (a session run's, or a shipped checkpoint's)."""
    if predictor is None:
        return None
    record = next((r for r in (runs.with_models() if runs else []) if r.predictor is predictor),
                  None)  # fmt: skip
    if record is not None:
        return record.done.config
    kind = next((k for k in SHIPPED_FILES if common.SHIPPED.of_kind(k) is predictor), None)
    return shipped_config(kind) if kind else None


@functools.cache
def shipped_config(kind: str):
    """A shipped checkpoint's settings (read once; the file is never written)."""
    return load_checkpoint(SHIPPED_FILES[kind]).config
