"""Deque's axe-core in a Playwright page: its WCAG 2 A/AA, 2.1 and 2.2 rules, and its findings
summed up.

axe-core comes from PyPI (requirements-dev.txt: axe-playwright-python bundles axe.min.js; only
that file is used here), or from npm: AXE_CORE_JS=path/to/axe.min.js (for example after
`npm install axe-core@4.14.1`, node_modules/axe-core/axe.min.js). Without either, the tests
that need it fail, saying how to get it: an accessibility check that skips is no check.
"""

from __future__ import annotations

import os
from collections import Counter
from importlib.util import find_spec
from pathlib import Path

import pytest

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
SEVERE = ("serious", "critical")
MISSING = (
    "axe-core not found: pip install -r requirements-dev.txt (axe-playwright-python bundles "
    "axe.min.js), or npm install axe-core@4.14.1 and set "
    "AXE_CORE_JS=node_modules/axe-core/axe.min.js"
)


def axe_source() -> str:
    """axe.min.js's text: $AXE_CORE_JS, ./node_modules/axe-core, or the PyPI package's copy."""
    spec = find_spec("axe_playwright_python")
    candidates = [
        os.environ.get("AXE_CORE_JS"),
        Path(__file__).parents[1] / "node_modules" / "axe-core" / "axe.min.js",
        spec and spec.origin and Path(spec.origin).parent / "axe.min.js",
    ]
    for path in candidates:
        if path and Path(path).is_file():
            return Path(path).read_text(encoding="utf-8")
    pytest.fail(MISSING)


RUN = """async (tags) => {
  const result = await axe.run(document, {
    runOnly: {type: 'tag', values: tags}, resultTypes: ['violations'],
  });
  return {version: axe.version, violations: result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary})),
  }))};
}"""


def audit(page) -> dict:
    """axe's findings on the page as it is now: {"version", "violations": [{id, impact, help,
    nodes: [{target, summary}]}]}; axe is added to the page the first time."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(content=axe_source())
    return page.evaluate(RUN, TAGS)


def severe(found: dict) -> list[dict]:
    """The serious and critical findings."""
    return [v for v in found["violations"] if v["impact"] in SEVERE]


def tally(found: dict) -> Counter:
    """{rule id: elements} of the serious and critical findings."""
    return Counter({v["id"]: len(v["nodes"]) for v in severe(found)})


def describe(where: str, found: dict) -> str:
    """The serious and critical findings, one line an element (a failure's message)."""
    lines = [
        f"{where}: {v['impact']} {v['id']} ({v['help']}): {n['target']}: "
        f"{n['summary'].splitlines()[-1].strip() if n['summary'] else ''}"
        for v in severe(found)
        for n in v["nodes"]
    ]
    return "\n".join(lines)
