"""The Train tab's settings column: one component per row of digitlab/training/settings.py, the
lesson presets, and the Train and Stop buttons."""

from __future__ import annotations

import inspect
import typing
from collections.abc import Callable
from contextlib import ExitStack, nullcontext

import gradio as gr

from digitlab.training.settings import (
    BY_NAME,
    RECIPES,
    SETTINGS,
    Setting,
    lr_position,
    recipe,
    slider_lr,
    whole,
)  # fmt: skip
from digitlab.ui import presets
from digitlab.ui.common import Language, tr
from digitlab.ui.queues import NEWEST, PRIVATE
from digitlab.words import DEFAULT, Text, t

KINDS = {  # Setting.kind -> component class
    "radio": gr.Radio, "dropdown": gr.Dropdown, "slider": gr.Slider, "checkbox": gr.Checkbox,
    "number": gr.Number, "text": gr.Textbox,
}  # fmt: skip


def component(setting: Setting):
    """The component for one setting, with its label, help text, range or choices."""
    kwargs: dict = {"label": setting.label, "elem_id": f"dl-{setting.name.replace('_', '-')}"}
    if setting.info is not None:
        kwargs["info"] = setting.info
    if setting.kind in ("radio", "dropdown"):
        kwargs["choices"] = choices(setting)
    if setting.kind == "slider":
        kwargs.update(minimum=setting.low, maximum=setting.high, step=setting.step)
    if setting.kind == "number" and setting.convert is whole:
        kwargs["precision"] = 0
    built = tr(KINDS[setting.kind], value=setting.default, **kwargs)
    if setting.kind == "dropdown" and all(isinstance(v, int | float) for v in setting.choices):
        takes_numbers_as_text(built)
    return built


def takes_numbers_as_text(dropdown: gr.Dropdown) -> None:
    """A dropdown of numbers that also takes each one written as text: gradio_client documents
    every dropdown choice quoted (`Literal['300', ...]`), and a caller may well send "300". (A
    subclass would do it too, but Gradio writes a .pyi file next to every component subclass.)"""
    preprocess = dropdown.preprocess

    def numbers_or_text(payload):
        if isinstance(payload, str):
            payload = {str(value): value for _, value in dropdown.choices}.get(payload, payload)
        return preprocess(payload)

    dropdown.preprocess = numbers_or_text


def choices(setting: Setting, lang: str = DEFAULT) -> list:
    """A radio's or dropdown's choices: (text in lang, value) where the value has a text."""
    texts = setting.choice_texts()
    return [(texts[v].render(lang), v) if v in texts else v for v in setting.choices]


def recipe_names() -> list[str]:
    """The settings in which the models' default runs differ, in the table's order."""
    differ = {name for changes in RECIPES.values() for name in changes}
    return [setting.name for setting in SETTINGS if setting.name in differ]


def lesson_text(key: str | None, lang: str = DEFAULT) -> str:
    """The picked preset's one-line lesson ("" when none is picked)."""
    preset = presets.BY_KEY.get(key or "")
    return "" if preset is None else t("train.lesson", lang, lesson=preset.lesson(lang))


