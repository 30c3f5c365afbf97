"""Write the annual 蓝皮书 (Word and HTML) for a year: ``write_report``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from chainkg.graph.side_cache import side_folder
from chainkg.graph.store import GraphStore
from chainkg.queries.indicators import IndicatorSet
from chainkg.queries.report_data import report_data
from chainkg.viz.fonts import cjk_font
from chainkg.viz.report_content import Report, build_report

Progress = Callable[[str], None]


def make_report(
    store: GraphStore,
    year: int,
    *,
    indicators: IndicatorSet | None = None,
    today: dt.date | None = None,
    progress: Progress | None = None,
) -> Report:
    """The report's blocks for ``year`` (charts drawn), ready to render.

    Charts are kept beside an embedded graph (``<data dir>/cache/charts``, by their content:
    ``report_charts.chart_key``) and read back when a later report draws the same one.
    """
    cjk_font()  # fail before the queries run when no Chinese font is installed
    data = report_data(store, year, indicators=indicators, progress=progress)
    if progress is not None:
        progress("图表与文档")
    return build_report(
        data, (today or dt.date.today()).isoformat(), chart_cache=side_folder(store, "charts")
    )


def write_report(
    report: Report, docx: Path | str | None = None, html: Path | str | None = None
) -> list[Path]:
    """Write the report as .docx and/or .html; returns the files written."""
    from chainkg.viz.report_docx import write_docx
    from chainkg.viz.report_html import write_html

    out = []
    if docx is not None:
        out.append(write_docx(report, docx))
    if html is not None:
        out.append(write_html(report, html))
    return out
