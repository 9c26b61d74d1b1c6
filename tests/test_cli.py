import copy
import dataclasses
import os
import re
import subprocess
import sys

import pytest
import torch

from digitlab import cli
from digitlab.config import TrainConfig
from digitlab.models import build_model
from digitlab.training.checkpoint import load_checkpoint, save_checkpoint


def _cli(*args, env_data=None):
    env = {**os.environ, "DIGITLAB_DATA": str(env_data)} if env_data else dict(os.environ)
    return subprocess.run(
        [sys.executable, "-m", "digitlab", *args], capture_output=True, text=True, env=env
    )


def test_train_then_evaluate_from_the_command_line(mnist_dir, tmp_path):
    out = tmp_path / "run.pt"
    args = ["train", "--model", "mlp", "--hidden", "64", "--subset", "2000"]
    result = _cli(*args, "--batch-size", "256", "--out", str(out), env_data=mnist_dir)
    assert result.returncode == 0, result.stderr
    assert "epoch  1.00  test acc" in result.stdout and "saved" in result.stdout
    ckpt = load_checkpoint(out)
    assert ckpt.config.hidden == (64,) and ckpt.config.subset == 2000
    # What was not given is the MLP's default run (settings.RECIPES), not the CNN's.
    assert (ckpt.config.epochs, ckpt.config.lr) == (4, 0.01)
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
        entry = entries["-" + name.replace("_", "-")]
        assert "{" + ",".join(allowed) + "}" in entry, entry
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


TINY = ["--model", "mlp", "--hidden", "32", "--subset", "500", "--batch-size", "50"]  # 10 steps


def _train(capsys, data, *argv: str) -> tuple[int, str]:
    status = cli.main(["train", *argv, "--data", str(data)])
    return status, capsys.readouterr().out


def _weight_pairs(path, other):
    weights = [load_checkpoint(p).model.state_dict().values() for p in (path, other)]
    return zip(*weights, strict=True)


def test_a_diverging_run_says_so_in_one_line_keeps_its_model_and_exits_3(
    digits_dir, tmp_path, capsys
):
    out = tmp_path / "hot.pt"
    hot = ["--model", "mlp", "--subset", "500", "--batch-size", "50", "--optimizer", "sgd"]
    hot += ["--lr", "10", "--schedule", "constant", "--epochs", "1", "--out", str(out)]
    status, stdout = _train(capsys, digits_dir, *hot)
    assert status == cli.DIVERGED == 3
    said = [line for line in stdout.splitlines() if line.startswith("diverged")]
    assert len(said) == 1 and said[0].startswith(
        "diverged: The learning rate 10 is too high for sgd here: the loss exploded at epoch 0."
    ), stdout
    assert "; try 1. The model is kept, marked diverged." in said[0]
    assert stdout.splitlines()[-1].endswith(f"saved {out}")
    ckpt = load_checkpoint(out)
    assert ckpt.metrics["ended"] == "diverged" and ckpt.metrics["steps"] < 10
    with pytest.raises(SystemExit):
        cli.main(["train", "--help"])
    assert "3 the run diverged" in " ".join(capsys.readouterr().out.split())


def test_resume_goes_on_exactly_as_one_longer_run(digits_dir, tmp_path, capsys):
    one, resumed, straight = (tmp_path / name for name in ("one.pt", "resumed.pt", "two.pt"))
    base = [*TINY, "--schedule", "constant"]
    assert _train(capsys, digits_dir, *base, "--epochs", "1", "--out", str(one))[0] == 0
    more = ["--resume", str(one), "--epochs", "1", "--out", str(resumed)]
    status, stdout = _train(capsys, digits_dir, *more)
    assert status == 0 and f"resuming {one} at epoch 1 (step 10)\n" in stdout
    assert "no optimizer state" not in stdout
    # The curve goes on from epoch 1 (no new start point) to epoch 2.
    assert "epoch  2.00  test acc" in stdout and "epoch  1.00  test acc" not in stdout
    assert _train(capsys, digits_dir, *base, "--epochs", "2", "--out", str(straight))[0] == 0
    after, longer = load_checkpoint(resumed), load_checkpoint(straight)
    assert after.metrics["epochs"] == 2 and after.metrics["steps"] == 20
    assert after.config == longer.config and after.config.epochs == 2
    assert not all(torch.equal(a, b) for a, b in _weight_pairs(one, resumed))
    assert all(torch.allclose(a, b, atol=1e-6) for a, b in _weight_pairs(resumed, straight))
    assert after.metrics["test_accuracy"] == pytest.approx(longer.metrics["test_accuracy"])


