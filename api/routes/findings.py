"""GET /chains/{chain}/findings and /recommendations: weak links (短板) and what to do about them."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from chainkg.api.auth import Caller
from chainkg.api.errors import READ_ERRORS, ApiError, responses
from chainkg.api.routes.chains import ChainName

router = APIRouter(tags=["findings"])


def not_available(what: str) -> ApiError:
    """501 for a part this build does not have yet."""
    return ApiError(
        501,
        "NotImplemented",
        f"{what} are not available in this build yet",
        hint="upgrade chainkg; the CLI may already offer them",
    )


@router.get(
    "/chains/{chain}/findings",
    response_model=dict[str, Any],
    responses={**READ_ERRORS, **responses(501)},
)
def chain_findings(request: Request, chain: ChainName, _: Caller) -> dict[str, Any]:
    """The weak-link findings (短板: 缺链/断链/弱链) of a chain, segment by segment."""
    raise not_available("chain findings")


@router.get(
    "/chains/{chain}/recommendations",
    response_model=dict[str, Any],
    responses={**READ_ERRORS, **responses(501)},
)
def chain_recommendations(request: Request, chain: ChainName, _: Caller) -> dict[str, Any]:
    """Recommended actions (补链/强链/延链) for a chain's weak links."""
    raise not_available("chain recommendations")
