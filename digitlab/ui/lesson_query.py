"""A lesson as a link: the Train tab's settings, the preset, the tab and the language as a query
string (`?model=mlp&lr=0.5&epochs=5&tab=train&lang=zh`), and back.

Pure: no Gradio. A link's values are checked as the Train tab checks what a student types
(training/settings.py's rows: choices, ranges, whole numbers; then TrainConfig, through
config_from); a value that fails is left out and said in a notice, never raised. A link carries
the model and only the settings that differ from what it starts from (the preset's values, or
else the model's default run), so a teacher's link stays short and reads as the lesson.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit, urlunsplit

from digitlab.config import ConfigError, parse_sizes
from digitlab.training.settings import BY_NAME, LR_RANGE, Setting, config_from, recipe, whole
from digitlab.ui import presets
from digitlab.words import LANGUAGES, Text

TABS = ("draw", "train", "inside", "robust", "evaluate", "teach")  # the page's tabs, in order
PAGE_KEYS = ("preset", "tab", "lang")  # the link's keys that are not settings
MAX_VALUE = 60  # characters of one value read (a size list is ~20); longer ones are refused
MAX_PARAMS = 40  # keys read from one link (it has at most 23)
MAX_LINK = 2000  # characters of the page's own address kept as the link's base
TRUE, FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


@dataclass
class Lesson:
    """What a link asks for: settings by name (only those it set), preset, tab and language
    (None where it says nothing, or nothing usable), and what was ignored, as Texts."""

    settings: dict[str, object] = field(default_factory=dict)
    preset: str | None = None
    tab: str | None = None
    lang: str | None = None
    ignored: list[Text] = field(default_factory=list)


def base_values(preset: str | None, model: object) -> dict[str, object]:
    """What a link's settings start from: the preset's values, else the model's default run
    (the Train tab fills the same when a preset or a model is picked)."""
    if preset in presets.BY_KEY:
        return presets.BY_KEY[preset].values()
    known = isinstance(model, str) and model.lower() in ("mlp", "cnn")
    return recipe(model if known else BY_NAME["model"].default)


def build_query(
    settings: Mapping[str, object], preset: str | None = None, tab: str | None = None,
    lang: str | None = None,
) -> str:  # fmt: skip
    """The query string ("?model=mlp&lr=0.5...") of a lesson: the model, every setting that
    differs from the lesson's start, then the preset, tab and language."""
    preset = preset if preset in presets.BY_KEY else None
    start = base_values(preset, settings.get("model"))
    pairs = [("model", text_of(BY_NAME["model"], settings.get("model", start["model"])))]
    for name, setting in BY_NAME.items():
        if name == "model" or name not in settings:
            continue
        if not same(setting, settings[name], start.get(name, setting.default)):
            pairs.append((name, text_of(setting, settings[name])))
    pairs += [(k, v) for k, v in (("preset", preset), ("tab", tab), ("lang", lang)) if v]
    return "?" + urlencode(pairs)


def build_link(page_url: str, query: str) -> str:
    """The page's address (as the browser has it) with this lesson's query instead of its own."""
    parts = urlsplit(str(page_url or "")[:MAX_LINK])
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return query
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", query.lstrip("?"), ""))


def parse_query(params: Mapping[str, str]) -> Lesson:
    """The lesson a link asks for; every value checked, and each one that fails ignored with
    the reason (unknown keys too)."""
    lesson = Lesson()
    items = list(params.items())[:MAX_PARAMS]
    raw = {str(k)[:MAX_VALUE]: str(v) for k, v in items}
    for key in raw:
        if key not in BY_NAME and key not in PAGE_KEYS:
            lesson.ignored.append(Text("link.unknown", name=shown(key)))
    lesson.preset = _page_value(raw, "preset", tuple(presets.BY_KEY), lesson)
    lesson.tab = _page_value(raw, "tab", TABS, lesson)
    lesson.lang = _page_value(raw, "lang", tuple(LANGUAGES), lesson)
    current = base_values(lesson.preset, raw.get("model"))
    values = {}
    for name in [n for n in BY_NAME if n in raw]:
        try:
            values[name] = value_of(BY_NAME[name], raw[name])
        except ConfigError as error:
            lesson.ignored.append(_bad(name, raw[name], error))
    try:  # together, as the Train tab would run them
        config_from({**current, **values})
        lesson.settings = values
        return lesson
    except ConfigError:
        pass
    for name, value in values.items():  # else one by one, the model first: the rest on it
        try:
            config_from({**current, name: value})
        except ConfigError as error:
            lesson.ignored.append(_bad(name, raw[name], error))
            continue
        current[name] = lesson.settings[name] = value
    return lesson


