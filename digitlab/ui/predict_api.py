"""The public /predict_image endpoint: a base64 PNG or JPEG in, a shipped model's verdict out;
and the shipped models' temperatures, fitted once at start-up."""

from __future__ import annotations

from digitlab.inference.safety import BadImage, decode_image
from digitlab.ui import common
from digitlab.ui.verdict import DEFAULT_THRESHOLD, unsure_reason
from digitlab.words import DEFAULT


def fit_shipped_temperatures() -> None:
    """Each shipped model's temperature, fitted once if its checkpoint stores none."""
    for kind in ("cnn", "mlp"):
        predictor = common.SHIPPED.of_kind(kind)
        if predictor is not None:
            predictor.temperature  # noqa: B018 (fitted and cached on first read)


def shipped_model(model: str):
    """The shipped predictor for /predict_image's model: "" (the first), a kind ("cnn",
    "mlp", any case) or a picker name. An unknown name is refused with the valid ones."""
    names = common.SHIPPED.names()
    if not names:
        raise common.Refusal("No shipped model is installed on this server.")
    if not model:
        return common.SHIPPED.get(names[0])
    found = common.SHIPPED.of_kind(model.lower()) or common.SHIPPED.get(model)
    if found is None:
        kinds = [kind for kind in ("cnn", "mlp") if common.SHIPPED.of_kind(kind)]
        valid = ", ".join(f'"{name}"' for name in [*kinds, *names])
        raise common.Refusal(f'model: unknown model "{model}"; valid names: {valid} (or "").')
    return found


def predict_image(image: str, model: str = "") -> dict:
    """Classify a base64 PNG/JPEG (data URL or bare base64) with a shipped model.

    model: "cnn", "mlp", a picker name, or "" for the first shipped model; any other name is
    refused. Returns {"digit", "confidence", "probabilities", "model", "not_sure"}; digit is
    null for an empty image. The probabilities are temperature-scaled; not_sure is true when
    the image does not look like a digit (a dot, a blob) or the model is below 70% sure.
    """
    if not isinstance(model, str):
        raise common.Refusal(
            'model: expected a name such as "cnn" or "mlp" (or "" for the default).'
        )
    predictor = shipped_model(model)
    try:
        picture = decode_image(image)  # size limits are checked before any pixel is decoded
    except BadImage as error:
        raise common.Refusal(f"image: {error}") from None
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
        "not_sure": bool(unsure_reason(seen.confidence, DEFAULT, DEFAULT_THRESHOLD, seen.doubt)),
    }
