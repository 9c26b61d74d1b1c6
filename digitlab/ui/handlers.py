"""The app's event handlers: Gradio values in, display values out, in the student's language.

The shared things (shipped models, stop flags, the drawings that runs follow) are created once
here; everything a student makes lives in that session's SessionRuns (gr.State). Every
handler that shows text takes the language ("en" or "zh") as its last input.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import gradio as gr
import numpy as np

from digitlab import presets, teach
from digitlab.config import ConfigError
from digitlab.data import DataError, load_mnist
from digitlab.export import run_choices, write_script
from digitlab.i18n import DEFAULT, LANGUAGES, localize, t
from digitlab.live import LiveView, TrainingFailed, TrainingRun, finished_text
from digitlab.preprocess import editor_to_image, to_mnist
from digitlab.safety import BadImage, check_canvas, decode_image
from digitlab.sessions import (
    Drawings,
    SessionRuns,
    ShippedModels,
    StopFlags,
    config_from_controls,
)
from digitlab.views import curve_frame, headline, pixel_view, probability_frame, probe_frame

SHIPPED = ShippedModels()  # loaded once, shared read-only by every session
STOP_FLAGS = StopFlags()
DRAWINGS = Drawings()  # each session's canvas digit, followed by its training run


def language(request: gr.Request) -> str:
    """The page's first language: ?lang=zh or ?lang=en, else the browser's preference."""
    asked = (request.query_params.get("lang") or "").lower()[:2]
    if asked in LANGUAGES:
        return asked
    preferred = request.headers.get("accept-language", "").lower()
    return "zh" if preferred.startswith("zh") else DEFAULT


# Draw tab.


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


def classify(image28: np.ndarray | None, name: str | None, runs, lang: str = DEFAULT):
    """Headline, bars, pixel view and the shipped MLP/CNN bars for one 28x28 image."""
    predictor, note = find_model(name, runs, lang)
    if image28 is None or predictor is None:
        empty = probability_frame(None)
        return headline(None, "", note, lang), empty, pixel_view(image28), empty, empty
    compare = [SHIPPED.of_kind(kind) for kind in ("mlp", "cnn")]
    probs = [p.probabilities(image28)[0] if p else None for p in [predictor, *compare]]
    return (
        headline(probs[0], model_label(predictor.name, runs, lang), note, lang),
        probability_frame(probs[0]),
        pixel_view(image28),
        probability_frame(probs[1]),
        probability_frame(probs[2]),
    )


def predict(
    sketch: dict | None, name: str | None, runs, lang: str = DEFAULT, request: gr.Request = None
):
    """Classify the canvas with the picked model (called after every stroke)."""
    try:
        check_canvas(sketch)
    except BadImage as error:
        raise gr.Error(t("draw.bad_canvas", lang, error=localize(error, lang))) from None
    ink = editor_to_image(sketch)
    image28 = None if ink is None else to_mnist(ink)
    if request is not None and request.session_hash:
        DRAWINGS.probe(request.session_hash).image = image28  # a training run follows it
    return classify(image28, name, runs, lang)


def clear_canvas(name: str | None, runs, lang: str = DEFAULT, request: gr.Request = None):
    """The empty canvas: neutral outputs, and nothing for a training run to follow."""
    if request is not None and request.session_hash:
        DRAWINGS.probe(request.session_hash).image = None
    return classify(None, name, runs, lang)


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


# Train tab.


def show_model_controls(model: str):
    """Show the MLP's or the CNN's size controls."""
    return gr.Group(visible=model == "MLP"), gr.Group(visible=model == "CNN")


def lr_text(lr_log10: float, lang: str = DEFAULT) -> str:
    """The learning rate the slider's log10 value stands for, in plain numbers."""
    return t("train.lr_value", lang, lr=f"{10**lr_log10:.2g}")


def queue_training(lang: str = DEFAULT, request: gr.Request = None):
    """Arm this session's stop flag before the run waits for a training slot."""
    STOP_FLAGS.arm(request.session_hash)
    return t("status.waiting_slot", lang), gr.Button(interactive=False)


