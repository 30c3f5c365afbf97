"""Weak links (短板弱项) of a chain, per segment (环节), with the evidence behind each finding.

A segment's status is one of (most severe first):

- ``missing`` 缺链: no in-province enterprise operates in it;
- ``dependent`` 断链: local demand for its output is met mostly from outside the
  province (local supply ratio below a threshold), or all of it comes from a single
  supplier (单一来源);
- ``weak`` 弱链: too few in-province enterprises, no leader (龙头) among them, or revenue
  concentrated in one firm (HHI above a threshold);
- ``ok`` 正常: none of the above.

A segment may have several reasons; its status is that of its most severe reason. Missing
comes first because nothing can be strengthened where nothing exists; dependent comes before
weak because a supply that can be cut off stops the local chain downstream (断链), while a
thin segment still produces. The weak reasons are not evaluated for a missing segment (there
are no firms to count, rank or concentrate).

The module has two halves: pure functions that turn query rows into findings
(``segment_finding``, ``chain_report``, ...; tested without a database) and the I/O that runs
the queries (``weak_links``, ``province_summary``, ``resolve_chains``). Definitions, thresholds
and the JSON contract are in docs/weak-links.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from chainkg.graph.catalog import query
from chainkg.graph.store import GraphStore, Row

# resolve_chains and suggest are re-exported: callers of this module name chains with them.
from chainkg.queries.chains import ChainRef, list_chains, resolve_chains, suggest  # noqa: F401
from chainkg.queries.criticality import chain_criticality, feeds_criticality
from chainkg.queries.recommend import recommendations_from_rows
from chainkg.queries.thresholds import WeakLinkThresholds, load_thresholds

STATUSES = ("missing", "dependent", "weak", "ok")  # most severe first
SEVERITY = {status: len(STATUSES) - i for i, status in enumerate(STATUSES)}  # ok 1 .. missing 4
STATUS_LABELS = {"missing": "缺链", "dependent": "断链", "weak": "弱链", "ok": "正常"}
STAGE_LABELS = {"upstream": "上游", "midstream": "中游", "downstream": "下游"}
DIGITS = 6  # ratios are rounded so both stores print (and compare) the same value


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, DIGITS)


def _num(value: Any) -> float:
    """A sum that one engine gives as null over no rows and the other as 0."""
    return float(value or 0)


def _int(value: Any) -> int:
    return int(value or 0)


def more_severe(a: str, b: str) -> str:
    """The more severe of two statuses (missing > dependent > weak > ok)."""
    return a if SEVERITY[a] >= SEVERITY[b] else b


def hhi(revenue_total: float, revenue_sq: float, known: int, min_known: int) -> float | None:
    """Herfindahl-Hirschman index (0..1) of revenues from their sum and sum of squares.

    None when fewer than ``min_known`` firms have a known revenue or their total is 0:
    the index says nothing about concentration then.
    """
    square = revenue_total * revenue_total
    if known < min_known or square <= 0:  # revenues so small that the square underflows
        return None
    return _r(min(1.0, revenue_sq / square))


def local_supply_ratio(
    edges: int, local_edges: int, valued_edges: int, value: float, local_value: float
) -> tuple[float | None, str | None]:
    """(ratio, basis): local share of supply by value when every edge has a value, else by count.

    Basis ``value`` needs all edges valued and a positive total; otherwise the edges are
    counted (``count``), so that a few missing values never tilt the ratio. (None, None)
    when there are no edges.
    """
    if edges <= 0:
        return None, None
    if valued_edges == edges and value > 0:
        return _r(local_value / value), "value"
    return _r(local_edges / edges), "count"


def _reason(
    code: str, status: str, text: str, metric: str, value: Any, threshold: Any, comparison: str
) -> dict[str, Any]:
    return {
        "code": code,
        "status": status,
        "text": text,
        "metric": metric,
        "value": value,
        "threshold": threshold,
        "comparison": comparison,
    }


def _listed(count: int, shown: Iterable[Mapping[str, Any]] | None) -> dict[str, Any]:
    # Entries with no id come from an OPTIONAL MATCH that found nothing.
    items = [dict(x) for x in (shown or []) if x.get("id") is not None]
    return {"count": count, "shown": items}


def segment_coverage(segments: Iterable[Row], rows: Iterable[Row]) -> list[dict[str, Any]]:
    """Each segment (weak_segments rows) with its coverage from weak_segment_coverage (pure).

    The query gives one row per segment, province flag and enterprise flag; a segment's
    enterprises are the in-province (true) enterprise rows, its outside organisations the
    in_province = false rows of any kind.
    """
    by_segment: dict[str, list[Row]] = {}
    for r in rows:
        by_segment.setdefault(r["segment_id"], []).append(r)
    out = []
    for seg in segments:
        mine = by_segment.get(seg["segment_id"], [])
        local = [r for r in mine if r["in_province"] is True and r["enterprise"]]
        out.append(
            {
                **seg,
                "enterprises": sum(_int(r["organizations"]) for r in local),
                "leaders": sum(_int(r["leaders"]) for r in local),
                "revenue_known": sum(_int(r["revenue_known"]) for r in local),
                "revenue_total": sum(_num(r["revenue_total"]) for r in local),
                "revenue_sq": sum(_num(r["revenue_sq"]) for r in local),
                "outside_enterprises": sum(
                    _int(r["organizations"]) for r in mine if r["in_province"] is False
                ),
            }
        )
    return out


def supply_totals(rows: Iterable[Row]) -> dict[str, dict[str, Any]]:
    """Per segment id, local and total supply from weak_local_supply rows (pure).

    The query gives one row per segment and supplier origin (``local`` true or false).
    """
    out: dict[str, dict[str, Any]] = {}
    for r in rows:
        t = out.setdefault(
            r["segment_id"],
            {
                "edges": 0,
                "local_edges": 0,
                "valued_edges": 0,
                "value": 0.0,
                "local_value": 0.0,
                "suppliers": 0,
                "local_suppliers": 0,
            },
        )
        t["edges"] += _int(r["edges"])
        t["valued_edges"] += _int(r["valued_edges"])
        t["value"] += _num(r["value"])
        t["suppliers"] += _int(r["suppliers"])
        if r["local"]:
            t["local_edges"] += _int(r["edges"])
            t["local_value"] += _num(r["value"])
            t["local_suppliers"] += _int(r["suppliers"])
    return out


def segment_finding(
    coverage: Row,
    thresholds: WeakLinkThresholds,
    *,
    supply: Mapping[str, Any] | None = None,
    firms: Row | None = None,
    suppliers: Row | None = None,
    single: Row | None = None,
    criticality: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The finding for one segment from its query rows (pure).

    ``coverage`` is an entry of ``segment_coverage`` and ``supply`` the segment's entry of
    ``supply_totals``: they decide the status. The evidence rows, None when not fetched,
    only fill the evidence: ``firms`` of weak_segment_firms, ``suppliers`` of
    weak_demand_suppliers, ``single`` of weak_single_source (its ``shown`` entries with a
    ``supplier`` name added). ``criticality`` is the segment's entry of ``feeds_criticality``.
    """
    t = thresholds
    firms = firms or {}
    supply = supply or {}
    sources = suppliers or {}
    single = single or {}
    enterprises = _int(coverage["enterprises"])
    leaders = _int(coverage["leaders"])
    known = _int(coverage["revenue_known"])
    total = _num(coverage["revenue_total"])
    index = hhi(total, _num(coverage["revenue_sq"]), known, t.hhi_min_known)
    edges = _int(supply.get("edges"))
    ratio, basis = local_supply_ratio(
        edges,
        _int(supply.get("local_edges")),
        _int(supply.get("valued_edges")),
        _num(supply.get("value")),
        _num(supply.get("local_value")),
    )
    n_suppliers = _int(supply.get("suppliers"))
    n_local_suppliers = _int(supply.get("local_suppliers"))
    top_suppliers = [x for x in sources.get("shown") or [] if x.get("id") is not None]

    reasons: list[dict[str, Any]] = []
    if enterprises == 0:
        reasons.append(
            _reason(
                "no_enterprise",
                "missing",
                "省内无企业布局该环节（缺链）",
                "enterprises",
                0,
                1,
                "<",
            )
        )
    if ratio is not None and ratio < t.local_ratio:
        how = "按供货额" if basis == "value" else "按供货关系数"
        reasons.append(
            _reason(
                "low_local_supply",
                "dependent",
                f"本地配套率{ratio:.0%}（{how}），低于{t.local_ratio:.0%}，省内需求主要依赖省外供应",
                "local_supply_ratio",
                ratio,
                t.local_ratio,
                "<",
            )
        )
    if edges and 0 < n_suppliers <= t.single_source_suppliers:
        names = "、".join(x["name"] or x["id"] for x in top_suppliers[:n_suppliers])
        reasons.append(
            _reason(
                "single_source",
                "dependent",
                f"省内企业对该环节产品的需求全部来自{n_suppliers}家供应商"
                + (f"（{names}）" if names else "")
                + "，单一来源",
                "suppliers",
                n_suppliers,
                t.single_source_suppliers,
                "<=",
            )
        )
    if enterprises > 0:
        if enterprises < t.min_enterprises:
            reasons.append(
                _reason(
                    "few_enterprises",
                    "weak",
                    f"省内仅{enterprises}家企业，少于{t.min_enterprises}家",
                    "enterprises",
                    enterprises,
                    t.min_enterprises,
                    "<",
                )
            )
        if leaders < 1:
            reasons.append(
                _reason("no_leader", "weak", "省内无龙头企业", "leaders", leaders, 1, "<")
            )
        if index is not None and index > t.hhi:
            reasons.append(
                _reason(
                    "concentrated",
                    "weak",
                    f"营业收入集中度HHI为{index:.2f}，高于{t.hhi:.2f}，产能集中于少数企业",
                    "hhi",
                    index,
                    t.hhi,
                    ">",
                )
            )
    status = "ok"
    for r in reasons:
        status = more_severe(status, r["status"])
    reasons.sort(key=lambda r: -SEVERITY[r["status"]])

    crit = criticality or {}
    metrics = {
        "enterprises": enterprises,
        "leaders": leaders,
        "revenue_known": known,
        "revenue_unknown": enterprises - known,
        "revenue_total": _r(total),
        "hhi": index,
        "outside_enterprises": _int(coverage.get("outside_enterprises")),
        "supply_edges": edges,
        "local_supply_edges": _int(supply.get("local_edges")),
        "valued_supply_edges": _int(supply.get("valued_edges")),
        "supply_value": _r(_num(supply.get("value"))),
        "local_supply_value": _r(_num(supply.get("local_value"))),
        "local_supply_ratio": ratio,
        "ratio_basis": basis,
        "suppliers": n_suppliers,
        "local_suppliers": n_local_suppliers,
        "betweenness": crit.get("betweenness", 0.0),
        "articulation": bool(crit.get("articulation", False)),
    }
    shown_firms = []
    for f in firms.get("firms") or []:
        if f.get("id") is None:
            continue
        f = dict(f)
        rev = f.get("revenue")
        f["share"] = _r(rev / total) if rev is not None and rev >= 0 and total > 0 else None
        shown_firms.append(f)
    customers = _int(single.get("customers"))
    singles = _int(single.get("single_source_customers"))
    evidence = {
        "segment_id": coverage["segment_id"],
        "enterprises": {"count": enterprises, "shown": shown_firms},
        "leaders": _listed(leaders, firms.get("leaders")),
        "unknown_revenue": _listed(enterprises - known, firms.get("unknown_revenue")),
        "suppliers": _listed(n_suppliers, top_suppliers),
        "outside_suppliers": _listed(n_suppliers - n_local_suppliers, sources.get("outside_shown")),
        "single_source": {
            **_listed(singles, single.get("shown")),
            "customers": customers,
            "share": _r(singles / customers) if customers else None,
        },
    }
    return {
        "name": coverage["segment"],
        "stage": coverage["stage"],
        "status": status,
        "reasons": reasons,
        "metrics": metrics,
        "evidence": evidence,
    }


