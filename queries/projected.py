"""Answers of some catalogue queries computed from a read projection (graph/projection.py).

Each function here takes a ``Projection`` and the parameters of the catalogue query of the
same name and returns the rows that query returns (same columns, same row order): the
weak-link queries that decide every segment's status, which aggregate over every
OPERATES_IN and SUPPLIES relationship of the province (seconds in Cypher at 1,000,000
enterprises), are numpy group-bys over the projection's arrays instead. ``projected_read``
dispatches by name and falls back to the store for queries not listed in ``PROJECTED``.

The Cypher files stay the reference: tests/test_projected_findings.py compares every row
with the store's answer on both stores (sums of floats may differ in the last bits, as the
summation order differs; everything else is equal).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from chainkg.graph.catalog import query
from chainkg.graph.projection import Projection, distinct
from chainkg.graph.projection import groups as group_by
from chainkg.graph.store import GraphStore, Row

ORG = "Organization"
SEG = "Segment"


def _in(values: list[Any], wanted: Any) -> np.ndarray:
    """Per distinct value (by code): whether it is one of ``wanted`` (code 0, None: never)."""
    want = set(wanted)
    return np.array([v is not None and v in want for v in values], dtype=bool)


def _chain_segments(p: Projection, chains: list[str]) -> np.ndarray:
    """Node numbers of the segments whose ``chain`` is one of ``chains``."""
    codes, values = p.codes("node", SEG, "chain")
    return p.nodes_of(SEG)[_in(values, chains)[codes]]


def _segment_ids(p: Projection, ids: list[str]) -> np.ndarray:
    return np.array(sorted({p.index[i] for i in ids if i in p.index}), dtype=np.int64)


def _node_mask(p: Projection, nodes: np.ndarray) -> np.ndarray:
    mask = np.zeros(p.nodes, dtype=bool)
    mask[nodes] = True
    return mask


def _text(p: Projection, label: str, name: str, nodes: np.ndarray) -> list[Any]:
    codes, values = p.codes("node", label, name)
    return [values[c] for c in codes[p.row[nodes]].tolist()]


def weak_segments(p: Projection, params: Mapping[str, Any]) -> list[Row]:
    """weak_segments.cypher."""
    segs = _chain_segments(p, list(params["chains"]))
    cols = {n: _text(p, SEG, n, segs) for n in ("chain", "id", "name", "stage")}
    cols["stage_rank"] = _text(p, SEG, "stage_rank", segs)
    cols["position"] = _text(p, SEG, "position", segs)
    rows = [
        {
            "chain": cols["chain"][i],
            "segment_id": cols["id"][i],
            "segment": cols["name"][i],
            "stage": cols["stage"][i],
            "stage_rank": cols["stage_rank"][i],
            "position": cols["position"][i],
        }
        for i in range(len(segs))
    ]
    rows.sort(
        key=lambda r: (
            r["chain"],
            9 if r["stage_rank"] is None else r["stage_rank"],
            9999 if r["position"] is None else r["position"],
            r["segment"],
        )
    )
    return rows


def weak_segment_coverage(p: Projection, params: Mapping[str, Any]) -> list[Row]:
    """weak_segment_coverage.cypher: one numpy group-by over the chains' OPERATES_IN edges."""
    segs = _chain_segments(p, list(params["chains"]))
    e = p.incident(segs, "OPERATES_IN", outgoing=False)
    org, seg = p.row[p.src[e]], p.dst[e]
    in_province = p.flags("node", ORG, "in_province")[org]
    kind, kinds = p.codes("node", ORG, "kind")
    enterprise = np.array([v is None or v == "enterprise" for v in kinds], dtype=bool)[kind[org]]
    inferred = p.flags("rel", "OPERATES_IN", "inferred")[p.rel_row[e]] == 1
    leader = p.flags("node", ORG, "leader")[org] == 1
    rev = p.numbers("node", ORG, "revenue")[org]
    cap = p.numbers("node", ORG, "capacity")[org]
    known, has_cap = rev >= 0.0, cap >= 0.0  # NaN (unset) compares false, as null in Cypher
    rev0, cap0 = np.where(known, rev, 0.0), np.where(has_cap, cap, 0.0)
    key = ((seg.astype(np.int64) * 3 + (in_province + 1)) * 2 + enterprise) * 2 + inferred
    groups, inv, _ = group_by(key)
    g = len(groups)

    def count(mask: np.ndarray) -> list[int]:
        return np.bincount(inv, weights=mask, minlength=g).astype(np.int64).tolist()

    def total(values: np.ndarray) -> list[float]:
        return np.bincount(inv, weights=values, minlength=g).tolist()

    def most(mask: np.ndarray) -> list[float | None]:
        out = np.full(g, -np.inf)
        np.maximum.at(out, inv[mask], rev[mask])
        return [None if v == -np.inf else v for v in out.tolist()]

    columns = {
        "organizations": np.bincount(inv, minlength=g).tolist(),
        "leaders": count(leader),
        "revenue_known": count(known),
        "revenue_total": total(rev0),
        "revenue_sq": total(rev0 * rev0),
        "revenue_max": most(known),
        "leader_revenue_max": most(known & leader),
        "big_firms": count(known & (rev >= float(params["leader_min_revenue"]))),
        "capacity_known": count(has_cap),
        "capacity_total": total(cap0),
    }
    flag = {0: None, 1: False, 2: True}
    rows = []
    for i, k in enumerate(groups.tolist()):
        k, inf = divmod(k, 2)
        k, ent = divmod(k, 2)
        node, prov = divmod(k, 3)
        rows.append(
            {
                "segment_id": p.ids[node],
                "in_province": flag[prov],
                "enterprise": bool(ent),
                "inferred": bool(inf),
                **{name: values[i] for name, values in columns.items()},
            }
        )
    order = {None: 2, False: 0, True: 1}  # Cypher orders null last
    rows.sort(
        key=lambda r: (r["segment_id"], order[r["in_province"]], r["enterprise"], r["inferred"])
    )
    return rows


