import hashlib
import shutil

import pytest
import torch

from digitlab.config import MNIST_MEAN, MNIST_STD
from digitlab.data import FILES, DataError, augment, batches, load_mnist, normalize


def test_real_mnist_loads_as_uint8(mnist):
    assert mnist.train_x.shape == (60_000, 28, 28) and mnist.train_x.dtype == torch.uint8
    assert mnist.test_x.shape == (10_000, 28, 28)
    assert mnist.train_y.dtype == torch.int64
    assert mnist.train_y[:8].tolist() == [5, 0, 4, 1, 9, 2, 1, 3]  # the famous first digits
    assert torch.bincount(mnist.test_y).tolist()[:3] == [980, 1135, 1032]
    # byte-exact with the published files (md5 from the data folder's README)
    header = bytes.fromhex("00000803") + (10_000).to_bytes(4, "big") + (28).to_bytes(4, "big") * 2
    full = hashlib.md5(header + mnist.test_x.numpy().tobytes()).hexdigest()
    assert full == "2646ac647ad5339dbf082846283269ea"


def test_torchvision_layout_with_raw_files_is_found(mnist_dir, tmp_path):
    raw = tmp_path / "MNIST" / "raw"
    raw.mkdir(parents=True)
    for name in FILES.values():
        shutil.copy(mnist_dir / f"{name}.gz", raw / f"{name}.gz")
    data = load_mnist(tmp_path, download=False)
    assert data.test_y.shape == (10_000,)


def test_missing_files_name_themselves_and_say_how_to_fix(tmp_path):
    (tmp_path / "train-images-idx3-ubyte").write_bytes(b"")
    with pytest.raises(DataError) as info:
        load_mnist(tmp_path, download=False)
    text = str(info.value)
    assert "t10k-labels-idx1-ubyte" in text and "DIGITLAB_DATA" in text


def test_download_failure_is_a_clear_error(tmp_path, monkeypatch):
    # No network in CI: torchvision's real download fails; the message says what to do.
    monkeypatch.setattr("torchvision.datasets.MNIST.mirrors", ["http://127.0.0.1:9/"])
    with pytest.raises(DataError, match="Downloading MNIST"):
        load_mnist(tmp_path / "empty", download=True)


def test_corrupt_file_is_a_clear_error(mnist_dir, tmp_path):
    for name in FILES.values():
        shutil.copy(mnist_dir / f"{name}.gz", tmp_path / f"{name}.gz")
    (tmp_path / "t10k-labels-idx1-ubyte.gz").write_bytes(b"not gzip at all")
    with pytest.raises(DataError, match="not a readable MNIST IDX file"):
        load_mnist(tmp_path, download=False)


def test_normalize_matches_the_training_statistics(mnist):
    x = normalize(mnist.train_x[:10_000])
    assert x.shape == (10_000, 1, 28, 28)
    raw = mnist.train_x[:10_000].float() / 255
    assert torch.allclose(x.squeeze(1), (raw - MNIST_MEAN) / MNIST_STD)
    assert abs(x.mean().item()) < 0.05 and abs(x.std().item() - 1) < 0.05


def test_batches_cover_a_permutation_once():
    g = torch.Generator().manual_seed(0)
    seen = torch.cat(list(batches(103, 10, g, torch.device("cpu"))))
    assert len(seen) == 100 and len(set(seen.tolist())) == 100


def test_augment_keeps_the_digit_recognisable_but_changes_it(mnist):
    x = mnist.test_x[:256]
    out = augment(x, torch.Generator().manual_seed(0))
    assert out.shape == (256, 28, 28) and out.dtype == torch.float32
    assert out.min() >= 0.0 and out.max() <= 1.0
    base = x.float() / 255
    assert (out - base).abs().mean() > 0.02  # it really transforms
    # ...but the ink stays roughly where the digit is: correlation with the original is high
    a, b = out.flatten(1), base.flatten(1)
    corr = torch.nn.functional.cosine_similarity(a, b, dim=1)
    assert corr.median() > 0.6
    again = augment(x, torch.Generator().manual_seed(0))
    assert torch.equal(out, again)  # seeded: reproducible
