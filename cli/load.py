"""``chainkg load ...``: put sources into the graph."""

from __future__ import annotations

from pathlib import Path

import typer

from chainkg.cli.common import console, open_store
from chainkg.cli.lists import load_list_cmd

load_app = typer.Typer(
    help="Load sources into the graph (roster, chain templates, lists).", no_args_is_help=True
)


@load_app.command("roster")
def load_roster_cmd(
    path: Path | None = typer.Argument(
        None, help="The 61号 notice as text (default: the copy shipped in data/)."
    ),
    errata: Path | None = typer.Option(
        None,
        "--errata",
        help="Reviewed errata TOML: corrections, [edition] in_force, [[renamed]] chains "
        "(default: NAME.errata.toml beside the notice, else data/roster-errata.toml).",
    ),
) -> None:
    """Load a roster edition (文号, date in force) from a notice (idempotent, all or nothing).

    A later edition supersedes the earlier ones from its date in force; chains it no longer
    lists stay (not in force), renamed chains keep their id and data (docs/roster.md)."""
    from chainkg.loaders.roster_load import load_roster

    with open_store() as store:
        report = load_roster(store, path, errata_path=errata)
        location = store.location
    console.print(
        f"loaded {report.document} (in force {report.in_force}): {report.clusters} clusters "
        f"(集群), {report.chains} chains (产业链), {report.organizations} organisations, "
        f"{report.notes} notes (corrections and gaps) into {location}",
        highlight=False,
    )
    if not report.current:
        console.print(
            "an edition in force later is loaded: this one is kept for --as-of reads only",
            highlight=False,
        )
    for label, values in (
        ("supersedes", report.superseded),
        ("renamed (id kept)", [f"{a} → {b}" for a, b in report.renamed]),
        ("no longer in force", report.dropped),
        ("new chains", report.new),
    ):
        if values:
            console.print(f"{label}: {'、'.join(values)}", highlight=False)


@load_app.command("templates")
def load_templates_cmd(
    folder: Path | None = typer.Argument(
        None,
        help="Folder of chain template TOML files (default: the reference set in data/chains/).",
    ),
    drop_orphans: bool = typer.Option(
        False,
        "--drop-orphans",
        help="Drop the placements of segments the templates no longer have (default: refuse, "
        "listing them; a [renames] table in a template moves them instead).",
    ),
) -> None:
    """Load the chain templates (环节 and FEEDS of every chain); the roster must be loaded first."""
    from chainkg.loaders.template_load import load_chain_templates

    with open_store() as store:
        report = load_chain_templates(store, folder, drop_orphans=drop_orphans)
        location = store.location
    console.print(
        f"loaded {report.chains} chain templates: {report.segments} segments (环节), "
        f"{report.feeds} FEEDS edges ({report.cross_chain_feeds} across chains) into {location}; "
        f"placements moved {report.moved}, dropped {report.dropped}"
    )


load_app.command("list")(load_list_cmd)


@load_app.command("deputies")
def load_deputies_cmd(
    path: Path = typer.Argument(..., help="Roster supplement file (TOML) naming the 副群链长."),
) -> None:
    """Load city deputy chiefs (副群链长) per chain and city, with their source (all or nothing)."""
    from chainkg.cli.problems import now
    from chainkg.loaders.meeting_store import load_deputies

    with open_store() as store:
        n = load_deputies(store, path, now=now())
        location = store.location
    console.print(f"loaded {n} deputy chiefs (副群链长) from {path.name} into {location}")


@load_app.command("chains-registry")
def load_registry_cmd(
    path: Path = typer.Argument(
        ...,
        help="CSV or XLSX: 产业链, 所属集群, 责任单位, 状态, 认定依据 (optional 地市, 认定日期, "
        "撤销日期), one row per chain the notice does not list.",
    ),
    sheet: str | None = typer.Option(None, "--sheet", help="Sheet of a workbook."),
) -> None:
    """Declare chains beyond the notice (a city's 特色产业链, a newly designated chain):
    marked 登记 wherever they show; all or nothing, idempotent (docs/roster.md)."""
    from chainkg.loaders.chain_registry import load_registry

    with open_store() as store:
        report = load_registry(store, path, sheet=sheet)
        location = store.location
    console.print(
        f"loaded {len(report.chains)} registry chains (产业链登记表) from {report.file} into "
        f"{location}: {'、'.join(c.name for c in report.chains) or 'none'}",
        highlight=False,
    )
    if report.withdrawn:
        console.print(f"withdrawn (kept, not in force): {'、'.join(report.withdrawn)}")
    for cell in report.missing:
        console.print(f"empty (left empty): {cell}", highlight=False)
