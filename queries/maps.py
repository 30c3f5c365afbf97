"""The data behind the maps: run the ``map_*`` queries and return plain map graphs.

A ``MapGraph`` is engine-agnostic and knows nothing of drawing: nodes carry the
stored properties (provenance included) and a few computed attributes (which
segment an enterprise hangs off, how many hops an enterprise is from the focus);
``chainkg.viz`` lays them out and draws them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from chainkg.errors import InputError, NotFoundError, Problem
from chainkg.graph import ids
from chainkg.graph.catalog import query
from chainkg.graph.store import GraphStore, Row
from chainkg.queries.chains import resolve_chain

MapKind = Literal["chain", "cluster", "roster", "enterprise"]
PROVINCE = "河南省"
MAX_HOPS = 5
PROVENANCE_COLUMNS = ("source", "source_ref", "as_of", "loaded_at", "synthetic")


@dataclass(frozen=True)
class MapNode:
    """A node to draw: ``kind`` says what it is, ``props`` what the graph says about it.

    kind: province | person | cluster | chain | other_chain | segment | other_segment
          | enterprise | unit
    ``attrs`` holds what the map computed: ``segment`` (the segment an enterprise hangs
    off), ``segments`` (all of its segments), ``hop`` (signed distance from the focus,
    negative upstream), ``role`` (chief | general_chief | responsible | alliance_chair).
    """

    id: str
    kind: str
    name: str
    props: dict[str, Any] = field(default_factory=dict)
    attrs: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class MapEdge:
    """A directed link to draw, upstream to downstream (or superior to subordinate)."""

    source: str
    target: str
    kind: str
    props: dict[str, Any] = field(default_factory=dict)


@dataclass
class MapGraph:
    """What one map shows: its kind, title, nodes and edges; ``focus`` is the central node."""

    kind: MapKind
    title: str
    nodes: list[MapNode]
    edges: list[MapEdge]
    focus: str | None = None
    subtitle: str = ""
    truncated: int = 0
    ties: list[MapEdge] = field(default_factory=list)

    @property
    def synthetic(self) -> bool:
        """Whether any node is synthetic demo data (示例数据), or counts demo enterprises."""
        return any(
            n.props.get("synthetic") or n.props.get("synthetic_enterprises") for n in self.nodes
        )

    @property
    def data_date(self) -> str | None:
        """The latest date the drawn facts describe (their ``as_of``), ISO text; None if none."""
        dates = [str(n.props["as_of"]) for n in self.nodes if n.props.get("as_of")]
        return max(dates) if dates else None


def _pick(row: Row, columns: Iterable[str]) -> dict[str, Any]:
    return {c: row[c] for c in columns if c in row}


def _props(row: Row, *skip: str) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k not in skip}


def _choose(candidates: list[Row], text: str, what: str, command: str) -> Row:
    """The one row whose name or id matches ``text`` (exactly, else as the only substring match)."""
    wanted = ids.clean_name(text)
    for row in candidates:
        if wanted in (ids.clean_name(row["name"] or ""), row["id"]):
            return row
    partial = [r for r in candidates if wanted and wanted in ids.clean_name(r["name"] or "")]
    if len(partial) == 1:
        return partial[0]
    known = "、".join(r["name"] for r in (partial or candidates)[:40])
    if partial:
        raise InputError(
            [Problem(command, f"{what} {text!r} matches several: {known}")],
            hint=f"give the full {what} name",
        )
    if not candidates:
        raise NotFoundError(
            f"there is no {what} in the graph to draw", hint="load the roster and chains first"
        )
    raise NotFoundError(f"no {what} named {text!r}; known: {known}")


def find_chain(store: GraphStore, name: str) -> Row:
    """The chain ``name`` names (``queries.chains``: the one chain resolver)."""
    chain = resolve_chain(store, name)
    return next(r for r in store.read(query("map_chains")) if r["name"] == chain.name)


def find_cluster(store: GraphStore, name: str) -> Row:
    """The cluster called ``name`` (or its id, or a unique part of its name)."""
    return _choose(store.read(query("map_clusters")), name, "cluster", "chainkg map --cluster")


def chain_names(store: GraphStore) -> list[str]:
    """Names of all chains in roster order."""
    return [r["name"] for r in store.read(query("map_chains"))]


def chain_rows(store: GraphStore) -> list[Row]:
    """All chains in roster order: id, name, seq, future, cluster_id, cluster, provenance."""
    return store.read(query("map_chains"))


def cluster_rows(store: GraphStore) -> list[Row]:
    """All clusters in roster order: id, name, seq, provenance."""
    return store.read(query("map_clusters"))


def linked_orgs(store: GraphStore, limit: int) -> list[Row]:
    """Up to ``limit`` enterprises with supply links, leaders and the largest first."""
    if limit <= 0:
        return []
    return store.read(query("map_linked_orgs"), {"limit": limit})


def any_synthetic(store: GraphStore) -> bool:
    """Whether any organisation in the graph is synthetic demo data (示例数据)."""
    return bool(store.read(query("map_synthetic_orgs")))


# --- chain map ---------------------------------------------------------------------------


# The list kinds (清单) shown in a segment's panel: query name -> kind.
SEGMENT_LISTS = {
    "map_segment_projects": "project",
    "map_segment_platforms": "platform",
    "map_segment_technologies": "technology",
    "map_segment_targets": "target",
}


def assemble_chain_graph(
    chain: Row,
    segments: list[Row],
    enterprises: list[Row],
    feeds: list[Row],
    lists: list[Row] | None = None,
    supplies: list[Row] | None = None,
    problems: dict[str, Row] | None = None,
) -> MapGraph:
    """The chain map's graph from the rows of its queries (pure).

    An enterprise operating in several segments is one node, hung off the most
    upstream of them; ``attrs['segments']`` lists them all. ``lists`` are the list
    entries touching a segment (rows of the map_segment_* queries with a ``list`` kind
    added): each segment's ``attrs['lists']``. ``supplies`` are SUPPLIES rows; those
    between two of the chain's enterprises become ``ties`` (not drawn; the page shows
    a firm's own suppliers and customers from them). ``problems`` are the problem-ledger
    (问题台账) counts by segment id (``ledger.segment_problem_counts``): ``attrs['problems']``.
    """
    order = {s["id"]: i for i, s in enumerate(segments)}
    touching: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in lists or []:
        touching[row["segment_id"]].append(_props(row, "segment_id"))
    nodes = [
        MapNode(
            s["id"],
            "segment",
            s["name"],
            _props(s),
            {
                "order": order[s["id"]],
                "lists": touching.get(s["id"], []),
                "problems": (problems or {}).get(s["id"]),
            },
        )
        for s in segments
    ]
    by_org: dict[str, list[Row]] = defaultdict(list)
    for row in enterprises:
        by_org[row["id"]].append(row)
    for org_id in sorted(by_org):
        rows = sorted(by_org[org_id], key=lambda r: order.get(r["segment_id"], len(order)))
        first = rows[0]
        nodes.append(
            MapNode(
                org_id,
                "enterprise",
                first["name"] or org_id,
                _props(first, "segment_id", "inferred"),
                {
                    "segment": first["segment_id"],
                    "segments": [r["segment_id"] for r in rows],
                    "inferred": bool(first["inferred"]),
                },
            )
        )
    edges: list[MapEdge] = []
    others: dict[str, MapNode] = {}
    seen: set[tuple[str, str, str]] = set()
    for f in sorted(feeds, key=lambda r: (r["from_id"], r["to_id"], r["product"] or "")):
        key = (f["from_id"], f["to_id"], f["product"] or "")
        if key in seen:
            continue
        seen.add(key)
        for side in ("from", "to"):
            sid = f[f"{side}_id"]
            if sid not in order and sid not in others:
                others[sid] = MapNode(
                    sid,
                    "other_segment",
                    f[f"{side}_name"] or sid,
                    {"chain": f[f"{side}_chain"], "stage": f[f"{side}_stage"]},
                    {"direction": "in" if side == "from" else "out"},
                )
        edges.append(
            MapEdge(
                f["from_id"],
                f["to_id"],
                "FEEDS",
                _pick(f, ("product", "cross_chain", *PROVENANCE_COLUMNS)),
            )
        )
    nodes.extend(others[k] for k in sorted(others))
    subtitle = f"{chain['cluster']}集群" if chain.get("cluster") else ""
    graph = MapGraph("chain", chain["name"], nodes, edges, focus=chain["id"], subtitle=subtitle)
    graph.ties = supply_ties(supplies or [], set(by_org))
    return graph


def supply_ties(rows: Iterable[Row], members: set[str]) -> list[MapEdge]:
    """SUPPLIES rows between two of ``members``, one per (supplier, customer, product) (pure)."""
    seen: set[tuple[str, str, str]] = set()
    out = []
    for r in sorted(rows, key=lambda r: (r["from_id"], r["to_id"], r["product"] or "")):
        key = (r["from_id"], r["to_id"], r["product"] or "")
        if key in seen or r["from_id"] not in members or r["to_id"] not in members:
            continue
        seen.add(key)
        out.append(MapEdge(r["from_id"], r["to_id"], "SUPPLIES", _pick(r, ("product", "value"))))
    return out


def chain_graph(store: GraphStore, chain: str, today: dt.date | None = None) -> MapGraph:
    """The chain map's graph for the chain called ``chain``; ``today`` decides which open
    problems of the ledger are overdue (default: the current date).

    Every query takes its values as parameters (``params``), so a reading date (as_of)
    can be added in one place.
    """
    from chainkg.queries.ledger import segment_problem_counts

    row = find_chain(store, chain)
    params = {"chain_id": row["id"]}
    enterprises = store.read(query("map_chain_enterprises"), params)
    lists = [
        {**r, "list": kind}
        for name, kind in SEGMENT_LISTS.items()
        for r in store.read(query(name), params)
    ]
    org_ids = sorted({r["id"] for r in enterprises})
    supplies = store.read(query("map_org_customers"), {"ids": org_ids}) if org_ids else []
    return assemble_chain_graph(
        row,
        store.read(query("map_chain_segments"), params),
        enterprises,
        store.read(query("map_chain_feeds"), params),
        lists,
        supplies,
        segment_problem_counts(store, row["name"], today or dt.date.today()),
    )


# --- cluster map -------------------------------------------------------------------------


def assemble_cluster_graph(cluster: Row, chains: list[Row], links: list[Row]) -> MapGraph:
    """The cluster map's graph: its chains, chains of other clusters they trade with, and
    one edge per ordered pair of chains with the FEEDS links between them counted (pure)."""
    own = {c["id"] for c in chains}
    nodes = [
        MapNode(c["id"], "chain", c["name"], _props(c), {"order": i}) for i, c in enumerate(chains)
    ]
    pairs: dict[tuple[str, str], dict[str, Any]] = {}
    others: dict[str, MapNode] = {}
    for link in links:
        key = (link["from_chain_id"], link["to_chain_id"])
        agg = pairs.setdefault(key, {"feeds": 0, "products": set(), "synthetic": False})
        agg["feeds"] += 1
        if link["product"]:
            agg["products"].add(link["product"])
        agg["synthetic"] = agg["synthetic"] or bool(link["synthetic"])
        for side, direction in (("from", "in"), ("to", "out")):
            cid = link[f"{side}_chain_id"]
            if cid not in own and cid not in others:
                others[cid] = MapNode(
                    cid, "other_chain", link[f"{side}_chain"] or cid, {}, {"direction": direction}
                )
    # The UNION ALL query returns a link between two of the cluster's own chains twice.
    edges = []
    for (a, b), agg in sorted(pairs.items()):
        both_own = a in own and b in own
        feeds = agg["feeds"] // 2 if both_own else agg["feeds"]
        edges.append(
            MapEdge(
                a,
                b,
                "FEEDS",
                {
                    "feeds": feeds,
                    "products": sorted(agg["products"]),
                    "synthetic": agg["synthetic"],
                },
            )
        )
    nodes.extend(others[k] for k in sorted(others))
    return MapGraph("cluster", f"{cluster['name']}集群", nodes, edges, focus=cluster["id"])


def cluster_graph(store: GraphStore, cluster: str) -> MapGraph:
    """The cluster map's graph for the cluster called ``cluster``."""
    row = find_cluster(store, cluster)
    params = {"cluster_id": row["id"]}
    return assemble_cluster_graph(
        row,
        store.read(query("map_cluster_chains"), params),
        store.read(query("map_cluster_links"), params),
    )


