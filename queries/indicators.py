"""The indicator set of the annual evaluation (综合评价), read from ``data/indicators.toml``.

The file is data: each indicator's name, dimension (规模能级, 创新能力 ...), the measure that
computes it, unit, direction, normalisation and weight. This module only reads and checks
it (``load_indicators``); ``evaluation`` computes the measures and the scores.

A measure is one of:

- ``QUERY.COLUMN``: a column of ``queries/QUERY.cypher`` (per chain, as of a date);
- ``growth:QUERY.COLUMN``: the change of that column over the previous year, in %;
- ``ratio:QUERY.A/B``: 100 * A / B of one query's row, in %;
- a named function: ``findings_closed`` or ``ledger:NAME``.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from chainkg.errors import ConfigError

NORMALISATIONS = ("max", "log_max", "minmax")
DIRECTIONS = ("higher", "lower")
FUNCTIONS = ("findings_closed",)
LEDGER_PREFIX = "ledger:"
DEFAULT_VOCABULARY = {
    "addressed": ["已突破", "已解决", "突破", "已攻克"],
    "done": ["投产", "已投产", "竣工", "建成", "完工"],
}


@dataclass(frozen=True)
class Measure:
    """What computes an indicator: a query column, a growth or ratio of one, or a function."""

    text: str
    kind: str  # column | growth | ratio | function | ledger
    query: str | None = None
    column: str | None = None
    denominator: str | None = None
    function: str | None = None

    @classmethod
    def parse(cls, text: str, where: str) -> Measure:
        """Parse ``text`` (see the module docstring); ConfigError naming ``where`` otherwise."""
        if text in FUNCTIONS:
            return cls(text, "function", function=text)
        if text.startswith(LEDGER_PREFIX) and len(text) > len(LEDGER_PREFIX):
            return cls(text, "ledger", function=text.removeprefix(LEDGER_PREFIX))
        kind, _, rest = text.rpartition(":")
        if kind not in ("", "growth", "ratio"):
            raise ConfigError(
                f"{where}: unknown measure kind {kind!r} in {text!r}",
                hint="use QUERY.COLUMN, growth:QUERY.COLUMN, ratio:QUERY.A/B, "
                f"{', '.join(FUNCTIONS)} or ledger:NAME",
            )
        query, dot, column = rest.partition(".")
        denominator = None
        if kind == "ratio":
            column, _, denominator = column.partition("/")
        if not (query and dot and column) or (kind == "ratio" and not denominator):
            raise ConfigError(
                f"{where}: measure {text!r} does not name a query and a column",
                hint="e.g. eval_enterprises.revenue or ratio:eval_projects.done/projects",
            )
        if not query.startswith("eval_"):
            raise ConfigError(
                f"{where}: measure {text!r} names {query!r}; evaluation queries are named eval_*",
                hint="add queries/eval_<name>.cypher returning one row per chain",
            )
        return cls(text, kind or "column", query, column, denominator)


@dataclass(frozen=True)
class Indicator:
    """One indicator: what it is called, what computes it, how it scores and counts."""

    key: str
    name: str
    dimension: str
    measure: Measure
    unit: str
    direction: str
    normalise: str
    weight: float
    facts: dict[str, Any] = field(default_factory=dict)
    facts_min: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Dimension:
    """A dimension of the evaluation (规模能级 ...) and its weight in the composite."""

    key: str
    name: str
    weight: float


@dataclass(frozen=True)
class IndicatorSet:
    """The dimensions and indicators of one evaluation, and how missing data counts."""

    source: str
    dimensions: tuple[Dimension, ...]
    indicators: tuple[Indicator, ...]
    missing: str = "reweight"
    min_coverage: float = 0.5
    vocabulary: dict[str, list[str]] = field(default_factory=lambda: dict(DEFAULT_VOCABULARY))

    def of(self, dimension: str) -> list[Indicator]:
        """The indicators of a dimension, in file order."""
        return [i for i in self.indicators if i.dimension == dimension]

    def queries(self) -> list[str]:
        """The eval_* queries the measures need, in first-use order."""
        out: list[str] = []
        for i in self.indicators:
            if i.measure.query and i.measure.query not in out:
                out.append(i.measure.query)
        return out


def _need(table: dict[str, Any], key: str, kind: type, where: str) -> Any:
    if key not in table:
        raise ConfigError(f"{where}: {key!r} is missing", hint="see the comments in the file")
    value = table[key]
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, kind) or isinstance(value, bool) is not (kind is bool):
        raise ConfigError(
            f"{where}: {key!r} must be a {kind.__name__}, got {value!r}",
            hint="see the comments in the file",
        )
    return value


def _weight(table: dict[str, Any], where: str) -> float:
    w = _need(table, "weight", float, where)
    if w < 0:
        raise ConfigError(f"{where}: weight must not be negative, got {w}")
    return w


def parse_indicators(data: dict[str, Any], source: str) -> IndicatorSet:
    """An IndicatorSet from parsed TOML; ConfigError naming the entry and field that is wrong."""
    dims: list[Dimension] = []
    for n, d in enumerate(data.get("dimension") or [], start=1):
        where = f"{source}: [[dimension]] #{n}"
        dims.append(
            Dimension(_need(d, "key", str, where), _need(d, "name", str, where), _weight(d, where))
        )
    if not dims:
        raise ConfigError(f"{source}: no [[dimension]] entries", hint="declare the dimensions")
    known = {d.key for d in dims}
    if len(known) != len(dims):
        raise ConfigError(f"{source}: two [[dimension]] entries share a key")
    inds: list[Indicator] = []
    for n, t in enumerate(data.get("indicator") or [], start=1):
        where = f"{source}: [[indicator]] #{n}"
        key = _need(t, "key", str, where)
        where = f"{source}: indicator {key!r}"
        dim = _need(t, "dimension", str, where)
        if dim not in known:
            raise ConfigError(
                f"{where}: dimension {dim!r} is not declared",
                hint=f"one of: {', '.join(sorted(known))}",
            )
        direction = _need(t, "direction", str, where)
        if direction not in DIRECTIONS:
            raise ConfigError(f"{where}: direction must be one of {DIRECTIONS}, got {direction!r}")
        normalise = _need(t, "normalise", str, where)
        if normalise not in NORMALISATIONS:
            raise ConfigError(
                f"{where}: normalise must be one of {NORMALISATIONS}, got {normalise!r}"
            )
        inds.append(
            Indicator(
                key=key,
                name=_need(t, "name", str, where),
                dimension=dim,
                measure=Measure.parse(_need(t, "measure", str, where), where),
                unit=_need(t, "unit", str, where),
                direction=direction,
                normalise=normalise,
                weight=_weight(t, where),
                facts=dict(t.get("facts") or {}),
                facts_min={k: float(v) for k, v in (t.get("facts_min") or {}).items()},
            )
        )
    keys = [i.key for i in inds]
    dupes = sorted({k for k in keys if keys.count(k) > 1})
    if dupes:
        raise ConfigError(f"{source}: indicator keys used twice: {', '.join(dupes)}")
    scoring = data.get("scoring") or {}
    missing = scoring.get("missing", "reweight")
    if missing != "reweight":
        raise ConfigError(
            f"{source}: [scoring] missing = {missing!r} is not supported",
            hint='use "reweight": missing indicators leave the weighted mean',
        )
    min_cov = float(scoring.get("min_coverage", 0.5))
    vocabulary = {**DEFAULT_VOCABULARY, **(data.get("vocabulary") or {})}
    return IndicatorSet(source, tuple(dims), tuple(inds), missing, min_cov, vocabulary)


def load_indicators(path: Path | str | None = None) -> IndicatorSet:
    """The indicator set in ``path`` (default: the shipped ``data/indicators.toml``)."""
    if path is None:
        text = resources.files("chainkg.data").joinpath("indicators.toml").read_text("utf-8")
        source = "indicators.toml"
    else:
        p = Path(path)
        try:
            text = p.read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigError(
                f"cannot read the indicator file {p}: {exc.strerror}",
                hint="give an existing TOML file (--indicators FILE)",
            ) from None
        source = str(p)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            f"{source} is not valid TOML: {exc}", hint="fix the line the message names"
        ) from None
    return parse_indicators(data, source)
