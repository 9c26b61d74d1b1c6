"""The verdict as the page shows it: the big headline (a digit and how sure, then the two
runners-up, or "not sure" and why), its one line under the canvas on a phone, and the 28x28
image the model sees. Pure HTML from a prediction; the Draw and Robustness tabs show it.

The headline carries the verdict in one sentence (data-said) and what it is (data-key: the
digit, "unsure" or "empty"): the page's polite live region says the sentence when the key
changes (digitlab/ui/a11y.py)."""

from __future__ import annotations

import base64
import html
import io

import numpy as np
from PIL import Image

from digitlab.inference.predict import Prediction
from digitlab.ui.pictures import grey
from digitlab.words import DEFAULT, t

# The model's 28x28 input, enlarged pixel-sharp in the page with a grid line between pixels:
# sent inline (a few hundred bytes), so a stroke writes no file and fetches no picture.
PIXELS_CSS = """
.dl-pixels { position: relative; width: min(100%, 281px); aspect-ratio: 1; margin: 0 auto; }
.dl-pixels img { display: block; width: 100%; height: 100%; image-rendering: pixelated; }
.dl-pixels::after {
  content: ""; position: absolute; inset: 0; pointer-events: none;
  background-image: linear-gradient(to right, rgb(60 60 60) 1px, transparent 1px),
    linear-gradient(to bottom, rgb(60 60 60) 1px, transparent 1px);
  background-size: calc(100% / 28) calc(100% / 28);
}
"""
# The verdict's "not sure" (a word where the digit was, the best guess small below it).
VERDICT_CSS = """
.dl-unsure .dl-word { font-size: 56px; font-weight: 700; line-height: 1.05; padding: 18px 0 8px; }
.dl-guess { font-size: 17px; opacity: 0.8; margin-top: 4px; }
.dl-then { font-size: 17px; margin-top: 4px; }
"""
# The one-line verdict under the canvas: only on a narrow screen, where the columns stack and
# the big verdict falls below the first screen of a phone.
COMPACT_CSS = """
.dl-compact { display: none; }
@media (max-width: 700px) {
  .dl-compact { display: flex; align-items: baseline; justify-content: center; gap: 12px;
    font-size: 20px; }
  .dl-compact b { font-size: 40px; line-height: 1.1; }
  .dl-compact.dl-unsure { flex-wrap: wrap; row-gap: 0; text-align: center; }
  .dl-compact.dl-unsure b { font-size: 28px; }
  .dl-compact.dl-unsure span { font-size: 17px; }
  .dl-compact.dl-empty { opacity: 0.4; }
}
"""
# % sure, temperature-scaled. With the ink check, the shipped CNN says "not sure" to 0.8% of MNIST
# test 5000-9999 and 1.1% of the drawn digits (python -m benchmarks.not_sure --verdict).
DEFAULT_THRESHOLD = 70


def headline(
    probabilities: np.ndarray | None, model_name: str, note: str = "", lang: str = DEFAULT,
    *, threshold: float = 0, doubt: str | None = None, prompt: str = "draw.empty",
) -> str:  # fmt: skip
    """Large top digit and confidence as HTML, or the neutral prompt (its text key) with no
    drawing; "not sure" (the top guess small below it) when the drawing is no digit (doubt,
    ood.doubt's reason) or the model is less than threshold (in %) sure."""
    extra = f'<div class="dl-note">{html.escape(note)}</div>' if note else ""
    if probabilities is None:
        return _box("dl-empty", "empty", t(prompt, lang), '<div class="dl-digit">?</div>'
                    f'<div class="dl-conf">{t(prompt, lang)}</div>{extra}')  # fmt: skip
    if not np.isfinite(probabilities).all():  # a diverged model: no digit, no "nan%"
        broken = t("draw.no_numbers", lang, model=model_name)
        return _box("dl-empty", "broken", broken, '<div class="dl-digit">?</div>'
                    f'<div class="dl-conf">{html.escape(broken)}</div>{extra}')  # fmt: skip
    digit = int(np.argmax(probabilities))
    confidence = float(probabilities[digit])
    why = unsure_reason(confidence, lang, threshold, doubt)
    if why:
        guess = t("trust.guess", lang, digit=digit, confidence=confidence, model=model_name)
        said = t("draw.said_unsure", lang, why=why, digit=digit, confidence=confidence)
        return _box("dl-unsure", "unsure", said,
                    f'<div class="dl-word">{t("trust.not_sure", lang)}</div>'
                    f'<div class="dl-conf">{html.escape(why)}</div>'
                    f'<div class="dl-guess">{html.escape(guess)}</div>{extra}')  # fmt: skip
    sure = t("draw.sure", lang, confidence=confidence, model=model_name)
    others = runners_up(probabilities, lang)
    said = t("draw.said", lang, digit=digit, confidence=confidence, **others)
    then = t("draw.then", lang, **others)
    return _box("", str(digit), said,
                f'<div class="dl-digit">{digit}</div><div class="dl-conf">{html.escape(sure)}</div>'
                f'<div class="dl-then">{html.escape(then)}</div>{extra}')  # fmt: skip


