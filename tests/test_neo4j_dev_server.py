"""The Neo4j dev server (scripts/neo4j-dev-server) answers and its full-text search reads Chinese.

Needs a server: run `scripts/neo4j-dev-server start` (skips otherwise, fails with
CHAINKG_REQUIRE_NEO4J=1 as in CI).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from conftest import neo4j_settings, require_neo4j
from neo4j import Driver, GraphDatabase

pytestmark = pytest.mark.neo4j

# Names of our own, so the probe cannot collide with the store's chainkg_* schema.
PROBE_LABEL = "DevServerProbe"
PROBE_INDEX = "dev_server_probe_cjk"


@pytest.fixture
def driver() -> Iterator[Driver]:
    """A driver logged in to the test Neo4j (skips without a server)."""
    require_neo4j()
    s = neo4j_settings()
    with GraphDatabase.driver(s["uri"], auth=(s["user"], s["password"])) as d:
        yield d


def test_server_answers_cypher(driver: Driver) -> None:
    records, _, _ = driver.execute_query("RETURN 1 AS one", database_=neo4j_settings()["database"])
    assert [r["one"] for r in records] == [1]


def test_cjk_fulltext_index_finds_chinese_words(driver: Driver) -> None:
    database = neo4j_settings()["database"]

    def run(cypher: str, **params: object) -> list[dict[str, object]]:
        records, _, _ = driver.execute_query(cypher, params, database_=database)
        return [r.data() for r in records]

    run(f"MATCH (n:{PROBE_LABEL}) DETACH DELETE n")
    run(f"DROP INDEX {PROBE_INDEX} IF EXISTS")
    try:
        run(
            f"CREATE FULLTEXT INDEX {PROBE_INDEX} FOR (n:{PROBE_LABEL}) ON EACH [n.name] "
            "OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk'}}"
        )
        run("CALL db.awaitIndexes(120)")
        analyzer = run(
            "SHOW FULLTEXT INDEXES YIELD name, options WHERE name = $name "
            "RETURN options.indexConfig.`fulltext.analyzer` AS analyzer",
            name=PROBE_INDEX,
        )
        assert analyzer == [{"analyzer": "cjk"}]
        run(
            f"UNWIND $names AS name CREATE (:{PROBE_LABEL} {{name: name}})",
            # 南河村 has both characters of 河南 but not the word: only bigrams (cjk) tell.
            names=["河南省有色金属行业协会", "湖北省汽车行业协会", "南河村委会"],
        )
        query = (
            f"CALL db.index.fulltext.queryNodes('{PROBE_INDEX}', $q) YIELD node "
            "RETURN node.name AS name ORDER BY name"
        )
        assert run(query, q="河南") == [{"name": "河南省有色金属行业协会"}]
        assert run(query, q="有色金属") == [{"name": "河南省有色金属行业协会"}]
        assert run(query, q="行业协会") == [
            {"name": "河南省有色金属行业协会"},
            {"name": "湖北省汽车行业协会"},
        ]
    finally:
        run(f"MATCH (n:{PROBE_LABEL}) DETACH DELETE n")
        run(f"DROP INDEX {PROBE_INDEX} IF EXISTS")
