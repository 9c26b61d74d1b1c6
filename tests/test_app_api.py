"""The app through its public API: gradio_client against the app launched in this process.

Training runs on MNIST or the tests' stand-in (conftest.py); runs are tiny (a 1,000-image MLP)
to stay fast on a 2-core CPU. Missing shipped checkpoints fail the "right digit" tests.
"""

from __future__ import annotations

import base64
import io
import math
import re
import threading
import time

import pandas as pd
import pytest
from PIL import Image, ImageDraw

from digitlab.training.live import THREAD_NAME
from digitlab.ui.common import SHIPPED

gradio_client = pytest.importorskip("gradio_client")
from gradio_client import Client, handle_file  # noqa: E402

SIZE = 280
BRUSH = 12  # radius, as in the app's gr.Brush
# Digits as pen strokes in canvas fractions (x, y); each inner list is one stroke.
LOOP = [(0.5 + 0.2 * math.sin(t / 24 * 2 * math.pi), 0.5 - 0.32 * math.cos(t / 24 * 2 * math.pi))
        for t in range(25)]  # fmt: skip
DIGITS = {
    1: [[(0.5, 0.15), (0.5, 0.85)]],
    7: [[(0.25, 0.18), (0.75, 0.18)], [(0.75, 0.18), (0.45, 0.85)]],
    0: [LOOP],
}
# A tiny MLP run: 1,000 images, 2 epochs of batch 64 -> 30 steps.
TINY = dict(
    model="MLP", hidden="64", activation="relu", channels="8", batch_norm=True, lr=0.0032,
    epochs=2, batch_size=64, optimizer="adam", weight_decay=0.0, dropout=0.1,
    schedule="constant", augment="off", subset=1000, seed=0,
)  # fmt: skip


def settings(**changes) -> dict:
    """TINY with changes, by the /train endpoint's parameter names."""
    return {**TINY, **changes}


def draw_layer(strokes) -> Image.Image:
    """Black round-capped strokes on a transparent 280x280 layer, like the Sketchpad's."""
    layer = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    pen = ImageDraw.Draw(layer)
    for stroke in strokes:
        points = [(x * SIZE, y * SIZE) for x, y in stroke]
        pen.line(points, fill=(0, 0, 0, 255), width=2 * BRUSH, joint="curve")
        for x, y in (points[0], points[-1]):
            pen.ellipse((x - BRUSH, y - BRUSH, x + BRUSH, y + BRUSH), fill=(0, 0, 0, 255))
    return layer


def sketch_value(layer: Image.Image, tmp_path) -> dict:
    """The Sketchpad payload {background, layers, composite} for one drawn layer."""
    background = Image.new("RGBA", (SIZE, SIZE), (255, 255, 255, 255))
    paths = {}
    for name, image in [
        ("background", background),
        ("layer", layer),
        ("composite", Image.alpha_composite(background, layer)),
    ]:
        paths[name] = tmp_path / f"{name}.png"
        image.save(paths[name])
    return {
        "background": handle_file(paths["background"]),
        "layers": [handle_file(paths["layer"])],
        "composite": handle_file(paths["composite"]),
    }


def shown_digit(headline_html: str) -> str | None:
    """The big digit in the headline HTML ('?' for the empty state)."""
    found = re.search(r'class="dl-digit">([^<]*)<', headline_html)
    return found.group(1) if found else None


@pytest.fixture
def client(app_module) -> Client:
    """A fresh client = a fresh browser session."""
    return Client(app_module.url, verbose=False)


@pytest.fixture
def shipped(app_module, shipped):  # conftest's `shipped` fails when checkpoints/*.pt are missing
    assert SHIPPED.names(), f"the app loaded no shipped model: {SHIPPED.problems}"
    return SHIPPED


@pytest.mark.parametrize("digit", sorted(DIGITS))
def test_predict_reads_a_drawn_digit(client, shipped, digit, tmp_path):
    value = sketch_value(draw_layer(DIGITS[digit]), tmp_path)
    for model in shipped.names():
        verdict, bars, pixels, mlp_bars, cnn_bars = client.predict(
            value, model, api_name="/predict"
        )
        assert shown_digit(verdict) == str(digit), (model, verdict)
        assert model in verdict
    # Bars come in fixed 0..9 order with the winner's bar the tallest.
    rows = bars["data"]
    assert [row[0] for row in rows] == [str(d) for d in range(10)]
    assert max(rows, key=lambda row: row[1])[0] == str(digit)


def test_empty_canvas_shows_neutral_prompt(client, tmp_path):
    empty = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    verdict, bars, *_ = client.predict(sketch_value(empty, tmp_path), None, api_name="/predict")
    assert "Draw a digit" in verdict
    assert "error" not in verdict.lower()
    assert all(row[1] == 0 for row in bars["data"])


