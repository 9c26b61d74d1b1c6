"""The Teach tab's fine-tuning panel: fine-tune a model on MNIST plus the chosen set's drawings
and show its accuracy on held-out drawings and on MNIST before and after.

The run is live.py's TrainingRun, in the Train tab's queue (one run at a time on a small server),
and joins the session's runs. The sets are the Teach tab's (teach.py) and handwriting.py's.
"""

from __future__ import annotations

import dataclasses
import functools
import threading
import time

import gradio as gr
import pandas as pd

from digitlab.config import ConfigError
from digitlab.data import DataError, load_mnist
from digitlab.evaluate import evaluate
from digitlab.lab.handwriting import (
    HandSet,
    HandwritingError,
    split,
    tensors,
    tuning_config,
    tuning_data,
)
from digitlab.training.live import TrainingFailed, TrainingRun
from digitlab.ui import common, line_panel, registries
from digitlab.ui.common import tr
from digitlab.ui.pictures import enlarge
from digitlab.ui.queues import PRIVATE, QUEUED, QUICK
from digitlab.ui.sessions import SessionRuns
from digitlab.words import Text, localize, t

HELD_SHOWN = 40  # held-out drawings in their gallery at most (a class's set holds up to 500)


class TunePanel:
    """Builds the panel in the current Blocks (inside the Teach tab); wire() connects it to the
    inputs that name the set it learns from. chosen(mine, code, which) is that set."""

    def __init__(self, runs: gr.State, picker: gr.Dropdown, chosen) -> None:
        self.runs, self.picker, self.chosen = runs, picker, chosen
        self.result = gr.State(None)  # the last fine-tuning's figures (said again)
        tr(gr.Markdown, value=Text("teach.tune_intro"))
        first = (common.SHIPPED.names() or [None])[0]
        with gr.Row(equal_height=True):
            self.model = tr(
                gr.Dropdown, choices=common.model_choices(None), value=first,
                label=Text("teach.model"), scale=3, elem_id="dl-teach-model",
            )  # fmt: skip
            self.tune = tr(
                gr.Button, value=Text("teach.tune"), variant="primary", scale=1,
                elem_id="dl-teach-tune",
            )  # fmt: skip
            self.stop = tr(gr.Button, value=Text("teach.stop"), scale=1, elem_id="dl-teach-stop")
        self.status = tr(
            gr.Textbox, value=t("teach.idle"), label=Text("teach.status"), interactive=False,
            elem_id="dl-teach-status",
        )  # fmt: skip
        with gr.Row():
            self.figure = tr(
                gr.BarPlot, None, x="bar", y="accuracy", color="when", y_lim=[0, 1],
                title=Text("teach.figure"), x_title=Text("teach.measure"),
                y_title=Text("teach.accuracy"), color_title=Text("teach.when"), show_label=False,
                height=280, scale=2, elem_id="dl-teach-figure",
            )  # fmt: skip
            self.summary = gr.Markdown("", elem_id="dl-teach-summary")
        tr.later(self.figure)  # relabelled after its data, as the Train tab's charts are
        self.held = tr(
            gr.Gallery, label=Text("teach.held_gallery"), columns=10, fit_columns=False,
            height=140, allow_preview=False, object_fit="contain", format="png",
            elem_id="dl-teach-held",
        )  # fmt: skip

    def wire(self, tab: gr.Tab, sets: list, lang: common.Language) -> None:
        """sets: the inputs that name the set to learn from (the session's, the class code, which
        one is shown) and the language."""
        tab.select(self.opened, [self.runs, self.model, lang.radio], self.model, **QUICK)
        outputs = [self.status, self.figure, self.summary, self.runs, self.picker, self.model,
                   self.result, self.held]  # fmt: skip
        self.tune.click(self.waiting, lang.radio, self.status, **QUICK).success(
            self.fine_tune, [self.model, *sets, self.runs], outputs, show_progress_on=[self.status],
            **QUEUED, **PRIVATE,
        )  # fmt: skip
        self.stop.click(self.halt, lang.radio, self.status, **QUICK)
        lang.then(
            self.language, [lang.radio, self.result, self.status, self.runs],
            [self.status, self.figure, self.summary, self.model],
        )  # fmt: skip
        lang.then(lambda code: tr.update(self.figure, code), lang.radio, self.figure)

    def opened(self, runs, name: str | None, lang: str) -> gr.Dropdown:
        """The model list, with the session's newest runs, when the tab is opened."""
        choices = common.model_choices(runs, lang)
        value = name if name in [n for _, n in choices] else choices[0][1] if choices else None
        return gr.Dropdown(choices=choices, value=value)

    def waiting(self, lang: str, request: gr.Request) -> str:
        """Arm the session's Stop before the run waits for the slot it shares with Train."""
        registries.TUNING.arm(request.session_hash)
        return t("status.waiting_slot", lang)

    def halt(self, lang: str, request: gr.Request):
        """Stop the session's fine-tuning after its current step (it then says so itself)."""
        return (
            t("teach.stopping", lang) if registries.TUNING.stop(request.session_hash) else gr.skip()
        )

    def fine_tune(self, name: str | None, mine, code: str, which: str, lang: str, runs,
                  request: gr.Request):  # fmt: skip
        """Fine-tune the chosen model on MNIST plus the set's drawings (not the held-out ones),
        measuring it before and after; the new model joins the session's runs."""
        stop = registries.TUNING.claim(request.session_hash)
        try:
            yield from self._fine_tune(
                name, self.chosen(mine, code, which), lang, runs, stop, request.session_hash
            )
        finally:
            registries.TUNING.release(request.session_hash, stop)

    def _fine_tune(
        self, name, shown: HandSet | None, lang: str, runs, stop: threading.Event,
        session: str | None = None,
    ):  # fmt: skip
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
        view, ticket = None, line_panel.join(session or "", run, stop, lang)
        try:
            page_lang = functools.partial(registries.PAGE_LANGS.get, session, lang)
            for place in line_panel.wait_turn(ticket, page_lang):  # its turn in the line
                yield {self.status: line_panel.place_text(place, page_lang())}
            if ticket.started is None:  # Stop pressed while it waited
                yield {self.status: t("line.left", page_lang())}
                return
            with run:  # leaving it (finished, Stop, the page closed) stops the run's thread
                for view in run.updates():  # in the page's language, switched or not
                    lang = registries.PAGE_LANGS.get(session, lang)
                    yield {self.status: localize(view.status, lang)}
        except TrainingFailed as error:
            raise common.Refusal(str(error), title=t("msg.failed_title", lang)) from None
        finally:
            registries.LINE.leave(ticket)  # its speed is not a training run's: not measured
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

    def language(self, lang: str, result, status, runs) -> dict:
        """After a language switch: the model list, the status and the figure in lang."""
        out = {self.model: gr.Dropdown(choices=common.model_choices(runs, lang))}
        if result is not None:
            out.update(self.results(result, runs, lang))
        else:
            out[self.status] = common.said_again(status, lang, lambda code: t("teach.idle", code))
        return out


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
    reading changed first, at most HELD_SHOWN."""
    rows = sorted(zip(held, before, after, strict=True), key=lambda row: row[1] == row[2])
    return [(enlarge(d.image, 4), f"{d.label}: {b} → {a}") for d, b, a in rows[:HELD_SHOWN]]


def mnist_accuracy(predictor) -> float:
    """The model's accuracy on the whole MNIST test set: its own record when it has one."""
    metrics = predictor.metrics
    if "test_accuracy" in metrics and "test_sample" not in metrics:
        return float(metrics["test_accuracy"])
    mnist = load_mnist()
    return evaluate(predictor.model, mnist.test_x, mnist.test_y)["accuracy"]


def model_config(predictor, runs: SessionRuns | None):
    """The settings the model was trained with (None when unknown)."""
    return predictor.config if predictor is not None else None
