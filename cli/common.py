"""What every command shares: the store options, opening the store, printing errors."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console

from chainkg.config import StoreSettings, load_settings
from chainkg.errors import ChainkgError
from chainkg.graph.factory import make_store
from chainkg.graph.store import GraphStore

if TYPE_CHECKING:
    from chainkg.graph.projection import Projection

console = Console()
err_console = Console(stderr=True)


class OutputFormat(StrEnum):
    """How a command prints its answer."""

    table = "table"
    json = "json"


@dataclass
class GlobalOptions:
    """Options given before the command (``chainkg --store neo4j roster``)."""

    overrides: dict[str, object] = field(default_factory=dict)

    def settings(self) -> StoreSettings:
        """Settings from the environment with the command-line options on top."""
        return load_settings(**self.overrides)


OPTIONS = GlobalOptions()


def set_global_options(
    store: str | None,
    data_dir: Path | None,
    neo4j_uri: str | None,
    neo4j_user: str | None,
    neo4j_password: str | None,
    neo4j_database: str | None,
) -> None:
    """Remember the global store options for the command that follows."""
    OPTIONS.overrides = {
        "store": store,
        "data_dir": data_dir,
        "neo4j_uri": neo4j_uri,
        "neo4j_user": neo4j_user,
        "neo4j_password": neo4j_password,
        "neo4j_database": neo4j_database,
    }


def store_from_settings(settings: StoreSettings | None = None) -> GraphStore:
    """The configured store, not yet opened."""
    return make_store(settings or OPTIONS.settings())


@contextmanager
def open_store(settings: StoreSettings | None = None) -> Iterator[GraphStore]:
    """The configured store, opened for the duration of a command."""
    store = store_from_settings(settings)
    store.open()
    try:
        yield store
    finally:
        store.close()


NO_PROJECTION = typer.Option(
    False,
    "--no-projection",
    help="Answer by Cypher, without the read projection saved beside the embedded graph "
    "(the same answer; see docs/projection.md).",
)


def live_projection(store: GraphStore, *, build: bool) -> Projection | None:
    """The read projection saved beside ``store``'s graph when it is current; with ``build``
    built and saved first when it is not, saying so on stderr (graph/projection_cache.py).
    None on Neo4j (read by Cypher)."""
    from chainkg.graph.projection_cache import cached_projection, saved_projection

    if not build:
        return saved_projection(store)
    return cached_projection(
        store, progress=lambda text: err_console.print(f"{text} ...", highlight=False)
    )


AS_OF_HELP = "Read the graph as it stood at this date, YYYY-MM-DD (list versions in force then)."


@contextmanager
def open_graph(as_of: str | None = None) -> Iterator[GraphStore]:
    """The configured store, or the graph as it stood at ``as_of`` (docs/versions.md)."""
    import datetime as dt

    import typer

    from chainkg.graph.versions import graph_as_of

    try:
        date = dt.date.fromisoformat(as_of) if as_of else None
    except ValueError:
        raise typer.BadParameter(f"{as_of!r} is not a date like 2024-12-31") from None
    with open_store() as store, graph_as_of(store, date) as graph:
        yield graph


def print_error(error: ChainkgError) -> None:
    """Print an error and its hint on stderr, in plain words."""
    err_console.print(f"[bold red]error:[/] {error}", markup=True, highlight=False, soft_wrap=True)
    if error.hint:
        err_console.print(f"[bold]hint:[/] {error.hint}", highlight=False, soft_wrap=True)


def fail(error: ChainkgError, code: int = 1) -> typer.Exit:
    """Print ``error`` and return the Exit to raise (``raise fail(err)``)."""
    print_error(error)
    return typer.Exit(code)


def echo_json(data: object) -> None:
    """Print JSON (UTF-8, Chinese as is) on stdout."""
    import json

    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")