# --- roster map --------------------------------------------------------------------------


def assemble_roster_graph(
    top: list[Row], clusters: list[Row], chains: list[Row], units: list[Row]
) -> MapGraph:
    """The 双长制 at a glance: 总群链长 -> 群链长 -> clusters -> chains -> units and chairs (pure)."""
    nodes: dict[str, MapNode] = {}
    edges: list[MapEdge] = []
    general = top[0] if top else None
    if general and general["chief_id"]:
        nodes[general["chief_id"]] = MapNode(
            general["chief_id"],
            "person",
            general["chief"],
            {"title": general["chief_title"], **_pick(general, PROVENANCE_COLUMNS)},
            {"role": "general_chief"},
        )
    for c in clusters:
        if c["id"] not in nodes:
            nodes[c["id"]] = MapNode(
                c["id"],
                "cluster",
                c["name"],
                _props(c, "chief_id", "chief", "chief_title", "chief_position"),
                {"order": c["seq"]},
            )
        if c["chief_id"]:
            if c["chief_id"] not in nodes:
                nodes[c["chief_id"]] = MapNode(
                    c["chief_id"],
                    "person",
                    c["chief"],
                    {"title": c["chief_title"]},
                    {"role": "chief"},
                )
            edges.append(MapEdge(c["chief_id"], c["id"], "CHIEF_OF"))
            if general and general["chief_id"] and c["chief_id"] != general["chief_id"]:
                edges.append(MapEdge(general["chief_id"], c["chief_id"], "LEADS"))
        elif general and general["chief_id"]:
            edges.append(MapEdge(general["chief_id"], c["id"], "LEADS"))
    for ch in chains:
        nodes[ch["id"]] = MapNode(
            ch["id"], "chain", ch["name"], _props(ch, "cluster_id"), {"order": ch["seq"]}
        )
        edges.append(MapEdge(ch["cluster_id"], ch["id"], "HAS_CHAIN"))
    for u in sorted(units, key=lambda r: (r["chain_id"], r["role"], r["position"] or 0)):
        node_id = f"{u['id']}#{u['role']}"
        if node_id not in nodes:
            nodes[node_id] = MapNode(
                node_id,
                "unit",
                u["name"],
                _props(u, "chain_id", "role", "position"),
                {"role": u["role"], "org_id": u["id"]},
            )
        edges.append(MapEdge(u["chain_id"], node_id, u["role"].upper()))
    edges = _dedupe(edges)
    province = general["name"] if general else PROVINCE
    return MapGraph(
        "roster",
        f"{province}重点产业链“双长制”",
        list(nodes.values()),
        edges,
        focus=general["chief_id"] if general else None,
    )


