"""The read projection answers subgraph requests exactly as the store's Cypher does."""

from __future__ import annotations

import mmap
from pathlib import Path

import numpy as np
import pytest

from chainkg.errors import NotFoundError
from chainkg.graph import ids
from chainkg.graph.projection import ProjectionHolder, build_projection
from chainkg.graph.projection_file import load_projection, save_projection
from chainkg.graph.store import GraphStore
from chainkg.loaders.demo_load import load_demo
from chainkg.loaders.roster_load import load_roster
from chainkg.loaders.template_load import load_chain_templates
from chainkg.queries import subgraph as sg

SCALE = 600


def _requests(store: GraphStore) -> list[tuple[list[str], dict]]:
    """Seeds and options covering directions, depths, filters, the limit and several seeds."""
    orgs = [
        r["id"]
        for r in store.read(
            "MATCH (o:Organization)-[:SUPPLIES]->() RETURN DISTINCT o.id AS id ORDER BY id LIMIT 3"
        )
    ]
    chain = ids.chain_id(
        store.read("MATCH (c:Chain) RETURN c.name AS n ORDER BY n LIMIT 1")[0]["n"]
    )
    segment = store.read("MATCH (s:Segment) RETURN s.id AS id ORDER BY id LIMIT 1")[0]["id"]
    city = ids.city_id("郑州市")
    return [
        ([city], {"depth": 2}),
        ([city], {"depth": 2, "limit": 500, "direction": sg.Direction.up}),
        ([chain], {"depth": 2}),
        ([chain], {"depth": 2, "limit": 500}),
        ([chain], {"depth": 3, "limit": 37}),
        ([chain], {"depth": 2, "direction": sg.Direction.down, "labels": ["Chain", "Segment"]}),
        ([orgs[0]], {"depth": 1}),
        ([orgs[0]], {"depth": 2, "direction": sg.Direction.up}),
        ([orgs[0]], {"depth": 3, "direction": sg.Direction.down, "rel_types": ["SUPPLIES"]}),
        ([orgs[1], orgs[2], "org:没有"], {"depth": 2, "limit": 120}),
        ([segment], {"depth": 2, "rel_types": ["OPERATES_IN", "LOCATED_IN", "FEEDS"]}),
        ([segment], {"depth": 1, "limit": 1}),
    ]


@pytest.mark.slow
def test_projected_subgraphs_equal_the_store_answers(store: GraphStore) -> None:
    load_roster(store)
    load_chain_templates(store)
    load_demo(store, scale=SCALE)
    projection = build_projection(store)
    counts = store.counts()
    assert projection.nodes == sum(counts.nodes.values())
    assert projection.relationships == sum(counts.relationships.values())
    assert projection.generation == store.generation
    checked = 0
    for seeds, options in _requests(store):
        want = sg.extract(store, seeds, **options)
        got = sg.extract(store, seeds, projection=projection, **options)
        assert got.nodes == want.nodes, (seeds, options)
        assert got.edges == want.edges, (seeds, options)
        assert got.truncated == want.truncated, (seeds, options)
        assert sg.node_link(got) == sg.node_link(want)
        checked += len(want.nodes)
    assert checked > 600  # the requests reach into the demo graph, not only the seeds
    with pytest.raises(NotFoundError) as err:
        sg.extract(store, ["org:没有"], projection=projection)
    assert str(err.value) == "no node with id org:没有 in the graph"


def test_the_holder_rebuilds_after_a_write_and_only_where_it_sees_writes(
    store: GraphStore,
) -> None:
    org = ids.org_id("甲公司")
    with store.transaction() as tx:
        tx.upsert_nodes("Organization", [{"id": org, "name": "甲公司", "source": "t"}])
    holder = ProjectionHolder()
    first = holder.get(store)
    if not store.sees_all_writes:  # Neo4j: other processes may write; only with a TTL
        assert first is None
        holder = ProjectionHolder(ttl=60)
        first = holder.get(store)
    assert first is not None
    assert holder.get(store) is first
    assert first.node_props(first.index[org])["name"] == "甲公司"
    with store.transaction() as tx:
        tx.upsert_nodes("Organization", [{"id": org, "name": "甲公司（新）"}])
    if store.sees_all_writes:
        second = holder.get(store)
        assert second is not first
        assert second.node_props(second.index[org])["name"] == "甲公司（新）"
    else:
        assert holder.get(store) is first  # within the TTL
        holder.invalidate()
        assert holder.get(store).node_props(first.index[org])["name"] == "甲公司（新）"


def mapped(array: np.ndarray) -> bool:
    """Whether ``array`` reads a file mapping (graph/projection_file.py) rather than memory."""
    base = array
    while isinstance(base, np.ndarray):
        base = base.base
    return isinstance(getattr(base, "obj", base), mmap.mmap)


def test_a_saved_projection_maps_back_and_serves_until_the_graph_files_change(
    store: GraphStore, tmp_path: Path
) -> None:
    load_roster(store)
    load_chain_templates(store)
    load_demo(store, scale=SCALE)
    built = build_projection(store)
    folder = save_projection(built, tmp_path / "projection")
    loaded = load_projection(folder)
    assert mapped(loaded.out_edges)  # mapped, not read into this process
    assert (loaded.nodes, loaded.relationships) == (built.nodes, built.relationships)
    assert (loaded.versions, loaded.location, loaded.token) == (
        built.versions,
        built.location,
        store.disk_token(),
    )
    seeds, options = _requests(store)[6]
    want = sg.extract(store, seeds, **options)
    got = sg.extract(store, seeds, projection=loaded, **options)
    assert (got.nodes, got.edges, got.truncated) == (want.nodes, want.edges, want.truncated)
    if not store.sees_all_writes:  # Neo4j: no disk token; the holder goes by its TTL
        assert store.disk_token() is None
        return
    holder = ProjectionHolder(file=str(folder))
    first = holder.get(store)
    assert first is not None and mapped(first.out_edges)
    assert holder.get(store) is first
    org = ids.org_id("乙公司")
    with store.transaction() as tx:
        tx.upsert_nodes("Organization", [{"id": org, "name": "乙公司", "source": "t"}])
    second = holder.get(store)  # the files changed: built anew, not read from the folder
    assert second is not first and not mapped(second.out_edges)
    assert second.nodes == first.nodes + 1
    assert second.node_props(second.index[org])["name"] == "乙公司"
