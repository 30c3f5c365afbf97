"""The test fixtures clear only a scratch database: never one holding data and no marker."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from conftest import make_test_store, neo4j_settings, require_neo4j

from chainkg.graph.neo4j_store import Neo4jStore
from chainkg.graph.scratch import MARKER_LABEL, remove_scratch_marker


def _raw_store() -> Neo4jStore:
    """The test database opened without the fixture's claim and clear."""
    require_neo4j()
    s = neo4j_settings()
    store = Neo4jStore(s["uri"], s["user"], s["password"], database=s["database"])
    store.open()
    return store


def _count(store: Neo4jStore, label: str) -> int:
    return store.read(f"MATCH (n:{label}) RETURN count(n) AS n")[0]["n"]


@pytest.mark.neo4j
def test_an_unmarked_database_with_data_is_refused_and_left_as_it_was(tmp_path: Path) -> None:
    make_test_store("neo4j", tmp_path).close()  # empty and marked
    raw = _raw_store()
    try:
        remove_scratch_marker(raw)
        with raw.transaction() as tx:
            tx.run("CREATE (:Province {id: 'users-own', name: '河南省'})")
        s = neo4j_settings()
        with pytest.raises(pytest.fail.Exception) as failed:
            make_test_store("neo4j", tmp_path)
        assert str(failed.value) == (
            f"refusing to clear {s['uri']} (database {s['database']!r}): it holds data "
            "(a node labelled Province) and no scratch marker, so it may be someone's real "
            "database\n"
            "point CHAINKG_TEST_NEO4J_URI (and _USER, _PASSWORD, _DATABASE) at a database kept "
            'for tests, e.g. `eval "$(scripts/neo4j-dev-server env --test)"`; an empty '
            "database is marked as a scratch database on first use"
        )
        assert (_count(raw, "Province"), _count(raw, MARKER_LABEL)) == (1, 0)
    finally:
        with raw.transaction() as tx:
            tx.run("MATCH (p:Province {id: 'users-own'}) DELETE p")
        raw.close()


@pytest.mark.neo4j
def test_an_empty_unmarked_database_is_marked_then_cleared_next_time(tmp_path: Path) -> None:
    make_test_store("neo4j", tmp_path).close()
    raw = _raw_store()
    try:
        remove_scratch_marker(raw)
        assert _count(raw, MARKER_LABEL) == 0
        store = make_test_store("neo4j", tmp_path)
        with store.transaction() as tx:
            tx.run("CREATE (:Province {id: 'test-data', name: '河南省'})")
        store.close()
        assert (_count(raw, "Province"), _count(raw, MARKER_LABEL)) == (1, 1)
        make_test_store("neo4j", tmp_path).close()  # marked: cleared, marker kept
        assert (_count(raw, "Province"), _count(raw, MARKER_LABEL)) == (0, 1)
    finally:
        raw.close()


def test_without_chainkg_test_neo4j_uri_the_tests_do_not_fall_back_to_neo4j_uri(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("CHAINKG_TEST_NEO4J_URI", raising=False)
    monkeypatch.setenv("NEO4J_URI", "bolt://users-own-server:7687")
    assert neo4j_settings()["uri"] == ""


def test_dev_server_env_test_prints_only_the_test_variables(tmp_path: Path) -> None:
    (tmp_path / "neo4j.port").write_text("7999\n")
    env = {**os.environ, "CHAINKG_NEO4J_CACHE": str(tmp_path), "NEO4J_PASSWORD": "pw with space"}
    script = Path(__file__).parents[1] / "scripts" / "neo4j-dev-server"
    done = subprocess.run(
        [str(script), "env", "--test"], env=env, capture_output=True, text=True, check=True
    )
    assert done.stdout.splitlines() == [
        "export CHAINKG_TEST_NEO4J_URI=bolt://127.0.0.1:7999",
        "export CHAINKG_TEST_NEO4J_USER=neo4j",
        "export CHAINKG_TEST_NEO4J_PASSWORD=pw\\ with\\ space",
        "export CHAINKG_TEST_NEO4J_DATABASE=neo4j",
    ]
