"""What the tabs share: the shipped models, the per-session registries, the model pickers, the
page's language, the translated-component registry and the chart builders.

The shared things are created once here; everything a student makes lives in that session's
SessionRuns (gr.State). Every handler that shows text takes the language ("en" or "zh") as
its last input.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import gradio as gr

from digitlab.threads import serve_on_one_thread
from digitlab.ui import registries
from digitlab.ui.charts import DIGITS, probability_frame
from digitlab.ui.projector import BARS, readable_bars
from digitlab.ui.queues import PRIVATE
from digitlab.ui.sessions import SessionRuns, ShippedModels
from digitlab.ui.translated import Translated
from digitlab.words import DEFAULT, LANGUAGES, Text, t

serve_on_one_thread()  # before the first torch op in the server's main thread
SHIPPED = ShippedModels()  # loaded once, shared read-only by every session
LOG = logging.getLogger("digitlab")
tr = Translated()  # every component with a translated text, for the language switch


class Refusal(gr.Error):
    """A message for the student, without Gradio's traceback in the server's console: a bad
    setting or a missing file is the student's to fix, and 40 lines a time drown the log."""

    def __init__(self, message: str, title: str | None = None) -> None:
        super().__init__(message, title=title or "Error", print_exception=False)
        LOG.info("refused: %s", message)  # wiring the page needs, not part of the public API


class Language:
    """The page's language switch (`radio`: "en" or "zh"), and what each tab says again when
    it changes.

    Tabs add steps with `then()`; `wire()` chains them after the relabelling of every
    translated component, one after another: separate listeners on the same change, several
    updating the same components, left 6.31's front end waiting on the relabelling forever.
    """

    def __init__(self, radio: gr.Radio) -> None:
        self.radio = radio
        self._steps: list[tuple] = []

    def then(self, fn, inputs, outputs) -> None:
        """Run fn(inputs) -> outputs after each switch."""
        self._steps.append((fn, inputs, outputs))

    def wire(self) -> None:
        """Once every tab is built: relabel everything, then each tab's steps in turn."""
        quiet = dict(show_progress="hidden", **PRIVATE)
        # The components built so far, this page's: a tab built later in another Blocks (a
        # test's) registers its own in `tr` too, and must not become an output of this event.
        page = tr.outputs

        def relabel_page(lang: str, request: gr.Request) -> dict:
            return relabel(lang, request, page)

        event = self.radio.change(relabel_page, self.radio, page, **quiet)
        for fn, inputs, outputs in self._steps:
            event = event.then(fn, inputs, outputs, **quiet)


def relabel(lang: str, request: gr.Request, components: list) -> dict:
    """These translated components in lang; the session's running jobs speak it from now on."""
    registries.PAGE_LANGS.set(request.session_hash, lang)
    return {component: tr.update(component, lang) for component in components}


def probability_plot(label: Text, height: int, **kwargs) -> gr.BarPlot:
    """Bars for digits 0-9 in fixed order on a fixed 0-1 scale, readable on a projector (large
    labels, the tallest bar's percentage)."""
    readable_bars()
    return tr(
        gr.BarPlot, probability_frame(None), x="digit", y="probability", y_lim=[0, 1],
        sort=DIGITS, label=label, height=height, x_title=Text("plot.digit"),
        y_title=Text("plot.probability"), elem_classes=[BARS], **kwargs,
    )  # fmt: skip


def language(request: gr.Request) -> str:
    """The page's first language: ?lang=zh or ?lang=en, else the browser's preference."""
    asked = (request.query_params.get("lang") or "").lower()[:2]
    preferred = request.headers.get("accept-language", "").lower()
    first = asked if asked in LANGUAGES else "zh" if preferred.startswith("zh") else DEFAULT
    registries.PAGE_LANGS.set(request.session_hash, first)
    return first


def model_choices(runs: SessionRuns | None, lang: str = DEFAULT) -> list[tuple[str, str]]:
    """(label, name) of the shipped models first, then this session's kept runs, newest last."""
    shipped = [(SHIPPED.label(name, lang), name) for name in SHIPPED.names()]
    return shipped + [(r.label(lang), r.name) for r in (runs.with_models() if runs else [])]


def model_label(name: str, runs: SessionRuns | None, lang: str) -> str:
    """A picker name in the student's language."""
    label = SHIPPED.label(name, lang)
    return runs.label(name, lang) if label == name and runs else label


def find_model(name: str | None, runs: SessionRuns | None, lang: str = DEFAULT):
    """The predictor for a picker name, falling back to the first shipped model, and a note."""
    predictor = SHIPPED.get(name or "") or (runs.get(name or "") if runs else None)
    if predictor is not None:
        return predictor, ""
    fallback = SHIPPED.names()[0] if SHIPPED.names() else None
    if fallback is None:
        return None, t("draw.no_model", lang)
    shown = SHIPPED.label(fallback, lang)
    note = t("draw.model_gone", lang, name=name, fallback=shown) if name else ""
    return SHIPPED.get(fallback), note


def picker_choices(runs, lang: str = DEFAULT):
    """A model picker that knows this session's newest runs."""
    return gr.Dropdown(choices=model_choices(runs, lang))


def said_again(current: str, lang: str, *versions: Callable[[str], str]):
    """current in lang if it is one of these texts (in any language), else left unchanged."""
    for version in versions:
        if current in {version(code) for code in LANGUAGES}:
            return version(lang)
    return gr.skip()


def curve_plot(title: Text, y: str, y_title: Text, **kwargs) -> gr.LinePlot:
    """A multi-run line chart over epochs."""
    # A title, not a label: 6.31 crops the legend by the label's height.
    return tr(
        gr.LinePlot, None, x="epoch", y=y, color="run", title=title, show_label=False, height=280,
        x_title=Text("plot.epoch"), y_title=y_title, color_title=Text("plot.run"), **kwargs,
    )  # fmt: skip
