"""``chainkg demo``: the whole job on synthetic demo data (示例数据), end to end."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from chainkg.cli.common import console, open_store
from chainkg.loaders.demo_data import AS_OF, DEFAULT_SCALE, DEFAULT_SEED, PREVIOUS_AS_OF

SYNTHETIC = "示例数据 (synthetic demo data)"
FLAGGED_CHARS = 24
DEMO_YEAR = AS_OF.year


def demo(
    scale: int = typer.Option(
        DEFAULT_SCALE, "--scale", min=100, max=1_000_000, help="Number of synthetic enterprises."
    ),
    seed: int = typer.Option(
        DEFAULT_SEED, "--seed", help="Generator seed (same seed, same graph)."
    ),
    out: Path = typer.Option(
        Path("chainkg-demo"), "--out", "-o", help="Folder for the maps (roster + one per chain)."
    ),
    maps: bool = typer.Option(True, "--maps/--no-maps", help="Write the HTML maps."),
) -> None:
    """Load the roster, the chain templates and synthetic data; print the weak links; write maps.

    Running it twice gives the same graph: the demo data replaces the previous demo data.
    """
    from chainkg.cli.problems import now
    from chainkg.graph.projection_cache import cached_projection
    from chainkg.loaders.demo_load import load_demo
    from chainkg.loaders.demo_versions import load_demo_versions
    from chainkg.loaders.ledger_policy import load_policy
    from chainkg.loaders.roster_load import load_roster
    from chainkg.loaders.template_load import load_chain_templates
    from chainkg.queries.findings import province_summary
    from chainkg.queries.meetings import load_demo_ledger

    with open_store() as store:
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        ) as bar:
            task = bar.add_task("loading the 61号 roster", total=None)
            roster = load_roster(store)
            bar.update(task, description="loading the chain templates")
            templates = load_chain_templates(store)

            def tell(what: str, done: int, total: int) -> None:
                bar.update(task, description=f"demo data: {what}", completed=done, total=total)

            report = load_demo(store, scale=scale, seed=seed, progress=tell)
            bar.update(task, description="示例清单的第二年版本 (reissued lists)", total=None)
            reissued = load_demo_versions(store, report.manifest)
            bar.update(task, description="示例问题台账与会议日历 (ledger and calendar)", total=None)
            ledger = load_demo_ledger(store, load_policy(), today=now().date())
            # The last write: the read projection saved now serves later commands
            # (graph/projection_cache.py); building it costs about what the Cypher summary
            # it replaces did (~20 s at 1M enterprises). None on Neo4j (Cypher).
            bar.update(task, description="saving the read projection", total=None)
            projection = cached_projection(store)
            bar.update(task, description="finding weak links (短板弱项)", total=None)
            summary = province_summary(store, projection=projection)
            written: list[Path] = []
            if maps:
                from chainkg.viz.maps import write_demo_maps

                bar.update(task, description="writing maps")
                written = write_demo_maps(store, out)
        location = store.location

    console.print(
        f"roster {roster.document}: {roster.clusters} clusters, {roster.chains} chains; "
        f"templates: {templates.segments} segments, {templates.feeds} FEEDS; "
        f"{SYNTHETIC}: {sum(report.rows.values()):,} rows in {report.seconds:.1f} s by {report.method}; graph at {location}",
        highlight=False,
    )
    table = Table(title=f"全省产业链短板弱项 — {SYNTHETIC}", show_lines=False)
    for header in ("产业链", "环节", "缺链", "断链", "弱链", "正常", "短板环节（节选）"):
        table.add_column(header, overflow="fold")
    for row in summary:
        flagged = row["flagged"]
        table.add_row(
            row["chain"],
            str(row["segments"]),
            str(row["missing"]),
            str(row["dependent"]),
            str(row["weak"]),
            str(row["ok"]),
            flagged if len(flagged) <= FLAGGED_CHARS else flagged[:FLAGGED_CHARS] + "…",
        )
    console.print(table)
    console.print("details: chainkg weak-links CHAIN (or --all --format json)", highlight=False)
    console.print(
        f"问题台账（{SYNTHETIC}）: {ledger['problems']} problems; 会议日历: {ledger['meetings']} "
        f"meetings in {ledger['year']}, {ledger['decisions']} decision; see chainkg problems "
        f"overdue, chainkg meetings list --year {ledger['year']}, chainkg supervise",
        highlight=False,
    )
    if reissued:
        console.print(
            f"reissued lists ({SYNTHETIC}): {len(reissued)} chains' enterprise and project lists "
            f"as of {PREVIOUS_AS_OF} and {AS_OF} ("
            + "、".join(p.chain for p in reissued)
            + "); see chainkg diff enterprises CHAIN",
            highlight=False,
        )
    console.print(
        f"综合评价 (two demo years): chainkg evaluate --year {DEMO_YEAR}; "
        f"蓝皮书: chainkg report --year {DEMO_YEAR} -o 蓝皮书.docx",
        highlight=False,
    )
    if written:
        console.print(
            f"maps: {len(written)} files in {out.resolve()} (open {written[0].name} first)",
            highlight=False,
        )
