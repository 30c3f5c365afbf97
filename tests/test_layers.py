"""Data flows one way: sources -> loaders -> graph -> queries -> viz / api / cli.

Each layer may import only the layers below it, and only graph/ may import a
database driver. The check reads the source files, so it cannot miss a module.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# layer -> the chainkg subpackages it must not import
FORBIDDEN = {
    "core": {"graph", "loaders", "queries", "viz", "api", "cli"},
    "graph": {"loaders", "queries", "viz", "api", "cli"},
    "loaders": {"queries", "viz", "api", "cli"},
    "queries": {"viz", "api", "cli"},
    "viz": {"api", "cli"},
    "api": {"cli"},
}
DRIVERS = {"ladybug", "neo4j"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _violations(layer: str) -> list[str]:
    out = []
    for path in sorted((ROOT / layer).rglob("*.py")):
        for name in sorted(_imports(path)):
            parts = name.split(".")
            if parts[0] == "chainkg" and len(parts) > 1 and parts[1] in FORBIDDEN[layer]:
                out.append(f"{path.relative_to(ROOT)} imports {name}")
            if layer != "graph" and parts[0] in DRIVERS:
                out.append(f"{path.relative_to(ROOT)} imports the driver {name}")
    return out


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_no_layer_imports_upward_or_a_driver_outside_graph(layer: str) -> None:
    assert _violations(layer) == []


def test_the_check_sees_an_upward_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from chainkg.queries.findings import weak_links\nimport ladybug\n")
    assert _imports(bad) == {"chainkg.queries.findings", "ladybug"}
