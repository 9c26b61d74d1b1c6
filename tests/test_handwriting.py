"""The class's own handwriting: sets and their bounds, class codes (private, bounded, expiring),
the held-out split, the zip export and its validated import, and a real fine-tuning run that
learns a style MNIST rarely shows without forgetting MNIST."""

from __future__ import annotations

import io
import time
import tracemalloc
import zipfile

import numpy as np
import pytest
import torch
from PIL import Image

from digitlab.lab import handwriting as hw
from digitlab.lab.handwriting import ClassSets, HandSet, HandwritingError, split
from digitlab.lab.handwriting_zip import from_zip, to_zip
from digitlab.limits import MAX_SET_ZIP_BYTES
from digitlab.words import localize


def ink(seed: int) -> np.ndarray:
    """A 28x28 uint8 'drawing' (random, but a drawing's shape and type)."""
    return np.random.default_rng(seed).integers(0, 256, (28, 28), dtype=np.uint8)


def filled(labels: list[int], owner: str = "") -> HandSet:
    hand = HandSet(limit=100)
    for i, label in enumerate(labels):
        hand.add(ink(i), label, owner)
    return hand


def refused(call, *args) -> str:
    with pytest.raises(HandwritingError) as caught:
        call(*args)
    message = localize(caught.value)
    assert "\n" not in message and "Traceback" not in message
    return message


def test_a_set_is_bounded_and_counts_each_digit():
    hand = HandSet(limit=3)
    for label in (7, 7, 1):
        hand.add(ink(label), label)
    assert hand.counts() == [0, 1, 0, 0, 0, 0, 0, 2, 0, 0]
    assert "full (3 drawings)" in refused(hand.add, ink(9), 9)
    assert "28x28" in refused(HandSet().add, np.zeros((28, 27), np.uint8), 1)
    assert "28x28" in refused(HandSet().add, ink(1), 10)


def test_only_the_student_who_added_a_class_drawing_or_the_teacher_removes_it():
    klass = HandSet(limit=10, creator="teacher")
    klass.add(ink(1), 1, owner="ana")
    klass.add(ink(2), 2, owner="ben")
    first, second = (d.key for d in klass.drawings())
    assert not klass.remove(first, "ben")
    assert klass.remove(first, "ana")
    assert klass.remove(second, "teacher")
    assert len(klass) == 0 and not klass.remove(second, "teacher")  # already gone


def test_a_sets_version_changes_with_every_change_and_only_then():
    # The Teach tab's live view redraws a class's set only when its version moved.
    klass = HandSet(limit=3, creator="teacher")
    seen = [klass.version]
    klass.add(ink(1), 1, owner="ana")
    seen.append(klass.version)
    klass.counts(), klass.drawings(), len(klass)  # reading changes nothing
    assert klass.version == seen[-1]
    klass.extend(filled([2]).drawings(), owner="ben")
    seen.append(klass.version)
    assert not klass.remove(klass.drawings()[0].key, "ben")  # not ben's: nothing changed
    assert klass.version == seen[-1]
    klass.remove(klass.drawings()[0].key, "ana")
    seen.append(klass.version)
    with pytest.raises(HandwritingError):
        klass.add(ink(3), 10)  # refused: nothing changed
    assert klass.version == seen[-1]
    assert len(set(seen)) == len(seen) == 4


def test_every_fourth_drawing_of_each_digit_is_held_out_from_the_second_on():
    labels = [7] * 9 + [1] + [3, 3]
    train, held = split(filled(labels).drawings())
    assert [d.label for d in held] == [7, 7, 3]  # 7s: the 2nd and 6th; a single 1: trained on
    assert len(train) + len(held) == len(labels)
    # Stable as drawings are added: the held-out ones stay held out.
    hand = filled(labels)
    before = {d.key for d in split(hand.drawings())[1]}
    hand.add(ink(99), 7)
    assert before <= {d.key for d in split(hand.drawings())[1]}


