"""Typed models of the weak-links report (短板弱项), shared by queries/, the API and the CLI.

``findings.weak_links`` builds the report; ``WeakLinksReport.model_validate`` checks it
(extra fields are errors: a field added to the report must be added here, so the API's
OpenAPI schema and its contract tests see it). Fields are described in docs/weak-links.md.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Status = Literal["missing", "dependent", "weak", "unverified", "insufficient_data", "ok"]


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


class Note(_Strict):
    """What a finding had to assume (e.g. supplies without a product segment)."""

    code: str
    text: str
    metric: str
    value: float | int | None


class Severity(_Strict):
    """How much is at stake in a finding, and its score (docs/weak-links.md, Severity)."""

    score: float
    stake: float | None
    local_demand_value: float | None
    downstream_revenue: float | None
    betweenness: float
    articulation: bool


class Metrics(_Strict):
    """The numbers a segment's status is decided from."""

    enterprises: int
    inferred_enterprises: int
    leaders: int
    revenue_known: int
    revenue_unknown: int
    revenue_total: float
    hhi: float | None
    capacity_known: int
    capacity_total: float | None
    outside_enterprises: int
    supply_edges: int
    untagged_supply_edges: int
    local_supply_edges: int
    valued_supply_edges: int
    supply_value: float
    local_supply_value: float
    local_supply_ratio: float | None
    ratio_basis: str | None
    foreign_supply_value: float
    foreign_supply_ratio: float | None
    suppliers: int
    local_suppliers: int
    foreign_suppliers: int
    choke_technologies: int
    downstream_revenue: float | None
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
    country: str | None = None
    edges: int | None = None
    value: float | None = None
    supplier_id: str | None = None
    supplier: str | None = None
    supplier_in_province: bool | None = None


class Listed(_Strict):
    """A full count and the first entries of a list of evidence."""

    count: int
    shown: list[EvidenceOrg]


class Technology(_Strict):
    """A 卡脖子 technology of the 技术清单 concerning the segment."""

    id: str
    name: str | None
    status: str | None
    holder: str | None


class TechnologyList(_Strict):
    """The unsolved 卡脖子 technologies of a segment: full count and the first entries."""

    count: int
    shown: list[Technology]


class SingleSource(Listed):
    """Customers whose whole input from the segment comes from one supplier (单一来源)."""

    customers: int
    share: float | None


class Evidence(_Strict):
    """The enterprises, suppliers and customers behind a segment's finding."""

    segment_id: str
    enterprises: Listed
    inferred: Listed
    leaders: Listed
    unknown_revenue: Listed
    suppliers: Listed
    outside_suppliers: Listed
    foreign_suppliers: Listed
    choke_technologies: TechnologyList
    single_source: SingleSource


class SegmentFinding(_Strict):
    """One segment (环节) of a chain: its status (缺链/断链/弱链/正常) with reasons and evidence."""

    name: str
    stage: str | None
    status: Status
    status_label: str
    rank: int | None
    severity: Severity
    reasons: list[Reason]
    notes: list[Note]
    strengths: list[Reason]
    metrics: Metrics
    evidence: Evidence


class Flagged(_Strict):
    """A segment with a finding, in the summary."""

    name: str
    status: Status
    rank: int | None
    score: float


class Strength(_Strict):
    """A segment with a strength (链主), in the summary."""

    name: str
    codes: list[str]


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
    strengths: list[Strength]
    thresholds: dict[str, float | int | str]
    critical_enterprises: list[CriticalEnterprise] | None = None


class Candidate(_Strict):
    """A 补链 candidate: a 招商清单 target, an 在建/拟建 project or an out-of-province firm."""

    id: str
    name: str | None
    source: Literal["target", "project", "outside_firm"]
    source_label: str
    rank: int
    reason: str
    city: str | None = None
    province: str | None = None
    country: str | None = None
    revenue: float | None = None
    leader: bool | None = None
    ties: int | None = None
    tie_value: float | None = None
    local_customers: int | None = None
    origin: str | None = None
    priority: str | None = None
    status: str | None = None
    reason_text: str | None = None
    investment: float | None = None
    owner: str | None = None
    start_year: int | None = None


class Substitute(_Strict):
    """A domestic organisation operating in the segment (国产替代 candidate)."""

    id: str
    name: str | None
    city: str | None
    in_province: bool | None
    province: str | None
    revenue: float | None
    leader: bool | None
    rank: int
    reason: str


class Substitutes(_Strict):
    """国产替代 candidates where the segment depends on suppliers abroad or a 卡脖子 technology."""

    action: str
    count: int
    shown: list[Substitute]


class Recommendation(_Strict):
    """What to do about a missing or dependent segment, with ranked candidates."""

    segment: str
    segment_id: str
    status: Status
    score: float
    action: str
    candidates_total: int
    candidates: list[Candidate]
    substitutes: Substitutes | None
    note: str | None


class ChainReport(_Strict):
    """One chain's weak-link report: summary, per-segment findings with evidence, 补链 advice."""

    chain: str
    cluster: str | None
    origin: str = Field(
        "notice",
        description="notice (the roster lists it) | registry (产业链登记表, not the notice)",
    )
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
