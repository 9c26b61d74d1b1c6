"""A session saved as one file and opened again (issue 31): the same runs, models, curves,
changes and drawings come back; a corrupt or hostile file is refused with one line, and nothing
in it runs or lands in the session."""

from __future__ import annotations

import dataclasses
import io
import json
import zipfile

import numpy as np
import pytest
import torch

from digitlab.config import TrainConfig
from digitlab.lab.handwriting import HandSet
from digitlab.training import session_file
from digitlab.training.events import Done
from digitlab.training.session_file import MAX_ENTRIES, SessionFileError, read, write
from digitlab.training.steering import Change
from digitlab.training.trainer import train
from digitlab.ui.runs import runs_table
from digitlab.ui.session_file import restored, to_saved
from digitlab.ui.sessions import SessionRuns
from digitlab.words import Text, localize

LOSSES = [(0.25, 2.1), (0.5, 1.234567891), (1.0, 0.61)]
ACCURACIES = [(0.5, 0.71), (1.0, 0.8)]


def trained(digits, hidden: int, seed: int = 0) -> Done:
    cfg = TrainConfig(model="mlp", hidden=(hidden,), subset=300, batch_size=100, epochs=1,
                      seed=seed)  # fmt: skip
    return next(e for e in train(cfg, digits) if isinstance(e, Done))


@pytest.fixture(scope="module")
def session(digits):
    """A session of two runs (the second changed mid-run, the third fine-tuned) and drawings."""
    runs = SessionRuns()
    runs.add(trained(digits, 8), LOSSES, ACCURACIES)
    changed = (Change(step=2, epoch=0.67, name="lr", old=0.02, new=0.5),)
    runs.add(dataclasses.replace(trained(digits, 12, 1), changes=changed), LOSSES[:2], ACCURACIES)
    runs.add(trained(digits, 6, 2), LOSSES, ACCURACIES, Text("teach.tuned", kind="MLP", n=12))
    runs.records[-1].reading = {"digit": 7, "confidence": 0.8, "epoch": 1.0}
    mine = HandSet()
    rng = np.random.default_rng(0)
    for label in (7, 1, 7):
        mine.add(rng.integers(0, 256, (28, 28), dtype=np.uint8), label)
    yield runs, mine
    runs.cleanup()


def reopened(data: bytes, into: SessionRuns | None = None):
    saved, drawings = read(data)
    runs = into or SessionRuns()
    runs.records += restored(saved, runs)
    return runs, drawings


def test_a_saved_session_reopens_with_the_same_runs_models_curves_and_drawings(session):
    runs, mine = session
    data, left_out = write([to_saved(r) for r in runs.records], mine.drawings())
    assert left_out == 0 and len(data) < 600_000
    back, drawings = reopened(data)
    try:
        assert [r.name for r in back.records] == [r.name for r in runs.records]
        assert back.records[-1].label("zh") == runs.records[-1].label("zh")  # the title
        assert runs_table(back, "zh").equals(runs_table(runs, "zh"))  # changes in the notes
        assert back.records[1].done.changes == runs.records[1].done.changes
        assert back.records[-1].reading == runs.records[-1].reading
        for ours, theirs in zip(back.curves(), runs.curves(), strict=True):
            assert ours.keys() == theirs.keys()
            for number, curve in ours.items():
                assert np.allclose(curve, theirs[number], rtol=1e-5)
        images = torch.rand(5, 28, 28)
        for ours, theirs in zip(back.with_models(), runs.with_models(), strict=True):
            assert ours.checkpoint.parent == back.folder  # in its own session's folder
            assert np.array_equal(ours.predictor.probabilities(images),
                               theirs.predictor.probabilities(images))  # fmt: skip
        assert [d.label for d in drawings] == [d.label for d in mine.drawings()]
        assert all(np.array_equal(a.image, b.image)
                   for a, b in zip(drawings, mine.drawings(), strict=True))  # fmt: skip
    finally:
        back.cleanup()


def test_runs_opened_into_a_session_with_runs_are_numbered_after_its_own(session, digits):
    runs, _ = session
    data, _ = write([to_saved(r) for r in runs.records], [])
    into = SessionRuns()
    into.add(trained(digits, 4), LOSSES, ACCURACIES)
    try:
        reopened(data, into)
        assert [r.number for r in into.records] == [1, 2, 3, 4]
        assert into.records[1].name.startswith("Run 2 · MLP 8")
    finally:
        into.cleanup()


def test_models_that_do_not_fit_are_left_out_oldest_first_their_rows_kept(session):
    runs, _ = session
    saved = [to_saved(r) for r in runs.records]
    one = len(saved[-1].weights)
    data, left_out = write(saved, [], limit=one + 20_000)
    assert left_out == 2 and len(data) <= one + 20_000
    back, _ = reopened(data)
    try:
        assert [r.predictor is not None for r in back.records] == [False, False, True]
        assert len(back.records) == 3 and back.records[0].accuracies == ACCURACIES
    finally:
        back.cleanup()


