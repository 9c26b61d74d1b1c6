"""What the Draw tab's canvas sends and what the server makes of it: canvas_ink on every kind
of drawing the app accepts, the stroke request exactly as the page sends it (plain HTTP to
/queue/join), garbage in its place, and the Inside tab's once-per-drawing views."""

from __future__ import annotations

import base64
import io
import json
import secrets

import httpx
import numpy as np
import pytest
from PIL import Image, ImageDraw

from digitlab.inference.safety import BadImage
from digitlab.training.checkpoint import SHIPPED, load_checkpoint
from digitlab.ui import common, registries
from digitlab.ui.canvas import canvas_ink
from digitlab.ui.pictures import activation_sheet


def seven_layer() -> Image.Image:
    """A 7 in black on a transparent 280x280 layer, as the canvas draws it."""
    layer = Image.new("RGBA", (280, 280), (0, 0, 0, 0))
    ImageDraw.Draw(layer).line([(70, 50), (210, 50), (125, 240)], fill=(0, 0, 0, 255), width=24)
    return layer


def data_url(image: Image.Image, fmt: str = "PNG") -> str:
    out = io.BytesIO()
    image.save(out, fmt)
    return f"data:image/{fmt.lower()};base64," + base64.b64encode(out.getvalue()).decode()


def test_canvas_ink_reads_the_canvas_png_an_api_png_and_a_sketchpad_value():
    layer = seven_layer()
    ink = canvas_ink(data_url(layer))
    assert ink.shape == (280, 280) and ink.max() == 1.0
    assert np.array_equal(ink > 0.5, np.asarray(layer)[..., 3] > 127)
    on_white = Image.alpha_composite(Image.new("RGBA", layer.size, "white"), layer).convert("L")
    bare = data_url(on_white).split(",", 1)[1]  # bare base64 of black on white, from an API
    assert np.abs(canvas_ink(bare) - ink).max() < 0.01
    sketch = {"background": None, "layers": [np.asarray(layer)], "composite": None}
    assert np.abs(canvas_ink(sketch) - ink).max() < 0.01
    assert canvas_ink("") is None and canvas_ink(None) is None


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("data:image/png;base64,!!", "not valid base64"),
        ("A" * 8_000_000, "larger than"),
        (data_url(Image.new("L", (2000, 600))), "more than the 1,048,576 allowed"),
        ([1, 2], "list"),
        (7, "int"),
    ],
)
def test_canvas_ink_refuses_what_is_not_a_drawing(value, message):
    with pytest.raises(BadImage, match=message):
        canvas_ink(value)


def test_feature_maps_make_one_sheet_eight_to_a_row():
    maps = np.random.default_rng(0).random((32, 14, 14)).astype(np.float32)
    maps[5] = 0  # a dead map stays black
    sheet = activation_sheet(maps)
    assert sheet.shape == (4 * 29 - 1, 8 * 29 - 1) and sheet.dtype == np.uint8
    tile = sheet[29 : 29 + 28, 3 * 29 : 3 * 29 + 28]  # map 11: row 1, column 3, enlarged 2x
    assert tile.max() == 255 and np.array_equal(tile[::2, ::2], tile[1::2, 1::2])
    assert sheet[0:28, 5 * 29 : 5 * 29 + 28].max() == 0
    assert (sheet[28, :] == sheet[28, 0]).all()  # a grey line between the rows


def stroke(url: str, session: str, drawing, lang: str = "en") -> tuple[str, dict]:
    """One stroke as the page sends it: a join for the canvas's change, then the queue stream;
    the completion's message name and output."""
    config = httpx.get(f"{url}config").json()
    ids = {c.get("props", {}).get("elem_id"): c["id"] for c in config["components"]}
    fn = next(d["id"] for d in config["dependencies"]
              if [ids["dl-canvas"], "change"] in d["targets"])  # fmt: skip
    body = {"data": [drawing, None, None, lang, 70], "event_data": None, "fn_index": fn,
            "trigger_id": ids["dl-canvas"], "session_hash": session}  # fmt: skip
    joined = httpx.post(f"{url}gradio_api/queue/join", json=body)
    assert joined.status_code == 200, joined.text
    with httpx.stream("GET", f"{url}gradio_api/queue/data?session_hash={session}") as stream:
        for line in stream.iter_lines():
            message = json.loads(line[5:]) if line.startswith("data:") else {}
            if message.get("msg") == "process_completed":
                return ("complete" if message["success"] else "error"), message["output"]
    raise AssertionError("no completion")


def test_a_stroke_through_the_queue_is_read_and_followed_by_training(app_module, shipped):
    assert common.SHIPPED.names(), common.SHIPPED.problems
    session = secrets.token_hex(6)
    event, output = stroke(app_module.url, session, data_url(seven_layer()))
    verdict, bars, pixels, *_ = output["data"]
    assert event == "complete" and 'class="dl-digit">7<' in verdict
    assert pixels.startswith('<div class="dl-pixels"><img') and "data:image/png;base64," in pixels
    assert registries.DRAWINGS.probe(session).image.shape == (28, 28)  # a training run follows it
    event, output = stroke(app_module.url, session, "")  # Clear
    assert event == "complete" and "Draw a digit" in output["data"][0]
    assert registries.DRAWINGS.probe(session).image is None


@pytest.mark.parametrize(
    ("garbage", "answer"),
    [
        ("not a picture", "error"),
        ("data:image/png;base64,", "error"),
        (data_url(Image.new("L", (2000, 2000))), "error"),
        ([1, 2], "error"),
        (12, "error"),
        ({"layers": [{"path": "/etc/passwd"}]}, "error"),
        ({"path": "/etc/passwd"}, "Draw a digit"),  # a Sketchpad value with no layers
    ],
)
def test_garbage_in_place_of_the_drawing_is_refused_and_serving_goes_on(
    app_module, garbage, answer
):
    session = secrets.token_hex(6)
    event, output = stroke(app_module.url, session, garbage)
    said = json.dumps(output)
    assert "Traceback" not in said and "root:" not in said  # no file is ever read
    assert event == "error" if answer == "error" else answer in output["data"][0], said
    event, output = stroke(app_module.url, session, data_url(seven_layer()))
    assert event == "complete" and 'class="dl-digit">7<' in output["data"][0]


def test_the_inside_tab_recomputes_only_what_changed(app_module, shipped):
    tab = app_module.inside
    name = common.SHIPPED.of_kind("cnn").name
    drawing = data_url(seven_layer())
    first = tab.show(drawing, name, True, None, "en", None)
    assert "reads **7**" in first[tab.line] and len(first[tab.weights]) == 32
    rows = -(-load_checkpoint(SHIPPED["cnn"]).config.channels[0] // 8)  # a map a filter
    assert first[tab.maps].shape == (rows * 29 - 1, 8 * 29 - 1)  # 8 maps to a row
    again = tab.show(drawing, name, True, None, "en", first[tab.shown])
    assert set(again) == {tab.shown}  # nothing new to show: nothing computed, nothing sent
    other = tab.show(
        data_url(Image.new("RGBA", (280, 280))), name, True, None, "en", again[tab.shown]
    )
    assert set(other) == {tab.shown, tab.strip, tab.line, tab.saliency, tab.maps}  # same weights
    assert other[tab.maps] is None and other[tab.strip] == []
    assert tab.language(drawing, name, True, None, "zh", None) == {tab.shown: None}  # unopened
