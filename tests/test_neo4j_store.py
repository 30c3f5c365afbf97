"""What only the Neo4j store does: constraints, full-text search, READ routing, connection errors."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import make_test_store, neo4j_settings, require_neo4j

from chainkg.errors import StoreError, StoreUnavailableError
from chainkg.graph.neo4j_store import SEARCH_INDEX, Neo4jStore, schema_statements
from chainkg.graph.schema import SCHEMA


@pytest.fixture
def neo4j(tmp_path: Path) -> Iterator[Neo4jStore]:
    """An empty, opened Neo4j store (skips without a server)."""
    store = make_test_store("neo4j", tmp_path)
    assert isinstance(store, Neo4jStore)
    try:
        yield store
    finally:
        store.close()


def _names(store: Neo4jStore, what: str) -> set[str]:
    rows = store.read(f"SHOW {what} YIELD name RETURN name")
    return {r["name"] for r in rows if r["name"].startswith("chainkg_")}


def test_constraints_and_indexes_exist_after_open(neo4j: Neo4jStore) -> None:
    assert _names(neo4j, "CONSTRAINTS") == {f"chainkg_{k.label}_id" for k in SCHEMA.nodes}
    ranges = {f"chainkg_{k.label}_{p.name}" for k in SCHEMA.nodes for p in k.props if p.indexed}
    assert "chainkg_Organization_uscc" in ranges
    # The constraints own an index each, under the constraint's name.
    assert _names(neo4j, "INDEXES") == ranges | {SEARCH_INDEX} | _names(neo4j, "CONSTRAINTS")
    assert {name for name, _ in schema_statements(SCHEMA)} == _names(neo4j, "INDEXES")
    [search] = neo4j.read(
        "SHOW FULLTEXT INDEXES YIELD name, properties, options WHERE name = $name "
        "RETURN properties, options.indexConfig.`fulltext.analyzer` AS analyzer",
        {"name": SEARCH_INDEX},
    )
    assert search == {"properties": ["name", "uscc", "title"], "analyzer": "cjk"}


def test_ensure_schema_is_idempotent(neo4j: Neo4jStore) -> None:
    before = _names(neo4j, "INDEXES")
    neo4j.ensure_schema()
    neo4j.ensure_schema()
    assert _names(neo4j, "INDEXES") == before


def test_uniqueness_constraint_rejects_a_second_node_with_the_same_id(neo4j: Neo4jStore) -> None:
    with neo4j.transaction() as tx:
        tx.run("CREATE (:Chain {id: 'chain:x'})")
    with pytest.raises(StoreError) as err, neo4j.transaction() as tx:
        tx.run("CREATE (:Chain {id: 'chain:x'})")
    assert str(err.value).startswith("query <inline> failed on Neo4j at bolt://")
    assert "already exists with label `Chain` and property `id` = 'chain:x'" in str(err.value)
    assert neo4j.counts().nodes["Chain"] == 1


def test_cjk_full_text_finds_a_chinese_word_inside_a_name(neo4j: Neo4jStore) -> None:
    with neo4j.transaction() as tx:
        tx.upsert_nodes(
            "Organization",
            [
                {"id": "org:1", "name": "河南省有色金属行业协会"},
                {"id": "org:2", "name": "洛阳钼业集团"},
            ],
        )
        tx.upsert_nodes("Chain", [{"id": "chain:1", "name": "新材料产业链"}])
    rows = neo4j.read(
        "CALL db.index.fulltext.queryNodes($index, $q) YIELD node RETURN node.id AS id",
        {"index": neo4j.search_index_name, "q": "河南"},
    )
    assert rows == [{"id": "org:1"}]
    rows = neo4j.read(
        "CALL db.index.fulltext.queryNodes($index, $q) YIELD node RETURN node.id AS id ORDER BY id",
        {"index": neo4j.search_index_name, "q": "材料"},
    )
    assert rows == [{"id": "chain:1"}]


def test_reads_run_in_read_transactions(neo4j: Neo4jStore) -> None:
    with pytest.raises(StoreError) as err:
        neo4j.read("CREATE (:Chain {id: 'chain:w'})")
    assert str(err.value) == (
        f"query <inline> failed on Neo4j at {neo4j.uri}: Writing in read access mode not "
        "allowed. Attempted write to neo4j"
    )
    assert neo4j.counts().nodes["Chain"] == 0


def test_results_are_plain_python_values(neo4j: Neo4jStore) -> None:
    with neo4j.transaction() as tx:
        tx.upsert_nodes(
            "Chain", [{"id": "chain:d", "name": "d", "seq": 3, "as_of": dt.date(2021, 10, 21)}]
        )
    [row] = neo4j.read("MATCH (c:Chain) RETURN c, c.as_of AS as_of, [c.seq, 1.5] AS xs")
    assert row == {
        "c": {
            "id": "chain:d",
            "name": "d",
            "seq": 3,
            "future": None,
            "origin": None,
            "status": None,
            "city": None,
            "basis": None,
            "in_force_from": None,
            "in_force_until": None,
            "former_names": None,
            "edition": None,
            "source": None,
            "source_ref": None,
            "loaded_at": None,
            "as_of": dt.date(2021, 10, 21),
            "synthetic": None,
            "version": None,
        },
        "as_of": dt.date(2021, 10, 21),
        "xs": [3, 1.5],
    }
    assert type(row["as_of"]) is dt.date


def test_a_cypher_error_names_the_query(neo4j: Neo4jStore) -> None:
    with pytest.raises(StoreError) as err:
        neo4j.read("MATCH (n RETURN n")
    assert str(err.value).startswith(
        f"query <inline> failed on Neo4j at {neo4j.uri}: Invalid input 'RETURN'"
    )


def test_wrong_password_is_one_clear_message() -> None:
    require_neo4j()
    s = neo4j_settings()
    store = Neo4jStore(s["uri"], s["user"], "not-the-password", database=s["database"])
    with pytest.raises(StoreUnavailableError) as err:
        store.open()
    assert str(err.value) == f"Neo4j at {s['uri']} refused user '{s['user']}': wrong password"
    assert err.value.hint == "set NEO4J_PASSWORD (or pass --neo4j-password)"


def test_unknown_database_is_one_clear_message() -> None:
    require_neo4j()
    s = neo4j_settings()
    store = Neo4jStore(s["uri"], s["user"], s["password"], database="nosuchdb")
    with pytest.raises(StoreUnavailableError) as err:
        store.open()
    assert str(err.value) == (
        f"Neo4j at {s['uri']} has no database 'nosuchdb' (user '{s['user']}')"
    )


def test_unreachable_server_is_one_clear_message() -> None:
    store = Neo4jStore("bolt://127.0.0.1:1", "neo4j", "pw", database="neo4j")
    with pytest.raises(StoreUnavailableError) as err:
        store.open()
    assert str(err.value) == (
        "no Neo4j answers at bolt://127.0.0.1:1 (user 'neo4j', database 'neo4j'): is the server "
        "running? Start the dev server with `scripts/neo4j-dev-server start` or set NEO4J_URI"
    )
    assert err.value.hint is None


def test_construction_does_no_io() -> None:
    store = Neo4jStore("bolt://127.0.0.1:1", "neo4j", "pw")
    assert store.location == "bolt://127.0.0.1:1 (database 'neo4j')"
    store.close()


def test_clear_removes_many_nodes_in_batches(neo4j: Neo4jStore) -> None:
    rows = [{"id": f"org:{i:05d}", "name": f"企业{i}"} for i in range(25_000)]
    assert neo4j.bulk_upsert_nodes("Organization", rows, batch_size=10_000) == 25_000
    with neo4j.transaction() as tx:
        tx.upsert_rels(
            "SUPPLIES",
            "Organization",
            "Organization",
            [{"from_id": "org:00001", "to_id": "org:00002", "product": "铝"}],
        )
    neo4j.clear()
    counts = neo4j.counts()
    assert sum(counts.nodes.values()) == 0
    assert sum(counts.relationships.values()) == 0
