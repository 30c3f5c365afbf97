"""Criticality (关键性) of segments and enterprises, and what-if disruption (断供推演), with networkx.

- On a chain's FEEDS graph (segments, upstream -> downstream): betweenness centrality
  (how much of the chain's flow passes through a segment) and articulation points
  (segments whose removal cuts the chain in two, direction ignored).
- On a chain's SUPPLIES graph (enterprises operating in the chain): the same, for firms.
  Beyond ``EXACT_LIMIT`` nodes betweenness is estimated from a fixed sample of
  ``SAMPLE_PIVOTS`` sources (seed 0): each pivot is a BFS over the whole network (~0.1 s in
  networkx at 100k edges), so a large chain stays within seconds and answers are
  reproducible, at the price of a rough ranking beyond the top firms.
- What-if: remove organisations (one firm, or every firm of a segment) and list the customers
  that lose ALL supply of some product, i.e. whose every supplier of that product is removed,
  with the revenue at risk (sum of their known revenues).

The functions taking edges are pure; ``chain_criticality`` and ``what_if`` run the queries.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import networkx as nx

from chainkg.graph.catalog import query
from chainkg.graph.projection import Projection
from chainkg.graph.store import GraphStore, Row

EXACT_LIMIT = 2_000
SAMPLE_PIVOTS = 32
DIGITS = 6
UNNAMED_PRODUCT = "（未注明产品）"


def _directed(nodes: Iterable[str], edges: Iterable[tuple[str, str]]) -> nx.DiGraph:
    g = nx.DiGraph()
    g.add_nodes_from(nodes)
    g.add_edges_from((a, b) for a, b in edges if a != b)
    return g


def _betweenness(g: nx.DiGraph) -> dict[str, float]:
    n = g.number_of_nodes()
    if n <= EXACT_LIMIT:
        return nx.betweenness_centrality(g, normalized=True)
    return nx.betweenness_centrality(g, k=min(SAMPLE_PIVOTS, n), normalized=True, seed=0)


def graph_criticality(
    nodes: Iterable[str], edges: Iterable[tuple[str, str]]
) -> dict[str, dict[str, Any]]:
    """Per node: normalised directed betweenness (0..1) and whether it is an articulation point.

    Edges outside ``nodes`` add their endpoints; self-loops are ignored; cycles are fine.
    """
    g = _directed(nodes, edges)
    between = _betweenness(g)
    cut = set(nx.articulation_points(g.to_undirected(as_view=True)))
    return {
        n: {"betweenness": round(between.get(n, 0.0), DIGITS), "articulation": n in cut}
        for n in g.nodes
    }


def feeds_criticality(
    segment_ids: Sequence[str], edges: Iterable[tuple[str, str]]
) -> dict[str, dict[str, Any]]:
    """Criticality of a chain's segments on its FEEDS graph (edges between its own segments)."""
    inside = set(segment_ids)
    return graph_criticality(segment_ids, [(a, b) for a, b in edges if a in inside and b in inside])


def top_critical(
    crit: Mapping[str, Mapping[str, Any]], limit: int = 10
) -> list[tuple[str, dict[str, Any]]]:
    """The most critical nodes: articulation points and high betweenness first, then id."""
    ranked = sorted(
        crit.items(), key=lambda kv: (-kv[1]["betweenness"], not kv[1]["articulation"], kv[0])
    )
    return [(n, dict(c)) for n, c in ranked if c["betweenness"] > 0 or c["articulation"]][:limit]


def what_if_losses(edges: Iterable[Mapping[str, Any]], removed: set[str]) -> dict[str, Any]:
    """Who loses ALL supply of some product when the ``removed`` suppliers disappear (pure).

    ``edges`` are rows of chain_supply_into: every SUPPLIES edge into the customers concerned
    (supplier_id, customer_id, customer, city, in_province, revenue, product). A customer that
    is itself removed is not counted. Returns ``{"customers": [...], "count",
    "revenue_at_risk", "in_province_revenue_at_risk", "unknown_revenue"}``; each customer has
    its lost ``products`` and the removed ``suppliers`` it had for them.
    """
    suppliers: dict[tuple[str, str], set[str]] = defaultdict(set)
    info: dict[str, Mapping[str, Any]] = {}
    for e in edges:
        product = e.get("product") or UNNAMED_PRODUCT
        suppliers[(e["customer_id"], product)].add(e["supplier_id"])
        info[e["customer_id"]] = e
    lost: dict[str, dict[str, set[str]]] = defaultdict(dict)
    for (customer, product), sups in suppliers.items():
        if customer not in removed and sups and sups <= removed:
            lost[customer][product] = sups
    customers = []
    at_risk = local_at_risk = 0.0
    unknown = 0
    for cid in sorted(lost, key=lambda c: (-(info[c].get("revenue") or 0.0), c)):
        row = info[cid]
        revenue = row.get("revenue")
        if revenue is None:
            unknown += 1
        else:
            at_risk += revenue
            if row.get("in_province"):
                local_at_risk += revenue
        customers.append(
            {
                "id": cid,
                "name": row.get("customer"),
                "city": row.get("city"),
                "in_province": row.get("in_province"),
                "revenue": revenue,
                "products": sorted(lost[cid]),
                "suppliers": sorted(set().union(*lost[cid].values())),
            }
        )
    return {
        "count": len(customers),
        "revenue_at_risk": round(at_risk, DIGITS),
        "in_province_revenue_at_risk": round(local_at_risk, DIGITS),
        "unknown_revenue": unknown,
        "customers": customers,
    }


# --- I/O ---------------------------------------------------------------------------------


