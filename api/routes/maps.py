"""GET /maps/...: the interactive HTML maps (图谱) of viz/, self-contained pages."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse

from chainkg.api.auth import Caller
from chainkg.api.deps import on_store
from chainkg.api.errors import READ_ERRORS
from chainkg.api.routes.chains import Chain
from chainkg.graph.store import GraphStore
from chainkg.queries.maps import find_chain
from chainkg.viz import maps

router = APIRouter(tags=["maps"])

HTML_DOC = {200: {"description": "a self-contained HTML page", "content": {"text/html": {}}}}
ERRORS = {**HTML_DOC, **READ_ERRORS}
Budget = Annotated[int, Query(ge=50, le=3000, description="node budget (enterprises fold beyond)")]


def _page(request: Request, draw: Any) -> HTMLResponse:
    return HTMLResponse(on_store(request, draw))


@router.get("/maps/roster", response_model=None, responses=ERRORS)
def roster_map(request: Request, _: Caller) -> HTMLResponse:
    """The 双长制 roster map."""
    return _page(request, maps.roster_map_html)


@router.get("/maps/chains/{chain}", response_model=None, responses=ERRORS)
def chain_map(request: Request, chain: Chain, _: Caller, budget: Budget = 1500) -> HTMLResponse:
    """A chain's map, segments coloured by their weak-link finding."""

    def draw(store: GraphStore) -> str:
        name = find_chain(store, chain)["name"]
        return maps.chain_map_html(store, name, maps.findings_statuses(store, name), budget)

    return _page(request, draw)


@router.get("/maps/clusters/{cluster}", response_model=None, responses=ERRORS)
def cluster_map(
    request: Request,
    cluster: Annotated[str, Path(min_length=1, max_length=100, description="e.g. 装备制造")],
    _: Caller,
) -> HTMLResponse:
    """A cluster's map: its chains and the links between them."""
    return _page(request, lambda s: maps.cluster_map_html(s, cluster))


@router.get("/maps/orgs/{org}", response_model=None, responses=ERRORS)
def org_map(
    request: Request,
    org: Annotated[str, Path(min_length=1, max_length=200, description="USCC or name")],
    _: Caller,
    hops: Annotated[int, Query(ge=1, le=3)] = 2,
    budget: Budget = 1500,
) -> HTMLResponse:
    """An enterprise's map: its suppliers and customers, ``hops`` deep."""
    return _page(request, lambda s: maps.enterprise_map_html(s, org, hops, budget))
