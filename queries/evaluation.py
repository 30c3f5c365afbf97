"""The annual evaluation (综合评价): indicator values, scores per chain and cluster, year over year.

``evaluate(store, year)`` computes every indicator of the indicator set (``indicators``) for
every chain from the facts known at the end of ``year`` and of the year before, scores
them (``evaluation_scores``) and returns the evaluation JSON (see docs/evaluation.md). Each
value names its source (query, column, as_of) and ``explain`` lists the facts behind it.

How a year is read is decided in one place, ``read_year``: the graph as it stood at 31
December of the year (``year_graph``: the list versions in force then, via
``graph.versions.graph_as_of``), in which every eval_* query takes ``$as_of`` and counts the
facts whose membership (OPERATES_IN, LISTED_FOR) is dated on or before it, and the weak-link
findings (短板弱项) of that graph. Comparing the two years gives the year-over-year changes
(``changes``): findings closed and new, new 龙头 enterprises, projects completed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from chainkg.errors import ChainkgError, InputError, NotFoundError, Problem
from chainkg.graph.catalog import query
from chainkg.graph.projection import Projection, build_projection
from chainkg.graph.store import GraphStore, Row
from chainkg.graph.versions import versions_in_force
from chainkg.queries import year_cache
from chainkg.queries.chains import ChainRef, list_chains
from chainkg.queries.evaluation_rows import CHANGE_KINDS
from chainkg.queries.evaluation_scores import change, growth, normalise, rank, ratio, weighted
from chainkg.queries.findings import weak_links
from chainkg.queries.indicators import Indicator, IndicatorSet, load_indicators
from chainkg.queries.projected_evaluation import PROJECTED_EVALUATION
from chainkg.queries.thresholds import load_thresholds

MIN_YEAR, MAX_YEAR = 2000, 2100
FACTS_LIMIT = 10_000
MISSING = {
    "no_rows": "无该清单数据",
    "not_given": "清单未提供该项",
    "no_previous": "无上年数据",
    "zero_base": "上年为0，增长率无意义",
    "zero_denominator": "分母为0",
    "no_findings_history": "无上年短板弱项评估（上年无清单数据）",
    "no_ledger": "问题台账未建立",
}


def year_end(year: int) -> dt.date:
    """The date a year's evaluation reads the facts at: 31 December."""
    return dt.date(year, 12, 31)


