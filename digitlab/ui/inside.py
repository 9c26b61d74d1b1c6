"""The Inside tab: what the Draw tab's model does with the Draw tab's drawing: the preprocessing
strip (with a switch to turn it off), saliency over the drawing, first-layer weights and the
CNN's feature maps."""

from __future__ import annotations

import gradio as gr

from digitlab import explain
from digitlab.i18n import DEFAULT, Text, t
from digitlab.pictures import (
    activation_tiles,
    saliency_on_canvas,
    saliency_squashed,
    step_picture,
    weight_tiles,
)
from digitlab.preprocess import editor_to_image
from digitlab.safety import BadImage, check_canvas
from digitlab.ui import common
from digitlab.ui.common import LIVE, PRIVATE, ui

MAX_UNITS = 32  # first-layer units shown: 512 MLP units would bury the page
STEPS = ("ink", "cropped", "scaled", "centred")  # preprocess.steps() images, in order


class InsideTab:
    """Builds the Inside tab in the current Blocks and wires it to the Draw tab's inputs."""

    def __init__(
        self, canvas: gr.Sketchpad, picker: gr.Dropdown, runs: gr.State, lang: common.Language
    ) -> None:
        ui(gr.Markdown, value=Text("inside.intro"))
        with gr.Row():
            self.preprocessing = ui(
                gr.Checkbox, True, label=Text("inside.preprocessing"), scale=1,
                info=Text("inside.preprocessing_info"), elem_id="dl-preprocessing",
            )  # fmt: skip
            self.line = gr.Markdown(t("inside.empty"), elem_id="dl-inside-line")
        self.strip = ui(
            gr.Gallery, label=Text("inside.strip"), columns=4, height=310, object_fit="contain",
            format="png", elem_id="dl-strip",
        )  # fmt: skip
        with gr.Row():
            self.saliency = ui(
                gr.Image, label=Text("inside.saliency"), interactive=False, height=320,
                buttons=[], elem_id="dl-saliency",
            )  # fmt: skip
            self.weights = ui(
                gr.Gallery, first_layer(common.SHIPPED.get((common.SHIPPED.names() or [""])[0])),
                columns=6, height=320, format="png", label=Text("inside.weights"),
                elem_id="dl-weights",
            )  # fmt: skip
        self.maps = ui(
            gr.Gallery, label=Text("inside.maps"), columns=8, height=300, format="png",
            elem_id="dl-maps",
        )  # fmt: skip

        # Its own listeners, so the Draw tab's prediction never waits for it. One listener for
        # every trigger: with always_last, a slow result for an older stroke can never land
        # after (and overwrite) the result for a newer switch, model or language.
        inputs = [canvas, picker, self.preprocessing, runs, lang.radio]
        outputs = [self.strip, self.line, self.saliency, self.maps]
        triggers = [canvas.change, picker.change, self.preprocessing.change]
        gr.on(triggers, self.show, inputs, outputs, **PRIVATE, **LIVE)
        canvas.clear(self.empty, lang.radio, outputs, **PRIVATE, **LIVE)
        weights = [picker, runs, lang.radio]
        picker.change(self.show_weights, weights, self.weights, **PRIVATE)
        lang.then(self.language, inputs, [*outputs, self.weights])

    def empty(self, lang: str = DEFAULT) -> dict:
        """Nothing drawn: no strip, no saliency, no maps."""
        return {self.strip: [], self.line: t("inside.empty", lang), self.saliency: None,
                self.maps: []}  # fmt: skip

    def show(self, sketch, name: str | None, preprocessing: bool, runs, lang: str = DEFAULT):
        """Strip, verdict line, saliency overlay and feature maps for the drawing."""
        predictor, _ = common.find_model(name, runs, lang)
        if predictor is None:
            return {**self.empty(lang), self.line: t("draw.no_model", lang)}
        try:
            check_canvas(sketch)
        except BadImage:
            return self.empty(lang)  # the Draw tab already says what is wrong with it
        ink = editor_to_image(sketch)
        seen = None if ink is None else predictor.predict(ink, bool(preprocessing))
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
        tiles = [] if maps is None else activation_tiles(maps)
        return {
            self.strip: strip, self.line: line, self.saliency: overlay,
            self.maps: [(tile, t("inside.map", lang, i=i)) for i, tile in enumerate(tiles)],
        }  # fmt: skip

    def language(self, sketch, name: str | None, preprocessing: bool, runs, lang: str) -> dict:
        """After a language switch: every caption and line in lang."""
        weights = self.show_weights(name, runs, lang)
        return {self.weights: weights, **self.show(sketch, name, preprocessing, runs, lang)}

    def show_weights(self, name: str | None, runs, lang: str = DEFAULT) -> list:
        """The picked model's first-layer weights (they do not change with the drawing)."""
        predictor, _ = common.find_model(name, runs, lang)
        return first_layer(predictor, lang)


def first_layer(predictor, lang: str = DEFAULT) -> list:
    """The first MAX_UNITS first-layer units (MLP, 28x28) or filters (CNN, 3x3) as tiles."""
    if predictor is None:
        return []
    weights = explain.first_layer_weights(predictor.model)
    kind = "inside.unit" if weights.shape[1] == 28 else "inside.filter"
    tiles = weight_tiles(weights[:MAX_UNITS])
    return [(tile, t(kind, lang, i=i)) for i, tile in enumerate(tiles)]
