"""GET /chains/{chain}/findings and /recommendations: weak links (短板) and what to do about them.

Both come from ``chainkg.queries.findings`` (the same JSON as ``chainkg weak-links --format
json``, one chain's entry), typed by ``chainkg.queries.report_models``; see
docs/weak-links.md for the fields.
"""

from __future__ import annotations

from fastapi import APIRouter, Request

from chainkg.api.auth import Caller
from chainkg.api.deps import on_graph
from chainkg.api.errors import READ_ERRORS
from chainkg.api.routes.chains import Chain
from chainkg.api.routes.subgraphs import projection_of
from chainkg.graph.projection import Projection
from chainkg.graph.store import GraphStore
from chainkg.queries import findings
from chainkg.queries.report_models import ChainReport, RecommendationsOut

router = APIRouter(tags=["findings"])


def chain_report(
    store: GraphStore, chain: str, projection: Projection | None = None
) -> ChainReport:
    """The weak-links report of one chain (NotFoundError with close names if unknown);
    ``projection``: a current read projection of ``store`` to aggregate from."""
    report = findings.weak_links(
        store, findings.resolve_chains(store, chain), projection=projection
    )
    return ChainReport.model_validate(report["chains"][0])


def _report(request: Request, chain: str, as_of: str | None) -> ChainReport:
    # The app's projection serves its live store only (an as-of copy gets None).
    return on_graph(request, as_of, lambda s: chain_report(s, chain, projection_of(request, s)))


# exclude_unset: the report's own keys only (an optional key the report leaves out stays out).
@router.get(
    "/chains/{chain}/findings",
    response_model=ChainReport,
    response_model_exclude_unset=True,
    responses=READ_ERRORS,
)
def chain_findings(
    request: Request, chain: Chain, _: Caller, as_of: str | None = None
) -> ChainReport:
    """The weak-link findings (短板: 缺链/断链/弱链) of a chain, segment by segment; ``as_of``
    (YYYY-MM-DD): as the graph stood then (docs/versions.md)."""
    return _report(request, chain, as_of)


@router.get(
    "/chains/{chain}/recommendations",
    response_model=RecommendationsOut,
    response_model_exclude_unset=True,
    responses=READ_ERRORS,
)
def chain_recommendations(
    request: Request, chain: Chain, _: Caller, as_of: str | None = None
) -> RecommendationsOut:
    """Recommended 补链 candidates for the chain's missing (缺链) and dependent (断链) segments."""
    report = _report(request, chain, as_of)
    return RecommendationsOut(chain=report.chain, recommendations=report.recommendations)
