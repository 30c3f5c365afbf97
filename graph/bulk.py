"""Bulk loading: many rows into a store fast, insert-only.

The upserts of ``Transaction`` (``UNWIND $rows ... MERGE``) run at a few
thousand rows a second on the embedded engine: right for lists, far too slow
for a million enterprises. LadybugDB's ``COPY <table> FROM '<file.csv>'``
appends hundreds of thousands of rows a second, so the embedded store's
``bulk_insert`` writes the rows to a temporary CSV file (this module) and
copies it in. Stores without ``bulk_insert`` (Neo4j) fall back to
``bulk_upsert_nodes`` / ``bulk_upsert_rels``: ``UNWIND`` batches in successive
transactions.

Bulk writes are insert-only on the embedded store: a row whose node id is in
the graph already fails the whole COPY (nothing of it is written). Callers load
into tables that do not hold those rows yet, e.g. after ``delete_synthetic``.

CSV encoding (checked against LadybugDB 0.22): a header line; strings are
always quoted with ``"`` doubled inside (``ESCAPE='"'``), so an unquoted empty
field is NULL and ``""`` is the empty string; booleans ``true``/``false``;
dates ISO; floats ``repr`` (round-trips exactly); lists ``"[a,b]"``. The
engine's list reader keeps quotes and splits on every comma, so a list element
containing ``,[]{}"'\\`` or surrounding spaces is written as NULL and set
afterwards by an ``UNWIND`` update (rare: industry code lists never need it).
A string with a line break needs the engine's serial CSV reader
(``PARALLEL=false``), chosen only when the file has one.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chainkg.errors import SchemaError
from chainkg.graph.cypher import Cypher
from chainkg.graph.schema import NodeKind, PropType, RelKind, Schema
from chainkg.graph.store import GraphStore

Row = Mapping[str, Any]
Runner = Callable[[Cypher | str, Mapping[str, Any] | None], list[dict[str, Any]]]
CHUNK = 50_000
"""Rows encoded at a time: bounds the memory of the encoder, not the size of the file."""

_UNSAFE_LIST_ITEM = re.compile(r"""[,\[\]{}"'\\\r\n]|^\s|\s$|^$""")


@dataclass
class CsvFile:
    """What ``write_csv`` wrote: row count, whether a string holds a line break, late lists."""

    path: Path
    rows: int = 0
    multiline: bool = False
    # (node id, column, value) of lists the CSV cannot carry (see the module doc).
    late_lists: list[tuple[str, str, list[str]]] = field(default_factory=list)


def _check(
    values: list[Any], allowed: frozenset[type], what: str, column: str, type_: PropType
) -> bool:
    """Whether ``values`` hold a None; SchemaError naming the first value of another type."""
    types = set(map(type, values))
    if not types <= allowed:
        value = next(v for v in values if type(v) not in allowed)
        raise SchemaError(
            f"{what}.{column}: {value!r} is not a valid {type_.value}; "
            "fix the row shaping so the value has the schema's type"
        )
    return type(None) in types


_NONE = type(None)
_NEEDS_QUOTES = (",", '"', "\n", "\r")


def _encode_strings(values: list[Any], what: str, column: str) -> list[str]:
    has_none = _check(values, frozenset((str, _NONE)), what, column, PropType.STRING)
    # Fast path, no work per value: plain non-empty strings go unquoted.
    if not has_none and "" not in values:
        joined = "\x1f".join(values)
        if not any(c in joined for c in _NEEDS_QUOTES):
            return values
    return ['"' + v.replace('"', '""') + '"' if v is not None else "" for v in values]


def _encode_ints(values: list[Any], what: str, column: str) -> list[str]:
    _check(values, frozenset((int, float, _NONE)), what, column, PropType.INT)
    out: list[str] = []
    for v in values:
        if v is None:
            out.append("")
        elif type(v) is int:
            out.append(str(v))
        elif v.is_integer():
            out.append(str(int(v)))
        else:
            raise SchemaError(
                f"{what}.{column}: {v!r} is not a valid INT64; "
                "fix the row shaping so the value has the schema's type"
            )
    return out


def _encode_floats(values: list[Any], what: str, column: str) -> list[str]:
    if not _check(values, frozenset((float, int, _NONE)), what, column, PropType.FLOAT):
        return list(map(repr, map(float, values)))
    return [repr(float(v)) if v is not None else "" for v in values]


def _encode_bools(values: list[Any], what: str, column: str) -> list[str]:
    _check(values, frozenset((bool, _NONE)), what, column, PropType.BOOL)
    return ["" if v is None else ("true" if v else "false") for v in values]


