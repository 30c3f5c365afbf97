"""Charts drawn once are kept by their content and read back, byte for byte, by later reports.

``report_charts.draw_all(..., cache=FOLDER)`` keeps each PNG under ``chart_key`` (the chart
function, its arguments and the drawing code); ``make_report`` passes
``<data dir>/cache/charts`` on the embedded store and nothing on Neo4j. The report must be
the same either way.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from eval_fixtures import build_eval_graph

from chainkg.graph.store import GraphStore
from chainkg.viz import report_charts as charts
from chainkg.viz.report import make_report
from chainkg.viz.report_content import Picture


def _count_drawn(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    drawn: list[int] = []
    real = charts._draw_many

    def counting(jobs: Any, **kwargs: Any) -> list[bytes]:
        drawn.append(len(jobs))
        return real(jobs, **kwargs)

    monkeypatch.setattr(charts, "_draw_many", counting)
    return drawn


def test_a_kept_chart_is_read_back_and_a_changed_one_drawn(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    drawn = _count_drawn(monkeypatch)
    jobs = [
        (charts.dimension_chart, (["规模", "创新"], [60.0, None], [50.0, 40.0], "甲")),
        (charts.ranking_chart, (["甲产业链", "乙产业链"], [70.5, 20.0], None, "排名")),
        (charts.dimension_chart, (["规模", "创新"], [60.0, None], [50.0, 40.0], "甲")),
    ]
    first = charts.draw_all(jobs, synthetic=True, workers=1, cache=tmp_path)
    assert drawn == [3]
    assert first[0] == first[2] and first[0] != first[1]
    assert first[0].startswith(b"\x89PNG")
    assert sorted(p.name for p in tmp_path.glob("*.png")) == sorted(
        {f"{charts.chart_key(fn, args, True)}.png" for fn, args in jobs}
    )
    again = charts.draw_all(jobs, synthetic=True, workers=1, cache=tmp_path)
    assert (again, drawn) == (first, [3, 0])
    # another value, or the same chart unmarked (not synthetic): drawn, not read back
    jobs[1] = (charts.ranking_chart, (["甲产业链", "乙产业链"], [70.6, 20.0], None, "排名"))
    changed = charts.draw_all(jobs, synthetic=True, workers=1, cache=tmp_path)
    assert drawn == [3, 0, 1]
    assert changed[0] == first[0] and changed[1] != first[1]
    unmarked = charts.draw_all(jobs[:1], synthetic=False, workers=1, cache=tmp_path)
    assert drawn == [3, 0, 1, 1] and unmarked[0] != first[0]
    assert len(list(tmp_path.glob("*.png"))) == 4
    # the same charts without a cache: the same bytes
    assert charts.draw_all(jobs, synthetic=True, workers=1) == changed


def test_a_second_report_reads_its_charts_back_on_the_embedded_store(
    store: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_eval_graph(store)
    monkeypatch.setenv("CHAINKG_REPORT_WORKERS", "1")
    drawn = _count_drawn(monkeypatch)
    today = dt.date(2025, 3, 1)
    first = make_report(store, 2024, today=today)
    second = make_report(store, 2024, today=today)
    pictures = [b.png for b in first.blocks if isinstance(b, Picture)]
    # the rankings of the chains and of the clusters, and per chain its map and dimensions
    assert len(pictures) == 2 + 3 * 2
    assert [b.png for b in second.blocks if isinstance(b, Picture)] == pictures
    assert first.blocks == second.blocks
    # embedded: kept beside the graph; Neo4j has no folder of its own: drawn again
    assert drawn == ([8, 0] if store.dialect == "ladybug" else [8, 8])
