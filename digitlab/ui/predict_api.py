"""The public /predict_image endpoint: a base64 PNG or JPEG in, a shipped model's verdict out;
and the shipped models' temperatures, fitted once at start-up."""

from __future__ import annotations

import gradio as gr

from digitlab.inference.safety import BadImage, decode_image
from digitlab.ui import common
from digitlab.ui.verdict import DEFAULT_THRESHOLD, unsure_reason
from digitlab.words import DEFAULT, t

ECHOED_CHARS = 60  # of a caller's value repeated in an error message
NAME_CHARS = 200  # a picker name is far shorter ('Run 12 · MLP 512-256 · adam lr 0.003 · …')


def fit_shipped_temperatures() -> None:
    """Each shipped model's temperature, fitted once if its checkpoint stores none."""
    for kind in ("cnn", "mlp"):
        predictor = common.SHIPPED.of_kind(kind)
        if predictor is not None:
            predictor.temperature  # noqa: B018 (fitted and cached on first read)


def clipped(value: object, limit: int = ECHOED_CHARS) -> str:
    """A value a caller sent, as an error message may repeat it: at most `limit` characters (a
    1 MB model name is not echoed back whole)."""
    text = str(value)
    return text if len(text) <= limit else f"{text[:limit]}…"


def caller_language(request: gr.Request | None) -> str:
    """An API caller's language: its Accept-Language when it prefers Chinese, else English."""
    headers = getattr(request, "headers", None) or {}
    return "zh" if headers.get("accept-language", "").lower().startswith("zh") else DEFAULT


def shipped_model(model: str, lang: str = DEFAULT):
    """The shipped predictor for /predict_image's model: "" (the first), a kind ("cnn",
    "mlp", any case) or a picker name. An unknown name is refused with the valid ones."""
    names = common.SHIPPED.names()
    if not names:
        raise common.Refusal(t("api.no_model", lang))
    if not model:
        return common.SHIPPED.get(names[0])
    found = common.SHIPPED.of_kind(model.lower()) or common.SHIPPED.get(model)
    if found is None:
        valid = ", ".join(f'"{name}"' for name in valid_models())
        raise common.Refusal(t("api.unknown_model", lang, model=clipped(model), valid=valid))
    return found


def valid_models() -> list[str]:
    """The names /predict_image's model takes (besides ""): the kinds, then the picker names."""
    kinds = [kind for kind in ("cnn", "mlp") if common.SHIPPED.of_kind(kind)]
    return [*kinds, *common.SHIPPED.names()]


def description() -> str:
    """/predict_image's description in the API docs, with the model names this server has."""
    names = ", ".join(f'"{name}"' for name in valid_models()) or "none installed"
    return f"{' '.join(predict_image.__doc__.split())} Model names here: {names}."


def predict_image(image: str, model: str = "", request: gr.Request = None) -> dict:
    """Classify a base64 PNG/JPEG (data URL or bare base64) with a shipped model.

    model: "cnn", "mlp", a picker name, or "" for the first shipped model; any other name is
    refused. Returns {"digit", "confidence", "probabilities", "model", "not_sure"}; digit is
    null for an empty image. The probabilities are temperature-scaled; not_sure is true when
    the image does not look like a digit (a dot, a blob) or the model is below 70% sure.
    Errors are in English, or in Chinese for an Accept-Language that starts with zh.
    """
    lang = caller_language(request)
    if not isinstance(model, str):
        raise common.Refusal(t("api.model_type", lang))
    predictor = shipped_model(model, lang)
    try:
        picture = decode_image(image)  # size limits are checked before any pixel is decoded
    except BadImage as error:
        raise common.Refusal(t("api.image", lang, error=error)) from None
    seen = predictor.predict(picture)
    if seen is None:
        return {
            "digit": None, "confidence": 0.0, "probabilities": [0.0] * 10, "model": "",
            "not_sure": False,
        }  # fmt: skip
    return {
        "digit": seen.digit,
        "confidence": seen.confidence,
        "probabilities": [float(p) for p in seen.probabilities],
        "model": predictor.name,
        "not_sure": bool(unsure_reason(seen.confidence, lang, DEFAULT_THRESHOLD, seen.doubt)),
    }
