"""Where each kind of event waits, in one place: the queues and limits of the page's events.

Drawing never waits behind training: predictions have no slot limit and only their newest input
counts; training has TRAIN_SLOTS slots of its own; the Inside and Robustness tabs' heavier work
has small queues of its own.
"""

from __future__ import annotations

import os

from digitlab.limits import MAX_CONCURRENT_DECODES

# Not in the public API (the page's own wiring).
PRIVATE = dict(api_visibility="private")
# Live updates: never queue behind itself (only the newest input counts) or behind training.
NEWEST = dict(trigger_mode="always_last", show_progress="hidden", concurrency_limit=None)
# A page-only handler that answers at once: no queue slot, no spinner, not in the public API.
QUICK = dict(concurrency_limit=None, show_progress="hidden", **PRIVATE)
# One training run at a time by default: on a 2-core CPU Space two runs would just halve each
# other, and on a GPU one run saturates it.
TRAIN_SLOTS = int(os.environ.get("DIGITLAB_TRAIN_SLOTS", "1"))
# Runs that may wait for a slot, in the training line (training_line.py: each waiting student
# sees their place and start time; the Teach tab's fine-tuning waits there too). They wait in
# their handler, not in Gradio's queue, so the training events run this many at once, and the
# server gets as many more threads (launch's max_threads, Gradio's 40 besides) for them.
LINE_WAITING = 64
QUEUED = dict(
    concurrency_limit=TRAIN_SLOTS + LINE_WAITING, concurrency_id="train", show_progress="minimal"
)
# The Inside tab's own queue, one job per core of a small server: a class opening the tab at
# once waits here, and never in front of a prediction.
INSIDE = dict(
    trigger_mode="always_last", show_progress="hidden", concurrency_limit=2,
    concurrency_id="inside",
)  # fmt: skip
# The Robustness tab's sliders: one job per core of a small server, never before a prediction.
SLIDING = dict(
    trigger_mode="always_last", show_progress="hidden", concurrency_limit=2,
    concurrency_id="robust",
)  # fmt: skip
# The map and the curves: seconds of one core each, one at a time, so a class asking at once
# computes a shipped model's figures once and then reads them from the shared cache.
HEAVY = dict(concurrency_limit=1, concurrency_id="robust-heavy", show_progress="full")
# /predict_image: API callers' images wait in a queue of their own, as many at a time as images
# are decoded, so a burst of big images never takes the threads the canvas's predictions need
# (40 at once, unlimited, once held all 40 and a stroke waited 6.5 s).
IMAGES = dict(concurrency_limit=MAX_CONCURRENT_DECODES, concurrency_id="images")
