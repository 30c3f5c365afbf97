"""A read projection of the graph: CSR adjacency and columnar attributes in memory.

The idea of Neo4j GDS graph projections: the whole graph read once from a store
(either: only schema-generated ``$parameter`` Cypher through ``GraphStore.read``)
into compact arrays, so that reads which walk many relationships (subgraph
extraction) run over numpy arrays instead of one store query per hop and label.
The stores stay the source of truth: a projection is tagged with the store's
``generation`` when it was read, and ``ProjectionHolder`` rebuilds it when the
store has committed a write since (or, for stores that may be written by other
processes, when it is older than a TTL).

Layout (n nodes, m relationships):
- nodes: ``ids`` (list, index = node number), ``label`` (int8 code per node),
  ``rank`` (int32: the node's position in id order, for sorting like the stores'
  ``ORDER BY id``), ``row`` (int32: its row in its label's columns); ``index`` maps
  id -> node number.
- relationships: ``src``, ``dst`` (int32 node numbers), ``type`` (int16 code),
  ``row`` (int32: row in its type's columns), ``product`` (int32: rank of the
  ``product`` property in sorted order, "" when unset; SUPPLIES' key).
- CSR both ways: ``out_ptr``/``out_edges`` and ``in_ptr``/``in_edges``: the
  relationship numbers leaving / entering node i are ``*_edges[ptr[i]:ptr[i+1]]``.
- columns per label and per relationship type, dictionary-encoded: ``values``
  (distinct values, 0 = None) and ``codes`` (uint8/16/32 per row).

Numpy CSR arrays rather than scipy.sparse or rustworkx: the walk needs, per hop,
the relationship *numbers* (to reach their type, product and columns) sorted in
the stores' order, which is a gather over ``ptr``/``edges`` and one ``lexsort``;
a scipy CSR matrix would hold the same two arrays (and sum duplicate pairs, which
SUPPLIES has, one per product), and rustworkx keeps a Python object per edge
(see docs/projection.md for the measurements).
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from chainkg.errors import StoreError
from chainkg.graph import statements
from chainkg.graph.copy import start_ids
from chainkg.graph.schema import NodeKind, RelKind
from chainkg.graph.store import GraphStore, Row

PAGE = 50_000


@dataclass
class Column:
    """A dictionary-encoded column: ``values[codes[row]]`` (code 0: None)."""

    values: list[Any]
    codes: np.ndarray

    @property
    def nbytes(self) -> int:
        """Bytes of the codes array (the distinct values are counted apart)."""
        return int(self.codes.nbytes)


class _ColumnBuilder:
    def __init__(self) -> None:
        self.values: list[Any] = [None]
        self.lookup: dict[Any, int] = {}
        self.codes: list[int] = []

    def add_all(self, values: Iterable[Any]) -> None:
        lookup, out, distinct = self.lookup, self.codes, self.values
        for v in values:
            if v is None:
                out.append(0)
                continue
            key = (type(v), tuple(v)) if isinstance(v, list) else (type(v), v)
            code = lookup.get(key)
            if code is None:
                code = lookup[key] = len(distinct)
                distinct.append(v)
            out.append(code)

    def build(self) -> Column:
        n = len(self.values)
        dtype = np.uint8 if n <= 2**8 else np.uint16 if n <= 2**16 else np.uint32
        return Column(self.values, np.asarray(self.codes, dtype=dtype))


@dataclass
class Table:
    """The columns of one label or relationship type as one 2-D code matrix (row x column):
    one numpy call reads a whole row. ``plain`` holds each column's distinct values as
    answers show them (dates as ISO text), index 0 being None."""

    names: list[str]
    codes: np.ndarray
    plain: list[list[Any]]

    def plain_row(self, row: int) -> dict[str, Any]:
        """The row's set properties other than ``id``, dates as ISO text."""
        return {
            self.names[i]: self.plain[i][c]
            for i, c in enumerate(self.codes[row].tolist())
            if c and self.names[i] != "id"
        }


def _table(columns: dict[str, Column]) -> Table:
    names = list(columns)
    most = max((len(c.values) for c in columns.values()), default=1)
    dtype = np.uint8 if most <= 2**8 else np.uint16 if most <= 2**16 else np.uint32
    rows = len(next(iter(columns.values())).codes) if columns else 0
    codes = np.zeros((rows, len(names)), dtype=dtype)
    for i, name in enumerate(names):
        codes[:, i] = columns[name].codes
    plain = [
        [v.isoformat() if isinstance(v, dt.date) else v for v in columns[name].values]
        for name in names
    ]
    return Table(names, codes, plain)


