"""The GraphStore contract, on every store."""

from __future__ import annotations

import datetime as dt

import pytest

from chainkg.errors import SchemaError
from chainkg.graph.batch import GraphBatch
from chainkg.graph.store import GraphStore


def _seed(store: GraphStore) -> None:
    with store.transaction() as tx:
        tx.upsert_nodes(
            "Organization",
            [
                {
                    "id": "org:甲",
                    "name": "甲",
                    "revenue": 100,
                    "in_province": True,
                    "loaded_at": "t1",
                },
                {"id": "org:乙", "name": "乙", "revenue": None, "in_province": False},
            ],
        )
        tx.upsert_nodes("Chain", [{"id": "chain:x", "name": "x", "as_of": "2021-10-21"}])
        tx.upsert_rels(
            "SUPPLIES",
            "Organization",
            "Organization",
            [{"from_id": "org:甲", "to_id": "org:乙", "product": "电芯", "value": 3}],
        )


def test_upsert_round_trip_with_schema_types(store: GraphStore) -> None:
    _seed(store)
    rows = store.read(
        "MATCH (o:Organization) RETURN o.id AS id, o.name AS name, o.revenue AS revenue, "
        "o.in_province AS inp ORDER BY id"
    )
    assert rows == [
        {"id": "org:乙", "name": "乙", "revenue": None, "inp": False},
        {"id": "org:甲", "name": "甲", "revenue": 100.0, "inp": True},
    ]
    assert store.read("MATCH (c:Chain) RETURN c.as_of AS d") == [{"d": dt.date(2021, 10, 21)}]


def test_second_upsert_keeps_first_load_time_and_changes_nothing_else(store: GraphStore) -> None:
    _seed(store)
    before = store.export()
    _seed(store)
    assert store.export() == before
    with store.transaction() as tx:
        tx.upsert_nodes("Organization", [{"id": "org:甲", "name": "甲", "loaded_at": "t2"}])
    assert store.read(
        "MATCH (o:Organization {id: $id}) RETURN o.loaded_at AS t", {"id": "org:甲"}
    ) == [{"t": "t1"}]


def test_failed_transaction_leaves_graph_unchanged(store: GraphStore) -> None:
    _seed(store)
    before = store.export()
    with pytest.raises(SchemaError) as err, store.transaction() as tx:
        tx.upsert_nodes("Organization", [{"id": "org:丙", "name": "丙"}])
        tx.upsert_rels(
            "SUPPLIES", "Organization", "Organization", [{"from_id": "org:丙", "to_id": "org:无"}]
        )
    assert str(err.value) == (
        "SUPPLIES: 1 endpoint(s) are not in the graph: Organization 'org:无'; "
        "load those nodes first (or fix the names that point to them)"
    )
    assert store.export() == before


def test_counts_cover_every_kind(store: GraphStore) -> None:
    _seed(store)
    counts = store.counts().to_dict()
    assert counts["nodes"]["Organization"] == 2
    assert counts["nodes"]["Chain"] == 1
    assert counts["relationships"]["SUPPLIES"] == 1
    assert sum(counts["nodes"].values()) == 3
    assert sum(counts["relationships"].values()) == 1


def test_unknown_property_and_bad_type_are_schema_errors(store: GraphStore) -> None:
    with pytest.raises(SchemaError) as err, store.transaction() as tx:
        tx.upsert_nodes("Organization", [{"id": "org:x", "colour": "red"}])
    assert str(err.value).startswith("Organization has no property 'colour'; known: ")
    with pytest.raises(SchemaError) as err, store.transaction() as tx:
        tx.upsert_nodes("Organization", [{"id": "org:x", "revenue": "many"}])
    assert str(err.value) == (
        "Organization.revenue: 'many' is not a valid DOUBLE; "
        "fix the row shaping so the value has the schema's type"
    )


def test_batch_replacing_a_source_drops_what_it_no_longer_has(store: GraphStore) -> None:
    def batch(chains: list[str]) -> GraphBatch:
        b = GraphBatch(replaces="doc")
        b.add_nodes("Cluster", [{"id": "cluster:c", "name": "c", "source": "doc"}])
        b.add_nodes("Chain", [{"id": f"chain:{n}", "name": n, "source": "doc"} for n in chains])
        b.add_rels(
            "HAS_CHAIN",
            "Cluster",
            "Chain",
            [{"from_id": "cluster:c", "to_id": f"chain:{n}", "source": "doc"} for n in chains],
        )
        return b

    with store.transaction() as tx:
        tx.write(batch(["a", "b"]))
    with store.transaction() as tx:
        tx.write(batch(["a"]))
    assert store.read("MATCH (c:Chain) RETURN c.id AS id") == [{"id": "chain:a"}]
    assert store.counts().relationships["HAS_CHAIN"] == 1


def test_clear_empties_the_graph(store: GraphStore) -> None:
    _seed(store)
    store.clear()
    assert sum(store.counts().nodes.values()) == 0
