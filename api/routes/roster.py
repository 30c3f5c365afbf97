"""GET /roster and /clusters: the 双长制 roster as stored."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from chainkg.api.auth import Caller
from chainkg.api.deps import on_store
from chainkg.api.errors import READ_ERRORS
from chainkg.api.models import ClusterOut, RosterOut
from chainkg.queries.roster import read_roster

router = APIRouter(tags=["roster"])


def clusters_of(roster: dict[str, Any]) -> list[ClusterOut]:
    """The clusters of a roster with their chiefs and chain names (pure)."""
    return [
        ClusterOut(
            seq=c["seq"],
            name=c["name"],
            chiefs=c["chiefs"],
            chains=[ch["name"] for ch in c["chains"]],
        )
        for c in roster["clusters"]
    ]


@router.get("/roster", response_model=RosterOut, responses=READ_ERRORS)
def get_roster(request: Request, _: Caller) -> dict[str, Any]:
    """The roster: the same JSON as `chainkg roster --format json`."""
    return on_store(request, read_roster)


@router.get("/clusters", response_model=list[ClusterOut], responses=READ_ERRORS)
def get_clusters(request: Request, _: Caller) -> list[ClusterOut]:
    """The clusters (重大集群) in roster order, with chiefs (群链长) and chain names."""
    return clusters_of(on_store(request, read_roster))
