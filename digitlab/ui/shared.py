"""What the tabs' handlers share: the shipped models, the per-session registries, the model
pickers and the page's language.

The shared things are created once here; everything a student makes lives in that session's
SessionRuns (gr.State). Every handler that shows text takes the language ("en" or "zh") as
its last input.
"""

from __future__ import annotations

from collections.abc import Callable

import gradio as gr

from digitlab.i18n import DEFAULT, LANGUAGES, t
from digitlab.sessions import Drawings, SessionRuns, ShippedModels, StopFlags

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


def picker_choices(runs, lang: str = DEFAULT):
    """A model picker that knows this session's newest runs."""
    return gr.Dropdown(choices=model_choices(runs, lang))


def said_again(current: str, lang: str, *versions: Callable[[str], str]):
    """current in lang if it is one of these texts (in any language), else left unchanged."""
    for version in versions:
        if current in {version(code) for code in LANGUAGES}:
            return version(lang)
    return gr.skip()
