"""Writing the problem ledger (问题台账) to the store.

A problem and the event recording its change are written in one transaction, with the
problem's links: LISTED_FOR its chain, IN_SEGMENT its segment, CONCERNS its owner unit
(role owner), ROUTED_TO its meeting, HAS_EVENT each change (the enterprise is kept by name:
it need not be in the graph). The status machine and the deadlines are
``ledger_model``'s; this module only looks up what a change needs and writes the result.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from chainkg.errors import NotFoundError
from chainkg.graph import ids
from chainkg.graph.catalog import query
from chainkg.graph.editions import chain_id_for
from chainkg.graph.store import GraphStore, Transaction
from chainkg.loaders.ledger_model import LedgerError, apply_change, new_problem
from chainkg.loaders.ledger_policy import Policy

LEDGER_SOURCE = "问题台账"


@dataclass(frozen=True)
class ChainContext:
    """What the ledger checks a problem's chain against."""

    name: str
    id: str
    cluster: str | None
    units: tuple[str, ...]
    segments: dict[str, str]  # segment name -> id


def chain_context(store: GraphStore, chain: str) -> ChainContext:
    """The chain called ``chain`` with its units and segments; NotFoundError if absent."""
    chain_id = chain_id_for(store.read, chain)
    rows = store.read(query("ledger_chain_context"), {"chain_id": chain_id})
    if not rows:
        names = [r["name"] for r in store.read(query("chain_names"))]
        near = difflib.get_close_matches(chain, names, n=3, cutoff=0.7)
        raise NotFoundError(
            f"no chain named {chain!r} in the graph",
            hint=("did you mean " + "、".join(near) + "?")
            if near
            else "load the roster first (chainkg load roster) and use a chain's full name",
        )
    units = tuple(r["unit"] for r in rows if r["unit"])
    segments = {
        r["name"]: r["id"]
        for r in store.read(query("ledger_chain_segments"), {"chain_id": chain_id})
    }
    return ChainContext(rows[0]["chain"], chain_id, rows[0]["cluster"], units, segments)


def read_problem(store: GraphStore, problem_id: str) -> dict[str, Any]:
    """The stored problem ``problem_id``; NotFoundError if there is none."""
    rows = store.read(query("ledger_problem"), {"id": problem_id})
    if not rows:
        raise NotFoundError(
            f"no problem {problem_id!r} in the ledger",
            hint="list the ledger with `chainkg problems list`",
        )
    return dict(rows[0]["p"])


def _check_segment(ctx: ChainContext, segment: str | None) -> None:
    if segment and segment not in ctx.segments:
        known = "、".join(sorted(ctx.segments)) or "none (load the chain templates)"
        raise LedgerError(
            f"{ctx.name} has no segment (环节) {segment!r}", hint=f"its segments: {known}"
        )


def _provenance(
    problem: Mapping[str, Any], synthetic: bool, source: str, ref: str
) -> dict[str, Any]:
    return {
        **problem,
        "source": source,
        "source_ref": ref,
        "loaded_at": problem["updated_at"],
        "as_of": problem["registered"],
        "synthetic": synthetic,
    }


