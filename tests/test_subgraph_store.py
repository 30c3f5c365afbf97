"""The traversal primitives subgraphs are built from (node_labels, nodes_by_id, neighbours,
generation), on every store, and extraction through them."""

from __future__ import annotations

import pytest

from chainkg.errors import SchemaError
from chainkg.graph import ids
from chainkg.graph.store import GraphStore
from chainkg.queries import subgraph as sg

A, B, C = (ids.org_id(x) for x in ("甲公司", "乙公司", "丙公司"))
CITY = ids.city_id("郑州市")
SEG = ids.segment_id("电力装备产业链", "变压器")
NO_PROVENANCE = {
    "source_ref": None,
    "loaded_at": None,
    "as_of": None,
    "synthetic": None,
    "version": None,
}


def build(store: GraphStore) -> None:
    with store.transaction() as tx:
        tx.upsert_nodes(
            "Organization",
            [
                {"id": A, "name": "甲公司", "kind": "enterprise", "source": "t", "revenue": 10},
                {"id": B, "name": "乙公司", "kind": "enterprise", "source": "t"},
                {"id": C, "name": "丙公司", "kind": "enterprise", "source": "t"},
            ],
        )
        tx.upsert_nodes("City", [{"id": CITY, "name": "郑州市", "source": "t"}])
        tx.upsert_nodes(
            "Segment", [{"id": SEG, "name": "变压器", "chain": "电力装备产业链", "source": "t"}]
        )
        tx.upsert_rels(
            "SUPPLIES",
            "Organization",
            "Organization",
            [
                {"from_id": A, "to_id": B, "product": "硅钢", "value": 5.0, "source": "t"},
                {"from_id": A, "to_id": B, "product": "铜杆", "source": "t"},
                {"from_id": B, "to_id": C, "product": "变压器", "source": "t"},
            ],
        )
        tx.upsert_rels(
            "LOCATED_IN", "Organization", "City", [{"from_id": A, "to_id": CITY, "source": "t"}]
        )
        tx.upsert_rels(
            "OPERATES_IN",
            "Organization",
            "Segment",
            [{"from_id": A, "to_id": SEG, "inferred": True, "source": "t"}],
        )


def supplies(product: str, value: float | None = None) -> dict[str, object]:
    # SUPPLIES' own properties in schema order: product, value, segment (the product's
    # segment, issue 13), then provenance.
    return {"product": product, "value": value, "segment": None, "source": "t", **NO_PROVENANCE}


def test_node_labels_finds_any_label_or_only_the_given_ones(store: GraphStore) -> None:
    build(store)
    assert store.node_labels([SEG, A, "org:没有", A]) == {A: "Organization", SEG: "Segment"}
    assert store.node_labels([SEG, A], ["Organization"]) == {A: "Organization"}
    assert store.node_labels([]) == {}


def test_nodes_by_id_returns_every_schema_property(store: GraphStore) -> None:
    build(store)
    rows = store.nodes_by_id("City", [CITY, "city:没有"])
    assert rows == [{"id": CITY, "name": "郑州市", "code": None, "source": "t", **NO_PROVENANCE}]
    [org] = store.nodes_by_id("Organization", [A])
    assert (org["name"], org["revenue"], org["uscc"]) == ("甲公司", 10.0, None)
    assert store.nodes_by_id("Organization", []) == []


def test_typed_neighbours_both_ways(store: GraphStore) -> None:
    build(store)
    out = store.neighbours(
        "Organization", [A, B], outgoing=True, rel_type="SUPPLIES", other_label="Organization"
    )
    key = lambda r: (r["seed_id"], r["other_id"], r["rel"]["product"])  # noqa: E731
    assert sorted(out, key=key) == [
        {"seed_id": B, "type": "SUPPLIES", "other_id": C, "other_label": "Organization",
         "rel": supplies("变压器")},
        {"seed_id": A, "type": "SUPPLIES", "other_id": B, "other_label": "Organization",
         "rel": supplies("硅钢", 5.0)},
        {"seed_id": A, "type": "SUPPLIES", "other_id": B, "other_label": "Organization",
         "rel": supplies("铜杆")},
    ]  # fmt: skip
    incoming = store.neighbours(
        "Organization", [C], outgoing=False, rel_type="SUPPLIES", other_label="Organization"
    )
    assert incoming == [
        {"seed_id": C, "type": "SUPPLIES", "other_id": B, "other_label": "Organization",
         "rel": supplies("变压器")},
    ]  # fmt: skip
    into_city = store.neighbours(
        "City",
        [CITY, "city:没有"],
        outgoing=False,
        rel_type="LOCATED_IN",
        other_label="Organization",
    )
    assert [(r["seed_id"], r["other_id"]) for r in into_city] == [(CITY, A)]


def test_untyped_neighbours_bring_each_relationship_with_its_own_properties(
    store: GraphStore,
) -> None:
    build(store)
    rows = store.neighbours("Organization", [A], outgoing=True)
    got = sorted((r["type"], r["other_id"], r["other_label"], str(r["rel"])) for r in rows)
    provenance = {"source": "t", **NO_PROVENANCE}
    assert got == [
        ("LOCATED_IN", CITY, "City", str(provenance)),
        ("OPERATES_IN", SEG, "Segment", str({"inferred": True, **provenance})),
        ("SUPPLIES", B, "Organization", str(supplies("硅钢", 5.0))),
        ("SUPPLIES", B, "Organization", str(supplies("铜杆"))),
    ]
    into_city = store.neighbours("City", [CITY], outgoing=False)
    assert [(r["type"], r["other_id"]) for r in into_city] == [("LOCATED_IN", A)]
    # Nothing leaves a City in the schema: no query at all.
    assert store.neighbours("City", [CITY], outgoing=True) == []


def test_neighbours_rejects_a_pair_the_schema_does_not_have(store: GraphStore) -> None:
    with pytest.raises(SchemaError, match="SUPPLIES cannot join City->Organization"):
        store.neighbours(
            "City", [CITY], outgoing=True, rel_type="SUPPLIES", other_label="Organization"
        )


def test_generation_changes_on_commit_only(store: GraphStore) -> None:
    before = store.generation
    store.read("MATCH (n:City) RETURN count(n) AS n")
    assert store.generation == before
    build(store)
    assert store.generation == before + 1
    assert store.sees_all_writes is (store.dialect == "ladybug")


def test_extract_finds_a_seed_of_another_label_than_the_hint(store: GraphStore) -> None:
    build(store)
    sub = sg.extract(store, [SEG], direction=sg.Direction.up, seed_label="Organization")
    assert list(sub.nodes) == [SEG, A]
    assert sub.nodes[A].properties == {
        "name": "甲公司",
        "kind": "enterprise",
        "revenue": 10.0,
        "source": "t",
    }
    assert [(e.source, e.target, e.type, e.properties) for e in sub.edges] == [
        (A, SEG, "OPERATES_IN", {"inferred": True, "source": "t"})
    ]
    with pytest.raises(sg.NotFoundError, match="no node with id org:没有"):
        sg.extract(store, ["org:没有"], seed_label="Organization")


def test_extract_orders_parallel_supplies_by_product(store: GraphStore) -> None:
    build(store)
    sub = sg.extract(store, [A], direction=sg.Direction.down, rel_types=["SUPPLIES"], depth=2)
    assert list(sub.nodes) == [A, B, C]
    assert [e.key for e in sub.edges] == [
        (A, B, "SUPPLIES", "硅钢"),
        (A, B, "SUPPLIES", "铜杆"),
        (B, C, "SUPPLIES", "变压器"),
    ]