def chain_summary(segments: Sequence[Mapping[str, Any]], thresholds: WeakLinkThresholds) -> dict:
    """Counts per status, the not-ok segments (most severe first) and the thresholds used."""
    by_status = {s: 0 for s in STATUSES}
    for seg in segments:
        by_status[seg["status"]] += 1
    flagged = sorted(
        (seg for seg in segments if seg["status"] != "ok"),
        key=lambda seg: -SEVERITY[seg["status"]],
    )
    return {
        "segments": len(segments),
        "by_status": by_status,
        "flagged": [{"name": seg["name"], "status": seg["status"]} for seg in flagged],
        "thresholds": thresholds.model_dump(),
    }


def chain_report(
    chain: str,
    cluster: str | None,
    segments: list[dict[str, Any]],
    recommendations: list[dict[str, Any]],
    thresholds: WeakLinkThresholds,
) -> dict[str, Any]:
    """One chain's entry of the weak-links JSON (pure)."""
    return {
        "chain": chain,
        "cluster": cluster,
        "summary": chain_summary(segments, thresholds),
        "segments": segments,
        "recommendations": recommendations,
    }


def _by_segment(rows: Iterable[Row]) -> dict[str, Row]:
    return {r["segment_id"]: r for r in rows}


# --- I/O: run the queries -------------------------------------------------------------


