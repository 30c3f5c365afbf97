"""GET /chains/{chain}/findings and /recommendations: weak links (短板) and what to do about them.

Both come from ``chainkg.queries.findings`` (the same JSON as ``chainkg weak-links --format
json``, one chain's entry); see docs/weak-links.md for the fields.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict

from chainkg.api.auth import Caller
from chainkg.api.deps import on_graph
from chainkg.api.errors import READ_ERRORS
from chainkg.api.routes.chains import ChainName
from chainkg.graph.store import GraphStore
from chainkg.queries import findings

router = APIRouter(tags=["findings"])


class FindingsOut(BaseModel):
    """One chain's weak-link report: summary, per-segment findings with evidence, 补链 advice."""

    model_config = ConfigDict(extra="allow")

    chain: str
    cluster: str | None
    summary: dict[str, Any]
    segments: list[dict[str, Any]]
    recommendations: list[dict[str, Any]]


class RecommendationsOut(BaseModel):
    """The recommendations (补链/强链 candidates) for a chain's missing and dependent segments."""

    chain: str
    recommendations: list[dict[str, Any]]


def chain_report(store: GraphStore, chain: str) -> dict[str, Any]:
    """The weak-links report of one chain (NotFoundError with close names if unknown)."""
    report = findings.weak_links(store, findings.resolve_chains(store, chain))
    return report["chains"][0]


@router.get(
    "/chains/{chain}/findings",
    response_model=FindingsOut,
    responses=READ_ERRORS,
)
def chain_findings(
    request: Request, chain: ChainName, _: Caller, as_of: str | None = None
) -> dict[str, Any]:
    """The weak-link findings (短板: 缺链/断链/弱链) of a chain, segment by segment; ``as_of``
    (YYYY-MM-DD): as the graph stood then (docs/versions.md)."""
    return on_graph(request, as_of, lambda s: chain_report(s, chain))


@router.get(
    "/chains/{chain}/recommendations",
    response_model=RecommendationsOut,
    responses=READ_ERRORS,
)
def chain_recommendations(
    request: Request, chain: ChainName, _: Caller, as_of: str | None = None
) -> RecommendationsOut:
    """Recommended 补链 candidates for the chain's missing (缺链) and dependent (断链) segments."""
    report = on_graph(request, as_of, lambda s: chain_report(s, chain))
    return RecommendationsOut(chain=report["chain"], recommendations=report["recommendations"])
