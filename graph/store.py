"""The GraphStore interface every store implements, and the logic they share.

A store runs Cypher (``read`` outside, ``Transaction.run`` inside a write
transaction), upserts rows shaped by the loaders in batches, counts and exports
the graph. Results come back as plain Python values (int, float, str, bool,
date, list, dict), the same on every engine, so that everything above ``graph/``
is engine-agnostic and the parity tests can compare answers with ``==``.
"""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from chainkg.errors import SchemaError, StoreError
from chainkg.graph import statements
from chainkg.graph.batch import GraphBatch
from chainkg.graph.cypher import Cypher
from chainkg.graph.schema import SCHEMA, NodeKind, PropType, RelKind, Schema

Row = dict[str, Any]
DEFAULT_BATCH = 5_000
INSERT_BATCH = 20_000  # rows per UNWIND for new facts (Neo4j: fewer round trips)


@dataclass(frozen=True)
class GraphCounts:
    """Node counts per label and relationship counts per type (kinds with none included)."""

    nodes: dict[str, int]
    relationships: dict[str, int]

    def to_dict(self) -> dict[str, dict[str, int]]:
        """The JSON shape of ``chainkg stats``."""
        return {"nodes": dict(self.nodes), "relationships": dict(self.relationships)}


@dataclass
class ExportedGraph:
    """The whole graph as ordered rows: nodes per label, relationships per (type, from, to)."""

    nodes: dict[str, list[Row]] = field(default_factory=dict)
    rels: dict[tuple[str, str, str], list[Row]] = field(default_factory=dict)


def normalize(value: Any) -> Any:
    """Plain Python value for whatever an engine returned (Decimal, engine date types, ...)."""
    if value is None or isinstance(value, (str, bool, int, float, dt.date)):
        return value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (list, tuple)):
        return [normalize(v) for v in value]
    if isinstance(value, Mapping):
        return {k: normalize(v) for k, v in value.items() if not str(k).startswith("_")}
    to_native = getattr(value, "to_native", None)
    if callable(to_native):
        return to_native()
    return value


def _coerce(prop_type: PropType, value: Any, where: str) -> Any:
    if value is None:
        return None
    try:
        if prop_type is PropType.FLOAT:
            if isinstance(value, bool):
                raise TypeError
            return float(value)
        if prop_type is PropType.INT:
            if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
                raise TypeError
            return int(value)
        if prop_type is PropType.BOOL:
            if not isinstance(value, bool):
                raise TypeError
            return value
        if prop_type is PropType.DATE:
            if isinstance(value, dt.datetime):
                return value.date()
            if isinstance(value, dt.date):
                return value
            return dt.date.fromisoformat(str(value))
        if prop_type is PropType.STRING_LIST:
            if isinstance(value, str) or not isinstance(value, (list, tuple)):
                raise TypeError
            return [str(v) for v in value]
        if not isinstance(value, str):
            raise TypeError
        return value
    except (TypeError, ValueError):
        raise SchemaError(
            f"{where}: {value!r} is not a valid {prop_type.value}; "
            "fix the row shaping so the value has the schema's type"
        ) from None


def coerce_rows(
    rows: Iterable[Mapping[str, Any]], types: Mapping[str, PropType], what: str
) -> list[Row]:
    """Rows with values converted to the schema's types; SchemaError on unknown or bad values."""
    out: list[Row] = []
    for row in rows:
        shaped: Row = {}
        for key, value in row.items():
            if key not in types:
                known = ", ".join(sorted(types))
                raise SchemaError(f"{what} has no property {key!r}; known: {known}")
            shaped[key] = _coerce(types[key], value, f"{what}.{key}")
        out.append(shaped)
    return out


def _group_by_columns(rows: Sequence[Row]) -> dict[tuple[str, ...], list[Row]]:
    groups: dict[tuple[str, ...], list[Row]] = defaultdict(list)
    for row in rows:
        groups[tuple(sorted(row))].append(row)
    return groups


