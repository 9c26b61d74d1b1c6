"""DigitLab: draw a digit and watch models read it; train your own MNIST model and compare.

UI only: layout and event wiring. The models, trainer and preprocessing live in digitlab/;
shared and per-session state in digitlab/sessions.py, live training runs in digitlab/live.py,
display data in digitlab/views.py.
Run `python app.py` (host and port from GRADIO_SERVER_NAME / GRADIO_SERVER_PORT).
"""

from __future__ import annotations

import math
import os

import gradio as gr
import numpy as np

from digitlab import teach
from digitlab.config import ACTIVATIONS, OPTIMIZERS, SCHEDULES, ConfigError, TrainConfig
from digitlab.data import DataError, load_mnist
from digitlab.export import run_choices, write_script
from digitlab.live import LiveView, TrainingFailed, TrainingRun
from digitlab.preprocess import editor_to_image, to_mnist
from digitlab.presets import BY_NAME as PRESETS
from digitlab.safety import BadImage, check_canvas, decode_image
from digitlab.sessions import (
    MAX_SESSION_MODELS,
    SessionRuns,
    ShippedModels,
    StopFlags,
    config_from_controls,
    discard_session,
)
from digitlab.views import DIGITS, curve_frame, headline, pixel_view, probability_frame

# One training run at a time by default: on a 2-core CPU Space two runs would just halve each
# other, and on a GPU one run saturates it. Queued students see their position in the status.
TRAIN_SLOTS = int(os.environ.get("DIGITLAB_TRAIN_SLOTS", "1"))
DEFAULTS = TrainConfig()
SUBSET_CHOICES = [300, 1_000, 3_000, 10_000, 30_000, 60_000]
DEFAULT_SUBSET = 10_000
BATCH_CHOICES = [16, 32, 64, 128, 256, 512]
WEIGHT_DECAY_CHOICES = [0.0, 1e-5, 1e-4, 1e-3, 1e-2]

SHIPPED = ShippedModels()  # loaded once, shared read-only by every session
STOP_FLAGS = StopFlags()

CSS = """
.dl-headline { text-align: center; padding: 8px 0; }
.dl-digit { font-size: 96px; font-weight: 700; line-height: 1.05; }
.dl-conf { font-size: 22px; }
.dl-note { font-size: 14px; opacity: 0.75; margin-top: 6px; }
.dl-empty .dl-digit { opacity: 0.3; }
#dl-pixels img { image-rendering: pixelated; }
"""
# 6.31 selects no tool on load and after "Clear canvas": click the Brush button for the student.
SELECT_BRUSH = """
() => {
  const pick = (tries) => {
    const brush = document.querySelector('#dl-canvas button[aria-label="Brush"]');
    if (brush) { brush.click(); } else if (tries > 0) { setTimeout(() => pick(tries - 1), 100); }
  };
  pick(100);
}
"""
SHOW_LR = "(x) => `learning rate = ${Number(Math.pow(10, x).toPrecision(2))}`"


def model_choices(runs: SessionRuns | None) -> list[str]:
    """Shipped models first, then this session's kept runs, newest last."""
    session = [r.name for r in runs.with_models()] if runs else []
    return SHIPPED.names() + session


def find_model(name: str | None, runs: SessionRuns | None):
    """The predictor for a picker name, falling back to the first shipped model."""
    predictor = SHIPPED.get(name or "") or (runs.get(name or "") if runs else None)
    if predictor is not None:
        return predictor, ""
    fallback = SHIPPED.names()[0] if SHIPPED.names() else None
    if fallback is None:
        return None, "No model yet: train one in the Train tab."
    note = f"{name} is no longer kept; showing {fallback}." if name else ""
    return SHIPPED.get(fallback), note


def classify(image28: np.ndarray | None, model_name: str | None, runs: SessionRuns | None):
    """Headline, bars, pixel view and the shipped MLP/CNN bars for one 28x28 image."""
    predictor, note = find_model(model_name, runs)
    if image28 is None or predictor is None:
        empty = probability_frame(None)
        return headline(None, "", note), empty, pixel_view(image28), empty, empty
    compare = [SHIPPED.of_kind(kind) for kind in ("mlp", "cnn")]
    probs = [p.probabilities(image28)[0] if p else None for p in [predictor, *compare]]
    return (
        headline(probs[0], predictor.name, note),
        probability_frame(probs[0]),
        pixel_view(image28),
        probability_frame(probs[1]),
        probability_frame(probs[2]),
    )


