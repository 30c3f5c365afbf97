"""GET /chains and /chains/{chain}: key chains (重点产业链) with their segments (环节)."""

from __future__ import annotations

from collections import defaultdict
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request

from chainkg.api.auth import Caller
from chainkg.api.deps import on_store
from chainkg.api.errors import READ_ERRORS
from chainkg.api.models import ChainDetailOut, ChainOut, SegmentOut, UnitOut
from chainkg.errors import NotFoundError
from chainkg.graph.catalog import query
from chainkg.graph.store import GraphStore, Row
from chainkg.queries.chains import resolve_chain

router = APIRouter(tags=["chains"])

ChainName = Annotated[
    str,
    Path(min_length=1, max_length=200, description="chain name, URL-encoded, e.g. 电力装备产业链"),
]


def resolved_chain(request: Request, chain: ChainName, _: Caller) -> str:
    """The full name of the chain the path names (``queries.chains``: short names, ids and
    unique parts of a name too); 404 with the closest names otherwise."""
    return on_store(request, lambda store: resolve_chain(store, chain).name)


Chain = Annotated[str, Depends(resolved_chain)]
"""A route parameter: the chain named in the path, resolved to its full name (404 if none)."""


def chain_row(store: GraphStore, chain: str) -> Row:
    """The row of the chain called ``chain`` (its full name); NotFoundError if there is none."""
    rows = store.read(query("api_chain"), {"chain_id": resolve_chain(store, chain).chain_id})
    if not rows:
        raise NotFoundError(f"no chain named {chain!r} in the graph")
    return rows[0]


@router.get("/chains", response_model=list[ChainOut], responses=READ_ERRORS)
def list_chains(request: Request, _: Caller) -> list[ChainOut]:
    """Every key chain in roster order, each with its segments upstream to downstream."""

    def read(store: GraphStore) -> list[ChainOut]:
        segments: dict[str, list[SegmentOut]] = defaultdict(list)
        for s in store.read(query("api_segments")):
            segments[s["chain"]].append(
                SegmentOut(name=s["name"], stage=s["stage"], position=s["position"])
            )
        return [
            ChainOut(**c, segments=segments[c["name"]]) for c in store.read(query("api_chains"))
        ]

    return on_store(request, read)


@router.get("/chains/{chain}", response_model=ChainDetailOut, responses=READ_ERRORS)
def get_chain(request: Request, chain: Chain, _: Caller) -> ChainDetailOut:
    """One chain: cluster, segments, responsible units (群链长责任单位), alliance chairs (盟会长单位)."""

    def read(store: GraphStore) -> ChainDetailOut:
        row = chain_row(store, chain)
        params = {"chain_id": resolve_chain(store, chain).chain_id}  # stable across renames
        segments = [SegmentOut(**s) for s in store.read(query("api_chain_segments"), params)]
        units = sorted(
            store.read(query("api_chain_units"), params), key=lambda u: (u["role"], u["position"])
        )
        return ChainDetailOut(
            **row,
            segments=segments,
            responsible_units=[
                UnitOut(name=u["name"], kind=u["kind"]) for u in units if u["role"] == "responsible"
            ],
            alliance_chairs=[
                UnitOut(name=u["name"], kind=u["kind"])
                for u in units
                if u["role"] == "alliance_chair"
            ],
        )

    return on_store(request, read)
