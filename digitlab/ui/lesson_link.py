"""The page's lesson link: "Copy link to this lesson" builds the link from the Train tab's
settings, the preset, the tab and the language (lesson_query.py), shows it and copies it; a page
opened from such a link starts with those settings, on that tab, in that language, and says in
one line what it ignored.
"""

from __future__ import annotations

import gradio as gr

from digitlab.ui import common
from digitlab.ui.common import Language, tr
from digitlab.ui.lesson_query import TABS, base_values, build_link, build_query, parse_query
from digitlab.ui.queues import QUICK
from digitlab.ui.train_settings import SettingsPanel, lesson_text
from digitlab.words import DEFAULT, Said, Text

# After the link is built: into the clipboard (where the browser allows it; the text stays on
# the page either way) and into the address bar, so a reload or a bookmark keeps the lesson.
COPY_JS = """(link) => {
  if (!link || !link.startsWith('http')) return;
  try { history.replaceState(history.state, '', link); } catch (e) {}
  const byHand = () => {
    const box = document.querySelector('#dl-link textarea, #dl-link input');
    if (box) { box.focus(); box.select(); try { document.execCommand('copy'); } catch (e) {} }
  };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(link).catch(byHand);
  } else {
    byHand();
  }
}"""
# The copy button's first step, in the browser: the tab shown (its button carries the tab's id)
# and the page's address replace the last two inputs.
FROM_PAGE = """(...inputs) => {
  const shown = document.querySelector('button[role="tab"][aria-selected="true"][data-tab-id]');
  return [...inputs.slice(0, -2), shown ? shown.dataset.tabId : '', window.location.href];
}"""


class LessonLink:
    """Builds the link's row in the current Blocks and wires it: `tabs` holds the page's tabs,
    each with an id from lesson_query.TABS."""

    def __init__(
        self, demo: gr.Blocks, settings: SettingsPanel, tabs: gr.Tabs, lang: Language
    ) -> None:
        self.settings, self.tabs = settings, tabs
        with gr.Row(equal_height=True, elem_id="dl-link-row"):
            self.copy = tr(
                gr.Button, value=Text("link.copy"), scale=1, min_width=200, elem_id="dl-link-copy"
            )
            self.link = tr(
                gr.Textbox, label=Text("link.label"), info=Text("link.info"), interactive=False,
                max_lines=3, scale=4, buttons=["copy"], elem_id="dl-link",
            )  # fmt: skip
        self.notice = gr.Markdown("", elem_id="dl-link-notice")
        self.said = gr.State(None)  # the notice as a Text, said again on a language switch
        controls = list(settings.controls.values())
        # The last two inputs are filled in the browser (FROM_PAGE): the tab shown, the address.
        self.copy.click(
            self.build, [*controls, settings.preset, lang.radio, self.link, self.link], self.link,
            js=FROM_PAGE, **QUICK,
        ).then(None, self.link, None, js=COPY_JS)  # fmt: skip
        filled = [*controls, settings.lr_slider, settings.preset, settings.preset_note]
        demo.load(self.open, None, [*filled, tabs, self.notice, self.said], **QUICK)
        lang.then(self.language, [self.said, lang.radio], self.notice)

    def build(self, *values) -> str:
        """The link to this lesson: the settings, preset, language and tab, on the page's own
        address (the last value, from the browser)."""
        *settings, preset, lang, tab, address = values
        named = dict(zip(self.settings.controls, settings, strict=True))
        tab = tab if tab in TABS else None
        return build_link(address, build_query(named, preset, tab, lang))

    def open(self, request: gr.Request) -> dict:
        """A page opened from a link: its settings, preset, tab and language, and a notice of
        what was ignored (nothing changed for a page opened without one)."""
        params = request.query_params if request is not None else {}
        if not params:
            return {self.said: gr.skip()}  # an empty dict would read as one value
        lesson = parse_query(params)
        lang = common.language(request)  # as the header's switch reads it
        out: dict = {}
        if lesson.settings or lesson.preset:
            values = {**base_values(lesson.preset, lesson.settings.get("model")),
                      **lesson.settings}  # fmt: skip
            out.update(self.settings.filled(values))
        if lesson.preset:
            out[self.settings.preset] = gr.Dropdown(value=lesson.preset)
            out[self.settings.preset_note] = lesson_text(lesson.preset, lang)
        if lesson.tab:
            out[self.tabs] = gr.Tabs(selected=lesson.tab)
        if lesson.ignored:
            said = Text("link.ignored", items=listed(lesson.ignored))
            out[self.notice], out[self.said] = said.render(lang), said
            gr.Warning(said.render(lang))
        return out

    def language(self, said: Text | None, lang: str = DEFAULT) -> str:
        """The notice in the page's new language."""
        return said.render(lang) if said is not None else ""


def listed(texts: list[Text]) -> Said:
    """Several Texts as one value of a Text, in the reader's language."""
    return Said(lambda lang: " · ".join(text.render(lang) for text in texts))