def test_tuning_data_oversamples_the_drawings_to_a_fifth():
    mnist = hw.MNIST(
        torch.zeros((800, 28, 28), dtype=torch.uint8), torch.zeros(800, dtype=torch.int64),
        torch.zeros((10, 28, 28), dtype=torch.uint8), torch.zeros(10, dtype=torch.int64),
    )  # fmt: skip
    data = hw.tuning_data(mnist, filled([7, 1]).drawings())
    extra = len(data.train_x) - 800
    assert extra == 200 and (data.train_y == 7).sum() == 100  # 200 / 1000 = a fifth
    assert data.test_x is mnist.test_x
    assert "no drawings" in refused(hw.tuning_data, mnist, [])


def test_class_codes_are_private_bounded_and_expire():
    now = [0.0]
    classes = ClassSets(limit=2, ttl=100, clock=lambda: now[0])
    code = classes.create("teacher")
    assert len(code) == hw.CODE_LENGTH and set(code) <= set(hw.CODE_LETTERS)
    typed = f" {code[:3].lower()}-{code[3:]} "
    assert classes.get(typed) is classes.get(code)  # as a student types it
    assert classes.get("") is None and classes.get("AAAAAA") is None
    assert classes.get(code).creator == "teacher"
    classes.create()
    assert "2 class sets" in refused(classes.create)
    now[0] = 90
    classes.get(code)  # used: its clock restarts
    now[0] = 150
    assert classes.get(code) is not None  # 60 s since its last use
    classes.create()  # the unused one expired, which made room
    now[0] = 300
    assert classes.get(code) is None


def test_a_set_survives_the_zip_round_trip():
    hand = filled([0, 7, 7, 9])
    data = to_zip(hand.drawings())
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert sorted(archive.namelist()) == ["0001.png", "0002.png", "0003.png", "0004.png",
                                              "labels.csv"]  # fmt: skip
        assert archive.read("labels.csv").decode().splitlines()[:2] == ["file,label", "0001.png,0"]
    back = from_zip(data)
    assert [d.label for d in back] == [0, 7, 7, 9]
    for a, b in zip(hand.drawings(), back, strict=True):
        assert np.array_equal(a.image, b.image)


def zipped(files: dict[str, bytes], method=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def png(size=(28, 28)) -> bytes:
    out = io.BytesIO()
    Image.new("L", size).save(out, "PNG")
    return out.getvalue()


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"labels.csv": b"file,label\na.png,7\n"}, "a.png, which is not in the zip"),
        ({"a.png": png()}, "no labels.csv"),
        ({"labels.csv": b"a.png,12\n", "a.png": png()}, "row 1 is not"),
        ({"labels.csv": b"a.png,seven\n", "a.png": png()}, "row 1 is not"),
        ({"labels.csv": b"a.png,7\n", "a.png": b"GIF89a not a png"}, "a.png is not a PNG"),
        ({"labels.csv": b"a.png,7\n", "a.png": png((280, 280))}, "280x280 pixels"),
        ({"labels.csv": b"file,label\na.pt,7\n", "a.pt": b"\x80\x04pickle"}, "a.pt is not a PNG"),
    ],
)
def test_a_wrong_set_gets_one_clear_line(files, expected):
    assert expected in refused(from_zip, zipped(files))


def test_bombs_and_oversized_zips_are_refused_before_they_unpack():
    assert "not a zip" in refused(from_zip, b"PK\x03\x04 but nothing else")
    assert "not a zip" in refused(from_zip, b"")
    big = b"\0" * (MAX_SET_ZIP_BYTES + 1)
    assert "larger than 4,000,000 bytes" in refused(from_zip, big)
    bomb = zipped({"labels.csv": b"a.png,7\n", "a.png": b"\0" * 50_000_000})
    assert len(bomb) < 100_000
    tracemalloc.start()
    assert "unpacks to more than 64,000 bytes" in refused(from_zip, bomb)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 5_000_000, peak  # refused before it unpacked: 50 MB were never made
    many = zipped({f"{i}.png": b"" for i in range(30)} | {"labels.csv": b""})
    assert "31 files, more than a set of 20" in refused(from_zip, many, 20)
    repeated = zipped({"a.png": png(), "labels.csv": b"a.png,7\n" * 21})
    assert "labels.csv lists 21 drawings, more than" in refused(from_zip, repeated, 20)


