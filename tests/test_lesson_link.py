"""Lesson links (issue 31): the Train tab's settings, the preset, the tab and the language as a
query string and back; every value checked as the Train tab checks it, a bad one ignored with
its reason in the student's language."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest

from digitlab.training.settings import BY_NAME, SETTINGS, config_from, defaults, recipe
from digitlab.ui import presets
from digitlab.ui.lesson_query import (
    Lesson,
    base_values,
    build_link,
    build_query,
    parse_query,
)
from digitlab.words import localize


def opened(query: str) -> Lesson:
    """What a page opened with this query reads (the last of a repeated key, as Starlette)."""
    return parse_query(dict(parse_qsl(query.lstrip("?"), keep_blank_values=True)))


def round_trip(settings: dict, preset: str | None = None) -> dict:
    lesson = opened(build_query(settings, preset, "train", "zh"))
    assert lesson.ignored == [] and (lesson.tab, lesson.lang) == ("train", "zh")
    assert lesson.preset == preset
    return {**base_values(lesson.preset, lesson.settings.get("model")), **lesson.settings}


def slider_points(setting):
    n = round((setting.high - setting.low) / setting.step)
    return [round(setting.low + i * setting.step, 10) for i in (0, 1, n // 2, n)]


def every_value():
    """(name, value) for each choice of each setting and points along each slider."""
    for s in SETTINGS:
        if s.kind in ("radio", "dropdown"):
            yield from ((s.name, choice) for choice in s.choices)
        elif s.kind == "slider":
            yield from ((s.name, point) for point in slider_points(s))
        elif s.kind == "checkbox":
            yield from ((s.name, flag) for flag in (True, False))
    yield from [("lr", 0.0001), ("lr", 0.5), ("lr", 10), ("lr", 0.0031), ("seed", 123456789)]
    yield from [("hidden", ""), ("hidden", "512, 256, 128"), ("channels", "8"), ("dense", "")]


def test_the_defaults_and_every_model_recipe_and_preset_come_back_equal():
    assert round_trip(defaults()) == defaults()
    for model in ("MLP", "CNN"):
        assert round_trip(recipe(model)) == recipe(model)
    for preset in presets.PRESETS:
        assert round_trip(preset.values(), preset.key) == preset.values(), preset.key
        changed = {**preset.values(), "epochs": 7, "seed": 3}
        assert round_trip(changed, preset.key) == changed


@pytest.mark.parametrize("name, value", list(every_value()))
def test_each_value_a_control_can_hold_comes_back_equal(name, value):
    start = recipe("MLP") if name in ("hidden", "activation") else defaults()
    settings = {**start, name: value, "subset": 60_000 if name != "subset" else value}
    if name == "subset" and value < 512:
        settings["batch_size"] = 16
    config_from(settings)  # a run the Train tab would start
    assert round_trip(settings) == settings


def test_a_link_carries_only_what_differs_from_the_lesson_it_starts_from():
    query = build_query({**recipe("MLP"), "lr": 0.5, "epochs": 5}, None, "train", "zh")
    assert query == "?model=mlp&lr=0.5&epochs=5&tab=train&lang=zh"
    tiny = presets.BY_KEY["tiny"].values()
    assert build_query(tiny, "tiny") == "?model=mlp&preset=tiny"
    assert build_query({**tiny, "hidden": "256,128"}, "tiny") == "?model=mlp&preset=tiny"
    assert opened("?model=MLP&hidden=256-128").settings["hidden"] == "256, 128"


def test_the_link_is_the_pages_own_address_with_the_lessons_query():
    query = "?model=cnn&tab=draw"
    assert build_link("https://x.hf.space/app/?lang=en#top", query) == (
        "https://x.hf.space/app/?model=cnn&tab=draw"
    )
    assert build_link("http://127.0.0.1:7860", query) == "http://127.0.0.1:7860/?model=cnn&tab=draw"
    assert build_link("javascript:alert(1)", query) == query  # only a web page's address
    assert build_link(None, query) == query


BAD = [
    ("model=rnn", "model=rnn (use one of mlp, cnn)"),
    ("lr=abc", "lr=abc (not a number)"),
    ("lr=0", "lr=0 (use 0.0001 to 10.0)"),
    ("lr=nan", "lr=nan (not a number)"),
    ("lr=1e309", "lr=1e309 (not a number)"),
    ("epochs=500", "epochs=500 (use 1 to 20)"),
    ("epochs=2.5", "epochs=2.5 (use steps of 1)"),
    ("dropout=0.33", "dropout=0.33 (use steps of 0.05)"),
    ("subset=500", "subset=500 (use one of 300, 1000, 3000, 10000, 30000, 60000)"),
    ("batch_norm=maybe", "batch_norm=maybe (use true or false)"),
    ("hidden=-5", "hidden=-5 (MLP hidden sizes: write whole numbers"),
    ("hidden=99999", "hidden=99999 (MLP hidden sizes: every size must be"),
    ("channels=", "channels= (CNN channels: give at least one size"),
    ("seed=-1", "seed=-1 (use 0 to"),
    ("seed=" + "9" * 80, "(longer than 60 characters)"),
    ("tab=settings", "tab=settings (use one of draw, train, inside, robust, evaluate, teach)"),
    ("lang=fr", "lang=fr (use one of en, zh)"),
    ("preset=hack", "preset=hack (use one of lr_high"),
    ("secret=1", "secret (no such setting)"),
    ("model=mlp&subset=300&batch_size=512", "subset=300 (batch size 512 is larger than"),
]


@pytest.mark.parametrize("query, said", BAD)
def test_a_bad_value_is_ignored_with_its_reason_in_both_languages(query, said):
    lesson = opened(query)
    assert len(lesson.ignored) == 1
    english, chinese = (localize(lesson.ignored[0], lang) for lang in ("en", "zh"))
    assert english.startswith(said) or said in english, english
    assert chinese != english and "\n" not in chinese + english
    bad = query.split("&")[-2 if "subset=300" in query else -1].split("=")[0]
    assert bad not in lesson.settings and getattr(lesson, bad, None) is None


def test_the_good_values_of_a_link_are_kept_beside_the_bad_ones():
    lesson = opened("?model=mlp&lr=oops&epochs=5&tab=train&lang=zh&x=<b>hi</b>")
    assert lesson.settings == {"model": "MLP", "epochs": 5}
    assert (lesson.tab, lesson.lang) == ("train", "zh")
    said = " ".join(localize(text) for text in lesson.ignored)
    assert "<" not in said and ">" not in said  # nothing a page would read as markup


def test_a_link_with_hundreds_of_keys_reads_only_its_first_forty():
    query = "&".join(f"k{i}=1" for i in range(500))
    lesson = opened(query)
    assert len(lesson.ignored) == 40 and lesson.settings == {}


def test_every_setting_has_a_place_in_a_link():
    assert set(BY_NAME) == {name for name, _ in every_value()} | {"model"}
    assert urlsplit(build_query(defaults())).query.startswith("model=")
