"""``chainkg versions|diff|conflicts|audit``: list versions (清单版本), what changed, who wrote.

See docs/versions.md.
"""

from __future__ import annotations

import datetime as dt
import json

import typer

from chainkg.cli.common import console, open_store
from chainkg.graph.audit import audit_entries
from chainkg.graph.conflicts import list_conflicts, resolve_conflict
from chainkg.graph.diff import diff_entries
from chainkg.graph.versions import (
    Writer,
    drop_version,
    in_force,
    list_versions,
    read_content,
    require_version,
)
from chainkg.loaders.list_formats import list_format

versions_app = typer.Typer(help="List versions (清单版本): list, show, drop.", no_args_is_help=True)
conflicts_app = typer.Typer(
    help="Disagreeing claims on shared entities (冲突): list, resolve.",
    invoke_without_command=True,
)


def _date(text: str | None, option: str) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(
            f"{text!r} is not a date like 2024-12-31", param_hint=option
        ) from None


def _echo(data: object) -> None:
    console.print_json(json.dumps(data, ensure_ascii=False, default=str))


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


@versions_app.command("list")
def versions_list(
    chain: str | None = typer.Option(None, "--chain", help="Only this chain's versions."),
    kind: str | None = typer.Option(None, "--kind", help="Only this list kind."),
    as_of: str | None = typer.Option(None, "--as-of", help="Mark the versions in force then."),
) -> None:
    """Every stored version: kind, chain, as_of, owner, rows; * marks those in force."""
    date = _date(as_of, "--as-of")
    with open_store() as store:
        versions = list_versions(store.read)
    wanted = list_format(kind).kind if kind else None
    force = {v.id for v in in_force(versions, date).values()}
    for v in versions:
        if (chain and v.chain != chain) or (wanted and v.kind != wanted):
            continue
        mark = "*" if v.id in force else " "
        console.print(
            f"{mark} {v.id}  rows {v.rows}  owner {v.owner or '-'}  updated {v.updated_at}",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )


@versions_app.command("show")
def versions_show(version_id: str = typer.Argument(..., help="The version id.")) -> None:
    """One version: its record and entries (JSON)."""
    with open_store() as store:
        info = require_version(store, version_id)
        content = read_content(store.read, version_id)
    assert content is not None
    _echo({**info.to_dict(), "entries": content.entries})


@versions_app.command("drop")
def versions_drop(version_id: str = typer.Argument(..., help="The version id.")) -> None:
    """Delete a version; if it was in force, the previous as_of of its list takes over."""
    with open_store() as store, store.transaction() as tx:
        result = drop_version(tx, version_id, Writer(), _now())
    _echo(result)


def diff_cmd(
    kind: str = typer.Argument(..., help="List kind, e.g. enterprises."),
    chain: str = typer.Argument(..., help="Chain name as the graph spells it."),
    from_: str = typer.Option(..., "--from", help="Date A (YYYY-MM-DD): the list as of A."),
    to: str = typer.Option(..., "--to", help="Date B: the list as of B."),
) -> None:
    """Entries added, removed and changed (with the fields) between the list as of A and B."""
    fmt = list_format(kind)
    a, b = _date(from_, "--from"), _date(to, "--to")
    with open_store() as store:
        versions = list_versions(store.read)
        va, vb = (
            in_force(versions, a).get((fmt.kind, chain)),
            in_force(versions, b).get((fmt.kind, chain)),
        )
        before = read_content(store.read, va.id) if va else None
        after = read_content(store.read, vb.id) if vb else None
    change = diff_entries(before.entries if before else {}, after.entries if after else {})
    _echo({"from": va and va.id, "to": vb and vb.id, **change.counts(), **change.to_dict()})


@conflicts_app.callback()
def conflicts_list(ctx: typer.Context) -> None:
    """Entities whose owners' claims disagree, each claim's value and version."""
    if ctx.invoked_subcommand is not None:
        return
    with open_store() as store:
        _echo(list_conflicts(store))


@conflicts_app.command("resolve")
def conflicts_resolve(
    entity: str = typer.Argument(..., help="Entity id, e.g. org:宇通客车股份有限公司."),
    field: str = typer.Argument(..., help="Field, e.g. revenue (links: @LOCATED_IN)."),
    value: str = typer.Option(..., "--value", help='The value as JSON: 120, true, "郑州市".'),
) -> None:
    """Admin: choose the value of a field where claims disagree."""
    with open_store() as store:
        _echo(resolve_conflict(store, entity, field, value, "cli", _now()))


def audit_cmd(
    who: str | None = typer.Option(None, "--who", help="Only this key id (or cli)."),
    action: str | None = typer.Option(None, "--action", help="e.g. load_list, delete_entry."),
    target: str | None = typer.Option(None, "--target", help="A version or entity id."),
    limit: int = typer.Option(100, "--limit", min=1),
) -> None:
    """The audit trail: every write, who, when, what; newest first."""
    with open_store() as store:
        _echo(audit_entries(store, who=who, action=action, target=target, limit=limit))
