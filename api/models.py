"""Pydantic models of every request and response body."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from chainkg.graph.schema import SCHEMA
from chainkg.queries.subgraph import DEFAULT_LIMIT, MAX_DEPTH, MAX_LIMIT, Direction

# The schema's labels and relationship types, as enums in the OpenAPI document: a client
# (and a contract test) sees exactly which filters are accepted.
NodeLabel = Literal[tuple(k.label for k in SCHEMA.nodes)]  # type: ignore[valid-type]
RelType = Literal[tuple(r.type for r in SCHEMA.rels)]  # type: ignore[valid-type]


class ProblemOut(BaseModel):
    """One located problem of an input."""

    file: str
    row: int | None = None
    column: str | None = None
    message: str


class ErrorBody(BaseModel):
    """What went wrong and how to fix it."""

    error: str = Field(description="error class, e.g. NotFoundError")
    message: str
    hint: str | None = None
    problems: list[ProblemOut] | None = None


# -- roster -------------------------------------------------------------------------------


class UnitOut(BaseModel):
    """A responsible unit (群链长责任单位) or alliance chair (盟会长单位)."""

    name: str
    kind: str | None = None


class PersonOut(BaseModel):
    """A chief (链长)."""

    name: str
    title: str | None = None


class DeputyOut(BaseModel):
    """A city deputy chief (副群链长) of a chain, from a roster supplement file."""

    name: str
    title: str | None
    city: str | None
    source: str | None
    synthetic: bool


class RosterChainOut(BaseModel):
    """A chain as the roster lists it."""

    seq: int | None
    id: str | None = None
    name: str
    origin: str = Field("notice", description="notice (the roster edition) | registry")
    status: str | None = Field(None, description="registry chains: the declared status")
    city: str | None = Field(None, description="registry chains: the city whose own chain it is")
    basis: str | None = Field(None, description="registry chains: 认定依据")
    registry: str | None = Field(None, description="registry chains: the registry file")
    former_names: list[str] = []
    future: bool
    responsible_units: list[UnitOut]
    alliance_chairs: list[UnitOut]
    deputies: list[DeputyOut] = []
    source: str | None


class RosterClusterOut(BaseModel):
    """A cluster (重大集群) with its chiefs and chains."""

    seq: int | None
    name: str
    chiefs: list[PersonOut]
    chains: list[RosterChainOut]
    source: str | None


class DocumentOut(BaseModel):
    """The source notice."""

    number: str
    title: str | None
    issuer: str | None
    issued: str | None
    in_force: str | None = None
    superseded_on: str | None = None


class EditionOut(BaseModel):
    """A stored roster edition (文号, date in force)."""

    number: str
    title: str | None
    in_force: str
    superseded_on: str | None
    current: bool


class RetiredChainOut(BaseModel):
    """A chain no longer in force (dropped by an edition or withdrawn from the registry)."""

    id: str
    name: str
    origin: str
    in_force_until: str
    source: str | None


class NoteOut(BaseModel):
    """A correction or gap recorded for the source."""

    kind: str
    text: str
    source: str | None


class RosterOut(BaseModel):
    """The 双长制 roster, the same JSON as ``chainkg roster --format json``."""

    document: DocumentOut
    general_chief: PersonOut | None
    clusters: list[RosterClusterOut]
    notes: list[NoteOut]
    retired: list[RetiredChainOut] = []
    editions: list[EditionOut] = []


class ClusterOut(BaseModel):
    """A cluster (重大集群): its chiefs and the names of its chains."""

    seq: int | None
    name: str
    chiefs: list[PersonOut]
    chains: list[str]


# -- chains and organisations -------------------------------------------------------------


class SegmentOut(BaseModel):
    """A segment (环节) of a chain."""

    name: str
    stage: str | None
    position: int | None


class ChainOut(BaseModel):
    """A key chain (重点产业链) with its segments, upstream to downstream."""

    name: str
    cluster: str | None
    seq: int | None
    future: bool | None
    origin: str = Field("notice", description="notice (the roster lists it) | registry")
    status: str | None = Field(None, description="registry chains: the declared status")
    city: str | None = Field(None, description="registry chains: the city whose own chain it is")
    source: str | None = Field(None, description="the roster 文号, or the registry file")
    segments: list[SegmentOut]


class ChainDetailOut(ChainOut):
    """A chain with its responsible units and alliance chairs."""

    responsible_units: list[UnitOut]
    alliance_chairs: list[UnitOut]


class OrgOut(BaseModel):
    """An organisation (enterprise, unit, association ...)."""

    id: str
    name: str
    kind: str | None = None
    uscc: str | None = None
    city: str | None = None
    in_province: bool | None = None
    revenue: float | None = None
    employees: int | None = None
    leader: bool | None = None
    specialized: bool | None = None
    listed: bool | None = None
    industry_code: str | None = None


class OrgPage(BaseModel):
    """One page of organisations; pass ``next_cursor`` as ``cursor`` for the next (null: last)."""

    items: list[OrgOut]
    next_cursor: str | None


class SearchOut(BaseModel):
    """Organisations matching a name (CONTAINS) or a 统一社会信用代码 (exact)."""

    items: list[OrgOut]


# -- subgraphs ----------------------------------------------------------------------------


class NodeLinkOut(BaseModel):
    """A subgraph as node-link JSON (networkx 3.6 shape, ``edges`` key)."""

    model_config = ConfigDict(extra="allow")

    directed: bool
    multigraph: bool
    graph: dict[str, Any]
    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    truncated: bool


class CytoscapeOut(BaseModel):
    """A subgraph as Cytoscape.js JSON (``format=cytoscape``: networkx's cytoscape_data)."""

    model_config = ConfigDict(extra="allow")

    data: list[Any]
    directed: bool
    multigraph: bool
    elements: dict[str, list[dict[str, Any]]]
    truncated: bool


class ExpandIn(BaseModel):
    """Grow a subgraph the client already shows from one of its nodes."""

    model_config = ConfigDict(populate_by_name=True, extra="forbid")

    node_ids: list[str] = Field(
        default_factory=list, max_length=5000, description="ids the client already has"
    )
    from_: str = Field(alias="from", min_length=1, max_length=500, description="node to grow from")
    depth: int = Field(1, ge=1, le=MAX_DEPTH)
    direction: Direction = Direction.both
    labels: list[NodeLabel] | None = Field(None, max_length=50)
    types: list[RelType] | None = Field(None, max_length=50)
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
