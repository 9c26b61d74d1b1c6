"""The package's layout as the README draws it: its map names every module there is, and no
module imports from a layer above its own (read from the code's import statements)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "digitlab"
# Bottom to top: a module may import its own layer and the ones below it.
LAYERS = ("words", "core", "inference", "lab", "training", "ui", "commands")
COMMANDS = {"__main__", "cli", "calibrate"}  # the command lines: they use every layer


def layer(module: str) -> str:
    """The layer of a digitlab module ("digitlab.training.live" -> "training")."""
    parts = module.split(".")[1:]
    if not parts:
        return "core"
    if parts[0] in ("words", "inference", "lab", "training", "ui"):
        return parts[0]
    return "commands" if parts[0] in COMMANDS else "core"


def modules() -> dict[str, Path]:
    """Every module of the package by dotted name."""
    found = {}
    for path in PACKAGE.rglob("*.py"):
        dotted = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        found[dotted.removesuffix(".__init__")] = path
    return found


def imports(path: Path) -> set[str]:
    """The digitlab modules a file imports (wherever the import statement stands)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("digitlab")}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("digitlab"):
            for alias in node.names:  # "from digitlab.lab import robustness" names a module
                sub = f"{node.module}.{alias.name}"
                found.add(sub if sub in modules() else node.module)
    return found


def readme_map() -> set[str]:
    """The .py files the README's Layout block names, as paths from the repository's root."""
    text = (ROOT / "README.md").read_text()
    block = text.split("## Layout", 1)[1].split("```", 2)[1]
    named, folders = set(), []
    for line in block.splitlines():
        found = re.match(r"^( *)(\S+)", line)
        if not found or not (found.group(2).endswith((".py", "/"))):
            continue
        depth, name = len(found.group(1)) // 2, found.group(2)
        folders = folders[:depth]
        if name.endswith("/"):
            folders.append(name)
        else:
            named.add("".join(folders) + name)
    return named


def test_the_readme_map_names_every_module_and_only_those():
    there = {str(p.relative_to(ROOT)) for p in PACKAGE.rglob("*.py")} | {"app.py"}
    named = readme_map()
    assert not there - named, f"modules missing from the README's Layout: {sorted(there - named)}"
    assert not named - there, f"the README's Layout names files that are gone: {named - there}"


@pytest.mark.parametrize("module", sorted(modules()))
def test_no_module_imports_from_a_layer_above_its_own(module):
    own = LAYERS.index(layer(module))
    above = sorted(m for m in imports(modules()[module]) if LAYERS.index(layer(m)) > own)
    assert not above, f"{module} ({layer(module)}) imports {above} from above"


def test_the_import_graph_has_no_cycle():
    graph = {name: imports(path) & set(modules()) for name, path in modules().items()}
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if nxt == node or nxt.startswith(node + "."):
                continue  # a package's face naming its own modules
            if state.get(nxt) == 1:
                raise AssertionError(f"import cycle: {' -> '.join([*trail, node, nxt])}")
            if nxt not in state:
                visit(nxt, [*trail, node])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [])