def check_year(year: int) -> None:
    """InputError unless ``year`` is one an evaluation can be asked for."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise InputError(
            [Problem("--year", f"year {year} is out of range")],
            hint=f"give a year between {MIN_YEAR} and {MAX_YEAR}",
        )


@contextmanager
def year_graph(store: GraphStore, year: int) -> Iterator[GraphStore]:
    """The graph as it stood at the end of ``year``.

    With list versions (``chainkg.graph.versions.graph_as_of``, docs/versions.md) the lists in
    force at that date; without them the graph itself, whose dated memberships the eval
    queries filter by ``$as_of``. Facts that are not versioned (the demo) are the same at every
    date either way, so the ``$as_of`` filter keeps telling their years apart.
    """
    try:
        from chainkg.graph.versions import graph_as_of  # type: ignore[attr-defined]
    except ImportError:
        yield store
        return
    with graph_as_of(store, year_end(year)) as graph:
        yield graph


@dataclass
class YearView:
    """What the evaluation reads of one year, from the graph as it stood at the year's end.

    ``rows``: per eval query, its row per chain. ``findings``: per chain, the weak-link
    findings (None when not asked for, or when the year has no list facts at all).
    ``leaders`` / ``done``: per chain, the 龙头 enterprises and the completed projects
    (id -> name), for the year-over-year section.
    """

    year: int
    rows: dict[str, dict[str, Row]]
    findings: dict[str, dict[str, Any]] | None = None
    leaders: dict[str, dict[str, str]] = field(default_factory=dict)
    done: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def has_facts(self) -> bool:
        """Whether any eval query found a fact of this year."""
        return any(self.rows.values())


def _vocabulary_params(text: str, vocabulary: Mapping[str, Any]) -> dict[str, Any]:
    return {
        word: list(vocabulary.get(word) or [])
        for word in ("addressed", "done")
        if f"${word}" in text
    }


def _named(graph: GraphStore, name: str, params: Mapping[str, Any]) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for r in graph.read(query(name), params):
        out.setdefault(r["chain"], {})[r["id"]] = r["name"]
    return out


def _eval_rows(
    graph: GraphStore, projection: Projection | None, name: str, params: Mapping[str, Any]
) -> list[Row]:
    """The rows of eval query ``name``: from ``projection`` (a current projection of ``graph``)
    for the queries queries/projected_evaluation.py answers, else from ``graph``."""
    if projection is not None and name in PROJECTED_EVALUATION:
        return PROJECTED_EVALUATION[name](projection, params)
    return graph.read(query(name), params)


def read_year(
    store: GraphStore,
    names: Sequence[str],
    chains: Sequence[ChainRef],
    year: int,
    vocabulary: Mapping[str, Any],
    *,
    findings: bool = False,
    advice: bool = False,
    projection: Projection | None = None,
) -> YearView:
    """Everything the evaluation reads of ``year``, from the graph as it stood at its end.

    The one place that decides how a year is read (see ``year_graph``): per eval query in
    ``names`` its rows per chain, the named leaders and completed projects, and with
    ``findings`` the weak links of every chain of ``chains`` (when the year has facts; with
    their evidence and recommendations when ``advice``). ``projection``: a current read
    projection of ``store``; used when the year is read from ``store`` itself (not from an
    as-of copy) for the queries that walk every enterprise (same answers, see
    queries/projected_evaluation.py and queries/projected.py). A year read from an as-of
    copy is kept beside an embedded graph and read back while what it was read from is
    unchanged (queries/year_cache.py: what the key covers).
    """
    as_of = year_end(year)
    asked = {
        "queries": list(names),
        "chains": [[c.name, c.cluster, c.origin] for c in chains],
        "vocabulary": {k: list(v or []) for k, v in sorted(vocabulary.items())},
        "findings": findings,
        "advice": advice,
        "thresholds": load_thresholds().model_dump(mode="json") if findings else None,
    }
    key = year_cache.reading_key(store, as_of, asked)
    kept = year_cache.load_reading(store, year, key) if key is not None else None
    if kept is not None:
        return YearView(year, kept["rows"], kept["findings"], kept["leaders"], kept["done"])
    view = _read_year_graph(store, chains, names, year, vocabulary, findings, advice, projection)
    if key is not None:
        reading = {
            "rows": view.rows,
            "findings": view.findings,
            "leaders": view.leaders,
            "done": view.done,
        }
        year_cache.keep_reading(store, year, key, reading)
    return view


def _read_year_graph(
    store: GraphStore,
    chains: Sequence[ChainRef],
    names: Sequence[str],
    year: int,
    vocabulary: Mapping[str, Any],
    findings: bool,
    advice: bool,
    projection: Projection | None,
) -> YearView:
    """``read_year`` from the graph as it stood at the end of ``year`` (nothing kept)."""
    chain_names = [c.name for c in chains]
    as_of = year_end(year)
    rows: dict[str, dict[str, Row]] = {}
    with year_graph(store, year) as graph:
        p = projection if graph is store else None
        if graph is not store and projection is not None:
            # An as-of copy: read once into a projection of its own (~17 s at 1M enterprises
            # under load, against ~30 s for its eval and weak-link queries by Cypher); only
            # when the caller reads the live graph by projection too (the same answers).
            p = build_projection(graph, versions=versions_in_force(store, as_of).fingerprint)
        for name in names:
            text = query(name)
            params: dict[str, Any] = {"chains": chain_names, "as_of": as_of}
            params.update(_vocabulary_params(text.text, vocabulary))
            rows[name] = {r["chain"]: r for r in _eval_rows(graph, p, name, params)}
        view = YearView(year, rows)
        if not view.has_facts:
            return view
        base = {"chains": chain_names, "as_of": as_of}
        view.leaders = _named(graph, "eval_leader_names", base)
        view.done = _named(
            graph, "eval_done_projects", {**base, "done": list(vocabulary.get("done") or [])}
        )
        if findings:
            view.findings = findings_of(graph, chains, advice=advice, projection=p)
    return view


def current_year(store: GraphStore) -> int | None:
    """The latest year any list fact is dated in (None for a graph without dated facts)."""
    rows = store.read(query("eval_latest_as_of"))
    dates = [r["as_of"] for r in rows if r["as_of"] is not None]
    return max(dates).year if dates else None


def is_synthetic(store: GraphStore) -> bool:
    """Whether the graph holds synthetic demo data (示例数据) that an evaluation would count."""
    return bool(store.read(query("eval_synthetic")))


@dataclass(frozen=True)
class Value:
    """An indicator's value for one unit and year, or why it is missing.

    ``parts`` (numerator, denominator) for rates that units add up as counts (the ledger's).
    """

    value: float | None
    missing: str | None = None
    parts: tuple[float, float] | None = field(default=None, compare=False)

    def to_dict(self) -> dict[str, Any]:
        """JSON shape: value and the missing reason (code and Chinese text)."""
        return {
            "value": self.value,
            "missing": self.missing,
            "missing_text": MISSING.get(self.missing or "") if self.missing else None,
        }


def _num(x: Any) -> float | None:
    return None if x is None else float(x)


def column_value(row: Row | None, column: str) -> Value:
    """A query column's value for one unit (pure): missing without a row or with no known fact.

    A ``<column>_known`` column of 0 means the lists do not give what the column counts.
    """
    if row is None:
        return Value(None, "no_rows")
    if row.get(f"{column}_known") == 0:
        return Value(None, "not_given")
    if column not in row:
        raise ChainkgError(f"the evaluation query has no column {column!r}: {sorted(row)}")
    return Value(_num(row[column] if row[column] is not None else 0))


def measure_value(
    ind: Indicator,
    now: Mapping[str, Row | None],
    before: Mapping[str, Row | None] | None,
    functions: Mapping[str, Value],
) -> Value:
    """The value of ``ind`` from this year's rows (and last year's) of its query (pure).

    ``now`` and ``before`` map query names to the unit's row (None: no row); ``before`` is
    None when there is no previous year to compare with. ``functions`` holds the values of
    the function measures (findings_closed, ledger:...) for the unit.
    """
    m = ind.measure
    if m.kind in ("function", "ledger"):
        return functions.get(m.text, Value(None, "no_ledger"))
    assert m.query and m.column
    if m.kind == "column":
        return column_value(now.get(m.query), m.column)
    if m.kind == "ratio":
        num = column_value(now.get(m.query), m.column)
        den = column_value(now.get(m.query), m.denominator or "")
        if num.value is None or den.value is None:
            return num if num.value is None else den
        v = ratio(num.value, den.value)
        return Value(v, None if v is not None else "zero_denominator")
    # growth
    cur = column_value(now.get(m.query), m.column)
    if cur.value is None:
        return cur
    if before is None:
        return Value(None, "no_previous")
    prev = column_value(before.get(m.query), m.column)
    if prev.value is None:
        return Value(None, "no_previous")
    v = growth(cur.value, prev.value)
    return Value(v, None if v is not None else "zero_base")


def sum_rows(rows: Sequence[Row | None]) -> Row | None:
    """Rows of several chains added up column by column (a cluster's or the province's) (pure)."""
    present = [r for r in rows if r is not None]
    if not present:
        return None
    out: Row = {}
    for r in present:
        for k, v in r.items():
            if k == "chain":
                continue
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                out[k] = out.get(k, 0) + v
            elif v is None:
                out.setdefault(k, None)
    return out


# --- findings and ledger -----------------------------------------------------------------


def findings_of(
    graph: GraphStore,
    chains: Sequence[ChainRef],
    *,
    advice: bool = True,
    projection: Projection | None = None,
) -> dict[str, dict[str, Any]]:
    """Per chain, its segments' weak-link status in ``graph`` and the 补链 advice.

    ``graph`` is the graph as of a year's end (``year_graph``). Each chain maps to
    ``segments`` (every segment: name, id, stage, status, enterprises, leaders, reasons as
    text) and ``recommendations`` (the weak-links module's; empty without ``advice``, which
    spares the evidence queries: statuses are all a comparison of years needs).
    ``projection``: a current read projection of ``graph`` (the same findings, faster).
    """
    report = weak_links(graph, list(chains), evidence=advice, projection=projection)
    return {
        ch["chain"]: {
            "segments": [
                {
                    "segment": seg["name"],
                    "segment_id": seg["evidence"]["segment_id"],
                    "stage": seg["stage"],
                    "status": seg["status"],
                    "enterprises": seg["metrics"]["enterprises"],
                    "leaders": seg["metrics"]["leaders"],
                    "reasons": [r["text"] for r in seg["reasons"]],
                }
                for seg in ch["segments"]
            ],
            "recommendations": ch["recommendations"],
        }
        for ch in report["chains"]
    }


def flagged(found: Mapping[str, Any] | None, chain: str) -> list[dict[str, Any]]:
    """The segments of ``chain`` with a weak-link finding (status not ok) (pure)."""
    if not found or chain not in found:
        return []
    return [s for s in found[chain]["segments"] if s["status"] != "ok"]


def findings_closed(
    now: Mapping[str, Any] | None, before: Mapping[str, Any] | None, chain: str
) -> Value:
    """How many of last year's flagged segments of ``chain`` are no longer flagged (pure)."""
    if now is None or before is None:
        return Value(None, "no_findings_history")
    return Value(float(len(findings_change(now, before, chain)["closed"])))


