"""Train tab handlers: settings in, a streamed run out (status, curves, the followed drawing),
then the session's runs; presets, export, and what a language switch says again."""

from __future__ import annotations

import math

import gradio as gr
import numpy as np

from digitlab import presets, teach
from digitlab.config import ConfigError
from digitlab.export import run_choices, write_script
from digitlab.i18n import DEFAULT, localize, t
from digitlab.live import LiveView, TrainingFailed, TrainingRun, finished_text
from digitlab.sessions import SessionRuns, config_from_controls
from digitlab.ui import shared
from digitlab.views import curve_frame, pixel_view, probe_frame


def show_model_controls(model: str):
    """Show the MLP's or the CNN's size controls."""
    return gr.Group(visible=model == "MLP"), gr.Group(visible=model == "CNN")


def lr_text(lr_log10: float, lang: str = DEFAULT) -> str:
    """The learning rate the slider's log10 value stands for, in plain numbers."""
    return t("train.lr_value", lang, lr=f"{10**lr_log10:.2g}")


def queue_training(lang: str = DEFAULT, request: gr.Request = None):
    """Arm this session's stop flag before the run waits for a training slot."""
    shared.STOP_FLAGS.arm(request.session_hash)
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
    stop = shared.STOP_FLAGS.claim(request.session_hash)
    probe = shared.DRAWINGS.probe(request.session_hash)
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
        shared.STOP_FLAGS.release(request.session_hash, stop)


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
    picker = shared.picker_choices(runs, lang)
    return runs, picker, runs.table(lang), runs.files()


def stop_training(lang: str = DEFAULT, request: gr.Request = None) -> None:
    """Ask this session's run to stop; it ends at the next step and keeps the partial model."""
    if not shared.STOP_FLAGS.stop(request.session_hash):
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


def lr_log10_default(lr: float) -> float:
    """The lr slider's position for a learning rate."""
    return round(math.log10(lr), 2)


# After a language switch.


def all_curves(runs, request: gr.Request | None) -> list:
    """Every run shown again in the charts (before new titles after a language switch).

    6.31 charts fix their colour scale from the data they hold when their titles change: with
    some runs hidden then, those runs would have no colour when shown later. While the
    session's run trains, its stream redraws the charts, so they are left alone.
    """
    if request is not None and shared.STOP_FLAGS.running(request.session_hash):
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
    return shared.said_again(status, lang, *status_versions), shared.said_again(
        probe_line, lang, *probe_versions
    )
