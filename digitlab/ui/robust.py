"""The Robustness tab: the Draw tab's drawing changed by sliders (turn, move, thickness, blur,
noise) with the model's answer following live; the map of the model's features before and
after training, with the drawing placed on it live; the robustness curves of two models.

The sliders answer at once (one 28x28 image). The map and the curves are computed when their
button is pressed, once per model: shared by every session for the shipped models, kept in the
session's own bounded cache for its runs (a run's figures never reach another session).
"""

from __future__ import annotations

import dataclasses

import gradio as gr
from gradio.context import get_render_context

from digitlab.data import DataError
from digitlab.inference.predict import Predictor
from digitlab.inference.safety import BadImage
from digitlab.lab import digit_map, robustness
from digitlab.ui import common, figures
from digitlab.ui.canvas import canvas_ink
from digitlab.ui.charts import probability_frame, robustness_frame
from digitlab.ui.common import tr
from digitlab.ui.queues import HEAVY, PRIVATE, SLIDING
from digitlab.ui.robust_inputs import SLIDERS, Look
from digitlab.ui.verdict import PIXELS_CSS, finite, headline, pixels_html
from digitlab.words import DEFAULT, Text, localize, t

# Compute's first step, in the browser: the page scrolled until the curves' block ends 16 px
# above the screen's bottom, its top kept in view (its inputs passed on unchanged).
SHOW_CURVES = """(...inputs) => {
  const box = document.querySelector('#dl-curves')?.getBoundingClientRect();
  if (box && box.bottom > innerHeight - 16) {
    scrollBy(0, Math.max(0, Math.min(box.bottom - innerHeight + 16, box.top - 8)));
  }
  return inputs;
}"""


