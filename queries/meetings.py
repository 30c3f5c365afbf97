"""The 双长制 at work: the meeting calendar, agendas, supervision (督办) and findings -> problems.

Reads the roster, the ledger and the weak links; plans and writes through the loaders'
writers (``meeting_store``, ``ledger_store``), which write through the GraphStore.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from chainkg.errors import NotFoundError
from chainkg.graph.catalog import query
from chainkg.graph.store import GraphStore
from chainkg.loaders.ledger_model import overdue_on
from chainkg.loaders.ledger_policy import Policy
from chainkg.loaders.ledger_store import add_problem
from chainkg.loaders.meeting_plan import ChainRoles, agenda, escalation, plan_year
from chainkg.loaders.meeting_store import write_meetings
from chainkg.queries.findings import STATUS_LABELS, list_chains, weak_link_chains
from chainkg.queries.roster import read_roster
from chainkg.queries.thresholds import load_thresholds


def read_deputies(store: GraphStore) -> list[dict[str, Any]]:
    """City deputy chiefs (副群链长): chain, name, title, city, source, source_ref, synthetic."""
    return store.read(query("roster_deputies"))


def chain_roles(store: GraphStore) -> tuple[list[ChainRoles], str | None]:
    """Every chain with its cluster's chiefs, units, chairs and deputies; and the 总群链长."""
    roster = read_roster(store)
    deputies: dict[str, list[str]] = defaultdict(list)
    for d in read_deputies(store):
        deputies[d["chain"]].append(f"{d['name']}（{d['city']}副群链长）")
    out = []
    for cluster in roster["clusters"]:
        chiefs = tuple(c["name"] for c in cluster["chiefs"])
        for ch in cluster["chains"]:
            out.append(
                ChainRoles(
                    ch["name"],
                    cluster["name"],
                    chiefs,
                    tuple(u["name"] for u in ch["responsible_units"]),
                    tuple(a["name"] for a in ch["alliance_chairs"]),
                    tuple(deputies.get(ch["name"], ())),
                )
            )
    general = roster["general_chief"]["name"] if roster["general_chief"] else None
    return out, general


def plan_calendar(
    store: GraphStore, year: int, policy: Policy, *, now: dt.datetime, synthetic: bool = False
) -> list[dict[str, Any]]:
    """Plan and store the regular meetings of ``year`` (idempotent); returns them."""
    chains, general = chain_roles(store)
    meetings = plan_year(year, policy, chains, general)
    write_meetings(store, meetings, now=now, synthetic=synthetic)
    return meetings


def list_meetings(
    store: GraphStore, first: dt.date, last: dt.date, kind: str | None = None
) -> list[dict[str, Any]]:
    """Meetings held from ``first`` to ``last``, optionally of one kind, by day."""
    params = {"first_day": first, "last_day": last, "kind": kind or ""}
    return [dict(r["m"]) for r in store.read(query("meetings_list"), params)]


def all_meetings(store: GraphStore) -> list[dict[str, Any]]:
    """Every meeting of the calendar."""
    return list_meetings(store, dt.date(1900, 1, 1), dt.date(2999, 12, 31))


def read_meeting(store: GraphStore, meeting_id: str) -> dict[str, Any]:
    """One meeting; NotFoundError if absent."""
    found = store.nodes_by_id("Meeting", [meeting_id])
    if not found:
        raise NotFoundError(
            f"no meeting {meeting_id!r} in the calendar", hint="see `chainkg meetings list`"
        )
    return dict(found[0])


def decisions(store: GraphStore, *, open_only: bool = False) -> list[dict[str, Any]]:
    """Decisions from meetings' minutes (all, or only those not done)."""
    return [dict(r["d"]) for r in store.read(query("meetings_decisions"), {"open_only": open_only})]


def chain_problems(store: GraphStore, chains: Sequence[str]) -> list[dict[str, Any]]:
    """Every problem of ``chains``."""
    if not chains:
        return []
    return [
        dict(r["p"]) for r in store.read(query("ledger_chain_problems"), {"chains": list(chains)})
    ]


