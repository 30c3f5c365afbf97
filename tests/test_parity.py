"""Parity: the same inputs give the same graph, value for value, on both stores."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from conftest import make_test_store

from chainkg.graph.batch import GraphBatch
from chainkg.graph.schema import SCHEMA, PropType
from chainkg.graph.store import GraphStore

FIXED_NOW = dt.datetime(2024, 5, 6, 7, 8, 9, tzinfo=dt.UTC)

# One full value per property type, and awkward ones for the second node of each kind.
FULL: dict[PropType, Any] = {
    PropType.STRING: "河南省·\"引号\" 'and' \\ 换行\n",
    PropType.INT: -42,
    PropType.FLOAT: 1234.5678,
    PropType.BOOL: True,
    PropType.DATE: dt.date(2021, 10, 21),
    PropType.STRING_LIST: ["C3985", "电子元件", ""],
}
AWKWARD: dict[PropType, Any] = {
    PropType.STRING: "",
    PropType.INT: 0,
    PropType.FLOAT: 3,  # an int given for a DOUBLE: both stores must hold 3.0
    PropType.BOOL: False,
    PropType.DATE: "2000-02-29",  # ISO text: both stores must hold a date
    PropType.STRING_LIST: [],
}


def parity_batch() -> GraphBatch:
    """Two nodes of every kind and two relationships of every (type, from, to).

    The first node and relationship set every property; the second sets odd
    values (empty, zero, false, int for float, ISO date text) or None, so
    every property type and null is exercised on both stores.
    """
    batch = GraphBatch()
    for kind in SCHEMA.nodes:
        full = {p.name: FULL[p.type] for p in kind.all_props}
        full["id"] = f"{kind.label}:一"
        full["loaded_at"] = "2024-05-06T07:08:09+00:00"
        awkward: dict[str, Any] = {}
        for i, p in enumerate(kind.all_props):
            awkward[p.name] = AWKWARD[p.type] if i % 2 else None
        awkward["id"] = f"{kind.label}:二"
        # Pinned, not left to the alternation, so adding a property elsewhere in the schema
        # does not move them: the assertions below read these.
        awkward["as_of"] = AWKWARD[PropType.DATE]
        if kind.label == "Organization":
            awkward.update(revenue=None, in_province=AWKWARD[PropType.BOOL])
        batch.add_nodes(kind.label, [full, awkward])
    for rel in SCHEMA.rels:
        for a, b in rel.endpoints:
            full = {p.name: FULL[p.type] for p in rel.all_props}
            awkward = {
                p.name: (AWKWARD[p.type] if i % 2 else None) for i, p in enumerate(rel.all_props)
            }
            batch.add_rels(
                rel.type,
                a,
                b,
                [
                    {"from_id": f"{a}:一", "to_id": f"{b}:二", **full},
                    {"from_id": f"{a}:二", "to_id": f"{b}:一", **awkward},
                ],
            )
    return batch


def test_parity_batch_covers_every_kind_and_type() -> None:
    batch = parity_batch()
    assert sorted(batch.nodes) == sorted(k.label for k in SCHEMA.nodes)
    pairs = {(r.type, r.from_label, r.to_label) for r in batch.rels}
    assert pairs == {(r.type, a, b) for r in SCHEMA.rels for a, b in r.endpoints}
    used = {p.type for k in SCHEMA.nodes for p in k.all_props} | {
        p.type for r in SCHEMA.rels for p in r.all_props
    }
    assert used == set(PropType)


def _load(store: GraphStore, batch: GraphBatch) -> None:
    with store.transaction() as tx:
        tx.write(batch)


@pytest.fixture
def both(tmp_path: Path) -> Any:
    """An empty embedded store and an empty Neo4j store."""
    embedded = make_test_store("embedded", tmp_path)
    try:
        neo4j = make_test_store("neo4j", tmp_path)
    except BaseException:
        embedded.close()
        raise
    try:
        yield embedded, neo4j
    finally:
        embedded.close()
        neo4j.close()


def test_same_batch_exports_the_same_graph(both: tuple[GraphStore, GraphStore]) -> None:
    embedded, neo4j = both
    batch = parity_batch()
    _load(embedded, batch)
    _load(neo4j, batch)
    exported = embedded.export()
    assert neo4j.export() == exported
    assert neo4j.counts() == embedded.counts()
    org = exported.nodes["Organization"]
    assert org[0]["revenue"] == 1234.5678
    assert org[1]["revenue"] is None
    assert org[1]["in_province"] is False
    assert org[1]["as_of"] == dt.date(2000, 2, 29)
    assert exported.nodes["Segment"][0]["industry_codes"] == ["C3985", "电子元件", ""]
    assert exported.nodes["Park"][1]["area_km2"] == 3.0
    assert sum(len(rows) for rows in exported.rels.values()) == 2 * len(batch.rels)


def test_same_answers_to_the_same_read(both: tuple[GraphStore, GraphStore]) -> None:
    embedded, neo4j = both
    batch = parity_batch()
    _load(embedded, batch)
    _load(neo4j, batch)
    query = (
        "MATCH (o:Organization)-[s:SUPPLIES]->(c:Organization) "
        "RETURN o.name AS supplier, c.id AS customer, s.value AS value, "
        "sum(CASE WHEN s.value > 100 THEN 1 ELSE 0 END) AS big, count(*) AS n, "
        "o.as_of AS as_of ORDER BY customer"
    )
    rows = embedded.read(query)
    assert neo4j.read(query) == rows
    assert rows == [
        {
            "supplier": "",
            "customer": "Organization:一",
            "value": 3.0,
            "big": 0,
            "n": 1,
            "as_of": dt.date(2000, 2, 29),
        },
        {
            "supplier": FULL[PropType.STRING],
            "customer": "Organization:二",
            "value": 1234.5678,
            "big": 1,
            "n": 1,
            "as_of": dt.date(2021, 10, 21),
        },
    ]
    node_query = "MATCH (c:Chain {id: $id}) RETURN c"
    assert neo4j.read(node_query, {"id": "Chain:二"}) == embedded.read(
        node_query, {"id": "Chain:二"}
    )


def test_the_roster_loads_the_same_on_both_stores(both: tuple[GraphStore, GraphStore]) -> None:
    roster_load = pytest.importorskip("chainkg.loaders.roster_load")
    embedded, neo4j = both
    roster_load.load_roster(embedded, now=FIXED_NOW)
    roster_load.load_roster(neo4j, now=FIXED_NOW)
    exported = embedded.export()
    assert neo4j.export() == exported
    assert len(exported.nodes["Chain"]) == 30