def findings_change(
    now: Mapping[str, Any] | None, before: Mapping[str, Any] | None, chain: str
) -> dict[str, list[dict[str, Any]]]:
    """Last year's findings of ``chain`` closed this year, and this year's new ones (pure).

    ``closed``: flagged at the end of last year, not now (segment, its status then and now);
    ``new``: flagged now, not last year; ``kept``: flagged both years. A segment is matched by
    id. Empty lists when either year has no findings.
    """
    out: dict[str, list[dict[str, Any]]] = {"closed": [], "new": [], "kept": []}
    if now is None or before is None:
        return out
    status_now = {s["segment_id"]: s["status"] for s in (now.get(chain) or {}).get("segments", [])}
    was = {f["segment_id"]: f for f in flagged(before, chain)}
    still = {f["segment_id"] for f in flagged(now, chain)}
    for f in was.values():
        if f["segment_id"] not in still:
            out["closed"].append(
                {
                    "segment": f["segment"],
                    "segment_id": f["segment_id"],
                    "status_before": f["status"],
                    "status": status_now.get(f["segment_id"]),
                }
            )
    for f in flagged(now, chain):
        item = {
            "segment": f["segment"],
            "segment_id": f["segment_id"],
            "status_before": was[f["segment_id"]]["status"] if f["segment_id"] in was else None,
            "status": f["status"],
        }
        out["kept" if f["segment_id"] in was else "new"].append(item)
    return out


