"""A session as one file, and back: its runs (settings, results, curves, the changes made while
they trained, and the kept models' checkpoints) and its drawings, in a zip.

    session.json    {"format": "digitlab-session", "version": 1, "runs": [...]}
    runs/<n>.pt     run n's checkpoint (checkpoint.py's format), for the runs that keep a model
    drawings.zip    the session's own drawings (handwriting_zip.py's format)

Pure: no Gradio. Reading checks the file before anything is decompressed (its size, its entry
count, each entry's name and size, declared and actually read), then every value's type and
range (run_fields.py); the checkpoints are loaded by checkpoint.py (weights_only, their settings
validated before a model is built) and the drawings by handwriting_zip.py. Nothing is unpickled
but the tensors of a checkpoint. SessionFileError carries a one-line Text.
"""

from __future__ import annotations

import io
import json
import re
import struct
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from digitlab.lab.handwriting import Drawing, HandwritingError
from digitlab.lab.handwriting_zip import EntryError, from_zip, read_entry, to_zip
from digitlab.limits import MAX_SESSION_DRAWINGS, MAX_SET_ZIP_BYTES, SESSION_RUNS_KEPT
from digitlab.training.checkpoint import Checkpoint, CheckpointError, load_checkpoint
from digitlab.training.run_fields import FieldError, run_from_json, run_to_json
from digitlab.words import Text

FORMAT, VERSION = "digitlab-session", 1
INDEX, DRAWINGS = "session.json", "drawings.zip"
WEIGHTS = re.compile(r"runs/([1-9][0-9]{0,8})\.pt")
# The file as uploaded: the app's upload cap (app.py, max_file_size "5mb"). A session of five
# default runs and 500 drawings is ~1.5 MB; models that do not fit are saved without weights.
MAX_FILE_BYTES = 5 * 2**20
MAX_ENTRIES = 16  # session.json, drawings.zip and at most five checkpoints
MAX_INDEX_BYTES = 4 * 2**20  # session.json unpacked: 200 rows and five curves of 10,000 points
# One checkpoint unpacked: float32 weights barely compress, so a 5 MB file holds at most ~6 MB.
MAX_WEIGHTS_BYTES = 8 * 2**20
MAX_UNPACKED = 24 * 2**20  # everything read from one file, at most
MAX_DIRECTORY_ENTRY = 128  # bytes of one entry in the zip's directory: 46 and its short name
MAX_END_SEARCH = 22 + 65_535  # the end record, and a comment of at most 64 kB before it
ENTRY_OVERHEAD = 200  # a zip's local and central headers for one entry, about


class SessionFileError(ValueError):
    """The file is not a DigitLab session that can be opened; nothing in it was used."""


@dataclass
class SavedRun:
    """One run as a session file keeps it: a dict of plain values (run_fields.py) and its
    checkpoint's bytes (None for a run that kept no model, or whose model did not fit)."""

    fields: dict
    weights: bytes | None = None


def write(runs: list[SavedRun], drawings: list[Drawing], limit: int = MAX_FILE_BYTES):
    """(the file's bytes, how many runs' models were left out to stay within `limit`). Models
    are kept newest first; a run left without one keeps its row and curves."""
    drawn = to_zip(drawings) if drawings else b""
    index = _index([run_to_json(run.fields) for run in runs], {})
    room = limit - len(zlib.compress(index)) - len(drawn) - 8 * ENTRY_OVERHEAD
    kept: dict[int, bytes] = {}
    for run in reversed(runs):  # newest first
        if run.weights is None:
            continue
        size = len(zlib.compress(run.weights, 1)) + ENTRY_OVERHEAD
        if size <= room and len(kept) < MAX_ENTRIES - 2:
            kept[run.fields["number"]] = run.weights
            room -= size
    while True:
        data = _zip(runs, kept, drawn)
        if len(data) <= limit or not kept:
            left_out = sum(run.weights is not None for run in runs) - len(kept)
            return data, left_out
        del kept[min(kept)]  # the estimate was short: the oldest model goes too


def _index(runs: list[dict], weights: dict[int, str]) -> bytes:
    for run in runs:
        run["weights"] = weights.get(run["number"])
    return json.dumps({"format": FORMAT, "version": VERSION, "runs": runs}).encode()


def _zip(runs: list[SavedRun], kept: dict[int, bytes], drawn: bytes) -> bytes:
    names = {number: f"runs/{number}.pt" for number in kept}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        archive.writestr(INDEX, _index([run_to_json(run.fields) for run in runs], names))
        for number in sorted(kept):
            archive.writestr(names[number], kept[number])
        if drawn:
            archive.writestr(DRAWINGS, drawn, compress_type=zipfile.ZIP_STORED)  # a zip already
    return buffer.getvalue()


