"""Checkpoints that describe themselves: weights plus config, metrics and versions; safe to load."""

from __future__ import annotations

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

from digitlab.config import ConfigError, TrainConfig
from digitlab.i18n import Text
from digitlab.limits import MAX_CHECKPOINT_BYTES, MAX_CHECKPOINT_MEMBERS
from digitlab.models import build_model

FORMAT = "digitlab-checkpoint"
FORMAT_VERSION = 1
ZIP_START = b"PK\x03\x04"  # the first bytes of every checkpoint: torch.save writes a zip
_LIMIT = {"limit_mb": MAX_CHECKPOINT_BYTES // 2**20}
CHECKPOINT_DIR = Path(__file__).resolve().parent.parent / "checkpoints"
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


def save_checkpoint(path: str | Path, model: nn.Module, config: TrainConfig, metrics: dict) -> Path:
    """Write atomically: a temp file in the same folder, then a rename over the target."""
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
    return Checkpoint(model.eval(), config, metrics, versions)


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
