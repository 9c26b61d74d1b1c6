"""The benchmarks run end to end at small sizes (their numbers are not checked: no timed tests)."""

import os
import re
import subprocess
import sys


def test_every_benchmark_runs_and_prints_its_table(mnist_dir, free_port):
    env_data = {"DIGITLAB_DATA": str(mnist_dir)}
    result = subprocess.run(
        # The class section runs alone in tests/test_class_load.py (its browser, 30 s): not twice.
        [sys.executable, "-m", "benchmarks", "--quick", "--no-class", "--port", str(free_port)],
        capture_output=True, text=True, env={**os.environ, **env_data}, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    out = result.stdout
    assert re.search(
        r"\| mlp \(target 98%\) \| [\d.]+ \| [\d.]+ \| [\d,]+ \| [\d,]+ \| [\d.]+x", out
    )
    assert re.search(r"\| cnn\.pt \(CNN [^|]+\) \| [\d.]+ \| [\d.]+ \| [\d,]+ \|", out)
    assert re.search(r"cold start \(python app\.py to first answered prediction\): [\d.]+ s", out)
    assert re.search(r"idle: p50 +[\d.]+ ms", out) and re.search(r"during training: p50", out)
