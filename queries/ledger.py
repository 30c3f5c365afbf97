"""Reading the problem ledger (问题台账): lists, overdue and due-soon problems, and figures.

``ledger_figures`` is the stable entry point for reports (the annual 蓝皮书 reads the solve
rate and satisfaction from it); its signature and the keys of its rows are documented in
docs/ledger.md and kept. The figure arithmetic (``figures``) is pure and tested without a
database.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from chainkg.errors import ChainkgError
from chainkg.graph.catalog import query
from chainkg.graph.editions import chain_id_for
from chainkg.graph.store import GraphStore, Row
from chainkg.loaders.ledger_model import REACHED_ON, RETURNED, SATISFACTION, schedule
from chainkg.loaders.ledger_policy import Policy, days_between, load_policy

GROUPINGS = ("chain", "owner", "cluster", "city", "month", "quarter", "year", "all")
DEFAULT_LIMIT = 100


def list_problems(
    store: GraphStore,
    *,
    chain: str | None = None,
    owner: str | None = None,
    status: str | None = None,
    category: str | None = None,
    city: str | None = None,
    open_only: bool = False,
    limit: int = 1000,
) -> list[dict[str, Any]]:
    """Problems matching every filter given, by registration day."""
    params = {
        "chain": chain or "",
        "owner": owner or "",
        "status": status or "",
        "category": category or "",
        "city": city or "",
        "open_only": bool(open_only),
        "limit": limit,
    }
    return [dict(r["p"]) for r in store.read(query("ledger_problems"), params)]


def schedule_rows(problem: Mapping[str, Any], policy: Policy) -> list[dict[str, Any]]:
    """A problem's 13710 stages as rows: stage, name, status, due, done_on, on_time."""
    return [
        {
            "stage": s.key,
            "name": s.name,
            "status": s.status,
            "due": s.due,
            "done_on": s.done_on,
            "on_time": s.on_time,
        }
        for s in schedule(problem, policy)
    ]


def problem_events(store: GraphStore, problem_id: str) -> list[dict[str, Any]]:
    """The recorded changes of a problem, oldest first."""
    return [dict(r["e"]) for r in store.read(query("ledger_problem_events"), {"id": problem_id})]


def _chain_filter(chains: Sequence[str] | None) -> dict[str, Any]:
    # A typed list is always passed: the embedded engine cannot bind a null list.
    return {"all_chains": chains is None, "chains": list(chains) if chains is not None else [""]}


def _rows_in_order(store: GraphStore, ids: list[str]) -> list[Row]:
    if not ids:
        return []
    found = {r["id"]: r for r in store.read(query("ledger_problem_rows"), {"ids": ids})}
    return [found[i] for i in ids if i in found]


def overdue(
    store: GraphStore,
    today: dt.date,
    *,
    chains: Sequence[str] | None = None,
    limit: int = DEFAULT_LIMIT,
) -> dict[str, Any]:
    """Open problems whose current stage was due before ``today``: the total and the first
    ``limit`` rows, most overdue first (each with ``days_overdue`` in calendar days).

    Three short reads instead of one: counts per due day (the total, and the day by which
    ``limit`` problems are reached), the ids up to that day in order, then their rows by key.
    A columnar engine then reads whole rows for ``limit`` problems only (100,000 problems:
    see bench/ledger_bench.py).
    """
    params = {"today": today, **_chain_filter(chains)}
    days = store.read(query("ledger_overdue_days"), params)
    total = sum(int(d["n"]) for d in days)
    rows: list[Row] = []
    if days and limit > 0:
        seen, last_due = 0, days[-1]["due"]
        for d in days:
            seen += int(d["n"])
            if seen >= limit:
                last_due = d["due"]
                break
        ids = [
            r["id"]
            for r in store.read(
                query("ledger_overdue"), {**params, "last_due": last_due, "limit": limit}
            )
        ]
        rows = _rows_in_order(store, ids)
    for r in rows:
        r["days_overdue"] = (today - r["due"]).days
    return {"today": today, "total": total, "problems": rows}


def due_soon(
    store: GraphStore,
    today: dt.date,
    until: dt.date,
    *,
    chains: Sequence[str] | None = None,
    limit: int = DEFAULT_LIMIT,
) -> list[Row]:
    """Open problems whose current stage falls due from ``today`` to ``until`` (临期)."""
    params = {"today": today, "until": until, **_chain_filter(chains), "limit": limit}
    ids = [r["id"] for r in store.read(query("ledger_due_soon"), params)]
    return _rows_in_order(store, ids)


