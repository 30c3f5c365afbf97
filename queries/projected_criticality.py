"""Criticality (关键性) and what-if (断供推演) from a read projection, equal to the networkx answers.

``queries/criticality.py`` is the reference: it reads a chain's supply network with
chain_supply_network.cypher and hands it to networkx (directed betweenness, exact up to
``EXACT_LIMIT`` nodes, else from ``SAMPLE_PIVOTS`` pivots drawn with seed 0; articulation
points of the undirected graph). Here the network comes from the projection's arrays and:

- sampled betweenness is Brandes' algorithm from the same pivots (the same
  ``random.Random(0).sample`` over the nodes in networkx's insertion order), one numpy
  breadth-first level at a time, rescaled as networkx does;
- exact betweenness (small networks) is rustworkx's (Rust, same definition and scaling);
- articulation points are rustworkx's.

Measured at 1,000,000 enterprises (bench/README.md): networkx spends seconds building the
graph and walking 32 pivots in Python; rustworkx has no pivot sampling, so the sampled case
stays numpy. Float sums run in another order than networkx's, so betweenness may differ in
the last bits; it is rounded to 6 digits like the reference (tests/test_projected_findings.py).
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

import numpy as np
import rustworkx as rx

from chainkg.graph.ids import chain_id
from chainkg.graph.projection import Projection, distinct, groups
from chainkg.graph.store import Row
from chainkg.queries.criticality import (
    DIGITS,
    EXACT_LIMIT,
    SAMPLE_PIVOTS,
    named_top,
)
from chainkg.queries.projected import ORG, chain_orgs

_HUGE = np.iinfo(np.int64).max


def supply_network(p: Projection, chain: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(supplier, customer, edge) numbers of chain_supply_network.cypher's rows, in its order:
    SUPPLIES edges whose ends both operate in a segment the chain has (HAS_SEGMENT)."""
    chain_node = p.index.get(chain_id(chain))
    empty = np.zeros(0, dtype=np.int64)
    if chain_node is None:
        return empty, empty, empty
    segments = p.dst[p.incident(np.array([chain_node]), "HAS_SEGMENT", outgoing=True)]
    members = distinct(p.src[p.incident(segments, "OPERATES_IN", outgoing=False)])
    member = np.zeros(p.nodes, dtype=bool)
    member[members] = True
    e = p.incident(members, "SUPPLIES", outgoing=True)
    e = e[member[p.dst[e]]]
    a, b = p.src[e], p.dst[e]
    order = np.lexsort((p.product[e], p.rank[b], p.rank[a]))
    return a[order].astype(np.int64), b[order].astype(np.int64), e[order]


def _graph(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """networkx's DiGraph of the edges: (nodes in insertion order, source and target
    positions of the distinct edges). Self-loops are dropped before any node is added."""
    keep = a != b
    a, b = a[keep], b[keep]
    both = np.empty(2 * len(a), dtype=np.int64)
    both[0::2], both[1::2] = a, b
    nodes, inverse, first = groups(both)
    order = np.argsort(first, kind="stable")
    position = np.empty(len(nodes), dtype=np.int64)
    position[order] = np.arange(len(nodes))
    pos = position[inverse]
    src, dst = pos[0::2], pos[1::2]
    pairs = distinct(src * max(len(nodes), 1) + dst)
    return nodes[order], pairs // max(len(nodes), 1), pairs % max(len(nodes), 1)


def _sampled_betweenness(n: int, src: np.ndarray, dst: np.ndarray, pivots: list[int]) -> np.ndarray:
    """Brandes' accumulation from ``pivots`` over the directed graph (unscaled)."""
    order = np.argsort(src, kind="stable")
    adj = dst[order]
    ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(src, minlength=n), out=ptr[1:])
    between = np.zeros(n)
    for s in pivots:
        dist = np.full(n, -1, dtype=np.int64)
        sigma = np.zeros(n)
        dist[s], sigma[s] = 0, 1.0
        frontier = np.array([s], dtype=np.int64)
        levels: list[tuple[np.ndarray, np.ndarray]] = []
        depth = 0
        while len(frontier):
            starts = ptr[frontier]
            counts = ptr[frontier + 1] - starts
            total = int(counts.sum())
            if not total:
                break
            ends = np.cumsum(counts)
            at = np.repeat(starts - ends + counts, counts) + np.arange(total)
            v, w = np.repeat(frontier, counts), adj[at]
            new = distinct(w[dist[w] == -1])
            dist[new] = depth + 1
            on = dist[w] == depth + 1
            v, w = v[on], w[on]
            sigma += np.bincount(w, weights=sigma[v], minlength=n)
            levels.append((v, w))
            frontier, depth = new, depth + 1
        delta = np.zeros(n)
        for v, w in reversed(levels):
            delta += np.bincount(v, weights=sigma[v] / sigma[w] * (1.0 + delta[w]), minlength=n)
        delta[s] = 0.0
        between += delta
    return between


