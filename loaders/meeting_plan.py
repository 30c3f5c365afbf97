"""The meeting calendar of 二、工作机制(一), escalation and agendas (pure).

The notice fixes the cadence (总群链长例会 half-yearly, 群链长例会 quarterly, 群链长责任单位
调度会议 monthly, 联席会议 and 产业链联盟会商 when needed); the policy file fixes the days.
Who convenes and who attends follows the roster:

- 总群链长例会: the province; convened by the 总群链长 (or a 群链长 he delegates);
  attended by every 群链长 and every 群链长责任单位.
- 群链长例会: one per cluster (重大集群); convened by its 群链长; attended by the
  responsible units and 盟会长单位 of its chains and their city 副群链长.
- 群链长责任单位调度会议: one per responsible unit; convened by the unit; attended by the
  other responsible units and the 盟会长单位 of its chains and their 副群链长.
- 联席会议 and 联盟会商 are added by hand (``ad_hoc``).

A meeting is a dict with the Meeting node's properties.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from chainkg.loaders.ledger_model import closed_on, open_on, overdue_on
from chainkg.loaders.ledger_policy import Policy, first_workday_on_or_after

GENERAL, CHIEF, DISPATCH = "general_chief_meeting", "chief_meeting", "unit_dispatch_meeting"
JOINT, ALLIANCE = "joint_meeting", "alliance_consultation"
MEETING_NAMES = {
    GENERAL: "总群链长例会",
    CHIEF: "群链长例会",
    DISPATCH: "群链长责任单位调度会议",
    JOINT: "联席会议",
    ALLIANCE: "产业链联盟会商",
}
PROVINCE = "河南省"
_CN_NUM = "一二三四"


@dataclass(frozen=True)
class ChainRoles:
    """One chain as the calendar needs it."""

    name: str
    cluster: str
    chiefs: tuple[str, ...]  # the cluster's 群链长 ("" when the notice leaves it blank)
    units: tuple[str, ...]  # 群链长责任单位
    chairs: tuple[str, ...]  # 盟会长单位
    deputies: tuple[str, ...] = ()  # city 副群链长, as "name (city)"


def meeting_id(kind: str, scope: str, day: dt.date) -> str:
    """A stable meeting id: the same kind, scope and day give the same id."""
    return f"meeting:{kind}:{scope}:{day.isoformat()}"


def _uniq(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(i for i in items if i))


def _meeting(
    kind: str,
    scope: str,
    day: dt.date,
    name: str,
    convener: str,
    attendees: Iterable[str],
    chains: Iterable[str],
    *,
    ad_hoc: bool = False,
    city: str | None = None,
) -> dict[str, Any]:
    return {
        "id": meeting_id(kind, scope, day),
        "kind": kind,
        "name": name,
        "held_on": day,
        "convener": convener,
        "attendees": _uniq(attendees),
        "chains": _uniq(chains),
        "scope": scope,
        "city": city,
        "ad_hoc": ad_hoc,
        "status": "计划",
        "minutes": None,
    }


def _period(kind: str, month: int, year: int) -> str:
    if kind == GENERAL:
        return f"{year}年{'上' if month <= 6 else '下'}半年"
    if kind == CHIEF:
        return f"{year}年第{_CN_NUM[(month - 1) // 3]}季度"
    return f"{year}年{month}月"


def plan_year(
    year: int,
    policy: Policy,
    chains: Sequence[ChainRoles],
    general_chief: str | None,
    kinds: Iterable[str] | None = None,
) -> list[dict[str, Any]]:
    """The regular meetings of ``year`` (only ``kinds``, default those with a rule in the
    policy), by day then id. CalendarError when the year has no holiday data."""
    wanted = [k for k in (kinds or policy.meetings) if k in policy.meetings]
    out: list[dict[str, Any]] = []
    all_units = _uniq(u for c in chains for u in c.units)
    all_chiefs = _uniq(ch for c in chains for ch in c.chiefs)
    clusters: dict[str, list[ChainRoles]] = {}
    units: dict[str, list[ChainRoles]] = {}
    for c in chains:
        clusters.setdefault(c.cluster, []).append(c)
        for u in c.units:
            units.setdefault(u, []).append(c)
    for kind in wanted:
        rule = policy.meetings[kind]
        for month in rule.months:
            day = first_workday_on_or_after(
                dt.date(year, month, rule.day), policy.counting, policy.holidays
            )
            period = _period(kind, month, year)
            if kind == GENERAL:
                convener = (
                    f"{general_chief}（总群链长）" if general_chief else "总群链长（文件未列明）"
                )
                out.append(
                    _meeting(
                        kind,
                        PROVINCE,
                        day,
                        f"{period}{MEETING_NAMES[kind]}",
                        convener,
                        [*all_chiefs, *all_units],
                        [c.name for c in chains],
                    )
                )
            elif kind == CHIEF:
                for cluster, members in clusters.items():
                    chiefs = _uniq(ch for c in members for ch in c.chiefs)
                    out.append(
                        _meeting(
                            kind,
                            cluster,
                            day,
                            f"{cluster}集群{period}{MEETING_NAMES[kind]}",
                            "、".join(chiefs) + "（群链长）" if chiefs else "群链长（文件未列明）",
                            [
                                *(u for c in members for u in c.units),
                                *(a for c in members for a in c.chairs),
                                *(d for c in members for d in c.deputies),
                            ],
                            [c.name for c in members],
                        )
                    )
            elif kind == DISPATCH:
                for unit, members in units.items():
                    out.append(
                        _meeting(
                            kind,
                            unit,
                            day,
                            f"{unit}{period}{MEETING_NAMES[kind]}",
                            unit,
                            [
                                *(u for c in members for u in c.units if u != unit),
                                *(a for c in members for a in c.chairs),
                                *(d for c in members for d in c.deputies),
                            ],
                            [c.name for c in members],
                        )
                    )
    return sorted(out, key=lambda m: (m["held_on"], m["id"]))


def ad_hoc_meeting(
    kind: str,
    day: dt.date,
    *,
    convener: str,
    chains: Sequence[str],
    attendees: Sequence[str] = (),
    name: str | None = None,
    city: str | None = None,
) -> dict[str, Any]:
    """A meeting added by hand (联席会议, 联盟会商, or a city's own meeting)."""
    scope = city or convener
    title = name or f"{scope}{day.year}年{day.month}月{day.day}日{MEETING_NAMES.get(kind, '会议')}"
    return _meeting(kind, scope, day, title, convener, attendees, chains, ad_hoc=True, city=city)


def _candidates(
    problem: Mapping[str, Any], kind: str, meetings: Sequence[Mapping[str, Any]]
) -> list[Mapping[str, Any]]:
    mine = [m for m in meetings if m["kind"] == kind and problem["chain"] in (m["chains"] or [])]
    if kind == DISPATCH and problem.get("owner"):
        owned = [m for m in mine if m["scope"] == problem["owner"]]
        mine = owned or mine
    return sorted(mine, key=lambda m: (m["held_on"], m["id"]))


def escalation(
    problem: Mapping[str, Any],
    meetings: Sequence[Mapping[str, Any]],
    policy: Policy,
    today: dt.date,
) -> list[dict[str, Any]]:
    """The meetings a problem goes to because it stayed open past its last stage.

    Still open when the last stage falls due -> the next meeting (after that day) of the
    policy's first escalation kind that covers its chain (its owner's 调度会议 first);
    still open after that meeting -> the next one of the second kind; and so on. Stops at
    the first meeting not yet held on ``today``, or when the problem was closed before a
    meeting. Each item: level (1..), kind, meeting id, name, held_on.
    """
    final_due = problem.get("final_due")
    if final_due is None or not policy.escalation:
        return []
    trigger = final_due
    ended = closed_on(problem)
    if ended is not None and ended <= trigger:
        return []
    out: list[dict[str, Any]] = []
    for level, kind in enumerate(policy.escalation, 1):
        nxt = next(
            (m for m in _candidates(problem, kind, meetings) if m["held_on"] > trigger), None
        )
        if nxt is None or (ended is not None and ended <= nxt["held_on"]):
            break
        out.append(
            {
                "level": level,
                "kind": kind,
                "meeting": nxt["id"],
                "name": nxt["name"],
                "held_on": nxt["held_on"],
            }
        )
        if nxt["held_on"] >= today:
            break
        trigger = nxt["held_on"]
    return out


def agenda(
    meeting: Mapping[str, Any],
    problems: Iterable[Mapping[str, Any]],
    meetings: Sequence[Mapping[str, Any]],
    decisions: Iterable[Mapping[str, Any]],
    policy: Policy,
    today: dt.date,
) -> dict[str, list[dict[str, Any]]]:
    """What a meeting discusses, judged on its day (pure).

    ``escalated``: problems whose escalation reaches this meeting; ``overdue``: other
    problems of its chains overdue on its day; ``major``: other open 个性重大 problems of its
    chains, and any problem routed to it; ``decisions``: open decisions of its chains due
    by its day. (New weak-link findings are added by the caller, which can query them.)
    """
    day: dt.date = meeting["held_on"]
    chains = set(meeting["chains"] or [])
    escalated, late, major = [], [], []
    for p in problems:
        routed = p.get("meeting") == meeting["id"]
        if p["chain"] not in chains and not routed:
            continue
        path = escalation(p, meetings, policy, today)
        hit = next((e for e in path if e["meeting"] == meeting["id"]), None)
        row = {k: p.get(k) for k in ("id", "title", "chain", "owner", "city", "category", "status")}
        if hit is not None:
            escalated.append({**row, "level": hit["level"], "final_due": p.get("final_due")})
            continue
        stage = overdue_on(p, day, policy)
        if stage is not None and p["chain"] in chains:
            late.append({**row, "stage": stage.key, "due": stage.due})
        elif routed or (p.get("category") == "个性重大" and open_on(p, day)):
            major.append(row)
    open_decisions = [
        {k: d.get(k) for k in ("id", "title", "owner", "chain", "due", "meeting")}
        for d in decisions
        if d.get("status") != "已完成"
        and d.get("chain") in chains
        and d.get("due") is not None
        and d["due"] <= day
    ]
    key = lambda r: (str(r.get("chain")), str(r.get("id")))  # noqa: E731
    return {
        "escalated": sorted(escalated, key=key),
        "overdue": sorted(late, key=key),
        "major": sorted(major, key=key),
        "decisions": sorted(open_decisions, key=key),
    }