def predict(sketch: dict | None, model_name: str | None, runs: SessionRuns | None):
    """Classify the canvas with the picked model (called after every stroke)."""
    try:
        check_canvas(sketch)
    except BadImage as error:
        raise gr.Error(f"canvas: {error}") from None
    ink = editor_to_image(sketch)
    return classify(None if ink is None else to_mnist(ink), model_name, runs)


def predict_image(image: str, model: str = "") -> dict:
    """Classify a base64 PNG/JPEG (data URL or bare base64) with a shipped model.

    model: a picker name, "cnn" or "mlp"; empty = the first shipped model. Returns
    {"digit", "confidence", "probabilities", "model"}; digit is null for an empty image.
    """
    if not isinstance(model, str):
        raise gr.Error('model: expected a name such as "cnn" or "mlp" (or "" for the default).')
    predictor = SHIPPED.of_kind(model.lower()) or find_model(model, None)[0]
    if predictor is None:
        raise gr.Error("No shipped model is installed on this server.")
    try:
        picture = decode_image(image)  # size limits are checked before any pixel is decoded
    except BadImage as error:
        raise gr.Error(f"image: {error}") from None
    image28 = to_mnist(picture)
    if image28 is None:
        return {"digit": None, "confidence": 0.0, "probabilities": [0.0] * 10, "model": ""}
    probs = predictor.probabilities(image28)[0]
    digit = int(probs.argmax())
    return {
        "digit": digit,
        "confidence": float(probs[digit]),
        "probabilities": [float(p) for p in probs],
        "model": predictor.name,
    }


def show_model_controls(model: str):
    """Show the MLP's or the CNN's size controls."""
    return gr.Group(visible=model == "MLP"), gr.Group(visible=model == "CNN")


def queue_training(request: gr.Request):
    """Arm this session's stop flag before the run waits for a training slot."""
    STOP_FLAGS.arm(request.session_hash)
    return "Waiting for a training slot…", gr.Button(interactive=False)


def train(
    model, hidden, activation, channels, batch_norm, lr_log10, epochs, batch_size, optimizer,
    weight_decay, dropout, schedule, augment, subset, seed,
    runs: SessionRuns | None, request: gr.Request,
):  # fmt: skip
    """Train a model with these settings, streaming status, loss and test-accuracy curves."""
    try:
        cfg = config_from_controls(
            model, hidden, activation, channels, batch_norm, lr_log10, epochs, batch_size,
            optimizer, weight_decay, dropout, schedule, augment, subset, seed,
        )  # fmt: skip
    except ConfigError as error:
        raise gr.Error(f"Invalid settings: {error}", title="Invalid settings") from None
    runs = runs or SessionRuns()
    stop = STOP_FLAGS.claim(request.session_hash)
    try:
        if stop.is_set():
            yield "Stopped before it started.", *[gr.skip()] * 6
            return
        # 6.31 plots fix their colour scale when first drawn: empty them so the new run gets one.
        yield "Starting…", None, None, *[gr.skip()] * 4
        with TrainingRun(cfg, stop) as run:
            for view in run.updates():
                yield training_outputs(view, runs)
    except TrainingFailed as error:
        raise gr.Error(str(error), title="Training failed") from None
    finally:
        STOP_FLAGS.release(request.session_hash, stop)


def training_outputs(view: LiveView, runs: SessionRuns):
    """Status and curves while a run goes; the session's runs too once it is done."""
    if view.done is not None:
        runs.add(view.done, view.losses, view.accuracies)
    losses, accuracies = runs.curves()
    if view.done is None:
        current = f"Run {len(runs.records) + 1}"
        losses[current], accuracies[current] = view.losses, view.accuracies
    plots = curve_frame(losses, "loss"), curve_frame(accuracies, "test accuracy")
    rest = session_outputs(runs) if view.done is not None else [gr.skip()] * 4
    return view.status, *plots, *rest


