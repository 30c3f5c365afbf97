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
        None, "--errata", help="Reviewed errata TOML (default: data/roster-errata.toml)."
    ),
) -> None:
    """Parse the 双长制 roster from the notice and load it (idempotent, all or nothing)."""
    from chainkg.loaders.roster_load import load_roster

    with open_store() as store:
        report = load_roster(store, path, errata_path=errata)
        location = store.location
    console.print(
        f"loaded {report.document}: {report.clusters} clusters (集群), {report.chains} chains (产业链), "
        f"{report.organizations} organisations, {report.notes} notes (corrections and gaps) "
        f"into {location}"
    )


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
