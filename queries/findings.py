"""Weak links (短板弱项) of a chain, per segment (环节), with the evidence behind each finding.

A segment's status is one of (most severe first):

- ``missing`` 缺链: no in-province enterprise operates in it;
- ``dependent`` 断链: local demand for its output is met mostly from outside the province
  (local supply ratio below a threshold), all of it comes from a single supplier (单一来源),
  much of it comes from abroad (境外依赖), or the segment has an unsolved 卡脖子 technology;
- ``weak`` 弱链: too few in-province enterprises, no leader (龙头) among them, revenue
  concentrated in one firm that is not a 龙头 (HHI above a threshold; led by a 龙头 it is a
  链主 strength instead), or local capacity (产能) short of local demand;
- ``unverified`` 待核实: the only in-province firms were placed by industry code (inferred);
- ``insufficient_data`` 数据不足: a dependent finding rests on fewer recorded supply edges
  than the capable local firms make plausible (sparse lists, not a broken chain);
- ``ok`` 正常: none of the above.

A segment may have several reasons; its status is that of its most severe reason. Each
finding carries a severity score (what is at stake: local demand and downstream revenue,
weighted by the segment's place in the chain) that ranks the findings.

The module has two halves: pure functions that turn query rows into findings
(``segment_finding``, ``chain_report``, ...; tested without a database) and the I/O that runs
the queries (``weak_links``, ``province_summary``, ``resolve_chains``). Definitions, thresholds
and the JSON contract are in docs/weak-links.md.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from chainkg.graph.projection import Projection
from chainkg.graph.store import GraphStore, Row

# resolve_chains and suggest are re-exported: callers of this module name chains with them.
from chainkg.queries.chains import ChainRef, list_chains, resolve_chains, suggest  # noqa: F401
from chainkg.queries.criticality import chain_criticality, feeds_criticality
from chainkg.queries.projected import projected_read
from chainkg.queries.recommend import PROJECT_STATUSES, recommendations_from_rows
from chainkg.queries.thresholds import WeakLinkThresholds, load_thresholds

# Most severe first: confirmed gaps, then findings that need checking before acting.
STATUSES = ("missing", "dependent", "weak", "unverified", "insufficient_data", "ok")
SEVERITY = {status: len(STATUSES) - i for i, status in enumerate(STATUSES)}  # ok 1 .. missing 6
STATUS_LABELS = {
    "missing": "缺链",
    "dependent": "断链",
    "weak": "弱链",
    "unverified": "待核实",
    "insufficient_data": "数据不足",
    "ok": "正常",
}
STAGE_LABELS = {"upstream": "上游", "midstream": "中游", "downstream": "下游"}
DIGITS = 6  # ratios are rounded so both stores print (and compare) the same value
# Countries (国家/地区) read as domestic; anything else given is abroad (境外, incl. 港澳台).
DOMESTIC = ("中国", "中华人民共和国", "中国大陆", "CN", "CHN", "China", "china")
# Technology statuses (技术清单 状态) meaning a 卡脖子 item no longer chokes the chain.
SOLVED = ("已突破", "已解决", "已国产化", "已实现国产替代")
# Severity score: base per status, times the stake and the segment's place in the chain.
SEVERITY_BASE = {
    "missing": 4.0,
    "dependent": 3.0,
    "weak": 2.0,
    "unverified": 2.0,
    "insufficient_data": 1.0,
    "ok": 0.0,
}
STAKE_UNIT = 10_000.0  # 万元: 1亿元 of stake adds log10(2) to the stake factor
ARTICULATION_FACTOR = 1.5
# Reasons read from recorded supply edges (what sparse lists can fake).
RECORDED_REASONS = ("low_local_supply", "single_source", "foreign_dependence")


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, DIGITS)


def _num(value: Any) -> float:
    """A sum that one engine gives as null over no rows and the other as 0."""
    return float(value or 0)


def _total(value: Any) -> float:
    """A summed amount (万元) rounded to ``DIGITS`` decimals before any rule or text reads it:
    the stores and the projection add in different orders, and a sum that differs in its last
    bit could otherwise print 744,323 on one and 744,324 on another (seen at 1M)."""
    return round(_num(value), DIGITS)


def _int(value: Any) -> int:
    return int(value or 0)


def _max(a: Any, b: Any) -> Any:
    if a is None:
        return b
    if b is None:
        return a
    return max(a, b)


def more_severe(a: str, b: str) -> str:
    """The more severe of two statuses (order of ``STATUSES``)."""
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
    when there are no edges. The ratio is rounded to 6 decimals before any comparison.
    """
    if edges <= 0:
        return None, None
    if valued_edges == edges and value > 0:
        return _r(local_value / value), "value"
    return _r(local_edges / edges), "count"


