"""Checkpoints that describe themselves: weights plus config, metrics and versions; safe to load.

A checkpoint may also hold its run's training state (events.RunState, as plain data), from which
`train --resume` goes on exactly; it is checked to fit the model before it is returned.
"""

from __future__ import annotations

import dataclasses
import io
import json
import os
import pickle
import platform
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import torch
from torch import nn

from digitlab.config import SCHEDULES, ConfigError, TrainConfig
from digitlab.inference.predict import Predictor
from digitlab.limits import MAX_CHECKPOINT_BYTES, MAX_CHECKPOINT_MEMBERS
from digitlab.models import build_model
from digitlab.training.events import RunState
from digitlab.training.parts import make_optimizer
from digitlab.training.pen_data import image_count
from digitlab.training.schedule import Schedule
from digitlab.training.steering import KNOBS, Change
from digitlab.words import Text

FORMAT = "digitlab-checkpoint"
FORMAT_VERSION = 1
ZIP_START = b"PK\x03\x04"  # the first bytes of every checkpoint: torch.save writes a zip
_LIMIT = {"limit_mb": MAX_CHECKPOINT_BYTES // 2**20}
CHECKPOINT_DIR = Path(__file__).resolve().parents[2] / "checkpoints"
SHIPPED = {"cnn": CHECKPOINT_DIR / "cnn.pt", "mlp": CHECKPOINT_DIR / "mlp.pt"}


class CheckpointError(Exception):
    """The file is not a valid DigitLab checkpoint; nothing in it was executed.

    Raised with a Text: str() is the English, and the app shows it in the student's language.
    """


@dataclass(frozen=True)
class Checkpoint:
    """A loaded checkpoint: the rebuilt model (CPU, eval mode) and what describes it."""

    model: nn.Module
    config: TrainConfig
    metrics: dict
    versions: dict
    state: RunState | None = None  # what `train --resume` goes on from; None if saved without


def save_checkpoint(
    path: str | Path,
    model: nn.Module,
    config: TrainConfig,
    metrics: dict,
    state: RunState | None = None,
) -> Path:
    """Write atomically: a temp file in the same folder, then a rename over the target.

    state (a Done's): the optimizer, batch order and counters, so a run can go on exactly.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        # JSON strings keep the payload to types weights_only loading accepts.
        "config": json.dumps(config.to_dict()),
        "metrics": json.dumps(metrics),
        "versions": json.dumps(_versions()),
        "state_dict": {k: v.detach().cpu().contiguous() for k, v in model.state_dict().items()},
    }
    if state is not None:
        payload["state"] = _plain_state(state)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            torch.save(payload, f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def load_checkpoint(path: str | Path) -> Checkpoint:
    """Load with weights_only=True (no code can run) and rebuild the model from its own config.

    What could cost memory is checked first, from the file's size and its zip directory; then
    the settings are validated (model size included) before any model is built.
    """
    path = Path(path)
    data = _read_checked(path)
    try:
        payload = torch.load(io.BytesIO(data), map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as error:  # a pickle with forbidden objects
        raise CheckpointError(Text("checkpoint.refused", name=path.name)) from error
    except Exception as error:  # a damaged zip member, a bad CRC
        raise CheckpointError(
            Text("checkpoint.corrupt", name=path.name, error=_first_line(error))
        ) from error
    return _rebuild(payload, path.name)


def _read_checked(path: Path) -> bytes:
    """The file's bytes, once they are known to be a zip that unpacks within the limits."""
    try:
        size = path.stat().st_size
        data = path.read_bytes() if size <= MAX_CHECKPOINT_BYTES else b""
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise CheckpointError(
            Text("checkpoint.unreadable", name=path.name, reason=reason)
        ) from None
    if size > MAX_CHECKPOINT_BYTES:
        raise CheckpointError(Text("checkpoint.too_big", name=path.name, **_LIMIT))
    # zipfile makes an object per directory entry, each starting with these 4 bytes: count first.
    members = data.count(b"PK\x01\x02")
    if members > MAX_CHECKPOINT_MEMBERS:
        raise CheckpointError(Text("checkpoint.too_many_members", name=path.name, n=members))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except zipfile.BadZipFile:
        # A zip whose end (where its directory lives) is cut off starts like a whole one.
        truncated = data[: len(ZIP_START)] == ZIP_START[: len(data)]
        key = "checkpoint.truncated" if truncated else "checkpoint.not_torch"
        raise CheckpointError(Text(key, name=path.name)) from None
    if unpacked > MAX_CHECKPOINT_BYTES:  # members may be compressed: a small file, a huge load
        raise CheckpointError(Text("checkpoint.unpacks_too_big", name=path.name, **_LIMIT))
    return data


def _rebuild(payload: object, name: str) -> Checkpoint:
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise CheckpointError(Text("checkpoint.no_header", name=name, format=FORMAT))
    if payload.get("format_version") != FORMAT_VERSION:
        version = payload.get("format_version")
        raise CheckpointError(
            Text("checkpoint.version", name=name, version=version, expected=FORMAT_VERSION)
        )
    try:
        values = json.loads(payload["config"])
        metrics = json.loads(payload["metrics"])
        versions = json.loads(payload["versions"])
    except (KeyError, TypeError, ValueError) as error:
        raise CheckpointError(
            Text("checkpoint.damaged", name=name, error=_first_line(error))
        ) from error
    if not isinstance(values, dict):
        raise CheckpointError(Text("checkpoint.damaged", name=name, error="settings not a dict"))
    try:
        # Validation counts the described model's parameters before anything is built.
        config = TrainConfig.from_dict(values)
    except (TypeError, ConfigError) as error:
        raise CheckpointError(Text("checkpoint.bad_config", name=name, error=error)) from error
    model = build_model(config)
    try:
        model.load_state_dict(payload["state_dict"], strict=True)
    except (KeyError, TypeError, RuntimeError) as error:
        raise CheckpointError(
            Text(
                "checkpoint.weights_mismatch",
                name=name,
                model=config.label(),
                error=_first_line(error),
            )
        ) from error
    state = _run_state(payload["state"], config, model, name) if "state" in payload else None
    return Checkpoint(model.eval(), config, metrics, versions, state)


def _plain_state(state: RunState) -> dict:
    """The RunState in types weights_only loading accepts: dicts, lists, numbers, str, tensors."""
    plain = {field.name: getattr(state, field.name) for field in dataclasses.fields(state)}
    plain["schedule"] = dataclasses.asdict(state.schedule)
    plain["changes"] = [dataclasses.asdict(change) for change in state.changes]
    return plain


def _run_state(plain: object, config: TrainConfig, model: nn.Module, name: str) -> RunState:
    """The saved RunState, once it is known to fit the model: resuming cannot crash on it."""
    try:
        if not isinstance(plain, dict):
            raise TypeError("not a dict")
        schedule = Schedule(**plain["schedule"])
        changes = tuple(Change(**change) for change in plain["changes"])
        state = RunState(**{**plain, "schedule": schedule, "changes": changes})
        _check_state(state, config, model)
    except (KeyError, TypeError, ValueError, IndexError, RuntimeError) as error:
        error = f"its training state: {_first_line(error)}"
        raise CheckpointError(Text("checkpoint.damaged", name=name, error=error)) from None
    return state


def _check_state(state: RunState, config: TrainConfig, model: nn.Module) -> None:
    """ValueError unless counters, knob values, batch order, RNG and optimizer fit the model."""
    batches, n = state.batches, image_count(config)  # MNIST's (a subset), and the pen digits
    perm, position = batches["perm"], batches["position"]
    generators = (state.rng, batches["generator"])
    fits = (
        type(state.step) is int and state.step >= 1 and isinstance(state.elapsed, (int, float))
        and set(state.values) == set(KNOBS) and state.schedule.kind in SCHEDULES
        and type(position) is int and 0 <= position <= n
        and all(isinstance(g, torch.Tensor) and g.dtype == torch.uint8 for g in generators)
        and (perm is None or isinstance(perm, torch.Tensor) and perm.dtype == torch.int64
             and perm.shape == (n,) and perm.min() >= 0 and perm.max() < n)
    )  # fmt: skip
    if not fits:
        raise ValueError("its counters or batch order are not what DigitLab saves")
    dataclasses.replace(config, **state.values)  # each knob's value passes TrainConfig's checks
    # Parameter groups that do not fit raise here; the shapes of the moments are checked below.
    make_optimizer(config, model).load_state_dict(state.optimizer)
    shapes = [parameter.shape for parameter in model.parameters()]
    for index, slots in state.optimizer["state"].items():
        for value in slots.values():
            if isinstance(value, torch.Tensor) and value.dim() and value.shape != shapes[index]:
                raise ValueError(f"optimizer state of shape {tuple(value.shape)} fits no weight")


def _versions() -> dict:
    import numpy

    return {
        "torch": torch.__version__,
        "numpy": numpy.__version__,
        "python": platform.python_version(),
    }


def _first_line(error: Exception) -> str:
    text = str(error).strip().splitlines()
    return text[0][:300] if text else type(error).__name__


def load_predictor(path: str | Path, name: str = "") -> Predictor:
    """A checkpoint loaded once (safely), its model wrapped for inference."""
    ckpt = load_checkpoint(path)
    return Predictor(ckpt.model, name or ckpt.config.label(), ckpt.metrics, ckpt.config)
