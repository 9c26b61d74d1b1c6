"""The Teach tab: label the Draw tab's drawing ("this is a 7") into the session's own set and,
with a class code, the class's set (from here, or from the Draw tab's own row of digits); browse,
download and upload a set; and, below, fine-tuning a model on the set shown (teach_tune.py).

While the tab is open in a session that joined a class, a timer redraws the class's count line,
counts and gallery as the class adds drawings: every LIVE_S seconds it compares the set's version
with the one shown and sends nothing when they are the same. The sets, codes and zips are
digitlab/lab/handwriting.py's; how the page shows a set, teach_sets.py.
"""

from __future__ import annotations

import gradio as gr
import numpy as np
from gradio.context import get_render_context

from digitlab.lab.handwriting import CLASSES, HandSet, HandwritingError, normalize_code
from digitlab.lab.handwriting_zip import from_zip, to_zip
from digitlab.limits import SESSION_TTL_S
from digitlab.ui import common, teach_sets
from digitlab.ui.common import tr
from digitlab.ui.draw import LabelRow
from digitlab.ui.pictures import enlarge
from digitlab.ui.queues import QUICK
from digitlab.ui.session_folders import new_session_folder
from digitlab.ui.sessions import SessionRuns
from digitlab.ui.teach_tune import TunePanel
from digitlab.words import DEFAULT, Text, localize, t

SHOWN = 40  # newest drawings in the gallery: a class set of 2,000 would be 2,000 files a click
LIVE_S = 3.0  # the live view's period: 30 students' drawings show within a few seconds