def year_changes(now: YearView, before: YearView | None, chain: str) -> dict[str, Any] | None:
    """The year-over-year changes of ``chain`` that are not indicator values (pure).

    ``findings_closed`` / ``findings_new`` (see ``findings_change``; None when a year's
    findings are unknown), ``new_leaders`` (龙头 now, not at the end of last year) and
    ``projects_completed`` (completed now, not last year), each as [{id, name}] by name.
    None without a previous year.
    """
    if before is None or not before.has_facts:
        return None
    known = now.findings is not None and before.findings is not None
    fc = findings_change(now.findings, before.findings, chain) if known else None

    def added(a: Mapping[str, str], b: Mapping[str, str]) -> list[dict[str, str]]:
        return sorted(
            ({"id": i, "name": n} for i, n in a.items() if i not in b),
            key=lambda x: (x["name"], x["id"]),
        )

    return {
        "previous_year": before.year,
        "findings_closed": fc["closed"] if fc else None,
        "findings_new": fc["new"] if fc else None,
        "new_leaders": added(now.leaders.get(chain, {}), before.leaders.get(chain, {})),
        "projects_completed": added(now.done.get(chain, {}), before.done.get(chain, {})),
    }


LEDGER_FIGURES = {
    # measure name -> (numerator, denominator) of the ledger's figures row, in %
    "solve_rate": ("resolved", "accepted"),
    "satisfaction": ("satisfied", "rated"),
}


