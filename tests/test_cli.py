import dataclasses
import os
import subprocess
import sys

import pytest

from digitlab import cli
from digitlab.checkpoint import load_checkpoint
from digitlab.config import TrainConfig


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
    assert (
        result.stderr == "error: bad.pt is not a PyTorch checkpoint file, so it was not opened.\n"
    )


def test_a_value_argparse_cannot_read_is_one_line_not_the_usage_block():
    result = _cli("train", "--lr", "abc")
    assert result.returncode == 2
    assert result.stderr == (
        "error: argument --lr: invalid float value: 'abc' (see: python -m digitlab train --help)\n"
    )


def _one_line_error(capsys, *argv: str) -> str:
    with pytest.raises(SystemExit) as raised:
        cli.main(list(argv))
    assert raised.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "usage" not in err, err
    return err


def test_every_unreadable_argument_is_one_line(capsys):
    err = _one_line_error(capsys, "train", "--hidden", "256,abc")
    assert err.startswith("error: argument --hidden: MLP hidden sizes: write whole numbers")
    err = _one_line_error(capsys, "train", "--model", "rnn")
    assert "invalid choice: 'rnn' (choose from 'mlp', 'cnn')" in err
    assert "unrecognized arguments: --bogus" in _one_line_error(capsys, "train", "--bogus")
    assert "required: command" in _one_line_error(capsys)


def test_choices_in_any_case_and_sizes_written_any_way():
    for sizes in ("256-128", "256,128", "256 128"):
        args = cli._parser().parse_args(["train", "--model", "MLP", "--hidden", sizes])
        assert args.model == "mlp" and args.hidden == (256, 128)
    args = cli._parser().parse_args(["train", "--optimizer", "AdamW", "--channels", "8-16"])
    assert args.optimizer == "adamw" and args.channels == (8, 16)


def test_train_help_lists_the_choices_and_every_default(capsys):
    with pytest.raises(SystemExit):
        cli.main(["train", "--help"])
    options = capsys.readouterr().out.split("options:")[1]
    # One entry per option, "--flag METAVAR  help", re-joined where argparse wrapped it.
    entries = {
        e.split()[0].rstrip(","): " ".join(e.split()) for e in options.split("\n  -") if e.strip()
    }
    for name, allowed in cli.CHOICES.items():
        assert "{" + ",".join(allowed) + "}" in entries["-" + name], entries["-" + name]
    defaults = TrainConfig()
    for field in dataclasses.fields(TrainConfig):
        entry = entries["-" + field.name.replace("_", "-")]
        assert entry.endswith(f"(default: {cli._shown(getattr(defaults, field.name))})"), entry
    assert entries["-out"].endswith("(default: runs/model.pt)")
    assert entries["-data"].endswith("(default: $DIGITLAB_DATA, else ./data)")


def test_a_failed_download_leaves_no_folder_behind(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr("torchvision.datasets.MNIST.mirrors", ["http://127.0.0.1:9/"])
    missing = tmp_path / "nonexistent"
    assert cli.main(["train", "--model", "mlp", "--data", str(missing)]) == 2
    err = capsys.readouterr().err
    assert (
        err.startswith(f"error: Downloading MNIST into {missing} failed") and err.count("\n") == 1
    )
    assert not missing.exists()
