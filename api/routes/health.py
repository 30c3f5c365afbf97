"""GET /health and /ready: for load balancers and orchestrators, without a key.

They say nothing about the data: /health that the process answers, /ready whether the
graph store can be read (503 otherwise, as every other route would answer).
"""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel

from chainkg.api.deps import on_store
from chainkg.api.errors import responses

router = APIRouter(tags=["health"])


class HealthOut(BaseModel):
    """The process answers."""

    status: Literal["ok"]


class ReadyOut(BaseModel):
    """The graph store answers a read."""

    status: Literal["ready"]


@router.get("/health", response_model=HealthOut)
def health() -> HealthOut:
    """The server process is up (no key needed)."""
    return HealthOut(status="ok")


@router.get("/ready", response_model=ReadyOut, responses=responses(503))
def ready(request: Request) -> ReadyOut:
    """The graph store answers; 503 while it is unavailable (no key needed)."""
    on_store(request, lambda s: s.read("RETURN 1 AS one"))
    return ReadyOut(status="ready")
