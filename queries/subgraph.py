"""Subgraphs for other systems: breadth-first extraction and the exchange formats.

Extraction walks breadth-first, one hop at a time, rather than matching a
variable-length path, so the node limit is enforced while walking, not after.
Each hop asks the store for the neighbours of the frontier grouped by label
(``GraphStore.neighbours``: typed, schema-generated statements returning ids and
relationship properties only); the found nodes' properties come at the end, one
query per label (``GraphStore.nodes_by_id``). Direction follows the supply flow: ``down``
follows relationships forwards (supplier -> customer, upstream segment ->
downstream segment, chain -> segment), ``up`` backwards, ``both`` either way.

Formats (all from one ``networkx.MultiDiGraph``): node-link JSON (``edges`` key,
as networkx 3.6 writes it; ``links`` accepted on input), Cytoscape.js JSON,
GraphML and GEXF.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import networkx as nx
import numpy as np

from chainkg.errors import NotFoundError, SchemaError
from chainkg.graph.projection import Projection
from chainkg.graph.schema import SCHEMA, Schema
from chainkg.graph.store import GraphStore, Row

MAX_DEPTH = 3
DEFAULT_LIMIT = 200
MAX_LIMIT = 500


class Direction(StrEnum):
    """Which way a subgraph grows from its seeds."""

    up = "up"
    down = "down"
    both = "both"


class Format(StrEnum):
    """Exchange formats of a subgraph."""

    node_link = "node-link"
    cytoscape = "cytoscape"
    graphml = "graphml"
    gexf = "gexf"


MEDIA_TYPES = {
    Format.node_link: "application/json",
    Format.cytoscape: "application/json",
    Format.graphml: "application/graphml+xml",
    Format.gexf: "application/gexf+xml",
}


@dataclass(frozen=True)
class SubgraphNode:
    """A node: its id, label and (non-null) properties other than ``id``."""

    id: str
    label: str
    properties: dict[str, Any]


@dataclass(frozen=True)
class SubgraphEdge:
    """A relationship between two nodes of the subgraph."""

    source: str
    target: str
    type: str
    properties: dict[str, Any]

    @property
    def key(self) -> tuple[str, str, str, str]:
        """What tells two relationships apart (SUPPLIES may join a pair once per product)."""
        return (self.source, self.target, self.type, str(self.properties.get("product") or ""))


@dataclass
class Subgraph:
    """Nodes (in discovery order), edges, and whether the node limit cut the walk short."""

    nodes: dict[str, SubgraphNode] = field(default_factory=dict)
    edges: list[SubgraphEdge] = field(default_factory=list)
    truncated: bool = False


def check_filters(
    labels: Sequence[str] | None, rel_types: Sequence[str] | None, schema: Schema = SCHEMA
) -> tuple[list[str], list[str]]:
    """The label and relationship-type filters, all kinds when not given; SchemaError if unknown."""
    known_labels = [n.label for n in schema.nodes]
    known_types = [r.type for r in schema.rels]
    bad_labels = [x for x in labels or () if x not in known_labels]
    if bad_labels:
        raise SchemaError(
            f"unknown node label(s) {', '.join(bad_labels)}; known: {', '.join(known_labels)}"
        )
    bad_types = [x for x in rel_types or () if x not in known_types]
    if bad_types:
        raise SchemaError(
            f"unknown relationship type(s) {', '.join(bad_types)}; known: {', '.join(known_types)}"
        )
    return list(labels or known_labels), list(rel_types or known_types)


def _plain_props(props: Mapping[str, Any]) -> dict[str, Any]:
    # Dates become ISO strings so every format can carry them; nulls are left out
    # (the embedded store returns the columns of every label for an unlabelled match).
    out: dict[str, Any] = {}
    for k, v in props.items():
        if v is None or k == "id":
            continue
        out[k] = v.isoformat() if isinstance(v, dt.date) else v
    return out


def extract(
    store: GraphStore,
    seeds: Sequence[str],
    *,
    direction: Direction = Direction.both,
    depth: int = 1,
    labels: Sequence[str] | None = None,
    rel_types: Sequence[str] | None = None,
    limit: int = DEFAULT_LIMIT,
    seed_label: str | None = None,
    projection: Projection | None = None,
) -> Subgraph:
    """The nodes within ``depth`` hops of ``seeds`` (at most ``limit`` nodes, seeds included).

    ``seed_label``: the label the seeds most likely have, looked up first (a seed of
    another label is still found, a little slower). ``projection``: a current read
    projection of ``store`` (``graph.projection``) to walk instead of querying the
    store; the answer is the same (tests/test_projection.py). NotFoundError if no seed
    is in the graph; SchemaError for unknown filters or a depth or limit out of range.
    """
    if not 1 <= depth <= MAX_DEPTH:
        raise SchemaError(f"depth {depth} is out of range; use 1 to {MAX_DEPTH}")
    if not 1 <= limit <= MAX_LIMIT:
        raise SchemaError(f"node limit {limit} is out of range; use 1 to {MAX_LIMIT}")
    wanted_labels, wanted_types = check_filters(labels, rel_types)
    if projection is not None:
        return _extract_projected(
            projection, seeds, direction, depth, wanted_labels, wanted_types, limit
        )
    found = store.node_labels(seeds, [seed_label]) if seed_label else {}
    if len(found) < len(set(seeds)):
        found |= store.node_labels(s for s in seeds if s not in found)
    if not found:
        raise _not_found(seeds)
    label_of = {node_id: found[node_id] for node_id in sorted(found)}
    walk = _Walk(store, frozenset(wanted_labels), frozenset(wanted_types), limit, label_of)
    frontier = list(label_of)
    directions = [
        d
        for d in (True, False)
        if direction is Direction.both or (d == (direction is Direction.down))
    ]
    for _ in range(depth):
        next_frontier: list[str] = []
        for outgoing in directions:
            for group in _frontier_groups(frontier, label_of):
                next_frontier += walk.hop(group, outgoing)
        frontier = next_frontier
        if not frontier:
            break
    return Subgraph(_fetch_nodes(store, label_of), walk.edges, walk.truncated)


def _not_found(seeds: Sequence[str]) -> NotFoundError:
    return NotFoundError(
        f"no node with id {', '.join(seeds)} in the graph",
        hint="take ids from /search, /orgs or an earlier subgraph",
    )


def _extract_projected(
    p: Projection,
    seeds: Sequence[str],
    direction: Direction,
    depth: int,
    labels: Sequence[str],
    types: Sequence[str],
    limit: int,
) -> Subgraph:
    """``extract`` over a projection: the same walk (frontier groups, directions, row order,
    node limit, edge keys) with each hop one gather and one sort over numpy arrays."""
    found = sorted({s for s in seeds if s in p.index})
    if not found:
        raise _not_found(seeds)
    label_ok = np.isin(np.array(p.labels), list(labels))
    type_ok = np.isin(np.array(p.types), list(types))
    type_rank = np.empty(len(p.types), dtype=np.int32)
    type_rank[sorted(range(len(p.types)), key=p.types.__getitem__)] = np.arange(len(p.types))
    known: dict[int, None] = dict.fromkeys(p.index[s] for s in found)
    edges: list[tuple[int, int, int]] = []
    seen: set[tuple[int, int, int, int]] = set()
    truncated = False

    def hop(group: list[int], outgoing: bool) -> list[int]:
        nonlocal truncated
        e, seed = p.gather(np.asarray(group, dtype=np.int64), outgoing)
        if not len(e):
            return []
        other = p.dst[e] if outgoing else p.src[e]
        t = p.type[e]
        keep = type_ok[t] & label_ok[p.label[other]]
        e, seed, other, t = e[keep], seed[keep], other[keep], t[keep]
        order = np.lexsort((p.product[e], p.rank[other], type_rank[t], p.rank[seed]))
        new: list[int] = []
        rows = zip(
            e[order].tolist(),
            seed[order].tolist(),
            other[order].tolist(),
            t[order].tolist(),
            p.product[e[order]].tolist(),
            strict=True,
        )
        for edge, s, o, rel_type, product in rows:
            if o not in known:
                if len(known) >= limit:
                    truncated = True
                    continue
                known[o] = None
                new.append(o)
            a, b = (s, o) if outgoing else (o, s)
            key = (a, b, rel_type, product)
            if key not in seen:
                seen.add(key)
                edges.append((a, b, edge))
        return new

    group_of = {p.labels.index(label): rank for label, rank in _GROUP_ORDER.items()}
    directions = [
        d
        for d in (True, False)
        if direction is Direction.both or (d == (direction is Direction.down))
    ]
    frontier = list(known)
    for _ in range(depth):
        next_frontier: list[int] = []
        for outgoing in directions:
            groups: dict[int, list[int]] = {}
            for node in frontier:
                groups.setdefault(group_of.get(int(p.label[node]), 0), []).append(node)
            for key in sorted(groups):
                next_frontier += hop(groups[key], outgoing)
        frontier = next_frontier
        if not frontier:
            break
    nodes = {p.ids[n]: SubgraphNode(p.ids[n], p.labels[p.label[n]], p.node_plain(n)) for n in known}
    out = [
        SubgraphEdge(p.ids[a], p.ids[b], p.types[p.type[e]], p.rel_plain(e)) for a, b, e in edges
    ]
    return Subgraph(nodes, out, truncated)


@dataclass
class _Walk:
    """The state of one breadth-first walk: nodes found (id -> label, in order), edges."""

    store: GraphStore
    labels: frozenset[str]
    types: frozenset[str]
    limit: int
    label_of: dict[str, str]
    edges: list[SubgraphEdge] = field(default_factory=list)
    truncated: bool = False
    seen_edges: set[tuple[str, str, str, str]] = field(default_factory=set)

    def hop(self, group: Sequence[str], outgoing: bool) -> list[str]:
        """Follow one direction from a frontier group; returns the newly found node ids."""
        rows = self._rows(group, outgoing)
        # The order decides which nodes make it under the limit: by seed, type, neighbour,
        # then product (SUPPLIES may join a pair once per product).
        rows.sort(key=lambda r: (r["seed_id"], r["type"], r["other_id"], _product(r["rel"])))
        new: list[str] = []
        for row in rows:
            other = row["other_id"]
            if other not in self.label_of:
                if len(self.label_of) >= self.limit:
                    self.truncated = True
                    continue
                self.label_of[other] = row["other_label"]
                new.append(other)
            a, b = (row["seed_id"], other) if outgoing else (other, row["seed_id"])
            edge = SubgraphEdge(a, b, row["type"], _plain_props(row["rel"]))
            if edge.key not in self.seen_edges:
                self.seen_edges.add(edge.key)
                self.edges.append(edge)
        return new

    def _rows(self, group: Sequence[str], outgoing: bool) -> list[Row]:
        by_label: dict[str, list[str]] = {}
        for node_id in group:
            by_label.setdefault(self.label_of[node_id], []).append(node_id)
        rows: list[Row] = []
        for label, ids in by_label.items():
            pairs = _typed_hops(label, outgoing, self.types, self.labels)
            if len(pairs) <= MAX_TYPED_HOPS:
                for rel_type, other_label in pairs:
                    rows += self.store.neighbours(
                        label, ids, outgoing=outgoing, rel_type=rel_type, other_label=other_label
                    )
            else:
                rows += [
                    r
                    for r in self.store.neighbours(label, ids, outgoing=outgoing)
                    if r["type"] in self.types and r["other_label"] in self.labels
                ]
        return rows


# A frontier label with at most this many (relationship type, neighbour label) pairs left by
# the filters is walked with one typed query per pair (one relationship table each); with
# more, one query over all its relationships, filtered here, costs less.
MAX_TYPED_HOPS = 3


@functools.cache
def _typed_hops(
    label: str, outgoing: bool, types: frozenset[str], labels: frozenset[str]
) -> list[tuple[str, str]]:
    """(relationship type, neighbour label) pairs the filters allow from ``label`` one way."""
    pairs: list[tuple[str, str]] = []
    for rel in SCHEMA.rels:
        if rel.type not in types:
            continue
        for a, b in rel.endpoints:
            mine, other = (a, b) if outgoing else (b, a)
            if mine == label and other in labels and (rel.type, other) not in pairs:
                pairs.append((rel.type, other))
    return pairs


def _product(rel: Mapping[str, Any]) -> str:
    return str(rel.get("product") or "")


# Frontier nodes are walked in groups, in this order: nodes of other labels first, then
# organisations, then segments (the order the per-label hop queries ran in before; kept so
# that truncated subgraphs stay the same).
_GROUP_ORDER = {"Organization": 1, "Segment": 2}


def _frontier_groups(frontier: Sequence[str], label_of: Mapping[str, str]) -> list[list[str]]:
    """The frontier split into the groups walked one after the other."""
    groups: dict[int, list[str]] = {}
    for node_id in frontier:
        groups.setdefault(_GROUP_ORDER.get(label_of[node_id], 0), []).append(node_id)
    return [groups[k] for k in sorted(groups)]


def _fetch_nodes(store: GraphStore, label_of: Mapping[str, str]) -> dict[str, SubgraphNode]:
    """The found nodes with their properties (one query per label), in discovery order."""
    by_label: dict[str, list[str]] = {}
    for node_id, label in label_of.items():
        by_label.setdefault(label, []).append(node_id)
    props: dict[str, dict[str, Any]] = {}
    for label, ids in by_label.items():
        for row in store.nodes_by_id(label, ids):
            props[row["id"]] = _plain_props(row)
    return {
        node_id: SubgraphNode(node_id, label, props.get(node_id, {}))
        for node_id, label in label_of.items()
    }


def only_new(sub: Subgraph, known_ids: Iterable[str]) -> Subgraph:
    """The part of ``sub`` a client holding ``known_ids`` lacks: new nodes, edges touching them."""
    known = set(known_ids)
    nodes = {k: v for k, v in sub.nodes.items() if k not in known}
    edges = [e for e in sub.edges if e.source in nodes or e.target in nodes]
    return Subgraph(nodes, edges, sub.truncated)


# -- formats ------------------------------------------------------------------------------


def _edge_attrs(e: SubgraphEdge) -> dict[str, Any]:
    # "source"/"target" name the endpoints in node-link and Cytoscape data, so the
    # provenance property "source" travels as "data_source".
    props = {("data_source" if k == "source" else k): v for k, v in e.properties.items()}
    return {"type": e.type, **props}


def _node_attrs(n: SubgraphNode) -> dict[str, Any]:
    props = {("data_source" if k == "source" else k): v for k, v in n.properties.items()}
    return {"label": n.label, **props}


def to_networkx(sub: Subgraph) -> nx.MultiDiGraph:
    """The subgraph as a networkx multigraph (node attribute ``label``, edge attribute ``type``)."""
    g = nx.MultiDiGraph(truncated=sub.truncated)
    for n in sub.nodes.values():
        g.add_node(n.id, **_node_attrs(n))
    for e in sub.edges:
        g.add_edge(e.source, e.target, key=f"{e.type}:{e.key[3]}", **_edge_attrs(e))
    return g


def node_link(sub: Subgraph) -> dict[str, Any]:
    """Node-link JSON (networkx 3.6 shape with ``edges``) plus a top-level ``truncated``.

    Built directly, in the order ``nx.node_link_data(to_networkx(sub))`` gives (edges
    grouped by source node, then by target in first-seen order): the same data without
    building a networkx graph on every request (tests/test_subgraph_formats.py checks).
    """
    order = dict.fromkeys(sub.nodes)
    by_source: dict[str, dict[str, list[SubgraphEdge]]] = {}
    for e in sub.edges:
        order.setdefault(e.source)
        order.setdefault(e.target)
        by_source.setdefault(e.source, {}).setdefault(e.target, []).append(e)
    edges = [
        {**_edge_attrs(e), "source": e.source, "target": e.target, "key": f"{e.type}:{e.key[3]}"}
        for node in order
        for group in by_source.get(node, {}).values()
        for e in group
    ]
    # An edge to a node the client already has must not bring that node back.
    nodes = [{**_node_attrs(n), "id": n.id} for n in sub.nodes.values()]
    return {
        "directed": True,
        "multigraph": True,
        "graph": {"truncated": sub.truncated},
        "nodes": nodes,
        "edges": edges,
        "truncated": sub.truncated,
    }


def from_node_link(data: Mapping[str, Any]) -> nx.MultiDiGraph:
    """A graph from node-link JSON written with ``edges`` (networkx >= 3.4) or ``links`` (older)."""
    key = "edges" if "edges" in data else "links"
    payload = {k: v for k, v in data.items() if k != "truncated"}
    g = nx.node_link_graph(payload, directed=True, multigraph=True, edges=key)
    return nx.MultiDiGraph(g)


def cytoscape(sub: Subgraph) -> dict[str, Any]:
    """Cytoscape.js elements JSON (``elements.nodes`` / ``elements.edges``) plus ``truncated``."""
    data = nx.cytoscape_data(to_networkx(sub))
    data["truncated"] = sub.truncated
    return data


def _xml_safe(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    # GraphML and GEXF hold scalars only: lists travel as JSON text.
    h = g.copy()
    for _, attrs in h.nodes(data=True):
        for k, v in list(attrs.items()):
            if isinstance(v, (list, dict)):
                attrs[k] = json.dumps(v, ensure_ascii=False)
    for _, _, attrs in h.edges(data=True):
        for k, v in list(attrs.items()):
            if isinstance(v, (list, dict)):
                attrs[k] = json.dumps(v, ensure_ascii=False)
    return h


def graphml(sub: Subgraph) -> str:
    """GraphML text (UTF-8)."""
    buf = io.BytesIO()
    nx.write_graphml(_xml_safe(to_networkx(sub)), buf, encoding="utf-8")
    return buf.getvalue().decode("utf-8")


def gexf(sub: Subgraph) -> str:
    """GEXF 1.2 text (UTF-8); the node label shown is its name, its kind is ``kind_label``."""
    g = _xml_safe(to_networkx(sub))
    for node, attrs in g.nodes(data=True):
        attrs["kind_label"] = attrs.pop("label")
        attrs["label"] = str(attrs.get("name") or attrs.get("title") or node)
    for _, _, attrs in g.edges(data=True):
        # GEXF reserves "type" for directed/undirected; the relationship type is the edge label.
        attrs["label"] = attrs.pop("type")
    g.graph.pop("truncated", None)
    buf = io.BytesIO()
    nx.write_gexf(g, buf, encoding="utf-8")
    return buf.getvalue().decode("utf-8")


def render(sub: Subgraph, fmt: Format) -> dict[str, Any] | str:
    """The subgraph in ``fmt``: a JSON object for the JSON formats, XML text otherwise."""
    if fmt is Format.node_link:
        return node_link(sub)
    if fmt is Format.cytoscape:
        return cytoscape(sub)
    if fmt is Format.graphml:
        return graphml(sub)
    return gexf(sub)
