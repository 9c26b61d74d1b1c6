"""DigitLab: draw a digit and watch models read it; train your own MNIST model and compare.

UI only: layout and event wiring, top to bottom, one tab at a time. The handlers are in
digitlab/ui/ (draw.py, train.py, look.py, shared.py), every text in digitlab/i18n.py (English
and Simplified Chinese), the models, trainer and preprocessing in digitlab/.
Run `python app.py` (host and port from GRADIO_SERVER_NAME / GRADIO_SERVER_PORT).
"""

from __future__ import annotations

import os
from types import SimpleNamespace

import gradio as gr

from digitlab import presets
from digitlab.config import ACTIVATIONS, OPTIMIZERS, SCHEDULES, TrainConfig
from digitlab.i18n import LANGUAGES, STRINGS, Text, t
from digitlab.sessions import MAX_SESSION_MODELS, SessionRuns, discard_session
from digitlab.ui import draw as drawing
from digitlab.ui import look as looking
from digitlab.ui import shared
from digitlab.ui import train as training
from digitlab.ui.draw import predict, predict_image  # noqa: F401 (tests call them)
from digitlab.ui.shared import SHIPPED
from digitlab.ui.words import Translated
from digitlab.views import DIGITS, headline, pixel_view, probability_frame

# One training run at a time by default: on a 2-core CPU Space two runs would just halve each
# other, and on a GPU one run saturates it. Queued students see their position in the status.
TRAIN_SLOTS = int(os.environ.get("DIGITLAB_TRAIN_SLOTS", "1"))
DEFAULTS = TrainConfig()
SUBSET_CHOICES = [300, 1_000, 3_000, 10_000, 30_000, 60_000]
DEFAULT_SUBSET = 10_000
BATCH_CHOICES = [16, 32, 64, 128, 256, 512]
WEIGHT_DECAY_CHOICES = [0.0, 1e-5, 1e-4, 1e-3, 1e-2]
FIRST_MODEL = (SHIPPED.names() or [None])[0]

CSS = """
.dl-headline { text-align: center; padding: 8px 0; }
.dl-digit { font-size: 96px; font-weight: 700; line-height: 1.05; }
.dl-conf { font-size: 22px; }
.dl-note { font-size: 14px; opacity: 0.75; margin-top: 6px; }
.dl-empty .dl-digit { opacity: 0.3; }
#dl-pixels img, #dl-probe-image img { image-rendering: pixelated; }
#dl-lang { max-width: 260px; margin-left: auto; }
"""
# 6.31 selects no tool on load and after "Clear canvas": click the Brush button for the student.
# Gradio 6.31 has no zh-CN text for the editor's tools, so "Brush" is the label in both.
SELECT_BRUSH = """
() => {
  const pick = (tries) => {
    const brush = document.querySelector('#dl-canvas button[aria-label="Brush"]');
    if (brush) { brush.click(); } else if (tries > 0) { setTimeout(() => pick(tries - 1), 100); }
  };
  pick(100);
}
"""
LIVE = dict(trigger_mode="always_last", show_progress="hidden", concurrency_limit=None)
PRIVATE = dict(api_visibility="private")

ui = Translated()  # every component with a translated text, for the language switch


def probability_plot(label: Text, height: int) -> gr.BarPlot:
    """Bars for digits 0-9 in fixed order on a fixed 0-1 scale."""
    return ui(
        gr.BarPlot, probability_frame(None), x="digit", y="probability", y_lim=[0, 1],
        sort=DIGITS, label=label, height=height, x_title=Text("plot.digit"),
        y_title=Text("plot.probability"),
    )  # fmt: skip


def curve_plot(title: Text, y: str, y_title: Text, **kwargs) -> gr.LinePlot:
    """A multi-run line chart over epochs."""
    # A title, not a label: 6.31 crops the legend by the label's height.
    return ui(
        gr.LinePlot, None, x="epoch", y=y, color="run", title=title, show_label=False, height=280,
        x_title=Text("plot.epoch"), y_title=y_title, color_title=Text("plot.run"), **kwargs,
    )  # fmt: skip