def edges_key(edge: MapEdge) -> tuple[str, str, str]:
    """The identity of an edge on a map: its ends and kind."""
    return (edge.source, edge.target, edge.kind)


def _dedupe(edges: list[MapEdge]) -> list[MapEdge]:
    seen: dict[tuple[str, str, str], MapEdge] = {}
    for e in edges:
        seen.setdefault(edges_key(e), e)
    return list(seen.values())


def roster_graph(store: GraphStore, province: str = PROVINCE) -> MapGraph:
    """The roster map's graph; NotFoundError if no roster was loaded."""
    params = {"province_id": ids.province_id(province)}
    clusters = store.read(query("map_roster_clusters"), params)
    if not clusters:
        raise NotFoundError(
            f"the 双长制 roster of {province} is not in the graph at {store.location}",
            hint="load it first: chainkg load roster",
        )
    return assemble_roster_graph(
        store.read(query("map_roster_top"), params),
        clusters,
        store.read(query("map_roster_chains"), params),
        store.read(query("map_roster_units"), params),
    )


# --- enterprise map ----------------------------------------------------------------------


def find_organization(store: GraphStore, text: str) -> Row:
    """The organisation whose 统一社会信用代码, name or id is ``text`` (or whose name alone contains it)."""
    rows = store.read(query("map_org_find"), {"text": text.strip()})
    exact = [r for r in rows if r["exact"]]
    if len(exact) == 1 or (len(rows) == 1):
        return (exact or rows)[0]
    if not rows:
        raise NotFoundError(
            f"no organisation has the name or 统一社会信用代码 {text!r}",
            hint="check the spelling, or search for part of the name",
        )
    shown = "、".join(f"{r['name']}（{r['uscc'] or '无代码'}）" for r in (exact or rows)[:20])
    raise InputError(
        [Problem("chainkg map --org", f"{text!r} matches several organisations: {shown}")],
        hint="give the 统一社会信用代码 or the full name",
    )