def train(
    model, hidden, activation, channels, batch_norm, lr_log10, epochs, batch_size, optimizer,
    weight_decay, dropout, schedule, augment, subset, seed,
    runs: SessionRuns | None, lang: str = DEFAULT, request: gr.Request = None,
):  # fmt: skip
    """Train with these settings, streaming status, curves and the canvas digit's probabilities."""
    try:
        cfg = config_from_controls(
            model, hidden, activation, channels, batch_norm, lr_log10, epochs, batch_size,
            optimizer, weight_decay, dropout, schedule, augment, subset, seed,
        )  # fmt: skip
    except ConfigError as error:
        message = t("msg.invalid", lang, error=localize(error, lang))
        raise gr.Error(message, title=t("msg.invalid_title", lang)) from None
    runs = runs or SessionRuns()
    stop = STOP_FLAGS.claim(request.session_hash)
    probe = DRAWINGS.probe(request.session_hash)
    try:
        if stop.is_set():
            yield t("status.stopped_early", lang), *[gr.skip()] * 9
            return
        # 6.31 plots fix their colour scale when first drawn: empty them so the new run gets one.
        yield t("status.starting", lang), None, None, None, *[gr.skip()] * 6
        with TrainingRun(cfg, stop, probe, lang) as run:
            shown = None  # the followed drawing last sent
            for view in run.updates():
                yield training_outputs(view, runs, lang, view.probe_image is not shown)
                shown = view.probe_image
    except TrainingFailed as error:
        raise gr.Error(str(error), title=t("msg.failed_title", lang)) from None
    finally:
        STOP_FLAGS.release(request.session_hash, stop)


def training_outputs(view: LiveView, runs: SessionRuns, lang: str = DEFAULT, new_image=True):
    """Status, curves and the followed drawing while a run goes; the session's runs once done."""
    if view.done is not None:
        record = runs.add(view.done, view.losses, view.accuracies)
        record.reading = probe_reading(view)
    losses, accuracies = runs.curves()
    if view.done is None:
        number = len(runs.records) + 1
        losses[number], accuracies[number] = view.losses, view.accuracies
    plots = curve_frame(losses, "loss"), curve_frame(accuracies, "test accuracy")
    rest = session_outputs(runs, lang) if view.done is not None else [gr.skip()] * 4
    return view.status, *plots, *probe_outputs(view, lang, new_image), *rest


def probe_reading(view: LiveView) -> dict | None:
    """What the model makes of the followed drawing now: digit, confidence and epoch."""
    if not view.probe:
        return None
    epoch, probs = view.probe[-1]
    digit = int(np.argmax(probs))
    return {"digit": digit, "confidence": float(probs[digit]), "epoch": epoch}


def probe_outputs(view: LiveView, lang: str, new_image: bool):
    """The followed drawing's probability chart, its 28x28 image and a one-line reading."""
    reading = probe_reading(view)
    if reading is None:
        return gr.skip(), gr.skip(), t("train.probe_hint", lang)
    line = t("train.probe_now", lang, **reading)
    # The image only when it changed: Gradio rewrites a cached file of the same content in
    # place, and a client still downloading the last copy would get a truncated file.
    image = pixel_view(view.probe_image) if new_image else gr.skip()
    return probe_frame(view.probe), image, line


def session_outputs(runs: SessionRuns, lang: str = DEFAULT):
    """The session's state, picker choices, run table and checkpoint files."""
    picker = gr.Dropdown(choices=model_choices(runs, lang))
    return runs, picker, runs.table(lang), runs.files()


def stop_training(lang: str = DEFAULT, request: gr.Request = None) -> None:
    """Ask this session's run to stop; it ends at the next step and keeps the partial model."""
    if not STOP_FLAGS.stop(request.session_hash):
        gr.Info(t("msg.no_run", lang))


def after_training(runs):
    """Re-enable Train however the run ended (finished, failed or cancelled); tick every run."""
    return gr.Button(interactive=True), list_runs(runs)


def apply_preset(key: str | None, lang: str = DEFAULT):
    """Fill the Train tab's settings from a lesson preset, with its one-line explanation."""
    preset = presets.BY_KEY.get(key or "")
    if preset is None:
        return "", *[gr.skip()] * len(presets.CONTROLS)
    return lesson_text(key, lang), *preset.values()


def lesson_text(key: str | None, lang: str = DEFAULT) -> str:
    """The picked preset's one-line lesson ("" when none is picked)."""
    preset = presets.BY_KEY.get(key or "")
    return "" if preset is None else t("train.lesson", lang, lesson=preset.lesson(lang))