def draw_tab() -> SimpleNamespace:
    """Canvas, model picker, verdict, bars, the 28x28 input, shipped MLP vs CNN."""
    with gr.Row():
        with gr.Column(scale=1, min_width=320):
            canvas = ui(
                gr.Sketchpad, label=Text("draw.canvas"), canvas_size=(280, 280), transforms=(),
                brush=gr.Brush(default_size=12, colors=["#000000"], color_mode="fixed"),
                layers=False, format="png", elem_id="dl-canvas",
            )  # fmt: skip
            picker = ui(
                gr.Dropdown, choices=shared.model_choices(None), value=FIRST_MODEL,
                label=Text("draw.model"), info=Text("draw.model_info", n=MAX_SESSION_MODELS),
                elem_id="dl-picker",
            )  # fmt: skip
        with gr.Column(scale=1, min_width=320):
            verdict = gr.HTML(headline(None, ""), elem_id="dl-verdict")
            bars = probability_plot(Text("draw.probabilities"), height=240)
        with gr.Column(scale=1, min_width=300):
            pixels = ui(
                gr.Image, pixel_view(None), label=Text("draw.pixels"), interactive=False,
                buttons=[], elem_id="dl-pixels", height=300,
            )  # fmt: skip
    ui(gr.Markdown, value=Text("draw.compare"))
    with gr.Row():
        mlp_bars = probability_plot(Text("draw.shipped_mlp"), height=200)
        cnn_bars = probability_plot(Text("draw.shipped_cnn"), height=200)
    outputs = [verdict, bars, pixels, mlp_bars, cnn_bars]
    return SimpleNamespace(canvas=canvas, picker=picker, outputs=outputs)


def settings_column() -> SimpleNamespace:
    """The Train tab's settings, preset picker and Train/Stop buttons."""
    preset = ui(
        gr.Dropdown, presets.choices(), value=None, label=Text("train.preset"),
        info=Text("train.preset_info"), elem_id="dl-preset",
    )  # fmt: skip
    preset_note = gr.Markdown("", elem_id="dl-preset-note")
    arch = ui(gr.Radio, ["MLP", "CNN"], value=DEFAULTS.model.upper(), label=Text("train.model"))
    with gr.Group(visible=DEFAULTS.model == "mlp") as mlp_group:
        hidden = ui(
            gr.Textbox, ", ".join(map(str, DEFAULTS.hidden)), label=Text("train.hidden"),
            info=Text("train.hidden_info"), elem_id="dl-hidden",
        )  # fmt: skip
        activation = ui(
            gr.Dropdown, list(ACTIVATIONS), value=DEFAULTS.activation,
            label=Text("train.activation"),
        )  # fmt: skip
    with gr.Group(visible=DEFAULTS.model == "cnn") as cnn_group:
        channels = ui(
            gr.Textbox, ", ".join(map(str, DEFAULTS.channels)), label=Text("train.channels"),
            info=Text("train.channels_info"),
        )  # fmt: skip
        batch_norm = ui(gr.Checkbox, DEFAULTS.batch_norm, label=Text("train.batch_norm"))
    lr_log10 = ui(
        gr.Slider, -4, 0, value=training.lr_log10_default(DEFAULTS.lr), step=0.01,
        label=Text("train.lr"),
    )  # fmt: skip
    lr_note = gr.Markdown(
        training.lr_text(training.lr_log10_default(DEFAULTS.lr)), elem_id="dl-lr-text"
    )
    epochs = ui(gr.Slider, 1, 20, value=DEFAULTS.epochs, step=1, label=Text("train.epochs"))
    subset = ui(
        gr.Dropdown, SUBSET_CHOICES, value=DEFAULT_SUBSET, label=Text("train.subset"),
        info=Text("train.subset_info"), elem_id="dl-train-images",
    )  # fmt: skip
    with gr.Row():
        batch_size = ui(
            gr.Dropdown, BATCH_CHOICES, value=DEFAULTS.batch_size, label=Text("train.batch_size")
        )
        optimizer = ui(
            gr.Dropdown, list(OPTIMIZERS), value=DEFAULTS.optimizer, label=Text("train.optimizer")
        )
    with ui(gr.Accordion, label=Text("train.more"), open=False):
        weight_decay = ui(
            gr.Dropdown, WEIGHT_DECAY_CHOICES, value=DEFAULTS.weight_decay,
            label=Text("train.weight_decay"),
        )  # fmt: skip
        dropout = ui(
            gr.Slider, 0, 0.8, value=DEFAULTS.dropout, step=0.05, label=Text("train.dropout")
        )
        schedule = ui(
            gr.Radio, list(SCHEDULES), value=DEFAULTS.schedule, label=Text("train.schedule")
        )
        augment = ui(gr.Checkbox, DEFAULTS.augment, label=Text("train.augment"))
        seed = ui(gr.Number, DEFAULTS.seed, precision=0, label=Text("train.seed"))
    with gr.Row():
        train_btn = ui(gr.Button, value=Text("train.train"), variant="primary")
        stop_btn = ui(gr.Button, value=Text("train.stop"), variant="stop")
    controls = [
        arch, hidden, activation, channels, batch_norm, lr_log10, epochs, batch_size, optimizer,
        weight_decay, dropout, schedule, augment, subset, seed,
    ]  # fmt: skip
    return SimpleNamespace(
        preset=preset, preset_note=preset_note, arch=arch, mlp_group=mlp_group,
        cnn_group=cnn_group, lr_log10=lr_log10, lr_note=lr_note, train_btn=train_btn,
        stop_btn=stop_btn, controls=controls,
    )  # fmt: skip


