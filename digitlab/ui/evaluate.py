"""The Evaluate tab: a model on the 10,000 MNIST test images: accuracy, a per-digit table, the
confusion matrix and the most confident mistakes."""

from __future__ import annotations

import gradio as gr
import numpy as np
import pandas as pd

from digitlab import explain
from digitlab.data import DataError, load_mnist
from digitlab.i18n import DEFAULT, Text, localize, t
from digitlab.pictures import confusion_image, enlarge
from digitlab.ui import common
from digitlab.ui.common import PRIVATE, ui

MISTAKES = 24  # most confident mistakes shown
MISTAKE_ZOOM = 4  # 28x28 -> 112x112


class EvaluateTab:
    """Builds the Evaluate tab in the current Blocks and wires its events."""

    def __init__(self, runs: gr.State, lang: common.Language) -> None:
        with gr.Row():
            self.picker = ui(
                gr.Dropdown, common.model_choices(None),
                value=(common.SHIPPED.names() or [None])[0], label=Text("draw.model"),
                info=Text("eval.model_info"), elem_id="dl-eval-picker",
            )  # fmt: skip
            self.button = ui(gr.Button, value=Text("eval.button"), variant="primary")
        self.summary = gr.Markdown(t("eval.idle"), elem_id="dl-eval-summary")
        with gr.Row():
            self.confusion = ui(
                gr.Image, label=Text("eval.confusion"), interactive=False, height=460,
                buttons=[], elem_id="dl-confusion",
            )  # fmt: skip
            self.per_digit = ui(gr.Dataframe, label=Text("eval.per_digit"), interactive=False)
        self.mistakes = ui(
            gr.Gallery, label=Text("eval.mistakes"), columns=5, height=520, format="png",
            elem_id="dl-mistakes",
        )  # fmt: skip

        # The picker learns about the session's new runs when opened.
        self.picker.focus(common.picker_choices, [runs, lang.radio], self.picker, **PRIVATE)
        self.button.click(
            self.evaluate, [self.picker, runs, lang.radio],
            [self.summary, self.per_digit, self.confusion, self.mistakes], api_name="evaluate",
            show_progress="minimal", show_progress_on=[self.summary],
        )  # fmt: skip
        lang.then(self.language, [self.summary, runs, lang.radio], [self.summary, self.picker])

    def evaluate(self, name: str | None, runs, lang: str = DEFAULT) -> dict:
        """Test accuracy, per-digit table, confusion picture and most confident mistakes."""
        predictor, note = common.find_model(name, runs, lang)
        if predictor is None:
            raise common.Refusal(t("msg.nothing_to_evaluate", lang))
        try:
            data = load_mnist()
        except DataError as error:
            raise common.Refusal(
                localize(error, lang), title=t("msg.no_data_title", lang)
            ) from None
        result = predictor.evaluate(data.test_x, data.test_y)
        pred, conf = result["predicted"], result["confidence"]
        truth = data.test_y.cpu().numpy()
        confusion = explain.confusion_matrix(pred, truth)
        total, right = int(confusion.sum()), int(np.trace(confusion))
        summary = t(
            "eval.summary", lang, model=common.model_label(predictor.name, runs, lang),
            accuracy=right / total, total=total, wrong=total - right,
        )  # fmt: skip
        gallery = [
            (enlarge(data.test_x[index].cpu().numpy(), MISTAKE_ZOOM),
             t("eval.mistake", lang, true=true, predicted=predicted, confidence=confidence))
            for index, true, predicted, confidence in explain.rank_mistakes(
                pred, conf, truth, MISTAKES)
        ]  # fmt: skip
        return {
            self.summary: f"{note}\n\n{summary}" if note else summary,
            self.per_digit: per_digit_table(confusion, lang),
            self.confusion: confusion_image(confusion),
            self.mistakes: gallery,
        }

    def language(self, summary: str, runs, lang: str = DEFAULT) -> dict:
        """The idle text said again in lang, and the picker's choices in lang."""
        return {
            self.summary: common.said_again(summary, lang, lambda code: t("eval.idle", code)),
            self.picker: common.picker_choices(runs, lang),
        }


def per_digit_table(confusion: np.ndarray, lang: str = DEFAULT) -> pd.DataFrame:
    """Accuracy, count and the most frequent wrong answer for each digit."""
    accuracy = 100 * confusion.diagonal() / confusion.sum(1).clip(min=1)
    return pd.DataFrame({
        t("col.digit", lang): [str(d) for d in range(10)],
        t("col.accuracy", lang): accuracy.round(2),
        t("col.count", lang): confusion.sum(1),
        t("col.confused", lang): [_most_confused(confusion, d) for d in range(10)],
    })  # fmt: skip


def _most_confused(confusion: np.ndarray, digit: int) -> str:
    row = confusion[digit].copy()
    row[digit] = 0
    other = int(row.argmax())
    return f"{other} ({row[other]}x)" if row[other] else "-"
