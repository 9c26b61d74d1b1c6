"""The Robustness tab's figures that take seconds: the map views (a model's map before and
after training, ready to place drawings on) and the caches that keep them and the curves.

A shipped model's figures are shared by every session (SHARED); a session's run's are kept in
that session's own ModelCache (in its gr.State), so they never reach another session. Both
are bounded, least recently used first out.
"""

from __future__ import annotations

import base64
import io
import threading
import weakref
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
from PIL import Image

from digitlab.data import load_mnist
from digitlab.inference.predict import Predictor
from digitlab.lab import digit_map, robustness
from digitlab.ui import common
from digitlab.ui.pictures import MapFrame, map_marker, map_picture
from digitlab.words import t

# Models whose map and curves are kept: 1-3 MB each (two map pictures, the untrained copy of
# the model). A session's four, up to ~12 MB; the shipped two with room for two more.
SESSION_MODELS = 4
SHARED_MODELS = 4
FIGURES = 2  # kept per model: its maps and its curves


def session_cache() -> ModelCache:
    """A new session's cache, for its runs' figures."""
    return ModelCache(SESSION_MODELS * FIGURES)


class ModelCache:
    """Figures by (what, model), least recently used dropped past `size`. A model is matched by
    identity, never by name: a run trained further keeps its name but not its figures."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[tuple[str, int], tuple[weakref.ref, object]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, what: str, model: Predictor):
        """The figure kept for this model, or None."""
        with self._lock:
            found = self._items.get((what, id(model)))
            if found is None or found[0]() is not model:  # a dead model's id can come again
                return None
            self._items.move_to_end((what, id(model)))
            return found[1]

    def put(self, what: str, model: Predictor, value) -> None:
        """Keep value for this model."""
        with self._lock:
            self._items[(what, id(model))] = (weakref.ref(model), value)
            self._items.move_to_end((what, id(model)))
            while len(self._items) > self.size:
                self._items.popitem(last=False)


SHARED = ModelCache(SHARED_MODELS * FIGURES)  # the shipped models' figures, read by everyone


@dataclass(frozen=True)
class MapView:
    """One model's map, ready to place drawings on: the map, its picture and the predictor
    that makes the features (the trained one, or its untrained copy)."""

    map: digit_map.Map
    picture: np.ndarray
    frame: MapFrame
    predictor: Predictor

    @classmethod
    def of(cls, predictor: Predictor, images, labels) -> MapView:
        fitted = digit_map.build(predictor, images, labels)
        return cls(fitted, *map_picture(fitted.points, fitted.labels), predictor)

    def place(self, image28: np.ndarray | None) -> tuple[str, dict[int, int]]:
        """The map as inline HTML with the image's marker (none for None), and its neighbours."""
        if image28 is None:
            return inline_png(self.picture, "map"), {}
        point = self.map.place(digit_map.features(self.predictor, image28))[0]
        return inline_png(map_marker(self.picture, self.frame, point), "map"), self.map.nearest(
            point
        )


def inline_png(picture: np.ndarray, alt: str) -> str:
    """A picture as an <img> with a PNG data URL: nothing written to disk, nothing fetched."""
    png = io.BytesIO()
    Image.fromarray(picture).save(png, "PNG", compress_level=1)  # 4x faster, a few kB more
    data = base64.b64encode(png.getvalue()).decode()
    return f'<img class="dl-map" alt="{alt}" src="data:image/png;base64,{data}">'


def run_seed(predictor: Predictor, runs) -> int:
    """The seed the model's run started from (its settings', 0 when unknown)."""
    return predictor.config.seed if predictor.config is not None else 0


def find(cache: ModelCache | None, what: str, predictor: Predictor):
    """A model's figure: from the shared cache for a shipped model, else the session's."""
    if common.SHIPPED.get(predictor.name) is predictor:
        return SHARED.get(what, predictor)
    return cache.get(what, predictor) if cache is not None else None


def keep(cache: ModelCache, what: str, predictor: Predictor, value) -> None:
    """Keep a figure where find() looks for it."""
    shipped = common.SHIPPED.get(predictor.name) is predictor
    (SHARED if shipped else cache).put(what, predictor, value)


def mnist_sample(n: int):
    """A seeded sample of the MNIST test set (the same for every model), as uint8 images."""
    data = load_mnist(download=False)
    return robustness.sample(data.test_x, data.test_y, n)


# What the map and the curves say in words.
MAP_CSS = ".dl-map { display: block; width: min(100%, 400px); margin: 0 auto; }"


def neighbours(counts: dict[int, int], lang: str) -> str:
    """{7: 8, 1: 2} -> "8× 7, 2× 1"."""
    return ", ".join(t("map.count", lang, count=c, digit=d) for d, c in counts.items())


def dict_of(curves: robustness.Curves) -> dict[str, dict[float, float]]:
    """Curves as {curve: {level: accuracy}}, to read single levels from."""
    return {name: dict(points) for name, points in curves.items()}


def curves_line(summary: dict, runs, lang: str) -> str:
    """What the two models' curves show, at the levels a class would talk about."""
    (a, ca), (b, cb) = summary["A"], summary["B"]
    return t(
        "curves.summary", lang, a=common.model_label(a, runs, lang),
        b=common.model_label(b, runs, lang), n=robustness.SAMPLE,
        a0=ca["rotation"][0.0], b0=cb["rotation"][0.0], a30=ca["rotation"][30.0],
        b30=cb["rotation"][30.0], athin=ca["thickness"][-1.0], bthin=cb["thickness"][-1.0],
        anoise=ca["noise"][0.3], bnoise=cb["noise"][0.3], ashift=ca["shift"][6.0],
        bshift=cb["shift"][6.0],
    )  # fmt: skip