def results_column() -> SimpleNamespace:
    """Status, the overlaid curves, the followed drawing, the runs, downloads and export."""
    status = ui(
        gr.Textbox, value=t("train.idle"), label=Text("train.status"), interactive=False,
        elem_id="dl-status",
    )  # fmt: skip
    with gr.Row():
        loss_plot = curve_plot(
            Text("train.loss"), "loss", Text("plot.loss"), elem_id="dl-loss-plot"
        )
        accuracy_plot = curve_plot(Text("train.accuracy"), "test accuracy", Text("plot.accuracy"))
    with gr.Row(equal_height=True):
        probe_image = ui(
            gr.Image, None, label=Text("train.probe_image"), interactive=False, buttons=[],
            height=200, scale=1, min_width=160, elem_id="dl-probe-image",
        )  # fmt: skip
        with gr.Column(scale=4):
            probe_line = gr.Markdown(t("train.probe_hint"), elem_id="dl-probe-line")
            probe_plot = ui(
                gr.LinePlot, None, x="epoch", y="probability", color="digit", y_lim=[0, 1],
                title=Text("train.probe"), show_label=False, height=280,
                x_title=Text("plot.epoch"),
                y_title=Text("plot.probability"), color_title=Text("plot.digit"),
                elem_id="dl-probe-plot",
            )  # fmt: skip
    shown_runs = ui(
        gr.CheckboxGroup, [], label=Text("train.shown"), info=Text("train.shown_info"),
        elem_id="dl-shown-runs",
    )  # fmt: skip
    runs_table = ui(
        gr.Dataframe, SessionRuns().table(), label=Text("train.table"), interactive=False,
        elem_id="dl-runs",
    )  # fmt: skip
    downloads = ui(
        gr.File, label=Text("train.downloads", n=MAX_SESSION_MODELS), file_count="multiple",
        interactive=False,
    )  # fmt: skip
    with gr.Row(equal_height=True):
        export_pick = ui(
            gr.Dropdown, [], label=Text("train.export"), info=Text("train.export_info"),
            elem_id="dl-export-pick",
        )  # fmt: skip
        export_btn = ui(gr.Button, value=Text("train.export_button"), elem_id="dl-export-btn")
    export_file = ui(
        gr.File, label=Text("train.script"), interactive=False, elem_id="dl-export-file"
    )
    return SimpleNamespace(
        status=status, loss_plot=loss_plot, accuracy_plot=accuracy_plot, probe_image=probe_image,
        probe_line=probe_line, probe_plot=probe_plot, shown_runs=shown_runs,
        runs_table=runs_table, downloads=downloads, export_pick=export_pick,
        export_btn=export_btn, export_file=export_file,
    )  # fmt: skip


def inside_tab() -> SimpleNamespace:
    """Preprocessing strip and switch, saliency, first-layer weights, CNN feature maps."""
    ui(gr.Markdown, value=Text("inside.intro"))
    with gr.Row():
        preprocessing = ui(
            gr.Checkbox, True, label=Text("inside.preprocessing"), scale=1,
            info=Text("inside.preprocessing_info"), elem_id="dl-preprocessing",
        )  # fmt: skip
        line = gr.Markdown(t("inside.empty"), elem_id="dl-inside-line")
    strip = ui(
        gr.Gallery, label=Text("inside.strip"), columns=4, height=310, object_fit="contain",
        format="png", elem_id="dl-strip",
    )  # fmt: skip
    with gr.Row():
        saliency = ui(
            gr.Image, label=Text("inside.saliency"), interactive=False, height=320, buttons=[],
            elem_id="dl-saliency",
        )  # fmt: skip
        weights = ui(
            gr.Gallery, looking.first_layer(None, None), columns=6, height=320, format="png",
            label=Text("inside.weights"), elem_id="dl-weights",
        )  # fmt: skip
    maps = ui(
        gr.Gallery, label=Text("inside.maps"), columns=8, height=300, format="png",
        elem_id="dl-maps",
    )  # fmt: skip
    return SimpleNamespace(
        preprocessing=preprocessing, weights=weights, outputs=[strip, line, saliency, maps]
    )


