"""The four maps as HTML pages: chain, cluster, roster (双长制) and enterprise neighbourhood.

Each ``*_map_html`` function reads the graph through ``chainkg.queries.maps`` and
returns one self-contained page; ``write_map`` saves it as UTF-8.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path

from chainkg.graph.store import GraphStore
from chainkg.queries import maps as data
from chainkg.viz.page import render_page, write_page
from chainkg.viz.view import (
    DEFAULT_BUDGET,
    MapView,
    chain_view,
    cluster_view,
    enterprise_view,
    roster_view,
)

StatusSource = Callable[[GraphStore, str], Mapping[str, str]]


def _finish(view: MapView, graph: data.MapGraph, filename: str) -> str:
    view.meta.update(
        kind=graph.kind,
        title=graph.title,
        subtitle=graph.subtitle,
        synthetic=graph.synthetic,
        filename=filename,
    )
    if graph.truncated:
        view.meta["notice"] = f"节点过多，另有 {graph.truncated} 家企业未显示（可减少 --hops）"
    return render_page(view)


def safe_filename(text: str) -> str:
    """A file-name stem from a Chinese name: keeps letters (any script) and digits."""
    return re.sub(r"[^\w\-]+", "_", text).strip("_") or "map"


def chain_map_html(
    store: GraphStore,
    chain: str,
    statuses: Mapping[str, str] | None = None,
    budget: int = DEFAULT_BUDGET,
) -> str:
    """The chain map page. ``statuses`` maps segment id -> finding (missing | weak |
    dependent | ok); segments it leaves out are drawn grey as 未评估."""
    graph = data.chain_graph(store, chain)
    return _finish(chain_view(graph, statuses, budget), graph, safe_filename(graph.title))


def cluster_map_html(store: GraphStore, cluster: str) -> str:
    """The cluster map page: its chains and the links between them."""
    graph = data.cluster_graph(store, cluster)
    return _finish(cluster_view(graph), graph, safe_filename(graph.title))


def roster_map_html(store: GraphStore) -> str:
    """The 双长制 roster map page."""
    graph = data.roster_graph(store)
    return _finish(roster_view(graph), graph, "双长制")


def enterprise_map_html(
    store: GraphStore, org: str, hops: int = 2, budget: int = DEFAULT_BUDGET
) -> str:
    """The enterprise map page: an organisation's suppliers and customers, ``hops`` deep."""
    graph = data.org_graph(store, org, hops, budget)
    return _finish(enterprise_view(graph), graph, safe_filename(graph.title))


def write_map(html: str, path: Path | str) -> Path:
    """Save a map page as UTF-8; returns the path written."""
    return write_page(html, path)


def findings_statuses(store: GraphStore, chain: str) -> Mapping[str, str]:
    """Each segment's weak-link finding (缺链/断链/弱链/正常) from ``chainkg.queries.findings``,
    by segment id; empty (all drawn as 未评估) when that module is not installed."""
    try:
        from chainkg.queries import findings
    except ImportError:
        return {}
    report = findings.weak_links(store, findings.resolve_chains(store, chain))
    return {
        seg["evidence"]["segment_id"]: seg["status"]
        for entry in report["chains"]
        for seg in entry["segments"]
    }


def write_demo_maps(
    store: GraphStore,
    out_dir: Path | str,
    statuses: StatusSource | None = findings_statuses,
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
