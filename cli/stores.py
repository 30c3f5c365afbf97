"""``chainkg copy``: move the whole graph between the embedded store and Neo4j."""

from __future__ import annotations

from enum import StrEnum

import typer

from chainkg.cli.common import OPTIONS, console, store_from_settings
from chainkg.errors import ConfigError


class StoreKind(StrEnum):
    """The stores a graph can be copied between."""

    embedded = "embedded"
    neo4j = "neo4j"


def copy(
    from_store: StoreKind = typer.Option(..., "--from", help="Store to copy from."),
    to_store: StoreKind = typer.Option(..., "--to", help="Store to copy into (must be empty)."),
    replace: bool = typer.Option(
        False, "--replace", help="Clear the target first instead of refusing a non-empty one."
    ),
    batch_size: int = typer.Option(10_000, "--batch-size", min=1, help="Rows per transaction."),
) -> None:
    """Copy every node and relationship (with provenance) from one store to the other.

    Both stores are configured by the global options (--data-dir, --neo4j-*),
    e.g. ``chainkg copy --from embedded --to neo4j``.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    from chainkg.graph.copy import copy_graph

    if from_store == to_store:
        raise ConfigError(
            f"--from and --to are both {from_store.value}",
            hint="copy between different stores: --from embedded --to neo4j, or back",
        )
    settings = OPTIONS.settings()
    source = store_from_settings(settings.model_copy(update={"store": from_store.value}))
    target = store_from_settings(settings.model_copy(update={"store": to_store.value}))
    columns = (
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
    )
    with source, target, Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("copying", total=None)

        def show(kind: str, done: int, total: int) -> None:
            bar.update(task, description=kind, completed=done, total=total)

        report = copy_graph(source, target, batch_size=batch_size, replace=replace, progress=show)
        where = f"from {source.location} to {target.location}"
    nodes = sum(report.nodes.values())
    rels = sum(report.relationships.values())
    rate = report.rows / report.seconds if report.seconds else 0.0
    console.print(
        f"copied {nodes} nodes and {rels} relationships {where} "
        f"in {report.seconds:.1f} s ({rate:,.0f} rows/s) by {report.method}; counts match",
        highlight=False,
    )