def _box(kind: str, key: str, said: str, inner: str) -> str:
    """The headline's box: its kind of verdict (a CSS class), key and sentence for the live
    region, and its contents."""
    classes = f"dl-headline {kind}".strip()
    return (
        f'<div class="{classes}" data-key="{html.escape(key)}" data-said="{html.escape(said)}">'
        f"{inner}</div>"
    )


def runners_up(probabilities: np.ndarray, lang: str = DEFAULT) -> dict[str, str]:
    """The two digits after the top one, most likely first: {"first": "1 (5%)", "second": ...}."""
    order = np.argsort(-np.asarray(probabilities), kind="stable")[1:3]
    said = [
        t("draw.other", lang, digit=int(d), confidence=float(probabilities[d]))
        if probabilities[d] >= 0.005
        else t("draw.other_tiny", lang, digit=int(d))
        for d in order
    ]
    return dict(zip(("first", "second"), said, strict=True))


def unsure_reason(
    confidence: float, lang: str, threshold: float = 0, doubt: str | None = None
) -> str:
    """Why the verdict is "not sure" ("" when it is not): no digit drawn, or too little sure."""
    if doubt:
        return t(f"trust.{doubt}", lang)
    if 100 * confidence < threshold:
        return t("trust.low", lang, confidence=confidence, threshold=round(threshold))
    return ""


def compact(seen: Prediction | None, lang: str = DEFAULT, threshold: float = 0) -> str:
    """The verdict in one line, under the canvas on a phone (where the big one is below it):
    "not sure" gives the big verdict's reason (a dot is no digit, however sure the model is)."""
    if seen is None or not np.isfinite(seen.probabilities).all():
        return '<div class="dl-compact dl-empty">?</div>'
    why = unsure_reason(seen.confidence, lang, threshold, seen.doubt)
    if why:
        word = html.escape(t("trust.not_sure", lang))
        guess = "" if seen.doubt else f"{seen.digit}? "  # too little sure: which digit, though
        return (
            f'<div class="dl-compact dl-unsure"><b>{word}</b>'
            f"<span>{guess}{html.escape(why)}</span></div>"
        )
    sure = t("trust.compact_sure", lang, confidence=seen.confidence)
    return f'<div class="dl-compact"><b>{seen.digit}</b><span>{html.escape(sure)}</span></div>'


def pixels_html(image28: np.ndarray | None) -> str:
    """The 28x28 model input (black when nothing is drawn) as an inline PNG in HTML."""
    png = io.BytesIO()
    Image.fromarray(grey(np.zeros((28, 28)) if image28 is None else image28)).save(png, "PNG")
    data = base64.b64encode(png.getvalue()).decode()
    return f'<div class="dl-pixels"><img alt="28x28" src="data:image/png;base64,{data}"></div>'


def finite(probabilities: np.ndarray | None) -> np.ndarray | None:
    """The probabilities if they are numbers (a diverged model's are NaN: no bars then)."""
    ok = probabilities is not None and np.isfinite(probabilities).all()
    return probabilities if ok else None
