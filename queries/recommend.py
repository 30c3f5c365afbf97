"""补链 recommendations: whom to attract or deepen ties with, for missing and dependent segments.

For every segment whose status is ``missing`` (缺链) or ``dependent`` (断链), the candidates
are the out-of-province organisations (in_province = false) in the graph that operate in the
segment. They are ranked by, in this order:

1. ``ties``: their existing SUPPLIES edges to in-province organisations (an enterprise that
   already serves local firms is the easiest to bring closer: 以商招商, 以链招商);
2. ``tie_value``: the value of those edges (万元);
3. ``revenue``: their size (营业收入, 万元; unknown last);
4. their id, so that the order is total.

Each candidate carries the reason in Chinese with the numbers. The query ranks and caps in
Cypher; ``rank_candidates`` applies the same order in Python so that the rule is stated (and
tested) in one readable place.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from chainkg.graph.store import Row

ACTION = {
    "missing": "招引落地，填补缺链",
    "dependent": "深化本地配套合作或引进布局，降低对省外单一来源的依赖",
}


def _key(c: Mapping[str, Any]) -> tuple:
    revenue = c.get("revenue")
    return (
        -(c.get("ties") or 0),
        -(c.get("tie_value") or 0.0),
        -(revenue if revenue is not None else -1.0),
        c.get("id") or "",
    )


def rank_candidates(candidates: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Candidates in recommendation order (ties, tie value, revenue, id), numbered from 1."""
    ranked = sorted((dict(c) for c in candidates if c.get("id") is not None), key=_key)
    for i, c in enumerate(ranked, 1):
        c["rank"] = i
        c["reason"] = candidate_reason(c)
    return ranked


def _amount(x: float) -> str:
    return f"{x:,.0f}" if x == int(x) else f"{x:,.2f}"


def candidate_reason(c: Mapping[str, Any]) -> str:
    """Why a candidate ranks where it does, in Chinese with its numbers."""
    ties = c.get("ties") or 0
    if ties:
        value = c.get("tie_value") or 0.0
        worth = f"，合计{_amount(value)}万元" if value else "（供货额未知）"
        tie_text = f"已向{c.get('local_customers') or 0}家省内企业供货（{ties}条供货关系{worth}）"
    else:
        tie_text = "尚未与省内企业建立供货关系"
    revenue = c.get("revenue")
    size = f"营业收入{_amount(revenue)}万元" if revenue is not None else "营业收入未知"
    leader = "，龙头企业" if c.get("leader") else ""
    return f"第{c.get('rank', '?')}位：{tie_text}；{size}{leader}"


def recommendations_from_rows(
    segments: Sequence[Mapping[str, Any]], candidates: Mapping[str, Row], top: int
) -> list[dict[str, Any]]:
    """One recommendation per missing or dependent segment (pure), most severe first.

    ``segments`` are findings (``segment_finding``), ``candidates`` rows of
    recommend_candidates by segment id.
    """
    out = []
    ordered = [s for s in segments if s["status"] == "missing"] + [
        s for s in segments if s["status"] == "dependent"
    ]
    for seg in ordered:
        row = candidates.get(seg["evidence"]["segment_id"]) or {}
        ranked = rank_candidates(row.get("shown") or [])[:top]
        total = int(row.get("candidates") or 0)
        out.append(
            {
                "segment": seg["name"],
                "segment_id": seg["evidence"]["segment_id"],
                "status": seg["status"],
                "action": ACTION[seg["status"]],
                "candidates_total": total,
                "candidates": ranked,
                "note": None
                if ranked
                else "图谱中暂无在该环节布局的省外企业，需从图谱外寻找招商对象",
            }
        )
    return out