def ledger_values(
    store: GraphStore, name: str, chains: Sequence[str], year: int
) -> dict[str, Value]:
    """Per chain, the ledger's figure ``name`` for problems registered in ``year``, in %.

    From ``queries.ledger.ledger_figures`` (the stable entry point of the problem ledger), as of
    31 December. A chain without problems (or with no rated one) has no value: missing.
    Each value keeps its (numerator, denominator) so clusters add up counts, not rates.
    """
    if name not in LEDGER_FIGURES:
        return {c: Value(None, "no_ledger") for c in chains}
    try:
        from chainkg.queries.ledger import ledger_figures
    except ImportError:
        return {c: Value(None, "no_ledger") for c in chains}
    rows = ledger_figures(store, dt.date(year, 1, 1), year_end(year), by="chain")
    num_key, den_key = LEDGER_FIGURES[name]
    out: dict[str, Value] = {}
    by_chain = {r["chain"]: r for r in rows}
    for c in chains:
        r = by_chain.get(c)
        if r is None:
            out[c] = Value(None, "no_ledger")
            continue
        sat = r.get("satisfaction") or {}
        counts = {
            "resolved": r.get("resolved") or 0,
            "accepted": r.get("accepted") or 0,
            "satisfied": (sat.get("满意") or 0) + (sat.get("基本满意") or 0),
            "rated": sum(sat.values()),
        }
        out[c] = ledger_value(counts[num_key], counts[den_key])
    return out


def ledger_value(numerator: float, denominator: float) -> Value:
    """A ledger rate in % with its counts; missing when nothing was counted (pure)."""
    if not denominator:
        return Value(None, "no_ledger", (numerator, denominator))
    return Value(ratio(numerator, denominator), None, (numerator, denominator))


# --- the evaluation ----------------------------------------------------------------------


def _unit_entry(
    iset: IndicatorSet,
    name: str,
    values: Mapping[str, Value],
    previous: Mapping[str, Value] | None,
    scores: Mapping[str, float | None],
    as_of: dt.date,
) -> dict[str, Any]:
    indicators: dict[str, Any] = {}
    for ind in iset.indicators:
        v = values[ind.key]
        p = previous.get(ind.key) if previous else None
        indicators[ind.key] = {
            **v.to_dict(),
            "previous": p.value if p else None,
            "change": change(v.value, p.value if p else None),
            "score": scores[ind.key],
            "source": {
                "measure": ind.measure.text,
                "query": ind.measure.query,
                "column": ind.measure.column,
                "as_of": as_of.isoformat(),
            },
        }
    dims: dict[str, Any] = {}
    for d in iset.dimensions:
        parts = [(i.weight, scores[i.key], 1.0) for i in iset.of(d.key)]
        score, coverage = weighted(parts)
        dims[d.key] = {"score": score, "coverage": coverage}
    score, coverage = weighted(
        [(d.weight, dims[d.key]["score"], dims[d.key]["coverage"]) for d in iset.dimensions]
    )
    return {
        "name": name,
        "score": score,
        "coverage": coverage,
        "dimensions": dims,
        "indicators": indicators,
    }


