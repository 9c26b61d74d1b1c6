import os
import subprocess
import sys

from digitlab.checkpoint import load_checkpoint


def _cli(*args, env_data=None):
    env = {**os.environ, "DIGITLAB_DATA": str(env_data)} if env_data else dict(os.environ)
    return subprocess.run(
        [sys.executable, "-m", "digitlab", *args], capture_output=True, text=True, env=env
    )


def test_train_then_evaluate_from_the_command_line(mnist_dir, tmp_path):
    out = tmp_path / "run.pt"
    args = ["train", "--model", "mlp", "--hidden", "64", "--subset", "2000"]
    result = _cli(*args, "--epochs", "2", "--lr", "3e-3", "--out", str(out), env_data=mnist_dir)
    assert result.returncode == 0, result.stderr
    assert "epoch  1.00  test acc" in result.stdout and "saved" in result.stdout
    ckpt = load_checkpoint(out)
    assert ckpt.config.hidden == (64,) and ckpt.config.subset == 2000
    result = _cli("evaluate", str(out), env_data=mnist_dir)
    assert result.returncode == 0, result.stderr
    assert f"test accuracy {ckpt.metrics['test_accuracy']:.2%}" in result.stdout
    assert "per digit: 0:" in result.stdout and "9:" in result.stdout


def test_bad_setting_is_one_clear_line_not_a_traceback(tmp_path):
    result = _cli("train", "--lr", "-1", "--out", str(tmp_path / "x.pt"))
    assert result.returncode == 2
    assert "error: learning rate" in result.stderr and "Traceback" not in result.stderr


def test_bad_checkpoint_is_one_clear_line(tmp_path):
    bad = tmp_path / "bad.pt"
    bad.write_bytes(b"not a checkpoint")
    result = _cli("evaluate", str(bad))
    assert result.returncode == 2
    assert "bad.pt" in result.stderr and "Traceback" not in result.stderr