class RobustTab:
    """Builds the Robustness tab in the current Blocks (inside its gr.Tab) and wires it to the
    Draw tab's canvas."""

    def __init__(self, canvas: gr.HTML, runs: gr.State, lang: common.Language) -> None:
        tab = get_render_context()  # the gr.Tab this is built in: opening it shows the drawing
        if not isinstance(tab, gr.Tab):
            raise TypeError("build RobustTab inside its gr.Tab")
        shipped = {kind: common.SHIPPED.of_kind(kind) for kind in ("cnn", "mlp")}
        name = {kind: p.name if p else None for kind, p in shipped.items()}
        tr(gr.Markdown, value=Text("robust.intro"))
        with gr.Row(equal_height=True):
            self.picker = self._picker(Text("draw.model"), name["cnn"], "dl-robust-picker")
            self.reset = tr(gr.Button, value=Text("robust.reset"), scale=0, min_width=200)
        with gr.Row():
            # The answer first: on a phone it stays above the sliders that change it.
            with gr.Column(scale=1, min_width=300):
                self.verdict = gr.HTML(self._headline(None), elem_id="dl-robust-verdict")
                self.pixels = tr(
                    gr.HTML, pixels_html(None), label=Text("robust.pixels"), show_label=True,
                    container=True, css_template=PIXELS_CSS, elem_id="dl-robust-pixels",
                )  # fmt: skip
            with gr.Column(scale=1, min_width=300):
                self.sliders = [
                    tr(gr.Slider, *robustness.LIMITS[field], step=step, value=value,
                       label=Text(key), elem_id=f"dl-robust-{field}")
                    for field, (key, step, value) in SLIDERS.items()
                ]  # fmt: skip
                self.seed = tr(
                    gr.Slider, 0, 99, step=1, value=0, label=Text("robust.seed"),
                    elem_id="dl-robust-seed",
                )  # fmt: skip
            with gr.Column(scale=1, min_width=300):
                self.bars = common.probability_plot(
                    Text("robust.bars"), height=300, elem_id="dl-robust-bars"
                )
        self._build_map()
        self._build_curves(name)
        self.cache = gr.State(None)  # this session's runs' maps and curves (a figures.ModelCache)
        self._wire(tab, canvas, runs, lang)

    def _picker(self, label: Text, value: str | None, elem_id: str) -> gr.Dropdown:
        choices = common.model_choices(None)
        return tr(gr.Dropdown, choices=choices, value=value, label=label, elem_id=elem_id)

    def _build_map(self) -> None:
        tr(gr.Markdown, value=Text("map.intro"))
        with gr.Row(equal_height=True):
            self.map_button = tr(gr.Button, value=Text("map.button"), scale=0, min_width=200)
            self.map_line = gr.Markdown(t("map.idle"), elem_id="dl-map-line")
        with gr.Row():
            self.before, self.after = [
                tr(gr.HTML, "", label=Text(key), show_label=True, container=True,
                   elem_id=f"dl-map-{side}", css_template=figures.MAP_CSS)
                for key, side in (("map.before", "before"), ("map.after", "after"))
            ]  # fmt: skip
        self.mapped = gr.State(None)  # the model whose map is shown, by name

    def _build_curves(self, name: dict) -> None:
        tr(gr.Markdown, value=Text("curves.intro"))
        # One block (#dl-curves) of ~420 px that Compute scrolls into view: at 1366x768 the
        # curves fell below the fold under the button.
        with gr.Column(elem_id="dl-curves"):
            with gr.Row(equal_height=True):
                self.model_a = self._picker(Text("curves.model_a"), name["mlp"], "dl-curves-a")
                self.model_b = self._picker(Text("curves.model_b"), name["cnn"], "dl-curves-b")
                self.curves_button = tr(
                    gr.Button, value=Text("curves.button"), variant="primary", scale=0,
                    min_width=200,
                )  # fmt: skip
            with gr.Row():
                self.plots = [
                    tr(gr.LinePlot, None, x="level", y="accuracy", color="model",
                       title=Text(title), show_label=False, height=260, y_lim=[0, 1],
                       x_title=Text(x_title), y_title=Text("curves.accuracy"),
                       color_title=Text("curves.model"), elem_id=f"dl-curve-{curve}",
                       min_width=240)
                    for curve, title, x_title in (
                        ("rotation", "curves.rotation", "curves.angle"),
                        ("thickness", "curves.thickness", "curves.pixels"),
                        ("noise", "curves.noise", "curves.sigma"),
                        ("shift", "curves.shift", "curves.moved"),
                    )
                ]  # fmt: skip
            # Under the curves: its summary, longer than the prompt, moves nothing when it comes.
            self.curves_line = gr.Markdown(t("curves.idle"), elem_id="dl-curves-line")
        self.curved = gr.State(None)  # the curves' summary values, to say again in a language

    def _wire(self, tab: gr.Tab, canvas: gr.HTML, runs: gr.State, lang: common.Language) -> None:
        controls = [*self.sliders, self.seed]
        # The view's inputs by field of Look (handlers get them as one Look, not 13 values).
        self.fields = {
            "drawing": canvas, "name": self.picker, **dict(zip(SLIDERS, self.sliders, strict=True)),
            "seed": self.seed, "runs": runs, "lang": lang.radio, "mapped": self.mapped,
            "cache": self.cache,
        }  # fmt: skip
        inputs = set(self.fields.values())
        outputs = [self.verdict, self.bars, self.pixels, self.before, self.after, self.map_line,
                   self.mapped]  # fmt: skip
        triggers = [tab.select, self.picker.change, *(c.change for c in controls)]
        gr.on(triggers, self._live, inputs, outputs, **PRIVATE, **SLIDING)
        defaults = [value for _, _, value in SLIDERS.values()]
        self.reset.click(lambda: defaults, None, self.sliders, **PRIVATE, queue=False)
        self.map_button.click(
            self._draw_map, inputs, [*outputs, self.cache], show_progress_on=[self.map_line],
            **PRIVATE, **HEAVY,
        )  # fmt: skip
        self.curves_button.click(
            self.curves, [self.model_a, self.model_b, runs, lang.radio, self.cache],
            [*self.plots, self.curves_line, self.curved, self.cache],
            show_progress_on=[self.curves_line], js=SHOW_CURVES, **PRIVATE, **HEAVY,
        )  # fmt: skip
        for picker in (self.picker, self.model_a, self.model_b):  # they learn of new runs
            picker.focus(common.picker_choices, [runs, lang.radio], picker, **PRIVATE)
        lang.then(self._language, {*inputs, self.curved}, [*outputs, self.curves_line,
                  self.picker, self.model_a, self.model_b])  # fmt: skip

    def look(self, values: dict) -> Look:
        """The view's inputs, as Gradio passes them (a dict by component), as one Look."""
        return Look(**{field: values[component] for field, component in self.fields.items()})

    def _live(self, values: dict) -> dict:
        return self.live(self.look(values))

    def _draw_map(self, values: dict, progress: gr.Progress = gr.Progress()) -> dict:  # noqa: B008
        return self.draw_map(self.look(values), progress)

    def _language(self, values: dict) -> dict:
        return self.language(self.look(values), values[self.curved])

    def _headline(self, probabilities, label: str = "", note: str = "", lang: str = DEFAULT):
        return headline(probabilities, label, note, lang, prompt="robust.empty")

    # The sliders, and the drawing on the map.

    def live(self, look: Look) -> dict:
        """The changed drawing, the model's answer, and its place on the map if one is shown."""
        runs, lang = look.runs, look.lang
        predictor, note = common.find_model(look.name, runs, lang)
        if predictor is None:
            return {self.verdict: self._headline(None, note=note, lang=lang)}
        try:
            ink = canvas_ink(look.drawing)
        except BadImage as error:
            note = t("draw.bad_canvas", lang, error=localize(error, lang))
            return {self.verdict: self._headline(None, note=note, lang=lang)}
        try:
            change = look.distortion()
        except (ValueError, TypeError) as error:  # Gradio keeps its sliders in range; the API not
            note = t("robust.bad", lang, error=localize(error, lang).rstrip("."))
            return {self.verdict: self._headline(None, note=note, lang=lang)}
        seen = None if ink is None else predictor.predict(ink)
        image = None if seen is None else robustness.apply(seen.image, change)[0].numpy()
        out = {self.pixels: pixels_html(image)}
        if image is None:
            out.update({self.verdict: self._headline(None, note=note, lang=lang),
                        self.bars: probability_frame(None)})  # fmt: skip
        else:
            moved = predictor.classify(image)
            label = common.model_label(predictor.name, runs, lang)
            out.update({self.verdict: self._headline(moved.probabilities, label, note, lang),
                        self.bars: probability_frame(finite(moved.probabilities))})  # fmt: skip
        return {**out, **self.placed(predictor, image, look)}

    def placed(self, predictor, image, look: Look) -> dict:
        """The maps with the drawing on them, if this model's are computed; else none shown."""
        runs, lang = look.runs, look.lang
        views = figures.find(look.cache, "map", predictor)
        model = common.model_label(predictor.name, runs, lang)
        if views is None:
            if look.mapped is None:  # no map shown: nothing to change
                return {}
            return {self.before: "", self.after: "", self.mapped: None,
                    self.map_line: t("map.press", lang, model=model)}  # fmt: skip
        (before, was), (after, now) = (view.place(image) for view in views)
        if image is None:
            line = t("map.empty", lang, model=model)
        else:
            line = t(
                "map.line", lang, model=model, digit=next(iter(now)),
                after=figures.neighbours(now, lang), before=figures.neighbours(was, lang),
            )  # fmt: skip
        return {self.before: before, self.after: after, self.map_line: line,
                self.mapped: predictor.name}  # fmt: skip

    def draw_map(self, look: Look, progress=lambda fraction, desc: None) -> dict:
        """Compute the model's maps before and after training (once per model), then place."""
        runs, lang = look.runs, look.lang
        predictor, _ = common.find_model(look.name, runs, lang)
        cache = look.cache or figures.session_cache()
        if predictor is None:
            return {self.map_line: t("draw.no_model", lang), self.cache: cache}
        if figures.find(cache, "map", predictor) is None:
            model = common.model_label(predictor.name, runs, lang)
            progress(0.05, desc=t("map.progress", lang, model=model))
            try:
                images, labels = figures.mnist_sample(digit_map.SAMPLE)
            except DataError as error:
                return {self.map_line: t("map.no_data", lang, error=localize(error, lang)),
                        self.cache: cache}  # fmt: skip
            seed = figures.run_seed(predictor, runs)
            fresh = Predictor(digit_map.untrained(predictor.model, seed))
            before = figures.MapView.of(fresh, images, labels)
            progress(0.5, desc=t("map.progress", lang, model=model))
            after = figures.MapView.of(predictor, images, labels)
            figures.keep(cache, "map", predictor, (before, after))
        out = self.live(dataclasses.replace(look, cache=cache))
        return {**out, self.cache: cache}

    # The curves.

    def curves(
        self, name_a, name_b, runs, lang: str = DEFAULT, cache: figures.ModelCache | None = None,
        progress: gr.Progress = gr.Progress(),  # noqa: B008
    ) -> dict:  # fmt: skip
        """Robustness curves of models A and B (each computed once), and what they show."""
        cache = cache or figures.session_cache()
        found = {}
        for which, name in (("A", name_a), ("B", name_b)):
            predictor, _ = common.find_model(name, runs, lang)
            if predictor is None:
                return {self.curves_line: t("draw.no_model", lang), self.cache: cache}
            curves = figures.find(cache, "curves", predictor)
            if curves is None:
                model = common.model_label(predictor.name, runs, lang)
                desc = t("curves.progress", lang, which=which, model=model)
                start = 0.0 if which == "A" else 0.5
                try:
                    images, labels = figures.mnist_sample(robustness.SAMPLE)
                except DataError as error:
                    line = t("curves.no_data", lang, error=localize(error, lang))
                    return {self.curves_line: line, self.cache: cache}
                curves = robustness.curves(
                    predictor, images, labels, lambda f, s=start, d=desc: progress(s + f / 2, d)
                )
                figures.keep(cache, "curves", predictor, curves)
            found[which] = (predictor.name, curves)
        plots = {
            plot: robustness_frame({which: c[curve] for which, (_, c) in found.items()})
            for plot, curve in zip(self.plots, robustness.CURVES, strict=True)
        }
        summary = {which: (name, figures.dict_of(c)) for which, (name, c) in found.items()}
        return {**plots, self.curves_line: figures.curves_line(summary, runs, lang),
                self.curved: summary, self.cache: cache}  # fmt: skip

    def language(self, look: Look, curved) -> dict:
        """After a language switch: the verdict, the map's and the curves' lines, the pickers."""
        runs, lang = look.runs, look.lang
        out = self.live(look)
        out.setdefault(self.map_line, t("map.idle", lang))  # no map shown: the prompt, in lang
        # The curves' line: their summary, or the prompt to compute them, in lang.
        out[self.curves_line] = (
            figures.curves_line(curved, runs, lang)
            if curved is not None
            else t("curves.idle", lang)
        )
        choices = common.model_choices(runs, lang)
        pickers = {p: gr.Dropdown(choices=choices) for p in (self.picker, self.model_a,
                                                              self.model_b)}  # fmt: skip
        return {**out, **pickers}