def _batches(rows: Sequence[Row], size: int) -> Iterator[tuple[frozenset[str], list[Row]]]:
    """Batches of rows with the columns that are None in every row of the batch."""
    for start in range(0, len(rows), size):
        batch = rows[start : start + size]
        empty = frozenset(c for c in batch[0] if all(row[c] is None for row in batch))
        if empty:
            batch = [{k: v for k, v in row.items() if k not in empty} for row in batch]
        yield empty, list(batch)


class Transaction(ABC):
    """A write transaction: everything done through it commits together or not at all."""

    schema: Schema = SCHEMA

    @abstractmethod
    def run(self, query: Cypher | str, params: Mapping[str, Any] | None = None) -> list[Row]:
        """Run one statement inside the transaction and return its rows."""

    def upsert_nodes(
        self, label: str, rows: Iterable[Mapping[str, Any]], *, batch_size: int = DEFAULT_BATCH
    ) -> int:
        """MERGE nodes by ``id`` and set the properties each row gives; returns rows written.

        A property a row leaves out is left as it is; one given as None is cleared.
        """
        kind = self.schema.node(label)
        types = {p.name: p.type for p in kind.all_props}
        shaped = coerce_rows(rows, types, label)
        for row in shaped:
            if not row.get("id"):
                raise SchemaError(f"a {label} row has no id: {row!r}")
        written = 0
        for columns, group in _group_by_columns(shaped).items():
            for empty, batch in _batches(group, batch_size):
                statement = statements.upsert_nodes(kind, columns, empty)
                written += _written(self.run(statement, {"rows": batch}))
        return written

    def upsert_rels(
        self,
        rel_type: str,
        from_label: str,
        to_label: str,
        rows: Iterable[Mapping[str, Any]],
        *,
        batch_size: int = DEFAULT_BATCH,
    ) -> int:
        """MERGE relationships between existing nodes (``from_id``, ``to_id`` in each row).

        Raises SchemaError naming the missing endpoints when a row's node is not
        in the graph, so a load never silently drops a fact.
        """
        rel = self.schema.rel(rel_type)
        types = {p.name: p.type for p in rel.all_props}
        types["from_id"] = types["to_id"] = PropType.STRING
        shaped = coerce_rows(rows, types, rel_type)
        for row in shaped:
            # Neo4j cannot MERGE on a null property: an absent key value is "".
            for k in rel.key:
                if k in row and row[k] is None:
                    row[k] = ""
        written = 0
        for columns, group in _group_by_columns(shaped).items():
            for empty, batch in _batches(group, batch_size):
                statement = statements.upsert_rels(rel, from_label, to_label, columns, empty)
                n = _written(self.run(statement, {"rows": batch}))
                if n < len(batch):
                    self._raise_missing(rel, from_label, to_label, batch)
                written += n
        return written

    def insert_nodes(self, label: str, rows: Iterable[Mapping[str, Any]]) -> int:
        """Write nodes whose ids are not in the graph yet (the caller checked); returns rows.

        Batched upserts in large batches (fewer round trips to a server). Not ``COPY`` on the
        embedded store: LadybugDB 0.22 corrupts its heap when a transaction that ran a
        ``COPY`` into a table holding committed rows is rolled back; list loads copy new
        organisations in before their transaction instead (graph/preinsert.py).
        """
        return self.upsert_nodes(label, rows, batch_size=INSERT_BATCH)

    def insert_rels(
        self, rel_type: str, from_label: str, to_label: str, rows: Iterable[Mapping[str, Any]]
    ) -> int:
        """Write relationships that are not in the graph yet between existing nodes (see
        ``insert_nodes``); returns rows."""
        return self.upsert_rels(rel_type, from_label, to_label, rows, batch_size=INSERT_BATCH)

    def write(self, batch: GraphBatch) -> int:
        """Upsert a batch (nodes first), then drop what ``batch.replaces`` no longer has."""
        written = 0
        for label, rows in batch.nodes.items():
            written += self.upsert_nodes(label, rows)
        for rel in batch.rels:
            written += self.upsert_rels(rel.type, rel.from_label, rel.to_label, rel.rows)
        if batch.replaces is not None:
            self._drop_stale(batch)
        return written

    def _drop_stale(self, batch: GraphBatch) -> None:
        source = batch.replaces
        kept: dict[tuple[str, str, str], set[tuple]] = defaultdict(set)
        for rr in batch.rels:
            key = self.schema.rel(rr.type).key
            for row in rr.rows:
                ident = (row["from_id"], row["to_id"], *(row.get(k) or "" for k in key))
                kept[(rr.type, rr.from_label, rr.to_label)].add(ident)
        for rel in self.schema.rels:
            for a, b in rel.endpoints:
                stale = [
                    {"from_id": r["from_id"], "to_id": r["to_id"]}
                    for r in self.run(statements.source_rels(rel, a, b), {"source": source})
                    if (r["from_id"], r["to_id"], *(r[k] or "" for k in rel.key))
                    not in kept[(rel.type, a, b)]
                ]
                if stale:
                    self.run(
                        statements.delete_source_rels(rel, a, b), {"source": source, "pairs": stale}
                    )
        for kind in self.schema.nodes:
            ids = [row["id"] for row in batch.nodes.get(kind.label, [])]
            self.run(statements.delete_stale_nodes(kind), {"source": source, "ids": ids})

    def delete_nodes(self, label: str, ids: Iterable[str]) -> None:
        """Delete the nodes of ``label`` with these ids, and their relationships."""
        self.run(statements.delete_nodes(self.schema.node(label)), {"ids": list(ids)})

    def _raise_missing(
        self, rel: RelKind, from_label: str, to_label: str, batch: Sequence[Row]
    ) -> None:
        missing: list[str] = []
        for label, key in ((from_label, "from_id"), (to_label, "to_id")):
            wanted = sorted({row[key] for row in batch})
            found = {
                r["id"]
                for r in self.run(
                    f"UNWIND $ids AS i MATCH (n:{label} {{id: i}}) RETURN n.id AS id",
                    {"ids": wanted},
                )
            }
            missing += [f"{label} {i!r}" for i in wanted if i not in found]
        shown = ", ".join(missing[:10]) + (" ..." if len(missing) > 10 else "")
        raise SchemaError(
            f"{rel.type}: {len(missing)} endpoint(s) are not in the graph: {shown}; "
            "load those nodes first (or fix the names that point to them)"
        )


