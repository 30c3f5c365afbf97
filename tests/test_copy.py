"""Copying the whole graph between stores keeps every node, relationship and property."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import make_test_store
from test_parity import parity_batch

from chainkg.errors import StoreError
from chainkg.graph.copy import copy_graph
from chainkg.graph.embedded import EmbeddedStore
from chainkg.graph.store import GraphStore


def _loaded_embedded(path: Path) -> GraphStore:
    store = EmbeddedStore(path)
    store.open()
    with store.transaction() as tx:
        tx.write(parity_batch())
    return store


def test_embedded_to_neo4j_and_back_gives_the_same_export(tmp_path: Path) -> None:
    first = _loaded_embedded(tmp_path / "first")
    neo4j = None
    back = EmbeddedStore(tmp_path / "back")
    try:
        neo4j = make_test_store("neo4j", tmp_path)
        seen: list[tuple[str, int, int]] = []
        there = copy_graph(first, neo4j, batch_size=3, progress=lambda *a: seen.append(a))
        back.open()
        again = copy_graph(neo4j, back)
        original = first.export()
        assert neo4j.export() == original
        assert back.export() == original
        assert there.nodes == again.nodes == {k: 2 for k in first.counts().nodes}
        assert there.relationships == first.counts().relationships
        assert seen[-1][1:] == (there.rows, there.rows)
        assert [s[1] for s in seen] == sorted(s[1] for s in seen)
    finally:
        first.close()
        back.close()
        if neo4j is not None:
            neo4j.close()


def test_copy_refuses_a_target_that_is_not_empty_unless_replacing(tmp_path: Path) -> None:
    source = _loaded_embedded(tmp_path / "source")
    target = EmbeddedStore(tmp_path / "target")
    try:
        target.open()
        with target.transaction() as tx:
            tx.upsert_nodes("Chain", [{"id": "chain:old", "name": "旧"}])
        with pytest.raises(StoreError) as err:
            copy_graph(source, target)
        assert str(err.value) == (f"the target graph at {target.location} is not empty (Chain 1)")
        assert err.value.hint == "pass --replace to clear it first, or choose an empty target"
        report = copy_graph(source, target, replace=True)
        assert target.export() == source.export()
        assert report.rows == sum(source.counts().nodes.values()) + sum(
            source.counts().relationships.values()
        )
    finally:
        source.close()
        target.close()


def test_copy_between_embedded_stores_pages_through_many_nodes(tmp_path: Path) -> None:
    source = EmbeddedStore(tmp_path / "source")
    target = EmbeddedStore(tmp_path / "target")
    try:
        source.open()
        target.open()
        rows = [{"id": f"org:{i:04d}", "name": f"企业{i}", "revenue": i} for i in range(2_500)]
        source.bulk_upsert_nodes("Organization", rows)
        chain = [{"from_id": f"org:{i:04d}", "to_id": f"org:{i + 1:04d}"} for i in range(2_499)]
        source.bulk_upsert_rels("SUPPLIES", "Organization", "Organization", chain)
        report = copy_graph(source, target, batch_size=1_000)
        assert report.nodes["Organization"] == 2_500
        assert report.relationships["SUPPLIES"] == 2_499
        assert target.export() == source.export()
    finally:
        source.close()
        target.close()


def test_copy_keeps_empty_lists_whatever_the_batch_size(tmp_path: Path) -> None:
    source = _loaded_embedded(tmp_path / "source")
    target = EmbeddedStore(tmp_path / "target")
    try:
        target.open()
        copy_graph(source, target, batch_size=1)
        assert target.export() == source.export()
    finally:
        source.close()
        target.close()