def _encode_dates(values: list[Any], what: str, column: str) -> list[str]:
    _check(values, frozenset((dt.date, dt.datetime, str, _NONE)), what, column, PropType.DATE)
    out: list[str] = []
    for v in values:
        if v is None:
            out.append("")
        elif isinstance(v, dt.datetime):
            out.append(v.date().isoformat())
        elif isinstance(v, dt.date):
            out.append(v.isoformat())
        else:
            try:
                out.append(dt.date.fromisoformat(v).isoformat())
            except ValueError:
                raise SchemaError(
                    f"{what}.{column}: {v!r} is not a valid DATE; "
                    "fix the row shaping so the value has the schema's type"
                ) from None
    return out


_ENCODERS: dict[PropType, Callable[[list[Any], str, str], list[str]]] = {
    PropType.STRING: _encode_strings,
    PropType.INT: _encode_ints,
    PropType.FLOAT: _encode_floats,
    PropType.BOOL: _encode_bools,
    PropType.DATE: _encode_dates,
}


def _encode_lists(
    values: list[Any],
    ids: list[Any] | None,
    what: str,
    column: str,
    late: list,
    delimiter: str | None = None,
) -> list[str]:
    out: list[str] = []
    # Lists repeat (claimed_by: the one version of a load; conflicts: []): each distinct
    # list of strings is encoded once; a list that goes to ``late`` is never memoised.
    memo: dict[tuple[str, ...], str] = {}
    for i, v in enumerate(values):
        if v is None:
            out.append("")
            continue
        if isinstance(v, str) or not isinstance(v, (list, tuple)):
            raise SchemaError(
                f"{what}.{column}: {v!r} is not a valid {PropType.STRING_LIST.value}; "
                "fix the row shaping so the value has the schema's type"
            )
        key = tuple(v) if all(type(x) is str for x in v) else None
        if key is not None and key in memo:
            out.append(memo[key])
            continue
        cell = _encode_list(v, delimiter)
        if cell is None:
            items = [str(x) for x in v]
            if ids is None:
                action = "bulk-imported into" if delimiter is not None else "bulk-loaded into"
                shown = f"list {items!r}" if delimiter is not None else f"list item in {items!r}"
                raise SchemaError(
                    f"{what}.{column}: {shown} cannot be {action} a "
                    "relationship; use the upsert path for such rows"
                )
            late.append((ids[i], column, items))
            cell = ""
        elif key is not None:
            memo[key] = cell
        out.append(cell)
    return out


def _encode_list(v: list[Any] | tuple[Any, ...], delimiter: str | None) -> str | None:
    """One list cell as COPY (``delimiter`` None) or neo4j-admin import reads it; None when
    it cannot be written in the CSV (it is set afterwards)."""
    items = [str(x) for x in v]
    if delimiter is not None:
        # neo4j-admin import: items joined by the array delimiter inside one quoted
        # field. An empty list, an empty item or one holding the delimiter is set afterwards.
        if items and all(x and delimiter not in x for x in items):
            return '"' + delimiter.join(items).replace('"', '""') + '"'
        return None
    if any(_UNSAFE_LIST_ITEM.search(x) for x in items):
        return None
    return '"[' + ",".join(items) + ']"'