def _score_units(
    iset: IndicatorSet, values: Mapping[str, Mapping[str, Value]]
) -> dict[str, dict[str, float | None]]:
    """Per unit and indicator, the score among the units of the same year."""
    scores: dict[str, dict[str, float | None]] = {u: {} for u in values}
    for ind in iset.indicators:
        col = normalise({u: values[u][ind.key].value for u in values}, ind.normalise, ind.direction)
        for u in values:
            scores[u][ind.key] = col[u]
    return scores


def _values_for(
    iset: IndicatorSet,
    units: Mapping[str, Sequence[str]],
    now: Mapping[str, Mapping[str, Row]],
    before: Mapping[str, Mapping[str, Row]] | None,
    functions: Mapping[str, Mapping[str, Value]],
) -> dict[str, dict[str, Value]]:
    """Values per unit (a unit is a list of chains whose rows add up) and indicator."""
    out: dict[str, dict[str, Value]] = {}
    for unit, chains in units.items():
        row_now = {q: sum_rows([now[q].get(c) for c in chains]) for q in now}
        row_before = (
            {q: sum_rows([before[q].get(c) for c in chains]) for q in before} if before else None
        )
        fn = _unit_functions(functions, chains)
        out[unit] = {i.key: measure_value(i, row_now, row_before, fn) for i in iset.indicators}
    return out


def _unit_functions(
    functions: Mapping[str, Mapping[str, Value]], chains: Sequence[str]
) -> dict[str, Value]:
    out: dict[str, Value] = {}
    for measure, per_chain in functions.items():
        vals = [per_chain[c] for c in chains if c in per_chain]
        known = [v.value for v in vals if v.value is not None]
        if measure.startswith("ledger:"):
            parts = [v.parts for v in vals if v.parts is not None]
            out[measure] = (
                ledger_value(sum(p[0] for p in parts), sum(p[1] for p in parts))
                if parts
                else Value(None, "no_ledger")
            )
        elif not known:
            out[measure] = vals[0] if vals else Value(None, "no_ledger")
        else:
            out[measure] = Value(float(sum(known)))
    return out


def change_counts(changes: Sequence[Mapping[str, Any] | None]) -> dict[str, int | None] | None:
    """Chains' ``year_changes`` added up (a cluster's or the province's) (pure).

    Per kind, how many; None for a kind no chain knows (findings of an unknown year), and
    None overall without a previous year.
    """
    known = [c for c in changes if c is not None]
    if not known:
        return None
    out: dict[str, int | None] = {}
    for kind in CHANGE_KINDS:
        lists = [c[kind] for c in known if c[kind] is not None]
        out[kind] = sum(len(x) for x in lists) if lists else None
    return out


def _functions(
    store: GraphStore,
    iset: IndicatorSet,
    names: Sequence[str],
    year: int,
    now: YearView,
    before: YearView | None,
) -> dict[str, dict[str, Value]]:
    """Per function measure of the indicator set, its value per chain for ``year``."""
    out: dict[str, dict[str, Value]] = {}
    for text, m in {i.measure.text: i.measure for i in iset.indicators}.items():
        if text == "findings_closed":
            prev = before.findings if before is not None else None
            out[text] = {c: findings_closed(now.findings, prev, c) for c in names}
        elif m.kind == "ledger":
            out[text] = ledger_values(store, m.function or "", names, year)
    return out


