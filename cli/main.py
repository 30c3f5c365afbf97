"""Entry point of the `chainkg` command."""

import typer

app = typer.Typer(
    help="chainkg: Henan industrial-chain knowledge graph (双长制).", no_args_is_help=True
)


@app.command()
def version() -> None:
    """Print the chainkg version."""
    from chainkg import __version__

    typer.echo(__version__)