def new_findings(store: GraphStore, chains: Sequence[str]) -> list[dict[str, Any]]:
    """Weak links (短板弱项) of ``chains`` that no problem of origin 短板弱项 covers yet."""
    refs = [c for c in list_chains(store) if c.name in set(chains)]
    if not refs:
        return []
    reports = weak_link_chains(store, refs, load_thresholds())
    covered = {
        (p["chain"], p.get("segment"))
        for p in chain_problems(store, [c.name for c in refs])
        if p.get("origin") == "短板弱项"
    }
    out = []
    for ch in reports:
        for seg in ch["segments"]:
            if seg["status"] != "ok" and (ch["chain"], seg["name"]) not in covered:
                out.append(
                    {
                        "chain": ch["chain"],
                        "segment": seg["name"],
                        "status": seg["status"],
                        "status_label": STATUS_LABELS[seg["status"]],
                        "reasons": "；".join(r["text"] for r in seg["reasons"]),
                    }
                )
    return out


def meeting_agenda(
    store: GraphStore,
    meeting_id: str,
    policy: Policy,
    today: dt.date,
    *,
    with_findings: bool = True,
) -> dict[str, Any]:
    """A meeting with its agenda: escalated, overdue and major problems, open decisions and
    (``with_findings``) the weak links of its chains not yet in the ledger."""
    meeting = read_meeting(store, meeting_id)
    chains = meeting.get("chains") or []
    items = agenda(
        meeting,
        chain_problems(store, chains),
        all_meetings(store),
        decisions(store),
        policy,
        today,
    )
    items["findings"] = new_findings(store, chains) if with_findings else []
    return {"meeting": meeting, "agenda": items}


def problem_escalation(
    store: GraphStore, problem: dict[str, Any], policy: Policy, today: dt.date
) -> list[dict[str, Any]]:
    """The meetings ``problem`` is escalated to as of ``today`` (see meeting_plan.escalation)."""
    return escalation(problem, all_meetings(store), policy, today)


def supervision(
    store: GraphStore, policy: Policy, today: dt.date
) -> dict[str, list[dict[str, Any]]]:
    """督办: per 群链长 (by cluster) and per responsible unit, the overdue problems, the open
    decisions due by ``today`` and the weak-link findings not yet in the ledger."""
    chains, _ = chain_roles(store)
    names = [c.name for c in chains]
    problems = chain_problems(store, names)
    late = [p for p in problems if overdue_on(p, today, policy) is not None]
    open_decisions = [
        d for d in decisions(store, open_only=True) if d.get("due") and d["due"] <= today
    ]
    findings = new_findings(store, names)

    def block(scope_chains: set[str], owner: str | None) -> dict[str, Any]:
        mine = [
            p
            for p in late
            if p["chain"] in scope_chains and (owner is None or p.get("owner") in (owner, None))
        ]
        decs = [
            d
            for d in open_decisions
            if (owner is None and d.get("chain") in scope_chains) or d.get("owner") == owner
        ]
        finds = [f for f in findings if f["chain"] in scope_chains]
        return {
            "chains": sorted(scope_chains),
            "overdue": [
                {k: p.get(k) for k in ("id", "title", "chain", "owner", "status", "due")}
                for p in mine
            ],
            "open_decisions": [
                {k: d.get(k) for k in ("id", "title", "owner", "chain", "due")} for d in decs
            ],
            "open_findings": finds,
        }

    by_cluster: dict[str, list[ChainRoles]] = defaultdict(list)
    by_unit: dict[str, set[str]] = defaultdict(set)
    for c in chains:
        by_cluster[c.cluster].append(c)
        for u in c.units:
            by_unit[u].add(c.name)
    chiefs = []
    for cluster, members in by_cluster.items():
        names_ = (
            "、".join(dict.fromkeys(ch for c in members for ch in c.chiefs)) or "（文件未列明）"
        )
        chiefs.append(
            {"chief": names_, "cluster": cluster, **block({c.name for c in members}, None)}
        )
    units = [{"unit": u, **block(cs, u)} for u, cs in sorted(by_unit.items())]
    return {"chiefs": chiefs, "units": units}


