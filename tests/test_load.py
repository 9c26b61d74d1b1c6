"""The load test's short version: 10 students x 5 s against the app in this process, no errors.

Latency is not asserted (a shared 2-core CI box is no place for timed tests); the full run and
its figures are in the README (python -m benchmarks.load_test --serve --train).
"""

from __future__ import annotations

import pytest

from benchmarks.load_test import check_loopback, run_load


@pytest.fixture(scope="module")
def url(app_module) -> str:
    """The URL of the app launched in this process (conftest.py)."""
    return app_module.url


def test_ten_students_for_five_seconds_get_only_right_answers(url):
    result = run_load(url, students=10, seconds=5, rate=2.0)
    assert result.errors == []
    assert result.requests >= 60, result.summary()  # ~100 offered; most were really sent
    assert result.requests <= 10 * 10 + 10


def test_the_load_test_refuses_other_hosts():
    with pytest.raises(SystemExit, match="loopback"):
        check_loopback("https://example.com/")