def test_predict_image_endpoint_takes_base64_png(client, shipped):
    layer = draw_layer(DIGITS[7])
    png = io.BytesIO()
    Image.alpha_composite(Image.new("RGBA", layer.size, "white"), layer).save(png, "PNG")
    data = "data:image/png;base64," + base64.b64encode(png.getvalue()).decode()
    result = client.predict(data, "cnn", api_name="/predict_image")
    assert result["digit"] == 7
    assert len(result["probabilities"]) == 10
    assert math.isclose(sum(result["probabilities"]), 1.0, rel_tol=1e-4)
    with pytest.raises(Exception, match="base64"):
        client.predict("not an image", "", api_name="/predict_image")


def test_training_streams_then_model_is_selectable(client, shipped, tmp_path):
    # A 7 on this session's canvas: the run follows it and plots its probabilities.
    seven = sketch_value(draw_layer(DIGITS[7]), tmp_path)
    client.predict(seven, shipped.names()[0], api_name="/predict")
    job = client.submit(**settings(), api_name="/train")
    updates = [out[0] for out in job]  # status line of every streamed update
    assert len(updates) >= 3, updates
    assert any(u.startswith("Epoch") for u in updates), updates
    outputs = job.result()  # the final value (outputs() may lag behind it)
    status, losses, accuracies, probe, probe_image, probe_line, picker, table, files, *live = (
        outputs
    )
    *live, _place, _counts = live  # the training line's outputs, last: place and counts
    assert any(out[-2] == "" for out in job.outputs())  # its turn came: no place in line
    assert live == [""]  # the changes line: nobody changed a setting during the run
    assert status.startswith("Finished"), status
    assert losses["data"], "the loss curve is empty"
    assert any(out[4] is not None for out in job.outputs()), "the followed drawing is not shown"
    frame = pd.DataFrame(probe["data"], columns=probe["columns"]).dropna()
    by_epoch = frame.pivot(index="epoch", columns="digit", values="probability")
    assert list(by_epoch.columns) == [str(d) for d in range(10)]
    assert len(by_epoch) >= 3 and ((by_epoch.sum(axis=1) - 1).abs() < 1e-3).all()
    assert (by_epoch.iloc[0] - by_epoch.iloc[-1]).abs().max() > 0.05  # it changed its mind
    assert probe_line.startswith(f"Now: **{by_epoch.iloc[-1].idxmax()}**"), probe_line
    run_name = next(name for name, _ in picker["choices"] if name.startswith("Run 1 · MLP 64"))
    assert table["data"][0][0] == 1
    assert files is None  # the checkpoints are listed when asked for (/downloads), not per run
    assert [f.endswith(".pt") for f in client.predict(api_name="/downloads")] == [True]

    # The chart's last point is what /predict says of the same drawing with the new model.
    _, bars, *_ = client.predict(seven, run_name, api_name="/predict")
    now = pd.DataFrame(bars["data"], columns=bars["columns"]).set_index("digit")["probability"]
    last = by_epoch.iloc[-1]
    assert all(abs(last[str(d)] - now[str(d)]) < 1e-4 for d in range(10)), (last, now)

    # The new model predicts in the same session (and only there).
    value = sketch_value(draw_layer(DIGITS[1]), tmp_path)
    verdict, *_ = client.predict(value, run_name, api_name="/predict")
    assert run_name in verdict and shown_digit(verdict).isdigit()


def test_a_run_with_pen_digits_and_a_model_judged_on_the_held_out_writers(client, shipped):
    job = client.submit(**settings(train_data="mnist+pen"), api_name="/train")
    updates = [out[0] for out in job]
    outputs = job.result()
    status, picker, table = outputs[0], outputs[6], outputs[7]
    assert status.startswith("Finished"), (status, updates)
    run_name = next(name for name, _ in picker["choices"] if name.startswith("Run 1 · MLP 64"))
    assert run_name.split(" · ")[-2] == "+pen", run_name
    row = dict(zip(table["headers"], table["data"][0], strict=True))
    assert row["imgs"] == 1_000 + 167 and row["settings"].endswith("+pen")  # 1/60 of them
    # The Evaluate tab's picker offers a session's runs once opened in the page (its focus
    # event); through the API it judges the shipped models.
    name = shipped.names()[0]
    summary, per_digit, *_ = client.predict(name, "pen", "en", api_name="/evaluate")
    assert re.search(r"accuracy \*\*\d+\.\d\d%\*\* on 2,498 digits written by 10", summary)
    assert sum(row[2] for row in per_digit["data"]) == 2_498  # the "test digits" column


