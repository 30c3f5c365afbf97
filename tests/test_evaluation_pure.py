"""The evaluation's pure parts: scoring, the indicator file's checks, CSV cells (no database)."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from chainkg.errors import ConfigError
from chainkg.queries.evaluation import Value, column_value, measure_value, sum_rows
from chainkg.queries.evaluation_rows import csv_cell, safe_rows
from chainkg.queries.evaluation_scores import growth, normalise, rank, ratio, weighted
from chainkg.queries.indicators import Measure, load_indicators


def test_normalise_methods_and_directions() -> None:
    v = {"a": 4.0, "b": 1.0, "c": None}
    assert normalise(v, "max", "higher") == {"a": 100.0, "b": 25.0, "c": None}
    assert normalise(v, "max", "lower") == {"a": 25.0, "b": 100.0, "c": None}
    assert normalise(v, "log_max", "higher")["b"] == round(100 * math.log(2) / math.log(5), 2)
    assert normalise(v, "minmax", "higher") == {"a": 100.0, "b": 0.0, "c": None}
    assert normalise({"a": 3.0, "b": 3.0}, "minmax", "higher") == {"a": 50.0, "b": 50.0}
    assert normalise({"a": 0.0, "b": 0.0}, "max", "higher") == {"a": 0.0, "b": 0.0}
    assert normalise({"a": None}, "max", "higher") == {"a": None}
    assert normalise({"a": -5.0, "b": 5.0}, "max", "higher") == {"a": 0.0, "b": 100.0}


def test_weighted_leaves_missing_out_and_reports_coverage() -> None:
    assert weighted([(0.5, 80.0, 1.0), (0.5, None, 1.0)]) == (80.0, 0.5)
    assert weighted([(0.3, 50.0, 0.5), (0.7, 100.0, 1.0)]) == (85.0, 0.85)
    assert weighted([(1.0, None, 1.0)]) == (None, 0.0)


def test_rank_shares_equal_scores_and_skips_low_coverage() -> None:
    units = [
        {"name": "a", "score": 70.0, "coverage": 1.0},
        {"name": "b", "score": 90.0, "coverage": 1.0},
        {"name": "c", "score": 70.0, "coverage": 0.9},
        {"name": "d", "score": 99.0, "coverage": 0.2},
        {"name": "e", "score": None, "coverage": 0.0},
    ]
    assert rank(units, 0.5) == {"a": 2, "b": 1, "c": 2, "d": None, "e": None}


def test_growth_ratio_and_missing_bases() -> None:
    assert growth(110.0, 100.0) == 10.0
    assert growth(90.0, -100.0) == 190.0
    assert growth(5.0, 0.0) is None and growth(None, 1.0) is None
    assert ratio(1.0, 3.0) == 33.3333 and ratio(1.0, 0.0) is None


def test_measures_from_rows_missing_never_zero() -> None:
    assert column_value(None, "x") == Value(None, "no_rows")
    assert column_value({"x": 0, "x_known": 0}, "x") == Value(None, "not_given")
    assert column_value({"x": 0, "x_known": 2}, "x") == Value(0.0)
    assert column_value({"x": None}, "x") == Value(0.0)  # a sum over nothing on one engine
    inds = {i.key: i for i in load_indicators().indicators}
    now = {"eval_enterprises": {"revenue": 110.0, "revenue_known": 1}}
    before = {"eval_enterprises": {"revenue": 100.0, "revenue_known": 1}}
    assert measure_value(inds["revenue_growth"], now, before, {}) == Value(10.0)
    assert measure_value(inds["revenue_growth"], now, None, {}) == Value(None, "no_previous")
    done = {"eval_projects": {"done": 0, "done_known": 0, "projects": 2}}
    assert measure_value(inds["projects_done_share"], done, None, {}) == Value(None, "not_given")
    assert measure_value(inds["solve_rate"], now, None, {}) == Value(None, "no_ledger")
    assert sum_rows([{"chain": "a", "n": 1, "m": None}, None, {"chain": "b", "n": 2}]) == {
        "n": 3,
        "m": None,
    }
    assert sum_rows([None]) is None


def test_the_shipped_indicator_file_covers_every_dimension_of_the_notice() -> None:
    iset = load_indicators()
    names = [d.name for d in iset.dimensions]
    assert names[:5] == ["规模能级", "创新能力", "龙头企业培育", "项目支撑", "国内外影响力"]
    assert "短板弱项攻坚" in names
    assert all(iset.of(d.key) for d in iset.dimensions)
    assert iset.queries() == [
        "eval_enterprises",
        "eval_platforms",
        "eval_technologies",
        "eval_talent",
        "eval_projects",
        "eval_outside_customers",
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[[dimension]]\nkey="a"\nname="甲"\nweight=1\n[[indicator]]\nkey="x"\nname="x"\n'
            'dimension="b"\nmeasure="eval_a.b"\nunit="家"\ndirection="higher"\nnormalise="max"\n'
            "weight=1\n",
            "indicator 'x': dimension 'b' is not declared",
        ),
        (
            '[[dimension]]\nkey="a"\nname="甲"\nweight=1\n[[indicator]]\nkey="x"\nname="x"\n'
            'dimension="a"\nmeasure="eval_a.b"\nunit="家"\ndirection="up"\nnormalise="max"\n'
            "weight=1\n",
            "direction must be one of",
        ),
        (
            '[[dimension]]\nkey="a"\nname="甲"\nweight=1\n[[indicator]]\nkey="x"\nname="x"\n'
            'dimension="a"\nmeasure="nope"\nunit="家"\ndirection="higher"\nnormalise="max"\n'
            "weight=1\n",
            "does not name a query and a column",
        ),
        ('[[dimension]]\nkey="a"\nname="甲"\nweight="heavy"\n', "'weight' must be a float"),
        ("[[dimension]\n", "is not valid TOML"),
    ],
)
def test_a_bad_indicator_file_names_the_entry_and_the_field(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "indicators.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message) as info:
        load_indicators(path)
    assert str(path) in str(info.value)


def test_measure_kinds_parse() -> None:
    m = Measure.parse("ratio:eval_projects.done/projects", "here")
    assert (m.kind, m.query, m.column, m.denominator) == (
        "ratio",
        "eval_projects",
        "done",
        "projects",
    )
    assert Measure.parse("ledger:solve_rate", "here").function == "solve_rate"
    with pytest.raises(ConfigError, match="evaluation queries are named eval_"):
        Measure.parse("weak_segments.n", "here")


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised() -> None:
    assert [csv_cell(x) for x in ("=1+1", "+A1", "-2", "@SUM(A1)", "\tx", "ok", -2.5, None)] == [
        "'=1+1",
        "'+A1",
        "'-2",
        "'@SUM(A1)",
        "'\tx",
        "ok",
        -2.5,
        None,
    ]
    assert safe_rows([{"name": "=HYPERLINK(1)", "score": 1.0}]) == [
        {"name": "'=HYPERLINK(1)", "score": 1.0}
    ]
