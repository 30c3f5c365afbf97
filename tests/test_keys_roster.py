"""`chainkg keys add --org` accepts only a responsible unit (群链长责任单位) of the roster."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import make_test_store, neo4j_settings
from test_api_support import build_graph

from chainkg.cli.main import main


def store_options(kind: str, tmp_path: Path) -> list[str]:
    """CLI options reaching a store of ``kind`` that holds the test graph."""
    store = make_test_store(kind, tmp_path)
    try:
        build_graph(store)
    finally:
        store.close()
    if kind == "embedded":
        return ["--data-dir", str(tmp_path / "graph")]
    s = neo4j_settings()
    return [
        "--store", "neo4j", "--neo4j-uri", s["uri"], "--neo4j-user", s["user"],
        "--neo4j-password", s["password"], "--neo4j-database", s["database"],
    ]  # fmt: skip


def add_unit(options: list[str], org: str, keys: Path) -> int:
    add = ["keys", "add", "--role", "unit", "--org", org, "--name", "x"]
    return main([*options, *add, "--keys-file", str(keys)])


@pytest.mark.parametrize("kind", ["embedded", "neo4j"])
def test_org_must_be_a_responsible_unit_of_the_roster(
    kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    options = store_options(kind, tmp_path)
    keys = tmp_path / "keys.json"
    assert add_unit(options, "省工业和信息化部", keys) == 1
    assert capsys.readouterr().err.splitlines() == [
        "error: '省工业和信息化部' is not a responsible unit (群链长责任单位) in the roster in the "
        "graph",
        "hint: did you mean: 省工业和信息化厅?",
    ]
    assert not keys.exists()
    assert add_unit(options, "省工业和信息化厅", keys) == 0
    stored = json.loads(keys.read_text(encoding="utf-8"))["keys"]
    assert [(k["role"], k["org"]) for k in stored] == [("unit", "省工业和信息化厅")]


def test_without_the_graph_the_shipped_notice_decides(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the data folder should be")
    options = ["--data-dir", str(blocked / "graph")]
    keys = tmp_path / "keys.json"
    assert add_unit(options, "郑州市某公司", keys) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0] == (
        "error: '郑州市某公司' is not a responsible unit (群链长责任单位) in the roster of "
        "yuzhengban-2021-61.md"
    )
    assert add_unit(options, "省发展改革委", keys) == 0