def weak_link_chains(
    store: GraphStore, chains: Sequence[ChainRef], thresholds: WeakLinkThresholds
) -> list[dict[str, Any]]:
    """Findings and 补链 recommendations for each chain, in the given order.

    Two queries over all the chains decide every status (coverage, local supply; aggregated
    in Cypher); the evidence lists are then fetched only for the segments with a finding
    (status not ok), so the time grows with the findings, not with the whole graph.
    """
    names = [c.name for c in chains]
    if not names:
        return []
    t = thresholds
    params = {"chains": names}
    coverage = segment_coverage(
        store.read(query("weak_segments"), params),
        store.read(query("weak_segment_coverage"), params),
    )
    feeding = [r["segment_id"] for r in store.read(query("weak_feeding_segments"), params)]
    supply = (
        supply_totals(store.read(query("weak_local_supply"), {"segments": feeding}))
        if feeding
        else {}
    )
    feeds = store.read(query("chain_feeds"), params)

    per_chain: dict[str, list[Row]] = {n: [] for n in names}
    for row in coverage:
        per_chain[row["chain"]].append(row)
    edges_of: dict[str, list[tuple[str, str]]] = {n: [] for n in names}
    for e in feeds:
        edges_of[e["chain"]].append((e["from_id"], e["to_id"]))
    crit: dict[str, Mapping[str, Any]] = {}
    for name in names:
        crit.update(feeds_criticality([r["segment_id"] for r in per_chain[name]], edges_of[name]))

    prelim = {
        row["segment_id"]: segment_finding(row, t, supply=supply.get(row["segment_id"]))
        for rows in per_chain.values()
        for row in rows
    }
    evidence = _evidence(store, prelim, t)
    segments_of = {
        name: [
            segment_finding(
                row,
                t,
                supply=supply.get(row["segment_id"]),
                criticality=crit.get(row["segment_id"]),
                **{k: v.get(row["segment_id"]) for k, v in evidence.items() if k != "candidates"},
            )
            for row in per_chain[name]
        ]
        for name in names
    }
    return [
        chain_report(
            c.name,
            c.cluster,
            segments_of[c.name],
            recommendations_from_rows(segments_of[c.name], evidence["candidates"], t.recommend_top),
            t,
        )
        for c in chains
    ]