def evaluate(
    store: GraphStore,
    year: int,
    *,
    chains: Sequence[ChainRef] | None = None,
    indicators: IndicatorSet | None = None,
    with_findings: bool = False,
    projection: Projection | None = None,
) -> dict[str, Any]:
    """The evaluation of ``year``: every chain's and cluster's values, scores and ranks.

    Scores are relative to the units evaluated together, so they are always computed over
    all chains; ``chains`` only selects which chains the answer lists (clusters: those of
    the listed chains). ``with_findings`` adds the weak-link findings of the year per chain
    (``findings``: None for a year without list facts). Each chain's ``changes`` says what
    changed since the year before beyond the indicator values (``year_changes``); clusters
    and the province add them up (``changes``: counts). ``projection``: a current read
    projection of ``store`` (graph/projection.py), which answers the queries over every
    enterprise of a year read from ``store`` itself (the same evaluation, faster).
    """
    check_year(year)
    iset = indicators or load_indicators()
    everyone = list_chains(store)
    if not everyone:
        raise ChainkgError(
            "there is no chain in the graph to evaluate", hint="load the roster first"
        )
    names = [c.name for c in everyone]
    latest = current_year(store)
    want = with_findings or any(i.measure.text == "findings_closed" for i in iset.indicators)
    view_now = read_year(
        store,
        iset.queries(),
        everyone,
        year,
        iset.vocabulary,
        findings=want,
        advice=with_findings,
        projection=projection,
    )
    view_before = read_year(
        store,
        iset.queries(),
        everyone,
        year - 1,
        iset.vocabulary,
        findings=want,
        projection=projection,
    )
    now, before = view_now.rows, view_before.rows
    has_before = view_before.has_facts
    functions = _functions(store, iset, names, year, view_now, view_before)
    previous_functions = _previous_functions(store, iset, functions, names, year - 1)
    found = view_now.findings if with_findings else None

    chain_units = {c.name: [c.name] for c in everyone}
    clusters: dict[str, list[str]] = {}
    for c in everyone:
        clusters.setdefault(c.cluster or "（未归集群）", []).append(c.name)
    province = {"河南省": names}

    def block(units: Mapping[str, Sequence[str]], score: bool) -> list[dict[str, Any]]:
        vals = _values_for(iset, units, now, before if has_before else None, functions)
        prev = _values_for(iset, units, before, None, previous_functions) if has_before else None
        scores = _score_units(iset, vals) if score else {u: dict.fromkeys(vals[u]) for u in vals}
        prev_scores = _score_units(iset, prev) if prev and score else None
        entries = []
        for u in units:
            e = _unit_entry(iset, u, vals[u], prev[u] if prev else None, scores[u], year_end(year))
            if prev_scores is not None and prev is not None:
                p = _unit_entry(iset, u, prev[u], None, prev_scores[u], year_end(year - 1))
                e["previous"] = {
                    "score": p["score"],
                    "coverage": p["coverage"],
                    "dimensions": {k: v["score"] for k, v in p["dimensions"].items()},
                }
                e["previous_entry"] = p
            entries.append(e)
        if score:
            ranks = rank(entries, iset.min_coverage)
            prev_ranks = (
                rank([e["previous_entry"] for e in entries], iset.min_coverage)
                if prev_scores is not None
                else {}
            )
            for e in entries:
                e["rank"] = ranks[e["name"]]
                if "previous" in e:
                    e["previous"]["rank"] = prev_ranks.get(e["name"])
        for e in entries:
            e.pop("previous_entry", None)
        return entries

    chain_entries = block(chain_units, True)
    cluster_of = {c.name: c.cluster for c in everyone}
    for e in chain_entries:
        e["chain"] = e.pop("name")
        e["cluster"] = cluster_of[e["chain"]]
        if with_findings:
            e["findings"] = (found or {}).get(e["chain"])
        e["changes"] = year_changes(view_now, view_before, e["chain"])
    changes = {e["chain"]: e["changes"] for e in chain_entries}
    cluster_entries = block(clusters, True)
    for e in cluster_entries:
        e["cluster"] = e.pop("name")
        e["chains"] = clusters[e["cluster"]]
        e["changes"] = change_counts([changes[c] for c in e["chains"]])
    [province_entry] = block(province, False)
    province_entry["changes"] = change_counts(list(changes.values()))
    if chains is not None:
        wanted = {c.name for c in chains}
        chain_entries = [e for e in chain_entries if e["chain"] in wanted]
        keep = {cluster_of[n] or "（未归集群）" for n in wanted}
        cluster_entries = [e for e in cluster_entries if e["cluster"] in keep]
    return {
        "year": year,
        "as_of": year_end(year).isoformat(),
        "previous_year": year - 1 if has_before else None,
        "latest_year": latest,
        "synthetic": is_synthetic(store),
        "indicator_file": iset.source,
        "method": {
            "missing": iset.missing,
            "min_coverage": iset.min_coverage,
            "text": "各指标按同年度各产业链（集群）间比较折算为0-100分；缺失指标不计0分，"
            "其权重在维度内和综合得分中按有数据的指标重新分配，覆盖率表示有数据支撑的权重占比；"
            f"覆盖率低于{iset.min_coverage:.0%}的不参与排名。",
        },
        "dimensions": [{"key": d.key, "name": d.name, "weight": d.weight} for d in iset.dimensions],
        "indicators": [
            {
                "key": i.key,
                "name": i.name,
                "dimension": i.dimension,
                "measure": i.measure.text,
                "unit": i.unit,
                "direction": i.direction,
                "normalise": i.normalise,
                "weight": i.weight,
            }
            for i in iset.indicators
        ],
        "province": province_entry,
        "clusters": cluster_entries,
        "chains": chain_entries,
    }


