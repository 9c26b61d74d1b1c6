"""Shared fixtures: the real MNIST folder (from $DIGITLAB_DATA), the data loaded once, the
shipped checkpoints, a free port and the app.

The app tests train on the real MNIST when $DIGITLAB_DATA has it (CI), and otherwise on a small
drawn stand-in in MNIST's file format (tests/sample_mnist.py), so they run on a fresh checkout.
Tests that need MNIST itself ask for `mnist_dir` or `mnist`, and skip with the reason without it.
"""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
from pathlib import Path

import pytest

from digitlab.data import FILES
from digitlab.training.checkpoint import SHIPPED


def _mnist_dir() -> Path | None:
    root = os.environ.get("DIGITLAB_DATA")
    if not root:
        return None
    root = Path(root)
    has_all = all(any((root / (n + ext)).is_file() for ext in ("", ".gz")) for n in FILES.values())
    return root if has_all else None


# Gradio's cache of this test run (uploads, files the app sends) in a folder of its own, removed
# at the end: not the machine's shared /tmp/gradio, which other runs and apps also use. Set
# before any test imports gradio; the apps the benchmarks start inherit it.
GRADIO_CACHE = tempfile.mkdtemp(prefix="digitlab-tests-gradio-")
os.environ["GRADIO_TEMP_DIR"] = GRADIO_CACHE
# The app's start-up warm-up (a second of CPU a launch) is not for tests: test_live.py runs it.
os.environ.setdefault("DIGITLAB_WARM_UP", "0")


def pytest_unconfigure(config) -> None:
    shutil.rmtree(GRADIO_CACHE, ignore_errors=True)


REAL_MNIST = _mnist_dir()  # read once, before app tests point DIGITLAB_DATA at the stand-in
NO_MNIST = (
    "real MNIST not available: set DIGITLAB_DATA to a folder with the four MNIST files "
    "(CI uses ../shared/data/mnist)"
)
# App tests that check what the real MNIST gives (its accuracy, its count of mistakes). Marking
# them `real_mnist` in their own file does the same.
REAL_MNIST_TESTS = {
    "tests/test_browser_teach.py::test_evaluate_tab_shows_accuracy_confusion_and_mistakes",
}


# Modules whose tests train for seconds or run the benchmarks: `slow`, with every test that
# launches the app or a browser (python -m pytest -m "not slow" is the quick loop).
SLOW_MODULES = {
    "test_benchmarks", "test_cli", "test_export", "test_handwriting", "test_live", "test_train",
    "test_pen_data", "test_robustness", "test_calibration", "test_digit_map", "test_explain",
    "test_train_shipped", "test_styled_digits", "test_drawn_digits", "test_steer", "test_limits",
    "test_predict", "test_threads", "test_pendigits",
}  # fmt: skip
SLOW_FIXTURES = {"app_module", "browser", "page", "client"}


def pytest_collection_modifyitems(config, items) -> None:
    """Mark the slow tests `slow`; without the real MNIST, skip the tests marked `real_mnist`
    (or listed above), saying why."""
    for item in items:
        module = item.module.__name__.rsplit(".", 1)[-1]
        uses = set(getattr(item, "fixturenames", ()))
        if item.get_closest_marker("browser") or module in SLOW_MODULES or uses & SLOW_FIXTURES:
            item.add_marker(pytest.mark.slow)
    if REAL_MNIST is not None:
        return
    for item in items:
        if item.get_closest_marker("real_mnist") or item.nodeid in REAL_MNIST_TESTS:
            item.add_marker(pytest.mark.skip(reason=NO_MNIST))


@pytest.fixture(scope="session")
def mnist_dir() -> Path:
    """Folder with the four real MNIST files; tests that need it skip when it is absent."""
    if REAL_MNIST is None:
        pytest.skip(NO_MNIST)
    return REAL_MNIST


@pytest.fixture(scope="session")
def digits_dir(tmp_path_factory) -> Path:
    """MNIST-format files to train on: the real MNIST when present, else the drawn stand-in."""
    if REAL_MNIST is not None:
        return REAL_MNIST
    from tests.sample_mnist import write_sample

    return write_sample(tmp_path_factory.mktemp("sample-mnist"))


@pytest.fixture(scope="session")
def mnist(mnist_dir):
    """The real MNIST tensors, loaded once per test session (no download)."""
    from digitlab.data import load_mnist

    return load_mnist(mnist_dir, download=False)


@pytest.fixture(scope="session")
def digits(digits_dir):
    """digits_dir's tensors, loaded once: for tests that train but check no MNIST figure."""
    from digitlab.data import load_mnist

    return load_mnist(digits_dir, download=False)


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
def app_module(digits_dir):
    """The real app launched in this process on a free port; its URL is app.url. It trains on
    digits_dir (the real MNIST, or the stand-in without it)."""
    import app

    saved = os.environ.get("DIGITLAB_DATA")
    os.environ["DIGITLAB_DATA"] = str(digits_dir)  # where the app's load_mnist() looks
    port = _free_port()
    app.launch(prevent_thread_lock=True, server_port=port, quiet=True)
    app.url = f"http://127.0.0.1:{port}/"
    yield app
    app.demo.close()
    if saved is None:
        os.environ.pop("DIGITLAB_DATA", None)
    else:
        os.environ["DIGITLAB_DATA"] = saved


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium for a test module's tests; skips like browser_kit without it."""
    from browser_kit import launch, sync_api

    with sync_api.sync_playwright() as p:
        chromium = launch(p)
        yield chromium
        chromium.close()


@pytest.fixture(autouse=True)
def _pages_closed_after_each_test(request):
    """A test's pages are closed when it ends: a page left open goes on rendering its charts
    and calling the app's timers while the next tests run."""
    yield
    if "browser" in request.fixturenames:
        for context in request.getfixturevalue("browser").contexts:
            context.close()


@pytest.fixture
def page(browser, app_module, shipped):
    """A page on the app, its canvas ready; no page or console errors by the end of the test.
    Modules that need another kind of page define their own `page`."""
    from browser_kit import open_app

    from digitlab.ui.common import SHIPPED as LOADED

    assert LOADED.names(), f"the app loaded no shipped model: {LOADED.problems}"
    page = open_app(browser, app_module.url)
    yield page
    assert not page.errors, page.errors
    page.close()