def _evidence(
    store: GraphStore, prelim: Mapping[str, Mapping[str, Any]], t: WeakLinkThresholds
) -> dict[str, dict[str, Row]]:
    """Evidence rows by segment id, for the segments with a finding only.

    ``prelim`` holds each segment's finding without evidence (the status does not depend
    on it). Firms are listed for weak and dependent segments, suppliers for segments with
    local demand that are missing or dependent, single-sourced customers where the
    single-source rule fired, 补链 candidates for missing and dependent segments.
    """
    status = {sid: f["status"] for sid, f in prelim.items()}
    codes = {sid: {r["code"] for r in f["reasons"]} for sid, f in prelim.items()}
    flagged = [sid for sid, st in status.items() if st != "ok"]
    firms_of = [sid for sid in flagged if status[sid] != "missing"]
    recommend_of = [sid for sid in flagged if status[sid] in ("missing", "dependent")]
    supply_of = [sid for sid in recommend_of if prelim[sid]["metrics"]["supply_edges"]]
    single_of = [sid for sid in supply_of if "single_source" in codes[sid]]
    out: dict[str, dict[str, Row]] = {"firms": {}, "suppliers": {}, "single": {}, "candidates": {}}
    cap = t.evidence_cap
    if firms_of:
        out["firms"] = _by_segment(
            store.read(query("weak_segment_firms"), {"segments": firms_of, "cap": cap})
        )
    if supply_of:
        out["suppliers"] = _by_segment(
            store.read(query("weak_demand_suppliers"), {"segments": supply_of, "cap": cap})
        )
    if single_of:
        single = store.read(query("weak_single_source"), {"segments": single_of, "cap": cap})
        ids = sorted({x["supplier_id"] for r in single for x in r["shown"] or [] if x.get("id")})
        names = {r["id"]: r for r in store.read(query("chain_orgs"), {"ids": ids})} if ids else {}
        for r in single:
            r["shown"] = [
                {
                    **x,
                    "supplier": names.get(x["supplier_id"], {}).get("name"),
                    "supplier_in_province": names.get(x["supplier_id"], {}).get("in_province"),
                }
                for x in r["shown"] or []
                if x.get("id") is not None
            ]
        out["single"] = _by_segment(single)
    if recommend_of:
        out["candidates"] = _by_segment(
            store.read(
                query("recommend_candidates"), {"segments": recommend_of, "cap": t.recommend_top}
            )
        )
    return out


