"""Copy a whole graph from one store to another (e.g. embedded -> Neo4j and back).

Nodes go first, kind by kind, then relationships, every property included
(provenance too: ``loaded_at`` keeps the source's first-load time). Rows are
read in pages ordered by id (keyset paging, so no page re-reads the ones
before it) and written in successive transactions; at the end the counts of
both stores must agree.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from chainkg.errors import StoreError
from chainkg.graph.bulk import choose_full_import
from chainkg.graph.schema import NodeKind, RelKind
from chainkg.graph.statements import node_page, rel_page
from chainkg.graph.store import GraphStore, Row

# progress(kind, rows copied so far, rows to copy in all)
Progress = Callable[[str, int, int], None]


@dataclass
class CopyReport:
    """What a copy moved: rows per node label and relationship type, and how long it took."""

    nodes: dict[str, int] = field(default_factory=dict)
    relationships: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    method: str = "batched writes"

    @property
    def rows(self) -> int:
        """Nodes plus relationships copied."""
        return sum(self.nodes.values()) + sum(self.relationships.values())


def start_ids(store: GraphStore, label: str, batch_size: int) -> Iterator[tuple[str, str]]:
    """Successive (after, last) id ranges of ``label``, each holding up to ``batch_size`` nodes."""
    after = ""
    while True:
        rows = store.read(
            f"MATCH (n:{label}) WHERE n.id > $after RETURN n.id AS id ORDER BY id LIMIT $limit",
            {"after": after, "limit": batch_size},
        )
        if not rows:
            return
        last = rows[-1]["id"]
        yield after, last
        after = last


def _node_pages(store: GraphStore, kind: NodeKind, batch_size: int) -> Iterator[list[Row]]:
    after = ""
    while True:
        rows = store.read(node_page(kind), {"after": after, "limit": batch_size})
        if not rows:
            return
        yield rows
        after = rows[-1]["id"]


def _without_null_keys(row: Row, rel: RelKind) -> Row:
    # A row that gives a key property as None is stored with key "" (Neo4j cannot
    # MERGE on null); leaving it out keeps the source's null.
    return {k: v for k, v in row.items() if not (k in rel.key and v is None)}


def copy_graph(
    source: GraphStore,
    target: GraphStore,
    *,
    batch_size: int = 10_000,
    replace: bool = False,
    progress: Progress | None = None,
) -> CopyReport:
    """Copy every node and relationship of ``source`` into ``target`` (both open).

    ``target`` must be empty unless ``replace`` is set, which clears it first. A large
    copy into a store with an offline import (the local Neo4j dev server) goes through
    it (``choose_full_import``); ``CopyReport.method`` says which way it went and why.
    Raises StoreError when the target is not empty, or when the counts of the
    two stores differ after the copy (naming the kinds that differ).
    """
    started = time.perf_counter()
    wanted = source.counts()
    total = sum(wanted.nodes.values()) + sum(wanted.relationships.values())
    use_import, method = choose_full_import(target, total)
    if replace:
        if not use_import:  # the import replaces the database whole
            target.clear()
    else:
        held = target.counts()
        if sum(held.nodes.values()) or sum(held.relationships.values()):
            kinds = ", ".join(f"{k} {n}" for k, n in held.nodes.items() if n)
            raise StoreError(
                f"the target graph at {target.location} is not empty ({kinds})",
                hint="pass --replace to clear it first, or choose an empty target",
            )
    if use_import:
        counts = target.full_import(
            _all_nodes(source, wanted.nodes, batch_size),
            _all_rels(source, wanted.relationships, batch_size),
            total=total,
            progress=progress,
        )
        report = CopyReport(dict(counts.nodes), dict(counts.relationships), method=method)
        _verify(source, target, wanted.to_dict())
        report.seconds = time.perf_counter() - started
        return report
    done = 0
    report = CopyReport(method=method)

    def advance(kind: str, n: int) -> None:
        nonlocal done
        done += n
        if progress is not None:
            progress(kind, done, total)

    for kind in source.schema.nodes:
        copied = 0
        if not wanted.nodes.get(kind.label):
            report.nodes[kind.label] = 0
            continue
        for rows in _node_pages(source, kind, batch_size):
            copied += target.bulk_upsert_nodes(kind.label, rows, batch_size=batch_size)
            advance(kind.label, len(rows))
        report.nodes[kind.label] = copied
    ranges: dict[str, list[tuple[str, str]]] = {}
    for rel in source.schema.rels:
        copied = 0
        endpoints = rel.endpoints if wanted.relationships.get(rel.type) else ()
        for a, b in endpoints:
            if a not in ranges:
                ranges[a] = list(start_ids(source, a, batch_size))
            for after, last in ranges[a]:
                rows = source.read(rel_page(rel, a, b), {"after": after, "last": last})
                rows = [_without_null_keys(row, rel) for row in rows]
                if rows:
                    copied += target.bulk_upsert_rels(rel.type, a, b, rows, batch_size=batch_size)
                    advance(rel.type, len(rows))
        report.relationships[rel.type] = copied
    _verify(source, target, wanted.to_dict())
    report.seconds = time.perf_counter() - started
    return report


def _all_nodes(
    source: GraphStore, wanted: dict[str, int], batch_size: int
) -> Iterator[tuple[str, Iterator[Row]]]:
    """(label, rows) of every node kind the source holds, read in pages."""
    for kind in source.schema.nodes:
        if wanted.get(kind.label):
            pages = _node_pages(source, kind, batch_size)
            yield kind.label, (row for rows in pages for row in rows)


def _all_rels(
    source: GraphStore, wanted: dict[str, int], batch_size: int
) -> Iterator[tuple[str, str, str, Iterator[Row]]]:
    """(type, from label, to label, rows) of every relationship kind the source holds."""
    for rel in source.schema.rels:
        if not wanted.get(rel.type):
            continue
        for a, b in rel.endpoints:
            yield rel.type, a, b, _rel_rows(source, rel, a, b, batch_size)


def _rel_rows(source: GraphStore, rel: RelKind, a: str, b: str, batch_size: int) -> Iterator[Row]:
    for after, last in start_ids(source, a, batch_size):
        yield from source.read(rel_page(rel, a, b), {"after": after, "last": last})


def _verify(source: GraphStore, target: GraphStore, wanted: dict[str, dict[str, int]]) -> None:
    got = target.counts().to_dict()
    differ = [
        f"{name} {wanted[part][name]} -> {got[part].get(name, 0)}"
        for part in ("nodes", "relationships")
        for name in wanted[part]
        if wanted[part][name] != got[part].get(name, 0)
    ]
    if differ:
        raise StoreError(
            f"the copy from {source.location} to {target.location} is incomplete: "
            + ", ".join(differ),
            hint="the source changed during the copy, or the target held other data; "
            "copy again with --replace",
        )
