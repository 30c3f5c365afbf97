"""补链 recommendations: whom to attract or deepen ties with, for missing and dependent segments.

For every segment whose status is ``missing`` (缺链) or ``dependent`` (断链), candidates come
from three sources, in this order (``tier``):

1. ``target``: the chain's own 招商清单 entries for the segment (InvestmentTarget IN_SEGMENT):
   the responsible unit already chose them. 重点 priority first, then the revenue of the
   organisation a target names (unknown last), then id.
2. ``project``: the segment's projects (项目清单) not yet producing (status 在建, 拟建, 签约,
   筹建, 前期): they fill the gap when they finish. Largest investment first (unknown last).
3. ``outside_firm``: the out-of-province organisations (in_province = false) in the graph
   that operate in the segment, ranked by ``tie_value`` (the value of their SUPPLIES to
   in-province organisations, 万元: 16 large contracts outrank 24 small ones), then ``ties``
   (the number of those edges), then ``revenue`` (unknown last), then id.

Each candidate carries its rank (1..) and the reason in Chinese with its numbers. Where the
segment depends on suppliers abroad (境外依赖) or has a 卡脖子 technology, the recommendation
also lists ``substitutes``: domestic organisations operating in the segment (国产替代),
in-province first, then by revenue.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

ACTION = {
    "missing": "招引落地，填补缺链",
    "dependent": "深化本地配套合作或引进布局，降低对省外单一来源的依赖",
}
SUBSTITUTE_ACTION = "推进国产替代，培育或引进国内供应商"
PROJECT_STATUSES = ("在建", "拟建", "签约", "筹建", "前期")
TIERS = ("target", "project", "outside_firm")
SOURCE_LABELS = {"target": "招商清单", "project": "在建/拟建项目", "outside_firm": "省外企业"}


def _rev(x: Any) -> float:
    return x if x is not None else -1.0


def _key(c: Mapping[str, Any]) -> tuple:
    source = c.get("source") or "outside_firm"
    tier = TIERS.index(source)
    if source == "target":
        return (tier, c.get("priority") != "重点", -_rev(c.get("revenue")), 0.0, c.get("id") or "")
    if source == "project":
        return (tier, False, -_rev(c.get("investment")), 0.0, c.get("id") or "")
    return (
        tier,
        False,
        -(c.get("tie_value") or 0.0),
        -(c.get("ties") or 0),
        -_rev(c.get("revenue")),
        c.get("id") or "",
    )


def rank_candidates(candidates: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Candidates in recommendation order (tier, then value within it), numbered from 1.

    A candidate without ``source`` is an out-of-province firm.
    """
    ranked = sorted(
        (
            {**c, "source": c.get("source") or "outside_firm"}
            for c in candidates
            if c.get("id") is not None
        ),
        key=_key,
    )
    for i, c in enumerate(ranked, 1):
        c["rank"] = i
        c["source_label"] = SOURCE_LABELS[c["source"]]
        c["reason"] = candidate_reason(c)
    return ranked


def _amount(x: float) -> str:
    # Rounded to 分 first: a sum of 万元 values that float addition left a hair off a whole
    # number (22948.999999996) reads as one, whatever order the engine added in.
    x = round(x, 2)
    return f"{x:,.0f}" if x == int(x) else f"{x:,.2f}"


def candidate_reason(c: Mapping[str, Any]) -> str:
    """Why a candidate ranks where it does, in Chinese with its numbers."""
    source = c.get("source") or "outside_firm"
    head = f"第{c.get('rank', '?')}位："
    if source == "target":
        parts = ["列入本链招商清单"]
        if c.get("priority"):
            parts.append(f"优先级{c['priority']}")
        if c.get("status"):
            parts.append(f"进展{c['status']}")
        if c.get("origin"):
            parts.append(f"现位于{c['origin']}")
        if c.get("revenue") is not None:
            parts.append(f"营业收入{_amount(c['revenue'])}万元")
        text = "，".join(parts)
        return head + text + (f"；招商理由：{c['reason_text']}" if c.get("reason_text") else "")
    if source == "project":
        investment = c.get("investment")
        money = f"总投资{_amount(investment)}万元" if investment is not None else "总投资未知"
        where = f"（{c['city']}）" if c.get("city") else ""
        return f"{head}{c.get('status') or '在建'}项目{where}，{money}，建成后可补齐该环节"
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
    abroad = f"，境外（{c['country']}）" if c.get("country") not in (None, "", "中国") else ""
    return f"{head}{tie_text}；{size}{leader}{abroad}"


def _target(row: Mapping[str, Any]) -> dict[str, Any]:
    out = {k: row.get(k) for k in ("id", "name", "origin", "priority", "status", "revenue")}
    return {**out, "source": "target", "reason_text": row.get("reason")}


def _project(row: Mapping[str, Any]) -> dict[str, Any]:
    keys = ("id", "name", "city", "investment", "status", "owner", "start_year")
    return {**{k: row.get(k) for k in keys}, "source": "project"}


def substitute_reason(c: Mapping[str, Any], rank: int) -> str:
    """Why a domestic organisation is a 国产替代 candidate, in Chinese."""
    where = "省内" if c.get("in_province") else (c.get("province") or "国内省外")
    revenue = c.get("revenue")
    size = f"营业收入{_amount(revenue)}万元" if revenue is not None else "营业收入未知"
    leader = "，龙头企业" if c.get("leader") else ""
    return f"第{rank}位：{where}企业，已布局该环节；{size}{leader}"


def recommendations_from_rows(
    segments: Sequence[Mapping[str, Any]], advice: Mapping[str, Mapping[str, Any]], top: int
) -> list[dict[str, Any]]:
    """One recommendation per missing or dependent segment (pure), most severe first.

    ``segments`` are findings (``segment_finding``); ``advice`` maps ``candidates``
    (recommend_candidates rows by segment id), ``targets`` and ``projects`` (lists of
    recommend_targets / recommend_projects rows by segment id) and ``substitutes``
    (recommend_substitutes rows by segment id).
    """
    out = []
    ordered = [s for s in segments if s["status"] == "missing"] + [
        s for s in segments if s["status"] == "dependent"
    ]
    for seg in ordered:
        sid = seg["evidence"]["segment_id"]
        row = (advice.get("candidates") or {}).get(sid) or {}
        targets = [_target(r) for r in (advice.get("targets") or {}).get(sid) or []]
        projects = [_project(r) for r in (advice.get("projects") or {}).get(sid) or []]
        ranked = rank_candidates([*targets, *projects, *(row.get("shown") or [])])[:top]
        total = len(targets) + len(projects) + int(row.get("candidates") or 0)
        subs_row = (advice.get("substitutes") or {}).get(sid)
        substitutes = None
        if subs_row is not None:
            shown = [dict(x) for x in subs_row.get("shown") or [] if x.get("id") is not None]
            for i, c in enumerate(shown, 1):
                c["rank"] = i
                c["reason"] = substitute_reason(c, i)
            substitutes = {
                "action": SUBSTITUTE_ACTION,
                "count": int(subs_row.get("candidates") or 0),
                "shown": shown,
            }
        out.append(
            {
                "segment": seg["name"],
                "segment_id": sid,
                "status": seg["status"],
                "score": seg["severity"]["score"],
                "action": ACTION[seg["status"]],
                "candidates_total": total,
                "candidates": ranked,
                "substitutes": substitutes,
                "note": None
                if ranked
                else "招商清单、项目清单和图谱中均无该环节的候选，需从图谱外寻找招商对象",
            }
        )
    out.sort(key=lambda r: (r["status"] != "missing", -r["score"]))
    return out