def weak_links(
    store: GraphStore,
    chains: Sequence[ChainRef],
    thresholds: WeakLinkThresholds | None = None,
    *,
    criticality: bool = False,
) -> dict[str, Any]:
    """The weak-links JSON: ``{"chains": [...]}`` (see docs/weak-links.md).

    With ``criticality``, each chain's summary also lists its most critical enterprises
    (``critical_enterprises``, see ``criticality.chain_criticality``; seconds per large chain).
    """
    t = thresholds or load_thresholds()
    report = {"chains": weak_link_chains(store, chains, t)}
    if criticality:
        for ch in report["chains"]:
            ch["summary"]["critical_enterprises"] = chain_criticality(store, ch["chain"])
    return report


def summary_rows(report: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One short row per chain of a weak-links report (pure): counts and flagged segments."""
    rows = []
    for ch in report["chains"]:
        counts = ch["summary"]["by_status"]
        flagged = "、".join(
            f"{f['name']}（{STATUS_LABELS[f['status']]}）" for f in ch["summary"]["flagged"]
        )
        rows.append(
            {
                "chain": ch["chain"],
                "cluster": ch["cluster"],
                "segments": ch["summary"]["segments"],
                **{s: counts[s] for s in STATUSES},
                "flagged": flagged,
            }
        )
    return rows


def province_summary(
    store: GraphStore, thresholds: WeakLinkThresholds | None = None
) -> list[dict[str, Any]]:
    """The province's weak links, one row per chain (for ``chainkg demo``).

    Row keys: chain, cluster, segments, missing, dependent, weak, ok, flagged (the
    not-ok segments as Chinese text, most severe first).
    """
    return summary_rows(weak_links(store, list_chains(store), thresholds))


def segment_rows(report: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One flat row per segment of a weak-links report (pure), for table and CSV output."""
    rows = []
    for ch in report["chains"]:
        for seg in ch["segments"]:
            m = seg["metrics"]
            rows.append(
                {
                    "chain": ch["chain"],
                    "cluster": ch["cluster"],
                    "segment": seg["name"],
                    "stage": STAGE_LABELS.get(seg["stage"] or "", seg["stage"]),
                    "status": seg["status"],
                    "status_label": STATUS_LABELS[seg["status"]],
                    "enterprises": m["enterprises"],
                    "leaders": m["leaders"],
                    "hhi": m["hhi"],
                    "local_supply_ratio": m["local_supply_ratio"],
                    "suppliers": m["suppliers"],
                    "outside_enterprises": m["outside_enterprises"],
                    "reasons": "；".join(r["text"] for r in seg["reasons"]),
                }
            )
    return rows
