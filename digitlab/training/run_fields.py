"""A finished run's record as plain JSON values, and back with every value's type and range
checked: what a session file (session_file.py) keeps of each run besides its weights.

The fields: number, config (TrainConfig), metrics, stopped, elapsed, divergence (Divergence or
None), changes (Change, ...), losses and accuracies ((epoch, value) pairs), reading (what the
model made of the followed drawing, or None) and title ((text key, values) or None). A file's
metrics keep only the keys DigitLab writes, each checked; anything else is FieldError.
"""

from __future__ import annotations

import dataclasses
import math

from digitlab.config import OPTIMIZERS, PRECISIONS, ConfigError, TrainConfig
from digitlab.training.events import Divergence
from digitlab.training.steering import KNOBS, Change
from digitlab.words import STRINGS, placeholders

MAX_CURVE_POINTS = 10_000  # a curve's points kept in a file (a longer one is thinned evenly)
MAX_CHANGES = 1_000  # changes of one run (a student dragging a slider makes a few dozen)
MAX_TEXT = 40  # characters of a text value (a device's name, a knob's value)
TITLE_KEYS = ("teach.tuned",)  # the texts a run's title may be (a fine-tuned model's origin)
ENDED = ("finished", "stopped", "pause_timeout", "time_limit", "diverged")


class FieldError(ValueError):
    """A run's value is missing or not what DigitLab writes; the message names it."""


def run_to_json(fields: dict) -> dict:
    """A run's fields as JSON values (curves thinned to MAX_CURVE_POINTS, numbers to 6 digits)."""
    title = fields.get("title")
    divergence = fields.get("divergence")
    return {
        "number": fields["number"],
        "config": fields["config"].to_dict(),
        "metrics": fields["metrics"],
        "stopped": bool(fields["stopped"]),
        "elapsed": float(fields["elapsed"]),
        "divergence": dataclasses.asdict(divergence) if divergence is not None else None,
        "changes": [dataclasses.asdict(change) for change in fields.get("changes", ())],
        "losses": _thinned(fields["losses"]),
        "accuracies": _thinned(fields["accuracies"]),
        "reading": fields.get("reading"),
        "title": {"key": title[0], "values": title[1]} if title is not None else None,
    }


def _thinned(points) -> list[list[float]]:
    points = list(points)
    if len(points) > MAX_CURVE_POINTS:  # evenly spaced, the last point kept
        step = len(points) / MAX_CURVE_POINTS
        points = [points[math.ceil((i + 1) * step) - 1] for i in range(MAX_CURVE_POINTS)]
    return [[float(f"{x:.6g}"), float(f"{y:.6g}")] for x, y in points]


def run_from_json(plain: object) -> dict:
    """The fields of one run as a file holds them, each checked; FieldError names the first
    that is not what DigitLab writes."""
    if not isinstance(plain, dict):
        raise FieldError("not a record")
    try:
        config = TrainConfig.from_dict(_get(plain, "config", dict))
    except (TypeError, ConfigError) as error:
        raise FieldError(f"settings: {str(error)[:200]}") from None
    return {
        "number": _int(plain, "number", 1, 10**9),
        "config": config,
        "metrics": _metrics(_get(plain, "metrics", dict)),
        "stopped": _get(plain, "stopped", bool),
        "elapsed": _num(plain, "elapsed", 0, 1e9),
        "divergence": _divergence(plain.get("divergence")),
        "changes": tuple(_change(c) for c in _list(plain, "changes", MAX_CHANGES)),
        "losses": _curve(plain, "losses", 0, 1e6),
        "accuracies": _curve(plain, "accuracies", 0, 1),
        "reading": _reading(plain.get("reading")),
        "title": _title(plain.get("title")),
        "weights": plain.get("weights") if isinstance(plain.get("weights"), str) else None,
    }


def _get(values: dict, key: str, kind: type | tuple):
    value = values.get(key)
    if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
        raise FieldError(f"{key}: missing or of the wrong type")
    return value


def _num(values: dict, key: str, lo: float, hi: float, required: bool = True):
    value = values.get(key)
    if value is None and not required:
        return None
    ok = isinstance(value, int | float) and not isinstance(value, bool)
    if not ok or not math.isfinite(value) or not lo <= value <= hi:
        raise FieldError(f"{key}: not a number from {lo:g} to {hi:g}")
    return value


def _int(values: dict, key: str, lo: int, hi: int, required: bool = True):
    value = _num(values, key, lo, hi, required)
    if value is not None and not isinstance(value, int):
        raise FieldError(f"{key}: not a whole number")
    return value


def _text(values: dict, key: str, allowed: tuple | None = None, required: bool = True):
    value = values.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or len(value) > MAX_TEXT or allowed and value not in allowed:
        raise FieldError(f"{key}: not one of the texts DigitLab writes")
    return value


