"""The problem ledger (问题台账): categories, the status machine and the 13710 schedule (pure).

A problem is a plain dict with the Problem node's properties (graph/schema.py). This
module decides what a change may do and what it records; it never touches a store.
``new_problem`` and ``apply_change`` return the problem as it becomes plus the event that
records who changed what and when; the writer (``ledger_store``) stores both together.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from chainkg.errors import RuleError
from chainkg.loaders.ledger_policy import Policy, add_days

CATEGORIES = ("个性重大", "共性", "一般")
ORIGINS = ("企业反映", "调研", "短板弱项", "会议")
ORIGIN_ALIASES = {"万人助万企": "企业反映", "weak-link": "短板弱项", "finding": "短板弱项"}
SATISFACTION = ("满意", "基本满意", "不满意")

REGISTERED, ASSIGNED, IN_PROGRESS, RESOLVED, REPORTED = "登记", "交办", "办理中", "办结", "已反馈"
RETURNED, TO_COMMON = "退回", "转共性"
MAIN_LINE = (REGISTERED, ASSIGNED, IN_PROGRESS, RESOLVED, REPORTED)
STATUSES = (*MAIN_LINE, RETURNED, TO_COMMON)
CLOSED = frozenset({REPORTED, RETURNED, TO_COMMON})
# The date property recording when a problem reached each main-line status.
REACHED_ON = {
    REGISTERED: "registered",
    ASSIGNED: "assigned_on",
    IN_PROGRESS: "started_on",
    RESOLVED: "resolved_on",
    REPORTED: "reported_on",
}
# Leaving the main line (or coming back to it) needs a reason.
NEEDS_REASON = frozenset({RETURNED, TO_COMMON})
ALLOWED: dict[str, frozenset[str]] = {
    REGISTERED: frozenset({ASSIGNED, IN_PROGRESS, RESOLVED, RETURNED, TO_COMMON}),
    ASSIGNED: frozenset({IN_PROGRESS, RESOLVED, RETURNED, TO_COMMON}),
    IN_PROGRESS: frozenset({RESOLVED, RETURNED, TO_COMMON}),
    RESOLVED: frozenset({REPORTED, IN_PROGRESS}),
    REPORTED: frozenset({IN_PROGRESS}),  # reopened, e.g. after 不满意; needs a reason
    RETURNED: frozenset({REGISTERED}),  # registered again; needs a reason
    TO_COMMON: frozenset(),
}
# Fields a change may set besides the status (the ledger's own columns).
EDITABLE = (
    "title",
    "description",
    "category",
    "origin",
    "segment",
    "enterprise",
    "city",
    "owner",
    "meeting",
    "satisfaction",
    "evidence",
)


class LedgerError(RuleError):
    """A ledger change is not allowed (wrong status step, missing reason, unknown value)."""


@dataclass(frozen=True)
class StageDue:
    """One stage of a problem's schedule: when it is due and when it was reached."""

    key: str
    name: str
    status: str
    due: dt.date
    done_on: dt.date | None

    @property
    def on_time(self) -> bool | None:
        """Reached by its due date (None while not reached)."""
        return None if self.done_on is None else self.done_on <= self.due


def normalise_origin(value: str) -> str:
    """The ledger's origin word for ``value`` (万人助万企 -> 企业反映); LedgerError if unknown."""
    value = value.strip()
    value = ORIGIN_ALIASES.get(value, value)
    if value not in ORIGINS:
        raise LedgerError(
            f"unknown source (来源) {value!r}",
            hint=f"use one of {'、'.join(ORIGINS)} (万人助万企 counts as 企业反映)",
        )
    return value


def check_choice(value: str | None, allowed: tuple[str, ...], what: str) -> str | None:
    """``value`` if it is one of ``allowed`` (None passes); LedgerError naming them otherwise."""
    if value is None or value == "":
        return None
    if value not in allowed:
        raise LedgerError(f"unknown {what} {value!r}", hint=f"use one of {'、'.join(allowed)}")
    return value


def problem_id(chain: str, title: str, registered: dt.date, enterprise: str | None) -> str:
    """A stable id: the same chain, title, enterprise and registration day give the same id."""
    key = "|".join((chain, title.strip(), enterprise or "", registered.isoformat()))
    return "problem:" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