def leader_count(coverage: Mapping[str, Any], t: WeakLinkThresholds) -> int:
    """How many 龙头 a segment has under the configured rule (pure).

    ``flag``: firms flagged 龙头 in the lists; ``revenue``: the top ``leader_rank`` firms by
    revenue, counting only those with at least ``leader_min_revenue``; ``either``: the larger
    of the two counts (so it is >= 1 exactly when either rule finds a 龙头).
    """
    flagged = _int(coverage.get("leaders"))
    by_revenue = min(t.leader_rank, _int(coverage.get("big_firms")))
    if t.leader_rule == "flag":
        return flagged
    if t.leader_rule == "revenue":
        return by_revenue
    return max(flagged, by_revenue)


def top_is_leader(coverage: Mapping[str, Any], t: WeakLinkThresholds) -> bool:
    """Whether the segment's largest firm by revenue is a 龙头 under the configured rule."""
    top = coverage.get("revenue_max")
    if top is None:
        return False
    flagged = coverage.get("leader_revenue_max") is not None and (
        coverage["leader_revenue_max"] >= top
    )
    big = top >= t.leader_min_revenue
    if t.leader_rule == "flag":
        return flagged
    if t.leader_rule == "revenue":
        return big
    return flagged or big


def severity(
    status: str, local_demand_value: float, downstream_revenue: float, crit: Mapping[str, Any]
) -> dict[str, Any]:
    """The severity score of a finding and its parts (pure).

    score = base(status) x (1 + log10(1 + stake / 10,000万元)) x (1 + betweenness)
    x (1.5 if the segment is an articulation point of the chain's FEEDS graph), where stake
    = local demand value + downstream revenue (万元); 0 for ``ok``. Rounded to 3 decimals.
    """
    between = float(crit.get("betweenness", 0.0) or 0.0)
    articulation = bool(crit.get("articulation", False))
    stake = max(0.0, local_demand_value) + max(0.0, downstream_revenue)
    score = (
        SEVERITY_BASE[status]
        * (1 + math.log10(1 + stake / STAKE_UNIT))
        * (1 + between)
        * (ARTICULATION_FACTOR if articulation else 1.0)
    )
    return {
        "score": round(score, 3),
        "stake": _r(stake),
        "local_demand_value": _r(local_demand_value),
        "downstream_revenue": _r(downstream_revenue),
        "betweenness": between,
        "articulation": articulation,
    }


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

    The query gives one row per segment, province flag, enterprise flag and inferred flag. A
    segment's enterprises are its in-province (true) enterprise rows placed by the source
    (not inferred); the inferred ones are counted apart (``inferred_enterprises``); its
    outside organisations are the in_province = false rows of any kind.
    """
    by_segment: dict[str, list[Row]] = {}
    for r in rows:
        by_segment.setdefault(r["segment_id"], []).append(r)
    out = []
    for seg in segments:
        mine = by_segment.get(seg["segment_id"], [])
        local_all = [r for r in mine if r["in_province"] is True and r["enterprise"]]
        local = [r for r in local_all if not r.get("inferred")]
        top = leader_top = None
        for r in local:
            top = _max(top, r.get("revenue_max"))
            leader_top = _max(leader_top, r.get("leader_revenue_max"))
        out.append(
            {
                **seg,
                "enterprises": sum(_int(r["organizations"]) for r in local),
                "inferred_enterprises": sum(
                    _int(r["organizations"]) for r in local_all if r.get("inferred")
                ),
                "leaders": sum(_int(r["leaders"]) for r in local),
                "revenue_known": sum(_int(r["revenue_known"]) for r in local),
                "revenue_total": sum(_num(r["revenue_total"]) for r in local),
                "revenue_sq": sum(_num(r["revenue_sq"]) for r in local),
                "revenue_max": top,
                "leader_revenue_max": leader_top,
                "big_firms": sum(_int(r.get("big_firms")) for r in local),
                "capacity_known": sum(_int(r.get("capacity_known")) for r in local),
                "capacity_total": sum(_num(r.get("capacity_total")) for r in local),
                "outside_enterprises": sum(
                    _int(r["organizations"]) for r in mine if r["in_province"] is False
                ),
            }
        )
    return out


def supply_totals(rows: Iterable[Row]) -> dict[str, dict[str, Any]]:
    """Per segment id, local, foreign and total supply from weak_local_supply rows (pure).

    The query gives one row per segment and supplier origin (``local``, ``outside`` for
    other Chinese provinces or unknown, ``foreign`` for 境外).
    """
    out: dict[str, dict[str, Any]] = {}
    for r in rows:
        t = out.setdefault(
            r["segment_id"],
            {
                "edges": 0,
                "untagged_edges": 0,
                "valued_edges": 0,
                "value": 0.0,
                "suppliers": 0,
                "local_edges": 0,
                "local_value": 0.0,
                "local_suppliers": 0,
                "foreign_edges": 0,
                "foreign_value": 0.0,
                "foreign_suppliers": 0,
            },
        )
        t["edges"] += _int(r["edges"])
        t["untagged_edges"] += _int(r.get("untagged_edges"))
        t["valued_edges"] += _int(r["valued_edges"])
        t["value"] += _num(r["value"])
        t["suppliers"] += _int(r["suppliers"])
        origin = r.get("origin")
        if origin in ("local", "foreign"):
            t[f"{origin}_edges"] += _int(r["edges"])
            t[f"{origin}_value"] += _num(r["value"])
            t[f"{origin}_suppliers"] += _int(r["suppliers"])
    return out


def _share_text(ratio: float, basis: str | None) -> str:
    how = "按供货额" if basis == "value" else "按供货关系数"
    return f"{ratio:.0%}（{how}）"


def segment_finding(
    coverage: Row,
    thresholds: WeakLinkThresholds,
    *,
    supply: Mapping[str, Any] | None = None,
    firms: Row | None = None,
    suppliers: Row | None = None,
    single: Row | None = None,
    criticality: Mapping[str, Any] | None = None,
    choke: Row | None = None,
    downstream_revenue: float = 0.0,
) -> dict[str, Any]:
    """The finding for one segment from its query rows (pure).

    ``coverage`` is an entry of ``segment_coverage``, ``supply`` the segment's entry of
    ``supply_totals`` and ``choke`` its weak_choke_technologies row: they decide the status.
    The evidence rows, None when not fetched, only fill the evidence: ``firms`` of
    weak_segment_firms, ``suppliers`` of weak_demand_suppliers, ``single`` of
    weak_single_source (its ``shown`` entries with a ``supplier`` name added).
    ``criticality`` is the segment's entry of ``feeds_criticality``; ``downstream_revenue``
    the known revenue of the local enterprises of the segments it FEEDS in its chain.
    """
    t = thresholds
    firms = firms or {}
    supply = supply or {}
    sources = suppliers or {}
    single = single or {}
    choke = choke or {}
    enterprises = _int(coverage["enterprises"])
    inferred = _int(coverage.get("inferred_enterprises"))
    leaders = leader_count(coverage, t)
    known = _int(coverage["revenue_known"])
    total = _total(coverage["revenue_total"])
    index = hhi(total, _num(coverage["revenue_sq"]), known, t.hhi_min_known)
    edges = _int(supply.get("edges"))
    untagged = _int(supply.get("untagged_edges"))
    valued = _int(supply.get("valued_edges"))
    value = _total(supply.get("value"))
    ratio, basis = local_supply_ratio(
        edges, _int(supply.get("local_edges")), valued, value, _total(supply.get("local_value"))
    )
    foreign, _ = local_supply_ratio(
        edges,
        _int(supply.get("foreign_edges")),
        valued,
        value,
        _total(supply.get("foreign_value")),
    )
    n_suppliers = _int(supply.get("suppliers"))
    n_local_suppliers = _int(supply.get("local_suppliers"))
    n_foreign_suppliers = _int(supply.get("foreign_suppliers"))
    top_suppliers = [x for x in sources.get("shown") or [] if x.get("id") is not None]
    capacity_known = _int(coverage.get("capacity_known"))
    capacity = _total(coverage.get("capacity_total"))
    chokes = _int(choke.get("technologies"))
    choke_shown = [x for x in choke.get("shown") or [] if x.get("id") is not None]

    reasons: list[dict[str, Any]] = []
    notes: list[dict[str, Any]] = []
    strengths: list[dict[str, Any]] = []
    if enterprises == 0 and inferred == 0:
        reasons.append(
            _reason(
                "no_enterprise", "missing", "省内无企业布局该环节（缺链）", "enterprises", 0, 1, "<"
            )
        )
    if enterprises == 0 and inferred > 0:
        reasons.append(
            _reason(
                "only_inferred",
                "unverified",
                f"省内仅有{inferred}家按行业代码推断归入该环节的企业，清单未载明，待核实",
                "enterprises",
                0,
                1,
                "<",
            )
        )
    if ratio is not None and ratio < t.local_ratio:
        reasons.append(
            _reason(
                "low_local_supply",
                "dependent",
                f"本地配套率{_share_text(ratio, basis)}，低于{t.local_ratio:.0%}，"
                "省内需求主要依赖省外供应",
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
    if foreign is not None and foreign > t.foreign_ratio:
        abroad = [x for x in sources.get("foreign_shown") or [] if x.get("id") is not None]
        names = "、".join(
            f"{x['name'] or x['id']}（{x.get('country') or '境外'}）" for x in abroad[:3]
        )
        reasons.append(
            _reason(
                "foreign_dependence",
                "dependent",
                f"境外供应占本地需求{_share_text(foreign, basis)}，高于{t.foreign_ratio:.0%}，"
                "存在进口依赖" + (f"（{names}）" if names else "") + "，宜推进国产替代",
                "foreign_supply_ratio",
                foreign,
                t.foreign_ratio,
                ">",
            )
        )
    if chokes > 0:
        names = "、".join(x["name"] for x in choke_shown[:3])
        reasons.append(
            _reason(
                "choke_technology",
                "dependent",
                f"技术清单列有{chokes}项未突破的卡脖子技术" + (f"（{names}）" if names else ""),
                "choke_technologies",
                chokes,
                1,
                ">=",
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
            if top_is_leader(coverage, t):
                top = next((f for f in firms.get("firms") or [] if f.get("id") is not None), None)
                who = f"龙头企业{top['name']}" if top else "龙头企业"
                strengths.append(
                    _reason(
                        "chain_leader",
                        "ok",
                        f"营业收入集中度HHI为{index:.2f}，由{who}引领，链主带动作用强",
                        "hhi",
                        index,
                        t.hhi,
                        ">",
                    )
                )
            else:
                reasons.append(
                    _reason(
                        "concentrated",
                        "weak",
                        f"营业收入集中度HHI为{index:.2f}，高于{t.hhi:.2f}，"
                        "产能集中于非龙头的少数企业",
                        "hhi",
                        index,
                        t.hhi,
                        ">",
                    )
                )
        if (
            capacity_known == enterprises
            and basis == "value"
            and capacity < t.capacity_ratio * value
        ):
            reasons.append(
                _reason(
                    "capacity_short",
                    "weak",
                    f"省内产能合计{capacity:,.0f}万元，低于本地需求{value:,.0f}万元"
                    + (f"的{t.capacity_ratio:g}倍" if t.capacity_ratio != 1 else ""),
                    "capacity_demand_ratio",
                    _r(capacity / value),
                    t.capacity_ratio,
                    "<",
                )
            )
    fired = [r for r in reasons if r["code"] in RECORDED_REASONS]
    capable = enterprises >= t.min_enterprises
    if fired and capable and edges < t.sparse_edges_per_firm * enterprises:
        for r in fired:
            r["status"] = "insufficient_data"
        reasons.append(
            _reason(
                "sparse_supply_data",
                "insufficient_data",
                f"省内有{enterprises}家企业具备该环节能力，但仅记录{edges}条本地供货关系"
                f"（少于每家{t.sparse_edges_per_firm:g}条），不足以判定断链，请补充供应关系清单",
                "supply_edges_per_firm",
                _r(edges / enterprises),
                t.sparse_edges_per_firm,
                "<",
            )
        )
    if untagged and edges:
        notes.append(
            {
                "code": "demand_by_operating_segment",
                "text": f"{untagged}条本地供货关系未注明产品所属环节，按供方布局的全部环节计入",
                "metric": "untagged_supply_edges",
                "value": untagged,
            }
        )
    if inferred and enterprises:
        notes.append(
            {
                "code": "inferred_not_counted",
                "text": f"另有{inferred}家按行业代码推断的企业未计入，待核实",
                "metric": "inferred_enterprises",
                "value": inferred,
            }
        )
    status = "ok"
    for r in reasons:
        status = more_severe(status, r["status"])
    reasons.sort(key=lambda r: -SEVERITY[r["status"]])

    crit = criticality or {}
    metrics = {
        "enterprises": enterprises,
        "inferred_enterprises": inferred,
        "leaders": leaders,
        "revenue_known": known,
        "revenue_unknown": enterprises - known,
        "revenue_total": _r(total),
        "hhi": index,
        "capacity_known": capacity_known,
        "capacity_total": _r(capacity) if capacity_known else None,
        "outside_enterprises": _int(coverage.get("outside_enterprises")),
        "supply_edges": edges,
        "untagged_supply_edges": untagged,
        "local_supply_edges": _int(supply.get("local_edges")),
        "valued_supply_edges": valued,
        "supply_value": _r(value),
        "local_supply_value": _r(_num(supply.get("local_value"))),
        "local_supply_ratio": ratio,
        "ratio_basis": basis,
        "foreign_supply_value": _r(_num(supply.get("foreign_value"))),
        "foreign_supply_ratio": foreign,
        "suppliers": n_suppliers,
        "local_suppliers": n_local_suppliers,
        "foreign_suppliers": n_foreign_suppliers,
        "choke_technologies": chokes,
        "downstream_revenue": _r(downstream_revenue),
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
        "inferred": _listed(inferred, firms.get("inferred")),
        "leaders": _listed(_int(coverage.get("leaders")), firms.get("leaders")),
        "unknown_revenue": _listed(enterprises - known, firms.get("unknown_revenue")),
        "suppliers": _listed(n_suppliers, top_suppliers),
        "outside_suppliers": _listed(n_suppliers - n_local_suppliers, sources.get("outside_shown")),
        "foreign_suppliers": _listed(n_foreign_suppliers, sources.get("foreign_shown")),
        "choke_technologies": _listed(chokes, choke_shown),
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
        "status_label": STATUS_LABELS[status],
        "rank": None,
        "severity": severity(status, value, downstream_revenue, crit),
        "reasons": reasons,
        "notes": notes,
        "strengths": strengths,
        "metrics": metrics,
        "evidence": evidence,
    }


def ranked(segments: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The not-ok segments, highest severity score first (then more severe status, chain order)."""
    flagged = [(i, seg) for i, seg in enumerate(segments) if seg["status"] != "ok"]
    flagged.sort(key=lambda p: (-p[1]["severity"]["score"], -SEVERITY[p[1]["status"]], p[0]))
    return [seg for _, seg in flagged]


