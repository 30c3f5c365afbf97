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
| evidence_cap | 10 | at most this many enterprises / relations listed per evidence list |
| recommend_top | 5 | at most this many 补链 candidates per segment |
"""

from __future__ import annotations

from typing import Any

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