def schedule(problem: Mapping[str, Any], policy: Policy) -> list[StageDue]:
    """Every stage of ``problem`` with its due date and the day it was reached."""
    registered: dt.date = problem["registered"]
    out: list[StageDue] = []
    base = registered
    for stage in policy.stages:
        start = registered if policy.basis == "registered" else base
        due = add_days(start, stage.days, policy.counting, policy.holidays)
        done = problem.get(REACHED_ON.get(stage.status, ""))
        out.append(StageDue(stage.key, stage.name, stage.status, due, done))
        base = done or due
    return out


def current_stage(problem: Mapping[str, Any], policy: Policy) -> StageDue | None:
    """The first stage not yet reached, for an open problem; None once closed."""
    if problem["status"] in CLOSED:
        return None
    return next((s for s in schedule(problem, policy) if s.done_on is None), None)


def with_due(problem: dict[str, Any], policy: Policy) -> dict[str, Any]:
    """``problem`` with ``is_open``, ``stage`` and ``due`` (its current stage's due date) set."""
    stage = current_stage(problem, policy)
    last = schedule(problem, policy)[-1].due if policy.stages else None
    problem["is_open"] = problem["status"] not in CLOSED
    problem["stage"] = stage.key if stage else None
    problem["due"] = stage.due if stage else None
    problem["final_due"] = last
    return problem


def _event(
    problem_id_: str,
    seq: int,
    by: str,
    at: dt.datetime,
    action: str,
    before: str | None,
    after: str,
    reason: str | None,
    changes: dict[str, Any],
) -> dict[str, Any]:
    return {
        "id": f"{problem_id_}#{seq}",
        "problem": problem_id_,
        "seq": seq,
        "at_time": at.isoformat(timespec="seconds"),
        "actor": by,
        "action": action,
        "from_status": before,
        "to_status": after,
        "reason": reason,
        "changes": json.dumps(changes, ensure_ascii=False, sort_keys=True, default=str),
    }