def chain_summary(segments: Sequence[Mapping[str, Any]], thresholds: WeakLinkThresholds) -> dict:
    """Counts per status, the not-ok segments ranked by severity, and the thresholds used."""
    by_status = {s: 0 for s in STATUSES}
    for seg in segments:
        by_status[seg["status"]] += 1
    return {
        "segments": len(segments),
        "by_status": by_status,
        "flagged": [
            {
                "name": seg["name"],
                "status": seg["status"],
                "rank": seg["rank"],
                "score": seg["severity"]["score"],
            }
            for seg in ranked(segments)
        ],
        "strengths": [
            {"name": seg["name"], "codes": [x["code"] for x in seg["strengths"]]}
            for seg in segments
            if seg["strengths"]
        ],
        "thresholds": thresholds.model_dump(),
    }


def chain_report(
    chain: str,
    cluster: str | None,
    segments: list[dict[str, Any]],
    recommendations: list[dict[str, Any]],
    thresholds: WeakLinkThresholds,
    origin: str = "notice",
) -> dict[str, Any]:
    """One chain's entry of the weak-links JSON (pure); numbers each flagged segment's rank.

    ``origin``: registry for a chain of the chains registry (产业链登记表), not the notice."""
    for i, seg in enumerate(ranked(segments), 1):
        seg["rank"] = i  # type: ignore[index]
    return {
        "chain": chain,
        "cluster": cluster,
        "origin": origin,
        "summary": chain_summary(segments, thresholds),
        "segments": segments,
        "recommendations": recommendations,
    }


