"""The class's own handwriting: labelled drawings, class codes, and the data a fine-tuning run
trains on (a set as a zip: handwriting_zip.py).

A drawing is kept as the model's input (28x28 uint8, ink 255 on 0, as `to_mnist` made it) with
its digit. Each browser session has its own `HandSet` (in its gr.State); a teacher's class code
names a shared `HandSet` in `CLASSES`, seen only by sessions that typed the code, dropped when
unused for CLASS_TTL_S. Pure: no Gradio; zips are read without unpickling anything.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import secrets
import threading
import time
from dataclasses import dataclass

import numpy as np
import torch

from digitlab.config import TrainConfig
from digitlab.data import MNIST
from digitlab.limits import (
    CLASS_RECYCLE_S,
    CLASS_TTL_S,
    CODE_WINDOW_S,
    MAX_CLASS_DRAWINGS,
    MAX_CLASSES,
    MAX_CODES_PER_SESSION,
    MAX_SESSION_DRAWINGS,
)
from digitlab.words import Text

CODE_LETTERS = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud, typed by children
CODE_LENGTH = 6  # 31**6 = 887 million codes
HELD_OUT_EVERY = 4  # of each digit's drawings, the 2nd, 6th, 10th... are never trained on
DRAWING_SHARE = 0.2  # of the fine-tuning images, this share are the drawings (oversampled)
# A short run from the model's weights: 200 steps of 64 (12,800 images, a fifth of an epoch) take
# ~8 s for the shipped CNN on one core, ~1 s for the MLP; a small lr keeps what MNIST taught.
TUNE_STEPS, TUNE_BATCH, TUNE_LR = 200, 64, 3e-4
_KEYS = itertools.count(1)  # next() on a count is atomic under the GIL


class HandwritingError(ValueError):
    """A set or class code could not be used; raised with a Text for the student."""


@dataclass(frozen=True)
class Drawing:
    """One labelled drawing: the model's input and its digit; owner: the session that added
    it (who may remove it from a class set); key: its number, unique in this process."""

    image: np.ndarray  # (28, 28) uint8
    label: int
    owner: str = ""
    key: int = dataclasses.field(default_factory=lambda: next(_KEYS))


class HandSet:
    """Labelled drawings, oldest first, at most `limit`; safe to share between threads."""

    def __init__(self, limit: int = MAX_SESSION_DRAWINGS, creator: str = "") -> None:
        self.limit, self.creator = limit, creator
        self._drawings: list[Drawing] = []
        self._lock = threading.Lock()
        self._version = 0  # one more at every change: a page showing the set knows it is current

    def __len__(self) -> int:
        return len(self._drawings)

    @property
    def version(self) -> int:
        """A number that changes whenever a drawing is added or removed (cheap to compare)."""
        return self._version

    def drawings(self) -> list[Drawing]:
        """A snapshot of the drawings, oldest first."""
        with self._lock:
            return list(self._drawings)

    def add(self, image: np.ndarray, label: int, owner: str = "") -> None:
        """Keep a drawing; HandwritingError when the set is full or the input is not one."""
        image = np.asarray(image)
        if image.shape != (28, 28) or image.dtype != np.uint8 or label not in range(10):
            raise HandwritingError(Text("teach.not_a_drawing"))
        with self._lock:
            if len(self._drawings) >= self.limit:
                raise HandwritingError(Text("teach.full", limit=self.limit))
            self._drawings.append(Drawing(image.copy(), int(label), owner))
            self._version += 1

    def extend(self, drawings: list[Drawing], owner: str = "") -> int:
        """Add drawings (an uploaded set) while there is room; how many were added."""
        with self._lock:
            room = max(0, self.limit - len(self._drawings))
            added = [Drawing(d.image, d.label, owner) for d in drawings[:room]]
            if added:
                self._drawings += added
                self._version += 1
            return len(added)

    def remove(self, key: int, session: str = "") -> bool:
        """Remove the drawing with this key if `session` may (the one that added it, the
        class's creator; anyone for a drawing without owner); False if not, or if it is gone."""
        with self._lock:
            index = next((i for i, d in enumerate(self._drawings) if d.key == key), None)
            if index is None:
                return False
            owner = self._drawings[index].owner
            if owner and session not in (owner, self.creator):
                return False
            del self._drawings[index]
            self._version += 1
            return True

    def counts(self) -> list[int]:
        """How many drawings of each digit 0-9."""
        labels = [d.label for d in self.drawings()]
        return np.bincount(np.asarray(labels, dtype=np.int64), minlength=10).tolist()


def split(drawings: list[Drawing]) -> tuple[list[Drawing], list[Drawing]]:
    """(train, held out): of each digit's drawings in the order they were added, the 2nd, 6th,
    10th... are held out (a digit drawn once is only trained on). Stable as drawings are added."""
    seen = [0] * 10
    train, held = [], []
    for d in drawings:
        (held if seen[d.label] % HELD_OUT_EVERY == 1 else train).append(d)
        seen[d.label] += 1
    return train, held


def tensors(drawings: list[Drawing]) -> tuple[torch.Tensor, torch.Tensor]:
    """(N, 28, 28) uint8 images and (N,) int64 labels, as MNIST's tensors are."""
    if not drawings:
        return torch.zeros((0, 28, 28), dtype=torch.uint8), torch.zeros(0, dtype=torch.int64)
    x = torch.from_numpy(np.stack([d.image for d in drawings]))
    return x, torch.tensor([d.label for d in drawings], dtype=torch.int64)


def tuning_data(mnist: MNIST, drawings: list[Drawing], share: float = DRAWING_SHARE) -> MNIST:
    """MNIST's training digits plus the drawings repeated until they are `share` of the images
    (a few dozen drawings among 60,000 would not be seen otherwise); MNIST's test set as is."""
    x, y = tensors(drawings)
    if len(x) == 0:
        raise HandwritingError(Text("teach.nothing_to_learn"))
    copies = max(1, round(share / (1 - share) * len(mnist.train_x) / len(x)))
    return MNIST(
        torch.cat([mnist.train_x, x.repeat(copies, 1, 1)]),
        torch.cat([mnist.train_y, y.repeat(copies)]),
        mnist.test_x,
        mnist.test_y,
    )


def tuning_config(base: TrainConfig) -> TrainConfig:
    """The fine-tuning run of a model trained with `base`: same architecture, a short run with
    a fresh Adam at a small lr, light augmentation (so copies of a drawing differ)."""
    return dataclasses.replace(
        base, epochs=1, max_steps=TUNE_STEPS, batch_size=TUNE_BATCH, lr=TUNE_LR, optimizer="adam",
        weight_decay=0.0, schedule="cosine", augment="light", subset=None, evals_per_epoch=1,
        seed=0,
    )  # fmt: skip


class ClassSets:
    """The class sets by code, one owner behind a lock: at most `limit` classes, each dropped
    when unused for `ttl` seconds; a creator makes at most `per_session` codes in `window`
    seconds, and when the server is full an empty set unused for `recycle` seconds gives way."""

    def __init__(
        self, limit: int = MAX_CLASSES, ttl: float = CLASS_TTL_S, clock=time.monotonic,
        per_session: int = MAX_CODES_PER_SESSION, window: float = CODE_WINDOW_S,
        recycle: float = CLASS_RECYCLE_S,
    ) -> None:  # fmt: skip
        self.limit, self.ttl, self._clock = limit, ttl, clock
        self.per_session, self.window, self.recycle = per_session, window, recycle
        self._lock = threading.Lock()
        self._sets: dict[str, tuple[HandSet, float]] = {}  # code -> (set, last used)
        self._made: dict[str, list[float]] = {}  # creator -> when it made its recent codes

    def create(self, creator: str = "") -> str:
        """A new class code with an empty set. HandwritingError when `creator` (a session; ""
        is the library's own use, not limited) made `per_session` codes in the last `window`
        seconds, or when the server holds `limit` sets and none is empty and abandoned."""
        with self._lock:
            now = self._clock()
            self._expire(now)
            made = self._made.get(creator, [])
            if creator and len(made) >= self.per_session:
                wait = max(1, math.ceil((made[0] + self.window - now) / 60))
                raise HandwritingError(Text(
                    "teach.codes_too_fast", n=len(made), minutes=round(self.window / 60),
                    wait=wait,
                ))  # fmt: skip
            if len(self._sets) >= self.limit and not self._recycle(now):
                raise HandwritingError(
                    Text("teach.too_many_classes", limit=self.limit,
                         minutes=round(self.recycle / 60))
                )  # fmt: skip
            code = _new_code(self._sets)
            self._sets[code] = (HandSet(MAX_CLASS_DRAWINGS, creator), now)
            if creator:
                self._made[creator] = [*made, now]
            return code

    def get(self, code: str | None) -> HandSet | None:
        """The class set of a code as typed (any case, spaces and dashes ignored), marked as
        used now; None for an unknown or expired code."""
        key = normalize_code(code)
        with self._lock:
            now = self._clock()
            self._expire(now)
            found = self._sets.get(key)
            if found is None:
                return None
            self._sets[key] = (found[0], now)
            return found[0]

    def _expire(self, now: float) -> None:
        for code in [c for c, (_, used) in self._sets.items() if now - used > self.ttl]:
            del self._sets[code]
        recent = {c: [when for when in made if now - when < self.window]
                  for c, made in self._made.items()}  # fmt: skip
        self._made = {creator: made for creator, made in recent.items() if made}

    def _recycle(self, now: float) -> bool:
        """Drop the longest-unused empty set unused for `recycle` seconds; False if none is."""
        empty = [(used, c) for c, (s, used) in self._sets.items() if not len(s)]
        used, code = min(empty, default=(now, ""))
        if not code or now - used < self.recycle:
            return False
        del self._sets[code]
        return True


def normalize_code(code: str | None) -> str:
    """ "k7m 3qx" -> "K7M3QX"; anything not a possible code -> ""."""
    text = "".join(str(code or "")[:40].split()).replace("-", "").upper()
    return text if len(text) == CODE_LENGTH and set(text) <= set(CODE_LETTERS) else ""


def _new_code(taken: dict) -> str:
    while True:
        code = "".join(secrets.choice(CODE_LETTERS) for _ in range(CODE_LENGTH))
        if code not in taken:
            return code


CLASSES = ClassSets()  # shared by every session; a set is reached only through its code
