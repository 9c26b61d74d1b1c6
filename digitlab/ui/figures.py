"""The Robustness tab's figures that take seconds: the map views (a model's map before and
after training, ready to place drawings on) and the caches that keep them and the curves.

A shipped model's figures are shared by every session (SHARED); a session's run's are kept in
that session's own ModelCache (in its gr.State), so they never reach another session. Both
are bounded, least recently used first out.
"""

from __future__ import annotations

import base64
import functools
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
from digitlab.training.checkpoint import SHIPPED as SHIPPED_FILES
from digitlab.training.checkpoint import load_checkpoint
from digitlab.ui import common
from digitlab.ui.pictures import MapFrame, map_marker, map_picture

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


@functools.lru_cache(maxsize=len(SHIPPED_FILES))
def _shipped_seed(path) -> int:
    return load_checkpoint(path).config.seed


def run_seed(predictor: Predictor, runs) -> int:
    """The seed the model's run started from (its checkpoint's or its run's settings)."""
    for kind, path in SHIPPED_FILES.items():
        if common.SHIPPED.of_kind(kind) is predictor:
            return _shipped_seed(path)
    record = next((r for r in (runs.records if runs else []) if r.predictor is predictor), None)
    return record.done.config.seed if record is not None else 0


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