def problem_from_finding(
    store: GraphStore,
    chain: str,
    segment: str,
    *,
    by: str,
    now: dt.datetime,
    policy: Policy,
    category: str = "一般",
    owner: str | None = None,
    synthetic: bool = False,
) -> dict[str, Any]:
    """Open a problem (origin 短板弱项) from the weak-link finding of ``segment`` of ``chain``,
    with the finding (status, reasons, metrics) attached as its evidence."""
    refs = [c for c in list_chains(store) if c.name == chain]
    if not refs:
        raise NotFoundError(f"no chain named {chain!r}", hint="use the chain's full name")
    report = weak_link_chains(store, refs, load_thresholds())[0]
    seg = next((s for s in report["segments"] if s["name"] == segment), None)
    if seg is None:
        raise NotFoundError(f"{chain} has no segment (环节) {segment!r}")
    if seg["status"] == "ok":
        raise NotFoundError(f"{chain}/{segment} has no weak-link finding (status ok)")
    evidence = {"status": seg["status"], "reasons": seg["reasons"], "metrics": seg["metrics"]}
    fields = {
        "chain": chain,
        "segment": segment,
        "title": f"短板弱项：{segment}（{STATUS_LABELS[seg['status']]}）",
        "description": "；".join(r["text"] for r in seg["reasons"]),
        "origin": "短板弱项",
        "category": category,
        "owner": owner,
        "evidence": json.dumps(evidence, ensure_ascii=False, default=str),
    }
    return add_problem(store, fields, by=by, now=now, policy=policy, synthetic=synthetic)


DEMO_LEDGER_SIZE = 300


def load_demo_ledger(
    store: GraphStore,
    policy: Policy,
    *,
    today: dt.date,
    count: int = DEMO_LEDGER_SIZE,
    seed: int = 14,
) -> dict[str, int]:
    """A synthetic ledger and calendar (示例数据) for ``today``'s year (or the last year the
    holiday calendar covers): the year's meetings, ``count`` problems, minutes with a
    decision for the first 调度会议. Returns how many of each were written."""
    from chainkg.loaders.demo_ledger import demo_problems
    from chainkg.loaders.ledger_policy import CalendarError, is_workday
    from chainkg.loaders.ledger_store import chain_context, write_problems
    from chainkg.loaders.meeting_store import record_minutes

    year = today.year
    try:
        is_workday(dt.date(year, 12, 31), policy.holidays)
    except CalendarError:
        year, today = year - 1, dt.date(year - 1, 12, 31)
    now = dt.datetime.combine(today, dt.time(9, 0))
    chains, general = chain_roles(store)
    meetings = plan_year(year, policy, chains, general)
    write_meetings(store, meetings, now=now, synthetic=True)
    contexts = {c.name: chain_context(store, c.name) for c in chains}
    spec = [
        (c.name, contexts[c.name].units, tuple(sorted(contexts[c.name].segments))) for c in chains
    ]
    made = list(demo_problems(spec, policy, year=year, today=today, count=count, seed=seed))
    with store.transaction() as tx:
        rows = [(problem, events, contexts[name]) for problem, events, name in made]
        write_problems(tx, rows, synthetic=True, drop_stale=False)
    held = [m for m in meetings if m["kind"] == "unit_dispatch_meeting" and m["held_on"] <= today]
    decided = 0
    if held:
        first = held[0]
        record_minutes(
            store,
            first["id"],
            minutes="示例数据：研究本月逾期问题，部署下月工作。",
            decisions=[
                {
                    "title": "示例：协调解决重点企业用地问题",
                    "owner": first["scope"],
                    "chain": first["chains"][0],
                    "due": first["held_on"] + dt.timedelta(days=20),
                }
            ],
            now=now,
        )
        decided = 1
    return {"year": year, "meetings": len(meetings), "problems": len(made), "decisions": decided}
