"""Every error a caller can cause says something, in the caller's language.

Gradio answers its own input checks (too few values, a value a component cannot preprocess)
and any exception that is not a gr.Error with an error whose message is null: an API caller,
or a page whose request was tampered with, learns nothing. `explain_errors(demo)` wraps the
Blocks' preprocessing and handler calls so that such an error becomes a Refusal with a message
(the handler's own bug is still logged with its traceback). Handlers should still refuse bad
values themselves with a precise message; this is the net under them.
"""

from __future__ import annotations

import functools

import gradio as gr

from digitlab.ui import common, registries
from digitlab.words import DEFAULT, t


def explain_errors(demo: gr.Blocks) -> gr.Blocks:
    """Make Gradio's silent errors on `demo` (this instance only) into messages; idempotent."""
    if getattr(demo, "_digitlab_explained", False):
        return demo
    preprocess, call = demo.preprocess_data, demo.call_function

    @functools.wraps(preprocess)
    async def preprocess_data(block_fn, inputs, state, explicit_call=False):
        lang = _language(inputs)
        needed = len(block_fn.inputs)
        if not isinstance(inputs, list) or len(inputs) < needed:
            got = len(inputs) if isinstance(inputs, list) else 0
            raise common.Refusal(t("msg.too_few_inputs", lang, got=got, needed=needed))
        try:
            return await preprocess(block_fn, inputs, state, explicit_call)
        except gr.Error:
            raise
        except Exception as error:
            kind = _input_kind(block_fn, error)
            raise common.Refusal(t("msg.bad_input", lang, kind=kind)) from None

    @functools.wraps(call)
    async def call_function(block_fn, processed_input, *args, **kwargs):
        try:
            return await call(block_fn, processed_input, *args, **kwargs)
        except gr.Error:
            raise
        except Exception as error:
            common.LOG.exception("a handler failed on a caller's input")
            lang = _language(processed_input, kwargs.get("requests"))
            raise common.Refusal(t("msg.unexpected", lang, kind=type(error).__name__)) from None

    demo.preprocess_data, demo.call_function = preprocess_data, call_function
    demo._digitlab_explained = True
    return demo


def _language(values, request=None) -> str:
    """The caller's language: the session's page language if known, else "zh" when one of its
    values is the language switch set to Chinese, else English."""
    request = request[0] if isinstance(request, list) and request else request
    session = getattr(request, "session_hash", None)
    if session:
        known = registries.PAGE_LANGS.get(session, None)
        if known:
            return known
    if isinstance(values, list) and any(isinstance(v, str) and v == "zh" for v in values):
        return "zh"
    return DEFAULT


def _input_kind(block_fn, error: Exception) -> str:
    """The kind of component whose value failed (e.g. "slider"), from Gradio's message."""
    text = str(error)
    for block in getattr(block_fn, "inputs", []):
        name = type(block).__name__
        if name in text:
            return name.lower()
    return "value"
