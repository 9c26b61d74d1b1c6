"""The page's header: the title line, the language switch, and warnings about missing shipped
models. The switch relabels every translated component at once; each tab says its own
contents again on the same change."""

from __future__ import annotations

import gradio as gr

from digitlab.ui import common
from digitlab.ui.common import Language, tr
from digitlab.ui.queues import PRIVATE
from digitlab.words import DEFAULT, LANGUAGES, Text, t


class Header:
    """Builds the header in the current Blocks; `lang` is the page's language switch."""

    def __init__(self) -> None:
        with gr.Row(equal_height=True):
            tr(gr.Markdown, value=Text("app.intro"))
            radio = gr.Radio(
                [(name, code) for code, name in LANGUAGES.items()], value=DEFAULT,
                label=t("app.language"), elem_id="dl-lang", scale=0, min_width=240,
            )  # fmt: skip
        self.lang = Language(radio)
        for problem in common.SHIPPED.problems:
            tr(gr.Markdown, value=Text("app.warning", problem=problem))

    def wire(self, demo: gr.Blocks) -> None:
        """After every tab is built: the first language from the page's address or browser,
        then every translated text whenever the student switches."""
        demo.load(common.language, None, self.lang.radio, **PRIVATE)
        self.lang.wire()
