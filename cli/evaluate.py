"""``chainkg evaluate`` (综合评价) and ``chainkg report`` (the annual 蓝皮书, Word and HTML)."""

from __future__ import annotations

import csv
import sys
from enum import StrEnum
from pathlib import Path

import typer
from rich.table import Table

from chainkg.cli.common import NO_PROJECTION, console, echo_json, live_projection, open_store


class EvalFormat(StrEnum):
    """Output formats of ``chainkg evaluate``."""

    table = "table"
    json = "json"
    csv = "csv"


def _count(x: int | None) -> str:
    return "—" if x is None else str(x)


def _fmt(x: float | None, digits: int = 1) -> str:
    return "缺失" if x is None else f"{x:,.{digits}f}"


def evaluate(
    year: int = typer.Option(
        ..., "--year", "-y", help="The year to evaluate (facts as of 31 Dec)."
    ),
    chain: str | None = typer.Option(
        None, "--chain", "-c", help="Only this chain (and its cluster)."
    ),
    format: EvalFormat = typer.Option(
        EvalFormat.table, "--format", "-f", help="table, json or csv."
    ),
    level: str = typer.Option("chains", "--level", help="CSV/table rows: chains or clusters."),
    explain: str | None = typer.Option(
        None, "--explain", help="List the facts behind this indicator key (needs --chain)."
    ),
    indicators: Path | None = typer.Option(
        None, "--indicators", help="Indicator file (default: the shipped data/indicators.toml)."
    ),
    no_projection: bool = NO_PROJECTION,
) -> None:
    """Score every chain and cluster for a year (规模能级, 创新能力, 龙头企业培育, 项目支撑, 国内外影响力 ...).

    Missing data is shown as missing (缺失), never 0; scores say how much weight has data.
    """
    from chainkg.errors import ChainkgError
    from chainkg.queries import evaluation
    from chainkg.queries.chains import resolve_chains
    from chainkg.queries.evaluation_rows import CHANGE_KINDS, evaluation_rows, safe_rows
    from chainkg.queries.indicators import load_indicators

    if level not in ("chains", "clusters"):
        raise ChainkgError(f"--level must be chains or clusters, got {level!r}")
    iset = load_indicators(indicators)
    with open_store() as store:
        picked = resolve_chains(store, chain) if chain else None
        if explain:
            if not picked:
                raise ChainkgError("--explain needs --chain", hint="name the chain to explain")
            echo_json(evaluation.explain(store, picked[0], explain, year, indicators=iset))
            return
        # Every chain's values walk every enterprise: from the saved read projection (built
        # and saved when out of date; the same values, docs/projection.md).
        projection = None if no_projection else live_projection(store, build=True)
        report = evaluation.evaluate(
            store, year, chains=picked, indicators=iset, projection=projection
        )
    if format is EvalFormat.json:
        echo_json(report)
        return
    rows = evaluation_rows(report, level)
    if format is EvalFormat.csv:
        if rows:
            writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]), lineterminator="\n")
            writer.writeheader()
            writer.writerows(safe_rows(rows))
        return
    mark = "（示例数据）" if report["synthetic"] else ""
    table = Table(title=f"{year}年度产业链综合评价{mark}")
    changes = ("短板消除", "新增短板", "新增龙头", "项目投产")
    for h in (
        "排名",
        "名称",
        "综合得分",
        "覆盖率",
        *(d["name"] for d in report["dimensions"]),
        *changes,
    ):
        table.add_column(h, overflow="fold")
    for r in rows:
        table.add_row(
            str(r["rank"] or "—"),
            str(r["name"]),
            _fmt(r["score"]),
            f"{r['coverage']:.0%}",
            *(_fmt(r[f"dim:{d['key']}"]) for d in report["dimensions"]),
            *(_count(r[f"changes:{k}"]) for k in CHANGE_KINDS),
        )
    console.print(table)
    console.print(report["method"]["text"], highlight=False)
    if report["previous_year"]:
        console.print(
            f"短板消除/新增：与{report['previous_year']}年末的短板弱项相比；"
            "新增龙头、项目投产：本年末有、上年末无。",
            highlight=False,
        )


def report(
    year: int = typer.Option(
        ..., "--year", "-y", help="The year of the report (facts as of 31 Dec)."
    ),
    out: Path = typer.Option(Path("蓝皮书.docx"), "--out", "-o", help="The Word file to write."),
    html: Path | None = typer.Option(
        None, "--html", help="Also write the same content as one HTML page (default: beside -o)."
    ),
    no_html: bool = typer.Option(False, "--no-html", help="Write the Word file only."),
    indicators: Path | None = typer.Option(
        None, "--indicators", help="Indicator file (default: the shipped data/indicators.toml)."
    ),
) -> None:
    """Write the annual 蓝皮书 (河南省先进制造业集群重点产业链发展报告) as Word and HTML.

    Cover, contents, province overview, one section per cluster and per chain (roster, map
    picture, indicators with the year before, weak links, problems, recommendations).
    """
    import time

    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from chainkg.queries.indicators import load_indicators
    from chainkg.viz.report import make_report, write_report

    iset = load_indicators(indicators)
    html_path = None if no_html else (html or out.with_suffix(".html"))
    started = time.perf_counter()
    with (
        open_store() as store,
        Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        ) as bar,
    ):
        task = bar.add_task("蓝皮书", total=None)
        doc = make_report(
            store, year, indicators=iset, progress=lambda what: bar.update(task, description=what)
        )
        bar.update(task, description="写入文件")
        written = write_report(doc, out, html_path)
    mark = "（示例数据）" if doc.synthetic else ""
    for path in written:
        console.print(f"wrote {path}{mark}", highlight=False)
    console.print(f"{time.perf_counter() - started:.1f} s", highlight=False)