def _by_segment(rows: Iterable[Row]) -> dict[str, Row]:
    return {r["segment_id"]: r for r in rows}


def downstream_revenues(
    coverage: Iterable[Mapping[str, Any]], edges: Iterable[tuple[str, str]]
) -> dict[str, float]:
    """Per segment id: the known local revenue of the segments it FEEDS directly (pure)."""
    revenue = {c["segment_id"]: _num(c["revenue_total"]) for c in coverage}
    out: dict[str, float] = {}
    seen: set[tuple[str, str]] = set()
    for a, b in edges:
        if a != b and (a, b) not in seen and b in revenue:
            seen.add((a, b))
            out[a] = out.get(a, 0.0) + revenue[b]
    return out


# --- I/O: run the queries -------------------------------------------------------------


def weak_link_chains(
    store: GraphStore,
    chains: Sequence[ChainRef],
    thresholds: WeakLinkThresholds,
    projection: Projection | None = None,
    *,
    evidence: bool = True,
) -> list[dict[str, Any]]:
    """Findings and 补链 recommendations for each chain, in the given order.

    Without ``evidence`` only the statuses, reasons and metrics (the evidence lists and the
    recommendations stay empty): what a year-over-year comparison needs, at a third of the
    time on a large graph.

    Three queries over all the chains decide every status (coverage, local supply, 卡脖子
    technologies; aggregated in Cypher); the evidence lists are then fetched only for the
    segments with a finding (status not ok) or a strength, so the time grows with the
    findings, not with the whole graph.
    """
    names = [c.name for c in chains]
    if not names:
        return []
    read = projected_read(store, projection)
    t = thresholds
    params = {"chains": names}
    coverage = segment_coverage(
        read("weak_segments", params),
        read(
            "weak_segment_coverage",
            {**params, "leader_min_revenue": float(t.leader_min_revenue)},
        ),
    )
    feeding = [r["segment_id"] for r in read("weak_feeding_segments", params)]
    supply = (
        supply_totals(read("weak_local_supply", {"segments": feeding, "domestic": list(DOMESTIC)}))
        if feeding
        else {}
    )
    choke = _by_segment(
        read(
            "weak_choke_technologies",
            {**params, "solved": list(SOLVED), "cap": t.evidence_cap},
        )
    )
    feeds = read("chain_feeds", params)

    per_chain: dict[str, list[Row]] = {n: [] for n in names}
    for row in coverage:
        per_chain[row["chain"]].append(row)
    edges_of: dict[str, list[tuple[str, str]]] = {n: [] for n in names}
    for e in feeds:
        edges_of[e["chain"]].append((e["from_id"], e["to_id"]))
    crit: dict[str, Mapping[str, Any]] = {}
    downstream: dict[str, float] = {}
    for name in names:
        crit.update(feeds_criticality([r["segment_id"] for r in per_chain[name]], edges_of[name]))
        downstream.update(downstream_revenues(per_chain[name], edges_of[name]))

    def finding(row: Row, **evidence: Any) -> dict[str, Any]:
        sid = row["segment_id"]
        return segment_finding(
            row,
            t,
            supply=supply.get(sid),
            choke=choke.get(sid),
            criticality=crit.get(sid),
            downstream_revenue=downstream.get(sid, 0.0),
            **evidence,
        )

    prelim = {row["segment_id"]: finding(row) for rows in per_chain.values() for row in rows}
    if not evidence:
        segments_of = {n: [prelim[r["segment_id"]] for r in per_chain[n]] for n in names}
        return [chain_report(c.name, c.cluster, segments_of[c.name], [], t) for c in chains]
    found = _evidence(read, prelim, t)
    advice = {k: found.pop(k) for k in ("candidates", "targets", "projects", "substitutes")}
    segments_of = {
        name: [
            finding(row, **{k: v.get(row["segment_id"]) for k, v in found.items()})
            for row in per_chain[name]
        ]
        for name in names
    }
    return [
        chain_report(
            c.name,
            c.cluster,
            segments_of[c.name],
            recommendations_from_rows(segments_of[c.name], advice, t.recommend_top),
            t,
            c.origin,
        )
        for c in chains
    ]