def session_outputs(runs: SessionRuns):
    """The session's state, picker choices, run table and checkpoint files."""
    return runs, gr.Dropdown(choices=model_choices(runs)), runs.table(), runs.files()


def stop_training(request: gr.Request) -> None:
    """Ask this session's run to stop; it ends at the next step and keeps the partial model."""
    if not STOP_FLAGS.stop(request.session_hash):
        gr.Info("No training run is going in this session.")


def enable_train_button():
    """Re-enable Train however the run ended (finished, failed or cancelled)."""
    return gr.Button(interactive=True)


def apply_preset(name: str | None):
    """Fill the Train tab's settings from a lesson preset, with its one-line explanation."""
    preset = PRESETS.get(name or "")
    if preset is None:
        return "", *[gr.skip()] * 15
    return f"💡 {preset.lesson}", *preset.values()


def inside(sketch: dict | None, model_name: str | None, preprocessing: bool, runs):
    """Inside tab for the Draw tab's drawing and model: strip, verdict, saliency, maps."""
    predictor, _ = find_model(model_name, runs)
    if predictor is None:
        return [], "No model yet: train one in the Train tab.", None, []
    try:
        check_canvas(sketch)
    except BadImage:
        sketch = None  # the Draw tab already says what is wrong with it
    return teach.inside_views(editor_to_image(sketch), predictor, bool(preprocessing))


def first_layer(model_name: str | None, runs) -> list:
    """The picked model's first-layer weights (they do not change with the drawing)."""
    predictor, _ = find_model(model_name, runs)
    return [] if predictor is None else teach.first_layer_gallery(predictor)


def evaluate_model(model_name: str | None, runs):
    """Test accuracy, per-digit table, confusion picture and most confident mistakes."""
    predictor, note = find_model(model_name, runs)
    if predictor is None:
        raise gr.Error("No model to evaluate yet: train one in the Train tab.")
    try:
        data = load_mnist()
    except DataError as error:
        raise gr.Error(str(error), title="No MNIST test set") from None
    summary, per_digit, picture, gallery = teach.evaluate_views(predictor, data)
    return (f"{note}\n\n{summary}" if note else summary), per_digit, picture, gallery


def export_run(name: str | None, runs) -> str:
    """A standalone PyTorch script that reproduces the chosen run (default: the newest)."""
    try:
        path, stopped = write_script(runs, name)
    except LookupError as error:
        raise gr.Error(str(error)) from None
    if stopped:
        gr.Info("That run was stopped early; the script trains for its full length.")
    return str(path)


def list_runs(runs):
    """Tick every run with curves once a run finishes."""
    labels = teach.run_labels(runs)
    return gr.CheckboxGroup(choices=labels, value=labels)


def show_runs(shown: list[str], runs):
    """Redraw the overlaid charts with the ticked runs only."""
    # No emptying first (unlike train()): every ticked run is already in the colour scale, and
    # a None-then-data pair raced the plot's resize code in the browser (a null offsetWidth).
    return teach.shown_curves(runs, shown)


def probability_plot(label: str, height: int) -> gr.BarPlot:
    """Bars for digits 0-9 in fixed order on a fixed 0-1 scale."""
    return gr.BarPlot(
        probability_frame(None), x="digit", y="probability", y_lim=[0, 1], sort=DIGITS,
        label=label, height=height,
    )  # fmt: skip


