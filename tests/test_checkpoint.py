import copy
import dataclasses
import io
import pickle
import re
import zipfile

import pytest
import torch

from digitlab.config import TrainConfig
from digitlab.limits import MAX_CHECKPOINT_BYTES, MAX_HIDDEN_LAYERS, MAX_PARAMETERS
from digitlab.models import build_model
from digitlab.training.checkpoint import CheckpointError, load_checkpoint, save_checkpoint
from digitlab.training.events import RunState
from digitlab.training.parts import cpu_copy, make_optimizer
from digitlab.training.schedule import Schedule
from digitlab.training.steering import Change, initial_values
from digitlab.words import localize

CFG = TrainConfig(model="cnn", channels=(4, 8), subset=1000, seed=3)


@pytest.fixture
def saved(tmp_path):
    torch.manual_seed(0)
    model = build_model(CFG).eval()
    path = save_checkpoint(tmp_path / "m.pt", model, CFG, {"test_accuracy": 0.5})
    return path, model


def test_round_trip_is_exact(saved):
    path, model = saved
    ckpt = load_checkpoint(path)
    assert ckpt.config == CFG
    assert ckpt.metrics == {"test_accuracy": 0.5}
    assert ckpt.versions["torch"] == torch.__version__
    x = torch.randn(4, 1, 28, 28)
    assert torch.equal(ckpt.model(x), model(x))
    for (k1, v1), (k2, v2) in zip(
        model.state_dict().items(), ckpt.model.state_dict().items(), strict=True
    ):
        assert k1 == k2 and torch.equal(v1, v2)


def test_save_is_atomic_and_leaves_no_temp_files(saved, tmp_path):
    path, model = saved
    save_checkpoint(path, model, CFG, {"test_accuracy": 0.9})  # overwrite in place
    assert [p.name for p in tmp_path.iterdir()] == ["m.pt"]
    assert load_checkpoint(path).metrics["test_accuracy"] == 0.9


class _RunsCode:
    def __reduce__(self):
        return (exec, ("import pathlib; pathlib.Path('PWNED').write_text('x')",))


def test_malicious_pickle_is_refused_and_never_runs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    bad = tmp_path / "evil.pt"
    torch.save({"format": "digitlab-checkpoint", "payload": _RunsCode()}, bad)
    with pytest.raises(CheckpointError, match="refused"):
        load_checkpoint(bad)
    raw = tmp_path / "evil.pkl"
    raw.write_bytes(pickle.dumps(_RunsCode(), protocol=2))  # 2: what torch.save itself writes
    with pytest.raises(CheckpointError, match="not a PyTorch checkpoint"):
        load_checkpoint(raw)
    assert not (tmp_path / "PWNED").exists()


