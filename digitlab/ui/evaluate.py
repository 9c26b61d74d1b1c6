"""The Evaluate tab: a model on the 10,000 MNIST test images, or on the held-out pen writers'
digits (pen_data.py: 10 people no Train-tab run learns from): accuracy, a per-digit table, the
confusion matrix, the reliability diagram before and after temperature scaling, and the most
confident mistakes.

What was measured is kept per session (gr.State) as plain numbers, so a language switch says
all of it again in the new language without evaluating again.
"""

from __future__ import annotations

import gradio as gr
import numpy as np
import pandas as pd

from digitlab.inference.calibration import (
    MIN_BIN_DIGITS,
    Calibration,
    judge,
    pooled,
    softmax,
    split,
)
from digitlab.lab import explain
from digitlab.ui import common
from digitlab.ui.common import tr
from digitlab.ui.evaluate_sets import (
    TEST_SETS,
    button_text,
    pen_summary,
    per_writer,
    set_choices,
    set_images,
)
from digitlab.ui.pictures import enlarge
from digitlab.ui.queues import PRIVATE, QUICK
from digitlab.words import DEFAULT, Text, t

MISTAKES = 24  # most confident mistakes shown
MISTAKE_ZOOM = 4  # 28x28 -> 112x112
# The confusion matrix as a table: numbers large enough to read from the back of a classroom.
CONFUSION_CSS = """
.dl-cm { container-type: inline-size; padding-top: 30px; max-width: 900px; margin: 0 auto; }
.dl-cm table { width: 100%; table-layout: fixed; border-collapse: collapse;
  font-variant-numeric: tabular-nums; }
.dl-cm th, .dl-cm td { font-size: clamp(11px, 3.2cqi, 30px); font-weight: 700; padding: 0.3em 0;
  text-align: center; border: 1px solid #ddd; color: #111; }
.dl-cm th { background: #f3f3f3; }
.dl-cm td.dl-light { color: #fff; }
"""


