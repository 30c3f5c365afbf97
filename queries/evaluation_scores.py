"""Pure scoring of the annual evaluation: normalise indicator values, weight them, rank.

No I/O here: ``evaluation`` computes the values from the graph and calls these functions;
tests check them with hand-made numbers.

- ``normalise``: each indicator's values over the units (chains, or clusters) of one year
  become scores 0..100 by the indicator's method (max, log_max, minmax) and direction.
- ``weighted``: a weighted mean over the parts that have a score, with the share of the
  weight they cover. Missing values (None) are left out, never counted as 0 (``reweight``).
- ``rank``: 1 = best composite, among the units whose coverage reaches the minimum.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

SCORE_DIGITS = 2
VALUE_DIGITS = 4


def _round(x: float | None, digits: int) -> float | None:
    return None if x is None else round(x, digits)


def normalise(
    values: Mapping[str, float | None], method: str, direction: str
) -> dict[str, float | None]:
    """Scores 0..100 for the values of one indicator over the units of a year (pure).

    ``max``: 100 * value / best (values below 0 count as 0; best 0: every score 0);
    ``lower``: 100 * best / value, best being the smallest value (value 0: 100).
    ``log_max``: the same on log(1 + value). ``minmax``: 100 * (value - worst) / (best - worst),
    50 for every unit when all values are equal. Missing values (None) get no score.
    """
    known = {k: float(v) for k, v in values.items() if v is not None}
    out: dict[str, float | None] = dict.fromkeys(values)
    if not known:
        return out
    higher = direction == "higher"
    if method == "minmax":
        lo, hi = min(known.values()), max(known.values())
        for k, v in known.items():
            if hi == lo:
                out[k] = 50.0
            else:
                s = (v - lo) / (hi - lo) if higher else (hi - v) / (hi - lo)
                out[k] = _round(100.0 * s, SCORE_DIGITS)
        return out
    f = (lambda x: math.log1p(max(0.0, x))) if method == "log_max" else (lambda x: max(0.0, x))
    shaped = {k: f(v) for k, v in known.items()}
    if higher:
        best = max(shaped.values())
        for k, v in shaped.items():
            out[k] = _round(100.0 * v / best, SCORE_DIGITS) if best > 0 else 0.0
    else:
        best = min(shaped.values())
        for k, v in shaped.items():
            out[k] = 100.0 if v <= 0 else _round(100.0 * best / v, SCORE_DIGITS)
    return out


def weighted(parts: Sequence[tuple[float, float | None, float]]) -> tuple[float | None, float]:
    """(score, coverage) of (weight, score, coverage) parts (pure).

    The score is the weighted mean of the parts that have one (None when none has);
    coverage is the share of the total weight backed by data, each part counting with its
    own coverage (1 for an indicator with a value).
    """
    total = sum(w for w, _, _ in parts)
    have = [(w, s) for w, s, _ in parts if s is not None and w > 0]
    weight = sum(w for w, _ in have)
    score = _round(sum(w * s for w, s in have) / weight, SCORE_DIGITS) if weight > 0 else None
    covered = sum(w * c for w, s, c in parts if s is not None)
    coverage = _round(covered / total, VALUE_DIGITS) if total > 0 else 0.0
    return score, coverage or 0.0


def rank(units: Sequence[Mapping[str, Any]], min_coverage: float) -> dict[str, int | None]:
    """Rank by composite score, 1 = best; equal scores share a rank; None below min_coverage.

    ``units`` are mappings with ``name``, ``score`` and ``coverage``.
    """
    ranked = sorted(
        (u for u in units if u["score"] is not None and u["coverage"] >= min_coverage),
        key=lambda u: -u["score"],
    )
    out: dict[str, int | None] = {u["name"]: None for u in units}
    previous: float | None = None
    position = 0
    for i, u in enumerate(ranked, start=1):
        if u["score"] != previous:
            position, previous = i, u["score"]
        out[u["name"]] = position
    return out


def growth(now: float | None, before: float | None) -> float | None:
    """Change in % from ``before`` to ``now``; None when either is missing or before is 0."""
    if now is None or before is None or before == 0:
        return None
    return _round(100.0 * (now - before) / abs(before), VALUE_DIGITS)


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    """100 * numerator / denominator in %; None when either is missing or the denominator 0."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return _round(100.0 * numerator / denominator, VALUE_DIGITS)


def change(now: float | None, before: float | None) -> float | None:
    """now - before; None when either is missing."""
    if now is None or before is None:
        return None
    return _round(now - before, VALUE_DIGITS)
