"""Initial loads into Neo4j by neo4j-admin import: headers, the choice of path, a real import."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import make_test_store
from test_parity import parity_batch

from chainkg.errors import SchemaError, StoreError
from chainkg.graph.bulk import choose_full_import, write_csv
from chainkg.graph.copy import copy_graph
from chainkg.graph.embedded import EmbeddedStore
from chainkg.graph.neo4j_import import (
    ARRAY_DELIMITER,
    local_dev_server,
    node_header,
    rel_header,
)
from chainkg.graph.schema import SCHEMA
from chainkg.graph.scratch import is_scratch_database, mark_scratch_database

REPO = Path(__file__).resolve().parents[1]


def test_headers_name_id_spaces_and_types() -> None:
    park = SCHEMA.node("Park")
    header = node_header(park)
    assert header[0] == "id:ID(Park)"
    assert [h for h in header if h.startswith(("synthetic", "as_of"))] == [
        "as_of:date",
        "synthetic:boolean",
    ]
    rel = rel_header(SCHEMA.rel("LOCATED_IN"), "Organization", "City")
    assert rel[:2] == [":START_ID(Organization)", ":END_ID(City)"]


def test_lists_are_joined_by_the_array_delimiter_and_odd_ones_set_later(tmp_path: Path) -> None:
    segment = SCHEMA.node("Segment")
    column = "industry_codes"
    rows = [
        {"id": "seg:a", column: ["C1", "C,2"]},
        {"id": "seg:b", column: []},
        {"id": "seg:c", column: [f"x{ARRAY_DELIMITER}y"]},
        {"id": "seg:d", column: ["C1", ""]},
        {"id": "seg:e"},
    ]
    path = tmp_path / "s.csv"
    out = write_csv(path, segment, rows, header=node_header(segment), list_delimiter="\x1f")
    lines = path.read_text(encoding="utf-8").splitlines()
    index = [p.name for p in segment.all_props].index(column)
    assert lines[0].split(",")[index] == "industry_codes:string[]"
    assert lines[1].startswith("seg:a,")
    assert '"C1\x1fC,2"' in lines[1]
    assert out.late_lists == [
        ("seg:b", column, []),
        ("seg:c", column, [f"x{ARRAY_DELIMITER}y"]),
        ("seg:d", column, ["C1", ""]),
    ]
    assert out.rows == 5


def test_remote_servers_fall_back_with_the_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    server, why = local_dev_server("bolt://db.example.org:7687", "neo4j")
    assert server is None
    assert why == (
        "bolt://db.example.org:7687 is not on this machine: neo4j-admin import writes the "
        "database files, so it serves only the local dev server"
    )
    assert local_dev_server("bolt://127.0.0.1:7687", "other")[1] == (
        "the import replaces database 'neo4j', not 'other'"
    )
    monkeypatch.setenv("CHAINKG_NEO4J_DEV_SERVER", "/nonexistent/neo4j-dev-server")
    assert local_dev_server("bolt://127.0.0.1:7687", "neo4j")[1] == (
        "the dev server script /nonexistent/neo4j-dev-server is not here (set "
        "CHAINKG_NEO4J_DEV_SERVER to scripts/neo4j-dev-server of a chainkg checkout)"
    )


def test_the_choice_of_path_follows_the_mode_and_the_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = EmbeddedStore(tmp_path / "g")
    monkeypatch.setenv("CHAINKG_NEO4J_IMPORT", "never")
    assert choose_full_import(store, 10**7) == (
        False,
        "batched writes (CHAINKG_NEO4J_IMPORT=never)",
    )
    monkeypatch.setenv("CHAINKG_NEO4J_IMPORT", "always")
    assert choose_full_import(store, 10) == (
        False,
        "batched writes: EmbeddedStore has no offline bulk import",
    )
    monkeypatch.setenv("CHAINKG_NEO4J_IMPORT", "sometimes")
    with pytest.raises(SchemaError) as err:
        choose_full_import(store, 10)
    assert str(err.value) == "CHAINKG_NEO4J_IMPORT='sometimes' is not one of auto, always, never"
    with pytest.raises(StoreError) as err2:
        store.full_import([], [])
    assert str(err2.value) == "EmbeddedStore has no offline bulk import"


def _dev_server_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    store = make_test_store("neo4j", tmp_path)
    monkeypatch.setenv("CHAINKG_NEO4J_DEV_SERVER", str(REPO / "scripts" / "neo4j-dev-server"))
    blocker = store.full_import_blocker()
    if blocker is not None:
        store.close()
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI runs the dev server, yet: {blocker}")
        pytest.skip(f"the test Neo4j is not the local dev server: {blocker}")
    return store


@pytest.mark.slow
def test_copy_into_the_dev_server_by_import_equals_the_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = EmbeddedStore(tmp_path / "source")
    source.open()
    neo4j = _dev_server_store(tmp_path, monkeypatch)
    try:
        with source.transaction() as tx:
            tx.write(parity_batch())
        with neo4j.transaction() as tx:  # replaced whole by the import
            tx.upsert_nodes("Chain", [{"id": "chain:stale", "name": "旧"}])
        monkeypatch.setenv("CHAINKG_NEO4J_IMPORT", "always")
        seen: list[tuple[str, int, int]] = []
        report = copy_graph(source, neo4j, replace=True, progress=lambda *a: seen.append(a))
        assert report.method == "offline bulk import (neo4j-admin database import)"
        assert is_scratch_database(neo4j)  # still a database the tests may clear
        assert neo4j.export() == source.export()
        assert report.nodes == {k: v for k, v in source.counts().nodes.items() if v}
        assert any(s[0].startswith("neo4j-admin import (") for s in seen)
        # The constraints and indexes are back after the import.
        names = {r["name"] for r in neo4j.read("SHOW INDEXES YIELD name RETURN name")}
        assert "chainkg_search" in names
        assert "chainkg_Organization_id" in names
        hits = neo4j.read(
            "CALL db.index.fulltext.queryNodes('chainkg_search', $q) YIELD node "
            "RETURN node.id AS id",
            {"q": next(iter(r["name"] for r in source.export().nodes["Chain"]))},
        )
        assert hits
    finally:
        # Whatever happened above, the database stays one the other tests may clear.
        mark_scratch_database(neo4j)
        source.close()
        neo4j.close()
