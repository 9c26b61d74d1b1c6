"""Components whose texts are i18n keys, so one language switch can relabel the whole page."""

from __future__ import annotations

from digitlab.i18n import Text


class Translated:
    """Builds components with Text for their label, info, value or axis titles, and keeps them.

    `ui(gr.Button, value=Text("train.train"))` makes a Button in English and remembers it;
    `updates(lang)` returns one update per remembered component, in the same order as `outputs`.
    """

    def __init__(self) -> None:
        self._items: list[tuple[object, type, dict[str, Text]]] = []

    def __call__(self, cls: type, *args, **kwargs):
        texts = {name: value for name, value in kwargs.items() if isinstance(value, Text)}
        component = cls(*args, **{**kwargs, **{name: str(text) for name, text in texts.items()}})
        if texts:
            self._items.append((component, cls, texts))
        return component

    @property
    def outputs(self) -> list:
        """The components to relabel, in the order `updates` returns them."""
        return [component for component, _, _ in self._items]

    def updates(self, lang: str, instead: dict | None = None) -> list:
        """An update with every remembered text in lang, or the one given `instead` for some."""
        instead = instead or {}
        return [
            instead[component] if component in instead else self.update(component, lang)
            for component, _, _ in self._items
        ]

    def update(self, component, lang: str):
        """One remembered component's texts in lang."""
        cls, texts = next((c, t) for known, c, t in self._items if known is component)
        return cls(**{name: text.render(lang) for name, text in texts.items()})
