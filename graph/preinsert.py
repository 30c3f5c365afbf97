"""Copying in the organisations a list load creates, before its transaction (issue 12, speed).

On the embedded store ``COPY`` writes ~100x faster than ``UNWIND ... MERGE``, but rolling back
a transaction that ran a ``COPY`` crashes LadybugDB 0.22 (bench/ladybug_copy_rollback.py). So
the organisations a load creates are copied in with all their facts *before* the load's
transaction, in their own committed statements (``EmbeddedStore.bulk_insert``); the
transaction leaves them as they are (``write_versions(preinserted=...)``); if it fails, they
are deleted again (``undo``, a compensating delete), so the load stays all or nothing.

An organisation qualifies when it is not in the graph, exactly one version of this load
names it (so its one claim gives every value, as ``Materialiser`` would compute them) and
every segment, city and park it points to is in the graph already. The rows written are
the ones ``Materialiser.apply`` writes for such an entity; tests/test_list_insert.py
compares the two graphs whole.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from chainkg.graph.cypher import Cypher
from chainkg.graph.schema import CLAIM_PROPS, SCHEMA
from chainkg.graph.versions import VersionContent, in_force, list_versions

Row = dict[str, Any]
ORG = "Organization"
MIN_ROWS = 2_000
"""From this many new organisations on: below it, the COPY's fixed cost is not worth it."""
_LINKS = {"LOCATED_IN": "City", "IN_PARK": "Park"}
_FIELDS = [p.name for p in SCHEMA.node(ORG).props if p not in CLAIM_PROPS]
_RESOLVED = Cypher("preinsert_resolved", "MATCH (r:ClaimResolution) RETURN r.entity AS entity")


def _existing(label: str) -> Cypher:
    return Cypher(
        f"preinsert_existing_{label}",
        f"UNWIND $ids AS i MATCH (n:{label} {{id: i}}) RETURN n.id AS id",
    )


@dataclass
class Preinsert:
    """The rows to copy in before the transaction: nodes, OPERATES_IN, LOCATED_IN, IN_PARK."""

    nodes: list[Row] = field(default_factory=list)
    rels: dict[tuple[str, str], list[Row]] = field(default_factory=dict)
    # cities and parks the load's rows name that are not in the graph: made first
    stubs: dict[str, list[Row]] = field(default_factory=dict)

    @property
    def ids(self) -> frozenset[str]:
        """The organisations written."""
        return frozenset(r["id"] for r in self.nodes)

    def write(self, store: Any) -> None:
        """Copy the rows in (nodes first); on a failure, delete what was copied."""
        try:
            with store.transaction() as tx:
                for label, rows in self.stubs.items():
                    tx.upsert_nodes(label, rows)
            store.bulk_insert(ORG, self.nodes)
            for (rel_type, target), rows in self.rels.items():
                if rows:
                    store.bulk_insert(rel_type, rows, from_label=ORG, to_label=target)
        except BaseException:
            self.undo(store)
            raise

    def undo(self, store: Any, batch: int = 20_000) -> None:
        """Delete the copied organisations with their relationships (the compensating delete)."""
        ids = sorted(self.ids)
        for start in range(0, len(ids), batch):
            with store.transaction() as tx:
                tx.delete_nodes(ORG, ids[start : start + batch])
        with store.transaction() as tx:
            for label, rows in self.stubs.items():
                tx.delete_nodes(label, [r["id"] for r in rows])


def plan(
    store: Any,
    contents: Iterable[VersionContent],
    now: str,
    stubs: dict[str, list[Row]] | None = None,
    *,
    min_rows: int | None = None,
) -> Preinsert | None:
    """What to copy in before writing ``contents`` (None: not worth it, or not this store);
    ``stubs``: the cities and parks the load makes (list_load), made first when needed."""
    if not hasattr(store, "bulk_insert"):
        return None
    contents = list(contents)
    versions = list_versions(store.read)
    current = in_force(versions)
    known = {v.id: v for v in versions}
    named = Counter(eid for c in contents for eid in c.entries)
    chosen: list[tuple[VersionContent, str, Row, str]] = []
    for content in contents:
        cur = current.get(content.key)
        if cur is not None and content.as_of < cur.as_of:
            continue  # an older version: the graph does not change
        if content.id in known:
            continue  # a reload or a correction: the MERGE path compares with what is there
        for eid, entry in content.entries.items():
            if entry["label"] == ORG and named[eid] == 1:
                chosen.append((content, eid, entry, now))
    if len(chosen) < (MIN_ROWS if min_rows is None else min_rows) or not chosen:
        return None
    ids = [eid for _, eid, _, _ in chosen]
    present = {r["id"] for r in store.read(_existing(ORG), {"ids": ids})}
    present |= {r["entity"] for r in store.read(_RESOLVED)}
    targets: dict[str, set[str]] = {"Segment": set(), "City": set(), "Park": set()}
    for _, _, entry, _ in chosen:
        targets["Segment"].update(entry.get("segments") or ())
        for link, label in _LINKS.items():
            value = (entry.get("links") or {}).get(link)
            if value is not None:
                targets[label].add(value)
    there = {
        label: {r["id"] for r in store.read(_existing(label), {"ids": sorted(wanted)})}
        for label, wanted in targets.items()
        if wanted
    }
    out = Preinsert(rels={("OPERATES_IN", "Segment"): [], **{k: [] for k in _LINKS.items()}})
    for label, rows in (stubs or {}).items():
        have = {r["id"] for r in store.read(_existing(label), {"ids": [r["id"] for r in rows]})}
        made = {r["id"]: r for r in rows if r["id"] not in have}
        if made:
            out.stubs[label] = list(made.values())
            there.setdefault(label, set()).update(made)
    for content, eid, entry, loaded_at in chosen:
        links = {k: v for k, v in (entry.get("links") or {}).items() if k in _LINKS}
        segs = list(entry.get("segments") or ())
        if eid in present or any(s not in there.get("Segment", ()) for s in segs):
            continue
        if any(v is not None and v not in there.get(_LINKS[k], ()) for k, v in links.items()):
            continue
        prov = {
            "source": entry.get("source"),
            "source_ref": entry.get("ref"),
            "as_of": content.as_of,
            "loaded_at": loaded_at,
            "synthetic": content.synthetic,
            "version": content.id,
        }
        values = entry.get("values") or {}
        node = {"id": eid, **{f: values[f] for f in _FIELDS if f in values}}
        node.update(claimed_by=[content.id], conflicts=[], **prov)
        node["loaded_at"] = now
        out.nodes.append(node)
        inferred = bool(entry.get("inferred"))
        for seg in segs:
            out.rels[("OPERATES_IN", "Segment")].append(
                {"from_id": eid, "to_id": seg, "inferred": inferred, **prov}
            )
        for link, target in links.items():
            if target is not None:
                out.rels[(link, _LINKS[link])].append(
                    {"from_id": eid, "to_id": target, **prov, "loaded_at": now}
                )
    return out if out.nodes else None
