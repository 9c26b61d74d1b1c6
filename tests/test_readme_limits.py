"""The README's Limits section lists every limit in digitlab/limits.py, with the values there."""

from __future__ import annotations

import re
from pathlib import Path

from digitlab import limits

README = Path(__file__).resolve().parents[1] / "README.md"


def limits_section() -> str:
    text = README.read_text(encoding="utf-8")
    found = re.search(r"^## Limits\n(.*?)^## ", text, flags=re.S | re.M)
    assert found, "the README has no '## Limits' section"
    return found.group(1)


def test_every_limit_has_a_row_with_its_value():
    values = {}  # name -> the row's value cell
    for line in limits_section().splitlines():
        cells = line.split("|")
        if len(cells) > 3:
            values.update(dict.fromkeys(re.findall(r"`([A-Z_]+)`", cells[1]), cells[2]))
    names = sorted(n for n in vars(limits) if n.isupper())
    assert names and set(names) <= set(values), sorted(set(names) - set(values))
    for name in names:
        value = getattr(limits, name)
        shown = {
            f"{value:,}", f"{value:,.0f}", f"{value / 2**20:g} MB", f"{value / 3600:g} hours",
            f"{value:g} s",
        }  # fmt: skip
        found = [
            s for s in shown if re.search(rf"(^|[^\d,.]){re.escape(s)}($|[^\d,])", values[name])
        ]
        assert found, (name, value, values[name])