def _previous_functions(
    store: GraphStore,
    iset: IndicatorSet,
    functions: Mapping[str, Mapping[str, Value]],
    chains: Sequence[str],
    year: int,
) -> dict[str, dict[str, Value]]:
    """Function measures of the previous year: the ledger's. Findings closed in the previous
    year would need the findings of the year before it: left missing (no_findings_history)."""
    out: dict[str, dict[str, Value]] = {}
    for m in functions:
        if m.startswith("ledger:"):
            out[m] = ledger_values(store, m.removeprefix("ledger:"), chains, year)
        else:
            out[m] = {c: Value(None, "no_findings_history") for c in chains}
    return out


# --- traceability ------------------------------------------------------------------------


def explain(
    store: GraphStore,
    chain: ChainRef,
    key: str,
    year: int,
    *,
    indicators: IndicatorSet | None = None,
    limit: int = FACTS_LIMIT,
) -> dict[str, Any]:
    """The facts behind one indicator of one chain: the rows its value counts, with sources."""
    check_year(year)
    iset = indicators or load_indicators()
    ind = next((i for i in iset.indicators if i.key == key), None)
    if ind is None:
        raise NotFoundError(
            f"no indicator {key!r}",
            hint=f"one of: {', '.join(i.key for i in iset.indicators)}",
        )
    m = ind.measure
    out: dict[str, Any] = {
        "chain": chain.name,
        "indicator": key,
        "name": ind.name,
        "measure": m.text,
        "as_of": year_end(year).isoformat(),
    }
    if m.query is None:
        out["facts"] = []
        out["note"] = "由函数计算，不对应清单事实" if m.kind != "ledger" else "来自问题台账"
        return out
    facts_query = "eval_facts_" + m.query.removeprefix("eval_")
    rows = store.read(
        query(facts_query), {"chain": chain.name, "as_of": year_end(year), "limit": limit}
    )
    out["facts_query"] = facts_query
    out["facts"] = [r for r in rows if fact_counts(ind, r)]
    return out


def fact_counts(ind: Indicator, row: Mapping[str, Any]) -> bool:
    """Whether a facts row is one the indicator's value counts (its facts filters) (pure)."""
    for k, want in ind.facts.items():
        have = row.get(k)
        if isinstance(want, list):
            if have not in want:
                return False
        elif have != want:
            return False
    for k, least in ind.facts_min.items():
        have = row.get(k)
        if have is None or have < least:
            return False
    return True
