"""The class benchmark end to end at a small size: a real page records its strokes, 3 simulated
students replay them, and every stroke is answered. Counts are checked, never times."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from benchmarks.class_load import missing

pytestmark = pytest.mark.browser


@pytest.mark.skipif(missing() is not None, reason=f"class_load needs a browser: {missing()}")
def test_a_small_class_gets_every_stroke_answered_with_two_requests_each(digits_dir, free_port):
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.class_load", "--students", "3", "--seconds", "4",
         "--digits", "1", "--no-train", "--port", str(free_port)],
        capture_output=True, text=True, timeout=600,
        env={**os.environ, "DIGITLAB_DATA": str(digits_dir)},
    )  # fmt: skip
    out = result.stdout
    assert result.returncode == 0, result.stderr[-2000:]
    assert re.search(r"real page alone: \d+ strokes, .*, 0 unanswered", out), out
    # One join and its queue stream a stroke: no uploads, no pictures to fetch.
    assert re.search(r"per stroke: server CPU [\d.]+ ms, 2\.0 requests, [\d.]+ kB sent", out), out
    assert "/upload" not in out and "/file=" not in out, out
    found = re.search(r"students: (\d+) strokes, .*, (\d+) errors, (\d+) unanswered", out)
    assert found and int(found[1]) > 0 and found.groups()[1:] == ("0", "0"), out