def _grouped(rows: Iterable[Row]) -> dict[str, list[Row]]:
    out: dict[str, list[Row]] = {}
    for r in rows:
        out.setdefault(r["segment_id"], []).append(r)
    return out


def _evidence(
    read: Callable[[str, Mapping[str, Any]], list[Row]],
    prelim: Mapping[str, Mapping[str, Any]],
    t: WeakLinkThresholds,
) -> dict[str, dict[str, Any]]:
    """Evidence rows by segment id, for the segments with a finding or a strength only.

    ``prelim`` holds each segment's finding without evidence (the status does not depend
    on it). Firms are listed for flagged segments that have firms and for 链主 strengths,
    suppliers for segments with local demand that are missing or dependent, single-sourced
    customers where the single-source rule fired; 补链 candidates (招商清单 targets, projects,
    out-of-province firms) for missing and dependent segments; 国产替代 candidates where
    foreign dependence or a 卡脖子 technology fired.
    """
    status = {sid: f["status"] for sid, f in prelim.items()}
    codes = {sid: {r["code"] for r in f["reasons"]} for sid, f in prelim.items()}
    flagged = [sid for sid, st in status.items() if st != "ok"]
    firms_of = [
        sid
        for sid, f in prelim.items()
        if (status[sid] != "ok" and status[sid] != "missing") or f["strengths"]
    ]
    recommend_of = [sid for sid in flagged if status[sid] in ("missing", "dependent")]
    supply_of = [sid for sid in flagged if prelim[sid]["metrics"]["supply_edges"]]
    single_of = [sid for sid in supply_of if "single_source" in codes[sid]]
    substitute_of = [
        sid for sid in recommend_of if codes[sid] & {"foreign_dependence", "choke_technology"}
    ]
    out: dict[str, dict[str, Any]] = {
        "firms": {},
        "suppliers": {},
        "single": {},
        "candidates": {},
        "targets": {},
        "projects": {},
        "substitutes": {},
    }
    cap = t.evidence_cap
    domestic = list(DOMESTIC)
    if firms_of:
        out["firms"] = _by_segment(read("weak_segment_firms", {"segments": firms_of, "cap": cap}))
    if supply_of:
        out["suppliers"] = _by_segment(
            read(
                "weak_demand_suppliers",
                {"segments": supply_of, "cap": cap, "domestic": domestic},
            )
        )
    if single_of:
        single = read("weak_single_source", {"segments": single_of, "cap": cap})
        ids = sorted({x["supplier_id"] for r in single for x in r["shown"] or [] if x.get("id")})
        names = {r["id"]: r for r in read("chain_orgs", {"ids": ids})} if ids else {}
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
        seg = {"segments": recommend_of}
        out["candidates"] = _by_segment(
            read("recommend_candidates", {**seg, "cap": t.recommend_top})
        )
        out["targets"] = _grouped(read("recommend_targets", seg))
        out["projects"] = _grouped(
            read("recommend_projects", {**seg, "statuses": list(PROJECT_STATUSES)})
        )
    if substitute_of:
        out["substitutes"] = _by_segment(
            read(
                "recommend_substitutes",
                {"segments": substitute_of, "domestic": domestic, "cap": t.recommend_top},
            )
        )
    return out


