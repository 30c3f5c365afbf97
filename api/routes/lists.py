"""Writes to the lists (清单): create, update and delete entries; upload a list file.

Everything goes through the list loaders (loaders/list_load.py): the same
reading, validation and all-or-nothing rule as ``chainkg load list``. An entry
written here is a one-row list file named ``api-<kind>.csv`` (its ``source``).
Who may write: admin keys everything; unit keys the chains their organisation
is responsible for (群链长责任单位); viewer keys nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import tempfile
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Query, Request, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, Field

from chainkg.api.auth import Writer, require_admin, require_chain_writer, writer_for
from chainkg.api.deps import on_store, parse_date
from chainkg.api.errors import WRITE_ERRORS, ApiError
from chainkg.api.keys import ApiKey, Role
from chainkg.api.models import ProblemOut
from chainkg.api.routes.chains import Chain, chain_row
from chainkg.errors import InputError, NotFoundError, Problem
from chainkg.graph import ids
from chainkg.graph.catalog import query
from chainkg.graph.schema import LIST_KINDS
from chainkg.graph.store import GraphStore
from chainkg.graph.versions import current_content, remove_entry
from chainkg.loaders.list_formats import (
    FORMATS,
    NEED_KINDS,
    ListFormat,
    list_format,
    normalize_header,
)
from chainkg.loaders.list_load import ListFile, ListLoadError, LoadReport, load_lists
from chainkg.loaders.list_reader import read_table
from chainkg.loaders.list_rows import list_entry_id, match_key

router = APIRouter(tags=["lists"])

ENTRY_KINDS = tuple(f.kind for f in FORMATS if f.label in LIST_KINDS)
# Kinds as enums in the OpenAPI document: what a client may put in the path.
EntryKind = Literal[ENTRY_KINDS]  # type: ignore[valid-type]
UploadKind = Literal[tuple(f.kind for f in FORMATS)]  # type: ignore[valid-type]
_SAFE_NAME = re.compile(r"[^\w.\-（）()]+")


class EntryIn(BaseModel):
    """A list entry's cells by column key (see `chainkg template KIND`); the chain comes from
    the path."""

    values: dict[str, str | int | float | bool | None] = Field(max_length=50)


class FileReportOut(BaseModel):
    """What one file gave."""

    file: str
    kind: str
    rows_read: int
    rows_loaded: int


class LoadOut(BaseModel):
    """What a write loaded: files, rows written per label and type, warnings."""

    files: list[FileReportOut]
    nodes: dict[str, int]
    relationships: dict[str, int]
    warnings: list[ProblemOut]


class EntryOut(LoadOut):
    """An entry written: its id and the load report."""

    id: str


def _report(report: LoadReport) -> dict[str, Any]:
    return {
        "files": [
            FileReportOut(
                file=f.file, kind=f.kind, rows_read=f.rows_read, rows_loaded=f.rows_loaded
            )
            for f in report.files
        ],
        "nodes": report.nodes,
        "relationships": report.relationships,
        "warnings": [
            ProblemOut(file=w.file, row=w.row, column=w.column, message=w.message)
            for w in report.warnings
        ],
    }


def entry_format(kind: str) -> ListFormat:
    """The format of an entry kind; InputError (422) for enterprises, supplies or unknown kinds."""
    fmt = list_format(kind)
    if fmt.kind not in ENTRY_KINDS:
        raise InputError(
            [Problem("path", f"{fmt.kind} rows are not list entries of a chain", column="kind")],
            hint=f"entries are one of {', '.join(ENTRY_KINDS)}; upload {fmt.kind} as a file",
        )
    return fmt


def chains_in_table(fmt: ListFormat, path: Path) -> set[str] | None:
    """The chain names the file's rows give; None when the format has no chain column."""
    try:
        column = fmt.column("chain")
    except KeyError:
        return None
    table = read_table(path)
    names = set(column.names())
    idx = next((i for i, h in enumerate(table.header) if normalize_header(h) in names), None)
    if idx is None:
        return set()
    return {str(cells[idx]).strip() for _, cells in table.rows if idx < len(cells) and cells[idx]}


def check_chains(request: Request, key: ApiKey, chains: set[str] | None) -> None:
    """403 unless the key may write every chain named (admin only when none can be told)."""
    if key.role is Role.admin:
        return
    if key.role is Role.viewer:
        require_chain_writer(request, key, "")
    if chains is None:
        require_admin(key)
        return
    known = {
        match_key(r["name"]): r["name"]
        for r in on_store(request, lambda s: s.read(query("api_chains")))
    }
    for name in sorted(chains):
        require_chain_writer(request, key, known.get(match_key(name), name))


def _write_entry(
    request: Request, key: ApiKey, chain: str, kind: str, values: dict[str, Any]
) -> EntryOut:
    fmt = entry_format(kind)
    require_chain_writer(request, key, chain)
    on_store(request, lambda s: chain_row(s, chain))
    cells = {k: v for k, v in values.items() if k != "chain"}
    known_keys = {c.key for c in fmt.columns}
    unknown = sorted(set(cells) - known_keys)
    if unknown:
        raise InputError(
            [Problem("body", f"unknown column {k!r}", column=k) for k in unknown],
            hint=f"{fmt.kind} columns: {', '.join(c.key for c in fmt.columns)}",
        )
    header = ["chain", *cells]
    with tempfile.TemporaryDirectory(prefix="chainkg-api-") as tmp:
        path = Path(tmp) / f"api-{fmt.kind}.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(header)
            writer.writerow([chain, *("" if v is None else _cell(v) for v in cells.values())])
        current = on_store(request, lambda s: current_content(s.read, fmt.kind, chain))
        as_of = current.as_of if current is not None else None
        report = _load(request, key, [ListFile(fmt.kind, path)], as_of, merge=True)
    rows = report.files[0].batch.nodes.get(fmt.label, [])
    return EntryOut(id=rows[0]["id"], **_report(report))


