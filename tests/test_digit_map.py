"""The map: penultimate features (the last layer applied to them gives the model's logits), the
untrained copy (exactly what train() starts from), PCA against numpy's SVD, the pictures, the
clusters forming on the real MNIST, the caches, and the tab's map with the drawing's marker."""

from __future__ import annotations

import base64
import dataclasses
import io

import numpy as np
import pytest
import torch
from PIL import Image

from digitlab.config import TrainConfig
from digitlab.inference.predict import Predictor
from digitlab.lab import digit_map, robustness
from digitlab.models import CNN, MLP, build_model
from digitlab.training.checkpoint import load_checkpoint
from digitlab.ui import common, figures, pictures
from digitlab.ui.robust_inputs import Look
from tests.test_robustness import sketch_seven


@pytest.mark.parametrize("model", [MLP((64, 32)), CNN((8, 16)), CNN((4, 8, 16), batch_norm=False)])
def test_the_last_layer_reads_the_penultimate_features(model):
    model.eval()
    x = torch.rand(5, 1, 28, 28)
    with torch.inference_mode():
        feats = model.penultimate(x)
        last = model.net[-1] if isinstance(model, MLP) else model.head[-1]
        assert feats.shape == (5, last.in_features)
        assert torch.allclose(last(feats), model(x), atol=1e-5)


@pytest.mark.parametrize("kind", ["mlp", "cnn"])
def test_untrained_is_what_train_starts_from_and_leaves_the_random_state(kind, shipped):
    ckpt = load_checkpoint(shipped[kind])
    cfg = TrainConfig(**{**ckpt.config.to_dict(), "seed": 3})
    state = torch.random.get_rng_state()
    fresh = digit_map.untrained(ckpt.model, 3)
    assert torch.equal(torch.random.get_rng_state(), state)
    torch.manual_seed(3)  # as train() does, just before build_model
    reference = build_model(cfg).state_dict()
    got = fresh.state_dict()
    assert reference.keys() == got.keys()
    assert all(torch.equal(reference[k], got[k]) for k in reference)
    trained = ckpt.model.state_dict()
    assert not all(torch.equal(trained[k], got[k]) for k in trained)  # the trained one is kept


def test_pca_finds_the_main_directions_as_numpys_svd_does():
    rng = np.random.default_rng(0)
    feats = rng.normal(size=(500, 6)) * np.array([5.0, 2.0, 0.5, 0.3, 0.2, 0.1]) + 3.0
    rotation, _ = np.linalg.qr(rng.normal(size=(6, 6)))
    feats = feats @ rotation
    fitted = digit_map.fit(feats, rng.integers(0, 10, 500))
    _, singular, vt = np.linalg.svd(feats - feats.mean(0), full_matrices=False)
    for axis in range(2):  # the same directions, up to sign
        assert abs(fitted.axes[:, axis] @ vt[axis]) == pytest.approx(1.0, abs=1e-6)
    assert fitted.explained == pytest.approx((singular[:2] ** 2).sum() / (singular**2).sum())
    np.testing.assert_allclose(fitted.place(feats), fitted.points, atol=1e-9)
    again = digit_map.fit(feats[::-1].copy(), fitted.labels[::-1])
    np.testing.assert_allclose(again.axes, fitted.axes, atol=1e-9)  # signs fixed: same picture


def test_nearest_counts_the_closest_dots_most_first():
    fitted = digit_map.Map(
        np.zeros(2), np.eye(2), np.array([[0, 0], [0.1, 0], [5, 5], [0, 0.2], [6, 6]], float),
        np.array([7, 1, 3, 7, 3]), 1.0,
    )  # fmt: skip
    assert fitted.nearest(np.array([0.0, 0.0]), k=3) == {7: 2, 1: 1}
    assert list(fitted.nearest(np.array([5.5, 5.5]), k=2)) == [3]


def test_the_marker_is_the_only_black_on_a_map():
    rng = np.random.default_rng(1)
    points, labels = rng.normal(size=(300, 2)), np.arange(300) % 10
    picture, frame = pictures.map_picture(points, labels)
    assert picture.shape == (pictures.MAP_SIDE, pictures.MAP_SIDE, 3)
    assert not (picture == 0).all(2).any()
    assert len(np.unique(picture.reshape(-1, 3), axis=0)) > 10  # ten digit colours and more
    marked = pictures.map_marker(picture, frame, (0.0, 0.0))
    black = (marked == 0).all(2)
    assert black.sum() > 300  # a dot of radius 11
    rows, cols = np.nonzero(black)
    assert (rows.mean(), cols.mean()) == pytest.approx(frame.pixel((0.0, 0.0))[::-1], abs=1)
    far = pictures.map_marker(picture, frame, (1e6, 0.0))  # off the map: at its right edge
    assert np.nonzero((far == 0).all(2))[1].max() < pictures.MAP_SIDE


def knn_accuracy(fitted: digit_map.Map) -> float:
    """How often a dot's nearest other dot on the map is the same digit."""
    points = torch.from_numpy(fitted.points)
    distances = torch.cdist(points, points).fill_diagonal_(float("inf"))
    return float((fitted.labels[distances.argmin(1).numpy()] == fitted.labels).mean())


