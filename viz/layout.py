"""Deterministic positions, computed in Python so the page draws with physics off.

vis-network's physics needs tens of seconds to settle a thousand nodes; fixed
positions draw 5,000 in about a second, and the same graph always looks the same.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

import networkx as nx


def spread(desired: Sequence[tuple[str, float]], gap: float) -> dict[str, float]:
    """Positions along one axis as close to ``desired`` as possible, at least ``gap`` apart.

    Items keep their order (by desired position, then as given); the result is
    shifted so that its centre matches the centre of the wishes.
    """
    if not desired:
        return {}
    order = sorted(range(len(desired)), key=lambda i: (desired[i][1], i))
    placed: list[float] = []
    for i in order:
        want = desired[i][1]
        placed.append(want if not placed else max(want, placed[-1] + gap))
    wished = sum(desired[i][1] for i in order) / len(order)
    shift = wished - sum(placed) / len(placed)
    return {desired[i][0]: p + shift for i, p in zip(order, placed, strict=True)}


def grid_columns(
    count: int,
    blocks: int,
    cell_w: float,
    cell_h: float,
    aspect: float = 1.6,
    lo: int = 2,
    hi: int = 24,
) -> int:
    """Columns for a block of ``count`` items, one of ``blocks`` side by side, so that
    the whole map is about ``aspect`` times as wide as it is tall (a screen's shape)."""
    wanted = math.sqrt(aspect * max(count, 1) * cell_h / (max(blocks, 1) * cell_w))
    return max(lo, min(hi, round(wanted)))


def grid_position(
    index: int, columns: int, left: float, top: float, cell_w: float, cell_h: float
) -> tuple[float, float]:
    """The centre of cell ``index`` in a block filled row by row."""
    row, col = divmod(index, columns)
    return left + (col + 0.5) * cell_w, top + row * cell_h


def fold_cap(sizes: Sequence[int], available: int) -> int:
    """The largest per-group cap k with sum(min(size, k)) <= available (at least 1)."""
    lo, hi = 1, max(sizes, default=1)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if sum(min(s, mid) for s in sizes) <= available:
            lo = mid
        else:
            hi = mid - 1
    return lo


def flow_levels(nodes: Sequence[str], links: Iterable[tuple[str, str]]) -> dict[str, int]:
    """Left-to-right level of each node: the longest upstream path to it.

    Nodes on a cycle share a level (the cycle is condensed first); ties keep
    the order of ``nodes``.
    """
    graph = nx.DiGraph()
    graph.add_nodes_from(nodes)
    graph.add_edges_from((a, b) for a, b in links if a in graph and b in graph and a != b)
    condensed = nx.condensation(graph)
    level: dict[int, int] = {}
    for scc in nx.topological_sort(condensed):
        preds = list(condensed.predecessors(scc))
        level[scc] = 1 + max(level[p] for p in preds) if preds else 0
    mapping: Mapping[str, int] = condensed.graph["mapping"]
    return {n: level[mapping[n]] for n in nodes}


# The map area of a 1400x900 window: the legend and title bar take the rest.
VIEW_W, VIEW_H = 1180.0, 780.0
MIN_PX = 12.0  # smallest text drawn at "fit" (vis hides smaller labels: drawThreshold)


def fit_scale(width: float, height: float) -> float:
    """The zoom at which vis-network's fit() shows a map of this extent in the map area."""
    return min(VIEW_W / max(width, 1.0), VIEW_H / max(height, 1.0), 1.0)


def readable_font(scale: float, lo: float = 12.0, hi: float = 40.0) -> float:
    """A label font (canvas units) that is at least MIN_PX on screen at ``scale``."""
    # vis fades labels between drawThreshold - 1 and drawThreshold + 1 px: aim above that.
    return max(lo, min(hi, (MIN_PX + 1.6) / max(scale, 1e-6)))
