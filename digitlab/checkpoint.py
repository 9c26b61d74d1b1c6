"""Checkpoints that describe themselves: weights plus config, metrics and versions; safe to load."""

from __future__ import annotations

import json
import os
import pickle
import platform
import tempfile
from dataclasses import dataclass
from pathlib import Path

import torch
from torch import nn

from digitlab.config import ConfigError, TrainConfig
from digitlab.models import build_model

FORMAT = "digitlab-checkpoint"
FORMAT_VERSION = 1
MAX_BYTES = 50 * 2**20  # no DigitLab model comes near this; larger files are refused unread
CHECKPOINT_DIR = Path(__file__).resolve().parent.parent / "checkpoints"
SHIPPED = {"cnn": CHECKPOINT_DIR / "cnn.pt", "mlp": CHECKPOINT_DIR / "mlp.pt"}


class CheckpointError(Exception):
    """The file is not a valid DigitLab checkpoint; nothing in it was executed."""


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
    """Load with weights_only=True (no code can run) and rebuild the model from its own config."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as error:
        raise CheckpointError(f"cannot read checkpoint {path.name}: {error.strerror}.") from error
    if size > MAX_BYTES:
        raise CheckpointError(f"{path.name} is {size / 2**20:.0f} MB; checkpoints are < 50 MB.")
    try:
        payload = torch.load(path, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as error:  # not a torch file, or a pickle with forbidden objects
        raise CheckpointError(
            f"{path.name} was refused: it is not a PyTorch checkpoint, or it holds Python objects "
            "other than tensors (which could run code), so it was not opened."
        ) from error
    except Exception as error:  # corrupt or truncated zip archive, unreadable file
        raise CheckpointError(
            f"{path.name} is not a valid DigitLab checkpoint (corrupt or truncated): "
            f"{_first_line(error)}"
        ) from error
    return _rebuild(payload, path.name)


def _rebuild(payload: object, name: str) -> Checkpoint:
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise CheckpointError(f"{name} is not a DigitLab checkpoint (no '{FORMAT}' header).")
    if payload.get("format_version") != FORMAT_VERSION:
        raise CheckpointError(f"{name} has checkpoint format {payload.get('format_version')!r}.")
    try:
        config = TrainConfig.from_dict(json.loads(payload["config"]))
        metrics = json.loads(payload["metrics"])
        versions = json.loads(payload["versions"])
        model = build_model(config)
    except (KeyError, TypeError, ValueError, ConfigError) as error:
        raise CheckpointError(f"{name} is damaged: {_first_line(error)}") from error
    try:
        model.load_state_dict(payload["state_dict"], strict=True)
    except (KeyError, TypeError, RuntimeError) as error:
        raise CheckpointError(
            f"{name}'s weights do not fit the {config.label()} model of this DigitLab version "
            f"(made by another version, or edited): {_first_line(error)}"
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