def read(data: bytes) -> tuple[list[SavedRun], list[Drawing]]:
    """The runs (oldest first) and drawings of a session file, every byte checked first."""
    if not isinstance(data, bytes | bytearray) or not data:
        raise SessionFileError(Text("session.not_a_file"))
    if len(data) > MAX_FILE_BYTES:
        raise SessionFileError(Text("session.too_big", mb=MAX_FILE_BYTES / 2**20))
    _check_directory(data)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = {info.filename: info for info in archive.infolist()}
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise SessionFileError(Text("session.not_a_file")) from None
    strange = [n for n in entries if n not in (INDEX, DRAWINGS) and not WEIGHTS.fullmatch(n)]
    if strange or INDEX not in entries or len(entries) > MAX_ENTRIES:
        raise SessionFileError(Text("session.not_a_file"))
    declared = sum(info.file_size for info in entries.values())
    if declared > MAX_UNPACKED:  # the entries' own sizes are checked again as they are read
        raise SessionFileError(Text("session.unpacks_too_big", mb=MAX_UNPACKED / 2**20))
    runs = _runs(_entry(archive, entries[INDEX], MAX_INDEX_BYTES))
    for run in runs:
        name = run.fields.pop("weights")
        if name is not None:
            if name not in entries or not WEIGHTS.fullmatch(name):
                raise SessionFileError(Text("session.damaged", what=name))
            run.weights = _entry(archive, entries[name], MAX_WEIGHTS_BYTES)
    drawings = []
    if DRAWINGS in entries:
        try:
            drawn = _entry(archive, entries[DRAWINGS], MAX_SET_ZIP_BYTES)
            drawings = from_zip(drawn, limit=MAX_SESSION_DRAWINGS)
        except HandwritingError as error:
            raise SessionFileError(Text("session.bad_drawings", error=error)) from None
    return runs, drawings


def _check_directory(data: bytes) -> None:
    """The zip's directory is small enough for MAX_ENTRIES entries, read from its end record
    before zipfile makes an object per entry (it reads as many as the directory's size holds,
    whatever count the record claims). A zip64 record, which DigitLab never writes, is refused."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - MAX_END_SEARCH))
    if end < 0 or len(data) < end + 22 or data[max(0, end - 20) : end - 16] == b"PK\x06\x07":
        raise SessionFileError(Text("session.not_a_file"))
    count, size = struct.unpack("<HI", data[end + 10 : end + 16])
    if count > MAX_ENTRIES or size > MAX_ENTRIES * MAX_DIRECTORY_ENTRY:
        raise SessionFileError(Text("session.too_many", limit=MAX_ENTRIES))


def _entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    """An entry's bytes, never more than limit unpacked (handwriting_zip.read_entry)."""
    try:
        return read_entry(archive, info, limit)
    except EntryError as error:
        if error.kind == "too_big":
            raise SessionFileError(Text("session.entry_too_big", name=info.filename)) from None
        raise SessionFileError(Text("session.damaged", what=info.filename)) from None


def _runs(raw: bytes) -> list[SavedRun]:
    try:
        index = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise SessionFileError(Text("session.damaged", what=INDEX)) from None
    if not isinstance(index, dict) or index.get("format") != FORMAT:
        raise SessionFileError(Text("session.not_a_file"))
    if index.get("version") != VERSION:
        raise SessionFileError(Text("session.version", version=str(index.get("version"))[:12]))
    runs = index.get("runs")
    if not isinstance(runs, list) or len(runs) > SESSION_RUNS_KEPT:
        raise SessionFileError(Text("session.damaged", what="runs"))
    out, numbers = [], set()
    for place, plain in enumerate(runs, 1):
        try:
            fields = run_from_json(plain)
        except FieldError as error:
            raise SessionFileError(Text("session.bad_run", n=place, error=error)) from None
        if fields["number"] in numbers:
            raise SessionFileError(Text("session.bad_run", n=place, error="number twice"))
        numbers.add(fields["number"])
        out.append(SavedRun(fields))
    return out


def load_weights(run: SavedRun, folder: Path, name: str) -> tuple[Checkpoint, Path]:
    """A run's checkpoint written into the session's folder and loaded from there (checkpoint.py
    checks it); it must describe the run's own settings."""
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=folder, suffix=".pt", delete=False) as f:
        f.write(run.weights or b"")
    path = Path(f.name).rename(folder / name)
    try:
        ckpt = load_checkpoint(path)
    except CheckpointError as error:
        path.unlink(missing_ok=True)
        error = Text("session.bad_weights", n=run.fields["number"], error=error)
        raise SessionFileError(error) from None
    if ckpt.config != run.fields["config"]:
        path.unlink(missing_ok=True)
        error = "its settings are not the run's"
        raise SessionFileError(Text("session.bad_weights", n=run.fields["number"], error=error))
    return ckpt, path