def _chunks(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    it = iter(rows)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


def table_columns(kind: NodeKind | RelKind) -> list[tuple[str, PropType]]:
    """The CSV columns COPY expects, in table order (relationships: ``from_id``, ``to_id`` first)."""
    if isinstance(kind, NodeKind):
        return [(p.name, p.type) for p in kind.all_props]
    return [
        ("from_id", PropType.STRING),
        ("to_id", PropType.STRING),
        *((p.name, p.type) for p in kind.all_props),
    ]


def write_csv(
    path: Path,
    kind: NodeKind | RelKind,
    rows: Iterable[Row],
    *,
    header: Sequence[str] | None = None,
    list_delimiter: str | None = None,
) -> CsvFile:
    """Write ``rows`` of ``kind`` to ``path`` as a CSV file COPY reads; SchemaError on bad rows.

    Every schema column is written, in table order; a key a row leaves out is NULL.
    ``header`` replaces the column names of the first line; ``list_delimiter`` writes
    lists as neo4j-admin import reads them (items joined by it) instead of ``[a,b]``.
    """
    what = kind.label if isinstance(kind, NodeKind) else kind.type
    columns = table_columns(kind)
    known = {name for name, _ in columns}
    out = CsvFile(path)
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write(",".join(header or [name for name, _ in columns]) + "\n")
        for chunk in _chunks(rows, CHUNK):
            plain = True  # all rows are dicts: columns are read with C-level map
            for row in chunk:
                plain = plain and type(row) is dict
                if not row.keys() <= known:
                    extra = ", ".join(sorted(set(row) - known))
                    raise SchemaError(
                        f"{what} has no property {extra}; known: {', '.join(sorted(known))}"
                    )
            ids = [row.get("id") for row in chunk] if isinstance(kind, NodeKind) else None
            if ids is not None and not all(ids):
                raise SchemaError(f"a {what} row has no id: {chunk[ids.index(None)]!r}")
            encoded: list[Iterable[str]] = []
            for name, type_ in columns:
                if plain:
                    values = list(map(dict.get, chunk, itertools.repeat(name)))
                else:
                    values = [row.get(name) for row in chunk]
                if type_ is PropType.STRING_LIST:
                    encoded.append(
                        _encode_lists(values, ids, what, name, out.late_lists, list_delimiter)
                    )
                    continue
                first = values[0]
                # Provenance columns are usually the same in every row: encode once.
                if (
                    first is not None
                    and values.count(first) == len(values)
                    and set(map(type, values)) == {type(first)}
                ):
                    cells: Sequence[str] = _ENCODERS[type_]([first], what, name)
                    encoded.append(itertools.repeat(cells[0], len(values)))
                else:
                    cells = _ENCODERS[type_](values, what, name)
                    encoded.append(cells)
                if type_ is PropType.STRING and not out.multiline:
                    joined = "".join(cells)
                    out.multiline = "\n" in joined or "\r" in joined
            f.write("\n".join(map(",".join, zip(*encoded, strict=True))))
            f.write("\n")
            out.rows += len(chunk)
    return out


def copy_statement(
    table: str, path: Path, *, parallel: bool, endpoints: tuple[str, str] | None
) -> str:
    """``COPY`` of a CSV file written by ``write_csv`` (a path of ours, never data)."""
    text = str(path)
    if "'" in text or "\\" in text:
        raise SchemaError(f"cannot COPY from {text!r}: the path has a quote or a backslash")
    # Every option explicit: by default the engine sniffs the dialect from the first
    # rows and may take ' for the quote character.
    options = ["HEADER=true", "DELIM=','", "QUOTE='\"'", "ESCAPE='\"'", "AUTO_DETECT=false"]
    if not parallel:
        options.append("PARALLEL=false")
    if endpoints is not None:
        options += [f"from='{endpoints[0]}'", f"to='{endpoints[1]}'"]
    return f"COPY {table} FROM '{text}' ({', '.join(options)})"


def copy_into(
    run: Runner,
    schema: Schema,
    label_or_type: str,
    rows: Iterable[Row],
    *,
    from_label: str | None = None,
    to_label: str | None = None,
    tmp_dir: Path | None = None,
) -> int:
    """Write ``rows`` to a temporary CSV and COPY them into the embedded table; returns rows.

    ``run`` executes one statement (the embedded store's connection, under its
    write lock). Relationship types with several endpoint pairs need
    ``from_label`` and ``to_label``; with one pair they default to it.
    """
    kind: NodeKind | RelKind
    endpoints: tuple[str, str] | None = None
    if label_or_type in {n.label for n in schema.nodes}:
        kind = schema.node(label_or_type)
    else:
        kind = schema.rel(label_or_type)
        if from_label is None and to_label is None and len(kind.endpoints) == 1:
            from_label, to_label = kind.endpoints[0]
        if from_label is None or to_label is None or not kind.joins(from_label, to_label):
            pairs = ", ".join(f"{a}->{b}" for a, b in kind.endpoints)
            raise SchemaError(
                f"{kind.type} bulk insert needs from_label and to_label, one of: {pairs} "
                f"(given {from_label}->{to_label})"
            )
        endpoints = (from_label, to_label)
    with tempfile.TemporaryDirectory(prefix="chainkg-bulk-", dir=tmp_dir) as folder:
        path = Path(folder) / f"{label_or_type}.csv"
        written = write_csv(path, kind, rows)
        if written.rows == 0:
            return 0
        # Several pairs: name the pair; one pair: the engine knows it (and rejects the option).
        pair = endpoints if isinstance(kind, RelKind) and len(kind.endpoints) > 1 else None
        statement = copy_statement(
            label_or_type, path, parallel=not written.multiline, endpoints=pair
        )
        run(Cypher(f"bulk_{label_or_type}", statement), None)
    if written.late_lists:
        set_late_lists(run, label_or_type, written.late_lists)
    return written.rows


def set_late_lists(run: Runner, label: str, late: list[tuple[str, str, list[str]]]) -> None:
    """Set the list properties a CSV file could not carry ((id, column, items) of ``label``)."""
    by_column: dict[str, list[dict[str, Any]]] = {}
    for node_id, column, items in late:
        by_column.setdefault(column, []).append({"id": node_id, "v": items})
    for column, rows in by_column.items():
        run(
            Cypher(
                f"bulk_{label}_{column}",
                f"UNWIND $rows AS r MATCH (n:{label} {{id: r.id}}) SET n.{column} = r.v",
            ),
            {"rows": rows},
        )


def bulk_write_nodes(store: GraphStore, label: str, rows: Iterable[Row]) -> int:
    """Write many new nodes the fastest way the store has (COPY, else batched upserts)."""
    insert = getattr(store, "bulk_insert", None)
    if insert is not None:
        return int(insert(label, rows))
    return store.bulk_upsert_nodes(label, rows)


def bulk_write_rels(
    store: GraphStore, rel_type: str, from_label: str, to_label: str, rows: Iterable[Row]
) -> int:
    """Write many new relationships the fastest way the store has (COPY, else batched upserts)."""
    insert = getattr(store, "bulk_insert", None)
    if insert is not None:
        return int(insert(rel_type, rows, from_label=from_label, to_label=to_label))
    return store.bulk_upsert_rels(rel_type, from_label, to_label, rows)


IMPORT_MIN_ROWS = 100_000
"""From this many rows on, an initial load prefers the offline import: below it, stopping
and starting the server costs more than the Bolt writes it saves."""
IMPORT_MODES = ("auto", "always", "never")


def choose_full_import(store: GraphStore, rows: int) -> tuple[bool, str]:
    """Whether a load of ``rows`` rows that replaces the graph should use ``full_import``,
    and a line saying which way it goes and why (for the user).

    CHAINKG_NEO4J_IMPORT: ``auto`` (default: from IMPORT_MIN_ROWS rows on, where the
    store can), ``always`` (wherever the store can), ``never``.
    """
    mode = os.environ.get("CHAINKG_NEO4J_IMPORT", "auto").strip().lower() or "auto"
    if mode not in IMPORT_MODES:
        raise SchemaError(
            f"CHAINKG_NEO4J_IMPORT={mode!r} is not one of {', '.join(IMPORT_MODES)}",
            hint="unset it, or set auto, always or never",
        )
    if mode == "never":
        return False, "batched writes (CHAINKG_NEO4J_IMPORT=never)"
    blocker = store.full_import_blocker()
    if blocker is not None:
        return False, f"batched writes: {blocker}"
    if mode == "auto" and rows < IMPORT_MIN_ROWS:
        return (
            False,
            f"batched writes ({rows:,} rows, the offline import pays from {IMPORT_MIN_ROWS:,})",
        )
    return True, "offline bulk import (neo4j-admin database import)"


def delete_synthetic(store: GraphStore, *, batch_size: int = 20_000) -> int:
    """Delete every synthetic (``synthetic = true``) node and relationship; returns nodes deleted.

    Nodes go in batches, each in its own transaction, so that a large demo
    graph does not need one huge transaction (not atomic as a whole).
    """
    deleted = 0
    for rel in store.schema.rels:
        with store.transaction() as tx:
            tx.run(
                Cypher(
                    f"delete_synthetic_{rel.type}",
                    f"MATCH ()-[e:{rel.type}]->() WHERE e.synthetic = true DELETE e",
                )
            )
    for kind in store.schema.nodes:
        ids = Cypher(
            f"synthetic_{kind.label}",
            f"MATCH (n:{kind.label}) WHERE n.synthetic = true RETURN n.id AS id LIMIT $limit",
        )
        drop = Cypher(
            f"delete_synthetic_{kind.label}",
            f"UNWIND $ids AS i MATCH (n:{kind.label} {{id: i}}) DETACH DELETE n",
        )
        while batch := [r["id"] for r in store.read(ids, {"limit": batch_size})]:
            with store.transaction() as tx:
                tx.run(drop, {"ids": batch})
            deleted += len(batch)
    return deleted


def ids_of(store: GraphStore, label: str) -> set[str]:
    """Every id of ``label`` in the graph (for checks before a bulk load)."""
    kind = store.schema.node(label)
    rows = store.read(Cypher(f"ids_{kind.label}", f"MATCH (n:{kind.label}) RETURN n.id AS id"))
    return {r["id"] for r in rows}
