"""GET /maps/...: the interactive HTML maps (图谱) of viz/, self-contained pages that link
to each other (roster -> cluster -> chain -> enterprise); POST /maps/links: a short-lived
signed link that opens a map in a browser without the API key."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field

from chainkg.api.auth import Caller
from chainkg.api.deps import on_store
from chainkg.api.errors import READ_ERRORS, ApiError
from chainkg.api.map_links import DEFAULT_TTL, MAX_TTL, MapReader, sign
from chainkg.api.routes.chains import ChainName
from chainkg.graph.store import GraphStore
from chainkg.queries.maps import find_chain
from chainkg.viz import maps
from chainkg.viz.page import content_security_policy

router = APIRouter(tags=["maps"])

HTML_DOC = {200: {"description": "a self-contained HTML page", "content": {"text/html": {}}}}
ERRORS = {**HTML_DOC, **READ_ERRORS}
Budget = Annotated[int, Query(ge=50, le=3000, description="node budget (enterprises fold beyond)")]
Token = Annotated[
    str | None, Query(max_length=400, description="a signed map link token (POST /maps/links)")
]


def security_headers() -> dict[str, str]:
    """Response headers of a map page: its CSP (scripts by hash, no request, no framing),
    no MIME sniffing, no referrer (a signed link must not leak to another site). The API's
    security middleware adds the headers a response lacks; a map's CSP is this stricter one
    (its scripts by hash, not 'unsafe-inline')."""
    return {
        "Content-Security-Policy": content_security_policy(frame_ancestors=True),
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "no-referrer",
        "Cache-Control": "no-store",
    }


def api_linker(request: Request) -> Any:
    """Links between the API's maps: their routes, with the caller's signed token if the
    page was opened with one (so drilling down keeps working in the browser)."""
    root = request.scope.get("root_path", "")
    token = request.query_params.get("token")
    suffix = f"?token={quote(token, safe='')}" if token else ""

    def link(kind: str, key: str) -> str | None:
        if kind == "roster":
            return f"{root}/maps/roster{suffix}"
        if kind == "cluster":
            return f"{root}/maps/clusters/{quote(key, safe='')}{suffix}"
        if kind == "chain":
            return f"{root}/maps/chains/{quote(key, safe='')}{suffix}"
        if kind == "org":
            return f"{root}/maps/orgs/{quote(key, safe='')}{suffix}"
        return None

    return link


def _page(request: Request, draw: Any) -> HTMLResponse:
    return HTMLResponse(on_store(request, draw), headers=security_headers())


@router.get("/maps/roster", response_model=None, responses=ERRORS)
def roster_map(request: Request, _: MapReader, token: Token = None) -> HTMLResponse:
    """The 双长制 roster map."""
    linker = api_linker(request)
    return _page(request, lambda s: maps.roster_map_html(s, linker))


@router.get("/maps/chains/{chain}", response_model=None, responses=ERRORS)
def chain_map(
    request: Request,
    chain: ChainName,
    _: MapReader,
    budget: Budget = maps.DEFAULT_BUDGET,
    token: Token = None,
) -> HTMLResponse:
    """A chain's map, segments coloured by their weak-link finding (reasons in the panel).

    The chain is resolved in ``find_chain`` (the same resolver as ``Chain``), not by the
    ``Chain`` dependency, which demands an API key: a signed map link carries none."""
    linker = api_linker(request)

    def draw(store: GraphStore) -> str:
        name = find_chain(store, chain)["name"]
        return maps.chain_map_html(store, name, maps.segment_findings(store, name), budget, linker)

    return _page(request, draw)


@router.get("/maps/clusters/{cluster}", response_model=None, responses=ERRORS)
def cluster_map(
    request: Request,
    cluster: Annotated[str, Path(min_length=1, max_length=100, description="e.g. 装备制造")],
    _: MapReader,
    token: Token = None,
) -> HTMLResponse:
    """A cluster's map: its chains and the links between them."""
    linker = api_linker(request)
    return _page(request, lambda s: maps.cluster_map_html(s, cluster, linker))


@router.get("/maps/orgs/{org}", response_model=None, responses=ERRORS)
def org_map(
    request: Request,
    org: Annotated[str, Path(min_length=1, max_length=200, description="USCC or name")],
    _: MapReader,
    hops: Annotated[int, Query(ge=1, le=3)] = 2,
    budget: Budget = maps.ORG_BUDGET,
    token: Token = None,
) -> HTMLResponse:
    """An enterprise's map: its suppliers and customers, ``hops`` deep."""
    linker = api_linker(request)
    return _page(request, lambda s: maps.enterprise_map_html(s, org, hops, budget, linker))


class MapLinkRequest(BaseModel):
    """Which map to open, and for how long the link works."""

    path: str = Field(
        "/maps/roster",
        max_length=500,
        description="the map's path, e.g. /maps/chains/电力装备产业链 (may carry its query)",
    )
    ttl: int = Field(DEFAULT_TTL, ge=60, le=MAX_TTL, description="seconds the link works")


class MapLink(BaseModel):
    """A link that opens a map in a browser, and every map it links to, until ``expires``."""

    url: str
    token: str
    expires: int = Field(description="Unix time after which the link no longer opens")


@router.post("/maps/links", response_model=MapLink, responses=READ_ERRORS)
def map_link(request: Request, body: MapLinkRequest, key: Caller) -> MapLink:
    """A short-lived signed link to a map: the viewer opens it in a browser, no API key in
    the URL. The token authorises reading maps only, for ``ttl`` seconds (at most an hour)."""
    path = body.path
    if not path.startswith("/maps/") or path.startswith("/maps/links") or "//" in path:
        raise ApiError(
            422,
            "Unprocessable Entity",
            f"{path!r} is not a map",
            hint="give a map path: /maps/roster, /maps/clusters/NAME, /maps/chains/NAME, "
            "/maps/orgs/USCC",
        )
    token, expires = sign(request.app.state.link_secret, key.id, body.ttl)
    root = request.scope.get("root_path", "")
    joiner = "&" if "?" in path else "?"
    return MapLink(
        url=f"{root}{path}{joiner}token={quote(token, safe='')}", token=token, expires=expires
    )
