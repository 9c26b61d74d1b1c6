"""The controls of a training run while it goes: Train, Pause, Resume, Stop, "+N epochs", and
the settings that steer it live (learning rate, momentum, weight decay, dropout, augmentation,
schedule: moving one while the session's run trains changes the run from its next step)."""

from __future__ import annotations

import gradio as gr

from digitlab.config import ConfigError, option
from digitlab.limits import PAUSE_BUDGET_S
from digitlab.training.live import LiveView
from digitlab.training.settings import BY_NAME, slider_lr
from digitlab.training.steering import KNOBS
from digitlab.ui import common, registries
from digitlab.ui.common import tr
from digitlab.ui.queues import PRIVATE
from digitlab.ui.run_table import value_text
from digitlab.words import DEFAULT, Text, localize, t

# The Train tab's settings that steer a running run, by the knob each one moves.
LIVE_SETTINGS = {
    setting.field or setting.name: setting.name
    for setting in BY_NAME.values()
    if (setting.field or setting.name) in KNOBS
}
MORE_EPOCHS = (1, 20)  # what "+N epochs" offers


def change_text(change, lang: str = DEFAULT) -> str:
    """One change mark: "learning rate 0.005 → 0.5 at epoch 1.3"."""
    name = Text(f"field.{change.name}").render(lang)
    return t(
        "train.change", lang, name=name, old=value_text(change.name, change.old, lang),
        new=value_text(change.name, change.new, lang), epoch=change.epoch,
    )  # fmt: skip