class EvaluateTab:
    """Builds the Evaluate tab in the current Blocks and wires its events."""

    def __init__(self, runs: gr.State, lang: common.Language) -> None:
        with gr.Row():
            self.picker = tr(
                gr.Dropdown, common.model_choices(None),
                value=(common.SHIPPED.names() or [None])[0], label=Text("draw.model"),
                info=Text("eval.model_info"), elem_id="dl-eval-picker",
            )  # fmt: skip
            self.test_set = tr(
                gr.Radio, set_choices(), value=TEST_SETS[0], label=Text("eval.test_set"),
                info=Text("eval.test_set_info"), elem_id="dl-eval-set",
            )  # fmt: skip
            self.button = tr(gr.Button, value=Text("eval.button"), variant="primary")
        tr.later(self.button)  # its text names the chosen set: this tab says it again
        self.summary = tr(
            gr.Markdown, t("eval.idle"), label=Text("eval.summary_label"), elem_id="dl-eval-summary"
        )
        self.measured = gr.State(None)  # the last evaluation's numbers, for a language switch
        # The confusion matrix gets the page's width: its numbers are read from the back.
        self.confusion = tr(
            gr.HTML, confusion_html(None), label=Text("eval.confusion"), show_label=True,
            container=True, css_template=CONFUSION_CSS, elem_id="dl-confusion",
        )  # fmt: skip
        self.per_digit = tr(
            gr.Dataframe, per_digit_table(None), label=Text("eval.per_digit"),
            interactive=False, elem_id="dl-per-digit",
        )  # fmt: skip
        self.reliability = tr(
            gr.LinePlot, None, x="confidence", y="accuracy", color="curve",
            title=Text("trust.reliability", digits=MIN_BIN_DIGITS),
            x_title=Text("trust.confidence"), y_title=Text("trust.accuracy"),
            color_title=Text("trust.curve"), x_lim=[0, 1], y_lim=[0, 1], show_label=False,
            label=Text("trust.reliability", digits=MIN_BIN_DIGITS), height=340,
            elem_id="dl-reliability",
        )  # fmt: skip
        tr.later(self.reliability)  # relabelled after its data, as the Train tab's charts are
        self.mistakes = tr(
            gr.Gallery, label=Text("eval.mistakes"), columns=5, height=520, format="png",
            elem_id="dl-mistakes",
        )  # fmt: skip

        outputs = [
            self.summary, self.per_digit, self.confusion, self.reliability, self.mistakes,
            self.measured,
        ]  # fmt: skip
        # The picker learns about the session's new runs when opened.
        self.picker.focus(common.picker_choices, [runs, lang.radio], self.picker, **PRIVATE)
        self.test_set.input(button_text, [self.test_set, lang.radio], self.button, **QUICK)
        self.button.click(
            self.evaluate, [self.picker, runs, self.test_set, lang.radio], outputs,
            api_name="evaluate", show_progress="minimal", show_progress_on=[self.summary],
        )  # fmt: skip
        lang.then(
            self.language, [self.summary, self.measured, runs, self.test_set, lang.radio],
            [*outputs, self.picker, self.test_set, self.button],
        )  # fmt: skip
        lang.then(lambda code: tr.update(self.reliability, code), lang.radio, self.reliability)

    def evaluate(
        self, name: str | None, runs, test_set: str = "mnist", lang: str = DEFAULT
    ) -> dict:
        """Accuracy, per-digit table, confusion, reliability and most confident mistakes on the
        test set chosen: "mnist" or "pen" (the held-out pen writers)."""
        predictor, _ = common.find_model(name, runs, lang)
        if predictor is None:
            raise common.Refusal(t("msg.nothing_to_evaluate", lang))
        x, y, writers = set_images(test_set, lang)
        result = predictor.evaluate(x, y)
        logits, truth = result["logits"], y.cpu().numpy()
        if test_set == "pen":  # judged with the temperature the Draw tab uses for this model
            temperature = predictor.temperature
            calibration = judge(logits, truth, temperature)
        else:  # fitted on the first half of MNIST's test set, judged on the second
            fit, report = split(len(truth))
            temperature = predictor.temperature_from(logits[fit], y[fit])
            calibration = judge(logits[report], truth[report], temperature)
        # The mistakes' confidences as the Draw tab says them: temperature-scaled.
        conf = softmax(logits, temperature).max(1)
        measured = {  # the evaluator's own confusion matrix: counted once
            "name": name, "model": predictor.name, "confusion": result["confusion"],
            "mistakes": explain.rank_mistakes(result["predicted"], conf, truth, MISTAKES),
            "calibration": calibration, "test_set": test_set,
        }  # fmt: skip
        if writers is not None:  # the pen set: each writer's accuracy, what the model saw
            measured["per_writer"] = per_writer(result["predicted"], truth, writers)
            measured["pen_writers"] = list(predictor.metrics.get("pen_writers") or [])
        return self.show(measured, runs, lang)

    def show(self, measured: dict, runs, lang: str = DEFAULT) -> dict:
        """What was measured, said in lang."""
        _, note = common.find_model(measured["name"], runs, lang)
        confusion = np.asarray(measured["confusion"])
        total, right = int(confusion.sum()), int(np.trace(confusion))
        found: Calibration = measured["calibration"]
        pen = measured.get("test_set") == "pen"
        model = common.model_label(measured["model"], runs, lang)
        figures = dict(accuracy=right / total, total=total, wrong=total - right)
        reliable = dict(temperature=found.temperature, before=found.before.ece,
                        after=found.after.ece)  # fmt: skip
        if pen:
            summary = pen_summary(measured, model, figures, lang)
        else:
            summary = t("eval.summary", lang, model=model, **figures)
        summary += "\n\n" + t("trust.summary_pen" if pen else "trust.summary", lang, **reliable)
        test_x = set_images(measured.get("test_set", "mnist"), lang)[0]
        gallery = [
            (enlarge(test_x[index].cpu().numpy(), MISTAKE_ZOOM),
             t("eval.mistake", lang, true=true, predicted=predicted, confidence=confidence))
            for index, true, predicted, confidence in measured["mistakes"]
        ]  # fmt: skip
        return {
            self.summary: f"{note}\n\n{summary}" if note else summary,
            self.per_digit: per_digit_table(confusion, lang),
            self.confusion: confusion_html(confusion),
            self.reliability: gr.LinePlot(
                reliability_frame(found, lang), caption=reliability_text(found, lang)
            ),
            self.mistakes: gallery,
            self.measured: measured,
        }

    def language(
        self, summary: str, measured: dict | None, runs, test_set: str, lang: str = DEFAULT
    ) -> dict:
        """Everything measured said again in lang (or the idle text), the picker's and the test
        set's choices, the button."""
        picker = {
            self.picker: common.picker_choices(runs, lang),
            self.test_set: gr.Radio(choices=set_choices(lang)),
            self.button: button_text(test_set, lang),
        }
        if measured is not None:
            return {**self.show(measured, runs, lang), **picker}
        return {
            self.summary: common.said_again(summary, lang, lambda code: t("eval.idle", code)),
            self.per_digit: per_digit_table(None, lang),
            self.confusion: confusion_html(None),
            **picker,
        }


