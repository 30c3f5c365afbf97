"""Loading list files (清单, 供应关系) into the graph: read, check, shape, write in one transaction.

A file set (one or more files, possibly of different kinds) is read and checked
as a whole: supplies may name enterprises of an enterprise list in the same
set. With any problem nothing is written (``ListLoadError``), unless
``skip_invalid`` is set: then the good rows are written and the report lists
every skipped row. Loading the same files again changes nothing: ids are
derived from the rows and ``loaded_at`` is only set when a fact is created.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from chainkg.errors import InputError, Problem
from chainkg.gc_pause import gc_paused
from chainkg.graph import ids, preinsert
from chainkg.graph.aliases import alias_map
from chainkg.graph.catalog import query
from chainkg.graph.editions import chain_key
from chainkg.graph.store import GraphStore
from chainkg.graph.versions import (
    VersionContent,
    VersionWrite,
    Writer,
    delete_isolated_stubs,
    version_id,
    write_versions,
)
from chainkg.loaders.list_formats import LOAD_ORDER, ListFormat, list_format
from chainkg.loaders.list_reader import Table, read_table
from chainkg.loaders.list_rows import (
    ChainInfo,
    Context,
    SegmentInfo,
    ShapedFile,
    match_key,
    referenced_orgs,
    shape_table,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ListFile:
    """A file to load as list ``kind`` (``sheet``: which sheet of a workbook)."""

    kind: str
    path: Path
    sheet: str | None = None
    header_row: int | None = None  # the header's (first) row; default: detected


@dataclass
class LoadReport:
    """What a list load read, wrote and found."""

    files: list[ShapedFile] = field(default_factory=list)
    unread: list[Problem] = field(default_factory=list)  # files that could not be read
    nodes: dict[str, int] = field(default_factory=dict)  # node rows written per label
    relationships: dict[str, int] = field(default_factory=dict)  # rel rows written per type
    written: bool = False
    as_of: dt.date | None = None
    loaded_at: str = ""
    versions: VersionWrite | None = None  # the list versions written (docs/versions.md)

    @property
    def problems(self) -> list[Problem]:
        """Every error: unreadable files, then each file's problems."""
        return [*self.unread, *(p for f in self.files for p in f.problems)]

    @property
    def warnings(self) -> list[Problem]:
        """Notes that did not stop a row (unknown columns, inferred placement, unlinked names)."""
        return [w for f in self.files for w in f.warnings]

    @property
    def rows_read(self) -> int:
        """Data rows read from every file."""
        return sum(f.rows_read for f in self.files)

    @property
    def rows_loaded(self) -> int:
        """Rows written (or, after a failed check, that would have been)."""
        return sum(f.rows_loaded for f in self.files) if self.written else 0

    @property
    def rows_skipped(self) -> int:
        """Rows not written."""
        return self.rows_read - self.rows_loaded


class ListLoadError(InputError):
    """The files have problems, so nothing was written; ``report`` has the counts."""

    def __init__(self, report: LoadReport) -> None:
        super().__init__(
            report.problems,
            hint="fix the rows named above and load again, or pass --skip-invalid to load "
            "the good rows only",
        )
        self.report = report


def read_context(store: GraphStore, tables: list[tuple[ListFormat, Table]]) -> Context:
    """What the graph holds that the tables refer to: chains, segments, organisations, places."""
    ctx = Context(as_of=dt.date.today(), loaded_at="")
    for r in store.read(query("lists_chain_segments")):
        key = chain_key(r["chain_id"])
        chain = ctx.chains.setdefault(
            match_key(r["chain"]),
            ChainInfo(r["chain_id"], r["chain"], key="" if key == r["chain"] else key),
        )
        for alias in (key, *(r.get("former_names") or ())):  # a renamed chain's old names
            ctx.chains.setdefault(match_key(alias), chain)
        if r["segment_id"] is not None:
            seg = SegmentInfo(
                r["segment_id"],
                r["segment"],
                tuple(r["industry_codes"] or ()),
                r.get("description") or "",
            )
            chain.segments[match_key(r["segment"])] = seg
    ids: set[str] = set()
    codes: set[str] = set()
    for fmt, table in tables:
        i, c = referenced_orgs(fmt, table)
        ids |= i
        codes |= c
    ctx.aliases = alias_map(store.read)
    ids |= {ctx.aliases[i][0] for i in ids if i in ctx.aliases}  # names resolve to their target
    known = store.read(query("lists_known_organizations"), {"ids": sorted(ids)}) if ids else []
    if codes:
        known += store.read(query("lists_known_usccs"), {"usccs": sorted(codes)})
    for r in known:
        ctx.orgs[r["id"]] = r["name"]
        if r["uscc"]:
            ctx.usccs[r["uscc"]] = r["id"]
    for r in store.read(query("lists_places")):
        (ctx.cities if r["label"] == "City" else ctx.parks).add(r["id"])
    return ctx


def check_lists(
    store: GraphStore,
    files: list[ListFile],
    *,
    as_of: dt.date | None = None,
    loaded_at: str | None = None,
    synthetic: bool = False,
) -> LoadReport:
    """Read and shape ``files`` against the graph without writing anything."""
    with gc_paused():  # millions of short-lived rows: collections would find nothing
        return _check_lists(store, files, as_of, loaded_at, synthetic)