class TeachTab:
    """Builds the Teach tab in the current Blocks (inside its gr.Tab), wired to the Draw tab's
    canvas and picker."""

    def __init__(
        self, canvas: gr.HTML, picker: gr.Dropdown, runs: gr.State, lang: common.Language,
        labels: LabelRow | None = None,
    ) -> None:  # fmt: skip
        tab = get_render_context()
        if not isinstance(tab, gr.Tab):
            raise TypeError("build TeachTab inside its gr.Tab")
        self.runs, self.picker = runs, picker
        # This session's HandSet: in gr.State, never seen by another session; dropped with it.
        self.mine = gr.State(None, time_to_live=SESSION_TTL_S)
        self.klass = gr.State("")  # the class code this session joined
        self.shown = gr.State([])  # (key, digit) of the drawings in the gallery, in its order
        self.picked = gr.State(None)  # key of the drawing selected in the gallery
        self.said = gr.State(None)  # the last line about the set, as a Text (said again)
        self.seen = gr.State(None)  # what the view shows: (code, which, the class set's version)
        self.live = gr.Timer(LIVE_S, active=False)  # runs while the tab is open with a class
        tr(gr.Markdown, value=Text("teach.intro"))
        self._class_row()
        self._label_row()
        self._set_rows()
        self.tuning = TunePanel(runs, picker, teach_sets.chosen_set)  # it learns from the set shown
        self._wire(tab, canvas, lang)
        if labels is not None:
            self._wire_labels(labels, canvas, lang)

    def _class_row(self) -> None:
        with gr.Row(equal_height=True):
            self.code = tr(
                gr.Textbox, label=Text("teach.code"), info=Text("teach.code_info"), max_lines=1,
                max_length=20, scale=2, elem_id="dl-teach-code",
            )  # fmt: skip
            self.join = tr(gr.Button, value=Text("teach.join"), scale=1, elem_id="dl-teach-join")
            self.create = tr(
                gr.Button, value=Text("teach.new_code"), scale=1, elem_id="dl-teach-new-code"
            )
        self.class_line = gr.Markdown(t("teach.no_class"), elem_id="dl-teach-class")

    def _label_row(self) -> None:
        tr(gr.Markdown, value=Text("teach.label_hint"))
        with gr.Row():
            self.digits = [
                gr.Button(str(d), min_width=40, elem_id=f"dl-teach-{d}") for d in range(10)
            ]
        self.line = gr.Markdown(t("teach.add_hint"), elem_id="dl-teach-line")

    def _set_rows(self) -> None:
        self.which = gr.Radio(
            choices=teach_sets.set_choices(DEFAULT),
            value="mine",
            show_label=False,
            elem_id="dl-teach-which",
        )
        self.counts = gr.HTML(
            teach_sets.counts_html([0] * 10),
            css_template=teach_sets.COUNTS_CSS,
            elem_id="dl-counts",
        )
        self.gallery = tr(
            gr.Gallery, label=Text("teach.gallery"), columns=10, fit_columns=False, height=240,
            allow_preview=False, object_fit="contain", format="png", elem_id="dl-teach-gallery",
        )  # fmt: skip
        with gr.Row():
            self.remove = tr(gr.Button, value=Text("teach.remove"), elem_id="dl-teach-remove")
            self.export = tr(gr.Button, value=Text("teach.download"), elem_id="dl-teach-download")
            self.upload = tr(
                gr.UploadButton, label=Text("teach.upload"), file_types=[".zip"], type="binary",
                elem_id="dl-teach-upload",
            )  # fmt: skip
        self.zip = tr(
            gr.File, label=Text("teach.zip"), interactive=False, visible=False, height=80,
            elem_id="dl-teach-zip",
        )  # fmt: skip

    def _wire(self, tab: gr.Tab, canvas: gr.HTML, lang: common.Language) -> None:
        sets = [self.mine, self.klass, self.which, lang.radio]
        view = [self.counts, self.gallery, self.shown, self.picked, self.seen, self.class_line]
        said = [self.line, self.said]
        for digit, button in enumerate(self.digits):
            button.click(self.adder(digit), [canvas, *sets], [self.mine, *said, *view], **QUICK)
        joined = [self.klass, self.which, self.live, *view]
        self.create.click(self.new_class, lang.radio, [self.code, *joined], **QUICK)
        self.join.click(self.join_class, [self.code, self.mine, lang.radio], joined, **QUICK)
        self.code.submit(self.join_class, [self.code, self.mine, lang.radio], joined, **QUICK)
        self.which.change(self.view, sets, view, **QUICK)
        self.gallery.select(self.pick, [self.shown, lang.radio], [self.picked, *said], **QUICK)
        self.remove.click(self.drop, [self.picked, *sets], [*said, *view], **QUICK)
        self.export.click(self.download, [*sets, self.runs], [self.zip, self.runs, *said], **QUICK)
        self.upload.upload(self.load_zip, [self.upload, *sets], [self.mine, *said, *view], **QUICK)
        # The live view: on while this tab is open (and the session has a class), off on any other.
        live = [*sets, self.seen]
        tab.select(self.opened, sets, [self.live, *view], **QUICK)
        for other in teach_sets.other_tabs(tab):
            other.select(teach_sets.stop_live, None, self.live, **QUICK)
        # A tick skips the queue: ~5-6 ms of the server's CPU instead of ~8 (16 pages, 2 cores),
        # so 30 students on this tab cost ~6% of a core; the handler itself takes ~2 µs.
        self.live.tick(self.refresh, live, [self.live, *view], queue=False, **QUICK)
        lang.then(
            self.language, [*sets, self.said],
            [self.which, self.class_line, self.line, self.counts],
        )  # fmt: skip
        self.tuning.wire(tab, sets, lang)

    def _wire_labels(self, labels: LabelRow, canvas: gr.HTML, lang: common.Language) -> None:
        """The Draw tab's "This is a: 0 ... 9": the same labelling as this tab's digits."""
        sets = [canvas, self.mine, self.klass, lang.radio]
        said = [self.mine, labels.line, labels.said]
        for digit, button in enumerate(labels.digits):
            button.click(self.drawn(digit), sets, said, **QUICK)
        lang.then(teach_sets.rendered, [labels.said, lang.radio], labels.line)

    # The sets.
    def adder(self, digit: int):
        """The handler of one of this tab's digit buttons."""

        def add(drawing, mine, code: str, which: str, lang: str, request: gr.Request) -> dict:
            return self.add(digit, drawing, mine, code, which, lang, request)

        return add

    def add(self, digit: int, drawing, mine, code: str, which: str, lang: str,
            request: gr.Request) -> dict:  # fmt: skip
        """Label the Draw tab's drawing as `digit`: into the session's set and the class's."""
        mine = HandSet() if mine is None else mine
        text = teach_sets.label(digit, drawing, mine, code, request.session_hash)
        if text is None:
            text = Text("teach.added_class", digit=digit, n=len(mine), code=code) if code else \
                Text("teach.added", digit=digit, n=len(mine))  # fmt: skip
        return {**self.say(mine, text, lang), **self.view(mine, code, which, lang)}

    def drawn(self, digit: int):
        """The handler of one of the Draw tab's "This is a" buttons."""

        def add(drawing, mine, code: str, lang: str, request: gr.Request) -> tuple:
            mine = HandSet() if mine is None else mine
            text = teach_sets.label(digit, drawing, mine, code, request.session_hash)
            klass = CLASSES.get(code) if code else None
            if text is None and klass is not None:
                text = Text("draw.added_class", digit=digit, code=code, m=len(klass))
            elif text is None:
                text = Text("draw.added", digit=digit, n=len(mine))
            return mine, text.render(lang), text

        return add

    def say(self, mine: HandSet, text: Text, lang: str) -> dict:
        """The line under the digit buttons (kept as a Text, said again on a language switch)."""
        return {self.mine: mine, self.line: text.render(lang), self.said: text}

    def view(self, mine, code: str, which: str, lang: str = DEFAULT) -> dict:
        """The class's count line, and the counts and gallery of the set shown (the session's
        own, or the class's), all from one look at the sets."""
        klass = CLASSES.get(code) if code else None
        version = klass.version if klass is not None else None  # read first: never too new
        shown = klass if which == "class" and code else mine
        drawings = shown.drawings() if shown is not None else []
        counts = np.bincount([d.label for d in drawings], minlength=10).tolist()
        newest = drawings[::-1][:SHOWN]
        n = len(drawings) if shown is klass else None  # the count line agrees with the counts
        return {
            self.counts: teach_sets.counts_html(counts, lang),
            self.gallery: [(enlarge(d.image, 4), str(d.label)) for d in newest],
            self.shown: [(d.key, d.label) for d in newest], self.picked: None,
            self.seen: (code, which, version),
            self.class_line: teach_sets.class_line(code, lang, n),
        }  # fmt: skip

    def opened(self, mine, code: str, which: str, lang: str) -> dict:
        """The tab is opened: the view as it is now, and the live view on with a class."""
        return {self.live: gr.Timer(active=bool(code)), **self.view(mine, code, which, lang)}

    def refresh(self, mine, code: str, which: str, lang: str, seen) -> dict:
        """A tick of the live view: nothing when the class's set is as shown (most ticks), else
        the view again; the timer stops when the session has no class (any more)."""
        klass = CLASSES.get(code) if code else None
        if klass is None:
            return {self.live: gr.Timer(active=False), **self.view(mine, code, which, lang)}
        if seen == (code, which, klass.version):
            return {self.live: gr.skip()}  # the page gets nothing to redraw
        shown = self.view(mine, code, which, lang)
        del shown[self.picked]  # a drawing picked for Remove stays picked (it is found by key)
        return shown

    def new_class(self, lang: str, request: gr.Request) -> dict:
        """A new class code for the teacher to share; this session joins it."""
        try:
            code = CLASSES.create(request.session_hash or "anonymous")  # "" is not limited
        except HandwritingError as error:
            raise common.Refusal(localize(error, lang)) from None
        return {
            self.code: code, self.klass: code, self.which: "class",
            self.live: gr.Timer(active=True), **self.view(None, code, "class", lang),
        }  # fmt: skip

    def join_class(self, typed: str, mine, lang: str) -> dict:
        """Join the class whose code was typed; an unknown code is said plainly."""
        klass = CLASSES.get(typed)
        if klass is None:
            text = "teach.no_such_class" if (typed or "").strip() else "teach.no_class"
            return {self.klass: "", self.which: "mine", self.live: gr.Timer(active=False),
                    **self.view(mine, "", "mine", lang),
                    self.class_line: t(text, lang, code=(typed or "").strip()[:20])}  # fmt: skip
        code = normalize_code(typed)
        return {self.klass: code, self.which: "class", self.live: gr.Timer(active=True),
                **self.view(mine, code, "class", lang)}  # fmt: skip

    def pick(self, shown: list, lang: str, event: gr.SelectData) -> dict:
        """Remember the drawing clicked in the gallery, and say which it is."""
        index = event.index if isinstance(event.index, int) else -1
        if not 0 <= index < len(shown):
            return {self.picked: None}
        key, digit = shown[index]
        text = Text("teach.picked", digit=digit)
        return {self.picked: key, self.line: text.render(lang), self.said: text}

    def drop(self, key, mine, code: str, which: str, lang: str, request: gr.Request) -> dict:
        """Remove the drawing selected in the gallery from the set shown."""
        shown = teach_sets.chosen_set(mine, code, which)
        if key is None or shown is None:
            text = Text("teach.pick_first")
        elif shown.remove(key, request.session_hash):
            text = Text("teach.removed", n=len(shown))
        else:
            text = Text("teach.not_yours")
        return {self.line: text.render(lang), self.said: text, **self.view(mine, code, which, lang)}

    def download(self, mine, code: str, which: str, lang: str, runs) -> dict:
        """The set shown as a zip (PNG per drawing, labels.csv), in the session's folder."""
        shown = teach_sets.chosen_set(mine, code, which)
        if shown is None or not len(shown):
            text = Text("teach.empty_set")
            return {self.line: text.render(lang), self.said: text}
        runs = runs or SessionRuns()
        if runs.folder is None or not runs.folder.is_dir():  # the session's own, swept with it
            runs.folder = new_session_folder()
        path = runs.folder / f"handwriting-{which}.zip"
        path.write_bytes(to_zip(shown.drawings()))
        text = Text("teach.downloaded", n=len(shown))
        return {self.zip: gr.File(str(path), visible=True), self.runs: runs,
                self.line: text.render(lang), self.said: text}  # fmt: skip

    def load_zip(self, data: bytes | None, mine, code: str, which: str, lang: str,
                 request: gr.Request) -> dict:  # fmt: skip
        """Add an uploaded set's drawings to the set shown, once every file in it checks out."""
        mine = HandSet() if mine is None else mine
        shown = teach_sets.chosen_set(mine, code, which)  # an empty class set is still it
        if shown is None:  # the class shown has expired: its uploads go nowhere else
            text = Text("teach.class_gone", code=code)
            return {**self.say(mine, text, lang), **self.view(mine, code, which, lang)}
        try:
            drawings = from_zip(data or b"")
        except HandwritingError as error:
            return self.say(mine, Text("teach.upload_failed", error=error), lang)
        text = teach_sets.add_drawings(shown, drawings, mine, code, request.session_hash)
        return {**self.say(mine, text, lang), **self.view(mine, code, which, lang)}

    def language(self, mine, code, which, lang, said) -> dict:
        """After a language switch: the set's texts and the last line in lang."""
        return {
            self.which: gr.Radio(choices=teach_sets.set_choices(lang)),
            self.class_line: teach_sets.class_line(code, lang),
            self.counts: teach_sets.counts_html(teach_sets.chosen_counts(mine, code, which), lang),
            self.line: said.render(lang) if said is not None else t("teach.add_hint", lang),
        }
