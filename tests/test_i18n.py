"""Every text exists in English and Simplified Chinese, and every label on the page switches."""

from __future__ import annotations

import re

import pytest
from gradio.components.api_component import Api

from digitlab.config import ConfigError
from digitlab.words import LANGUAGES, STRINGS, Text, localize, placeholders, t

CJK = re.compile(r"[\u4e00-\u9fff]")
# Texts that read the same in both languages (a language picker, pure formatting).
SAME_IN_BOTH = {"app.language", "app.warning", "train.lesson"}
# Names a Chinese page writes in Latin letters, as Chinese textbooks do: models, data sets,
# optimizers, activations, devices, file types and units.
NAMES = {
    "DigitLab", "MLP", "CNN", "MNIST", "UNIPEN", "SGD", "Adam", "AdamW", "ReLU", "Tanh", "Sigmoid",
    "CPU", "CUDA", "GPU", "PNG", "JPEG", "zip", "ECE", "T", "PyTorch", "Gradio", "CC", "BY", "PCA",
    "KB", "MB", "UCI",
}  # fmt: skip


@pytest.mark.parametrize("key", sorted(STRINGS))
def test_every_text_has_both_languages_with_the_same_blanks(key):
    assert set(STRINGS[key]) == set(LANGUAGES), key
    english, chinese = STRINGS[key]["en"], STRINGS[key]["zh"]
    assert english.strip() and chinese.strip()
    assert placeholders(english) == placeholders(chinese), key
    if key not in SAME_IN_BOTH and chinese not in NAMES:
        assert CJK.search(chinese), f"{key}: {chinese!r} is not translated"
        assert not CJK.search(english), f"{key}: {english!r} has Chinese in the English"


def test_t_reads_each_language_by_its_code():
    assert t("tab.train", "en") == "Train"
    assert t("tab.train", "zh") == "训练"
    assert t("app.language", "en") == "Language / 语言"


def test_values_settings_and_nested_messages_render_in_the_same_language():
    inner = Text("config.integer", field="batch_size", value=0, lo=1, hi=60_000)
    outer = Text("msg.invalid", error=inner)
    assert str(outer) == "Invalid settings: batch size: 0 must be a whole number from 1 to 60000."
    assert outer.render("zh") == "设置有误：批大小：0 必须是 1 到 60000 之间的整数。"
    assert t("train.idle", "fr") == t("train.idle")  # unknown language: English
    with pytest.raises(KeyError):
        Text("no.such.key")


def test_exceptions_carry_their_message_in_every_language():
    error = ConfigError(Text("config.sizes_format", field="hidden"))
    assert str(error) == "MLP hidden sizes: write whole numbers separated by commas, e.g. 64, 32."
    assert localize(error, "zh") == "MLP 隐藏层大小：请写用逗号分隔的整数，例如 64, 32。"
    assert localize(ValueError("plain"), "zh") == "plain"  # not ours: shown as it is


def test_every_labelled_component_on_the_page_is_translated():
    import app

    untranslated = [
        (type(block).__name__, block.label)
        for block in app.demo.blocks.values()
        if getattr(block, "label", None) and not isinstance(block, Api)  # gr.api's, not shown
        and block not in app.tr and block is not app.lang.radio
    ]  # fmt: skip
    assert not untranslated, untranslated


def test_the_chinese_page_has_no_english_label_left():
    import app

    english_left = []
    for component in app.tr:
        update = app.tr.update(component, "zh")
        for name in ("label", "info", "value", "title", "x_title", "y_title", "color_title"):
            text = getattr(update, name, None)
            if isinstance(text, str) and text and not CJK.search(text):
                english_left.append((type(update).__name__, name, text))
    # Axis titles and labels that are model or digit names stay as they are.
    allowed = {"数字", "MLP", "CNN"}
    assert [e for e in english_left if e[2] not in allowed] == [], english_left


def test_languages_offered():
    assert LANGUAGES == {"en": "English", "zh": "简体中文"}