def per_digit_table(confusion: np.ndarray | None, lang: str = DEFAULT) -> pd.DataFrame:
    """Accuracy, count and the most frequent wrong answer for each digit (None: the headers
    only, before any evaluation)."""
    headers = [t(key, lang) for key in ("col.digit", "col.accuracy", "col.count", "col.confused")]
    if confusion is None:
        return pd.DataFrame(columns=headers)
    accuracy = 100 * confusion.diagonal() / confusion.sum(1).clip(min=1)
    columns = [
        [str(d) for d in range(10)], accuracy.round(2), confusion.sum(1),
        [_most_confused(confusion, d) for d in range(10)],
    ]  # fmt: skip
    return pd.DataFrame(dict(zip(headers, columns, strict=True)))


def _most_confused(confusion: np.ndarray, digit: int) -> str:
    row = confusion[digit].copy()
    row[digit] = 0
    other = int(row.argmax())
    return f"{other} ({row[other]}x)" if row[other] else "-"


def confusion_html(confusion: np.ndarray | None) -> str:
    """The 10x10 confusion matrix as an HTML table with large numbers (rows: true digit):
    right answers on a blue scale, mistakes on their own red scale (next to ~1,000 right ones
    they would vanish). Before any evaluation: the empty grid. Its label says which is which."""
    counts = np.zeros((10, 10), int) if confusion is None else np.asarray(confusion, int)
    diag_max = max(int(counts.diagonal().max()), 1)
    off_max = max(int((counts - np.diag(counts.diagonal())).max()), 1)
    head = "".join(f'<th scope="col">{d}</th>' for d in range(10))
    rows = []
    for r in range(10):
        cells = []
        for c in range(10):
            n = int(counts[r, c])
            level = n / diag_max if r == c else (n / off_max) ** 0.5 if n else 0.0
            fill = (
                (int(255 - 200 * level), int(255 - 120 * level), 255) if r == c
                else (255, int(255 - 205 * level), int(255 - 205 * level))
            )  # fmt: skip
            light = ' class="dl-light"' if level > 0.6 else ""
            cells.append(f'<td{light} style="background: rgb{fill}">{n or ""}</td>')
        rows.append(f'<tr><th scope="row">{r}</th>{"".join(cells)}</tr>')
    return f'<div class="dl-cm"><table><tr><th></th>{head}</tr>{"".join(rows)}</table></div>'


def reliability_frame(found: Calibration, lang: str = DEFAULT) -> pd.DataFrame:
    """Long frame (confidence, accuracy, curve) of the reliability diagram: the diagonal, and
    the mean confidence and accuracy of the bins, joined until each has MIN_BIN_DIGITS
    digits, before and after temperature scaling."""
    perfect = t("trust.perfect", lang)
    rows = [(0.0, 0.0, perfect), (1.0, 1.0, perfect)]
    curves = (
        (found.before, t("trust.before", lang, ece=found.before.ece)),
        (found.after, t("trust.after", lang, temperature=found.temperature, ece=found.after.ece)),
    )
    for bins, name in curves:
        rows += [(float(c), float(a), name) for c, a in pooled(bins)]
    return pd.DataFrame(rows, columns=["confidence", "accuracy", "curve"])


def reliability_text(found: Calibration, lang: str = DEFAULT) -> str:
    """The reliability diagram in words (its caption): each curve's bins, "92% sure, 95% right"."""
    curves = (
        (found.before, t("trust.before", lang, ece=found.before.ece)),
        (found.after, t("trust.after", lang, temperature=found.temperature, ece=found.after.ece)),
    )
    return " ".join(
        t("trust.reliability_text", lang, curve=name, points=" · ".join(
            t("trust.reliability_point", lang, confidence=float(c), accuracy=float(a))
            for c, a in pooled(bins)
        ))
        for bins, name in curves
    )  # fmt: skip