def test_stop_ends_run_quickly_and_keeps_partial_model(client):
    job = client.submit(**settings(epochs=20, batch_size=16, subset=3000), api_name="/train")
    _wait_for(lambda: any(o[0].startswith("Epoch") for o in job.outputs()), timeout=60)
    asked = time.monotonic()
    client.predict(api_name="/stop")
    _wait_for(job.done, timeout=10)
    took = time.monotonic() - asked
    status, *_, picker, _table, _files, _changes, _place, _counts = job.result()
    assert status.startswith("Stopped"), status
    assert any("stopped" in name for name, _ in picker["choices"])
    assert took < 3, f"Stop took {took:.1f} s"


def test_cancel_frees_the_slot_and_ends_the_worker(client):
    job = client.submit(**settings(epochs=20, batch_size=16, subset=3000), api_name="/train")
    _wait_for(lambda: any(o[0].startswith("Epoch") for o in job.outputs()), timeout=60)
    job.cancel()
    _wait_for(lambda: not _training_threads(), timeout=10)
    # The training slot is free again: a new run starts and finishes.
    status = client.predict(**settings(), api_name="/train")[0]
    assert status.startswith("Finished"), status


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"hidden": "64, lots"}, "Invalid settings: MLP hidden sizes"),
        ({"channels": "16, 32, 64, 128"}, "Invalid settings: CNN channels"),
        ({"batch_size": 512, "subset": 300}, "Invalid settings: batch size"),
        ({"hidden": "5000"}, "Invalid settings: MLP hidden sizes"),
        ({"epochs": 1.5}, "Invalid settings: epochs"),
        ({"lr": 100.0}, "learning rate"),
    ],
)
def test_bad_settings_give_a_clear_message(client, change, message):
    with pytest.raises(Exception) as raised:
        client.predict(**settings(**change), api_name="/train")
    text = str(raised.value)
    assert message in text, text
    assert "Traceback" not in text


def test_the_dropdowns_numbers_are_taken_as_the_api_page_writes_them(client):
    """gradio_client documents every dropdown choice quoted (Literal['300', ...]): a caller
    who sends "1000" gets the run 1000 gets, and a number not among the choices is refused."""
    info = client.view_api(return_format="dict", print_info=False)
    params = info["named_endpoints"]["/train"]["parameters"]
    documented = {p["parameter_name"]: p["python_type"]["type"] for p in params}
    assert "'1000'" in documented["subset"], documented["subset"]
    assert "'64'" in documented["batch_size"], documented["batch_size"]
    as_text = settings(subset="1000", batch_size="64", weight_decay="0.0001", epochs=1)
    status = client.predict(**as_text, api_name="/train")[0]
    # 1,000 images in batches of 64: 15 steps an epoch (300 images or a batch of 16 are not).
    assert status.startswith("Finished after 1 epochs (15 steps"), status
    with pytest.raises(Exception, match="1001"):
        client.predict(**settings(subset="1001"), api_name="/train")


def _training_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == THREAD_NAME and t.is_alive()]


def _wait_for(condition, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout} s")
        time.sleep(0.05)


def test_students_pressing_train_at_once_wait_in_the_line_and_all_finish(app_module):
    """Three sessions train at once: one slot; the others wait in the training line, told their
    place and start time (the outputs' last two: place, counts); all end."""
    clients = [Client(app_module.url, verbose=False) for _ in range(3)]
    jobs = [c.submit(**settings(epochs=3, subset=3000), api_name="/train") for c in clients]
    finals = [job.result()[0] for job in jobs]
    assert all(f.startswith("Finished") for f in finals), finals
    said = [[out[-2] for out in job.outputs() if "data-place" in str(out[-2])] for job in jobs]
    assert any(said), "with one training slot, some run should have waited in the line"
    places = sorted(int(re.search(r'data-place="(\d+)"', lines[0])[1]) for lines in said if lines)
    assert places[0] == 1 and all(p >= 1 for p in places), places
    assert all("should start in about" in line for lines in said for line in lines), said
    # Each session got its own model: every picker lists exactly one session run.
    for job in jobs:
        picker = job.result()[6]
        assert sum(name.startswith("Run ") for name, _ in picker["choices"]) == 1


def test_messages_come_in_the_language_asked_for(client, shipped, tmp_path):
    with pytest.raises(Exception) as raised:
        client.predict(**settings(hidden="64, lots"), lang="zh", api_name="/train")
    assert "设置有误：MLP 隐藏层大小：请写用逗号分隔的整数" in str(raised.value), raised.value
    seven = sketch_value(draw_layer(DIGITS[7]), tmp_path)
    verdict, *_ = client.predict(seven, shipped.names()[0], "zh", api_name="/predict")
    assert "把握" in verdict and "预训练 CNN" in verdict and shown_digit(verdict) == "7", verdict


def test_the_queue_does_not_summarise_its_events_after_each_one(app_module):
    """Gradio's queue rebuilds a pandas summary of its last 10,000 events after each event
    unless told otherwise (4-8 ms of server CPU a stroke): the app asks for every 1,000th."""
    assert app_module.demo._queue.ANAYLTICS_CACHE_FREQUENCY >= 1000
