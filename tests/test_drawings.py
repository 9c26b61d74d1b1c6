"""Each browser session's drawing reaches that session's training run only."""

from __future__ import annotations

import numpy as np

from digitlab.ui.registries import Drawings


def test_sessions_have_their_own_drawing_and_old_ones_are_forgotten():
    drawings = Drawings(limit=2)
    alice, bob = drawings.probe("alice"), drawings.probe("bob")
    alice.image = np.ones((28, 28), np.float32)
    assert drawings.probe("bob").image is None and drawings.probe("alice") is alice
    drawings.probe("carol")  # over the limit: the least recently drawn (bob) is forgotten
    assert drawings.probe("alice") is alice
    assert drawings.probe("bob") is not bob
    bob.image = np.zeros((28, 28), np.float32)  # a run holding bob's old probe still works
    assert bob.image is not None and drawings.probe("alice").image.sum() == 784