def supply_into(
    store: GraphStore,
    kind: str,
    node_id: str,
    chain: str | None = None,
    projection: Projection | None = None,
) -> list[Row]:
    """Every SUPPLIES edge into the customers of an organisation or of a segment's firms.

    With ``chain``, only the customers that operate in a segment of that chain; with
    ``projection`` (current, of ``store``), read from it (queries/projected_criticality.py).
    """
    if kind == "organization":
        name, params = "chain_supply_into_org", {"org_id": node_id, "chain": chain or ""}
    else:
        name, params = "chain_supply_into_segment", {"segment_id": node_id, "chain": chain or ""}
    if projection is not None:
        from chainkg.queries.projected_criticality import PROJECTED

        return PROJECTED[name](projection, params)
    return store.read(query(name), params)


def chain_criticality(
    store: GraphStore, chain: str, limit: int = 10, projection: Projection | None = None
) -> list[dict[str, Any]]:
    """The most critical enterprises of a chain's supply network, named, most critical first.
    With ``projection`` (current, of ``store``), computed from its arrays with the same answer
    (queries/projected_criticality.py: numpy and rustworkx instead of networkx)."""
    if projection is not None:
        from chainkg.queries import projected_criticality

        return projected_criticality.chain_criticality(projection, chain, limit)
    edges = store.read(query("chain_supply_network"), {"chain": chain})
    crit = graph_criticality((), ((e["supplier_id"], e["customer_id"]) for e in edges))
    top = top_critical(crit, limit)
    return named_top(top, store.read(query("chain_orgs"), {"ids": [n for n, _ in top]}))


def named_top(
    top: Sequence[tuple[str, Mapping[str, Any]]], orgs: Iterable[Row]
) -> list[dict[str, Any]]:
    """The ``top_critical`` entries with each organisation's name, province flag and revenue
    from chain_orgs rows (pure)."""
    names = {r["id"]: r for r in orgs}
    return [
        {
            "id": n,
            "name": names.get(n, {}).get("name"),
            "in_province": names.get(n, {}).get("in_province"),
            "revenue": names.get(n, {}).get("revenue"),
            **c,
        }
        for n, c in top
    ]


def _org_suggestions(store: GraphStore, name: str) -> list[str]:
    from chainkg.queries.chains import suggest

    pool: set[str] = set()
    for size in (4, 2):
        for start in range(0, max(1, len(name) - size + 1), size):
            fragment = name[start : start + size]
            if fragment:
                rows = store.read(
                    query("chain_org_names_like"), {"fragment": fragment, "limit": 50}
                )
                pool.update(r["name"] for r in rows)
        if pool:
            break
    return suggest(name, pool)


def resolve_removal(store: GraphStore, name: str, chain: str | None = None) -> dict[str, Any]:
    """What ``chainkg what-if --remove NAME`` removes: an organisation, else a segment (环节).

    Returns ``{"kind": "organization"|"segment", "id", "name", "chain", "chains",
    "suppliers": [ids]}``: ``chains`` are the chains the organisation operates in (a
    segment's own chain), ``chain`` the same joined with 、 (None when there is none). A
    segment name found in several chains needs ``chain``; an unknown name raises
    NotFoundError naming the closest organisations and segments.
    """
    from chainkg.errors import NotFoundError
    from chainkg.queries.chains import suggest

    orgs = store.read(query("chain_find_org"), {"name": name})
    if orgs:
        org = orgs[0]
        chains = [r["chain"] for r in store.read(query("chain_org_chains"), {"org_id": org["id"]})]
        return {
            "kind": "organization",
            "id": org["id"],
            "name": org["name"],
            "chain": "、".join(chains) or None,
            "chains": chains,
            "suppliers": [org["id"]],
        }
    segments = store.read(query("chain_find_segment"), {"name": name, "chain": chain or ""})
    if len(segments) > 1:
        chains = "、".join(s["chain"] for s in segments)
        raise NotFoundError(
            f"the segment name {name!r} is used by several chains: {chains}",
            hint="say which with --chain",
        )
    if segments:
        seg = segments[0]
        members = store.read(query("chain_segment_orgs"), {"segment_id": seg["id"]})
        return {
            "kind": "segment",
            "id": seg["id"],
            "name": seg["name"],
            "chain": seg["chain"],
            "chains": [seg["chain"]],
            "suppliers": [m["id"] for m in members],
        }
    names = store.read(query("chain_segment_names"), {"chain": chain or ""})
    close = suggest(name, [r["name"] for r in names]) + _org_suggestions(store, name)
    where = f" of chain {chain!r}" if chain else ""
    hint = f"did you mean: {'、'.join(close[:5])}?" if close else "check the spelling"
    raise NotFoundError(f"no organisation or segment{where} named {name!r} in the graph", hint=hint)


def what_if(
    store: GraphStore, name: str, chain: str | None = None, projection: Projection | None = None
) -> dict[str, Any]:
    """Remove an organisation or a segment's organisations; who loses all supply of a product.

    ``chain`` says which chain's segment is meant when several chains have a segment of that
    name, and keeps only the customers that operate in that chain; without it customers are
    found in every chain (disruption crosses chains). Returns ``{"removed": {...}, **losses}``
    (see ``what_if_losses``); ``removed.customers_in_chain`` is the chain the customers were
    limited to (None for all). ``projection``: a current projection of ``store`` to read the
    supply edges from.
    """
    removal = resolve_removal(store, name, chain)
    edges = supply_into(store, removal["kind"], removal["id"], chain, projection)
    losses = what_if_losses(edges, set(removal["suppliers"]))
    removed = {k: v for k, v in removal.items() if k != "suppliers"}
    removed["organizations"] = len(removal["suppliers"])
    removed["customers_in_chain"] = chain
    return {"removed": removed, **losses}