def segment_problem_counts(store: GraphStore, chain: str, today: dt.date) -> dict[str, Row]:
    """Problem counts per segment of ``chain`` for a map's segment panel.

    Keyed by segment id: ``{"segment": name, "total": n, "open": n, "overdue": n}``; segments
    without problems are absent. Stable for the maps (issue 15).
    """
    rows = store.read(
        query("ledger_segment_counts"),
        {"chain_id": chain_id_for(store.read, chain), "today": today},
    )
    return {
        r["segment_id"]: {
            "segment": r["segment"],
            "total": int(r["total"]),
            "open": int(r["open"]),
            "overdue": int(r["overdue"]),
        }
        for r in rows
    }


def _group_key(row: Mapping[str, Any], by: str) -> str:
    if by == "all":
        return "全部"
    if by in ("month", "quarter", "year"):
        d: dt.date = row["registered"]
        if by == "month":
            return f"{d.year}-{d.month:02d}"
        if by == "quarter":
            return f"{d.year}Q{(d.month - 1) // 3 + 1}"
        return str(d.year)
    return row.get(by) or "(未填)"


def _rate(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


def figures(
    rows: Iterable[Mapping[str, Any]], policy: Policy, *, by: str, as_of: dt.date
) -> list[dict[str, Any]]:
    """The ledger's figures per group (pure).

    Per group: ``registered`` (problems registered), ``accepted`` (not 退回), ``resolved``
    (reached 办结 by ``as_of``), ``solve_rate`` = resolved / accepted, ``on_time`` (resolved
    by the 办结 stage's due day), ``on_time_rate`` = on_time / resolved, ``median_days``
    (per stage key: median working days from the previous stage to it, over the problems
    that reached it), ``satisfaction`` (counts of 满意/基本满意/不满意 among the rated),
    ``satisfaction_rate`` = (满意 + 基本满意) / rated. Rates are None when their base is 0.
    """
    if by not in GROUPINGS:
        raise ChainkgError(
            f"cannot group figures by {by!r}", hint=f"use one of {', '.join(GROUPINGS)}"
        )
    resolve_stage = next((s for s in policy.stages if s.status == "办结"), None)
    groups: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[_group_key(row, by)].append(row)
    out = []
    for key in sorted(groups):
        members = groups[key]
        accepted = [r for r in members if r["status"] != RETURNED]
        resolved = [r for r in accepted if r.get("resolved_on") and r["resolved_on"] <= as_of]
        on_time = 0
        if resolve_stage is not None:
            for r in resolved:
                due = next(s.due for s in schedule(r, policy) if s.key == resolve_stage.key)
                on_time += r["resolved_on"] <= due
        medians: dict[str, float | None] = {}
        previous = "registered"
        for stage in policy.stages:
            field = REACHED_ON[stage.status]
            spans = [
                days_between(r[previous], r[field], policy.counting, policy.holidays)
                for r in members
                if r.get(previous) and r.get(field) and r[field] <= as_of
            ]
            medians[stage.key] = statistics.median(spans) if spans else None
            previous = field
        counts = {s: sum(1 for r in members if r.get("satisfaction") == s) for s in SATISFACTION}
        rated = sum(counts.values())
        out.append(
            {
                by: key,
                "registered": len(members),
                "accepted": len(accepted),
                "resolved": len(resolved),
                "solve_rate": _rate(len(resolved), len(accepted)),
                "on_time": on_time,
                "on_time_rate": _rate(on_time, len(resolved)),
                "median_days": medians,
                "satisfaction": counts,
                "satisfaction_rate": _rate(counts["满意"] + counts["基本满意"], rated),
            }
        )
    return out


def ledger_figures(
    store: GraphStore,
    start: dt.date,
    end: dt.date,
    *,
    by: str = "chain",
    as_of: dt.date | None = None,
    policy: Policy | None = None,
) -> list[dict[str, Any]]:
    """Solve rate, on-time rate, median days per stage and satisfaction of the problems
    registered from ``start`` to ``end`` (inclusive), grouped ``by`` one of ``GROUPINGS``,
    counted as of ``as_of`` (default ``end``). Stable: reports call it (see docs/ledger.md)."""
    rows = store.read(query("ledger_figure_rows"), {"first_day": start, "last_day": end})
    return figures(rows, policy or load_policy(), by=by, as_of=as_of or end)