def _list(values: dict, key: str, limit: int) -> list:
    value = values.get(key)
    if not isinstance(value, list) or len(value) > limit:
        raise FieldError(f"{key}: not a list of at most {limit}")
    return value


def _metrics(m: dict) -> dict:
    out = {
        "test_accuracy": _num(m, "test_accuracy", 0, 1),
        "steps": _int(m, "steps", 0, 10**12),
        "epochs": _num(m, "epochs", 0, 1e6),
        "device": _text(m, "device"),
    }
    optional = {
        "test_loss": lambda k: _num(m, k, 0, 1e6, False),
        "train_time_s": lambda k: _num(m, k, 0, 1e9, False),
        "precision": lambda k: _text(m, k, PRECISIONS, False),
        "parameters": lambda k: _int(m, k, 0, 10**9, False),
        "ended": lambda k: _text(m, k, ENDED, False),
        "train_images": lambda k: _int(m, k, 0, 10**9, False),
        "test_sample": lambda k: _int(m, k, 0, 10**9, False),
        "test_set": lambda k: _int(m, k, 1, 10**9, False),
        "time_limit_s": lambda k: _num(m, k, 0, 1e9, False),
        "pause_budget_s": lambda k: _num(m, k, 0, 1e9, False),
        "temperature": lambda k: _num(m, k, 1e-6, 1e6, False),
    }
    for key, check in optional.items():
        if key in m:
            out[key] = check(key)
    if "pen_writers" in m:
        writers = _list(m, "pen_writers", 100)
        out["pen_writers"] = [_int({"writer": w}, "writer", 0, 10**6) for w in writers]
    if "per_class" in m:
        per_class = _list(m, "per_class", 10)
        out["per_class"] = [_num({"class": v}, "class", 0, 1) for v in per_class]
    if "confusion" in m:
        rows = _list(m, "confusion", 10)
        out["confusion"] = [
            [_int({"count": v}, "count", 0, 10**9) for v in _list({"r": r}, "r", 10)] for r in rows
        ]
    return {key: value for key, value in out.items() if value is not None}


def _divergence(plain: object) -> Divergence | None:
    if plain is None:
        return None
    if not isinstance(plain, dict):
        raise FieldError("divergence: not a record")
    return Divergence(
        step=_int(plain, "step", 0, 10**12), epoch=_num(plain, "epoch", 0, 1e6),
        reason=_text(plain, "reason", ("nan", "exploded")),
        loss=_num(plain, "loss", -1e300, 1e300, False), lr=_num(plain, "lr", 0, 1e3),
        lr_used=_num(plain, "lr_used", 0, 1e3), optimizer=_text(plain, "optimizer", OPTIMIZERS),
        suggested_lr=_num(plain, "suggested_lr", 0, 1e3),
    )  # fmt: skip


def _change(plain: object) -> Change:
    if not isinstance(plain, dict):
        raise FieldError("changes: not a record")

    def knob_value(key: str):
        value = plain.get(key)
        if isinstance(value, bool):
            return value
        if isinstance(value, str):
            return _text(plain, key)
        return _num(plain, key, -1e6, 1e6)

    return Change(
        step=_int(plain, "step", 0, 10**12), epoch=_num(plain, "epoch", 0, 1e6),
        name=_text(plain, "name", (*KNOBS, "epochs")), old=knob_value("old"),
        new=knob_value("new"),
    )  # fmt: skip


def _curve(values: dict, key: str, lo: float, hi: float) -> list[tuple[float, float]]:
    points = []
    for point in _list(values, key, MAX_CURVE_POINTS):
        if not isinstance(point, list) or len(point) != 2:
            raise FieldError(f"{key}: not (epoch, value) pairs")
        pair = {"epoch": point[0], key: point[1]}
        points.append((_num(pair, "epoch", 0, 1e6), _num(pair, key, lo, hi)))
    return points


def _reading(plain: object) -> dict | None:
    if plain is None:
        return None
    if not isinstance(plain, dict):
        raise FieldError("reading: not a record")
    return {
        "digit": _int(plain, "digit", 0, 9), "confidence": _num(plain, "confidence", 0, 1),
        "epoch": _num(plain, "epoch", 0, 1e6),
    }  # fmt: skip


def _title(plain: object) -> tuple[str, dict] | None:
    if plain is None:
        return None
    if not isinstance(plain, dict) or not isinstance(plain.get("values"), dict):
        raise FieldError("title: not a record")
    key = _text(plain, "key", TITLE_KEYS)
    values = plain["values"]
    if set(values) != placeholders(STRINGS[key]["en"]):  # what its text fills in, no more
        raise FieldError("title: not the values of its text")
    for name, value in values.items():
        if isinstance(value, str):
            _text(values, name)
        else:
            _num(values, name, -1e9, 1e9)
    return key, dict(values)
