"""Subgraphs for other systems: a chain's, an organisation's neighbourhood, expanding a view."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

import orjson
from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response

from chainkg.api.auth import Caller
from chainkg.api.cache import CachedBody, ResponseCache, cache_key
from chainkg.api.deps import on_store
from chainkg.api.errors import READ_ERRORS
from chainkg.api.models import CytoscapeOut, ExpandIn, NodeLabel, NodeLinkOut, RelType
from chainkg.api.routes.chains import Chain, chain_row
from chainkg.graph import ids
from chainkg.graph.projection import Projection, ProjectionHolder
from chainkg.graph.store import GraphStore
from chainkg.queries import subgraph as sg

router = APIRouter(tags=["subgraphs"])

FORMATS_DOC = {
    200: {
        "description": "the subgraph in the requested format",
        "model": NodeLinkOut | CytoscapeOut,  # JSON: node-link (default) or Cytoscape.js
        "content": {
            "application/json": {},
            "application/graphml+xml": {},
            "application/gexf+xml": {},
        },
    }
}

Depth = Annotated[int, Query(ge=1, le=sg.MAX_DEPTH, description="hops, 1 to 3")]
Limit = Annotated[int, Query(ge=1, le=sg.MAX_LIMIT, description="most nodes returned")]
Labels = Annotated[
    list[NodeLabel] | None,
    Query(alias="label", max_length=50, description="node labels to keep (repeat)"),
]
Types = Annotated[
    list[RelType] | None,
    Query(alias="type", max_length=50, description="relationship types to follow (repeat)"),
]


def rendered(sub: sg.Subgraph, fmt: sg.Format) -> CachedBody:
    """The subgraph as response bytes; ``X-Truncated`` says whether the node limit was hit."""
    body = sg.render(sub, fmt)
    headers = {"X-Truncated": "true" if sub.truncated else "false"}
    if isinstance(body, str):
        return CachedBody(body.encode("utf-8"), sg.MEDIA_TYPES[fmt], headers)
    return CachedBody(json_bytes(body), "application/json", headers)


def json_bytes(body: object) -> bytes:
    """JSON bytes of plain data (orjson: several times faster than the standard library on
    a 500-node subgraph; no model validation of a payload our own code built)."""
    return orjson.dumps(body)


def cached(request: Request, key: bytes, make: Callable[[GraphStore], CachedBody]) -> Response:
    """``make(store)``'s response, from the subgraph cache when the same request was answered
    on the same graph before."""
    cache: ResponseCache = request.app.state.subgraph_cache
    return on_store(request, lambda store: cache.get_or_make(store, key, lambda: make(store)))


def projection_of(request: Request, store: GraphStore) -> Projection | None:
    """The app's current read projection of ``store`` (None when it has none or it is off)."""
    holder: ProjectionHolder | None = getattr(request.app.state, "projection", None)
    return holder.get(store) if holder is not None else None


#: The query parameters that shape a subgraph answer; any other is ignored, also by the cache.
ANSWER_PARAMS = frozenset({"direction", "depth", "label", "type", "limit", "format"})


def request_key(request: Request) -> bytes:
    """What identifies a GET request's answer: its path and the parameters that shape it."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k in ANSWER_PARAMS]
    return cache_key(request.url.path, params)


@router.get(
    "/chains/{chain}/subgraph",
    response_model=None,
    responses={**FORMATS_DOC, **READ_ERRORS},
)
def chain_subgraph(
    request: Request,
    chain: Chain,
    _: Caller,
    direction: sg.Direction = sg.Direction.both,
    depth: Depth = 2,
    labels: Labels = None,
    types: Types = None,
    limit: Limit = sg.DEFAULT_LIMIT,
    format: sg.Format = sg.Format.node_link,
) -> Response:
    """The graph around a chain node: segments, FEEDS, organisations, units ... within depth hops."""
    sg.check_filters(labels, types)

    def read(store: GraphStore) -> CachedBody:
        projection = projection_of(request, store)
        if projection is None or ids.chain_id(chain) not in projection.index:
            chain_row(store, chain)  # 404 naming the known chains
        sub = sg.extract(
            store,
            [ids.chain_id(chain)],
            direction=direction,
            depth=depth,
            labels=labels,
            rel_types=types,
            limit=limit,
            seed_label="Chain",
            projection=projection,
        )
        return rendered(sub, format)

    return cached(request, request_key(request), read)


@router.get(
    "/orgs/{org_id:path}/neighbourhood",
    response_model=None,
    responses={**FORMATS_DOC, **READ_ERRORS},
)
def org_neighbourhood(
    request: Request,
    org_id: str,
    _: Caller,
    direction: sg.Direction = sg.Direction.both,
    depth: Depth = 1,
    labels: Labels = None,
    types: Types = None,
    limit: Limit = sg.DEFAULT_LIMIT,
    format: sg.Format = sg.Format.node_link,
) -> Response:
    """An organisation's suppliers (up), customers (down) and other neighbours within depth hops."""
    sg.check_filters(labels, types)
    return cached(
        request,
        request_key(request),
        lambda s: rendered(
            sg.extract(
                s,
                [org_id],
                direction=direction,
                depth=depth,
                labels=labels,
                rel_types=types,
                limit=limit,
                seed_label="Organization",
                projection=projection_of(request, s),
            ),
            format,
        ),
    )


@router.post(
    "/subgraph/expand",
    response_model=NodeLinkOut,
    responses=READ_ERRORS,
)
def expand(request: Request, body: ExpandIn, _: Caller) -> JSONResponse:
    """Grow a shown subgraph from one node: only the nodes the client lacks, and the edges that
    touch them (node-link JSON)."""
    sg.check_filters(body.labels, body.types)

    def read(store: GraphStore) -> CachedBody:
        sub = sg.extract(
            store,
            [body.from_],
            direction=body.direction,
            depth=body.depth,
            labels=body.labels,
            rel_types=body.types,
            limit=body.limit,
            projection=projection_of(request, store),
        )
        new = sg.only_new(sub, body.node_ids)
        return CachedBody(
            json_bytes(sg.node_link(new)),
            "application/json",
            {"X-Truncated": str(sub.truncated).lower()},
        )

    return cached(request, cache_key(request.url.path, body.model_dump_json()), read)
