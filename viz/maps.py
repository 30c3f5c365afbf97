"""The four maps as HTML pages: chain, cluster, roster (双长制) and enterprise neighbourhood.

Each ``*_map_html`` function reads the graph through ``chainkg.queries.maps`` and
returns one self-contained page; ``write_map`` saves it as UTF-8; ``write_map_set``
writes every map as a linked set with an index page (roster -> cluster -> chain ->
enterprise) that works from file:// with no server.

Links between maps come from a ``Linker``: given what to link to (``"roster"``,
``"cluster"``, ``"chain"`` or ``"org"``) and its name or id, it returns the address of
that map, or None when there is none (the page then shows no link). The file set links
relative file names; the API links its own routes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from chainkg.graph.store import GraphStore
from chainkg.queries import maps as data
from chainkg.viz.page import render_page, write_page
from chainkg.viz.view import (
    DEFAULT_BUDGET,
    ORG_BUDGET,
    MapView,
    chain_view,
    cluster_view,
    enterprise_view,
    roster_view,
)

StatusSource = Callable[[GraphStore, str], Mapping[str, Any]]
Linker = Callable[[str, str], str | None]

LINKED_KINDS = {"chain": "chain", "other_chain": "chain", "cluster": "cluster", "enterprise": "org"}


def no_links(kind: str, key: str) -> str | None:
    """The linker of a lone map: no links."""
    return None


def _link_nodes(records: Iterable[dict[str, Any]], linker: Linker) -> None:
    for r in records:
        kind = LINKED_KINDS.get(r.get("kind", ""))
        if r.get("kind") == "other_segment" and r.get("chain"):
            href = linker("chain", r["chain"])
        elif kind == "org":
            href = linker("org", r["id"])
        elif kind:
            href = linker(kind, r["name"])
        else:
            href = None
        if href:
            r["href"] = href


def _finish(
    view: MapView,
    graph: data.MapGraph,
    filename: str,
    linker: Linker = no_links,
    trail: list[tuple[str, str]] | None = None,
) -> str:
    view.meta.update(
        kind=graph.kind,
        title=graph.title,
        subtitle=graph.subtitle,
        synthetic=graph.synthetic,
        filename=filename,
        data_date=graph.data_date,
    )
    _link_nodes(view.nodes, linker)
    for fold in view.folds.values():
        _link_nodes(fold["nodes"], linker)
    crumbs = [("索引", linker("index", "")), *(trail or [])]
    view.meta["trail"] = [[label, href] for label, href in crumbs if href]
    if graph.truncated:
        view.meta["notice"] = f"节点过多，另有 {graph.truncated} 家企业未显示（可减少 --hops）"
        view.meta["truncated"] = graph.truncated  # counted in "显示 N / 共 M 家企业"
    return render_page(view)


def safe_filename(text: str) -> str:
    """A file-name stem from a Chinese name: keeps letters (any script) and digits."""
    return re.sub(r"[^\w\-]+", "_", text).strip("_") or "map"


def _crumb(linker: Linker, kind: str, key: str, label: str) -> list[tuple[str, str]]:
    href = linker(kind, key)
    return [(label, href)] if href else []


def chain_map_html(
    store: GraphStore,
    chain: str,
    statuses: Mapping[str, Any] | None = None,
    budget: int = DEFAULT_BUDGET,
    linker: Linker = no_links,
) -> str:
    """The chain map page. ``statuses`` maps segment id -> finding: a status word (missing |
    weak | dependent | ok) or a finding dict (``segment_findings``) whose reasons, metrics
    and 补链 candidates show in the segment panel; segments left out are 未评估."""
    graph = data.chain_graph(store, chain)
    cluster = graph.subtitle.removesuffix("集群")
    trail = _crumb(linker, "roster", "", "双长制") + (
        _crumb(linker, "cluster", cluster, graph.subtitle) if cluster else []
    )
    view = chain_view(graph, statuses, budget)
    return _finish(view, graph, safe_filename(graph.title), linker, trail)


def cluster_map_html(store: GraphStore, cluster: str, linker: Linker = no_links) -> str:
    """The cluster map page: its chains and the links between them."""
    graph = data.cluster_graph(store, cluster)
    trail = _crumb(linker, "roster", "", "双长制")
    return _finish(cluster_view(graph), graph, safe_filename(graph.title), linker, trail)


def roster_map_html(store: GraphStore, linker: Linker = no_links) -> str:
    """The 双长制 roster map page."""
    graph = data.roster_graph(store)
    return _finish(roster_view(graph), graph, "双长制", linker)


def enterprise_map_html(
    store: GraphStore,
    org: str,
    hops: int = 2,
    budget: int = ORG_BUDGET,
    linker: Linker = no_links,
) -> str:
    """The enterprise map page: an organisation's suppliers and customers, ``hops`` deep."""
    graph = data.org_graph(store, org, hops, budget)
    focus = next((n for n in graph.nodes if n.id == graph.focus), None)
    chains = sorted({s["chain"] for s in (focus.attrs.get("segments", []) if focus else [])})
    trail = _crumb(linker, "roster", "", "双长制")
    for name in chains:
        trail += _crumb(linker, "chain", name, name)
    view = enterprise_view(graph)
    return _finish(view, graph, safe_filename(graph.title), linker, trail)


def write_map(html: str, path: Path | str) -> Path:
    """Save a map page as UTF-8; returns the path written."""
    return write_page(html, path)


def segment_findings(store: GraphStore, chain: str) -> dict[str, dict[str, Any]]:
    """Each segment's weak-link finding from ``chainkg.queries.findings`` by segment id, with
    its 补链 recommendation (``recommendation``) where there is one; empty (all drawn as
    未评估) when that module is not installed."""
    try:
        from chainkg.queries import findings
    except ImportError:
        return {}
    report = findings.weak_links(store, findings.resolve_chains(store, chain))
    out: dict[str, dict[str, Any]] = {}
    for entry in report["chains"]:
        recs = {r["segment_id"]: r for r in entry.get("recommendations", [])}
        for seg in entry["segments"]:
            sid = seg["evidence"]["segment_id"]
            out[sid] = {**seg, "recommendation": recs.get(sid)}
    return out


def findings_statuses(store: GraphStore, chain: str) -> Mapping[str, str]:
    """Each segment's weak-link status (缺链/断链/弱链/正常) by segment id."""
    return {sid: f["status"] for sid, f in segment_findings(store, chain).items()}


def write_demo_maps(
    store: GraphStore,
    out_dir: Path | str,
    statuses: StatusSource | None = segment_findings,
    budget: int = DEFAULT_BUDGET,
) -> list[Path]:
    """Write the roster map and one map per chain into ``out_dir``; returns the files written.

    File names: ``00-双长制.html``, then ``NN-<chain name>.html`` in roster order.
    """
    out = Path(out_dir)
    written = [write_map(roster_map_html(store), out / "00-双长制.html")]
    for i, name in enumerate(data.chain_names(store), start=1):
        found = statuses(store, name) if statuses else {}
        html = chain_map_html(store, name, found, budget)
        written.append(write_map(html, out / f"{i:02d}-{safe_filename(name)}.html"))
    return written