def test_a_zip_that_lies_about_an_entrys_size_is_still_bounded():
    bomb = bytearray(zipped({"labels.csv": b"a.png,7\n", "a.png": b"\0" * 1_000_000}))
    # Rewrite the central directory's "uncompressed size" of a.png to 100 bytes.
    offset = bytes(bomb).rfind(b"PK\x01\x02")
    while offset != -1:
        name_length = int.from_bytes(bomb[offset + 28 : offset + 30], "little")
        if bytes(bomb[offset + 46 : offset + 46 + name_length]) == b"a.png":
            bomb[offset + 24 : offset + 28] = (100).to_bytes(4, "little")
        offset = bytes(bomb).rfind(b"PK\x01\x02", 0, offset)
    message = refused(from_zip, bytes(bomb))
    assert "a.png" in message


@pytest.mark.real_mnist
@pytest.mark.slow
@pytest.mark.parametrize("kind", ["cnn", "mlp"])
def test_fine_tuning_learns_the_class_style_and_keeps_mnist(mnist, shipped, kind):
    """The shipped CNN misreads flagged 1s and curved 6s (BENCHMARKS.md: 89% and 83%); a short
    fine-tune on 36 of them reads the 12 held out better, and MNIST stays within half a point.
    The shipped MLP was trained on these styles: it must not get worse at them. Also measured
    on the styled benchmark's own flagged 1s and curved 6s (seed 2026, never trained on)."""
    from benchmarks.styled_digits import styled_images, styled_set
    from digitlab.evaluate import evaluate
    from digitlab.training.checkpoint import load_checkpoint
    from digitlab.training.events import Done
    from digitlab.training.trainer import train

    images, labels = styled_images(7, 48, styles=("1-flag", "6-curved"))
    hand = HandSet()
    for image, label in zip(images, labels, strict=True):
        hand.add(image, int(label))
    trained, held = split(hand.drawings())
    x, y = hw.tensors(held)
    assert (len(trained), len(held)) == (36, 12)
    bench = styled_set(per_variant=5)
    rows = np.isin(bench.styles, ["1-flag", "6-curved"])
    bench_x, bench_y = torch.from_numpy(bench.images[rows]), torch.from_numpy(bench.labels[rows])
    start = load_checkpoint(shipped[kind])
    before = evaluate(start.model, x, y)["accuracy"]
    bench_before = evaluate(start.model, bench_x, bench_y)["accuracy"]
    began = time.perf_counter()
    cfg = hw.tuning_config(start.config)
    done = [e for e in train(cfg, hw.tuning_data(mnist, trained), start_from=start.model)][-1]
    seconds = time.perf_counter() - began
    assert isinstance(done, Done) and done.metrics["steps"] == hw.TUNE_STEPS
    after = evaluate(done.model, x, y)["accuracy"]
    bench_after = evaluate(done.model, bench_x, bench_y)["accuracy"]
    mnist_before, mnist_after = start.metrics["test_accuracy"], done.metrics["test_accuracy"]
    print(f"{kind}: held-out {before:.1%} -> {after:.1%}; benchmark's {len(bench_y)} "
          f"{bench_before:.1%} -> {bench_after:.1%}; MNIST {mnist_before:.2%} -> "
          f"{mnist_after:.2%}; {seconds:.1f} s")  # fmt: skip
    # The shipped CNN has seen these styles since 2026-11-30 (11 of the 12 held out are right
    # before): the held-out drawings must not get worse, and the styled benchmark's flagged 1s
    # and curved 6s, never trained on, show what the class's drawings taught it.
    assert after >= before
    assert bench_after > bench_before if kind == "cnn" else bench_after >= bench_before
    assert mnist_after > mnist_before - 0.005
