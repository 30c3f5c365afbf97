"""``chainkg serve`` (the HTTP API) and ``chainkg keys add|list|revoke`` (its API keys)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from chainkg.api.keys import KeyFile, Role
from chainkg.api.settings import ApiSettings
from chainkg.cli.common import OPTIONS, console, echo_json, open_store
from chainkg.config import StoreSettings
from chainkg.errors import ConfigError, StoreUnavailableError
from chainkg.logs import configure_logging

keys_app = typer.Typer(
    help="API keys of `chainkg serve`: held server-side as SHA-256 hashes, each with a role.",
    no_args_is_help=True,
)

KEYS_FILE = typer.Option(
    None,
    "--keys-file",
    help="Keys file (env CHAINKG_API_KEYS_FILE; default <data dir>/api-keys.json).",
)


def _api_settings(keys_file: Path | None = None) -> ApiSettings:
    settings = ApiSettings.load(store=OPTIONS.settings())
    if keys_file is not None:
        settings = settings.model_copy(update={"keys_file": keys_file})
    return settings


def _key_file(keys_file: Path | None) -> KeyFile:
    return KeyFile(_api_settings(keys_file).key_path())


def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Interface to listen on (0.0.0.0: all)."),
    port: int = typer.Option(8000, "--port", help="TCP port."),
    keys_file: Path | None = KEYS_FILE,
    workers: int = typer.Option(
        1, "--workers", min=1, max=16, help="Server processes (more than 1 needs --read-only)."
    ),
    read_only: bool = typer.Option(
        False,
        "--read-only",
        help="Serve reads only; the embedded graph is opened read-only so workers can share it.",
    ),
) -> None:
    """Serve the HTTP API (OpenAPI docs at /docs). Every request needs an API key."""
    import os

    import uvicorn

    from chainkg.api.app import create_app

    settings = _api_settings(keys_file)
    # CHAINKG_API_WRITES=false is --read-only said in the environment: both give a server
    # that refuses every write (and opens the embedded graph read-only).
    read_only = read_only or not settings.writes_enabled
    store = settings.store
    if read_only:
        store = store.model_copy(update={"read_only": True})
    elif workers > 1 and store.store == "embedded":
        raise ConfigError(
            f"{workers} workers cannot share the embedded graph in {store.data_dir} for writing: "
            "it allows one read-write process",
            hint="add --read-only (reads only), or use one worker",
        )
    settings = settings.model_copy(update={"store": store, "writes_enabled": not read_only})
    configure_logging("info")
    # No `server` header (it names the software), no uvicorn access log (RequestLog logs
    # each request, structured, with its id and key id).
    quiet = {"server_header": False, "access_log": False, "log_config": None}
    if workers == 1:
        uvicorn.run(create_app(settings), host=host, port=port, **quiet)
        return
    # Worker processes build their own app from the environment.
    os.environ.update(store.environment())
    os.environ["CHAINKG_API_WRITES"] = "false" if read_only else "true"
    if settings.keys_file is not None:
        os.environ["CHAINKG_API_KEYS_FILE"] = str(settings.keys_file)
    if settings.projection and read_only and store.store == "embedded":
        os.environ["CHAINKG_API_PROJECTION_FILE"] = str(_shared_projection(store))
    uvicorn.run(
        "chainkg.api.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        # A worker maps the projection while it starts (seconds for a large graph, more on a
        # busy machine): uvicorn's default 5 s health check would kill it as hung.
        timeout_worker_healthcheck=300,
        **quiet,
    )


def _shared_projection(store: StoreSettings) -> Path:
    """The folder of the read projection the workers map (graph/projection_file.py): the one
    saved beside the graph, built and saved first when out of date; where it cannot be saved
    (a read-only data folder), a temporary folder removed when the server exits."""
    import atexit
    import shutil
    import tempfile

    from chainkg.graph.factory import make_store
    from chainkg.graph.projection import build_projection
    from chainkg.graph.projection_cache import cached_projection, current_folder
    from chainkg.graph.projection_file import save_projection

    graph = make_store(store)
    status = console.status("reading the saved read projection (or building it) for the workers")
    with status, graph:
        # The projection saved beside the graph when current (graph/projection_cache.py):
        # a restart maps it instead of reading the whole graph again.
        p = cached_projection(graph)
        saved = current_folder(graph)
        if saved is not None:
            return saved
        folder = Path(tempfile.mkdtemp(prefix="chainkg-projection-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        save_projection(p or build_projection(graph), folder)
    return folder


def responsible_units() -> tuple[list[str], str]:
    """The roster's responsible units (群链长责任单位) and where they were read: the graph, or,
    while a running server holds the embedded graph, the shipped 61号 notice."""
    from chainkg.graph.catalog import query
    from chainkg.loaders.roster_load import read_roster_document
    from chainkg.loaders.roster_parser import load_errata, parse_roster

    try:
        with open_store() as store:
            rows = store.read(query("roster_responsible_units"))
            return [r["name"] for r in rows], "the roster in the graph"
    except StoreUnavailableError:
        text, name = read_roster_document()
        roster = parse_roster(text, source_name=name, errata=load_errata())
        units = {u.name for c in roster.chains for u in c.responsible_units}
        return sorted(units), f"the roster of {name}"


def check_responsible_unit(org: str) -> None:
    """ConfigError unless ``org`` is a responsible unit in the roster (a unit key writes the
    lists of that unit's chains, so a name outside the roster would give a key that can do
    nothing, or, after a later roster, something unintended)."""
    from chainkg.queries.chains import suggest

    units, where = responsible_units()
    if org in units:
        return
    if not units:
        raise ConfigError(
            f"{org!r} cannot be checked: no roster is loaded",
            hint="load it first: `chainkg load roster`",
        )
    close = suggest(org, units)
    raise ConfigError(
        f"{org!r} is not a responsible unit (群链长责任单位) in {where}",
        hint=f"did you mean: {'、'.join(close)}?" if close else f"units: {'、'.join(units)}",
    )


@keys_app.command("add")
def keys_add(
    role: str = typer.Option(..., "--role", help="viewer | unit | admin"),
    name: str = typer.Option(..., "--name", help="A label saying who holds the key."),
    org: str | None = typer.Option(
        None, "--org", help="For unit keys: the organisation, as in the roster (省工业和信息化厅)."
    ),
    keys_file: Path | None = KEYS_FILE,
) -> None:
    """Create a key and print it once (only its hash is kept)."""
    try:
        parsed = Role(role)
    except ValueError:
        raise ConfigError(f"unknown role {role!r}", hint="use viewer, unit or admin") from None
    if parsed is Role.unit and org:
        check_responsible_unit(org)
    key, token = _key_file(keys_file).add(parsed, name, org)
    console.print(
        f"key {key.id} ({key.role.value}{', ' + key.org if key.org else ''}) for {name}:",
        highlight=False,
    )
    typer.echo(token)
    console.print("Keep it now: it is not stored and cannot be shown again.", highlight=False)


@keys_app.command("list")
def keys_list(
    json_output: bool = typer.Option(False, "--json", help="Print JSON."),
    keys_file: Path | None = KEYS_FILE,
) -> None:
    """List the keys (ids, labels, roles; never the secrets)."""
    keys = [k.public() for k in _key_file(keys_file).load()]
    if json_output:
        echo_json(keys)
        return
    table = Table("id", "name", "role", "org", "created", "revoked")
    for k in keys:
        table.add_row(
            k["id"],
            k["name"],
            k["role"],
            k["org"] or "",
            k["created"],
            "yes" if k["revoked"] else "",
        )
    console.print(table)


@keys_app.command("revoke")
def keys_revoke(
    key_id: str = typer.Argument(..., help="The key's id (see `chainkg keys list`)."),
    keys_file: Path | None = KEYS_FILE,
) -> None:
    """Revoke a key: requests with it get 401 from then on (no restart needed)."""
    key = _key_file(keys_file).revoke(key_id)
    console.print(f"revoked key {key.id} ({key.name})", highlight=False)
