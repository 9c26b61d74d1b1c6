"""The Inside tab: what the Draw tab's model does with the Draw tab's drawing: the preprocessing
strip (with a switch to turn it off), saliency over the drawing, first-layer weights and the
CNN's feature maps.

Computed when the tab is opened (and when its switch or the language changes), once per
drawing and model: a student drawing in the Draw tab costs the server nothing here.
"""

from __future__ import annotations

import gradio as gr
from gradio.context import get_render_context

from digitlab.inference.safety import BadImage
from digitlab.lab import explain
from digitlab.ui import common
from digitlab.ui.canvas import canvas_ink
from digitlab.ui.common import tr
from digitlab.ui.pictures import (
    activation_sheet,
    saliency_on_canvas,
    saliency_squashed,
    step_picture,
    weight_tiles,
)
from digitlab.ui.queues import INSIDE, PRIVATE
from digitlab.words import DEFAULT, Text, t

MAX_UNITS = 32  # first-layer units shown: 512 MLP units would bury the page
STEPS = ("ink", "cropped", "scaled", "centred")  # preprocess.steps() images, in order


class InsideTab:
    """Builds the Inside tab in the current Blocks (inside its gr.Tab) and wires it to the Draw
    tab's canvas and picker."""

    def __init__(
        self, canvas: gr.HTML, picker: gr.Dropdown, runs: gr.State, lang: common.Language
    ) -> None:
        tab = get_render_context()  # the gr.Tab this is built in: opening it shows the views
        if not isinstance(tab, gr.Tab):
            raise TypeError("build InsideTab inside its gr.Tab")
        tr(gr.Markdown, value=Text("inside.intro"))
        with gr.Row():
            self.preprocessing = tr(
                gr.Checkbox, True, label=Text("inside.preprocessing"), scale=1,
                info=Text("inside.preprocessing_info"), elem_id="dl-preprocessing",
            )  # fmt: skip
            self.line = gr.Markdown(t("inside.empty"), elem_id="dl-inside-line")
        self.strip = tr(
            gr.Gallery, label=Text("inside.strip"), columns=4, height=310, object_fit="contain",
            format="png", elem_id="dl-strip",
        )  # fmt: skip
        with gr.Row():
            self.saliency = tr(
                gr.Image, label=Text("inside.saliency"), interactive=False, height=320,
                buttons=[], elem_id="dl-saliency",
            )  # fmt: skip
            self.weights = tr(
                gr.Gallery, columns=8, height=320, format="png", label=Text("inside.weights"),
                elem_id="dl-weights",
            )  # fmt: skip
        self.maps = tr(
            gr.Image, label=Text("inside.maps"), interactive=False, height=300, buttons=[],
            format="png", elem_id="dl-maps",
        )  # fmt: skip
        # What the tab shows now: (drawing, model, switch, language) and (model, language).
        self.shown = gr.State(None)

        inputs = [canvas, picker, self.preprocessing, runs, lang.radio, self.shown]
        outputs = [self.strip, self.line, self.saliency, self.maps, self.weights, self.shown]
        triggers = [tab.select, self.preprocessing.change]
        gr.on(triggers, self.show, inputs, outputs, **PRIVATE, **INSIDE)
        lang.then(self.language, inputs, outputs)

    def show(
        self, drawing, name: str | None, preprocessing: bool, runs, lang: str = DEFAULT,
        shown: tuple | None = None,
    ) -> dict:  # fmt: skip
        """The views of what changed since they were last shown (nothing, when nothing did)."""
        predictor, _ = common.find_model(name, runs, lang)
        model = predictor.name if predictor else None
        view, weights = (drawing, model, bool(preprocessing), lang), (model, lang)
        was_view, was_weights = shown or (None, None)
        out: dict = {self.shown: (view, weights)}
        if weights != was_weights:
            out[self.weights] = first_layer(predictor, lang)
        if view != was_view:
            out.update(self.views(drawing, predictor, bool(preprocessing), runs, lang))
        return out

    def language(self, drawing, name, preprocessing, runs, lang: str, shown) -> dict:
        """After a language switch: every caption and line in lang, if the tab was opened."""
        if shown is None:  # never opened: nothing to say again (an empty dict is not an update)
            return {self.shown: None}
        return self.show(drawing, name, preprocessing, runs, lang, shown)

    def empty(self, lang: str = DEFAULT) -> dict:
        """Nothing drawn: no strip, no saliency, no maps."""
        return {self.strip: [], self.line: t("inside.empty", lang), self.saliency: None,
                self.maps: None}  # fmt: skip

    def views(self, drawing, predictor, preprocessing: bool, runs, lang: str) -> dict:
        """Strip, verdict line, saliency overlay and feature maps for the drawing."""
        if predictor is None:
            return {**self.empty(lang), self.line: t("draw.no_model", lang)}
        try:
            ink = canvas_ink(drawing)
        except BadImage:
            return self.empty(lang)  # the Draw tab already says what is wrong with it
        seen = None if ink is None else predictor.predict(ink, preprocessing)
        if seen is None:  # no drawing, or only a stray dot
            return self.empty(lang)
        mode = t("inside.with" if preprocessing else "inside.without", lang)
        line = t(
            "inside.reads", lang, model=common.model_label(predictor.name, runs, lang),
            digit=seen.digit, confidence=seen.confidence, mode=mode,
        )  # fmt: skip
        sal = explain.saliency(predictor, seen.image)
        if preprocessing:
            found = seen.steps
            strip = [(step_picture(found[key]), t(f"strip.{key}", lang)) for key in STEPS]
            overlay = saliency_on_canvas(sal, ink, found["placement"])
        else:  # the whole canvas, squashed: the model's field is the canvas
            strip = [(step_picture(ink), t("strip.ink", lang)),
                     (step_picture(seen.image), t("strip.plain", lang))]  # fmt: skip
            overlay = saliency_squashed(sal, ink)
        maps = explain.feature_maps(predictor, seen.image)
        return {
            self.strip: strip, self.line: line, self.saliency: overlay,
            self.maps: None if maps is None else activation_sheet(maps),
        }  # fmt: skip


def first_layer(predictor, lang: str = DEFAULT) -> list:
    """The first MAX_UNITS first-layer units (MLP, 28x28) or filters (CNN, 3x3) as tiles."""
    if predictor is None:
        return []
    weights = explain.first_layer_weights(predictor.model)
    kind = "inside.unit" if weights.shape[1] == 28 else "inside.filter"
    tiles = weight_tiles(weights[:MAX_UNITS])
    return [(tile, t(kind, lang, i=i)) for i, tile in enumerate(tiles)]