def test_a_checkpoint_without_training_state_resumes_with_a_fresh_optimizer(
    digits_dir, tmp_path, capsys
):
    old, new = tmp_path / "old.pt", tmp_path / "new.pt"
    assert _train(capsys, digits_dir, *TINY, "--epochs", "1", "--out", str(old))[0] == 0
    ckpt = load_checkpoint(old)
    save_checkpoint(old, ckpt.model, ckpt.config, ckpt.metrics)  # as older DigitLab saved
    assert load_checkpoint(old).state is None
    status, stdout = _train(
        capsys, digits_dir, "--resume", str(old), "--epochs", "1", "--out", str(new)
    )
    assert status == 0, stdout
    notices = [line for line in stdout.splitlines() if "optimizer" in line]
    assert notices == [
        f"{old} holds no optimizer state: resuming with a fresh optimizer and batch order"
    ]
    resumed = load_checkpoint(new)
    assert resumed.metrics["epochs"] == 2 and resumed.config.epochs == 2
    assert resumed.state.step == 20  # and it saves the state for the next --resume
    assert not all(torch.equal(a, b) for a, b in _weight_pairs(old, new))


def test_state_from_another_kind_of_device_resumes_with_a_new_batch_order(
    digits_dir, tmp_path, capsys
):
    path = tmp_path / "gpu.pt"
    assert _train(capsys, digits_dir, *TINY, "--epochs", "1", "--out", str(path))[0] == 0
    ckpt = load_checkpoint(path)
    cuda_rng = torch.zeros(16, dtype=torch.uint8)  # a CUDA generator's state: seed and offset
    optimizer = copy.deepcopy(ckpt.state.optimizer)
    optimizer["param_groups"][0]["fused"] = True  # as the trainer's Adam is on CUDA
    batches = {**ckpt.state.batches, "generator": cuda_rng}
    state = dataclasses.replace(ckpt.state, rng=cuda_rng, batches=batches, optimizer=optimizer)
    save_checkpoint(path, ckpt.model, ckpt.config, ckpt.metrics, state)
    more = ["--resume", str(path), "--epochs", "1", "--device", "cpu", "--out", str(path)]
    status, stdout = _train(capsys, digits_dir, *more, "--lr", "0.001")
    assert status == 0, stdout
    assert (
        f"{path} was trained on another kind of device: the batch order starts afresh here\n"
        in stdout
    )
    # --lr moves the lr as the app's knob does, from the first resumed step on.
    assert re.search(r"^epoch  1\.00  lr [0-9.e-]+ -> 0\.001$", stdout, re.MULTILINE), stdout
    resumed = load_checkpoint(path)
    assert resumed.metrics["steps"] == 20 and resumed.state.values["lr"] == 0.001
    assert [(c.step, c.name, c.new) for c in resumed.state.changes][-1] == (10, "lr", 0.001)


def test_resume_refuses_what_would_change_the_model_in_one_line(tmp_path, capsys):
    cfg = TrainConfig(model="mlp", hidden=(8,), subset=100, batch_size=10)
    path = save_checkpoint(tmp_path / "m.pt", build_model(cfg), cfg, {"steps": 10})
    cases = {
        ("--hidden", "64", "--seed", "3"): (
            "error: --hidden, --seed: not with --resume: a resumed run keeps its model, data, "
            "batch size and optimizer\n"
        ),
        ("--optimizer", "sgd"): "error: --optimizer: not with --resume: ",
        ("--dropout", "0.3"): "error: --dropout: this model has no dropout layers",
        ("--lr", "-1"): "error: learning rate",
        ("--epochs", "1001"): "error: epochs",
    }
    for flags, message in cases.items():
        assert cli.main(["train", "--resume", str(path), *flags]) == cli.USER_ERROR == 2
        err = capsys.readouterr().err
        assert err.startswith(message) and err.count("\n") == 1, err
    assert cli.main(["train", "--resume", str(tmp_path / "none.pt")]) == 2
    assert capsys.readouterr().err.startswith("error: cannot read checkpoint none.pt")