def assemble_org_graph(
    focus: str, hops: dict[str, int], details: list[Row], links: list[Row], truncated: int = 0
) -> MapGraph:
    """The enterprise map's graph: organisations at signed hop distances and SUPPLIES between
    them (pure). ``details`` has one row per organisation and segment."""
    by_org: dict[str, list[Row]] = defaultdict(list)
    for row in details:
        by_org[row["id"]].append(row)
    nodes = []
    for org_id in sorted(hops, key=lambda i: (hops[i], i)):
        rows = by_org.get(org_id)
        if not rows:
            continue
        first = rows[0]
        segs = sorted(
            {(r["chain"], r["segment"], r["stage"]) for r in rows if r["segment"]},
            key=lambda t: tuple(x or "" for x in t),
        )
        nodes.append(
            MapNode(
                org_id,
                "enterprise",
                first["name"] or org_id,
                _props(first, "segment", "chain", "stage"),
                {
                    "hop": hops[org_id],
                    "segments": [{"chain": c, "segment": s, "stage": st} for c, s, st in segs],
                },
            )
        )
    present = {n.id for n in nodes}
    seen: set[tuple[str, str, str]] = set()
    edges = []
    for link in sorted(links, key=lambda r: (r["from_id"], r["to_id"], r["product"] or "")):
        key = (link["from_id"], link["to_id"], link["product"] or "")
        if key in seen or link["from_id"] not in present or link["to_id"] not in present:
            continue
        seen.add(key)
        edges.append(
            MapEdge(
                link["from_id"],
                link["to_id"],
                "SUPPLIES",
                _pick(link, ("product", "value", *PROVENANCE_COLUMNS)),
            )
        )
    name = next((n.name for n in nodes if n.id == focus), focus)
    return MapGraph("enterprise", f"{name} 上下游", nodes, edges, focus=focus, truncated=truncated)