def _betweenness(n: int, src: np.ndarray, dst: np.ndarray, nodes: list[int]) -> np.ndarray:
    """Normalised directed betweenness as ``criticality._betweenness`` (networkx) gives it."""
    if n <= EXACT_LIMIT:
        g = rx.PyDiGraph(multigraph=False)
        g.add_nodes_from(range(n))
        g.add_edges_from_no_data(list(zip(src.tolist(), dst.tolist(), strict=True)))
        scores = rx.digraph_betweenness_centrality(g, normalized=True, endpoints=False)
        out = np.zeros(n)
        for i, v in scores.items():
            out[i] = v
        return out
    k = min(SAMPLE_PIVOTS, n)
    pivots = random.Random(0).sample(range(n), k) if k < n else list(range(n))
    raw = _sampled_betweenness(n, src, dst, pivots)
    big_n = n - 1  # pairs (s, t), s != t, that v may lie between (endpoints excluded)
    if big_n < 2:
        return raw
    if k == n:
        return raw / (k * (big_n - 1))
    scale = np.full(n, 1.0 / (k * (big_n - 1)))
    scale[pivots] = 1.0 / ((k - 1) * (big_n - 1)) if k > 1 else np.nan
    return raw * scale


def _criticality(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(node numbers in networkx's order, betweenness rounded to DIGITS, articulation mask)."""
    nodes, src, dst = _graph(a, b)
    n = len(nodes)
    if not n:
        return nodes, np.zeros(0), np.zeros(0, dtype=bool)
    # Python's round (correctly rounded), as the reference: np.round may differ on halves.
    raw = _betweenness(n, src, dst, list(range(n))).tolist()
    between = np.array([round(v, DIGITS) for v in raw], dtype=np.float64)
    g = rx.PyGraph(multigraph=False)
    g.add_nodes_from(range(n))
    g.add_edges_from_no_data(list(zip(src.tolist(), dst.tolist(), strict=True)))
    cut = np.zeros(n, dtype=bool)
    cut[list(rx.articulation_points(g))] = True
    return nodes, between, cut


def graph_criticality_arrays(
    ids: list[str], a: np.ndarray, b: np.ndarray
) -> dict[str, dict[str, Any]]:
    """``criticality.graph_criticality`` of the edges a -> b (numbers of nodes named by
    ``ids``), keyed by id."""
    nodes, between, cut = _criticality(a, b)
    return {
        ids[x]: {"betweenness": float(v), "articulation": bool(c)}
        for x, v, c in zip(nodes.tolist(), between.tolist(), cut.tolist(), strict=True)
    }


def chain_criticality(p: Projection, chain: str, limit: int = 10) -> list[dict[str, Any]]:
    """``criticality.chain_criticality`` answered from the projection: ``top_critical``'s
    order (betweenness, articulation first, id) by one lexsort, dicts only for the top."""
    a, b, _ = supply_network(p, chain)
    nodes, between, cut = _criticality(a, b)
    order = np.lexsort((p.rank[nodes], ~cut, -between))
    order = order[(between[order] > 0) | cut[order]][:limit]
    top = [
        (p.ids[int(nodes[i])], {"betweenness": float(between[i]), "articulation": bool(cut[i])})
        for i in order.tolist()
    ]
    return named_top(top, chain_orgs(p, {"ids": [n for n, _ in top]}))


def chain_supply_network(p: Projection, params: Mapping[str, Any]) -> list[Row]:
    """chain_supply_network.cypher's rows."""
    a, b, e = supply_network(p, str(params["chain"]))
    value = p.numbers("rel", "SUPPLIES", "value")[p.rel_row[e]]
    product_codes, products = p.codes("rel", "SUPPLIES", "product")
    return [
        {
            "supplier_id": p.ids[x],
            "customer_id": p.ids[y],
            "product": products[c],
            "value": None if v != v else v,
        }
        for x, y, c, v in zip(
            a.tolist(),
            b.tolist(),
            product_codes[p.rel_row[e]].tolist(),
            value.tolist(),
            strict=True,
        )
    ]


def _supply_into(p: Projection, customers: np.ndarray, chain: str) -> list[Row]:
    """Every SUPPLIES edge into ``customers`` (limited to those operating in ``chain``)."""
    customers = distinct(customers)
    if chain and len(customers):
        codes, values = p.codes("node", "Segment", "chain")
        in_chain = np.array([v == chain for v in values], dtype=bool)
        oi = p.incident(customers, "OPERATES_IN", outgoing=True)
        customers = distinct(p.src[oi[in_chain[codes[p.row[p.dst[oi]]]]]])
    e = p.incident(customers, "SUPPLIES", outgoing=False)
    product_codes, products = p.codes("rel", "SUPPLIES", "product")
    product_text = np.array(
        [_HUGE if v is None else 0 for v in products], dtype=np.int64
    )  # nulls sort last, as in Cypher
    sup, cus = p.src[e], p.dst[e]
    pc = product_codes[p.rel_row[e]]
    order = np.lexsort((p.rank[sup], p.product[e], product_text[pc], p.rank[cus]))
    rows = []
    for y, c, code in zip(
        sup[order].tolist(), cus[order].tolist(), pc[order].tolist(), strict=True
    ):
        props = p.node_props(c)
        rows.append(
            {
                "supplier_id": p.ids[y],
                "customer_id": props["id"],
                "customer": props["name"],
                "city": props["city"],
                "in_province": props["in_province"],
                "revenue": props["revenue"],
                "product": products[code],
            }
        )
    return rows


def chain_supply_into_org(p: Projection, params: Mapping[str, Any]) -> list[Row]:
    """chain_supply_into_org.cypher: every SUPPLIES edge into the organisation's customers."""
    x = p.index.get(str(params["org_id"]))
    if x is None or p.labels[p.label[x]] != ORG:
        return []
    e = p.incident(np.array([x]), "SUPPLIES", outgoing=True)
    return _supply_into(p, p.dst[e], str(params["chain"]))


def chain_supply_into_segment(p: Projection, params: Mapping[str, Any]) -> list[Row]:
    """chain_supply_into_segment.cypher: every SUPPLIES edge into the customers of the
    segment's organisations."""
    s = p.index.get(str(params["segment_id"]))
    if s is None:
        return []
    firms = p.src[p.incident(np.array([s]), "OPERATES_IN", outgoing=False)]
    e = p.incident(distinct(firms), "SUPPLIES", outgoing=True)
    return _supply_into(p, p.dst[e], str(params["chain"]))


PROJECTED = {
    "chain_supply_network": chain_supply_network,
    "chain_supply_into_org": chain_supply_into_org,
    "chain_supply_into_segment": chain_supply_into_segment,
}