class SettingsPanel:
    """Builds the settings column; `controls` maps each setting's name to its component."""

    def __init__(self, lang: Language) -> None:
        self.preset = tr(
            gr.Dropdown, presets.choices(), value=None, label=Text("train.preset"),
            info=Text("train.preset_info"), elem_id="dl-preset",
        )  # fmt: skip
        self.preset_note = gr.Markdown("", elem_id="dl-preset-note")
        self.controls: dict[str, gr.components.Component] = {}
        # The controls whose choices have texts (the language switch says them again).
        self.worded = {s.name: s for s in SETTINGS if s.choice_texts()}
        with ExitStack() as stack, ExitStack() as line:
            group, place = None, 0
            for setting in SETTINGS:  # a group's rows are next to each other in the table
                if setting.group != group:
                    line.close()
                    stack.close()
                    group, place = setting.group, 0
                    stack.enter_context(self._container(group))
                if group == "cnn" and place % 2 == 0:  # its four controls two to a line, so
                    line.close()  # the learning rate stays in view at 1366x768
                    line.enter_context(gr.Row())
                self.controls[setting.name] = component(setting)
                place += 1
                if setting.name == "lr":  # typed as a number, or dragged on a log scale
                    self.lr_slider = tr(
                        gr.Slider, minimum=-4, maximum=1, step=0.01,
                        value=lr_position(setting.default), label=Text("train.lr_slider"),
                        elem_id="dl-lr-slider",
                    )  # fmt: skip

        lr, slider = self.controls["lr"], self.lr_slider
        self.controls["model"].change(
            self.show_model_controls, self.controls["model"], [self.mlp_group, self.cnn_group],
            **PRIVATE,
        )  # fmt: skip
        # Picking a model by hand (not a preset) fills in that model's default run.
        self.recipe_controls = [self.controls[name] for name in recipe_names()]
        if self.recipe_controls:
            self.controls["model"].input(
                self.model_recipe,
                self.controls["model"],
                [*self.recipe_controls, slider],
                **PRIVATE,
            )
        # The box shows the learning rate while the slider moves; the slider follows what is
        # typed (a value it cannot show leaves it where it is). Steering: ui/live_controls.py.
        slider.input(slider_lr, slider, lr, **PRIVATE, **NEWEST)
        gr.on([lr.input, lr.submit], self.place_slider, lr, slider, **PRIVATE, **NEWEST)
        self.preset.input(
            self.apply_preset, [self.preset, lang.radio],
            {self.preset_note, slider, *self.controls.values()}, **PRIVATE,
        )  # fmt: skip
        # A setting changed by hand: the settings are no longer the lesson's.
        gr.on(
            [control.input for control in [*self.controls.values(), slider]], self.custom, None,
            [self.preset, self.preset_note], show_progress="hidden", **PRIVATE,
        )  # fmt: skip

    def _container(self, group: str):
        """Where a group's controls go: the MLP's or CNN's box, the "More" accordion, or the
        column itself."""
        model = BY_NAME["model"].default
        if group == "mlp":
            self.mlp_group = gr.Group(visible=model == "MLP")
            return self.mlp_group
        if group == "cnn":
            self.cnn_group = gr.Group(visible=model == "CNN")
            return self.cnn_group
        if group == "more":
            return tr(gr.Accordion, label=Text("train.more"), open=False)
        return nullcontext()

    @staticmethod
    def place_slider(lr: object):
        """The slider's position for a typed learning rate (unchanged for one out of range)."""
        ok = isinstance(lr, int | float) and not isinstance(lr, bool) and 1e-4 <= lr <= 10
        return lr_position(lr) if ok else gr.skip()

    def filled(self, values: dict) -> dict:
        """{component: value} for settings by name, the lr slider placed with the lr box."""
        out = {self.controls[name]: value for name, value in values.items()}
        if "lr" in values:
            out[self.lr_slider] = lr_position(values["lr"])
        return out

    def show_model_controls(self, model: str) -> dict:
        """Show the MLP's or the CNN's size controls."""
        return {self.mlp_group: gr.Group(visible=model == "MLP"),
                self.cnn_group: gr.Group(visible=model == "CNN")}  # fmt: skip

    def model_recipe(self, model: str) -> dict:
        """The picked model's default run: the settings in which the two models' runs differ."""
        values = recipe(model)
        return self.filled({name: values[name] for name in recipe_names()})

    def apply_preset(self, key: str | None, lang: str = DEFAULT) -> dict:
        """Fill the settings from a lesson preset, with its one-line explanation."""
        preset = presets.BY_KEY.get(key or "")
        if preset is None:
            return {self.preset_note: ""}
        return {self.preset_note: lesson_text(key, lang), **self.filled(preset.values())}

    def custom(self) -> dict:
        """No lesson picked any more."""
        return {self.preset: gr.Dropdown(value=None), self.preset_note: ""}

    def language(self, key: str | None, lang: str = DEFAULT) -> dict:
        """The preset choices, the lesson and the worded choices (optimizer, schedule...) in
        lang."""
        worded = {
            self.controls[name]: KINDS[setting.kind](choices=choices(setting, lang))
            for name, setting in self.worded.items()
        }
        return {
            self.preset: gr.Dropdown(choices=presets.choices(lang)),
            self.preset_note: lesson_text(key, lang),
            **worded,
        }


def takes_settings(handler: Callable) -> Callable:
    """handler(settings: dict, *rest) as a function of every setting by name, then *rest.

    Gradio passes inputs by position and names the API's parameters after the function's
    signature, so the signature is built from the table: /train callers pass settings by name,
    and the inputs list (also built from the table) always lines up with it.
    """
    rest = list(inspect.signature(handler).parameters.values())[1:]

    def call(args: tuple, kwargs: dict):
        values = dict(zip([s.name for s in SETTINGS], args, strict=False))
        return handler(values, *args[len(SETTINGS) :], **kwargs)

    if inspect.isgeneratorfunction(handler):  # Gradio streams only from generator functions

        def by_name(*args, **kwargs):
            yield from call(args, kwargs)
    else:

        def by_name(*args, **kwargs):
            return call(args, kwargs)

    named = [inspect.Parameter(s.name, inspect.Parameter.POSITIONAL_OR_KEYWORD) for s in SETTINGS]
    by_name.__signature__ = inspect.Signature(named + rest)
    # Resolved here: Gradio finds the gr.Request parameter by its annotation.
    hints = typing.get_type_hints(handler)
    by_name.__annotations__ = {p.name: hints[p.name] for p in rest if p.name in hints}
    by_name.__name__, by_name.__doc__ = handler.__name__, handler.__doc__
    return by_name