def test_the_digits_clusters_form_with_training(mnist, shipped):
    images, labels = robustness.sample(mnist.test_x, mnist.test_y, digit_map.SAMPLE)
    for kind in ("mlp", "cnn"):
        predictor = common.SHIPPED.of_kind(kind)
        fresh = Predictor(digit_map.untrained(predictor.model, 0))
        after = knn_accuracy(digit_map.build(predictor, images, labels))
        before = knn_accuracy(digit_map.build(fresh, images, labels))
        assert after > 0.6 and after > before + 0.3, (kind, before, after)


class Model:  # a stand-in predictor: the caches only need identity and weak references
    name = "run"


def test_a_cache_matches_models_by_identity_and_forgets_the_oldest():
    cache = figures.ModelCache(2)
    a, b, c = Model(), Model(), Model()
    cache.put("map", a, 1)
    cache.put("map", b, 2)
    assert cache.get("map", a) == 1 and cache.get("curves", a) is None
    assert cache.get("map", Model()) is None  # same name, another model: not its figures
    cache.put("map", c, 3)  # b was used least recently
    assert cache.get("map", b) is None and cache.get("map", a) == 1 and cache.get("map", c) == 3


def test_a_sessions_run_is_never_in_the_shared_cache(shipped):
    run = Predictor(MLP((16,)), name=common.SHIPPED.names()[0])  # even named as a shipped one
    mine = figures.session_cache()
    figures.keep(mine, "curves", run, "mine")
    assert figures.find(mine, "curves", run) == "mine"
    assert figures.find(None, "curves", run) is None  # another session has no way to it
    assert figures.SHARED.get("curves", run) is None
    cnn = common.SHIPPED.of_kind("cnn")
    figures.keep(mine, "test", cnn, "shared")
    assert figures.find(None, "test", cnn) == "shared" and mine.get("test", cnn) is None


def decoded(html: str) -> np.ndarray:
    data = html.split("base64,")[1].split('"')[0]
    return np.asarray(Image.open(io.BytesIO(base64.b64decode(data))).convert("RGB"))


def test_the_tab_maps_a_model_and_places_the_drawing_live(app_module, mnist):
    tab = app_module.robust
    name = common.SHIPPED.of_kind("mlp").name
    idle = dict(progress=lambda *args, **kwargs: None)
    drawing = sketch_seven()
    out = tab.draw_map(Look(drawing, name), **idle)
    assert out[tab.mapped] == name and "lands among the **7s**" in out[tab.map_line]
    before, after = decoded(out[tab.before]), decoded(out[tab.after])
    assert (after == 0).all(2).sum() > 300 and (before == 0).all(2).sum() > 300  # the marker
    cache = out[tab.cache]
    turned = tab.live(Look(drawing, name, dx=6, mapped=name, cache=cache))
    moved = decoded(turned[tab.after])
    assert not np.array_equal(np.nonzero((moved == 0).all(2)), np.nonzero((after == 0).all(2)))
    empty = tab.live(Look("", name, lang="zh", mapped=name, cache=cache))
    assert not (decoded(empty[tab.after]) == 0).all(2).any() and "地图" in empty[tab.map_line]
    other = common.SHIPPED.of_kind("cnn").name  # another model, not mapped yet: say so
    if figures.find(cache, "map", common.SHIPPED.of_kind("cnn")) is None:
        switched = tab.live(Look(drawing, other, mapped=name, cache=cache))
        assert switched[tab.after] == "" and "Draw the map" in switched[tab.map_line]


def test_a_sessions_run_is_mapped_from_its_own_seed_and_kept_to_the_session(app_module, digits):
    from digitlab.training.events import Done
    from digitlab.training.trainer import train
    from digitlab.ui.sessions import SessionRuns

    runs = SessionRuns()
    try:
        cfg = TrainConfig(model="cnn", channels=(4, 8), subset=300, batch_size=100, seed=5)
        record = runs.add(next(e for e in train(cfg, digits) if isinstance(e, Done)), [], [])
        assert figures.run_seed(record.predictor, runs) == 5
        tab, idle = app_module.robust, dict(progress=lambda *args, **kwargs: None)
        look = Look(sketch_seven(), record.name, runs=runs)
        out = tab.draw_map(look, **idle)
        assert out[tab.mapped] == record.name and "lands among" in out[tab.map_line]
        mine = out[tab.cache]
        assert figures.find(mine, "map", record.predictor) is not None
        assert figures.SHARED.get("map", record.predictor) is None  # never shared
        # Another session (its own empty cache) showing that map is told to draw its own.
        other = tab.live(dataclasses.replace(look, mapped=record.name))
        assert other[tab.after] == "" and "Draw the map" in other[tab.map_line]
        shown = dataclasses.replace(look, lang="zh", mapped=record.name, cache=mine)
        again = tab.language(shown, None)
        assert "黑点" in again[tab.map_line] and "把握" in again[tab.verdict]
    finally:
        runs.cleanup()