def test_truncated_and_garbage_files_are_rejected_with_what_is_wrong(saved, tmp_path):
    path, _ = saved
    data = path.read_bytes()
    files = {
        "cut.pt": data[: len(data) // 2],
        "head.pt": data[:2],
        "empty.pt": b"",
        "junk.pt": b"\x00\x01garbage" * 100,
    }
    for name, body in files.items():
        (tmp_path / name).write_bytes(body)
    expected = {
        "cut.pt": "cut.pt is a truncated or empty checkpoint: save or copy the whole file again.",
        "head.pt": "head.pt is a truncated or empty checkpoint",
        "empty.pt": "empty.pt is a truncated or empty checkpoint",
        "junk.pt": "junk.pt is not a PyTorch checkpoint file, so it was not opened.",
        "missing.pt": "cannot read checkpoint missing.pt: No such file or directory.",
    }
    for name, message in expected.items():
        with pytest.raises(CheckpointError) as raised:
            load_checkpoint(tmp_path / name)
        assert str(raised.value).startswith(message), raised.value
        # Translatable like every message: the Chinese names the same file, in Chinese.
        chinese = localize(raised.value, "zh")
        assert name in chinese and re.search(r"[\u4e00-\u9fff]", chinese), chinese


def test_tampered_contents_are_rejected(tmp_path):
    model = build_model(CFG)
    cases = {
        "not_ours.pt": {"weights": model.state_dict()},
        "bad_config.pt": {
            "format": "digitlab-checkpoint", "format_version": 1,
            "config": '{"model": "cnn", "lr": -5}', "metrics": "{}", "versions": "{}",
            "state_dict": model.state_dict(),
        },
        "wrong_shapes.pt": {
            "format": "digitlab-checkpoint", "format_version": 1,
            "config": '{"model": "cnn", "channels": [8, 16]}', "metrics": "{}", "versions": "{}",
            "state_dict": model.state_dict(),
        },
    }  # fmt: skip
    expected = {
        "not_ours.pt": "not a DigitLab checkpoint (no 'digitlab-checkpoint' header)",
        "bad_config.pt": "describes a model DigitLab does not build: learning rate: -5",
        "wrong_shapes.pt": "weights do not fit the CNN 8-16",
    }
    for name, payload in cases.items():
        torch.save(payload, tmp_path / name)
        with pytest.raises(CheckpointError, match=re.escape(expected[name])):
            load_checkpoint(tmp_path / name)


def test_a_settings_error_inside_a_checkpoint_error_is_translated_too(tmp_path):
    model = build_model(CFG)
    payload = {
        "format": "digitlab-checkpoint", "format_version": 1,
        "config": '{"model": "cnn", "epochs": 0}', "metrics": "{}", "versions": "{}",
        "state_dict": model.state_dict(),
    }  # fmt: skip
    torch.save(payload, tmp_path / "m.pt")
    with pytest.raises(CheckpointError) as raised:
        load_checkpoint(tmp_path / "m.pt")
    assert str(raised.value).endswith("epochs: 0 must be a whole number from 1 to 1000.")
    assert localize(raised.value, "zh").endswith("轮数：0 必须是 1 到 1000 之间的整数。")


def test_a_zip_with_a_swapped_pickle_is_rejected(saved, tmp_path):
    path, _ = saved
    out = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            body = src.read(item)
            if item.filename.endswith("data.pkl"):
                body = pickle.dumps(_RunsCode(), protocol=2)
            dst.writestr(item, body)
    bad = tmp_path / "swapped.pt"
    bad.write_bytes(out.getvalue())
    with pytest.raises(CheckpointError, match="was refused"):
        load_checkpoint(bad)


def _state_after_a_step(cfg: TrainConfig, model) -> RunState:
    """What a run of cfg leaves to go on from: Adam's moments, batch order, RNG, changes."""
    optimizer = make_optimizer(cfg, model)
    model(torch.randn(2, 1, 28, 28)).sum().backward()
    optimizer.step()
    batches = {
        "generator": torch.Generator().manual_seed(1).get_state(),
        "perm": torch.randperm(cfg.train_size),
        "position": cfg.batch_size,
    }
    changes = (Change(1, 0.25, "lr", 0.005, 0.001), Change(1, 0.25, "augment", "off", "light"))
    schedule, moments = Schedule.initial(cfg.schedule, cfg.lr, 4), cpu_copy(optimizer.state_dict())
    rng = torch.get_rng_state()
    return RunState(1, 2.5, moments, schedule, initial_values(cfg), batches, rng, changes)


def test_training_state_round_trips_through_weights_only_loading(saved):
    path, model = saved
    state = _state_after_a_step(CFG, model)
    save_checkpoint(path, model, CFG, {"test_accuracy": 0.5}, state)
    raw = torch.load(path, weights_only=True)  # plain data: no dataclass needs unpickling
    assert isinstance(raw["state"]["schedule"], dict) and isinstance(raw["state"]["changes"], list)
    back = load_checkpoint(path).state
    assert (back.step, back.elapsed, back.schedule, back.values, back.changes) == (
        state.step, state.elapsed, state.schedule, state.values, state.changes,
    )  # fmt: skip
    assert torch.equal(back.rng, state.rng) and back.batches["position"] == CFG.batch_size
    for key in ("generator", "perm"):
        assert torch.equal(back.batches[key], state.batches[key])
    assert back.optimizer["param_groups"] == state.optimizer["param_groups"]
    for index, slots in state.optimizer["state"].items():
        for name, value in slots.items():
            assert torch.equal(back.optimizer["state"][index][name], value), (index, name)
    save_checkpoint(path, model, CFG, {})
    assert load_checkpoint(path).state is None  # saved without one, as older checkpoints are


def test_a_tampered_training_state_is_rejected_before_training_could_crash(saved, tmp_path):
    _, model = saved
    good = _state_after_a_step(CFG, model)
    other = TrainConfig(model="mlp", hidden=(8,), subset=CFG.subset)  # only the model differs
    batches = {**good.batches, "perm": torch.arange(CFG.train_size) + 5}
    moments = copy.deepcopy(good.optimizer)
    moments["state"][0]["exp_avg"] = torch.zeros(3)
    cases = {
        "perm.pt": dataclasses.replace(good, batches=batches),
        "rng.pt": dataclasses.replace(good, rng=torch.zeros(5056)),
        "other_model.pt": _state_after_a_step(other, build_model(other)),
        "bad_lr.pt": dataclasses.replace(good, values={**good.values, "lr": -1.0}),
        "moments.pt": dataclasses.replace(good, optimizer=moments),
    }
    expected = {
        "perm.pt": "its counters or batch order are not what DigitLab saves",
        "rng.pt": "its counters or batch order are not what DigitLab saves",
        "other_model.pt": "parameter group that doesn't match the size",
        "bad_lr.pt": "learning rate: -1",
        "moments.pt": "optimizer state of shape (3,) fits no weight",
    }
    for name, state in cases.items():
        save_checkpoint(tmp_path / name, model, CFG, {}, state)
        with pytest.raises(CheckpointError) as raised:
            load_checkpoint(tmp_path / name)
        message = str(raised.value)
        assert message.startswith(f"{name} is damaged: its training state: "), message
        assert expected[name] in message, message


def test_the_largest_models_with_their_adam_state_stay_within_the_loading_limits(tmp_path):
    widest = TrainConfig(model="mlp", hidden=(4096, 180), optimizer="adam")
    deepest = TrainConfig(model="mlp", hidden=(16,) * MAX_HIDDEN_LAYERS, optimizer="adamw")
    assert widest.parameters() > 0.98 * MAX_PARAMETERS
    for cfg in (widest, deepest):
        model = build_model(cfg)
        path = save_checkpoint(tmp_path / "big.pt", model, cfg, {}, _state_after_a_step(cfg, model))
        assert path.stat().st_size < MAX_CHECKPOINT_BYTES
        assert load_checkpoint(path).state.optimizer["state"]