def org_graph(store: GraphStore, org: str, hops: int = 2, budget: int = 1_500) -> MapGraph:
    """The SUPPLIES neighbourhood of an organisation, ``hops`` steps up- and downstream.

    Walks one step per query (suppliers upstream, customers downstream) so the depth is
    a parameter on every engine; stops adding organisations at ``budget`` and reports
    how many it left out in ``truncated``.
    """
    if not 1 <= hops <= MAX_HOPS:
        raise InputError(
            [Problem("chainkg map --hops", f"{hops} hops is out of range")],
            hint=f"give 1 to {MAX_HOPS} hops",
        )
    root = find_organization(store, org)
    focus = root["id"]
    dist: dict[str, int] = {focus: 0}
    links: list[Row] = []
    truncated = 0
    for direction, name, end in (
        (-1, "map_org_suppliers", "from_id"),
        (1, "map_org_customers", "to_id"),
    ):
        frontier = [focus]
        for step in range(1, hops + 1):
            if not frontier:
                break
            rows = store.read(query(name), {"ids": frontier})
            links.extend(rows)
            nxt = []
            for r in sorted(rows, key=lambda r: r[end]):
                other = r[end]
                if other in dist:
                    continue
                if len(dist) >= budget:
                    truncated += 1
                    dist[other] = None  # type: ignore[assignment]  # seen, left out
                    continue
                dist[other] = direction * step
                nxt.append(other)
            frontier = nxt
    kept = {k: v for k, v in dist.items() if v is not None}
    details = store.read(query("map_org_details"), {"ids": sorted(kept)})
    return assemble_org_graph(focus, kept, details, links, truncated)
