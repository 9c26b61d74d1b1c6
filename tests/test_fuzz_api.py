"""Garbage through the real HTTP API: every call gets a clear error or a neutral answer.

Plain httpx against the app launched in this process (Gradio's /gradio_api/call/<api> routes,
as any client or curl would use them). No response may carry a traceback or be a 5xx, and the
app must still answer normal calls promptly afterwards.
"""

from __future__ import annotations

import base64
import io
import json
import resource
import statistics
import time

import httpx
import numpy as np
import pytest
from PIL import Image, ImageDraw

from benchmarks.app_latency import train_data
from tests.test_safety import png_bytes

NORMAL = dict(
    model="MLP", hidden="16", activation="relu", channels="8", batch_norm=True, lr=0.0032,
    epochs=1, batch_size=64, optimizer="adam", weight_decay=0.0, dropout=0.1,
    schedule="constant", augment="off", subset=300, seed=0,
)  # fmt: skip
NAN, INF = float("nan"), float("inf")


@pytest.fixture(scope="module")
def url(app_module) -> str:
    """The URL of the app launched in this process (conftest.py)."""
    return app_module.url


def call(url: str, api: str, data: list, timeout: float = 60) -> tuple[str, object]:
    """POST data to /gradio_api/call/<api>; the last SSE event's name and data."""
    body = json.dumps({"data": data})  # json.dumps writes NaN/Infinity, as a hostile client may
    posted = httpx.post(
        f"{url}gradio_api/call/{api}", content=body, timeout=timeout,
        headers={"content-type": "application/json"},
    )  # fmt: skip
    assert posted.status_code < 500 and "Traceback" not in posted.text, posted.text
    if posted.status_code != 200:
        return "rejected", posted.text
    got = httpx.get(f"{url}gradio_api/call/{api}/{posted.json()['event_id']}", timeout=timeout)
    assert got.status_code == 200 and "Traceback" not in got.text, got.text
    lines = got.text.splitlines()
    events = [line.removeprefix("event: ") for line in lines if line.startswith("event:")]
    datas = [line.removeprefix("data: ") for line in lines if line.startswith("data:")]
    return events[-1], json.loads(datas[-1])


def error_text(url: str, api: str, data: list) -> str:
    """The error message the call gets ('' for Gradio's own input checks, which give none)."""
    event, payload = call(url, api, data)
    assert event in ("error", "rejected"), (event, payload)
    return (payload.get("error") or "") if isinstance(payload, dict) else str(payload)


def b64(image: Image.Image, fmt: str = "PNG") -> str:
    out = io.BytesIO()
    image.save(out, fmt)
    return base64.b64encode(out.getvalue()).decode()


def truncated(data: str) -> str:
    raw = base64.b64decode(data)
    return base64.b64encode(raw[: len(raw) // 2]).decode()


def seven() -> Image.Image:
    picture = Image.new("L", (280, 280), "white")
    ImageDraw.Draw(picture).line([(70, 50), (210, 50), (125, 240)], fill="black", width=24)
    return picture


def normal_latency(url: str, calls: int = 5) -> float:
    """Median seconds of a normal /predict_image call (a drawn 7 must come back as 7)."""
    times = []
    for _ in range(calls):
        start = time.perf_counter()
        event, (result,) = call(url, "predict_image", [b64(seven()), "cnn"])
        times.append(time.perf_counter() - start)
        assert event == "complete" and result["digit"] == 7, result
    return statistics.median(times)


BAD_IMAGES = [
    (["not an image", "cnn"], "not valid base64"),
    ([123, "cnn"], "expected a base64 string, got int"),
    ([None, "cnn"], "expected a base64 string, got NoneType"),
    ([["a", "list"], "cnn"], "expected a base64 string, got list"),
    ([{"path": "/etc/passwd"}, "cnn"], "expected a base64 string, got dict"),
    (["", "cnn"], "empty"),
    (["data:image/png;base64,", ""], "empty"),
    ([base64.b64encode(b"\x00\x01 not a picture").decode(), "cnn"], "not a PNG or JPEG"),
    ([b64(Image.new("RGB", (9, 9)), "GIF"), "cnn"], "not a PNG or JPEG"),
    ([truncated(b64(Image.effect_noise((280, 280), 60))), "cnn"], "could not be decoded"),
    ([base64.b64encode(png_bytes(20_000, 20_000)).decode(), "cnn"], "pixels"),
    (["A" * 8_000_000, "cnn"], "larger than"),
    ([b64(seven()), 5], "model: expected a name"),
    ([b64(seven()), "resnet"], 'model: unknown model "resnet"; valid names: "cnn", "mlp"'),
    ([], ""),  # no arguments at all: Gradio refuses before the handler
]


def test_bad_images_get_clear_errors_and_others_are_not_slowed(url):
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    for data, message in BAD_IMAGES:
        text = error_text(url, "predict_image", data)
        assert message in text, (data[:1], text)
    # The 20000x20000 PNG was refused from its header: decoded it would take 400 MB to 1.6 GB.
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak) / 1024
    assert grown_mb < 200, f"peak memory grew {grown_mb:.0f} MB"
    normal_latency(url)  # a drawn 7 still reads 7 (its time: python -m benchmarks.app_latency)


@pytest.mark.parametrize(
    "image", [Image.new("L", (1, 1), "white"), Image.new("L", (1, 1), "black"),
              Image.new("L", (280, 280), "black"), Image.new("RGBA", (280, 280), (0, 0, 0, 255))],
    ids=["1x1 white", "1x1 black", "all ink", "all ink RGBA"],
)  # fmt: skip
def test_degenerate_images_give_a_neutral_answer(url, image):
    for fmt in ("PNG", "JPEG"):
        if fmt == "JPEG" and image.mode == "RGBA":
            continue
        event, (result,) = call(url, "predict_image", [b64(image, fmt), ""])
        assert event == "complete", result
        assert result["digit"] is None and result["probabilities"] == [0.0] * 10


def upload(url: str, data: bytes, name: str = "layer.png") -> dict:
    """Upload bytes as a file, the way the browser sends a Sketchpad layer; its FileData."""
    done = httpx.post(f"{url}gradio_api/upload", files=[("files", (name, data, "image/png"))])
    assert done.status_code == 200, done.text
    return {"path": done.json()[0], "meta": {"_type": "gradio.FileData"}}


def png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def sketch(layer: dict | None) -> dict:
    return {"background": None, "layers": [layer] if layer else [], "composite": None}


def test_bad_canvas_values_are_refused_or_neutral(url):
    passwd = {"path": "/etc/passwd", "meta": {"_type": "gradio.FileData"}}
    for data in (
        ["x", None, None, "en"],
        [sketch(passwd), None, None, "en"],
        [[1, 2], None, None, "en"],
    ):
        text = error_text(url, "predict", data)
        assert "root:" not in text, text  # no file outside Gradio's uploads is ever read
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for data in (png_bytes(20_000, 20_000), b"not a png at all"):
        error_text(url, "predict", [sketch(upload(url, data)), None, None, "en"])
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak) / 1024
    assert grown_mb < 200, f"peak memory grew {grown_mb:.0f} MB decoding a canvas bomb"
    neutral = [
        None,
        sketch(None),
        sketch(upload(url, png(Image.new("RGBA", (1, 1), (0, 0, 0, 255))))),
        sketch(upload(url, png(Image.new("RGBA", (280, 280), (0, 0, 0, 255))))),  # all ink
    ]
    for value in neutral:
        event, outputs = call(url, "predict", [value, None, None, "en"])
        assert event == "complete" and "Draw a digit" in outputs[0], outputs[0]
    # A real drawing still reads right afterwards.
    layer = Image.new("RGBA", (280, 280), (0, 0, 0, 0))
    ImageDraw.Draw(layer).line([(70, 50), (210, 50), (125, 240)], fill=(0, 0, 0, 255), width=24)
    event, outputs = call(url, "predict", [sketch(upload(url, png(layer))), None, None, "en"])
    assert event == "complete" and 'class="dl-digit">7<' in outputs[0], outputs[0]


