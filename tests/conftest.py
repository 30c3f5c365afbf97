"""Shared fixtures: the ``store`` fixture runs a test on every store.

The embedded store always runs (a fresh folder per test). The Neo4j store runs
on the database named by CHAINKG_TEST_NEO4J_URI (and _USER, _PASSWORD, _DATABASE),
never by NEO4J_URI, which names the user's own database: tests clear it. Start one
with ``scripts/neo4j-dev-server start`` and ``eval "$(scripts/neo4j-dev-server env
--test)"``. Without CHAINKG_TEST_NEO4J_URI, or without a server there, its tests
skip, unless CHAINKG_REQUIRE_NEO4J=1 (as in CI), where that fails them.

Before clearing, the database must carry the scratch marker (graph/scratch.py); an
empty database gets it, one with data and no marker is refused, never cleared.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from chainkg.graph.embedded import EmbeddedStore
from chainkg.graph.scratch import NotAScratchDatabaseError, claim_scratch_database
from chainkg.graph.store import GraphStore

DEV_PASSWORD = "chainkg-dev-password"
_neo4j_problem: str | None = None
_neo4j_checked = False


TEST_ENV_HINT = 'eval "$(scripts/neo4j-dev-server env --test)"'


def neo4j_settings() -> dict[str, str]:
    """Where the test Neo4j is: CHAINKG_TEST_NEO4J_* only (uri empty when not given)."""
    return {
        "uri": os.environ.get("CHAINKG_TEST_NEO4J_URI", ""),
        "user": os.environ.get("CHAINKG_TEST_NEO4J_USER", "neo4j"),
        "password": os.environ.get("CHAINKG_TEST_NEO4J_PASSWORD", DEV_PASSWORD),
        "database": os.environ.get("CHAINKG_TEST_NEO4J_DATABASE", "neo4j"),
    }


def _neo4j_unavailable() -> str | None:
    global _neo4j_problem, _neo4j_checked
    if not _neo4j_checked:
        _neo4j_checked = True
        try:
            from chainkg.graph.neo4j_store import Neo4jStore
        except ImportError as exc:
            _neo4j_problem = f"the Neo4j store is not available: {exc}"
            return _neo4j_problem
        s = neo4j_settings()
        if not s["uri"]:
            _neo4j_problem = (
                "CHAINKG_TEST_NEO4J_URI is not set (tests use only a database given for "
                f"tests); start the dev server and run `{TEST_ENV_HINT}`"
            )
            return _neo4j_problem
        store = Neo4jStore(s["uri"], s["user"], s["password"], database=s["database"])
        try:
            store.open()
        except Exception as exc:
            _neo4j_problem = (
                f"no Neo4j at CHAINKG_TEST_NEO4J_URI={s['uri']} ({exc}); run "
                f"`scripts/neo4j-dev-server start` and `{TEST_ENV_HINT}`"
            )
        finally:
            store.close()
    return _neo4j_problem


def require_neo4j() -> None:
    """Skip (or, with CHAINKG_REQUIRE_NEO4J=1, fail) when no Neo4j answers."""
    problem = _neo4j_unavailable()
    if problem:
        if os.environ.get("CHAINKG_REQUIRE_NEO4J") == "1":
            pytest.fail(f"CHAINKG_REQUIRE_NEO4J=1 but {problem}")
        pytest.skip(problem)


def make_test_store(kind: str, tmp_path: Path) -> GraphStore:
    """An opened, empty store of ``kind`` ('embedded' or 'neo4j').

    Neo4j: cleared only when it is a scratch database (marked, or empty and marked now);
    a database with data and no marker fails the test and is left as it was.
    """
    if kind == "embedded":
        store: GraphStore = EmbeddedStore(tmp_path / "graph")
        store.open()
        return store
    require_neo4j()
    from chainkg.graph.neo4j_store import Neo4jStore

    s = neo4j_settings()
    store = Neo4jStore(s["uri"], s["user"], s["password"], database=s["database"])
    store.open()
    try:
        claim_scratch_database(store)
    except NotAScratchDatabaseError as exc:
        store.close()
        pytest.fail(f"{exc}\n{exc.hint}", pytrace=False)
    store.clear()
    return store


@pytest.fixture(params=["embedded", "neo4j"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[GraphStore]:
    """An empty store, once per store kind."""
    s = make_test_store(request.param, tmp_path)
    try:
        yield s
    finally:
        s.close()


@pytest.fixture
def embedded_store(tmp_path: Path) -> Iterator[GraphStore]:
    """An empty embedded store."""
    s = make_test_store("embedded", tmp_path)
    try:
        yield s
    finally:
        s.close()
