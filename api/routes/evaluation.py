"""GET /evaluation and /evaluation/explain: the annual evaluation (综合评价) and its facts.

The same JSON as ``chainkg evaluate --format json`` and ``--explain`` (see
docs/evaluation.md). Reads: any API key (viewer and up).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, ConfigDict

from chainkg.api.auth import Caller
from chainkg.api.deps import on_store
from chainkg.api.errors import READ_ERRORS
from chainkg.api.routes.subgraphs import projection_of

router = APIRouter(tags=["evaluation"])
Year = Annotated[int, Query(ge=2000, le=2100, description="The year (facts as of 31 December).")]


class EvaluationOut(BaseModel):
    """Scores per chain and cluster for a year, each value with its source and last year's."""

    model_config = ConfigDict(extra="allow")

    year: int
    as_of: str
    previous_year: int | None
    synthetic: bool
    dimensions: list[dict[str, Any]]
    indicators: list[dict[str, Any]]
    province: dict[str, Any]
    clusters: list[dict[str, Any]]
    chains: list[dict[str, Any]]


class ExplainOut(BaseModel):
    """The facts one indicator value of one chain counts, with their sources."""

    model_config = ConfigDict(extra="allow")

    chain: str
    indicator: str
    as_of: str
    facts: list[dict[str, Any]]


@router.get("/evaluation", response_model=EvaluationOut, responses=READ_ERRORS)
def get_evaluation(
    request: Request,
    _: Caller,
    year: Year,
    chain: Annotated[str | None, Query(max_length=200, description="Only this chain.")] = None,
) -> dict[str, Any]:
    """The evaluation of a year: every chain's and cluster's indicators, scores and ranks."""
    from chainkg.queries.chains import resolve_chains
    from chainkg.queries.evaluation import evaluate

    def run(store: Any) -> dict[str, Any]:
        picked = resolve_chains(store, chain) if chain else None
        # The app's read projection (saved beside an embedded graph): the same values.
        return evaluate(store, year, chains=picked, projection=projection_of(request, store))

    return on_store(request, run)


@router.get("/evaluation/explain", response_model=ExplainOut, responses=READ_ERRORS)
def get_explain(
    request: Request,
    _: Caller,
    year: Year,
    chain: Annotated[str, Query(max_length=200, description="The chain.")],
    indicator: Annotated[str, Query(max_length=100, description="The indicator key.")],
) -> dict[str, Any]:
    """The facts behind one indicator of one chain for a year (ids, names, sources)."""
    from chainkg.queries.chains import resolve_chains
    from chainkg.queries.evaluation import explain

    return on_store(
        request, lambda s: explain(s, resolve_chains(s, chain)[0], indicator, year, limit=1000)
    )
