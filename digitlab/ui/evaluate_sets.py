"""The Evaluate tab's test sets: MNIST's 10,000 test images, or the held-out pen writers'
digits (writers 21-30, pen_data.py); their choices, the button that names the chosen one, and
what a model's result on the pen writers says (whom it trained on, each writer's accuracy).
"""

from __future__ import annotations

import gradio as gr
import numpy as np

from digitlab.data import DataError, load_mnist
from digitlab.training import pen_data
from digitlab.ui import common
from digitlab.words import DEFAULT, localize, t

TEST_SETS = ("mnist", "pen")  # MNIST's test set; the held-out pen writers (21-30)


def set_choices(lang: str = DEFAULT) -> list[tuple[str, str]]:
    """(text, value) of the test sets."""
    return [(t(f"eval.test_set.{name}", lang), name) for name in TEST_SETS]


def button_text(test_set: str, lang: str = DEFAULT):
    """The Evaluate button, naming the chosen test set."""
    return gr.Button(value=t("eval.button_pen" if test_set == "pen" else "eval.button", lang))


def set_images(test_set: str, lang: str = DEFAULT):
    """(images, labels, writers or None) of a test set: MNIST's (Refusal without it), or the
    held-out pen writers' (shipped with the package: no download, no MNIST needed)."""
    if test_set == "pen":
        x, y, writers = pen_data.held_out()
        return x, y, writers.numpy()
    try:
        data = load_mnist()
    except DataError as error:
        raise common.Refusal(localize(error, lang), title=t("msg.no_data_title", lang)) from None
    return data.test_x, data.test_y, None


def pen_summary(measured: dict, model: str, figures: dict, lang: str = DEFAULT) -> str:
    """The held-out writers' result: what the model trained on (a warning first when that
    includes these writers), the accuracy, and each writer's."""
    trained = measured.get("pen_writers") or []
    said = (
        t("eval.trained_pen", lang, writers=writer_list(trained)) if trained
        else t("eval.trained_mnist", lang)
    )  # fmt: skip
    text = t("eval.summary_pen", lang, model=model, trained=said, **figures)
    rates = ", ".join(f"{w}: {a:.0%}" for w, a in sorted(measured["per_writer"].items()))
    text += "\n\n" + t("eval.per_writer", lang, rates=rates)
    seen = pen_data.held_out_writers_seen({"pen_writers": trained})
    if seen:  # next to the figure: the shipped models trained on all 30 writers
        text = t("eval.saw_writers", lang, writers=writer_list(seen)) + "\n\n" + text
    return text


def per_writer(predicted: np.ndarray, labels: np.ndarray, writers: np.ndarray) -> dict:
    """Each writer's accuracy, {writer id: fraction right}."""
    right = np.asarray(predicted) == np.asarray(labels)
    return {int(w): float(right[writers == w].mean()) for w in np.unique(writers)}


def writer_list(writers: list[int]) -> str:
    """Writer ids as runs: [1, ..., 20] -> "1-20", [3, 5, 6, 7] -> "3, 5-7"."""
    runs: list[list[int]] = []
    for w in sorted(set(writers)):
        if runs and w == runs[-1][-1] + 1:
            runs[-1].append(w)
        else:
            runs.append([w])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}-{r[-1]}" for r in runs)
