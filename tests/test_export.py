"""An exported run script runs on its own and reaches the accuracy DigitLab recorded."""

from __future__ import annotations

import ast
import re
import subprocess
import sys

import pytest
import torch

from digitlab.config import TrainConfig
from digitlab.training.events import Done
from digitlab.training.export import export_script
from digitlab.training.steering import LiveSettings
from digitlab.training.trainer import train

# Tiny runs covering each schedule, each optimizer family, each augmentation and a momentum
# other than the default 0.9 (one-cycle cycles momentum itself: the setting shows only without),
# label smoothing at its default 0.05, at 0.2 and off.
RUNS = {
    "mlp": TrainConfig(model="mlp", hidden=(32,), subset=1_000, epochs=2, batch_size=64, seed=3),
    "cnn-augment": TrainConfig(
        model="cnn", channels=(8,), subset=1_000, epochs=1, batch_size=32, max_steps=20,
        augment=True, dropout=0.1, optimizer="momentum", lr=0.05, seed=5, device="cpu",
    ),
    "constant-momentum-0.5-strong": TrainConfig(
        model="mlp", hidden=(32,), subset=640, epochs=2, batch_size=32, schedule="constant",
        optimizer="momentum", momentum=0.5, lr=0.05, augment="strong", label_smoothing=0.0,
        seed=7,
    ),
    "cosine-adamw-beta1-0.7": TrainConfig(
        model="mlp", hidden=(32,), subset=640, epochs=1, batch_size=32, schedule="cosine",
        optimizer="adamw", momentum=0.7, weight_decay=0.01, lr=0.01, label_smoothing=0.2, seed=11,
    ),
    # The others compute in bf16 on a CPU that has it (precision auto); this one in fp32.
    "mlp-fp32": TrainConfig(
        model="mlp", hidden=(32,), subset=1_000, epochs=1, batch_size=64, seed=4,
        precision="fp32",
    ),
}  # fmt: skip


def _trained(cfg: TrainConfig, mnist, **kwargs) -> Done:
    return next(e for e in train(cfg, mnist, **kwargs) if isinstance(e, Done))


def _run_script(cfg: TrainConfig, mnist_dir, tmp_path) -> str:
    """The exported script's printed test accuracy, e.g. "0.8123"."""
    script = tmp_path / "run.py"
    script.write_text(export_script(cfg))
    # A clean interpreter in another folder: only torch/numpy, not DigitLab, can be imported.
    result = subprocess.run(
        [sys.executable, "-I", str(script), str(mnist_dir)], cwd=tmp_path,
        capture_output=True, text=True, timeout=120,
        # The same intra-op thread count as the in-process run: a different count sums in a
        # different order, and one test digit in 10,000 can flip (seen after other tests set 1).
        env={"CUDA_VISIBLE_DEVICES": "", "PATH": "/usr/bin:/bin",
             "OMP_NUM_THREADS": str(torch.get_num_threads())},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    assert not re.search(r"^\s*(import|from) digitlab", script.read_text(), re.M)
    match = re.search(r"test accuracy (\d\.\d+)", result.stdout)
    assert match, result.stdout[-1000:]
    return match.group(1)


@pytest.mark.parametrize("name", RUNS)
def test_exported_script_reproduces_the_run(name, mnist, mnist_dir, tmp_path):
    cfg = RUNS[name]
    recorded = _trained(cfg, mnist).metrics["test_accuracy"]
    printed = _run_script(cfg, mnist_dir, tmp_path)
    # The same count of the 10,000 test digits right: on the CPU, the same model.
    assert printed == f"{recorded:.4f}"
    assert recorded > 0.5  # a run that learned something, so agreement means something


def test_a_four_step_onecycle_run_exports_and_runs(mnist, mnist_dir, tmp_path):
    # torch's OneCycleLR divides by zero at 4 steps; DigitLab's own one-cycle does not.
    cfg = TrainConfig(
        model="mlp", hidden=(16,), subset=300, epochs=1, batch_size=32, max_steps=4, seed=2
    )
    assert cfg.schedule == "onecycle" and cfg.total_steps == 4
    recorded = _trained(cfg, mnist).metrics["test_accuracy"]
    assert _run_script(cfg, mnist_dir, tmp_path) == f"{recorded:.4f}"


def test_script_states_the_exact_settings_and_seed():
    cfg = RUNS["cnn-augment"]
    text = export_script(cfg)
    assert "SEED = 5" in text and "TOTAL_STEPS = 20" in text
    assert repr(cfg.to_dict()) in text
    assert "Not replayed" not in text
    compile(text, "run.py", "exec")


def test_write_script_exports_the_named_run_of_a_session(mnist):
    from digitlab.training.export import run_choices, write_script
    from digitlab.ui.sessions import SessionRuns

    runs = SessionRuns()
    with pytest.raises(LookupError, match="No run to export"):
        write_script(runs, None)
    try:
        for seed in (1, 2):
            cfg = TrainConfig(
                model="mlp", hidden=(8,), subset=300, batch_size=256, epochs=1, seed=seed
            )
            runs.add(next(e for e in train(cfg, mnist) if isinstance(e, Done)), [], [])
        names = [name for _, name in run_choices(runs)]
        assert names[0].startswith("Run 2") and names[1].startswith("Run 1")
        assert run_choices(runs, "zh")[0][0].startswith("第 2 次训练")
        path, stopped = write_script(runs, names[1])
        assert "SEED = 1" in path.read_text() and not stopped
        assert "SEED = 2" in write_script(runs, None)[0].read_text()  # default: the newest
    finally:
        runs.cleanup()


def test_a_steered_run_s_script_says_it_does_not_replay_the_changes(mnist):
    from digitlab.training.export import write_script
    from digitlab.ui.sessions import SessionRuns

    cfg = TrainConfig(model="mlp", hidden=(8,), subset=300, batch_size=256, epochs=1, seed=1)
    steering = LiveSettings(cfg)
    steering.change(lr=0.01, schedule="cosine")  # taken before the first step
    runs = SessionRuns()
    try:
        runs.add(_trained(cfg, mnist, steering=steering), [], [])
        path, stopped = write_script(runs, None)
        docstring = ast.get_docstring(ast.parse(path.read_text()))
        assert not stopped
        assert "Not replayed" in docstring and "(schedule, lr)" in docstring
    finally:
        runs.cleanup()