def _bad(name: str, raw: str, why: object) -> Text:
    return Text("link.bad", name=name, value=shown(raw), why=why)


def _page_value(raw: dict, key: str, allowed: tuple[str, ...], lesson: Lesson) -> str | None:
    if key not in raw:
        return None
    value = raw[key].strip().lower()
    if value in allowed:
        return value
    lesson.ignored.append(_bad(key, raw[key], Text("link.why_choice", allowed=", ".join(allowed))))
    return None


def value_of(setting: Setting, text: str) -> object:
    """A setting's value from its text in a link, as the Train tab's control would hold it;
    ConfigError (with a Text) when the control could not hold it."""
    text = text.strip()
    if len(text) > MAX_VALUE:
        raise ConfigError(Text("link.why_long", limit=MAX_VALUE))
    if setting.kind in ("radio", "dropdown"):
        return _choice(setting, text)
    if setting.kind == "checkbox":
        if text.lower() in TRUE + FALSE:
            return text.lower() in TRUE
        raise ConfigError(Text("link.why_flag"))
    if setting.kind == "text":
        return ", ".join(map(str, parse_sizes(text, field=setting.name)))
    number = _number(text)
    if setting.name == "lr":
        low, high = LR_RANGE
    elif setting.kind == "slider":
        low, high = setting.low, setting.high
        steps = (number - low) / setting.step
        if abs(steps - round(steps)) > 1e-6:
            raise ConfigError(Text("link.why_step", step=setting.step))
    else:
        low, high = 0, 2**63 - 1  # the seed: TrainConfig checks it again
    if not low <= number <= high:
        raise ConfigError(Text("link.why_range", lo=low, hi=high))
    return whole(setting.name, number) if setting.convert is whole else float(number)


def _choice(setting: Setting, text: str) -> object:
    for choice in setting.choices:
        if isinstance(choice, str) and choice.lower() == text.lower():
            return choice
        if not isinstance(choice, str) and _is_number(text) and float(text) == choice:
            return choice
    allowed = ", ".join(text_of(setting, choice) for choice in setting.choices)
    raise ConfigError(Text("link.why_choice", allowed=allowed))


def _is_number(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


def _number(text: str) -> float:
    if not _is_number(text):
        raise ConfigError(Text("link.why_number"))
    number = float(text)
    return int(number) if number.is_integer() and abs(number) < 2**63 else number


def text_of(setting: Setting, value: object) -> str:
    """A setting's value as a link writes it: "mlp", "0.003", "1e-05", "5", "true", "256-128"."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(int(value)) if float(value).is_integer() else repr(float(value))
    if setting.kind == "text":
        try:
            return "-".join(map(str, parse_sizes(value, field=setting.name)))
        except ConfigError:
            return str(value)
    return str(value).lower() if setting.name == "model" else str(value)


def same(setting: Setting, a: object, b: object) -> bool:
    """Whether two values of a setting are the same lesson ("256,128" is "256, 128")."""
    return text_of(setting, a) == text_of(setting, b)


def shown(value: object) -> str:
    """A value from a link as a notice may show it: short, and nothing Markdown or HTML reads."""
    text = re.sub(r"[^\w.,+\- ]", "?", str(value))
    return text[:24] + ("…" if len(text) > 24 else "")
