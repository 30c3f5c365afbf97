"""Entry point of the `chainkg` command."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from chainkg.cli import common
from chainkg.cli.demo import demo
from chainkg.cli.evaluate import evaluate, report
from chainkg.cli.lists import template_cmd
from chainkg.cli.load import load_app
from chainkg.cli.maps import map_command
from chainkg.cli.meetings import meetings_app, supervise
from chainkg.cli.orgs import orgs_app
from chainkg.cli.problems import problems_app
from chainkg.cli.roster import roster, stats
from chainkg.cli.serve import keys_app, serve
from chainkg.cli.stores import copy
from chainkg.cli.versions import audit_cmd, conflicts_app, diff_cmd, versions_app
from chainkg.cli.weak import recommend, weak_links, what_if
from chainkg.errors import ChainkgError
from chainkg.logs import configure_logging

app = typer.Typer(
    help="chainkg: knowledge graph of Henan's industrial chains under the 双长制 (豫政办〔2021〕61号).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def global_options(
    store: str | None = typer.Option(
        None, "--store", help="embedded (default, no server) or neo4j (env CHAINKG_STORE)."
    ),
    data_dir: Path | None = typer.Option(
        None, "--data-dir", help="Folder of the embedded graph (env CHAINKG_DATA_DIR)."
    ),
    neo4j_uri: str | None = typer.Option(None, "--neo4j-uri", help="(env NEO4J_URI)"),
    neo4j_user: str | None = typer.Option(None, "--neo4j-user", help="(env NEO4J_USER)"),
    neo4j_password: str | None = typer.Option(
        None, "--neo4j-password", help="(env NEO4J_PASSWORD)"
    ),
    neo4j_database: str | None = typer.Option(
        None, "--neo4j-database", help="(env NEO4J_DATABASE)"
    ),
) -> None:
    """Options for every command: which store to use and how to reach it."""
    configure_logging()  # JSON lines on stderr; CHAINKG_LOG_LEVEL=info shows what loads did
    common.set_global_options(
        store, data_dir, neo4j_uri, neo4j_user, neo4j_password, neo4j_database
    )


@app.command()
def version() -> None:
    """Print the chainkg version."""
    from chainkg import __version__

    typer.echo(__version__)


app.add_typer(load_app, name="load")
app.add_typer(keys_app, name="keys")
app.add_typer(problems_app, name="problems")
app.add_typer(meetings_app, name="meetings")
app.command()(supervise)
app.command()(serve)
app.command()(roster)
app.command()(stats)
app.command()(demo)
app.command("template")(template_cmd)
app.command("weak-links")(weak_links)
app.command("what-if")(what_if)
app.command()(recommend)
app.command()(copy)
app.command("map")(map_command)
app.add_typer(versions_app, name="versions")
app.add_typer(conflicts_app, name="conflicts")
app.command("diff")(diff_cmd)
app.command("audit")(audit_cmd)
app.command()(evaluate)
app.command()(report)
app.add_typer(orgs_app, name="orgs")


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code; a ChainkgError is printed on stderr with exit 1."""
    try:
        app(args=argv, prog_name="chainkg")
    except ChainkgError as error:
        common.print_error(error)
        return 1
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return 0


if __name__ == "__main__":
    sys.exit(main())


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
