"""``chainkg orgs``: organisation identity (同名) — aliases, merge, unmerge, candidates.

The CLI acts as admin. See docs/lists.md ("Identity") and graph/aliases.py.
"""

from __future__ import annotations

from pathlib import Path

import typer

from chainkg.cli.common import console, echo_json, open_store
from chainkg.graph.aliases import list_aliases
from chainkg.loaders import org_aliases

orgs_app = typer.Typer(
    help="Organisation identity (同名): aliases, merge, unmerge, probable duplicates.",
    no_args_is_help=True,
)


@orgs_app.command("alias")
def alias_cmd(
    name: str | None = typer.Argument(None, help="Another name of the organisation."),
    of: str | None = typer.Option(None, "--of", help="The organisation: name, org:id or USCC."),
    note: str | None = typer.Option(None, "--note", help="Why they are one (kept with it)."),
    file: Path | None = typer.Option(
        None, "--file", help="A TOML alias file ([[alias]] name/of/note); all or nothing."
    ),
) -> None:
    """Record NAME as another name of --of; lists then load it as that organisation.
    An organisation already called NAME is merged into it (undo: chainkg orgs unmerge)."""
    if file is not None:
        if name is not None or of is not None:
            raise typer.BadParameter("give either --file or NAME --of, not both")
        with open_store() as store:
            echo_json(org_aliases.apply_alias_file(store, file))
        return
    if name is None or of is None:
        raise typer.BadParameter("give NAME and --of TARGET (or --file FILE)")
    with open_store() as store:
        echo_json(org_aliases.alias(store, name, of, note=note))


@orgs_app.command("merge")
def merge_cmd(
    alias: str = typer.Argument(
        ..., help="The organisation that goes (its name becomes an alias)."
    ),
    into: str = typer.Argument(..., help="The organisation that stays: name, org:id or USCC."),
    note: str | None = typer.Option(None, "--note", help="Why they are one (kept with it)."),
) -> None:
    """Merge organisation ALIAS into INTO: every claim (list, version, row) is kept and counts
    for INTO; ALIAS's name resolves to INTO from now on. Undo: chainkg orgs unmerge ALIAS."""
    with open_store() as store:
        echo_json(org_aliases.alias(store, alias, into, note=note, must_exist=True))


@orgs_app.command("unmerge")
def unmerge_cmd(
    alias: str = typer.Argument(..., help="The alias (name or org:id) to undo."),
) -> None:
    """Undo an alias or a merge: the organisation and every claim it had come back."""
    with open_store() as store:
        echo_json(org_aliases.unmerge(store, alias))


@orgs_app.command("aliases")
def aliases_cmd() -> None:
    """The alias table: each other name, the organisation it means, merged or not, by whom."""
    with open_store() as store:
        rows = list_aliases(store.read)
    if not rows:
        console.print("no aliases (chainkg orgs alias NAME --of TARGET records one)")
        return
    echo_json(rows)


@orgs_app.command("candidates")
def candidates_cmd(
    threshold: float = typer.Option(
        90.0, "--threshold", min=50, max=100, help="rapidfuzz similarity (0-100) for 'similar'."
    ),
) -> None:
    """Probable duplicate organisations (same USCC, a place prefix, similar names, a 集团's
    brand as a hint); nothing is merged. Synthetic demo data is left out."""
    with open_store() as store:
        echo_json(org_aliases.candidates(store, threshold=threshold))