@dataclass
class Projection:
    """The graph as arrays (see the module doc); built by ``build_projection``."""

    generation: int
    labels: list[str]
    types: list[str]
    ids: list[str]
    index: dict[str, int]
    label: np.ndarray
    rank: np.ndarray
    row: np.ndarray
    node_columns: dict[str, dict[str, Column]]
    src: np.ndarray
    dst: np.ndarray
    type: np.ndarray
    rel_row: np.ndarray
    product: np.ndarray
    products: list[str]
    rel_columns: dict[str, dict[str, Column]]
    out_ptr: np.ndarray
    out_edges: np.ndarray
    in_ptr: np.ndarray
    in_edges: np.ndarray
    built_at: float = field(default_factory=time.monotonic)
    build_seconds: float = 0.0
    node_tables: dict[str, Table] = field(default_factory=dict)
    rel_tables: dict[str, Table] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.node_tables = {k: _table(v) for k, v in self.node_columns.items()}
        self.rel_tables = {k: _table(v) for k, v in self.rel_columns.items()}
        # The per-column codes live on in the tables; keep one copy.
        for columns in (*self.node_columns.values(), *self.rel_columns.values()):
            for column in columns.values():
                column.codes = column.codes[:0]

    def node_plain(self, node: int) -> dict[str, Any]:
        """Node ``node``'s set properties other than ``id``, dates as ISO text (as answers
        show them)."""
        return self.node_tables[self.labels[self.label[node]]].plain_row(int(self.row[node]))

    def rel_plain(self, edge: int) -> dict[str, Any]:
        """Relationship ``edge``'s set properties, dates as ISO text."""
        return self.rel_tables[self.types[self.type[edge]]].plain_row(int(self.rel_row[edge]))

    @property
    def nodes(self) -> int:
        """Number of nodes."""
        return len(self.ids)

    @property
    def relationships(self) -> int:
        """Number of relationships."""
        return int(self.src.shape[0])

    def node_props(self, node: int) -> Row:
        """Every schema property of node number ``node`` (None where unset), as a store row."""
        table = self.node_tables[self.labels[self.label[node]]]
        columns = self.node_columns[self.labels[self.label[node]]]
        codes = table.codes[int(self.row[node])].tolist()
        return {name: columns[name].values[c] for name, c in zip(table.names, codes, strict=True)}

    def array_bytes(self) -> int:
        """Bytes held in numpy arrays (CSR, codes); Python objects (ids, values) not included."""
        arrays = [
            self.label,
            self.rank,
            self.row,
            self.src,
            self.dst,
            self.type,
            self.rel_row,
            self.product,
            self.out_ptr,
            self.out_edges,
            self.in_ptr,
            self.in_edges,
        ]
        total = sum(int(a.nbytes) for a in arrays)
        for table in (*self.node_tables.values(), *self.rel_tables.values()):
            total += int(table.codes.nbytes)
        return total


def _pages(store: GraphStore, kind: NodeKind) -> Iterator[list[Row]]:
    after = ""
    while rows := store.read(statements.node_page(kind), {"after": after, "limit": PAGE}):
        yield rows
        after = rows[-1]["id"]


def _rel_pages(store: GraphStore, rel: RelKind, a: str, b: str) -> Iterator[list[Row]]:
    for after, last in start_ids(store, a, PAGE):
        rows = store.read(statements.rel_page(rel, a, b), {"after": after, "last": last})
        if rows:
            yield rows


def _csr(keys: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    order = np.argsort(keys, kind="stable").astype(np.int32)
    ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(keys, minlength=n), out=ptr[1:])
    return ptr, order


