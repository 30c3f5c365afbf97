"""From a MapGraph to what the page draws: vis-network node and edge records with fixed
positions, the folded enterprises, the legend and the filters (pure, no I/O).

Every string taken from the data stays a plain value here; the page shows it as
canvas text or DOM text, never as HTML.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from chainkg.queries.maps import MapEdge, MapGraph, MapNode
from chainkg.viz import style
from chainkg.viz.layout import (
    MIN_PX,
    fit_scale,
    flow_levels,
    fold_cap,
    grid_columns,
    grid_position,
    readable_font,
    spread,
)
from chainkg.viz.search import initials

# Nodes a chain map draws at first: beyond it each segment shows its leaders and largest
# firms and folds the rest into "+N 家", unfolded by a click or by zooming in on it. 300
# keeps a 5,000-firm map's start-up under 0.5 s of main-thread CPU (bench/map_bench.py);
# at "fit" the folded firms would be dots too small to tell apart anyway.
DEFAULT_BUDGET = 300
# Nodes an enterprise map fetches (it does not fold: beyond it the map says how many are missing).
ORG_BUDGET = 1_500

# Chain map geometry (vis-network canvas units).
CELL_W, CELL_H = 132.0, 74.0
BLOCK_GAP = 70.0
MIN_BLOCK_W = 220.0
LABEL_CHARS = 10


@dataclass
class MapView:
    """Everything the page needs, as JSON-ready data."""

    meta: dict[str, Any]
    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    folds: dict[str, dict[str, Any]] = field(default_factory=dict)
    legend: list[dict[str, Any]] = field(default_factory=list)
    filters: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)  # more top-level page data (ties)


# --- facts shown in the detail panel -----------------------------------------------------


def _text(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return style.yes_no(value)
    if isinstance(value, float):
        return style.number(value, 0 if value.is_integer() else 2)
    if isinstance(value, int):
        return style.number(value)
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return "" if value is None else str(value)


def _facts(pairs: list[tuple[str, Any]]) -> list[list[str]]:
    return [[k, _text(v)] for k, v in pairs if v is not None and v != "" and v != []]


REGISTRY_MARK = "〔登记〕"
REGISTRY_TEXT = "产业链登记表所列（非通知所列）"


def _registry_marked(record: dict, props: Mapping[str, Any]) -> dict:
    """Mark a chain of the chains registry (产业链登记表): it is not one the notice lists."""
    if props.get("origin") != "registry":
        return record
    first, *rest = record["label"].split("\n", 1)
    record["label"] = "\n".join([first + REGISTRY_MARK, *rest])
    record["cat"] = "registry"
    record["color"] = style.color("#ffffff", style.OKABE_ITO["green"])
    record["font"] = {**record.get("font", {}), "color": style.OKABE_ITO["green"]}
    record["shapeProperties"] = {"borderDashes": [2, 3]}
    record["facts"] += _facts(
        [
            ("来源", REGISTRY_TEXT),
            ("状态", props.get("status")),
            ("地市", props.get("city")),
            ("认定依据", props.get("basis")),
        ]
    )
    return record


def _registry_legend(graph: MapGraph) -> list[dict]:
    """The legend row of registry chains, when the map has any."""
    if not any(n.kind == "chain" and n.props.get("origin") == "registry" for n in graph.nodes):
        return []
    return [
        style.legend_entry(
            "registry", REGISTRY_TEXT, "#ffffff", "box", border=style.OKABE_ITO["green"]
        )
    ]


def provenance(props: Mapping[str, Any]) -> list[list[str]]:
    """Where a fact came from, as label/value pairs for the detail panel."""
    pairs = [
        ("来源", props.get("source")),
        ("出处", props.get("source_ref")),
        ("数据日期", props.get("as_of")),
        ("载入时间", props.get("loaded_at")),
    ]
    if props.get("synthetic"):
        pairs.append(("示例数据", "是（生成的演示数据，非真实企业）"))
    return _facts(pairs)


def _flags(props: Mapping[str, Any]) -> list[str]:
    flags = [f for f in ("leader", "specialized", "listed") if props.get(f)]
    if props.get("in_province") is False:
        flags.append("outside")
    return flags


def _enterprise_cat(props: Mapping[str, Any]) -> str:
    if props.get("leader"):
        return "leader"
    return "outside" if props.get("in_province") is False else "local"


def _enterprise_facts(node: MapNode, segment_names: list[str]) -> list[list[str]]:
    p = node.props
    place = None if p.get("in_province") is None else ("省内" if p["in_province"] else "省外")
    return _facts(
        [
            ("名称", node.name),
            ("统一社会信用代码", p.get("uscc")),
            ("类型", style.org_kind(p.get("kind"))),
            ("所在地市", p.get("city")),
            ("省内/省外", place),
            ("营业收入（万元）", p.get("revenue")),
            ("从业人数", p.get("employees")),
            ("龙头企业", p.get("leader")),
            ("专精特新", p.get("specialized")),
            ("上市", p.get("listed")),
            ("行业代码", p.get("industry_code")),
            ("所属环节", segment_names),
            ("归入方式", "按行业代码推断" if node.attrs.get("inferred") else None),
        ]
    )


def _enterprise_record(node: MapNode, max_revenue: float, segment_names: list[str]) -> dict:
    p = node.props
    revenue = p.get("revenue") or 0.0
    size = 6 + 14 * math.sqrt(revenue / max_revenue) if max_revenue > 0 else 8
    cat = _enterprise_cat(p)
    outside = p.get("in_province") is False
    if p.get("leader"):
        look = style.color(style.OKABE_ITO["yellow"], style.LEADER_BORDER)
    elif outside:
        look = style.color(style.OUTSIDE, style.OUTSIDE_BORDER)
    else:
        look = style.color(style.LOCAL)
    record = {
        "id": node.id,
        "label": style.truncate(style.short_name(node.name), LABEL_CHARS),
        "shape": "star" if p.get("leader") else "dot",
        "size": round(size, 1),
        "color": look,
        "borderWidth": 2 if p.get("leader") or outside else 1,
        "kind": "enterprise",
        "cat": cat,
        "name": node.name,
        "uscc": p.get("uscc") or "",
        "city": p.get("city") or "",
        "flags": _flags(p),
        "facts": _enterprise_facts(node, segment_names),
        "prov": provenance(p),
        # for the enterprise table and search: raw revenue, 省内 (1) / 省外 (0) / unknown
        # (null), placed by industry code, pinyin initials
        "rev": p.get("revenue"),
        "local": None if p.get("in_province") is None else int(bool(p["in_province"])),
        "inf": int(bool(node.attrs.get("inferred"))),
        "py": initials(node.name),
    }
    return record


# --- chain map ---------------------------------------------------------------------------


def _enterprise_order(node: MapNode) -> tuple:
    p = node.props
    return (not p.get("leader"), -(p.get("revenue") or 0.0), node.name, node.id)


LIST_KINDS = {"project": "项目", "platform": "平台", "technology": "技术", "target": "招商目标"}
SMALL_BLOCK = 12  # a segment with at most this many firms shows them in one column


def _list_entry(row: Mapping[str, Any]) -> dict[str, Any]:
    """A list entry (清单) touching a segment, for its panel: kind, name, details."""
    kind = row.get("list", "")
    if kind == "project":
        parts = [row.get("status"), row.get("city")]
        if row.get("investment") is not None:
            parts.append(f"总投资 {style.number(row['investment'])} 万元")
    elif kind == "platform":
        parts = [row.get("level"), row.get("kind"), row.get("city")]
    elif kind == "technology":
        parts = [row.get("status"), row.get("holder") and f"承担单位 {row['holder']}"]
    else:
        parts = [row.get("priority"), row.get("origin"), row.get("status"), row.get("reason")]
    return {
        "kind": LIST_KINDS.get(kind, kind),
        "name": row.get("name") or row.get("id") or "",
        "info": " · ".join(str(x) for x in parts if x not in (None, "")),
        "choke": bool(row.get("choke")),
        "synthetic": bool(row.get("synthetic")),
    }


def finding_payload(finding: str | Mapping[str, Any] | None) -> dict[str, Any]:
    """What a segment's panel shows of its weak-link finding (JSON-ready, generic).

    ``finding`` is a status word or a finding of ``chainkg.queries.findings`` (optionally
    with its ``recommendation``). Every key of the finding is passed on except the bulky
    ``evidence``: the page renders reasons, severity and whatever else the report carries
    without knowing their names in advance.
    """
    if finding is None:
        return {"status": "unknown"}
    if isinstance(finding, str):
        return {"status": finding}
    out = {k: v for k, v in finding.items() if k not in ("evidence", "name", "stage")}
    out["status"] = finding.get("status") or "unknown"
    return out


def _status(finding: str | Mapping[str, Any] | None) -> str:
    status = finding if isinstance(finding, str) else (finding or {}).get("status")
    return status if status in style.STATUSES else "unknown"


def chain_view(
    graph: MapGraph,
    statuses: Mapping[str, str | Mapping[str, Any]] | None = None,
    budget: int = DEFAULT_BUDGET,
) -> MapView:
    """The chain map: segments left to right, enterprises in a block under their segment,
    other chains' segments above, enterprises beyond the node budget folded into "+N 家".

    ``statuses`` maps segment id to its finding: a status word, or a finding dict of
    ``chainkg.queries.findings`` (its reasons, metrics and 补链 candidates show in the
    segment's panel).
    """
    statuses = statuses or {}
    segments = [n for n in graph.nodes if n.kind == "segment"]
    enterprises = [n for n in graph.nodes if n.kind == "enterprise"]
    others = [n for n in graph.nodes if n.kind == "other_segment"]
    seg_names = {s.id: s.name for s in segments}
    members: dict[str, list[MapNode]] = defaultdict(list)
    for e in enterprises:
        members[e.attrs["segment"]].append(e)
    for block in members.values():
        block.sort(key=_enterprise_order)

    stages_present = [
        st for st in style.STAGES if any(s.props.get("stage") == st for s in segments)
    ]
    fixed = len(segments) + len(others) + len(stages_present)
    sizes = [len(members[s.id]) for s in segments]
    if fixed + len(enterprises) <= budget:
        cap = max(sizes, default=0)
    else:
        cap = fold_cap(sizes, max(budget - fixed - len(segments), len(segments)))
    max_revenue = max((e.props.get("revenue") or 0.0 for e in enterprises), default=0.0)

    def shown(seg: MapNode) -> int:  # drawn cells: the firms under the cap, and the fold
        n = len(members[seg.id])
        return min(n, cap) + (1 if n > cap else 0)

    grid = {
        s.id: 1
        if shown(s) <= SMALL_BLOCK
        else grid_columns(shown(s), len(segments), CELL_W, CELL_H)
        for s in segments
    }
    widths = {k: max(c * CELL_W, MIN_BLOCK_W) for k, c in grid.items()}
    rows = max((math.ceil(shown(s) / grid[s.id]) for s in segments), default=0)
    # Text must stay legible when the map is zoomed out to fit a 1400x900 window: fonts
    # grow with the map (vis hides labels smaller than 12 px on screen).
    total_width = sum(widths.values()) + BLOCK_GAP * max(len(widths) - 1, 0)
    font = max(22.0, min(110.0, total_width / 90))
    for _ in range(2):  # the height depends on the font, the font on the zoom
        grid_top = max(120.0, font * 3.4)
        top = (external_y(font) - font * 2.4) if others else -font * 4.0
        height = grid_top + rows * CELL_H - top
        scale = fit_scale(total_width + 2 * font, height)
        font = max(font, readable_font(scale, 22.0, 160.0))
    grid_top = max(120.0, font * 3.4)
    small = readable_font(scale, 14.0, 160.0)  # the smallest text that is still 12 px at fit
    ent_font = readable_font(scale, 12.0, 24.0)
    spacing = (
        min((CELL_W if grid[s.id] > 1 else widths[s.id] + BLOCK_GAP) for s in segments)
        if segments
        else CELL_W
    )
    if LABEL_CHARS * ent_font > spacing:  # labels would overlap: small, drawn when zoomed in
        ent_font = 12.0

    nodes: list[dict] = []
    folds: dict[str, dict] = {}
    fold_of: dict[str, str] = {}
    left = 0.0
    seg_x: dict[str, float] = {}
    extents: dict[str, tuple[float, float]] = {}
    for seg in segments:
        block = members[seg.id]
        columns = grid[seg.id]
        width = widths[seg.id]
        seg_x[seg.id] = left + width / 2
        extents[seg.id] = (left, left + width)
        grid_left = left + (width - columns * CELL_W) / 2
        finding = statuses.get(seg.id)
        status = _status(finding)
        label, fill, border, ink = style.STATUS_LOOK[status]
        stage = seg.props.get("stage") or ""
        local = sum(1 for e in block if e.props.get("in_province") is not False)
        leaders = sum(1 for e in block if e.props.get("leader"))
        nodes.append(
            {
                "id": seg.id,
                "label": style.truncate(seg.name, 12),
                "x": seg_x[seg.id],
                "y": 0.0,
                "shape": "box",
                "color": style.color(fill, border),
                "borderWidth": 2,
                "font": {"color": ink, "size": round(font)},
                "margin": 14,
                "widthConstraint": {"maximum": width - 10},
                "kind": "segment",
                "cat": f"status:{status}",
                "name": seg.name,
                "stage": stage,
                "status": status,
                "finding": finding_payload(finding),
                "lists": [_list_entry(r) for r in seg.attrs.get("lists", [])],
                "problems": seg.attrs.get("problems") or {"total": 0, "open": 0, "overdue": 0},
                "facts": _facts(
                    [
                        ("环节", seg.name),
                        ("所属产业链", graph.title),
                        ("阶段", style.STAGES.get(stage, stage)),
                        ("评估", label),
                        ("企业数", len(block)),
                        ("省内企业数", local),
                        ("龙头企业数", leaders),
                        ("说明", seg.props.get("description")),
                        ("行业代码", seg.props.get("industry_codes")),
                    ]
                ),
                "prov": provenance(seg.props),
            }
        )
        fold_id = f"fold:{seg.id}"
        for i, ent in enumerate(block):
            x, y = grid_position(i, columns, grid_left, grid_top, CELL_W, CELL_H)
            names = [seg_names[s] for s in ent.attrs.get("segments", []) if s in seg_names]
            record = _enterprise_record(ent, max_revenue, names)
            record.update(x=x, y=y, stage=stage, status=status, anchor=seg.id, seg=seg.name)
            record["font"] = {"size": round(ent_font)}
            if i < cap:
                nodes.append(record)
            else:
                record["fold"] = fold_id
                fold_of[ent.id] = fold_id
                folds.setdefault(fold_id, {"nodes": [], "edges": []})["nodes"].append(record)
        if fold_id in folds:
            hidden = len(folds[fold_id]["nodes"])
            x, y = grid_position(cap, columns, grid_left, grid_top, CELL_W, CELL_H)
            nodes.append(
                {
                    "id": fold_id,
                    "label": f"+{hidden} 家",
                    "x": x,
                    "y": y,
                    "shape": "box",
                    "color": style.color("#f1f3f5", "#555555"),
                    "font": {"color": "#212529", "size": round(max(small, font * 0.5))},
                    "shapeProperties": {"borderDashes": [4, 3]},
                    "kind": "fold",
                    "cat": "fold",
                    "name": f"{seg.name}：另有 {hidden} 家企业",
                    "stage": stage,
                    "status": status,
                    "anchor": seg.id,
                    "facts": [["说明", f"为保持流畅，{hidden} 家企业已折叠；点击展开"]],
                    "prov": [],
                }
            )
        left += width + BLOCK_GAP

    nodes.extend(_external_segments(others, graph.edges, seg_x, font, max(small, font * 0.7)))
    heading_y = external_y(font) - max(120.0, font * 2.2) if others else -max(110.0, font * 2.6)
    bottom = grid_top + max(rows - 1, 0) * CELL_H + CELL_H * 0.8
    bands = []
    for st in stages_present:
        mine = [s for s in segments if s.props.get("stage") == st]
        xs = [seg_x[s.id] for s in mine]
        nodes.append(
            {
                "id": f"stage:{st}",
                "label": style.STAGES[st],
                "x": sum(xs) / len(xs),
                "y": heading_y,
                "shape": "text",
                "font": {"size": round(font * 1.25), "color": "#343a40"},
                "kind": "heading",
                "cat": "heading",
                "name": style.STAGES[st],
                "facts": [],
                "prov": [],
            }
        )
        bands.append(
            {
                "stage": st,
                "label": style.STAGES[st],
                "x0": round(min(extents[s.id][0] for s in mine) - BLOCK_GAP * 0.4),
                "x1": round(max(extents[s.id][1] for s in mine) + BLOCK_GAP * 0.4),
                "y0": round(heading_y - font * 1.2),
                "y1": round(bottom),
                "color": style.STAGE_BANDS[st],
            }
        )

    order = {s.id: i for i, s in enumerate(segments)}
    edges = [
        _feeds_edge(i, e, order, font, max(small, font * 0.6))
        for i, e in enumerate(graph.edges)
        if e.kind == "FEEDS"
    ]
    for ent in enterprises:  # extra segments of a multi-segment enterprise: dashed links
        for extra in ent.attrs.get("segments", [])[1:]:
            edge = {
                "id": f"m{len(edges)}",
                "from": extra,
                "to": ent.id,
                "dashes": True,
                "color": {"color": "#ced4da"},
                "arrows": "",
                "flow": False,
            }
            fold = fold_of.get(ent.id)
            if fold:
                folds[fold]["edges"].append(edge)
            else:
                edges.append(edge)

    legend = [
        style.legend_entry(f"status:{k}", label, fill, "box", border=border)
        for k, (label, fill, border, _ink) in style.STATUS_LOOK.items()
    ]
    legend += style.ENTERPRISE_LEGEND
    if folds:
        legend.append(
            style.legend_entry("fold", "折叠的企业（点击展开）", "#f1f3f5", "box", border="#555555")
        )
    if others:
        legend.append(
            style.legend_entry(
                "other", "其他产业链的环节", style.OTHER_FILL, "box", border=style.OTHER_BORDER
            )
        )
    cities = sorted({e.props.get("city") for e in enterprises if e.props.get("city")})
    filters = {
        "stage": [[k, style.STAGES[k]] for k in stages_present],
        "status": [[k, v[0]] for k, v in style.STATUSES.items()],
        "city": [[c, c] for c in cities],
        "flags": [[k, v] for k, v in style.FLAGS.items()],
    }
    meta = {
        "counts": {
            "segments": len(segments),
            "enterprises": len(enterprises),
            "folded": sum(len(f["nodes"]) for f in folds.values()),
            "other_segments": len(others),
        },
        "bands": bands,
        "min_px": MIN_PX,
        # folds in view unfold by themselves from the zoom at which firm names are legible
        "unfold_scale": round(MIN_PX / ent_font, 3),
    }
    view = MapView(meta, nodes, edges, folds, legend, filters)
    view.extra["ties"] = [
        [t.source, t.target, t.props.get("product") or "", t.props.get("value")] for t in graph.ties
    ]
    return view


def external_y(font: float) -> float:
    """Height of the row of other chains' segments, above the segment row."""
    return -max(230.0, font * 4.0)


def _external_segments(
    others: list[MapNode],
    edges: list[MapEdge],
    seg_x: Mapping[str, float],
    font: float,
    label_font: float,
) -> list[dict]:
    """Other chains' segments in a row above the segment they feed or are fed by."""
    wishes: list[tuple[str, float]] = []
    for node in others:
        linked = [
            (e.target if e.source == node.id else e.source)
            for e in edges
            if node.id in (e.source, e.target)
        ]
        xs = [seg_x[s] for s in linked if s in seg_x]
        wishes.append((node.id, sum(xs) / len(xs) if xs else 0.0))
    xs = spread(wishes, max(font * 10, label_font * 13))
    records = []
    for node in others:
        chain = node.props.get("chain") or ""
        direction = node.attrs.get("direction")
        relation = "向本链供给" if direction == "in" else "承接本链产品"
        records.append(
            {
                "id": node.id,
                "label": f"{style.truncate(chain, 12)}\n{style.truncate(node.name, 12)}",
                "x": xs[node.id],
                "y": external_y(font),
                "shape": "box",
                "color": style.color(style.OTHER_FILL, style.OTHER_BORDER),
                "font": {"color": style.OTHER_BORDER, "size": round(label_font)},
                "shapeProperties": {"borderDashes": [6, 4]},
                "borderWidth": 2,
                "kind": "other_segment",
                "cat": "other",
                "name": f"{chain}·{node.name}",
                "chain": chain,
                "facts": _facts(
                    [
                        ("环节", node.name),
                        ("所属产业链", chain),
                        ("阶段", style.STAGES.get(node.props.get("stage") or "", None)),
                        ("与本链关系", relation),
                    ]
                ),
                "prov": [],
            }
        )
    return records


def _feeds_edge(
    index: int, edge: MapEdge, order: Mapping[str, int], font: float, label_font: float
) -> dict:
    cross = edge.source not in order or edge.target not in order
    record: dict[str, Any] = {
        "id": f"f{index}",
        "from": edge.source,
        "to": edge.target,
        "arrows": "to",
        "width": max(2.5, font / 9),
        "color": {"color": style.CROSS_EDGE if cross else style.EDGE},
        "flow": True,
        "label": style.truncate(edge.props.get("product") or "", 10),
        "font": {"size": round(label_font), "color": "#343a40", "strokeWidth": 3, "align": "top"},
    }
    if cross:
        record["dashes"] = [8, 5]
        record["smooth"] = False
    else:
        distance = abs(order[edge.target] - order[edge.source])
        backwards = order[edge.target] < order[edge.source]
        if distance <= 1 and not backwards:
            record["smooth"] = False
        else:
            # Arcs over the segments in between instead of lines through them.
            record["smooth"] = {
                "enabled": True,
                "type": "curvedCW" if not backwards else "curvedCCW",
                "roundness": min(0.15 + 0.05 * distance, 0.45),
            }
    return record


# --- cluster map -------------------------------------------------------------------------


def cluster_view(graph: MapGraph) -> MapView:
    """The cluster map: its chains left to right by the flow between them, chains of other
    clusters they trade with at the sides, one arrow per pair of chains."""
    own = [n for n in graph.nodes if n.kind == "chain"]
    others = [n for n in graph.nodes if n.kind == "other_chain"]
    levels = flow_levels([n.id for n in own], [(e.source, e.target) for e in graph.edges])
    top = max(levels.values(), default=0)
    columns: dict[int, list[MapNode]] = defaultdict(list)
    for n in own:
        columns[levels[n.id]].append(n)
    for n in others:
        columns[-1 if n.attrs.get("direction") == "in" else top + 1].append(n)
    nodes = []
    for level, members in sorted(columns.items()):
        for i, n in enumerate(members):
            x, y = level * 420.0, (i - (len(members) - 1) / 2) * 150.0
            nodes.append(_chain_record(n, x, y))
    xs = [r["x"] for r in nodes] or [0.0]
    ys = [r["y"] for r in nodes] or [0.0]
    scale = fit_scale(max(xs) - min(xs) + 340, max(ys) - min(ys) + 120)
    text = readable_font(scale, 17.0, 60.0)
    for r in nodes:
        r["font"]["size"] = round(text)
    edges = []
    for i, e in enumerate(graph.edges):
        products = e.props.get("products", [])
        edges.append(
            {
                "id": f"l{i}",
                "from": e.source,
                "to": e.target,
                "arrows": "to",
                "width": 1.5 + min(e.props.get("feeds", 1), 8),
                "color": {"color": style.CROSS_EDGE},
                # Short on the canvas (long labels ran over the boxes); the products are
                # listed in full in the chains' panels.
                "label": f"{e.props.get('feeds', 0)} 条供给",
                "title": "、".join(products),
                "font": {
                    "size": round(max(13.0, text * 0.8)),
                    "color": "#212529",
                    "strokeWidth": 4,
                    "align": "horizontal",
                },
                "smooth": {"enabled": True, "type": "curvedCW", "roundness": 0.12},
                "flow": True,
            }
        )
    legend = [
        style.legend_entry("chain", "本集群产业链", style.LOCAL, "box"),
        style.legend_entry("future", "拟培育的未来产业链", "#ffffff", "box", border=style.LOCAL),
        style.legend_entry(
            "other", "其他集群的产业链", style.OTHER_FILL, "box", border=style.OTHER_BORDER
        ),
        *_registry_legend(graph),
    ]
    meta = {"counts": {"chains": len(own), "other_chains": len(others), "links": len(edges)}}
    _flows_in_facts(nodes, graph)
    return MapView(meta, nodes, edges, {}, legend, {})


def _flows_in_facts(records: list[dict], graph: MapGraph) -> None:
    """Add each chain's supply links with other chains (and their products) to its facts."""
    names = {n.id: n.name for n in graph.nodes}
    by_id = {r["id"]: r for r in records}
    for e in graph.edges:
        products = "、".join(e.props.get("products", [])) or "未注明产品"
        n = e.props.get("feeds", 0)
        if e.source in by_id:
            by_id[e.source]["facts"].append(
                [f"供给 {names.get(e.target, e.target)}", f"{n} 条：{products}"]
            )
        if e.target in by_id:
            by_id[e.target]["facts"].append(
                [f"来自 {names.get(e.source, e.source)}", f"{n} 条：{products}"]
            )


def _chain_record(n: MapNode, x: float, y: float) -> dict:
    p = n.props
    if n.kind == "other_chain":
        relation = "向本集群供给" if n.attrs.get("direction") == "in" else "承接本集群产品"
        return {
            "id": n.id,
            "label": n.name,
            "x": x,
            "y": y,
            "shape": "box",
            "color": style.color(style.OTHER_FILL, style.OTHER_BORDER),
            "font": {"color": style.OTHER_BORDER, "size": 16},
            "shapeProperties": {"borderDashes": [6, 4]},
            "borderWidth": 2,
            "margin": 10,
            "kind": "other_chain",
            "cat": "other",
            "name": n.name,
            "facts": _facts([("产业链", n.name), ("与本集群关系", relation)]),
            "prov": [],
        }
    future = bool(p.get("future"))
    label = style.truncate(n.name, 14) + ("（未来）" if future else "")
    label += f"\n环节 {p.get('segments', 0)} · 企业 {p.get('enterprises', 0)}（省内 {p.get('local_enterprises', 0)}）"
    record = {
        "id": n.id,
        "label": label,
        "x": x,
        "y": y,
        "shape": "box",
        "color": style.color("#ffffff" if future else style.LOCAL, style.LOCAL),
        "font": {"color": style.LOCAL if future else "#ffffff", "size": 17, "multi": False},
        "shapeProperties": {"borderDashes": [6, 4] if future else False},
        "borderWidth": 2,
        "margin": 12,
        "widthConstraint": {"maximum": 420},
        "kind": "chain",
        "cat": "future" if future else "chain",
        "name": n.name,
        "facts": _facts(
            [
                ("产业链", n.name),
                ("序号", p.get("seq")),
                ("拟培育的未来产业链", future),
                ("环节数", p.get("segments")),
                ("企业数", p.get("enterprises")),
                ("省内企业数", p.get("local_enterprises")),
                ("其中示例数据企业", p.get("synthetic_enterprises") or None),
            ]
        ),
        "prov": provenance(p),
    }
    return _registry_marked(record, p)


# --- roster map --------------------------------------------------------------------------

ROSTER_ROW = 58.0
ROSTER_COLUMNS = {
    "general_chief": 0,
    "chief": 1,
    "cluster": 2,
    "chain": 3,
    "responsible": 4,
    "alliance_chair": 5,
}
ROSTER_COL_W = 330.0
ROLE_NAMES = {
    "general_chief": "总群链长",
    "chief": "群链长",
    "responsible": "群链长责任单位",
    "alliance_chair": "盟会长单位",
}


def _roster_y(graph: MapGraph, keep: set[str] | None = None) -> dict[str, float]:
    """Rows of the roster map (or of the part of it in ``keep``): chains one per row in
    roster order, everything else at the middle of what it is linked to."""
    nodes = [n for n in graph.nodes if keep is None or n.id in keep]
    children: dict[str, list[str]] = defaultdict(list)
    parents: dict[str, list[str]] = defaultdict(list)
    for e in graph.edges:
        children[e.source].append(e.target)
        parents[e.target].append(e.source)
    chains = sorted(
        (n for n in nodes if n.kind == "chain"),
        key=lambda n: (n.attrs.get("order") or 0, n.name),
    )
    y: dict[str, float] = {n.id: i * ROSTER_ROW for i, n in enumerate(chains)}

    def place(kind: str, linked: dict[str, list[str]], gap: float) -> None:
        wishes = []
        for n in nodes:
            if _roster_column(n) != kind:
                continue
            ys = [y[o] for o in linked[n.id] if o in y]
            wishes.append((n.id, sum(ys) / len(ys) if ys else len(y) * ROSTER_ROW))
        y.update(spread(wishes, gap))

    place("cluster", children, ROSTER_ROW)
    place("chief", children, ROSTER_ROW * 1.4)
    place("general_chief", children, ROSTER_ROW)
    place("responsible", parents, ROSTER_ROW)
    place("alliance_chair", parents, ROSTER_ROW)
    return y


def _roster_column(n: MapNode) -> str:
    return n.attrs.get("role") or n.kind


def roster_pages(graph: MapGraph) -> list[tuple[MapNode, set[str]]]:
    """One page per cluster: the cluster, its chiefs, the 总群链长, its chains and their units."""
    children: dict[str, list[str]] = defaultdict(list)
    parents: dict[str, list[str]] = defaultdict(list)
    for e in graph.edges:
        children[e.source].append(e.target)
        parents[e.target].append(e.source)
    generals = {n.id for n in graph.nodes if n.attrs.get("role") == "general_chief"}
    clusters = sorted(
        (n for n in graph.nodes if n.kind == "cluster"),
        key=lambda n: (n.attrs.get("order") or 0, n.name),
    )
    pages = []
    for cluster in clusters:
        keep = {cluster.id, *generals, *parents[cluster.id], *children[cluster.id]}
        for chain in children[cluster.id]:
            keep.update(children[chain])
        pages.append((cluster, keep))
    return pages


ROSTER_HEADINGS = ["总群链长", "群链长", "重大集群", "重点产业链", "群链长责任单位", "盟会长单位"]

# 全部集群: one card per cluster (its 群链长, the cluster, its chains), cards in columns.
CARD_W, CARD_GAP = 340.0, 60.0
CARD_ROWS = {"chief": 92.0, "cluster": 64.0, "chain": 54.0}
CARD_FONT = 22.0


def roster_overview(graph: MapGraph) -> tuple[dict[str, list[float]], list[dict[str, Any]]]:
    """Positions of the 全部集群 page: the 总群链长 on top, then one card per cluster (its
    群链长, the cluster, its chains one per row), cards dealt into the number of columns at
    which the whole fits a 1400x900 window at the largest zoom, so that its text is at
    least 12 px at "fit". Units (责任单位, 盟会长单位) are on the clusters' own pages.

    Returns node id -> [x, y] and the cards' background bands.
    """
    children: dict[str, list[str]] = defaultdict(list)
    for e in graph.edges:
        children[e.source].append(e.target)
    by_id = {n.id: n for n in graph.nodes}
    clusters = sorted(
        (n for n in graph.nodes if n.kind == "cluster"),
        key=lambda n: (n.attrs.get("order") or 0, n.name),
    )
    general = [n for n in graph.nodes if n.attrs.get("role") == "general_chief"]
    chiefs: dict[str, list[str]] = defaultdict(list)  # cluster -> chiefs placed in its card
    placed: set[str] = set()
    for cluster in clusters:
        for n in graph.nodes:
            role = n.attrs.get("role")
            if role == "chief" and n.id not in placed and cluster.id in children[n.id]:
                chiefs[cluster.id].append(n.id)
                placed.add(n.id)

    def chains(cluster: MapNode) -> list[MapNode]:
        kids = [by_id[c] for c in children[cluster.id] if by_id[c].kind == "chain"]
        return sorted(kids, key=lambda n: (n.attrs.get("order") or 0, n.name))

    def height(cluster: MapNode) -> float:
        rows = CARD_ROWS["chief"] if chiefs[cluster.id] else 0.0
        return rows + CARD_ROWS["cluster"] + CARD_ROWS["chain"] * len(chains(cluster)) + 30.0

    def deal(columns: int) -> list[list[MapNode]]:
        cols: list[list[MapNode]] = [[] for _ in range(columns)]
        heights = [0.0] * columns
        for cluster in clusters:  # in roster order, each card to the shortest column
            i = heights.index(min(heights))
            cols[i].append(cluster)
            heights[i] += height(cluster) + CARD_GAP
        return cols

    def extent(cols: list[list[MapNode]]) -> tuple[float, float]:
        tallest = max((sum(height(c) + CARD_GAP for c in col) for col in cols), default=0.0)
        return len(cols) * (CARD_W + CARD_GAP), tallest + (
            CARD_ROWS["chief"] * 1.5 if general else 0
        )

    best = max(range(1, max(len(clusters), 1) + 1), key=lambda k: (fit_scale(*extent(deal(k))), -k))
    cols = deal(best)
    width, _ = extent(cols)
    pos: dict[str, list[float]] = {}
    bands: list[dict[str, Any]] = []
    top = CARD_ROWS["chief"] * 1.5 if general else 0.0
    for i, n in enumerate(general):
        pos[n.id] = [round(width / 2 - CARD_W / 2 + i * CARD_W), 0]
    for c, col in enumerate(cols):
        x = c * (CARD_W + CARD_GAP) + CARD_W / 2
        y = top
        for cluster in col:
            y0 = y
            names = chiefs[cluster.id]
            for k, nid in enumerate(names):
                offset = (k - (len(names) - 1) / 2) * (CARD_W / max(len(names), 1))
                pos[nid] = [round(x + offset), round(y + CARD_ROWS["chief"] / 2)]
            y += CARD_ROWS["chief"] if names else 0.0
            pos[cluster.id] = [round(x), round(y + CARD_ROWS["cluster"] / 2)]
            y += CARD_ROWS["cluster"]
            for chain in chains(cluster):
                pos[chain.id] = [round(x), round(y + CARD_ROWS["chain"] / 2)]
                y += CARD_ROWS["chain"]
            y += 30.0
            bands.append(
                {
                    "page": "all",
                    "stage": cluster.id,
                    "label": "",
                    "x0": round(x - CARD_W / 2),
                    "x1": round(x + CARD_W / 2),
                    "y0": round(y0 - 10),
                    "y1": round(y - 10),
                    "color": "#F1F3F5",
                }
            )
            y += CARD_GAP
    return pos, bands


def roster_view(graph: MapGraph) -> MapView:
    """The 双长制 left to right: 总群链长, 群链长, clusters, chains, responsible units,
    alliance chairs; each at the middle of what it is linked to.

    The whole roster does not fit a screen at a legible size, so the page shows one
    cluster at a time (a page per cluster, each laid out on its own; 全部集群 shows all):
    every node carries its position on each page it belongs to (``pos``).
    """
    by_id = {n.id: n for n in graph.nodes}
    children: dict[str, list[str]] = defaultdict(list)
    parents: dict[str, list[str]] = defaultdict(list)
    for e in graph.edges:
        children[e.source].append(e.target)
        parents[e.target].append(e.source)

    def x_of(n: MapNode) -> float:
        return ROSTER_COLUMNS.get(_roster_column(n), 6) * ROSTER_COL_W

    y_all = _roster_y(graph)
    pages = roster_pages(graph)
    pos: dict[str, dict[str, list[float]]] = defaultdict(dict)
    page_top: dict[str, float] = {}
    for cluster, keep in pages:
        y = _roster_y(graph, keep)
        for nid, value in y.items():
            pos[nid][cluster.id] = [x_of(by_id[nid]), round(value)]
        page_top[cluster.id] = min(y.values(), default=0.0) - 80.0
    first = pages[0][0].id if pages else "all"

    overview, bands = roster_overview(graph)
    nodes = []
    for n in graph.nodes:
        record = _roster_record(n, x_of(n), y_all.get(n.id, 0.0), by_id, parents, children)
        record["pos"] = dict(pos.get(n.id, {}))
        if n.id in overview:  # units are left off the overview: hidden there
            record["pos"]["all"] = overview[n.id]
        if not record["pos"]:  # linked to no cluster: on the overview, below the cards
            record["pos"]["all"] = [x_of(n), round(y_all.get(n.id, 0.0))]
        if first in record["pos"]:  # drawn first where the first page has it
            record["x"], record["y"] = record["pos"][first]
        nodes.append(record)
    edges = [
        {
            "id": f"r{i}",
            "from": e.source,
            "to": e.target,
            "arrows": "",
            "color": {"color": "#ced4da"},
            "width": 1.2,
            "smooth": False,
            "flow": True,
        }
        for i, e in enumerate(graph.edges)
    ]
    for i, text in enumerate(ROSTER_HEADINGS):
        # column headings on the clusters' pages; the overview has cards instead
        heading_pos = {pid: [i * ROSTER_COL_W, round(t)] for pid, t in page_top.items()}
        x, y = heading_pos.get(first, [i * ROSTER_COL_W, 0])
        nodes.append(
            {
                "id": f"heading:{i}",
                "label": text,
                "x": x,
                "y": y,
                "pos": heading_pos,
                "shape": "text",
                "font": {"size": 24, "color": "#343a40", "bold": True},
                "kind": "heading",
                "cat": "heading",
                "name": text,
                "facts": [],
                "prov": [],
            }
        )
    legend = [
        style.legend_entry("person", "总群链长 / 群链长", style.OKABE_ITO["vermillion"], "ellipse"),
        style.legend_entry("cluster", "重大集群", style.OKABE_ITO["black"], "box"),
        style.legend_entry("chain", "重点产业链", style.LOCAL, "box"),
        style.legend_entry("future", "拟培育的未来产业链", "#ffffff", "box", border=style.LOCAL),
        style.legend_entry(
            "responsible", "群链长责任单位", style.OTHER_FILL, "box", border=style.OTHER_BORDER
        ),
        style.legend_entry("alliance_chair", "盟会长单位", "#FCEFCF", "box", border="#8F6300"),
        *_registry_legend(graph),
    ]
    counts: dict[str, int] = defaultdict(int)
    for n in graph.nodes:
        counts[_roster_column(n)] += 1
    meta = {
        "counts": dict(counts),
        "pages": [[c.id, f"{c.name}集群"] for c, _ in pages] + [["all", "全部集群"]],
        "page": first,
        "bands": bands,
        "min_px": MIN_PX,
    }
    return MapView(meta, nodes, edges, {}, legend, {})


def _roster_record(
    n: MapNode,
    x: float,
    y: float,
    by_id: Mapping[str, MapNode],
    parents: Mapping[str, list[str]],
    children: Mapping[str, list[str]],
) -> dict:
    p = n.props
    base = {"id": n.id, "x": x, "y": y, "name": n.name, "prov": provenance(p), "margin": 9}
    if n.kind == "person":
        role = ROLE_NAMES[n.attrs["role"]]
        led = [by_id[c].name for c in children.get(n.id, []) if by_id[c].kind == "cluster"]
        return base | {
            "label": f"{n.name}\n{role}",
            "shape": "ellipse",
            "color": style.color(style.OKABE_ITO["vermillion"]),
            "font": {"color": "#ffffff", "size": 22},
            "kind": "person",
            "cat": "person",
            "facts": _facts(
                [("姓名", n.name), ("职务", p.get("title")), ("角色", role), ("牵头集群", led)]
            ),
        }
    if n.kind == "cluster":
        chiefs = [by_id[c].name for c in parents.get(n.id, []) if by_id[c].kind == "person"]
        return base | {
            "label": style.truncate(f"{n.name}集群", 12),
            "shape": "box",
            "color": style.color(style.OKABE_ITO["black"]),
            "font": {"color": "#ffffff", "size": 22},
            "kind": "cluster",
            "cat": "cluster",
            "facts": _facts(
                [("集群", n.name), ("序号", p.get("seq")), ("群链长", chiefs or "文件未列明")]
            ),
        }
    if n.kind == "chain":
        future = bool(p.get("future"))
        return _registry_marked(
            base
            | {
                "label": style.truncate(n.name, 9 if future else 12)
                + ("（未来）" if future else ""),
                "shape": "box",
                "color": style.color("#ffffff" if future else style.LOCAL, style.LOCAL),
                "font": {"color": style.LOCAL if future else "#ffffff", "size": 22},
                "shapeProperties": {"borderDashes": [5, 3] if future else False},
                "widthConstraint": {"maximum": 310},
                "kind": "chain",
                "cat": "future" if future else "chain",
                "facts": _facts(
                    [("产业链", n.name), ("序号", p.get("seq")), ("拟培育的未来产业链", future)]
                ),
            },
            p,
        )
    role = n.attrs.get("role", "")
    chains = [by_id[c].name for c in parents.get(n.id, []) if c in by_id]
    fill, border = (
        (style.OTHER_FILL, style.OTHER_BORDER) if role == "responsible" else ("#FCEFCF", "#8F6300")
    )
    return base | {
        "label": style.truncate(n.name, 12),
        "shape": "box",
        "color": style.color(fill, border),
        "font": {"color": "#212529", "size": 22},
        "kind": "unit",
        "cat": role,
        "facts": _facts(
            [
                ("单位", n.name),
                ("类型", style.org_kind(p.get("kind"))),
                ("角色", ROLE_NAMES.get(role, role)),
                ("负责产业链", chains),
            ]
        ),
    }


# --- enterprise map ----------------------------------------------------------------------

HOP_W = 330.0
ORG_ROW = 64.0
ORGS_PER_COLUMN = 12
ORG_COL_W = 190.0


def hop_heading(hop: int) -> str:
    """A column heading of the enterprise map: 二级供应商 … 核心企业 … 二级客户."""
    if hop == 0:
        return "核心企业"
    level = "一二三四五"[abs(hop) - 1] if abs(hop) <= 5 else str(abs(hop))
    return f"{level}级供应商" if hop < 0 else f"{level}级客户"


def _supply_label(props: Mapping[str, Any]) -> str:
    """An edge label: the product and its annual value (万元) when known."""
    product = style.truncate(props.get("product") or "", 8)
    value = props.get("value")
    if value is None:
        return product
    return f"{product} {style.number(value)}万元".strip()


def enterprise_view(graph: MapGraph) -> MapView:
    """The enterprise map: the focus in the middle, suppliers to the left and customers to
    the right, one column band per hop (一级/二级 suppliers and customers) with a heading."""
    by_hop: dict[int, list[MapNode]] = defaultdict(list)
    for n in graph.nodes:
        by_hop[n.attrs["hop"]].append(n)
    max_revenue = max((n.props.get("revenue") or 0.0 for n in graph.nodes), default=0.0)
    nodes = []
    band_left = 0.0
    hop_order = sorted(by_hop)
    lefts: dict[int, float] = {}
    widths: dict[int, float] = {}
    # Rows per column: 12, or more for a large neighbourhood so that the map keeps about a
    # window's shape (a leader with hundreds of partners was a strip 40 times as wide as high).
    per_column = max(
        ORGS_PER_COLUMN,
        math.ceil(math.sqrt(len(graph.nodes) * ORG_COL_W / (1.5 * ORG_ROW))),
    )
    for hop in hop_order:
        cols = math.ceil(len(by_hop[hop]) / per_column)
        lefts[hop] = band_left
        widths[hop] = max(cols * ORG_COL_W, HOP_W)
        band_left += widths[hop]
    shift = lefts.get(0, 0.0)
    tallest = min(max((len(m) for m in by_hop.values()), default=1), per_column)
    scale = fit_scale(band_left + 100, tallest * ORG_ROW + 200)
    font = readable_font(scale, 13.0, 17.0)
    if LABEL_CHARS * font > ORG_COL_W:
        font = 12.0
    heading_font = readable_font(scale, 16.0, 200.0)  # column headings legible at "fit"
    bands = []
    for hop in hop_order:
        members = sorted(by_hop[hop], key=_enterprise_order)
        rows = min(len(members), per_column)
        cols = math.ceil(len(members) / per_column)
        x0 = lefts[hop] - shift
        for i, n in enumerate(members):
            col, row = divmod(i, per_column)
            x = x0 + (widths[hop] - cols * ORG_COL_W) / 2 + (col + 0.5) * ORG_COL_W
            y = (row - (rows - 1) / 2) * ORG_ROW
            segs = n.attrs.get("segments", [])
            names = [f"{s['chain']}·{s['segment']}" for s in segs]
            record = _enterprise_record(n, max_revenue, names)
            stage = next((s["stage"] for s in segs if s["stage"]), "")
            record.update(x=x, y=y, stage=stage, hop=hop, rel=hop_heading(hop))
            record["font"] = {"size": round(font)}
            record["facts"].append(["与核心企业关系", hop_heading(hop)])
            if n.id == graph.focus:
                record.update(cat="focus", size=max(record["size"], 24))
                record["color"] = style.color(style.FOCUS, "#000000")
                record["label"] = style.truncate(style.short_name(n.name), 14)
                record["font"] = {"size": round(max(font, heading_font)), "bold": True}
            nodes.append(record)
        half = (per_column if len(members) > per_column else rows) * ORG_ROW / 2
        heading_y = -max(half, ORG_ROW * 2) - max(ORG_ROW, heading_font * 1.5)
        nodes.append(
            {
                "id": f"hop:{hop}",
                "label": hop_heading(hop),
                "x": x0 + widths[hop] / 2,
                "y": heading_y,
                "shape": "text",
                "font": {
                    "size": round(max(font * 1.2, heading_font)),
                    "color": "#343a40",
                    "bold": True,
                },
                "kind": "heading",
                "cat": "heading",
                "name": hop_heading(hop),
                "facts": [],
                "prov": [],
            }
        )
        bands.append(
            {
                "stage": str(hop),
                "label": "",
                "x0": round(x0 + 8),
                "x1": round(x0 + widths[hop] - 8),
                "y0": round(heading_y - max(30.0, heading_font)),
                "y1": round(max(half, ORG_ROW * 2) + 10),
                "color": "#F3F6F9" if hop % 2 == 0 else "#FFFFFF",
            }
        )
    edges = [
        {
            "id": f"s{i}",
            "from": e.source,
            "to": e.target,
            "arrows": "to",
            "width": 1.5,
            "color": {"color": style.EDGE},
            "smooth": False,
            "flow": True,
            "label": _supply_label(e.props),
            "font": {"size": round(font * 0.9), "color": "#343a40", "strokeWidth": 3},
        }
        for i, e in enumerate(graph.edges)
    ]
    legend = [
        style.legend_entry("focus", "核心企业", style.FOCUS, border="#000000"),
        *style.ENTERPRISE_LEGEND,
    ]
    cities = sorted({n.props.get("city") for n in graph.nodes if n.props.get("city")})
    stages = [k for k in style.STAGES if any(r.get("stage") == k for r in nodes)]
    filters = {
        "stage": [[k, style.STAGES[k]] for k in stages],
        "city": [[c, c] for c in cities],
        "flags": [[k, v] for k, v in style.FLAGS.items()],
    }
    meta = {
        "counts": {"enterprises": len(graph.nodes), "links": len(edges)},
        "bands": bands,
        "min_px": MIN_PX,
    }
    view = MapView(meta, nodes, edges, {}, legend, filters)
    view.extra["ties"] = [
        [e.source, e.target, e.props.get("product") or "", e.props.get("value")]
        for e in graph.edges
    ]
    return view