def evaluate_tab() -> SimpleNamespace:
    """Model picker, accuracy, per-digit table, confusion picture, mistakes gallery."""
    with gr.Row():
        picker = ui(
            gr.Dropdown, shared.model_choices(None), value=FIRST_MODEL, label=Text("draw.model"),
            info=Text("eval.model_info"), elem_id="dl-eval-picker",
        )  # fmt: skip
        button = ui(gr.Button, value=Text("eval.button"), variant="primary")
    summary = gr.Markdown(t("eval.idle"), elem_id="dl-eval-summary")
    with gr.Row():
        confusion = ui(
            gr.Image, label=Text("eval.confusion"), interactive=False, height=460, buttons=[],
            elem_id="dl-confusion",
        )  # fmt: skip
        per_digit = ui(gr.Dataframe, label=Text("eval.per_digit"), interactive=False)
    mistakes = ui(
        gr.Gallery, label=Text("eval.mistakes"), columns=5, height=520, format="png",
        elem_id="dl-mistakes",
    )  # fmt: skip
    return SimpleNamespace(
        picker=picker, button=button, summary=summary,
        outputs=[summary, per_digit, confusion, mistakes],
    )  # fmt: skip


def relabel(
    lang: str, runs, preset_key, lr_log10, status, summary, probe_line, request: gr.Request
):
    """Every label, help text, choice, chart and message still showing, in the chosen language."""
    plots = (results.loss_plot, results.accuracy_plot)  # their titles change in the next step
    curves = dict(zip(plots, training.all_curves(runs, request), strict=True))
    return (
        *ui.updates(lang, instead=curves), shared.picker_choices(runs, lang),
        shared.picker_choices(runs, lang), gr.Dropdown(choices=presets.choices(lang)),
        training.lesson_text(preset_key, lang), training.lr_text(lr_log10, lang),
        training.export_choices(runs, lang), training.list_runs(runs),
        (runs or SessionRuns()).table(lang), *training.results_in(lang, runs, status, probe_line),
        shared.said_again(summary, lang, lambda code: t("eval.idle", code)),
    )  # fmt: skip