def build_projection(store: GraphStore) -> Projection:
    """Read the whole graph of ``store`` (open) into a Projection tagged with its generation."""
    started = time.perf_counter()
    generation = store.generation  # read first: a write during the build makes it stale
    schema = store.schema
    labels = [k.label for k in schema.nodes]
    types = [r.type for r in schema.rels]
    ids: list[str] = []
    label_codes: list[np.ndarray] = []
    rows_in_label: list[np.ndarray] = []
    node_columns: dict[str, dict[str, Column]] = {}
    for code, kind in enumerate(schema.nodes):
        builders = {p.name: _ColumnBuilder() for p in kind.all_props}
        count = 0
        for page in _pages(store, kind):
            for name, builder in builders.items():
                builder.add_all([r[name] for r in page])
            ids += [r["id"] for r in page]
            count += len(page)
        label_codes.append(np.full(count, code, dtype=np.int8))
        rows_in_label.append(np.arange(count, dtype=np.int32))
        node_columns[kind.label] = {name: b.build() for name, b in builders.items()}
    index = {node_id: i for i, node_id in enumerate(ids)}
    n = len(ids)
    if len(index) != n:
        raise StoreError(
            f"{store.location} holds {n - len(index)} node ids under more than one label; "
            "a projection needs ids unique across labels"
        )
    label = np.concatenate(label_codes) if label_codes else np.zeros(0, np.int8)
    row = np.concatenate(rows_in_label) if rows_in_label else np.zeros(0, np.int32)
    rank = np.empty(n, dtype=np.int32)
    rank[sorted(range(n), key=ids.__getitem__)] = np.arange(n, dtype=np.int32)

    src: list[int] = []
    dst: list[int] = []
    rel_type: list[np.ndarray] = []
    rel_rows: list[np.ndarray] = []
    product_text: list[str] = []
    rel_columns: dict[str, dict[str, Column]] = {}
    for code, rel in enumerate(schema.rels):
        builders = {p.name: _ColumnBuilder() for p in rel.all_props}
        count = 0
        for a, b in rel.endpoints:
            for page in _rel_pages(store, rel, a, b):
                src += [index[r["from_id"]] for r in page]
                dst += [index[r["to_id"]] for r in page]
                product_text += [str(r.get("product") or "") for r in page]
                for name, builder in builders.items():
                    builder.add_all([r[name] for r in page])
                count += len(page)
        rel_type.append(np.full(count, code, dtype=np.int16))
        rel_rows.append(np.arange(count, dtype=np.int32))
        rel_columns[rel.type] = {name: b.build() for name, b in builders.items()}
    products = sorted(set(product_text) | {""})
    product_rank = {p: i for i, p in enumerate(products)}
    src_a = np.asarray(src, dtype=np.int32)
    dst_a = np.asarray(dst, dtype=np.int32)
    out_ptr, out_edges = _csr(src_a, n)
    in_ptr, in_edges = _csr(dst_a, n)
    projection = Projection(
        generation=generation,
        labels=labels,
        types=types,
        ids=ids,
        index=index,
        label=label,
        rank=rank,
        row=row,
        node_columns=node_columns,
        src=src_a,
        dst=dst_a,
        type=np.concatenate(rel_type) if rel_type else np.zeros(0, np.int16),
        rel_row=np.concatenate(rel_rows) if rel_rows else np.zeros(0, np.int32),
        product=np.asarray([product_rank[p] for p in product_text], dtype=np.int32),
        products=products,
        rel_columns=rel_columns,
        out_ptr=out_ptr,
        out_edges=out_edges,
        in_ptr=in_ptr,
        in_edges=in_edges,
    )
    projection.build_seconds = time.perf_counter() - started
    return projection


class ProjectionHolder:
    """The process's projection of one store, rebuilt when the store's graph changed.

    Where the store sees every write (``sees_all_writes``: the embedded store), a
    projection is current while its generation equals the store's; elsewhere (a
    Neo4j server other processes may write) it is used only with ``ttl`` > 0 and
    rebuilt once older than that many seconds. One build at a time; requests
    during a rebuild wait for it.
    """

    def __init__(self, ttl: float = 0.0) -> None:
        self.ttl = ttl
        self._projection: Projection | None = None
        self._lock = threading.Lock()

    def enabled_for(self, store: GraphStore) -> bool:
        """Whether reads from ``store`` may be answered from a projection."""
        return store.sees_all_writes or self.ttl > 0

    def _current(self, store: GraphStore, p: Projection | None) -> bool:
        if p is None:
            return False
        if store.sees_all_writes:
            return p.generation == store.generation
        return time.monotonic() - p.built_at < self.ttl

    def get(self, store: GraphStore) -> Projection | None:
        """The current projection of ``store`` (built now if needed); None where disabled."""
        if not self.enabled_for(store):
            return None
        p = self._projection
        if self._current(store, p):
            return p
        with self._lock:
            p = self._projection
            if not self._current(store, p):
                p = self._projection = build_projection(store)
        return p

    def invalidate(self) -> None:
        """Drop the projection (the next ``get`` builds a new one)."""
        self._projection = None
