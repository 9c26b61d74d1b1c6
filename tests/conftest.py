"""Shared fixtures: the real MNIST folder (from $DIGITLAB_DATA), the data loaded once, the
shipped checkpoints, a free port and the app."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from digitlab.checkpoint import SHIPPED
from digitlab.data import FILES


def _mnist_dir() -> Path | None:
    root = os.environ.get("DIGITLAB_DATA")
    if not root:
        return None
    root = Path(root)
    has_all = all(any((root / (n + ext)).is_file() for ext in ("", ".gz")) for n in FILES.values())
    return root if has_all else None


@pytest.fixture(scope="session")
def mnist_dir() -> Path:
    """Folder with the four real MNIST files; tests that need it skip when it is absent."""
    root = _mnist_dir()
    if root is None:
        pytest.skip(
            "real MNIST not available: set DIGITLAB_DATA to a folder with the four MNIST files "
            "(CI uses ../shared/data/mnist)"
        )
    return root


@pytest.fixture(scope="session")
def mnist(mnist_dir):
    """The real MNIST tensors, loaded once per test session (no download)."""
    from digitlab.data import load_mnist

    return load_mnist(mnist_dir, download=False)


@pytest.fixture(scope="session")
def shipped() -> dict[str, Path]:
    """The shipped checkpoints by kind; they are part of the repository, so missing ones fail."""
    missing = [str(path) for path in SHIPPED.values() if not path.is_file()]
    if missing:
        pytest.fail(
            f"shipped checkpoints missing: {', '.join(missing)}. They are committed with the "
            "code: restore them (git checkout -- checkpoints) rather than skip their tests."
        )
    return SHIPPED


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def free_port() -> int:
    """A TCP port nothing listens on right now (the OS picks it)."""
    return _free_port()


@pytest.fixture(scope="module")
def app_module(mnist_dir):
    """The real app launched in this process on a free port; its URL is app.url."""
    import app

    port = _free_port()
    app.launch(prevent_thread_lock=True, server_port=port, quiet=True)
    app.url = f"http://127.0.0.1:{port}/"
    yield app
    app.demo.close()