def write_problems(
    tx: Transaction,
    changes: list[tuple[Mapping[str, Any], Sequence[Mapping[str, Any]], ChainContext]],
    *,
    synthetic: bool = False,
    source: str = LEDGER_SOURCE,
    drop_stale: bool = True,
) -> int:
    """Write problems (each with its new events and its links) inside ``tx``.

    ``drop_stale``: also remove owner and meeting links the problems no longer have (not
    needed for problems written for the first time).
    """
    problems, events, listed, in_segment, concerns, routed, has_event = [], [], [], [], [], [], []
    for problem, new_events, ctx in changes:
        ref = f"{problem['id']}"
        problems.append(_provenance(problem, synthetic, source, ref))
        pid = problem["id"]
        prov = {"source": source, "source_ref": ref, "loaded_at": problem["updated_at"]}
        prov |= {"as_of": problem["registered"], "synthetic": synthetic}
        listed.append({"from_id": pid, "to_id": ctx.id, **prov})
        if problem.get("segment") in ctx.segments:
            in_segment.append({"from_id": pid, "to_id": ctx.segments[problem["segment"]], **prov})
        if problem.get("owner"):
            concerns.append(
                {"from_id": pid, "to_id": ids.org_id(problem["owner"]), "role": "owner", **prov}
            )
        if problem.get("meeting"):
            routed.append({"from_id": pid, "to_id": problem["meeting"], **prov})
        for event in new_events:
            events.append({**event, "problem": pid, **prov})
            has_event.append({"from_id": pid, "to_id": event["id"], **prov})
    tx.upsert_nodes("Problem", problems)
    tx.upsert_nodes("ProblemEvent", events)
    tx.upsert_rels("LISTED_FOR", "Problem", "Chain", listed)
    tx.upsert_rels("IN_SEGMENT", "Problem", "Segment", in_segment)
    tx.upsert_rels("CONCERNS", "Problem", "Organization", concerns)
    tx.upsert_rels("ROUTED_TO", "Problem", "Meeting", routed)
    tx.upsert_rels("HAS_EVENT", "Problem", "ProblemEvent", has_event)
    if drop_stale:  # an owner or meeting changed: drop the links to the old ones
        for problem, _, _ in changes:
            owner = ids.org_id(problem["owner"]) if problem.get("owner") else ""
            params = {"id": problem["id"], "owner_id": owner, "role": "owner"}
            tx.run(query("ledger_drop_stale_owner"), params)
            params = {"id": problem["id"], "meeting_id": problem.get("meeting") or ""}
            tx.run(query("ledger_drop_stale_meeting"), params)
    return len(problems)


def _check_meeting(store: GraphStore, meeting: str | None) -> None:
    if meeting and not store.nodes_by_id("Meeting", [meeting]):
        raise NotFoundError(
            f"no meeting {meeting!r} in the calendar",
            hint="plan the calendar first (chainkg meetings plan) and use a meeting id from "
            "`chainkg meetings list`",
        )


def add_problem(
    store: GraphStore,
    fields: Mapping[str, Any],
    *,
    by: str,
    now: dt.datetime,
    policy: Policy,
    synthetic: bool = False,
) -> dict[str, Any]:
    """Register a problem (status 登记) and record who did it; returns the stored problem.

    LedgerError when the same problem (chain, title, enterprise, day) is already registered.
    """
    ctx = chain_context(store, fields.get("chain") or "")
    fields = {**fields, "chain": ctx.name}
    _check_segment(ctx, fields.get("segment"))
    _check_meeting(store, fields.get("meeting"))
    problem, event = new_problem(fields, by=by, at=now, policy=policy, units=ctx.units)
    if store.read(query("ledger_problem"), {"id": problem["id"]}):
        raise LedgerError(
            f"problem {problem['id']} ({problem['title']}) is already in the ledger",
            hint="change it with `chainkg problems update`",
        )
    with store.transaction() as tx:
        write_problems(tx, [(problem, [event], ctx)], synthetic=synthetic)
    return problem


def update_problem(
    store: GraphStore,
    problem_id: str,
    change: Mapping[str, Any],
    *,
    by: str,
    now: dt.datetime,
    policy: Policy,
    allowed_chains: Iterable[str] | None = None,
) -> dict[str, Any]:
    """Apply ``change`` (see ``ledger_model.apply_change``) and record it; returns the problem.

    ``allowed_chains``: when given, the caller may change only problems of these chains.
    """
    current = read_problem(store, problem_id)
    if allowed_chains is not None and current["chain"] not in set(allowed_chains):
        raise LedgerError(
            f"problem {problem_id} belongs to {current['chain']}, which the caller does not own"
        )
    ctx = chain_context(store, current["chain"])
    _check_segment(ctx, change.get("segment"))
    _check_meeting(store, change.get("meeting"))
    problem, event = apply_change(current, change, by=by, at=now, policy=policy, units=ctx.units)
    with store.transaction() as tx:
        write_problems(tx, [(problem, [event], ctx)], synthetic=bool(current.get("synthetic")))
    return problem
