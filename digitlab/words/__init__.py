"""Every text the app shows, in English and Simplified Chinese, and the one function that reads
them.

The texts live in one file per tab beside this one (page, settings, draw, train, inside,
robust, evaluate, teach): every label, help text and message is a key with one text per
language code, both with the same placeholders ({n}), checked by tests/test_i18n.py.
Messages that travel inside exceptions are `Text` objects (a key and its values): str() gives
the English, and the app renders them in the student's language.
"""

from __future__ import annotations

import string

from digitlab.words import draw, evaluate, inside, lesson, page, robust, settings, teach, train

TABLES = (page, settings, draw, train, inside, robust, evaluate, teach, lesson)


def _merged(tables) -> dict[str, dict[str, str]]:
    """One table of every text; a key defined in two files is an error, not a silent overwrite."""
    merged: dict[str, dict[str, str]] = {}
    for table in tables:
        twice = merged.keys() & table.STRINGS.keys()
        if twice:
            raise KeyError(f"texts defined twice: {sorted(twice)} ({table.__name__})")
        merged.update(table.STRINGS)
    return merged


STRINGS = _merged(TABLES)

__all__ = ["DEFAULT", "LANGUAGES", "STRINGS", "Said", "Text", "localize", "placeholders", "t"]

LANGUAGES = {"en": "English", "zh": "简体中文"}
DEFAULT = "en"


class Text:
    """A message for the student: a key into STRINGS and its values; str() is the English."""

    __slots__ = ("key", "values")

    def __init__(self, key: str, **values: object) -> None:
        if key not in STRINGS:
            raise KeyError(f"no text {key!r} in digitlab/words/")
        self.key, self.values = key, values

    def render(self, lang: str = DEFAULT) -> str:
        """The message in this language."""
        return t(self.key, lang, **self.values)

    def __str__(self) -> str:
        return self.render(DEFAULT)

    def __repr__(self) -> str:
        return f"Text({self.key!r}, {self.values!r})"


class Said:
    """A text that a function makes in the reader's language, e.g. a run's label: a value of a
    Text, rendered when the Text is (in whatever language the page has by then)."""

    __slots__ = ("make",)

    def __init__(self, make) -> None:
        self.make = make  # lang -> str

    def render(self, lang: str = DEFAULT) -> str:
        """The text in this language."""
        return self.make(lang)

    def __str__(self) -> str:
        return self.render(DEFAULT)


def t(key: str, lang: str = DEFAULT, **values: object) -> str:
    """The text for key in lang (English for an unknown language), with values filled in.

    Values that are Text, or exceptions raised with one, are rendered in the same language; a
    value passed as `field` is the name of a setting, shown by its translated name (key
    "field.<name>") when it has one.
    """
    lang = lang if lang in LANGUAGES else DEFAULT
    template = STRINGS[key][lang]
    if not values:
        return template
    rendered = {
        k: localize(v, lang) if isinstance(v, Text | Said | BaseException) else v
        for k, v in values.items()
    }
    if "field" in rendered and f"field.{rendered['field']}" in STRINGS:
        rendered["field"] = STRINGS[f"field.{rendered['field']}"][lang]
    return template.format(**rendered)


def localize(message: object, lang: str = DEFAULT) -> str:
    """A Text or Said, or an exception raised with one, in lang; anything else as str()."""
    if isinstance(message, BaseException) and message.args and isinstance(message.args[0], Text):
        message = message.args[0]
    return message.render(lang) if isinstance(message, Text | Said) else str(message)


def placeholders(template: str) -> set[str]:
    """The names a template fills in, e.g. {"n", "acc"} (for the tests)."""
    return {name.split("!")[0] for _, name, _, _ in string.Formatter().parse(template) if name}