def zipped(entries: dict[str, bytes], method=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def index(session, **change) -> dict:
    runs, _ = session
    plain = json.loads(zipfile.ZipFile(io.BytesIO(write(
        [to_saved(r) for r in runs.records], [])[0])).read("session.json"))  # fmt: skip
    for run in plain["runs"]:
        run["weights"] = None  # no checkpoint entries here: only the index
    plain["runs"][0].update(change)
    return plain


class Payload:
    """A pickle that would create a file when unpickled."""

    def __init__(self, path) -> None:
        self.path = str(path)

    def __reduce__(self):
        return (open, (self.path, "w"))


def refused(data: bytes) -> str:
    """The one line a student reads for a file that cannot be opened (in both languages)."""
    with pytest.raises(SessionFileError) as caught:
        reopened(data)
    english, chinese = localize(caught.value, "en"), localize(caught.value, "zh")
    assert "\n" not in english and "\n" not in chinese and english != chinese
    return english


def test_a_corrupt_file_is_refused_with_one_line(session):
    runs, mine = session
    data, _ = write([to_saved(r) for r in runs.records], mine.drawings())
    assert "not a DigitLab session file" in refused(b"hello, not a zip")
    assert "not a DigitLab session file" in refused(data[: len(data) // 2])  # cut off
    weights = data.index(b"PK\x03\x04", data.index(b"runs/"))  # the first checkpoint's entry
    flipped = bytearray(data)
    flipped[weights - 2000] ^= 0xFF  # a byte inside the first checkpoint
    assert "damaged" in refused(bytes(flipped))
    assert "damaged" in refused(zipped({"session.json": b"{not json"}))


def test_a_zip_bomb_and_a_huge_count_are_refused_before_they_are_unpacked(session):
    bomb = zipped({"session.json": b" " * (30 * 2**20)})  # 30 MB of spaces in ~30 kB
    assert len(bomb) < 100_000
    assert "unpacks to more than 24 MB" in refused(bomb)
    json_bomb = zipped({"session.json": b" " * (5 * 2**20)})
    assert "session.json in it is larger" in refused(json_bomb)
    many = zipped({f"runs/{i}.pt": b"" for i in range(1, 5_000)}, zipfile.ZIP_STORED)
    assert f"more than {MAX_ENTRIES} files" in refused(many)
    end = many.rindex(b"PK\x05\x06")
    lying = many[: end + 8] + (1).to_bytes(2, "little") * 2 + many[end + 12 :]  # "1 entry"
    assert f"more than {MAX_ENTRIES} files" in refused(lying)
    assert "larger than 5 MB" in refused(b"PK" + bytes(6 * 2**20))
    traversal = zipped({"session.json": json.dumps(index(session)).encode(), "../evil": b"x"})
    assert "not a DigitLab session file" in refused(traversal)


def test_a_pickle_payload_is_never_run(session, tmp_path):
    marker = tmp_path / "ran"
    evil = io.BytesIO()
    torch.save({"format": "digitlab-checkpoint", "payload": Payload(marker)}, evil)
    plain = index(session, weights="runs/1.pt")
    data = zipped({"session.json": json.dumps(plain).encode(), "runs/1.pt": evil.getvalue()})
    assert "the model of run 1" in refused(data)
    pickled = zipped({"session.json": __import__("pickle").dumps(Payload(marker))})
    assert "damaged" in refused(pickled)
    assert not marker.exists()


@pytest.mark.parametrize(
    "change, said",
    [
        ({"number": -1}, "number"),
        ({"number": "1"}, "number"),
        ({"metrics": {"test_accuracy": "high", "steps": 3, "epochs": 1, "device": "cpu"}},
         "test_accuracy"),
        ({"losses": [[0.5, "NaN"]]}, "losses"),
        ({"losses": [[0.5, 1.0]] * 10_001}, "losses"),
        ({"config": {"model": "mlp", "hidden": [10**9]}}, "settings"),
        ({"config": "mlp"}, "config"),
        ({"changes": [{"step": 1, "epoch": 0.1, "name": "os.system", "old": 1, "new": 2}]},
         "name"),
        ({"title": {"key": "app.intro", "values": {}}}, "key"),
        ({"title": {"key": "teach.tuned", "values": {"kind": "MLP"}}}, "title"),
        ({"reading": {"digit": 12, "confidence": 0.5, "epoch": 1}}, "digit"),
        ({"stopped": "no"}, "stopped"),
    ],
)  # fmt: skip
def test_a_value_of_the_wrong_type_or_range_is_refused(session, change, said):
    data = zipped({"session.json": json.dumps(index(session, **change)).encode()})
    message = refused(data)
    assert "run 1 is not one DigitLab saves" in message and said in message


def test_a_refused_model_leaves_no_file_and_no_run_in_the_session(session, tmp_path):
    runs, _ = session
    saved = [to_saved(r) for r in runs.records]
    saved[-1].weights = saved[-1].weights[:100] + b"\0" * (len(saved[-1].weights) - 100)
    into = SessionRuns(folder=tmp_path)
    with pytest.raises(SessionFileError):
        restored(saved, into)
    assert list(tmp_path.iterdir()) == [] and into.records == []


def test_the_file_format_is_documented_as_read(session):
    """The entries the README names are the ones a saved file has."""
    runs, mine = session
    data, _ = write([to_saved(r) for r in runs.records], mine.drawings())
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert names == ["session.json", "runs/1.pt", "runs/2.pt", "runs/3.pt", "drawings.zip"]
    header = json.loads(zipfile.ZipFile(io.BytesIO(data)).read(names[0]))
    assert (header["format"], header["version"]) == (session_file.FORMAT, 1)


def test_a_full_set_of_drawings_comes_back_whole():
    """500 drawings (a session's most): the drawings' own zip inside does not count as files."""
    full = HandSet()
    for i in range(full.limit):
        image = np.zeros((28, 28), np.uint8)
        image[4:24, i % 20 : i % 20 + 4] = 255
        full.add(image, i % 10)
    runs, drawings = read(write([], full.drawings())[0])
    assert runs == [] and len(drawings) == 500
    assert [d.label for d in drawings] == [d.label for d in full.drawings()]