with gr.Blocks(title="DigitLab") as demo:
    runs_state = gr.State(None, delete_callback=discard_session)
    with gr.Row(equal_height=True):
        ui(gr.Markdown, value=Text("app.intro"))
        lang = gr.Radio(
            [(name, code) for code, name in LANGUAGES.items()], value="en",
            label=STRINGS["app.language"][0], elem_id="dl-lang", scale=0, min_width=240,
        )  # fmt: skip
    for problem in SHIPPED.problems:
        ui(gr.Markdown, value=Text("app.warning", problem=problem))

    with ui(gr.Tab, label=Text("tab.draw")):
        draw = draw_tab()
    with ui(gr.Tab, label=Text("tab.train")), gr.Row():
        with gr.Column(scale=1, min_width=320):
            settings = settings_column()
        with gr.Column(scale=2):
            results = results_column()
    with ui(gr.Tab, label=Text("tab.inside")):
        look = inside_tab()
    with ui(gr.Tab, label=Text("tab.evaluate")):
        evaluation = evaluate_tab()

    # Draw tab: live prediction never queues behind itself or behind training.
    draw_inputs = [draw.canvas, draw.picker, runs_state, lang]
    draw.canvas.change(predict, draw_inputs, draw.outputs, api_name="predict", **LIVE)
    draw.picker.change(predict, draw_inputs, draw.outputs, **PRIVATE, **LIVE)
    draw.canvas.clear(
        drawing.clear_canvas, draw_inputs[1:], draw.outputs, js=SELECT_BRUSH, **PRIVATE, **LIVE
    )
    gr.api(predict_image, api_name="predict_image", concurrency_limit=None)

    # Train tab.
    s, r = settings, results
    s.arch.change(training.show_model_controls, s.arch, [s.mlp_group, s.cnn_group], **PRIVATE)
    s.lr_log10.change(training.lr_text, [s.lr_log10, lang], s.lr_note, **PRIVATE, **LIVE)
    train_outputs = [
        r.status, r.loss_plot, r.accuracy_plot, r.probe_plot, r.probe_image, r.probe_line,
        runs_state, draw.picker, r.runs_table, r.downloads,
    ]  # fmt: skip
    s.train_btn.click(
        training.queue_training, lang, [r.status, s.train_btn], concurrency_limit=None,
        show_progress="hidden", **PRIVATE,
    ).success(
        training.train, [*s.controls, runs_state, lang], train_outputs, api_name="train",
        concurrency_limit=TRAIN_SLOTS, concurrency_id="train", show_progress="minimal",
        show_progress_on=[r.status],
    ).then(training.after_training, runs_state, [s.train_btn, r.shown_runs], **PRIVATE)  # fmt: skip
    s.stop_btn.click(
        training.stop_training, lang, None, api_name="stop", concurrency_limit=None,
        show_progress="hidden",
    )  # fmt: skip
    s.preset.input(training.apply_preset, [s.preset, lang], [s.preset_note, *s.controls], **PRIVATE)
    r.export_pick.focus(training.export_choices, [runs_state, lang], r.export_pick, **PRIVATE)
    r.export_btn.click(training.export_run, [r.export_pick, runs_state, lang], r.export_file,
                       api_name="export")  # fmt: skip
    r.shown_runs.input(
        training.show_runs, [r.shown_runs, runs_state], [r.loss_plot, r.accuracy_plot],
        show_progress="hidden", **PRIVATE,
    )  # fmt: skip

    # Inside tab: its own listeners, so the Draw tab's prediction never waits for it. One
    # listener for all three triggers: with always_last, a slow result for an older stroke can
    # never land after (and overwrite) the result for a newer switch or model.
    inside_inputs = [draw.canvas, draw.picker, look.preprocessing, runs_state, lang]
    inside_triggers = [draw.canvas.change, draw.picker.change, look.preprocessing.change]
    gr.on(inside_triggers, looking.inside, inside_inputs, look.outputs, **PRIVATE, **LIVE)
    draw.canvas.clear(
        lambda *args: looking.inside(None, *args[1:]),
        inside_inputs,
        look.outputs,
        **PRIVATE,
        **LIVE,
    )
    draw.picker.change(
        looking.first_layer, [draw.picker, runs_state, lang], look.weights, **PRIVATE
    )

    # Evaluate tab: the picker learns about new runs when opened.
    e = evaluation
    e.picker.focus(shared.picker_choices, [runs_state, lang], e.picker, **PRIVATE)
    e.button.click(
        looking.evaluate_model, [e.picker, runs_state, lang], e.outputs, api_name="evaluate",
        show_progress="minimal", show_progress_on=[e.summary],
    )  # fmt: skip

    # Language: from ?lang= or the browser on load, then whenever the student switches.
    demo.load(shared.language, None, lang, **PRIVATE)
    lang.change(
        relabel, [lang, runs_state, s.preset, s.lr_log10, r.status, e.summary, r.probe_line],
        [
            *ui.outputs, draw.picker, e.picker, s.preset, s.preset_note, s.lr_note,
            r.export_pick, r.shown_runs, r.runs_table, r.status, r.probe_line, e.summary,
        ],
        show_progress="hidden", **PRIVATE,
    ).then(
        lambda code: [ui.update(plot, code) for plot in (r.loss_plot, r.accuracy_plot)], lang,
        [r.loss_plot, r.accuracy_plot], show_progress="hidden", **PRIVATE,
    ).then(predict, draw_inputs, draw.outputs, **PRIVATE, **LIVE).then(
        looking.inside, inside_inputs, look.outputs, **PRIVATE, **LIVE
    ).then(
        looking.first_layer, [draw.picker, runs_state, lang], look.weights, **PRIVATE
    )  # fmt: skip


def launch(**kwargs):
    """Start the app with its CSS and brush fix; kwargs go to demo.launch()."""
    # Uploads (canvas PNGs, images) are capped: a 280x280 drawing is a few kB.
    kwargs.setdefault("max_file_size", "5mb")
    return demo.launch(css=CSS, js=SELECT_BRUSH, **kwargs)


if __name__ == "__main__":
    launch()
