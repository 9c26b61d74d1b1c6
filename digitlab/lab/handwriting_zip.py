"""A set of drawings as a zip (one 28x28 PNG per drawing, labels.csv) and back, checked before
anything is decompressed; nothing is unpickled. The sets are handwriting.py's."""

from __future__ import annotations

import csv
import io
import zipfile

import numpy as np
from PIL import Image

from digitlab.lab.handwriting import Drawing, HandwritingError
from digitlab.limits import MAX_CLASS_DRAWINGS, MAX_SET_ENTRY_BYTES, MAX_SET_ZIP_BYTES
from digitlab.words import Text

LABELS_FILE = "labels.csv"


def to_zip(drawings: list[Drawing]) -> bytes:
    """A set as a zip: one 28x28 PNG per drawing (0001.png, ...) and labels.csv (file,label)."""
    buffer, rows = io.BytesIO(), io.StringIO()
    writer = csv.writer(rows, lineterminator="\n")
    writer.writerow(["file", "label"])
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for i, d in enumerate(drawings, 1):
            name = f"{i:04d}.png"
            png = io.BytesIO()
            Image.fromarray(d.image, "L").save(png, "PNG")
            archive.writestr(name, png.getvalue())
            writer.writerow([name, d.label])
        archive.writestr(LABELS_FILE, rows.getvalue())
    return buffer.getvalue()


def from_zip(data: bytes, limit: int = MAX_CLASS_DRAWINGS) -> list[Drawing]:
    """The drawings of a zip made by to_zip, checked before anything is decompressed: its size,
    its entry count, each entry's size (declared and actually read), labels 0-9, and each PNG
    28x28 from its header. HandwritingError with a one-line reason otherwise."""
    if not isinstance(data, bytes | bytearray):  # an API caller's upload may be anything
        raise HandwritingError(Text("teach.not_a_zip"))
    if len(data) > MAX_SET_ZIP_BYTES:
        raise HandwritingError(Text("teach.zip_too_big", limit=MAX_SET_ZIP_BYTES))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise HandwritingError(Text("teach.not_a_zip")) from None
    if len(entries) > limit + 1:
        raise HandwritingError(Text("teach.zip_too_many", n=len(entries), limit=limit))
    by_name = {info.filename: info for info in entries if not info.is_dir()}
    if LABELS_FILE not in by_name:
        raise HandwritingError(Text("teach.no_labels"))
    rows = _labels(_read(archive, by_name[LABELS_FILE], 32 * (limit + 1)))
    if len(rows) > limit:  # rows may name one PNG many times
        raise HandwritingError(Text("teach.too_many_rows", n=len(rows), limit=limit))
    drawings = []
    for name, label in rows:
        if name not in by_name:
            raise HandwritingError(Text("teach.missing_file", name=name))
        image = _png(_read(archive, by_name[name], MAX_SET_ENTRY_BYTES), name)
        drawings.append(Drawing(image, label))
    return drawings


class EntryError(Exception):
    """A zip entry larger than allowed (kind "too_big") or that cannot be read ("damaged")."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


def read_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    """An entry's bytes, never more than limit decompressed (a header may lie about its size):
    the one bounded read of an uploaded zip's entry (drawing sets, saved sessions)."""
    if info.file_size > limit:
        raise EntryError("too_big")
    try:
        with archive.open(info) as entry:
            raw = entry.read(limit + 1)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError):
        raise EntryError("damaged") from None
    if len(raw) > limit:
        raise EntryError("too_big")
    return raw


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    try:
        return read_entry(archive, info, limit)
    except EntryError as error:
        if error.kind == "too_big":
            raise HandwritingError(
                Text("teach.entry_too_big", name=info.filename, limit=limit)
            ) from None
        raise HandwritingError(Text("teach.bad_entry", name=info.filename)) from None


def _labels(raw: bytes) -> list[tuple[str, int]]:
    try:
        rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    except (UnicodeDecodeError, csv.Error):
        raise HandwritingError(Text("teach.bad_labels", row=1)) from None
    out = []
    for number, row in enumerate(rows, 1):
        if number == 1 and row[:2] == ["file", "label"] or not row:
            continue
        if len(row) != 2 or row[1].strip() not in tuple("0123456789"):
            raise HandwritingError(Text("teach.bad_labels", row=number))
        out.append((row[0].strip(), int(row[1])))
    return out


def _png(raw: bytes, name: str) -> np.ndarray:
    """A 28x28 PNG as uint8 ink; its size read from the header before any pixel is decoded."""
    try:
        with Image.open(io.BytesIO(raw), formats=("PNG",)) as picture:
            if picture.size != (28, 28):
                raise HandwritingError(Text("teach.wrong_size", name=name, size=picture.size))
            return np.asarray(picture.convert("L"), dtype=np.uint8).copy()
    except HandwritingError:
        raise
    except Exception:  # PIL raises UnidentifiedImageError, SyntaxError, struct.error...
        raise HandwritingError(Text("teach.not_png", name=name)) from None
