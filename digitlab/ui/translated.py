"""Components whose texts are i18n keys, so one language switch can relabel the whole page."""

from __future__ import annotations

from digitlab.words import Text


class Translated:
    """Builds components with Text for their label, info, value or axis titles, and keeps them.

    `tr(gr.Button, value=Text("train.train"))` makes a Button in English and remembers it;
    `updates(lang)` is {component: its texts in lang} for every remembered component but those
    marked `later()`, which their tab relabels itself.
    """

    def __init__(self) -> None:
        self._texts: dict[object, tuple[type, dict[str, Text]]] = {}
        self._later: set = set()

    def __contains__(self, component: object) -> bool:
        return component in self._texts

    def __iter__(self):
        return iter(self._texts)

    def __call__(self, cls: type, *args, **kwargs):
        texts = {name: value for name, value in kwargs.items() if isinstance(value, Text)}
        component = cls(*args, **{**kwargs, **{name: str(text) for name, text in texts.items()}})
        if texts:
            self._texts[component] = (cls, texts)
        return component

    def later(self, *components: object) -> None:
        """Leave these out of `outputs` and `updates`: their tab relabels them in its own time."""
        self._later.update(components)

    @property
    def outputs(self) -> list:
        """The components one language switch relabels at once."""
        return [component for component in self._texts if component not in self._later]

    def update(self, component, lang: str):
        """One remembered component's texts in lang."""
        cls, texts = self._texts[component]
        return cls(**{name: text.render(lang) for name, text in texts.items()})