def weak_feeding_segments(p: Projection, params: Mapping[str, Any]) -> list[Row]:
    """weak_feeding_segments.cypher."""
    segs = _node_mask(p, _chain_segments(p, list(params["chains"])))
    e = p.edges_of("FEEDS")
    feeding = distinct(p.src[e][segs[p.src[e]]])
    return [{"segment_id": i} for i in sorted(p.ids[n] for n in feeding.tolist())]


def chain_feeds(p: Projection, params: Mapping[str, Any]) -> list[Row]:
    """chain_feeds.cypher: the FEEDS edges inside each given chain."""
    codes, values = p.codes("node", SEG, "chain")
    wanted = _in(values, params["chains"])
    e = p.edges_of("FEEDS")
    a, b = p.row[p.src[e]], p.row[p.dst[e]]
    keep = wanted[codes[a]] & (codes[a] == codes[b])
    product_codes, products = p.codes("rel", "FEEDS", "product")
    rows = [
        {
            "chain": values[codes[p.row[s]]],
            "from_id": p.ids[s],
            "to_id": p.ids[t],
            "product": products[product_codes[r]],
        }
        for s, t, r in zip(
            p.src[e][keep].tolist(),
            p.dst[e][keep].tolist(),
            p.rel_row[e][keep].tolist(),
            strict=True,
        )
    ]
    rows.sort(
        key=lambda r: (
            r["chain"],
            r["from_id"],
            r["to_id"],
            r["product"] is None,
            r["product"] or "",
        )
    )
    return rows


def weak_choke_technologies(p: Projection, params: Mapping[str, Any]) -> list[Row]:
    """weak_choke_technologies.cypher: unsolved 卡脖子 technologies per segment."""
    segs = _node_mask(p, _chain_segments(p, list(params["chains"])))
    e = p.edges_of("IN_SEGMENT")
    e = e[(p.label[p.src[e]] == p.labels.index("Technology")) & segs[p.dst[e]]]
    tech = p.src[e]
    choke = p.flags("node", "Technology", "choke")[p.row[tech]] == 1
    status = _text(p, "Technology", "status", tech)
    solved = set(params["solved"])
    by_segment: dict[int, list[dict[str, Any]]] = {}
    for i, (t, s) in enumerate(zip(tech.tolist(), p.dst[e].tolist(), strict=True)):
        if not choke[i] or (status[i] or "") in solved:
            continue
        props = p.node_props(t)
        by_segment.setdefault(s, []).append(
            {
                "id": props["id"],
                "name": props["name"],
                "status": props["status"],
                "holder": props["holder"],
            }
        )
    rows = []
    for s, techs in by_segment.items():
        techs.sort(key=lambda x: (x["name"] is None, x["name"] or "", x["id"]))
        rows.append(
            {"segment_id": p.ids[s], "technologies": len(techs), "shown": techs[: params["cap"]]}
        )
    rows.sort(key=lambda r: r["segment_id"])
    return rows


