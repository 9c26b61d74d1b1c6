"""The Train tab: the settings in; a streamed run out (status, loss and accuracy curves, the Draw
tab's drawing followed as the model learns); then the session's runs, their checkpoints and a
script that reproduces one."""

from __future__ import annotations

import functools

import gradio as gr
import numpy as np
from gradio.context import get_render_context

from digitlab.config import ConfigError
from digitlab.training.live import (
    LiveView,
    TrainingFailed,
    TrainingRun,
    continue_run,
    finished_message,
)
from digitlab.training.settings import config_from, whole
from digitlab.ui import common, line_panel, registries
from digitlab.ui.charts import LOSS_CEILING, curve_frame, probe_frame
from digitlab.ui.common import curve_plot, tr
from digitlab.ui.line_panel import LinePanel
from digitlab.ui.live_controls import RunBar, changes_line, status_text
from digitlab.ui.pictures import pixel_view
from digitlab.ui.queues import PRIVATE, QUEUED, QUICK
from digitlab.ui.runs import RunsPanel
from digitlab.ui.sessions import SessionRuns
from digitlab.ui.train_settings import SettingsPanel, takes_settings
from digitlab.words import DEFAULT, Text, localize, t


class TrainTab:
    """Builds the Train tab in the current Blocks and wires its events (picker: the Draw
    tab's model picker, which learns about each finished run)."""

    def __init__(self, runs: gr.State, lang: common.Language, picker: gr.Dropdown) -> None:
        self.runs, self.picker = runs, picker
        tab = get_render_context()  # the Train tab: the line's counts refresh while it is open
        with gr.Row(elem_id="dl-train-row"):
            with gr.Column(scale=1, min_width=320, elem_id="dl-train-settings"):
                self.settings = SettingsPanel(lang)
            with gr.Column(scale=2, elem_id="dl-train-results"):
                self.bar = RunBar(lang, self.settings.controls, self.settings.lr_slider)
                self._results(lang)
        s, r, bar = self.settings, self.session, self.bar
        plots = [self.loss_plot, self.accuracy_plot]
        self.stream = [  # the live-control outputs last: API clients' indices stay as they were
            self.status, self.loss_plot, self.accuracy_plot, self.probe_plot, self.probe_image,
            self.probe_line, runs, picker, r.table, r.downloads, self.changes, bar.pause,
            bar.resume, bar.stop, self.line.place, self.line.counts,
        ]  # fmt: skip
        queued = dict(**QUEUED, show_progress_on=[self.status])
        ended = [*bar.buttons, r.shown, *plots, self.curves_said]
        starting = [self.status, *bar.buttons]
        bar.train.click(self.queue, lang.radio, starting, **QUICK).success(
            takes_settings(self.train), [*s.controls.values(), runs, lang.radio], self.stream,
            api_name="train", **queued,
        ).then(self.after, [runs, lang.radio], ended, **PRIVATE)  # fmt: skip
        self.extended = bar.extend.click(self.queue, lang.radio, starting, **QUICK).success(
            self.extend, [bar.epochs, runs, lang.radio], self.stream, api_name="extend", **queued
        ).then(self.after, [runs, lang.radio], ended, **PRIVATE)  # fmt: skip
        # 6.31 charts fix their colour scale from the data they hold when their titles change:
        # every run is shown again first, then the titles change.
        lang.then(
            self.language,
            [runs, self.status, self.probe_line, self.changes, s.preset, lang.radio],
            [*plots, self.curves_said, r.shown, self.status, self.probe_line, self.changes,
             r.table, r.export_pick, s.preset, s.preset_note,
             *(s.controls[name] for name in s.worded)],
        )  # fmt: skip
        lang.then(lambda code: {plot: tr.update(plot, code) for plot in plots}, lang.radio, plots)
        if isinstance(tab, gr.Tab):
            self.line.wire(tab, lang.radio)

    def _results(self, lang: common.Language) -> None:
        """The line, status, curves, the followed drawing, the runs, downloads and export."""
        self.line = LinePanel()
        self.status = tr(
            gr.Textbox, value=t("train.idle"), label=Text("train.status"), interactive=False,
            elem_id="dl-status",
        )  # fmt: skip
        self.changes = tr(gr.Markdown, "", label=Text("train.changes_label"), elem_id="dl-changes")
        with gr.Row():
            self.loss_plot = curve_plot(
                Text("train.loss"), "loss", Text("plot.loss"), elem_id="dl-loss-plot",
                label=Text("train.loss"),
            )  # fmt: skip
            self.accuracy_plot = curve_plot(
                Text("train.accuracy"), "test accuracy", Text("plot.accuracy"), y_lim=[0, 1],
                elem_id="dl-accuracy-plot", label=Text("train.accuracy"),
            )  # fmt: skip
        tr.later(self.loss_plot, self.accuracy_plot)  # relabelled by this tab, after redrawing
        self.curves_said = gr.Markdown("", elem_id="dl-curves-said")  # the charts in words
        with gr.Row(equal_height=True):
            self.probe_image = tr(
                gr.Image, None, label=Text("train.probe_image"), interactive=False, buttons=[],
                height=200, scale=1, min_width=160, elem_id="dl-probe-image",
            )  # fmt: skip
            with gr.Column(scale=4):
                self.probe_line = tr(
                    gr.Markdown, t("train.probe_hint"), label=Text("train.probe_line_label"),
                    elem_id="dl-probe-line",
                )  # fmt: skip
                self.probe_plot = tr(
                    gr.LinePlot, None, x="epoch", y="probability", color="digit", y_lim=[0, 1],
                    title=Text("train.probe"), label=Text("train.probe"), show_label=False,
                    height=280, x_title=Text("plot.epoch"), y_title=Text("plot.probability"),
                    color_title=Text("plot.digit"), elem_id="dl-probe-plot",
                )  # fmt: skip
        plots = [self.loss_plot, self.accuracy_plot]
        self.session = RunsPanel(self.runs, lang, plots, self.curves_said)

    def queue(self, lang: str = DEFAULT, request: gr.Request = None) -> dict:
        """Arm the session's Stop before its run waits in line; one run a session at a time."""
        if registries.STOP_FLAGS.running(request.session_hash):
            raise common.Refusal(t("msg.one_run", lang))
        registries.STOP_FLAGS.arm(request.session_hash)
        return {self.status: t("status.waiting_slot", lang), **self.bar.running(True)}

    def train(
        self, settings: dict, runs: SessionRuns | None, lang: str = DEFAULT,
        request: gr.Request = None,
    ):  # fmt: skip
        """Train with these settings, streaming status, curves and the drawing's probabilities."""
        session = one_run(request.session_hash, lang)
        stop = registries.STOP_FLAGS.claim(session)
        try:
            cfg = config_from(settings)
        except ConfigError as error:
            registries.STOP_FLAGS.release(session, stop)  # no run: the session may train again
            message = t("msg.invalid", lang, error=localize(error, lang))
            raise common.Refusal(message, title=t("msg.invalid_title", lang)) from None
        run = TrainingRun(cfg, stop, probe_of(session), lang)
        yield from self.stream_run(run, runs or SessionRuns(), None, lang, request)

    def extend(self, epochs: float, runs: SessionRuns | None, lang: str = DEFAULT,
               request: gr.Request = None):  # fmt: skip
        """Train the session's newest run epochs more: same model and optimizer, its curves
        going on where they stopped."""
        session = one_run(request.session_hash, lang)
        stop = registries.STOP_FLAGS.claim(session)
        record = runs.records[-1] if runs and runs.records else None
        earlier = record and LiveView(
            "", list(record.losses), list(record.accuracies), changes=list(record.done.changes)
        )
        try:
            if record is None or record.done.state is None:
                raise common.Refusal(t("msg.nothing_to_extend", lang))
            run = continue_run(record.done, whole("epochs", epochs), stop, probe_of(session),
                               lang, earlier)  # fmt: skip
        except ConfigError as error:
            registries.STOP_FLAGS.release(session, stop)
            raise common.Refusal(t("msg.invalid", lang, error=localize(error, lang))) from None
        except gr.Error:
            registries.STOP_FLAGS.release(session, stop)
            raise
        yield from self.stream_run(run, runs, record, lang, request)

    def stream_run(self, run: TrainingRun, runs: SessionRuns, record, lang: str, request):
        """Stream a run's views; it joins the session's runs (record: as its continuation)."""
        session, stop = request.session_hash, run.stop
        ticket = view = None
        try:
            if stop.is_set():
                yield {self.status: t("status.stopped_early", lang)}
                return
            ticket = line_panel.join(session, run, stop, lang)
            page_lang = functools.partial(registries.PAGE_LANGS.get, session, lang)
            for place in line_panel.wait_turn(ticket, page_lang):
                lang = page_lang()
                yield {self.status: line_panel.place_text(place, lang),
                       self.line.place: line_panel.place_html(place, lang),
                       self.line.counts: line_panel.counts_text(lang)}  # fmt: skip
            if ticket.started is None:  # Stop pressed while it waited: it left the line
                yield {self.line.place: "", self.status: t("line.left", page_lang()),
                       self.line.counts: line_panel.counts_text(page_lang())}  # fmt: skip
                return
            lang = page_lang()
            turn = {self.status: t("status.starting", lang), self.line.place: "",
                    self.line.counts: line_panel.counts_text(lang)}  # fmt: skip
            if record is None:  # 6.31 plots fix their colour scale when first drawn: empty
                turn.update({self.loss_plot: None, self.accuracy_plot: None, self.probe_plot: None})
            yield turn
            registries.ACTIVE.add(session, run)
            with run:
                shown = held = None  # the followed drawing, and the buttons' state, last sent
                for view in run.updates():
                    lang = registries.PAGE_LANGS.get(session, lang)  # switched mid-run: at once
                    state = (view.done is None, view.paused)
                    yield self.progress(
                        view, runs, record, lang, view.probe_image is not shown, state != held
                    )
                    shown, held = view.probe_image, state
                    registries.LINE.progress(ticket, line_panel.share_done(run, view))
        except TrainingFailed as error:
            raise common.Refusal(str(error), title=t("msg.failed_title", lang)) from None
        finally:
            registries.ACTIVE.remove(session, run)
            registries.STOP_FLAGS.release(session, stop)
            if ticket is not None:
                finished = view is not None and view.done is not None and not view.done.stopped
                registries.LINE.leave(ticket, finished=finished and not view.diverged)

    def progress(
        self, view: LiveView, runs: SessionRuns, record, lang: str, new_image: bool,
        buttons: bool = True,
    ):  # fmt: skip
        """Status, curves, change marks and the followed drawing while a run goes; the
        session's runs once it is done. buttons: Pause, Resume and Stop too (only when their
        state changed: a button updated every 0.4 s is re-rendered under the teacher's click)."""
        out = {self.status: status_text(view, lang), self.changes: changes_line(view, lang)}
        if buttons:
            out[self.bar.pause] = gr.Button(interactive=view.done is None and not view.paused)
            out[self.bar.resume] = gr.Button(interactive=view.done is None and view.paused)
            out[self.bar.stop] = gr.Button(interactive=view.done is None)
        if view.done is not None:
            if record is None:
                record = runs.add(view.done, view.losses, view.accuracies)
            else:
                runs.extend(record, view.done, view.losses, view.accuracies)
            record.reading = probe_reading(view)
            out.update({self.runs: runs, self.picker: common.picker_choices(runs, lang),
                        **self.session.finished(runs, lang)})  # fmt: skip
        losses, accuracies = runs.curves()
        marks = self.session.marks(runs)
        if view.done is None:
            number = record.number if record is not None else runs.next_number
            losses[number], accuracies[number] = view.losses, view.accuracies
            marks += [change.epoch for change in view.changes]
        out[self.loss_plot] = curve_frame(losses, "loss", marks, LOSS_CEILING)
        out[self.accuracy_plot] = curve_frame(accuracies, "test accuracy")
        reading = probe_reading(view)
        out[self.probe_line] = (
            t("train.probe_hint", lang)
            if reading is None
            else t("train.probe_now", lang, **reading)
        )
        if reading is not None:
            out[self.probe_plot] = probe_frame(view.probe)
            # The image only when it changed: Gradio rewrites a cached file of the same content
            # in place, and a client still downloading the last copy would get a truncated file.
            if new_image:
                out[self.probe_image] = pixel_view(view.probe_image)
        return out

    def after(self, runs, lang: str = DEFAULT) -> dict:
        """Re-enable Train however the run ended (finished, failed, cancelled); tick every run."""
        return {**self.bar.running(False), **self.session.show_all(runs, lang)}

    def language(
        self, runs, status: str, probe_line: str, changes: str, preset: str | None, lang: str,
        request: gr.Request,
    ) -> dict:  # fmt: skip
        """After a language switch: every run shown again, the settings' and runs' texts in
        lang, and the status, drawing and changes lines said again if idle or the last run's
        (a running run's stream says them in lang at its next update)."""
        out = {**self.settings.language(preset, lang), **self.session.language(runs, lang)}
        # While the session's run trains, its stream redraws the charts: leave them alone.
        if not registries.STOP_FLAGS.running(request.session_hash):
            out.update(self.session.show_all(runs, lang))
        statuses = [lambda code: t("train.idle", code)]
        readings = [lambda code: t("train.probe_hint", code)]
        said = [lambda code: ""]
        last = runs.records[-1] if runs and runs.records else None
        if last is not None:  # its last view, as the stream showed it when the run ended
            ended = LiveView(finished_message(last.done), done=last.done,
                             changes=list(last.done.changes))  # fmt: skip
            statuses.append(lambda code: status_text(ended, code))
            said.append(lambda code: changes_line(ended, code))
            if last.reading is not None:
                readings.append(lambda code: t("train.probe_now", code, **last.reading))
        out[self.status] = common.said_again(status, lang, *statuses)
        out[self.probe_line] = common.said_again(probe_line, lang, *readings)
        out[self.changes] = common.said_again(changes, lang, *said)
        return out


def one_run(session: str, lang: str) -> str:
    """The session, unless it has a run waiting or training already (an API client's second
    call): that is refused, its run left alone."""
    if registries.ACTIVE.get(session) is not None or registries.LINE.holds(session):
        raise common.Refusal(t("msg.one_run", lang))
    return session


def probe_of(session: str):
    """The session's drawing, which its training run follows."""
    return registries.DRAWINGS.probe(session)


def probe_reading(view: LiveView) -> dict | None:
    """What the model makes of the followed drawing now: digit, confidence and epoch."""
    if not view.probe:
        return None
    epoch, probs = view.probe[-1]
    digit = int(np.argmax(probs))
    return {"digit": digit, "confidence": float(probs[digit]), "epoch": epoch}
