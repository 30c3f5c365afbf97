"""``chainkg load ...``: put sources into the graph."""

from __future__ import annotations

from pathlib import Path

import typer

from chainkg.cli.common import console, open_store

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
