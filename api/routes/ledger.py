"""The problem ledger (问题台账), meetings and decisions over HTTP.

Who may do what, in each route's signature: any key reads (``Caller``); writes need a key
on a server that accepts writes (``Writer``) and then the chain's ownership: admin keys
everything, unit keys the problems of the chains their organisation is responsible for
(群链长责任单位), viewer keys nothing. Minutes may be recorded by admin keys or a unit
responsible for one of the meeting's chains; a decision is closed by its owner unit or
an admin.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from chainkg.api.auth import Caller, Writer, require_admin, require_chain_writer
from chainkg.api.deps import on_store
from chainkg.api.errors import READ_ERRORS, WRITE_ERRORS, ApiError
from chainkg.api.keys import ApiKey, Role
from chainkg.api.routes.chains import ChainName
from chainkg.graph.store import GraphStore
from chainkg.loaders.ledger_policy import Policy, load_policy
from chainkg.loaders.ledger_store import add_problem, read_problem, update_problem
from chainkg.loaders.meeting_store import close_decision, record_minutes
from chainkg.queries import ledger, meetings

router = APIRouter(tags=["ledger"])
Text = Annotated[str | None, Field(default=None, max_length=2000)]
Name = Annotated[str | None, Field(default=None, max_length=200)]


class ProblemIn(BaseModel):
    """A problem to register (登记)."""

    chain: str = Field(min_length=1, max_length=200)
    title: str = Field(min_length=1, max_length=500)
    description: Text = None
    category: Name = None
    origin: Name = Field(default=None, description="企业反映 (万人助万企) | 调研 | 短板弱项 | 会议")
    segment: Name = None
    enterprise: Name = None
    city: Name = None
    owner: Name = None
    meeting: Name = None
    registered: dt.date | None = None


class ProblemChange(BaseModel):
    """A change: a status step and/or fields (see docs/ledger.md)."""

    status: Name = None
    reason: Text = None
    owner: Name = None
    satisfaction: Name = None
    category: Name = None
    meeting: Name = None
    segment: Name = None
    description: Text = None
    on: dt.date | None = None


class DecisionIn(BaseModel):
    """One decision of a meeting's minutes."""

    title: str = Field(min_length=1, max_length=500)
    owner: str = Field(min_length=1, max_length=200)
    due: dt.date
    chain: Name = None


class MinutesIn(BaseModel):
    """A meeting's minutes and its decisions."""

    minutes: str = Field(min_length=1, max_length=20000)
    decisions: list[DecisionIn] = Field(default_factory=list, max_length=100)


class DecisionDone(BaseModel):
    """When a decision was carried out."""

    done_on: dt.date


def _policy() -> Policy:
    return load_policy()


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


def _actor(key: ApiKey) -> str:
    return f"api:{key.name or key.id}" + (f"（{key.org}）" if key.org else "")


def _view(store: GraphStore, problem: dict[str, Any]) -> dict[str, Any]:
    return {
        **problem,
        "schedule": ledger.schedule_rows(problem, _policy()),
        "history": ledger.problem_events(store, problem["id"]),
    }


@router.get("/problems", responses=READ_ERRORS)
def list_problems(
    request: Request,
    _: Caller,
    chain: Name = None,
    owner: Name = None,
    status: Name = None,
    category: Name = None,
    city: Name = None,
    open_only: bool = Query(False, alias="open"),
    limit: int = Query(200, ge=1, le=5000),
) -> list[dict[str, Any]]:
    """The ledger, filtered, by registration day."""
    return on_store(
        request,
        lambda s: ledger.list_problems(
            s,
            chain=chain,
            owner=owner,
            status=status,
            category=category,
            city=city,
            open_only=open_only,
            limit=limit,
        ),
    )


@router.get("/problems/overdue", responses=READ_ERRORS)
def overdue_problems(
    request: Request,
    _: Caller,
    today: dt.date | None = None,
    chain: Annotated[list[str] | None, Query(max_length=50)] = None,
    limit: int = Query(100, ge=1, le=5000),
) -> dict[str, Any]:
    """Open problems past their current 13710 stage's due day (逾期): total and first rows."""
    day = today or dt.date.today()
    return on_store(request, lambda s: ledger.overdue(s, day, chains=chain or None, limit=limit))


@router.get("/problems/stats", responses=READ_ERRORS)
def problem_stats(
    request: Request,
    _: Caller,
    first: Annotated[dt.date, Query(alias="from")],
    last: Annotated[dt.date, Query(alias="to")],
    by: str = Query("chain", pattern="^(chain|owner|cluster|city|month|quarter|year|all)$"),
    as_of: dt.date | None = None,
) -> list[dict[str, Any]]:
    """Solve rate, on-time rate, median working days per stage, satisfaction."""
    return on_store(
        request,
        lambda s: ledger.ledger_figures(s, first, last, by=by, as_of=as_of, policy=_policy()),
    )


@router.get("/problems/{problem_id}", responses=READ_ERRORS)
def get_problem(request: Request, problem_id: str, _: Caller) -> dict[str, Any]:
    """A problem with its 13710 schedule and history (who changed what, when)."""
    return on_store(request, lambda s: _view(s, read_problem(s, problem_id)))