def export_run(name: str | None, runs, lang: str = DEFAULT) -> str:
    """A standalone PyTorch script that reproduces the chosen run (default: the newest)."""
    try:
        path, stopped = write_script(runs, name)
    except LookupError as error:
        raise gr.Error(localize(error, lang)) from None
    if stopped:
        gr.Info(t("msg.export_stopped", lang))
    return str(path)


def export_choices(runs, lang: str = DEFAULT):
    """Every run of the session, newest first."""
    return gr.Dropdown(choices=run_choices(runs, lang))


def list_runs(runs):
    """Tick every run with curves once a run finishes."""
    labels = teach.run_labels(runs)
    return gr.CheckboxGroup(choices=labels, value=[number for _, number in labels])


def show_runs(shown: list[int], runs):
    """Redraw the overlaid charts with the ticked runs only."""
    # No emptying first (unlike train()): every ticked run is already in the colour scale, and
    # a None-then-data pair raced the plot's resize code in the browser (a null offsetWidth).
    return teach.shown_curves(runs, shown)


# Inside and Evaluate tabs.


def inside(sketch: dict | None, name: str | None, preprocessing: bool, runs, lang=DEFAULT):
    """Inside tab for the Draw tab's drawing and model: strip, verdict, saliency, maps."""
    predictor, _ = find_model(name, runs, lang)
    if predictor is None:
        return [], t("draw.no_model", lang), None, []
    try:
        check_canvas(sketch)
    except BadImage:
        sketch = None  # the Draw tab already says what is wrong with it
    label = model_label(predictor.name, runs, lang)
    return teach.inside_views(editor_to_image(sketch), predictor, bool(preprocessing), label, lang)


def first_layer(name: str | None, runs, lang: str = DEFAULT) -> list:
    """The picked model's first-layer weights (they do not change with the drawing)."""
    predictor, _ = find_model(name, runs, lang)
    return [] if predictor is None else teach.first_layer_gallery(predictor, lang)


def evaluate_model(name: str | None, runs, lang: str = DEFAULT):
    """Test accuracy, per-digit table, confusion picture and most confident mistakes."""
    predictor, note = find_model(name, runs, lang)
    if predictor is None:
        raise gr.Error(t("msg.nothing_to_evaluate", lang))
    try:
        data = load_mnist()
    except DataError as error:
        raise gr.Error(localize(error, lang), title=t("msg.no_data_title", lang)) from None
    label = model_label(predictor.name, runs, lang)
    summary, per_digit, picture, gallery = teach.evaluate_views(predictor, data, 24, label, lang)
    return (f"{note}\n\n{summary}" if note else summary), per_digit, picture, gallery


def picker_choices(runs, lang: str = DEFAULT):
    """A model picker that knows this session's newest runs."""
    return gr.Dropdown(choices=model_choices(runs, lang))


def lr_log10_default(lr: float) -> float:
    """The lr slider's position for a learning rate."""
    return round(math.log10(lr), 2)


# Language switch.


def said_again(current: str, lang: str, *versions: Callable[[str], str]):
    """current in lang if it is one of these texts (in any language), else left unchanged."""
    for version in versions:
        if current in {version(code) for code in LANGUAGES}:
            return version(lang)
    return gr.skip()


def all_curves(runs, request: gr.Request | None) -> list:
    """Every run shown again in the charts (before new titles after a language switch).

    6.31 charts fix their colour scale from the data they hold when their titles change: with
    some runs hidden then, those runs would have no colour when shown later. While the
    session's run trains, its stream redraws the charts, so they are left alone.
    """
    if request is not None and STOP_FLAGS.running(request.session_hash):
        return [gr.skip(), gr.skip()]
    numbers = [number for _, number in teach.run_labels(runs)]
    return [gr.LinePlot(value=frame) for frame in teach.shown_curves(runs, numbers)]


def results_in(lang: str, runs, status: str, probe_line: str) -> tuple:
    """The status and drawing lines said again in lang, if idle or the last run's."""
    status_versions = [lambda code: t("train.idle", code)]
    probe_versions = [lambda code: t("train.probe_hint", code)]
    last = runs.records[-1] if runs and runs.records else None
    if last is not None:
        status_versions.append(lambda code: finished_text(last.done, code))
        if last.reading is not None:
            probe_versions.append(lambda code: t("train.probe_now", code, **last.reading))
    return said_again(status, lang, *status_versions), said_again(probe_line, lang, *probe_versions)