def _check_lists(
    store: GraphStore,
    files: list[ListFile],
    as_of: dt.date | None,
    loaded_at: str | None,
    synthetic: bool,
) -> LoadReport:
    report = LoadReport()
    tables: list[tuple[ListFormat, Table]] = []
    for f in files:
        fmt = list_format(f.kind)
        try:
            tables.append((fmt, read_table(f.path, f.sheet, fmt, f.header_row)))
        except InputError as exc:
            report.unread.extend(exc.problems)
    tables.sort(key=lambda t: LOAD_ORDER.index(t[0].kind))
    ctx = read_context(store, tables)
    ctx.as_of = as_of or dt.date.today()
    ctx.loaded_at = loaded_at or dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    ctx.synthetic = synthetic
    report.as_of = ctx.as_of
    report.loaded_at = ctx.loaded_at
    report.files = [shape_table(fmt, table, ctx) for fmt, table in tables]
    nodes: Counter[str] = Counter()
    rels: Counter[str] = Counter()
    for shaped in report.files:
        for label, rows in shaped.batch.nodes.items():
            nodes[label] += len(rows)
        for rr in shaped.batch.rels:
            rels[rr.type] += len(rr.rows)
    report.nodes = dict(sorted(nodes.items()))
    report.relationships = dict(sorted(rels.items()))
    return report


def version_contents(report: LoadReport, synthetic: bool = False) -> list[VersionContent]:
    """The list versions a checked file set gives: one per (kind, chain) (pure)."""
    assert report.as_of is not None
    out: dict[tuple[str, str], VersionContent] = {}
    for shaped in report.files:
        for chain, entry_id, entry in shaped.entries:
            content = out.get((shaped.kind, chain))
            if content is None:
                content = out[(shaped.kind, chain)] = VersionContent(
                    shaped.kind,
                    chain,
                    report.as_of,
                    chain_id=None if chain == "*" else ids.chain_id(chain),
                    synthetic=synthetic,
                )
            content.entries[entry_id] = entry
            if entry.get("source") not in content.files:
                content.files.append(entry["source"])
    return [out[k] for k in sorted(out)]


def _stub_rows(report: LoadReport) -> dict[str, list[dict]]:
    """Cities and parks rows name that the graph does not have yet (written before claims)."""
    stubs: dict[str, list[dict]] = {}
    assert report.as_of is not None
    for shaped in report.files:
        entity = list_format(shaped.kind).label
        # marks the stub as made by a list, so it goes when no list names it any more
        made_by = (
            version_id(shaped.kind, shaped.entries[0][0], report.as_of) if shaped.entries else None
        )
        for label, rows in shaped.batch.nodes.items():
            if label != entity and label != "Organization":
                stubs.setdefault(label, []).extend({**r, "version": made_by} for r in rows)
    return stubs


def load_lists(
    store: GraphStore,
    files: list[ListFile],
    *,
    as_of: dt.date | None = None,
    skip_invalid: bool = False,
    loaded_at: str | None = None,
    synthetic: bool = False,
    writer: Writer | None = None,
    merge: bool = False,
    chains: set[str] | None = None,
) -> LoadReport:
    """Check ``files`` and write them as list versions in one transaction.

    Every (kind, chain) the files give becomes the version (kind, chain, as_of): a
    version of the same key is replaced, older ones are kept (docs/versions.md).
    Raises ListLoadError (nothing written) when any file has a problem and
    ``skip_invalid`` is false; with it, writes the good rows and reports the rest.
    ``writer`` (default: the CLI, every chain) is checked before anything is written;
    ``merge`` adds the entries to the stored version instead of replacing it;
    ``chains``: also write (empty) versions for these chains when the files give none.
    """
    with gc_paused():  # see check_lists
        return _load_lists(
            store, files, as_of, skip_invalid, loaded_at, synthetic, writer, merge, chains
        )


def _load_lists(
    store: GraphStore,
    files: list[ListFile],
    as_of: dt.date | None,
    skip_invalid: bool,
    loaded_at: str | None,
    synthetic: bool,
    writer: Writer | None,
    merge: bool,
    chains: set[str] | None,
) -> LoadReport:
    writer = writer or Writer()
    report = check_lists(store, files, as_of=as_of, loaded_at=loaded_at, synthetic=synthetic)
    if report.problems and not skip_invalid:
        raise ListLoadError(report)
    contents = version_contents(report, synthetic)
    for chain in sorted(chains or ()):
        for f in report.files:
            if not any(c.key == (f.kind, chain) for c in contents):
                contents.append(
                    VersionContent(f.kind, chain, report.as_of, chain_id=ids.chain_id(chain))
                )
    writer.check({c.key for c in contents})
    now = report.loaded_at
    stubs = _stub_rows(report)
    # new organisations are copied in first on the embedded store (graph/preinsert.py)
    pre = None if merge else preinsert.plan(store, contents, now, stubs)
    if pre is not None:
        pre.write(store)
    try:
        with store.transaction() as tx:
            for label, rows in stubs.items():
                tx.upsert_nodes(label, rows)
            report.versions = write_versions(
                tx, contents, writer, now, merge=merge, preinserted=pre.ids if pre else frozenset()
            )
            for label, rows in stubs.items():  # a place no claim in force links to
                delete_isolated_stubs(tx, label, (r["id"] for r in rows))
    except BaseException:
        if pre is not None:  # the transaction is rolled back: so are the copied rows
            pre.undo(store)
        raise
    report.written = True
    log.info(
        "lists loaded",
        extra={
            "files": [f.file for f in report.files],
            "nodes": report.nodes,
            "relationships": report.relationships,
            "problems_skipped": len(report.problems),
            "warnings": len(report.warnings),
            "store": store.dialect,
        },
    )
    return report