def _load(
    request: Request,
    key: ApiKey,
    files: list[ListFile],
    as_of: dt.date | None = None,
    *,
    merge: bool = False,
) -> LoadReport:
    """Load the files as list versions, all or nothing (ListLoadError -> 422 with every
    located problem; a disagreeing claim of a unit -> 409)."""
    writer = writer_for(request, key)
    try:
        return on_store(
            request, lambda s: load_lists(s, files, as_of=as_of, writer=writer, merge=merge)
        )
    except ListLoadError as exc:
        exc.hint = "fix the rows named and send the whole list again (nothing was written)"
        raise


def upload_name(given: str | None) -> str:
    """A safe file name for an upload (kept as the rows' ``source``): the base name with
    unusual characters replaced; ``upload.csv`` when nothing usable is left (``..``, ``/``)."""
    base = given.replace("\\", "/").rsplit("/", 1)[-1] if given else ""
    name = _SAFE_NAME.sub("_", base).strip(". ")
    return name[:120] if name else "upload.csv"


def _cell(value: Any) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


@router.post(
    "/chains/{chain}/lists/{kind}",
    response_model=EntryOut,
    status_code=201,
    responses=WRITE_ERRORS,
)
def create_entry(
    request: Request, chain: Chain, kind: EntryKind, body: EntryIn, key: Writer
) -> EntryOut:
    """Create (or overwrite) a list entry of a chain: projects, platforms, technologies ..."""
    return _write_entry(request, key, chain, kind, body.values)


@router.put(
    "/chains/{chain}/lists/{kind}/{entry_id:path}",
    response_model=EntryOut,
    responses=WRITE_ERRORS,
)
def update_entry(
    request: Request, chain: Chain, kind: EntryKind, entry_id: str, body: EntryIn, key: Writer
) -> EntryOut:
    """Update an entry; its identifying columns (e.g. name) must still give ``entry_id``."""
    fmt = entry_format(kind)
    require_chain_writer(request, key, chain)
    _existing(request, fmt, chain, entry_id)
    values = {**body.values, "chain": chain}
    if fmt.kind == "needs" and values.get("kind") in NEED_KINDS:
        values["kind"] = NEED_KINDS[str(values["kind"])]
    if list_entry_id(fmt, values) != entry_id:
        raise InputError(
            [
                Problem(
                    "body",
                    f"these values identify entry {list_entry_id(fmt, values)!r}, not {entry_id!r}",
                )
            ],
            hint="to rename an entry, delete it and create the new one",
        )
    return _write_entry(request, key, chain, kind, body.values)


def _existing(request: Request, fmt: ListFormat, chain: str, entry_id: str) -> list[str]:
    rows = on_store(request, lambda s: s.read(query("api_list_entry"), {"entry_id": entry_id}))
    if not rows or rows[0]["label"] != fmt.label or ids.chain_id(chain) not in rows[0]["chain_ids"]:
        raise NotFoundError(f"{chain} has no {fmt.kind} entry {entry_id!r}")
    return list(rows[0]["chain_ids"])


@router.delete(
    "/chains/{chain}/lists/{kind}/{entry_id:path}",
    status_code=204,
    response_class=Response,
    responses=WRITE_ERRORS,
)
def delete_entry(
    request: Request, chain: Chain, kind: EntryKind, entry_id: str, key: Writer
) -> Response:
    """Delete an entry from a chain's list (an entry listed for other chains stays for them)."""
    fmt = entry_format(kind)
    require_chain_writer(request, key, chain)
    _existing(request, fmt, chain, entry_id)
    writer = writer_for(request, key)
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")

    def delete(store: GraphStore) -> None:
        # a new content of the chain's current version without the entry: the entry's
        # facts of this chain go; its other chains' claims (a shared park ...) stay
        with store.transaction() as tx:
            remove_entry(tx, fmt.kind, chain, entry_id, writer, now)

    on_store(request, delete)
    return Response(status_code=204)


@router.post("/lists/{kind}/upload", response_model=LoadOut, responses=WRITE_ERRORS)
def upload(
    request: Request,
    kind: UploadKind,
    key: Writer,
    file: Annotated[UploadFile, File(description="CSV (UTF-8 or GB18030) or .xlsx list file")],
    as_of: Annotated[
        str | None, Query(description="the date the list describes (YYYY-MM-DD)")
    ] = None,
) -> LoadOut:
    """Load a list file, all or nothing: any problem -> 422 with every located problem."""
    fmt = list_format(kind)
    if key.role is Role.viewer:
        raise ApiError(403, "Forbidden", f"key {key.id!r} has role 'viewer', which only reads")
    if fmt.kind == "supplies":
        # Supplies are one province-wide version (docs/versions.md): admin only, refused
        # before the file is read so a unit learns that first, not the file's problems.
        require_admin(key)
    date = parse_date(as_of)
    name = upload_name(file.filename)
    with tempfile.TemporaryDirectory(prefix="chainkg-upload-") as tmp:
        path = Path(tmp) / name
        path.write_bytes(file.file.read())
        check_chains(request, key, chains_in_table(fmt, path))
        report = _load(request, key, [ListFile(fmt.kind, path)], date)
    return LoadOut(**_report(report))
