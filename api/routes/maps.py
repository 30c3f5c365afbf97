"""GET /maps/...: the interactive HTML maps (图谱) of viz/."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from chainkg.api.auth import Caller
from chainkg.api.errors import READ_ERRORS, responses
from chainkg.api.routes.chains import ChainName
from chainkg.api.routes.findings import not_available

router = APIRouter(tags=["maps"])


@router.get(
    "/maps/chains/{chain}",
    response_class=HTMLResponse,
    responses={**READ_ERRORS, **responses(501)},
)
def chain_map(request: Request, chain: ChainName, _: Caller) -> str:
    """The chain's map as a self-contained HTML page."""
    raise not_available("HTML maps")
