"""Thresholds of the weak-link (短板弱项) findings, with documented defaults.

Every threshold can be set in the environment (prefix ``CHAINKG_WEAK_``, e.g.
``CHAINKG_WEAK_MIN_ENTERPRISES=5``) and overridden per run (``chainkg weak-links
--min-enterprises 5``). The comparisons are strict, as the words say ("at most" for
single_source_suppliers):

| setting | default | a reason fires when |
|---|---|---|
| min_enterprises | 3 | in-province enterprises (省内企业) < min_enterprises -> 弱链 |
| hhi | 0.5 | HHI of in-province revenue > hhi -> 弱链 (集中度过高) |
| hhi_min_known | 2 | HHI is evaluated only with at least this many firms of known revenue |
| local_ratio | 0.5 | local supply ratio (本地配套率) < local_ratio -> 断链 |
| single_source_suppliers | 1 | all local demand served by <= this many suppliers -> 断链 (单一来源); 0: off |
| sparse_edges_per_firm | 0.5 | a dependent finding with fewer recorded local-demand edges than this many per capable firm (and at least min_enterprises capable firms) is 数据不足 instead |
| foreign_ratio | 0.3 | share of local demand supplied from abroad (境外) > foreign_ratio -> 断链 (境外依赖) |
| leader_rule | flag | 龙头: flag (list flag), revenue (top leader_rank by revenue with >= leader_min_revenue) or either |
| leader_rank | 1 | revenue rule: the top this many firms of a segment by revenue can be 龙头 |
| leader_min_revenue | 100000 | revenue rule: a 龙头 earns at least this (万元) |
| capacity_ratio | 1.0 | local capacity (产能) < capacity_ratio x local demand value -> 弱链 (产能不足) |
| evidence_cap | 10 | at most this many enterprises / relations listed per evidence list |
| recommend_top | 5 | at most this many 补链 candidates per segment |
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from chainkg.errors import ConfigError


class WeakLinkThresholds(BaseSettings):
    """The thresholds one weak-link run compares its metrics with."""

    model_config = SettingsConfigDict(env_prefix="CHAINKG_WEAK_", extra="ignore", frozen=True)

    min_enterprises: int = Field(
        3, ge=1, description="弱链 when a segment has fewer in-province enterprises than this"
    )
    hhi: float = Field(
        0.5,
        ge=0.0,
        le=1.0,
        description="弱链 when the HHI (0..1) of in-province revenue is above this",
    )
    hhi_min_known: int = Field(
        2,
        ge=1,
        description="HHI is computed only when at least this many firms have a known revenue",
    )
    local_ratio: float = Field(
        0.5, ge=0.0, le=1.0, description="断链 when the local supply ratio is below this"
    )
    single_source_suppliers: int = Field(
        1,
        ge=0,
        description="断链 when all local demand for the segment's output comes from at most "
        "this many suppliers (0: never)",
    )
    sparse_edges_per_firm: float = Field(
        0.5,
        ge=0.0,
        le=100.0,
        description="a dependent finding backed by fewer recorded local-demand edges than this "
        "many per capable local firm is 数据不足 (0: never)",
    )
    foreign_ratio: float = Field(
        0.3,
        ge=0.0,
        le=1.0,
        description="断链 (境外依赖) when the share of local demand supplied from abroad is above this",
    )
    leader_rule: Literal["flag", "revenue", "either"] = Field(
        "flag", description="who is a 龙头: the list flag, a revenue rank, or either"
    )
    leader_rank: int = Field(
        1, ge=1, le=100, description="revenue rule: the top this many firms by revenue"
    )
    leader_min_revenue: float = Field(
        100_000.0, ge=0.0, description="revenue rule: a 龙头 earns at least this (万元)"
    )
    capacity_ratio: float = Field(
        1.0,
        ge=0.0,
        le=100.0,
        description="弱链 (产能不足) when local capacity is below this times the local demand value",
    )
    evidence_cap: int = Field(10, ge=1, le=1000, description="enterprises listed per evidence")
    recommend_top: int = Field(5, ge=1, le=100, description="补链 candidates per segment")


def load_thresholds(**overrides: Any) -> WeakLinkThresholds:
    """Thresholds from the environment with the non-None ``overrides`` (CLI options) on top."""
    given = {k: v for k, v in overrides.items() if v is not None}
    try:
        return WeakLinkThresholds(**given)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(x) for x in first["loc"]) or "thresholds"
        raise ConfigError(
            f"invalid weak-link threshold {where}: {first['msg']} (given {first.get('input')!r})",
            hint="see docs/weak-links.md for each threshold's range "
            "(env CHAINKG_WEAK_<NAME>, or the weak-links options)",
        ) from None