@router.post("/problems", status_code=201, responses=WRITE_ERRORS)
def create_problem(request: Request, body: ProblemIn, key: Writer) -> dict[str, Any]:
    """Register a problem of a chain the caller may write."""
    require_chain_writer(request, key, body.chain)
    fields = body.model_dump()
    return on_store(
        request,
        lambda s: _view(s, add_problem(s, fields, by=_actor(key), now=_now(), policy=_policy())),
    )


@router.patch("/problems/{problem_id}", responses=WRITE_ERRORS)
def change_problem(
    request: Request, problem_id: str, body: ProblemChange, key: Writer
) -> dict[str, Any]:
    """Change a problem of a chain the caller may write (status step and/or fields)."""
    current = on_store(request, lambda s: read_problem(s, problem_id))
    require_chain_writer(request, key, current["chain"])
    change = body.model_dump()
    return on_store(
        request,
        lambda s: _view(
            s,
            update_problem(
                s,
                problem_id,
                change,
                by=_actor(key),
                now=_now(),
                policy=_policy(),
                allowed_chains=[current["chain"]],
            ),
        ),
    )


@router.get("/chains/{chain}/problem-counts", responses=READ_ERRORS)
def chain_problem_counts(
    request: Request, chain: ChainName, _: Caller, today: dt.date | None = None
) -> dict[str, dict[str, Any]]:
    """Problems per segment (环节) of a chain: total, open, overdue (for the maps' panels)."""
    day = today or dt.date.today()
    return on_store(request, lambda s: ledger.segment_problem_counts(s, chain, day))


@router.get("/meetings", responses=READ_ERRORS)
def list_meetings(
    request: Request,
    _: Caller,
    year: int | None = Query(None, ge=2000, le=2100),
    kind: Name = None,
) -> list[dict[str, Any]]:
    """The meeting calendar, by day."""
    first = dt.date(year, 1, 1) if year else dt.date(1900, 1, 1)
    last = dt.date(year, 12, 31) if year else dt.date(2999, 12, 31)
    return on_store(request, lambda s: meetings.list_meetings(s, first, last, kind))


@router.get("/meetings/{meeting_id}", responses=READ_ERRORS)
def get_meeting(request: Request, meeting_id: str, _: Caller) -> dict[str, Any]:
    """A meeting with its decisions."""

    def read(s: GraphStore) -> dict[str, Any]:
        m = meetings.read_meeting(s, meeting_id)
        return {**m, "decisions": [d for d in meetings.decisions(s) if d["meeting"] == meeting_id]}

    return on_store(request, read)


@router.get("/meetings/{meeting_id}/agenda", responses=READ_ERRORS)
def meeting_agenda(
    request: Request, meeting_id: str, _: Caller, today: dt.date | None = None
) -> dict[str, Any]:
    """A meeting's agenda: escalated, overdue and major problems, decisions due, new findings."""
    day = today or dt.date.today()
    return on_store(request, lambda s: meetings.meeting_agenda(s, meeting_id, _policy(), day))


@router.post("/meetings/{meeting_id}/minutes", status_code=201, responses=WRITE_ERRORS)
def post_minutes(
    request: Request, meeting_id: str, body: MinutesIn, key: Writer
) -> list[dict[str, Any]]:
    """Record minutes and decisions: admin, or a unit responsible for one of its chains."""
    meeting = on_store(request, lambda s: meetings.read_meeting(s, meeting_id))
    if key.role is not Role.admin:
        allowed = False
        for chain in meeting.get("chains") or []:
            try:
                require_chain_writer(request, key, chain)
                allowed = True
                break
            except ApiError:
                continue
        if not allowed:
            require_admin(key)
    decisions = [d.model_dump() for d in body.decisions]
    return on_store(
        request,
        lambda s: record_minutes(
            s, meeting_id, minutes=body.minutes, decisions=decisions, now=_now()
        ),
    )


@router.get("/decisions", responses=READ_ERRORS)
def list_decisions(
    request: Request, _: Caller, open_only: bool = Query(False, alias="open")
) -> list[dict[str, Any]]:
    """Decisions of meetings' minutes, by due day."""
    return on_store(request, lambda s: meetings.decisions(s, open_only=open_only))


@router.patch("/decisions/{decision_id}", responses=WRITE_ERRORS)
def decision_done(
    request: Request, decision_id: str, body: DecisionDone, key: Writer
) -> dict[str, Any]:
    """Mark a decision 已完成: its owner unit or an admin."""
    found = on_store(request, lambda s: s.nodes_by_id("Decision", [decision_id]))
    if found and key.role is not Role.admin and key.org != found[0]["owner"]:
        raise ApiError(
            403,
            "Forbidden",
            f"only {found[0]['owner']} (its owner) or an admin closes this decision",
        )
    return on_store(request, lambda s: close_decision(s, decision_id, on=body.done_on))


@router.get("/supervision", responses=READ_ERRORS)
def get_supervision(request: Request, _: Caller, today: dt.date | None = None) -> dict[str, Any]:
    """督办: per 群链长 and per unit, overdue problems, open decisions, open findings."""
    day = today or dt.date.today()
    return on_store(request, lambda s: meetings.supervision(s, _policy(), day))