def new_problem(
    fields: Mapping[str, Any],
    *,
    by: str,
    at: dt.datetime,
    policy: Policy,
    units: tuple[str, ...],
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A registered problem (status 登记) and its first event.

    ``fields``: chain, title (required); description, category (default 一般), origin
    (default 企业反映), segment, enterprise, city, owner (one of ``units``, the chain's
    群链长责任单位), meeting, evidence, registered (default ``at``'s day).
    """
    chain = (fields.get("chain") or "").strip()
    title = (fields.get("title") or "").strip()
    if not chain or not title:
        raise LedgerError("a problem needs a chain (产业链) and a title (问题)")
    registered = fields.get("registered") or at.date()
    owner = fields.get("owner") or None
    if owner and owner not in units:
        raise LedgerError(
            f"{owner} is not a responsible unit (群链长责任单位) of {chain}",
            hint=f"the chain's units: {'、'.join(units) or 'none in the roster'}",
        )
    problem: dict[str, Any] = {
        "id": fields.get("id") or problem_id(chain, title, registered, fields.get("enterprise")),
        "title": title,
        "description": fields.get("description") or None,
        "chain": chain,
        "segment": fields.get("segment") or None,
        "enterprise": fields.get("enterprise") or None,
        "city": fields.get("city") or None,
        "category": check_choice(fields.get("category") or "一般", CATEGORIES, "category (类别)"),
        "origin": normalise_origin(fields.get("origin") or "企业反映"),
        "owner": owner,
        "meeting": fields.get("meeting") or None,
        "evidence": fields.get("evidence") or None,
        "status": REGISTERED,
        "satisfaction": None,
        "reason": None,
        "registered": registered,
        "assigned_on": None,
        "started_on": None,
        "resolved_on": None,
        "reported_on": None,
        "closed_on": None,
        "created_by": by,
        "updated_at": at.isoformat(timespec="seconds"),
        "events": 1,
    }
    with_due(problem, policy)
    changes = {
        k: problem[k] for k in ("title", "chain", "category", "origin", "owner") if problem[k]
    }
    event = _event(problem["id"], 1, by, at, "登记", None, REGISTERED, None, changes)
    return problem, event


def apply_change(
    problem: Mapping[str, Any],
    change: Mapping[str, Any],
    *,
    by: str,
    at: dt.datetime,
    policy: Policy,
    units: tuple[str, ...],
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The problem after ``change`` and the event recording it; LedgerError if not allowed.

    ``change`` may hold ``status`` (a step the status machine allows), ``reason`` (required
    for 退回, 转共性 and for reopening), ``on`` (the day the step happened, default
    ``at``'s day) and any of ``EDITABLE``. Moving forward along 登记→交办→办理中→办结→已反馈
    may skip steps; the skipped ones count as reached the same day.
    """
    new = dict(problem)
    before = problem["status"]
    reason = (change.get("reason") or "").strip() or None
    changes: dict[str, Any] = {}
    for key in EDITABLE:
        if key in change and change[key] is not None and change[key] != problem.get(key):
            changes[key] = change[key]
    if "category" in changes:
        check_choice(changes["category"], CATEGORIES, "category (类别)")
    if "origin" in changes:
        changes["origin"] = normalise_origin(changes["origin"])
    if "satisfaction" in changes:
        check_choice(changes["satisfaction"], SATISFACTION, "satisfaction (满意度)")
    if changes.get("owner") and changes["owner"] not in units:
        raise LedgerError(
            f"{changes['owner']} is not a responsible unit (群链长责任单位) of {problem['chain']}",
            hint=f"the chain's units: {'、'.join(units) or 'none in the roster'}",
        )
    new.update(changes)
    after = change.get("status") or before
    action = "修改"
    if after != before:
        action = after
        if after not in STATUSES:
            raise LedgerError(f"unknown status {after!r}", hint=f"use one of {'、'.join(STATUSES)}")
        if after not in ALLOWED[before]:
            allowed = "、".join(sorted(ALLOWED[before], key=STATUSES.index)) or "none (final)"
            raise LedgerError(
                f"problem {problem['id']} cannot go from {before} to {after}",
                hint=f"from {before} it may go to: {allowed}",
            )
        reopening = (
            MAIN_LINE.index(after) < MAIN_LINE.index(before)
            if before in MAIN_LINE and after in MAIN_LINE
            else False
        )
        if (after in NEEDS_REASON or reopening or before == RETURNED) and not reason:
            raise LedgerError(f"going from {before} to {after} needs a reason (--reason)")
        if after != REGISTERED and after not in NEEDS_REASON and not new.get("owner"):
            raise LedgerError(
                f"problem {problem['id']} has no owner unit; give one before {after}",
                hint="set --owner to one of the chain's responsible units (群链长责任单位)",
            )
        if after == REPORTED and not new.get("satisfaction"):
            raise LedgerError("已反馈 needs the enterprise's satisfaction (满意/基本满意/不满意)")
        on: dt.date = change.get("on") or at.date()
        if on < problem["registered"]:
            raise LedgerError(
                f"the step's day {on} is before the registration day {problem['registered']}"
            )
        if after in MAIN_LINE:
            if reopening:
                for later in MAIN_LINE[MAIN_LINE.index(after) + 1 :]:
                    new[REACHED_ON[later]] = None
            else:
                for step in MAIN_LINE[1 : MAIN_LINE.index(after) + 1]:
                    if new.get(REACHED_ON[step]) is None:
                        new[REACHED_ON[step]] = on
        new["status"] = after
        new["reason"] = reason if after in NEEDS_REASON else new.get("reason")
        new["closed_on"] = on if after in CLOSED else None
    elif not changes and not reason:
        raise LedgerError(f"nothing to change in problem {problem['id']}")
    seq = int(problem.get("events") or 0) + 1
    new["events"] = seq
    new["updated_at"] = at.isoformat(timespec="seconds")
    with_due(new, policy)
    event = _event(new["id"], seq, by, at, action, before, new["status"], reason, changes)
    return new, event


def closed_on(problem: Mapping[str, Any]) -> dt.date | None:
    """The day a problem was closed (None while open)."""
    return problem.get("closed_on") if problem["status"] in CLOSED else None


def open_on(problem: Mapping[str, Any], day: dt.date) -> bool:
    """Whether ``problem`` was registered and not yet closed on ``day``."""
    end = closed_on(problem)
    return problem["registered"] <= day and (end is None or end > day)


def overdue_on(problem: Mapping[str, Any], day: dt.date, policy: Policy) -> StageDue | None:
    """The stage that was overdue on ``day`` (the first not reached by then, due before it)."""
    if not open_on(problem, day):
        return None
    for stage in schedule(problem, policy):
        if stage.done_on is None or stage.done_on > day:
            return stage if stage.due < day else None
    return None
