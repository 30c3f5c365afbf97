"""Typed models of the weak-links report (短板弱项), shared by queries/, the API and the CLI.

``findings.weak_links`` builds the report; ``WeakLinksReport.model_validate`` checks it
(extra fields are errors: a field added to the report must be added here, so the API's
OpenAPI schema and its contract tests see it). Fields are described in docs/weak-links.md.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

Status = Literal["missing", "dependent", "weak", "ok"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Reason(_Strict):
    """Why a segment has its status: a rule that fired, with its number and threshold."""

    code: str
    status: Status
    text: str
    metric: str | None
    value: float | int | None
    threshold: float | int | None
    comparison: str | None


class Metrics(_Strict):
    """The numbers a segment's status is decided from."""

    enterprises: int
    leaders: int
    revenue_known: int
    revenue_unknown: int
    revenue_total: float
    hhi: float | None
    outside_enterprises: int
    supply_edges: int
    local_supply_edges: int
    valued_supply_edges: int
    supply_value: float
    local_supply_value: float
    local_supply_ratio: float | None
    ratio_basis: str | None
    suppliers: int
    local_suppliers: int
    betweenness: float
    articulation: bool


class EvidenceOrg(_Strict):
    """An organisation named as evidence (which fields are set depends on the list)."""

    id: str
    name: str | None
    city: str | None = None
    revenue: float | None = None
    leader: bool | None = None
    share: float | None = None
    in_province: bool | None = None
    edges: int | None = None
    value: float | None = None
    supplier_id: str | None = None
    supplier: str | None = None
    supplier_in_province: bool | None = None


class Listed(_Strict):
    """A full count and the first entries of a list of evidence."""

    count: int
    shown: list[EvidenceOrg]


class SingleSource(Listed):
    """Customers whose whole input from the segment comes from one supplier (单一来源)."""

    customers: int
    share: float | None


class Evidence(_Strict):
    """The enterprises, suppliers and customers behind a segment's finding."""

    segment_id: str
    enterprises: Listed
    leaders: Listed
    unknown_revenue: Listed
    suppliers: Listed
    outside_suppliers: Listed
    single_source: SingleSource


class SegmentFinding(_Strict):
    """One segment (环节) of a chain: its status (缺链/断链/弱链/正常) with reasons and evidence."""

    name: str
    stage: str | None
    status: Status
    reasons: list[Reason]
    metrics: Metrics
    evidence: Evidence


class Flagged(_Strict):
    """A segment with a finding, in the summary."""

    name: str
    status: Status


class CriticalEnterprise(_Strict):
    """An enterprise much of the chain's supply flow passes through."""

    id: str
    name: str | None
    in_province: bool | None
    revenue: float | None
    betweenness: float
    articulation: bool


class ChainSummary(_Strict):
    """Counts per status, the flagged segments and the thresholds used."""

    segments: int
    by_status: dict[Status, int]
    flagged: list[Flagged]
    thresholds: dict[str, float | int]
    critical_enterprises: list[CriticalEnterprise] | None = None


class Candidate(_Strict):
    """An out-of-province enterprise operating in the segment, ranked for 补链."""

    id: str
    name: str | None
    city: str | None
    revenue: float | None
    leader: bool | None
    ties: int
    tie_value: float
    local_customers: int
    rank: int
    reason: str


class Recommendation(_Strict):
    """What to do about a missing or dependent segment, with ranked candidates."""

    segment: str
    segment_id: str
    status: Status
    action: str
    candidates_total: int
    candidates: list[Candidate]
    note: str | None


class ChainReport(_Strict):
    """One chain's weak-link report: summary, per-segment findings with evidence, 补链 advice."""

    chain: str
    cluster: str | None
    summary: ChainSummary
    segments: list[SegmentFinding]
    recommendations: list[Recommendation]


class WeakLinksReport(_Strict):
    """The weak-links JSON (``chainkg weak-links --format json``)."""

    chains: list[ChainReport]


class RecommendationsOut(_Strict):
    """The recommendations (补链/强链 candidates) for a chain's missing and dependent segments."""

    chain: str
    recommendations: list[Recommendation]