def _chunks(rows: Iterable[Mapping[str, Any]], size: int) -> Iterator[list[Mapping[str, Any]]]:
    chunk: list[Mapping[str, Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _written(result: list[Row]) -> int:
    return int(result[0]["written"]) if result else 0


class GraphStore(ABC):
    """A graph database holding the chainkg schema.

    Construction does no I/O; ``open()`` (or ``with store:``) connects, creates
    the database on first use and makes sure the schema exists.
    """

    dialect: str = ""
    schema: Schema = SCHEMA

    @property
    @abstractmethod
    def location(self) -> str:
        """Where the graph lives, for messages (a folder or a URI and database)."""

    @abstractmethod
    def open(self) -> None:
        """Connect or open, creating the database and schema if they do not exist (idempotent)."""

    @abstractmethod
    def close(self) -> None:
        """Release connections and locks; the store may be opened again."""

    @abstractmethod
    def read(self, query: Cypher | str, params: Mapping[str, Any] | None = None) -> list[Row]:
        """Run a read-only statement and return its rows as plain Python values."""

    def disk_token(self) -> str | None:
        """A text that changes whenever any process writes the graph (files' size and time),
        where the store can tell; None otherwise (a server: see ``sees_all_writes``)."""
        return None

    #: Whether the engine names a node's row in its table (``offset(id(n))``, LadybugDB):
    #: the projection then reads relationship ends as integers instead of id strings.
    node_offsets = False

    def read_columns(
        self, query: Cypher | str, columns: Sequence[str], params: Mapping[str, Any] | None = None
    ) -> Any:
        """Run a read-only statement and return its answer as a ``pyarrow.Table`` with the
        given ``columns`` (a bulk read for the projection). This default goes through
        ``read``'s rows; the embedded store hands over the engine's Arrow result instead."""
        import pyarrow as pa

        rows = self.read(query, params)
        if not rows:
            return pa.table({c: pa.nulls(0) for c in columns})
        return pa.table({c: pa.array([r[c] for r in rows]) for c in columns})

    @abstractmethod
    def transaction(self) -> AbstractContextManager[Transaction]:
        """A write transaction; leaving the block commits, an exception rolls everything back."""

    @abstractmethod
    def ensure_schema(self) -> None:
        """Create the tables, constraints and indexes the schema needs (idempotent)."""

    def __enter__(self) -> GraphStore:
        self.open()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def bulk_upsert_nodes(
        self, label: str, rows: Iterable[Mapping[str, Any]], *, batch_size: int = 20_000
    ) -> int:
        """Upsert many nodes in successive transactions (fast, not atomic as a whole)."""
        return sum(
            self._in_transaction(
                lambda tx, c: tx.upsert_nodes(label, c, batch_size=batch_size), chunk
            )
            for chunk in _chunks(rows, batch_size)
        )

    def bulk_upsert_rels(
        self,
        rel_type: str,
        from_label: str,
        to_label: str,
        rows: Iterable[Mapping[str, Any]],
        *,
        batch_size: int = 20_000,
    ) -> int:
        """Upsert many relationships in successive transactions (fast, not atomic as a whole)."""
        return sum(
            self._in_transaction(
                lambda tx, c: tx.upsert_rels(
                    rel_type, from_label, to_label, c, batch_size=batch_size
                ),
                chunk,
            )
            for chunk in _chunks(rows, batch_size)
        )

    def _in_transaction(self, write: Any, chunk: list[Mapping[str, Any]]) -> int:
        with self.transaction() as tx:
            return write(tx, chunk)

    def counts(self) -> GraphCounts:
        """How many nodes of each label and relationships of each type the graph holds."""
        nodes: dict[str, int] = {}
        rels: dict[str, int] = {}
        for kind, name, statement in statements.all_count_statements(self.schema):
            n = int(self.read(statement)[0]["n"])
            (nodes if kind == "node" else rels)[name] = n
        return GraphCounts(nodes, rels)

    def export(self) -> ExportedGraph:
        """The whole graph, every property, in a total order: equal graphs export equal."""
        out = ExportedGraph()
        for kind in self.schema.nodes:
            out.nodes[kind.label] = self.read(statements.export_nodes(kind))
        for rel in self.schema.rels:
            for a, b in rel.endpoints:
                out.rels[(rel.type, a, b)] = self.read(statements.export_rels(rel, a, b))
        return out

    def clear(self) -> None:
        """Delete every node and relationship (the schema stays)."""
        with self.transaction() as tx:
            for kind in self.schema.nodes:
                tx.run(f"MATCH (n:{kind.label}) DETACH DELETE n")

    def full_import_blocker(self) -> str | None:
        """Why ``full_import`` cannot replace this graph here; None when it can."""
        return f"{type(self).__name__} has no offline bulk import"

    def full_import(
        self,
        nodes: Iterable[tuple[str, Iterable[Row]]],
        rels: Iterable[tuple[str, str, str, Iterable[Row]]],
        *,
        total: int = 0,
        progress: Callable[[str, int, int], None] | None = None,
    ) -> GraphCounts:
        """Replace the whole graph with ``nodes`` ((label, rows)) and ``rels`` ((type, from
        label, to label, rows)) by an offline bulk import; returns the rows imported.

        Only where ``full_import_blocker()`` is None; StoreError otherwise.
        """
        raise StoreError(self.full_import_blocker() or "no offline bulk import")

    def node_kind(self, label: str) -> NodeKind:
        """The schema's node kind ``label`` (SchemaError if unknown)."""
        return self.schema.node(label)

    # -- traversal (subgraph extraction) -------------------------------------------------

    @property
    def generation(self) -> int:
        """A counter that changes whenever a write transaction of this store object commits.

        Read caches key on it; it counts every write to the graph only when
        ``sees_all_writes`` (no other process can write the same graph).
        """
        return getattr(self, "_generation", 0)

    #: Whether ``generation`` changes on every write to the graph. False where other
    #: processes may write the same graph (a database server).
    sees_all_writes: bool = False
    #: Whether ``neighbours`` runs one statement per id (``{id: $id}``) rather than one for
    #: all ids (``UNWIND $ids``): for engines that look a key up only for a single value.
    hop_one_id_at_a_time: bool = False

    def _read_per_id(self, make: Callable[[bool], Cypher | None], ids: list[str]) -> list[Row]:
        """Rows of the statement ``make(one_id)`` for ``ids``, the way this store runs it best."""
        statement = make(self.hop_one_id_at_a_time)
        if statement is None or not ids:
            return []
        if not self.hop_one_id_at_a_time:
            return self.read(statement, {"ids": ids})
        rows: list[Row] = []
        for node_id in ids:
            rows += self.read(statement, {"id": node_id})
        return rows

    def _committed(self) -> None:
        """Record a committed write (stores call it after every commit)."""
        self._generation = self.generation + 1

    def node_labels(
        self, ids: Iterable[str], labels: Sequence[str] | None = None
    ) -> dict[str, str]:
        """The label of each node whose id is given (ids not in the graph are left out).

        ``labels`` limits the search to those labels (default: all; each costs a lookup).
        """
        wanted = list(dict.fromkeys(ids))
        if not wanted:
            return {}
        searched = tuple(labels) if labels else tuple(n.label for n in self.schema.nodes)
        rows = self.read(statements.node_labels(searched), {"ids": wanted})
        return {r["id"]: r["label"] for r in rows}

    def nodes_by_id(self, label: str, ids: Iterable[str]) -> list[Row]:
        """The ``label`` nodes with these ids, every schema property (None where unset)."""
        wanted = list(dict.fromkeys(ids))
        if not wanted:
            return []
        return self.read(statements.nodes_by_id(self.schema.node(label)), {"ids": wanted})

    def neighbours(
        self,
        label: str,
        ids: Iterable[str],
        *,
        outgoing: bool,
        rel_type: str | None = None,
        other_label: str | None = None,
    ) -> list[Row]:
        """The relationships leaving (``outgoing``) or entering the ``label`` nodes with these ids.

        With ``rel_type`` and ``other_label``: only those relationships to or from
        ``other_label`` nodes; without: all of them. Rows (unordered): ``seed_id``,
        ``type``, ``other_id``, ``other_label``, ``rel`` (the relationship's schema
        properties, None where unset).
        """
        wanted = list(dict.fromkeys(ids))
        kind = self.schema.node(label)
        if rel_type is None:
            rows = self._read_per_id(
                lambda one: statements.all_neighbours(kind, self.schema.rels, outgoing, one),
                wanted,
            )
            return [_neighbour_row(self.schema, r, r["type"], r["other_label"]) for r in rows]
        if other_label is None:
            raise SchemaError("neighbours: give other_label together with rel_type")
        rel = self.schema.rel(rel_type)
        other = self.schema.node(other_label)
        statements.typed_neighbours(kind, rel, other, outgoing)  # SchemaError for a wrong pair
        rows = self._read_per_id(
            lambda one: statements.typed_neighbours(kind, rel, other, outgoing, one), wanted
        )
        return [_neighbour_row(self.schema, r, rel_type, other_label) for r in rows]


def _neighbour_row(schema: Schema, row: Row, rel_type: str, other_label: str) -> Row:
    rel = schema._by_type.get(rel_type)
    props = {p.name: row.get(p.name) for p in rel.all_props} if rel is not None else {}
    return {
        "seed_id": row["seed_id"],
        "type": rel_type,
        "other_id": row["other_id"],
        "other_label": other_label,
        "rel": props,
    }