def weak_links(
    store: GraphStore,
    chains: Sequence[ChainRef],
    thresholds: WeakLinkThresholds | None = None,
    *,
    criticality: bool = False,
    projection: Projection | None = None,
    evidence: bool = True,
) -> dict[str, Any]:
    """The weak-links JSON: ``{"chains": [...]}`` (see docs/weak-links.md).

    ``evidence`` False: statuses, reasons and metrics only (see ``weak_link_chains``).

    With ``criticality``, each chain's summary also lists its most critical enterprises
    (``critical_enterprises``, see ``criticality.chain_criticality``; seconds per large chain).
    ``projection``: a current read projection of ``store`` (graph/projection.py): the queries
    that aggregate over the whole graph are then answered from it (queries/projected.py), with
    the same result.
    """
    t = thresholds or load_thresholds()
    report = {"chains": weak_link_chains(store, chains, t, projection, evidence=evidence)}
    if criticality:
        for ch in report["chains"]:
            ch["summary"]["critical_enterprises"] = chain_criticality(
                store, ch["chain"], projection=projection
            )
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
    store: GraphStore,
    thresholds: WeakLinkThresholds | None = None,
    *,
    projection: Projection | None = None,
) -> list[dict[str, Any]]:
    """The province's weak links, one row per chain (for ``chainkg demo``).

    Row keys: chain, cluster, segments, one count per status (``STATUSES``), flagged (the
    not-ok segments as Chinese text, highest severity first). ``projection``: a current read
    projection of ``store`` to answer from (the same rows).
    """
    report = weak_links(store, list_chains(store), thresholds, projection=projection)
    return summary_rows(report)


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
                    "rank": seg["rank"],
                    "severity": seg["severity"]["score"],
                    "enterprises": m["enterprises"],
                    "inferred_enterprises": m["inferred_enterprises"],
                    "leaders": m["leaders"],
                    "hhi": m["hhi"],
                    "local_supply_ratio": m["local_supply_ratio"],
                    "suppliers": m["suppliers"],
                    "outside_enterprises": m["outside_enterprises"],
                    "foreign_supply_ratio": m["foreign_supply_ratio"],
                    "reasons": "；".join(r["text"] for r in seg["reasons"]),
                    "strengths": "；".join(r["text"] for r in seg["strengths"]),
                    "notes": "；".join(r["text"] for r in seg["notes"]),
                }
            )
    return rows