class RunBar:
    """Builds the row of run buttons; `settings` are the Train settings' components by name."""

    def __init__(self, lang: common.Language, settings: dict, lr_slider: gr.Slider) -> None:
        with gr.Row(equal_height=True, elem_id="dl-run-bar"):
            self.train = tr(gr.Button, value=Text("train.train"), variant="primary", min_width=90)
            self.pause = tr(gr.Button, value=Text("train.pause"), min_width=80, interactive=False)
            self.resume = tr(gr.Button, value=Text("train.resume"), min_width=80, interactive=False)
            self.stop = tr(
                gr.Button, value=Text("train.stop"), variant="stop", min_width=80,
                interactive=False,  # nothing to stop yet
            )  # fmt: skip
            self.epochs = tr(
                gr.Number, 1, precision=0, minimum=MORE_EPOCHS[0], maximum=MORE_EPOCHS[1],
                label=Text("train.more_epochs"), min_width=90, elem_id="dl-more-epochs",
            )  # fmt: skip
            self.extend = tr(
                gr.Button, value=Text("train.extend"), min_width=110, elem_id="dl-extend"
            )
        self.buttons = [self.train, self.extend, self.pause, self.resume, self.stop]  # running()
        quick = dict(concurrency_limit=None, show_progress="hidden")
        self.stop.click(self.stop_run, lang.radio, None, api_name="stop", **quick)
        self.pause.click(self.pause_run, lang.radio, [self.pause, self.resume],
                         api_name="pause", **quick)  # fmt: skip
        self.resume.click(self.resume_run, lang.radio, [self.pause, self.resume],
                          api_name="resume", **quick)  # fmt: skip
        # One change a gesture: a slider steers where the drag ends (not at each of its
        # values on the way), the typed learning rate on Enter or on leaving the box.
        steering = dict(trigger_mode="always_last", **quick, **PRIVATE)
        for name in LIVE_SETTINGS.values():
            control = settings[name]
            if isinstance(control, gr.Slider):
                triggers = [control.release]
            elif isinstance(control, gr.Number):
                triggers = [control.submit, control.blur]
            else:
                triggers = [control.input]
            gr.on(triggers, self.steer_from(name), [control, lang.radio], None, **steering)
        lr_from_slider = self.steer_from("lr", slider_lr)
        lr_slider.release(lr_from_slider, [lr_slider, lang.radio], None, **steering)
        gr.api(self.steer_api, api_name="steer", concurrency_limit=None)

    def running(self, going: bool) -> dict:
        """The buttons while a run goes (going: in line or training) or when none does; Pause
        waits for the training to start (the run's stream enables it), Stop does not."""
        idle = not going
        return {
            self.train: gr.Button(interactive=idle), self.extend: gr.Button(interactive=idle),
            self.pause: gr.Button(interactive=False), self.resume: gr.Button(interactive=False),
            self.stop: gr.Button(interactive=going),
        }  # fmt: skip

    def steer_from(self, name: str, read=None):
        """The handler for one setting's component: its new value (read(value) first, if
        given) steers the running run."""

        def steer(value, lang: str = DEFAULT, request: gr.Request = None) -> None:
            run = registries.ACTIVE.get(request and request.session_hash)
            if run is None:
                return  # no run going: the value waits for the next Train
            try:
                field, converted = BY_NAME[name].to_config(read(value) if read else value)
                run.change(**{field: converted})
            except ConfigError as error:
                gr.Warning(t("msg.invalid", lang, error=localize(error, lang)))

        steer.__name__ = f"steer_{name}"
        return steer

    def steer_api(self, setting: str, value: float | str | bool, request: gr.Request) -> str:
        """Change a setting of this session's running run from its next step.

        setting: one of lr, momentum, weight_decay, dropout, augment, schedule (lr: the
        learning rate itself, as /train takes it). Returns "ok" or raises a message.
        """
        run = registries.ACTIVE.get(request.session_hash)
        if run is None:
            raise common.Refusal(t("msg.no_run", DEFAULT))
        if setting not in KNOBS:
            raise common.Refusal(f"setting: expected one of {', '.join(KNOBS)}, got {setting!r}.")
        try:
            run.change(**{setting: value})
        except ConfigError as error:
            raise common.Refusal(t("msg.invalid", DEFAULT, error=error)) from None
        return "ok"

    def stop_run(self, lang: str = DEFAULT, request: gr.Request = None) -> None:
        """Ask this session's run to stop; it ends at the next step and keeps the partial model."""
        if not registries.STOP_FLAGS.stop(request.session_hash):
            gr.Info(t("msg.no_run", lang))

    def pause_run(self, lang: str = DEFAULT, request: gr.Request = None) -> dict:
        """Hold this session's run after its current step (model and optimizer kept)."""
        return self._hold(True, lang, request)

    def resume_run(self, lang: str = DEFAULT, request: gr.Request = None) -> dict:
        """Go on with this session's paused run."""
        return self._hold(False, lang, request)

    def _hold(self, pause: bool, lang: str, request: gr.Request | None) -> dict:
        run = registries.ACTIVE.get(request and request.session_hash)
        if run is None:  # a notice, as Stop's; both buttons answer for the run there is not
            gr.Info(t("msg.no_run", lang))
            return {self.pause: gr.Button(interactive=False),
                    self.resume: gr.Button(interactive=False)}  # fmt: skip
        if pause:
            run.pause()
        else:
            run.resume()
        return {self.pause: gr.Button(interactive=not pause),
                self.resume: gr.Button(interactive=pause)}  # fmt: skip


def status_text(view: LiveView, lang: str) -> str:
    """The run's status line; a pause and a divergence say what to do next."""
    divergence = view.done.divergence if view.done is not None else None
    if divergence is not None:
        return t(
            "status.diverged", lang, lr=divergence.lr,
            optimizer=option("optimizer", divergence.optimizer), epoch=divergence.epoch,
            suggested=divergence.suggested_lr,
        )  # fmt: skip
    if view.paused and view.done is None:
        epoch = view.losses[-1][0] if view.losses else 0.0
        return t("status.paused", lang, epoch=epoch, minutes=round(PAUSE_BUDGET_S / 60))
    return localize(view.status, lang)


def changes_line(view: LiveView, lang: str) -> str:
    """The settings changed during the run, in order ("" when none)."""
    if not view.changes:
        return ""
    return t("train.changes", lang, changes="; ".join(change_text(c, lang) for c in view.changes))