with gr.Blocks(title="DigitLab") as demo:
    runs_state = gr.State(None, delete_callback=discard_session)
    gr.Markdown("# DigitLab\nDraw a digit and see what a neural network reads; train your own.")
    for problem in SHIPPED.problems:
        gr.Markdown(f"⚠️ {problem}")

    with gr.Tab("Draw"):
        with gr.Row():
            with gr.Column(scale=1, min_width=320):
                canvas = gr.Sketchpad(
                    label="Draw a digit (0-9)",
                    canvas_size=(280, 280),
                    transforms=(),
                    brush=gr.Brush(default_size=12, colors=["#000000"], color_mode="fixed"),
                    layers=False,
                    format="png",
                    elem_id="dl-canvas",
                )
                picker = gr.Dropdown(
                    choices=model_choices(None),
                    value=(SHIPPED.names() or [None])[0],
                    label="Model",
                    elem_id="dl-picker",
                    info=f"Shipped models, then your runs (the last {MAX_SESSION_MODELS}).",
                )
            with gr.Column(scale=1, min_width=320):
                verdict = gr.HTML(headline(None, ""), elem_id="dl-verdict")
                bars = probability_plot("Probabilities", height=240)
            with gr.Column(scale=1, min_width=300):
                pixels = gr.Image(
                    pixel_view(None), label="What the model sees (28x28)", interactive=False,
                    buttons=[], elem_id="dl-pixels", height=300,
                )  # fmt: skip
        gr.Markdown("### Same drawing, shipped MLP vs shipped CNN")
        with gr.Row():
            mlp_bars = probability_plot("Shipped MLP", height=200)
            cnn_bars = probability_plot("Shipped CNN", height=200)

    with gr.Tab("Train"), gr.Row():
        with gr.Column(scale=1, min_width=320):
            preset = gr.Dropdown(
                list(PRESETS), value=None, label="Lesson preset", elem_id="dl-preset",
                info="Fills the settings below for a classic lesson; then press Train.",
            )  # fmt: skip
            preset_note = gr.Markdown("", elem_id="dl-preset-note")
            arch = gr.Radio(["MLP", "CNN"], value=DEFAULTS.model.upper(), label="Model")
            with gr.Group(visible=DEFAULTS.model == "mlp") as mlp_group:
                hidden = gr.Textbox(
                    ", ".join(map(str, DEFAULTS.hidden)), label="MLP hidden sizes",
                    info="comma-separated, e.g. 256, 128 (empty = linear model)",
                )  # fmt: skip
                activation = gr.Dropdown(
                    list(ACTIVATIONS), value=DEFAULTS.activation, label="Activation"
                )
            with gr.Group(visible=DEFAULTS.model == "cnn") as cnn_group:
                channels = gr.Textbox(
                    ", ".join(map(str, DEFAULTS.channels)), label="CNN channels",
                    info="1-3 conv stages, e.g. 16, 32",
                )  # fmt: skip
                batch_norm = gr.Checkbox(DEFAULTS.batch_norm, label="Batch norm")
            lr_log10 = gr.Slider(
                -4, 0, value=round(math.log10(DEFAULTS.lr), 2), step=0.01,
                label="Learning rate (log10 scale: -4 = 0.0001, 0 = 1)",
            )  # fmt: skip
            lr_text = gr.Markdown(f"learning rate = {DEFAULTS.lr:.2g}")
            epochs = gr.Slider(1, 20, value=DEFAULTS.epochs, step=1, label="Epochs")
            subset = gr.Dropdown(
                SUBSET_CHOICES, value=DEFAULT_SUBSET, label="Training images",
                info="from a few hundred to all 60,000", elem_id="dl-train-images",
            )  # fmt: skip
            with gr.Row():
                batch_size = gr.Dropdown(
                    BATCH_CHOICES, value=DEFAULTS.batch_size, label="Batch size"
                )
                optimizer = gr.Dropdown(
                    list(OPTIMIZERS), value=DEFAULTS.optimizer, label="Optimizer"
                )
            with gr.Accordion("More settings", open=False):
                weight_decay = gr.Dropdown(
                    WEIGHT_DECAY_CHOICES, value=DEFAULTS.weight_decay, label="Weight decay"
                )
                dropout = gr.Slider(0, 0.8, value=DEFAULTS.dropout, step=0.05, label="Dropout")
                schedule = gr.Radio(list(SCHEDULES), value=DEFAULTS.schedule, label="LR schedule")
                augment = gr.Checkbox(DEFAULTS.augment, label="Augment (rotate, scale, shift)")
                seed = gr.Number(DEFAULTS.seed, precision=0, label="Seed")
            with gr.Row():
                train_btn = gr.Button("Train", variant="primary")
                stop_btn = gr.Button("Stop", variant="stop")
        with gr.Column(scale=2):
            status = gr.Textbox(
                "Pick settings and press Train.", label="Status", interactive=False,
                elem_id="dl-status",
            )  # fmt: skip
            with gr.Row():
                loss_plot = gr.LinePlot(
                    None, x="epoch", y="loss", color="run",
                    label="Training loss", height=260, elem_id="dl-loss-plot",
                )  # fmt: skip
                accuracy_plot = gr.LinePlot(
                    None, x="epoch", y="test accuracy",
                    color="run", label="Test accuracy", height=260,
                )  # fmt: skip
            shown_runs = gr.CheckboxGroup(
                [], label="Show runs in the charts", elem_id="dl-shown-runs",
                info="Untick a run to hide it (all show again while a new run trains).",
            )  # fmt: skip
            runs_table = gr.Dataframe(
                SessionRuns().table(), label="Runs in this session", interactive=False,
                elem_id="dl-runs",
            )  # fmt: skip
            downloads = gr.File(
                label=f"Checkpoints of your last {MAX_SESSION_MODELS} runs",
                file_count="multiple", interactive=False,
            )  # fmt: skip
            with gr.Row(equal_height=True):
                export_pick = gr.Dropdown(
                    [], label="Export a run as a PyTorch script", elem_id="dl-export-pick",
                    info="Exact settings and seed; runs without DigitLab (newest if none picked).",
                )  # fmt: skip
                export_btn = gr.Button("Export script", elem_id="dl-export-btn")
            export_file = gr.File(label="Script", interactive=False, elem_id="dl-export-file")

    with gr.Tab("Inside"):
        gr.Markdown(
            "What the model picked in the **Draw** tab does with your drawing. Draw there; "
            "this tab follows every stroke."
        )
        with gr.Row():
            preprocessing = gr.Checkbox(
                True, label="Preprocessing (crop, scale to 20 px, centre)", scale=1,
                info="Off: the whole canvas squashed to 28x28. Watch the prediction change.",
                elem_id="dl-preprocessing",
            )  # fmt: skip
            inside_line = gr.Markdown(teach.EMPTY_NOTE, elem_id="dl-inside-line")
        strip = gr.Gallery(
            label="Preprocessing, step by step", columns=4, height=310, object_fit="contain",
            format="png", elem_id="dl-strip",
        )  # fmt: skip
        with gr.Row():
            saliency_view = gr.Image(
                label="Saliency: red = pixels that change the answer most", interactive=False,
                height=320, buttons=[], elem_id="dl-saliency",
            )  # fmt: skip
            weights_view = gr.Gallery(
                first_layer(None, None), columns=6, height=320, format="png",
                label="First layer: 32 MLP units (28x28) or CNN 3x3 filters; red +, blue -",
                elem_id="dl-weights",
            )  # fmt: skip
        maps_view = gr.Gallery(
            label="CNN feature maps after the first conv stage (bright = strong response)",
            columns=8, height=300, format="png", elem_id="dl-maps",
        )  # fmt: skip

    with gr.Tab("Evaluate"):
        with gr.Row():
            eval_picker = gr.Dropdown(
                model_choices(None), value=(SHIPPED.names() or [None])[0], label="Model",
                info="Shipped models, then your runs.", elem_id="dl-eval-picker",
            )  # fmt: skip
            eval_btn = gr.Button("Evaluate on the 10,000 test digits", variant="primary")
        eval_summary = gr.Markdown("Pick a model and press Evaluate.", elem_id="dl-eval-summary")
        with gr.Row():
            confusion_view = gr.Image(
                label="Confusion matrix (rows: true digit, columns: predicted)",
                interactive=False, height=460, buttons=[], elem_id="dl-confusion",
            )  # fmt: skip
            per_digit_view = gr.Dataframe(label="Per-digit accuracy", interactive=False)
        mistakes_view = gr.Gallery(
            label="Test digits it gets wrong, most confident first", columns=5, height=520,
            format="png", elem_id="dl-mistakes",
        )  # fmt: skip

    # Draw tab: live prediction never queues behind itself or behind training.
    draw_outputs = [verdict, bars, pixels, mlp_bars, cnn_bars]
    live = dict(trigger_mode="always_last", show_progress="hidden", concurrency_limit=None)
    canvas.change(predict, [canvas, picker, runs_state], draw_outputs, api_name="predict", **live)
    picker.change(
        predict, [canvas, picker, runs_state], draw_outputs, api_visibility="private", **live
    )
    canvas.clear(
        lambda name, runs: classify(None, name, runs), [picker, runs_state], draw_outputs,
        js=SELECT_BRUSH, api_visibility="private", **live,
    )  # fmt: skip
    gr.api(predict_image, api_name="predict_image", concurrency_limit=None)

    # Train tab.
    arch.change(show_model_controls, arch, [mlp_group, cnn_group], api_visibility="private")
    lr_log10.change(None, lr_log10, lr_text, js=SHOW_LR)
    settings = [
        arch, hidden, activation, channels, batch_norm, lr_log10, epochs, batch_size, optimizer,
        weight_decay, dropout, schedule, augment, subset, seed,
    ]  # fmt: skip
    train_outputs = [status, loss_plot, accuracy_plot, runs_state, picker, runs_table, downloads]
    train_btn.click(
        queue_training, None, [status, train_btn], concurrency_limit=None,
        api_visibility="private", show_progress="hidden",
    ).success(
        train, [*settings, runs_state], train_outputs, api_name="train",
        concurrency_limit=TRAIN_SLOTS, concurrency_id="train", show_progress="minimal",
        show_progress_on=[status],
    ).then(enable_train_button, None, train_btn, api_visibility="private")  # fmt: skip
    stop_btn.click(
        stop_training, None, None, api_name="stop", concurrency_limit=None, show_progress="hidden"
    )
    preset.input(apply_preset, preset, [preset_note, *settings], api_visibility="private")

    # Inside tab: its own listeners, so the Draw tab's prediction never waits for it.
    inside_inputs = [canvas, picker, preprocessing, runs_state]
    inside_outputs = [strip, inside_line, saliency_view, maps_view]
    # One listener for all three triggers: with always_last, a slow result for an older stroke
    # can never land after (and overwrite) the result for a newer switch or model.
    gr.on(
        [canvas.change, picker.change, preprocessing.change], inside, inside_inputs,
        inside_outputs, api_visibility="private", **live,
    )  # fmt: skip
    canvas.clear(
        lambda *args: inside(None, *args[1:]), inside_inputs, inside_outputs,
        api_visibility="private", **live,
    )  # fmt: skip
    picker.change(first_layer, [picker, runs_state], weights_view, api_visibility="private")

    export_pick.focus(
        lambda runs: gr.Dropdown(choices=run_choices(runs)), runs_state, export_pick,
        api_visibility="private",
    )  # fmt: skip
    export_btn.click(export_run, [export_pick, runs_state], export_file, api_name="export")

    runs_table.change(list_runs, runs_state, shown_runs, api_visibility="private")
    shown_runs.input(
        show_runs, [shown_runs, runs_state], [loss_plot, accuracy_plot],
        api_visibility="private", show_progress="hidden",
    )  # fmt: skip

    # Evaluate tab: the picker learns about new runs when opened.
    eval_picker.focus(
        lambda runs: gr.Dropdown(choices=model_choices(runs)), runs_state, eval_picker,
        api_visibility="private",
    )  # fmt: skip
    eval_btn.click(
        evaluate_model, [eval_picker, runs_state],
        [eval_summary, per_digit_view, confusion_view, mistakes_view], api_name="evaluate",
        show_progress="minimal", show_progress_on=[eval_summary],
    )  # fmt: skip


def launch(**kwargs):
    """Start the app with its CSS and brush fix; kwargs go to demo.launch()."""
    # Uploads (canvas PNGs, images) are capped: a 280x280 drawing is a few kB.
    kwargs.setdefault("max_file_size", "5mb")
    return demo.launch(css=CSS, js=SELECT_BRUSH, **kwargs)


if __name__ == "__main__":
    launch()