def test_nan_canvas_arrays_give_a_neutral_answer(app_module):
    # NaN cannot travel in a PNG; this is the handler itself fed a float canvas full of NaN.
    nan_layer = np.full((280, 280, 4), np.nan, dtype=np.float32)
    draw = app_module.draw
    verdict = draw.predict({"background": None, "layers": [nan_layer]}, None, None)[draw.verdict]
    assert "Draw a digit" in verdict


BAD_SETTINGS = [
    ({"model": "RNN"}, "not in the list of choices"),
    ({"model": None}, "Invalid settings: model"),
    ({"hidden": "²"}, "Invalid settings: MLP hidden sizes"),
    ({"hidden": "-5"}, "Invalid settings: MLP hidden sizes"),
    ({"hidden": "9" * 5000}, "Invalid settings: MLP hidden sizes: sizes are far too large"),
    ({"hidden": [1, 2]}, "Invalid settings: MLP hidden sizes"),
    ({"channels": "0"}, "Invalid settings: CNN channels"),
    ({"activation": "evil"}, "not in the list of choices"),
    ({"lr": NAN}, "Invalid settings: learning rate"),
    ({"lr": INF}, "Invalid settings: learning rate"),
    ({"lr": "abc"}, ""),
    ({"epochs": 1e9}, "greater than maximum value"),
    ({"epochs": -1}, "less than minimum value"),
    ({"epochs": NAN}, "Invalid settings: epochs: nan is not a whole number"),
    ({"batch_size": 100_000}, "not in the list of choices"),
    ({"batch_size": -64}, "not in the list of choices"),
    ({"batch_size": "65"}, "not in the list of choices"),  # "64" is 64 (the API page says "64")
    ({"batch_size": "sixty-four"}, "not in the list of choices"),
    ({"subset": 10**12}, "not in the list of choices"),
    ({"dropout": NAN}, "Invalid settings: dropout"),
    ({"dropout": -1}, "less than minimum value"),
    ({"weight_decay": 1e9}, "not in the list of choices"),
    ({"optimizer": {"a": 1}}, "not in the list of choices"),
    ({"schedule": None}, "Invalid settings: LR schedule"),
    ({"seed": 1e300}, "Invalid settings: seed: 1e+300 is far too large"),
    ({"seed": -1}, "Invalid settings: seed"),
    ({"seed": NAN}, ""),
    ({"seed": "abc"}, ""),
]


def test_bad_training_settings_get_clear_errors_and_the_app_keeps_serving(url):
    for change, message in BAD_SETTINGS:
        text = error_text(url, "train", train_data({**NORMAL, **change}))
        assert message in text, (change, text)
        if message.startswith("Invalid settings"):
            assert len(text) < 300, text  # a sentence, not a 300-digit number
    # Too few values: Gradio refuses them before any handler; ui/api_errors.py says why.
    assert error_text(url, "train", []) == (
        "This call sent 0 values; it takes 22, in the order the API lists them."
    )
    event, outputs = call(url, "train", train_data(NORMAL))
    assert event == "complete" and outputs[0].startswith("Finished"), outputs[0]
    normal_latency(url)  # and a drawn 7 still reads 7