class _Demand:
    """The SUPPLIES edges that make up the local demand for the given segments' output, as
    weak_local_supply and the evidence queries read them: per (supplier, segment) pair where
    the supplier operates in the segment, its edges to in-province customers that name that
    segment or none (an untagged edge counts in every such pair of its supplier)."""

    def __init__(self, p: Projection, segment_ids: list[str]) -> None:
        self.p = p
        n = p.nodes
        segs = _segment_ids(p, segment_ids)
        oi = p.incident(segs, "OPERATES_IN", outgoing=False)
        # One pair per (supplier, segment), as the engine's DISTINCT supplier then re-match.
        self.pair = pair = distinct(p.src[oi].astype(np.int64) * n + p.dst[oi])
        self.sup, self.seg = pair // n, pair % n
        supplies = p.incident(distinct(self.sup), "SUPPLIES", outgoing=True)
        e = supplies[p.flags("node", ORG, "in_province")[p.row[p.dst[supplies]]] == 1]
        self.e = e
        self.edge_sup = p.src[e].astype(np.int64)
        value = p.numbers("rel", "SUPPLIES", "value")[p.rel_row[e]]
        self.valued = ~np.isnan(value)
        self.value = np.where(self.valued, value, 0.0)
        tag_codes, tags = p.codes("rel", "SUPPLIES", "segment")
        tag_node = np.array([-1] + [p.index.get(t, -2) for t in tags[1:]], dtype=np.int64)
        tag = tag_node[tag_codes[p.rel_row[e]]]
        self.untagged = tag == -1
        # Tagged edges: the pair (supplier, tag) they count in, when the supplier operates there.
        key = self.edge_sup * n + tag
        at = np.minimum(np.searchsorted(pair, key), max(len(pair) - 1, 0))
        self.hit = ~self.untagged & (pair[at] == key) if len(pair) else np.zeros(len(e), bool)
        self.at = at

    def per_pair(self) -> dict[str, np.ndarray]:
        """Per pair: edges, untagged_edges, valued_edges, value (sums over its edges)."""
        n, k, u = self.p.nodes, len(self.pair), self.untagged
        sup = self.edge_sup
        u_edges = np.bincount(sup[u], minlength=n)[self.sup]
        u_valued = np.bincount(sup[u], weights=self.valued[u], minlength=n)[self.sup]
        u_value = np.bincount(sup[u], weights=self.value[u], minlength=n)[self.sup]
        at, hit = self.at[self.hit], self.hit
        return {
            "edges": np.bincount(at, minlength=k) + u_edges,
            "untagged_edges": u_edges,
            "valued_edges": np.bincount(at, weights=self.valued[hit], minlength=k) + u_valued,
            "value": np.bincount(at, weights=self.value[hit], minlength=k) + u_value,
        }

    def triples(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(segment, customer, supplier) node numbers of every counted edge, one per pair it
        counts in."""
        p = self.p
        customer = p.dst[self.e].astype(np.int64)
        seg = [self.seg[self.at[self.hit]]]
        cus = [customer[self.hit]]
        sup = [self.edge_sup[self.hit]]
        # Untagged edges: once per pair of their supplier (pairs are sorted by supplier).
        u = self.untagged
        first = np.searchsorted(self.sup, self.edge_sup[u], side="left")
        last = np.searchsorted(self.sup, self.edge_sup[u], side="right")
        times = last - first
        if times.sum():
            ends = np.cumsum(times)
            where = np.repeat(first - ends + times, times) + np.arange(int(times.sum()))
            seg.append(self.seg[where])
            cus.append(np.repeat(customer[u], times))
            sup.append(np.repeat(self.edge_sup[u], times))
        return np.concatenate(seg), np.concatenate(cus), np.concatenate(sup)


def _origin(p: Projection, orgs: np.ndarray, domestic: list[str]) -> np.ndarray:
    """Per organisation: 0 local (in_province true), 1 foreign (country given and not
    domestic), 2 outside (other provinces or unknown)."""
    rows = p.row[orgs]
    local = p.flags("node", ORG, "in_province")[rows] == 1
    codes, countries = p.codes("node", ORG, "country")
    wanted = set(domestic)
    abroad = np.array([("中国" if v is None else v) not in wanted for v in countries])
    return np.where(local, 0, np.where(abroad[codes[rows]], 1, 2))


def weak_local_supply(p: Projection, params: Mapping[str, Any]) -> list[Row]:
    """weak_local_supply.cypher: local demand for each segment's output, per supplier origin;
    pairs with no counted edge are left out, as the query's inner match drops them."""
    demand = _Demand(p, list(params["segments"]))
    if not len(demand.pair):
        return []
    sums = demand.per_pair()
    keep = sums["edges"] > 0
    origin = _origin(p, demand.sup, list(params["domestic"]))
    groups, inv, _ = group_by((demand.seg * 3 + origin)[keep])
    g = len(groups)
    totals = {k: np.bincount(inv, weights=v[keep], minlength=g) for k, v in sums.items()}
    suppliers = np.bincount(inv, minlength=g)
    names = {0: "local", 1: "foreign", 2: "outside"}
    rows = [
        {
            "segment_id": p.ids[k // 3],
            "origin": names[k % 3],
            "suppliers": int(suppliers[i]),
            "edges": int(totals["edges"][i]),
            "untagged_edges": int(totals["untagged_edges"][i]),
            "valued_edges": int(totals["valued_edges"][i]),
            "value": float(totals["value"][i]),
        }
        for i, k in enumerate(groups.tolist())
    ]
    rows.sort(key=lambda r: (r["segment_id"], r["origin"]))
    return rows


def _org(p: Projection, node: int, fields: tuple[str, ...]) -> dict[str, Any]:
    return p.node_fields(node, fields)


FIRM = ("id", "name", "city", "revenue", "leader")
SUPPLIER = ("id", "name", "city", "in_province", "country")


def _segments_split(seg: np.ndarray) -> list[tuple[int, slice]]:
    """(segment, slice) runs of an array sorted by segment."""
    if not len(seg):
        return []
    starts = np.flatnonzero(np.r_[True, seg[1:] != seg[:-1]])
    ends = np.r_[starts[1:], len(seg)]
    return [(int(seg[a]), slice(int(a), int(b))) for a, b in zip(starts, ends, strict=True)]


def weak_segment_firms(p: Projection, params: Mapping[str, Any]) -> list[Row]:
    """weak_segment_firms.cypher: each segment's in-province enterprises, largest first."""
    segs = _segment_ids(p, list(params["segments"]))
    cap = int(params["cap"])
    e = p.incident(segs, "OPERATES_IN", outgoing=False)
    org = p.src[e]
    rows_ = p.row[org]
    kind, kinds = p.codes("node", ORG, "kind")
    enterprise = np.array([v is None or v == "enterprise" for v in kinds], dtype=bool)
    keep = (p.flags("node", ORG, "in_province")[rows_] == 1) & enterprise[kind[rows_]]
    e, org, rows_ = e[keep], org[keep], rows_[keep]
    seg = p.dst[e]
    inferred = p.flags("rel", "OPERATES_IN", "inferred")[p.rel_row[e]] == 1
    rev = p.numbers("node", ORG, "revenue")[rows_]
    revc = np.where(np.isnan(rev), -1.0, rev)
    leader = p.flags("node", ORG, "leader")[rows_] == 1
    order = np.lexsort((p.rank[org], -revc, p.rank[seg]))
    seg, org, inferred, revc, leader = (
        seg[order],
        org[order],
        inferred[order],
        revc[order],
        leader[order],
    )
    out = []
    for s, part in _segments_split(seg):
        o, inf = org[part], inferred[part]

        def first(mask: np.ndarray, fields: tuple[str, ...] = FIRM) -> list[dict[str, Any]]:
            return [_org(p, n, fields) for n in o[mask][:cap].tolist()]  # noqa: B023

        out.append(
            {
                "segment_id": p.ids[s],
                "firms": first(~inf),
                "leaders": first(~inf & leader[part]),
                "unknown_revenue": first(~inf & (revc[part] < 0.0), ("id", "name", "city")),
                "inferred": first(inf),
            }
        )
    return out


def weak_demand_suppliers(p: Projection, params: Mapping[str, Any]) -> list[Row]:
    """weak_demand_suppliers.cypher: the suppliers of each segment's local demand, largest
    first by value then edges, all / not in-province / abroad, each capped."""
    demand = _Demand(p, list(params["segments"]))
    if not len(demand.pair):
        return []
    cap = int(params["cap"])
    sums = demand.per_pair()
    keep = sums["edges"] > 0
    sup, seg = demand.sup[keep], demand.seg[keep]
    edges, value = sums["edges"][keep], sums["value"][keep]
    order = np.lexsort((p.rank[sup], -edges, -value, p.rank[seg]))
    sup, seg, edges, value = sup[order], seg[order], edges[order], value[order]
    rows_ = p.row[sup]
    outside = p.flags("node", ORG, "in_province")[rows_] != 1
    abroad = outside & (_origin(p, sup, list(params["domestic"])) == 1)
    out = []
    for s, part in _segments_split(seg):
        o, n_edges, val = sup[part], edges[part], value[part]

        def first(
            mask: np.ndarray, o: np.ndarray = o, n: np.ndarray = n_edges, val: np.ndarray = val
        ) -> list[dict[str, Any]]:
            return [
                {**_org(p, int(o[i]), SUPPLIER), "edges": int(n[i]), "value": float(val[i])}
                for i in np.flatnonzero(mask)[:cap].tolist()
            ]

        everyone = np.ones(len(o), dtype=bool)
        out.append(
            {
                "segment_id": p.ids[s],
                "shown": first(everyone),
                "outside_shown": first(outside[part]),
                "foreign_shown": first(abroad[part]),
            }
        )
    return out


def weak_single_source(p: Projection, params: Mapping[str, Any]) -> list[Row]:
    """weak_single_source.cypher: each segment's in-province customers and those with one
    supplier, largest customers first."""
    demand = _Demand(p, list(params["segments"]))
    if not len(demand.pair):
        return []
    cap = int(params["cap"])
    seg, cus, sup = demand.triples()
    n = np.int64(p.nodes)
    # Distinct suppliers per (segment, customer); the smallest supplier id among them.
    triple = distinct((seg * n + cus) * n + sup)
    pair_key, sup_u = triple // n, triple % n
    start = np.flatnonzero(np.r_[True, pair_key[1:] != pair_key[:-1]])
    keys, suppliers = pair_key[start], np.diff(np.r_[start, len(pair_key)])
    rank_sup = p.rank[sup_u]
    group = np.repeat(np.arange(len(keys)), suppliers)
    lowest = sup_u[np.lexsort((rank_sup, group))[start]]
    seg_k, cus_k = keys // n, keys % n
    rev = p.numbers("node", ORG, "revenue")[p.row[cus_k]]
    revc = np.where(np.isnan(rev), -1.0, rev)
    order = np.lexsort((p.rank[cus_k], -revc, p.rank[seg_k]))
    seg_k, cus_k, suppliers, lowest = seg_k[order], cus_k[order], suppliers[order], lowest[order]
    out = []
    for s, part in _segments_split(seg_k):
        single = np.flatnonzero(suppliers[part] == 1)
        shown = [
            {
                **_org(p, int(cus_k[part][i]), ("id", "name", "city", "revenue")),
                "supplier_id": p.ids[int(lowest[part][i])],
            }
            for i in single[:cap].tolist()
        ]
        out.append(
            {
                "segment_id": p.ids[s],
                "customers": int(part.stop - part.start),
                "single_source_customers": len(single),
                "shown": shown,
            }
        )
    return out


def _members(p: Projection, segment_ids: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(segment, organisation) node numbers of the OPERATES_IN edges into the segments."""
    e = p.incident(_segment_ids(p, segment_ids), "OPERATES_IN", outgoing=False)
    return p.dst[e].astype(np.int64), p.src[e].astype(np.int64)


def _listed(
    p: Projection, seg: np.ndarray, org: np.ndarray, order: np.ndarray, cap: int, entry: Any
) -> list[Row]:
    """Per segment (by id) in ``order``: the count and the first ``cap`` entries."""
    seg, org = seg[order], org[order]
    rows = []
    for s, part in _segments_split(seg):
        rows.append(
            {
                "segment_id": p.ids[s],
                "candidates": part.stop - part.start,
                "shown": [
                    entry(int(order[i]))
                    for i in range(part.start, part.start + cap)
                    if i < part.stop
                ],
            }
        )
    return rows


def recommend_candidates(p: Projection, params: Mapping[str, Any]) -> list[Row]:
    """recommend_candidates.cypher: out-of-province firms of each segment, by their supplies
    to in-province customers (value, then edges), then revenue."""
    seg, org = _members(p, list(params["segments"]))
    keep = p.flags("node", ORG, "in_province")[p.row[org]] == 0
    seg, org = seg[keep], org[keep]
    firms, at, _ = group_by(org)
    e = p.incident(firms, "SUPPLIES", outgoing=True)
    e = e[p.flags("node", ORG, "in_province")[p.row[p.dst[e]]] == 1]
    value = p.numbers("rel", "SUPPLIES", "value")[p.rel_row[e]]
    which = np.searchsorted(firms, p.src[e])
    k = len(firms)
    ties = np.bincount(which, minlength=k)
    tie_value = np.bincount(which, weights=np.where(np.isnan(value), 0.0, value), minlength=k)
    customers = distinct(which.astype(np.int64) * p.nodes + p.dst[e]) // p.nodes
    local = np.bincount(customers, minlength=k)
    rev = p.numbers("node", ORG, "revenue")[p.row[org]]
    revc = np.where(np.isnan(rev), -1.0, rev)
    order = np.lexsort((p.rank[org], -revc, -ties[at], -tie_value[at], p.rank[seg]))
    fields = ("id", "name", "city", "province", "country", "revenue", "leader")

    def entry(i: int) -> Row:
        j = at[i]
        return {
            **p.node_fields(int(org[i]), fields),
            "ties": int(ties[j]),
            "tie_value": float(tie_value[j]),
            "local_customers": int(local[j]),
        }

    return _listed(p, seg, org, order, int(params["cap"]), entry)


def recommend_substitutes(p: Projection, params: Mapping[str, Any]) -> list[Row]:
    """recommend_substitutes.cypher: domestic firms of each segment, in-province first, then
    by revenue."""
    seg, org = _members(p, list(params["segments"]))
    rows = p.row[org]
    codes, countries = p.codes("node", ORG, "country")
    domestic = _in(countries, params["domestic"])
    domestic[0] = "中国" in set(params["domestic"])  # coalesce(country, '中国')
    keep = domestic[codes[rows]]
    seg, org, rows = seg[keep], org[keep], rows[keep]
    outside = (p.flags("node", ORG, "in_province")[rows] != 1).astype(np.int8)
    rev = p.numbers("node", ORG, "revenue")[rows]
    revc = np.where(np.isnan(rev), -1.0, rev)
    order = np.lexsort((p.rank[org], -revc, outside, p.rank[seg]))
    fields = ("id", "name", "city", "in_province", "province", "revenue", "leader")
    return _listed(
        p, seg, org, order, int(params["cap"]), lambda i: p.node_fields(int(org[i]), fields)
    )


def chain_orgs(p: Projection, params: Mapping[str, Any]) -> list[Row]:
    """chain_orgs.cypher: the organisations with the given ids."""
    org = p.labels.index(ORG)
    found = sorted({i for i in params["ids"] if i in p.index and p.label[p.index[i]] == org})
    fields = ("id", "name", "city", "in_province", "revenue", "leader")
    return [_org(p, p.index[i], fields) for i in found]


PROJECTED: dict[str, Callable[[Projection, Mapping[str, Any]], list[Row]]] = {
    "weak_segments": weak_segments,
    "weak_segment_coverage": weak_segment_coverage,
    "weak_feeding_segments": weak_feeding_segments,
    "weak_local_supply": weak_local_supply,
    "weak_segment_firms": weak_segment_firms,
    "weak_demand_suppliers": weak_demand_suppliers,
    "weak_single_source": weak_single_source,
    "chain_orgs": chain_orgs,
    "recommend_candidates": recommend_candidates,
    "recommend_substitutes": recommend_substitutes,
    "weak_choke_technologies": weak_choke_technologies,
    "chain_feeds": chain_feeds,
}


def projected_read(
    store: GraphStore, projection: Projection | None
) -> Callable[[str, Mapping[str, Any]], list[Row]]:
    """A ``read(name, params)`` answering the queries in ``PROJECTED`` from ``projection``
    (when given) and every other catalogue query from ``store``."""

    def read(name: str, params: Mapping[str, Any]) -> list[Row]:
        if projection is not None and name in PROJECTED:
            return PROJECTED[name](projection, params)
        return store.read(query(name), params)

    return read
