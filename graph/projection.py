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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from chainkg.errors import StoreError
from chainkg.graph import statements
from chainkg.graph.store import GraphStore, Row


class ArrowValues(Sequence[Any]):
    """Distinct values kept as one Arrow array (index 0: None), for columns of more than
    ``COMPACT_OVER`` distinct strings (names, credit codes): ~4x less memory than a Python
    list of str, at ~1 us per value read. A loaded projection also keeps long lists of
    distinct numbers so (graph/projection_file.py)."""

    def __init__(self, array: pa.Array) -> None:
        self.array = array

    def __len__(self) -> int:
        return len(self.array) + 1

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        return None if i == 0 else self.array[i - 1].as_py()


COMPACT_OVER = 2**16


@dataclass
class Column:
    """A dictionary-encoded column: ``values[codes[row]]`` (code 0: None)."""

    values: Sequence[Any]
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


def distinct(values: np.ndarray) -> np.ndarray:
    """The sorted distinct values of an integer array. By sorting: numpy 2.4's ``np.unique``
    hashes, which took 8 s of CPU for 3M int64 keys against 0.07 s for ``np.sort``."""
    s = np.sort(values)
    return s[np.r_[True, s[1:] != s[:-1]]] if len(s) else s


def groups(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(sorted distinct values, the group of each value, each group's first position):
    ``np.unique(values, return_index=True, return_inverse=True)`` by one stable argsort."""
    order = np.argsort(values, kind="stable")
    s = values[order]
    first = np.r_[True, s[1:] != s[:-1]] if len(s) else np.zeros(0, dtype=bool)
    inverse = np.empty(len(values), dtype=np.int64)
    inverse[order] = np.cumsum(first) - 1
    return s[first], inverse, order[first]


def _dtype(distinct: int) -> type:
    return np.uint8 if distinct <= 2**8 else np.uint16 if distinct <= 2**16 else np.uint32


@dataclass
class Table:
    """The columns of one label or relationship type as 2-D code matrices (row x column),
    one per code width (uint8 / uint16 / uint32: a column of a million distinct names does
    not widen the flags beside it): a few numpy calls read a whole row. ``plain`` holds each
    column's distinct values as answers show them (dates as ISO text), index 0 being None."""

    names: list[str]
    parts: list[tuple[list[int], np.ndarray]]
    plain: list[list[Any]]

    def column(self, i: int) -> np.ndarray:
        """The codes of column ``i`` (a view)."""
        for columns, matrix in self.parts:
            if i in columns:
                return matrix[:, columns.index(i)]
        raise KeyError(i)

    @property
    def nbytes(self) -> int:
        """Bytes of the code matrices."""
        return sum(int(m.nbytes) for _, m in self.parts)

    def plain_row(self, row: int) -> dict[str, Any]:
        """The row's set properties other than ``id``, dates as ISO text."""
        out: dict[str, Any] = {}
        names, plain = self.names, self.plain
        for columns, matrix in self.parts:
            for i, c in zip(columns, matrix[row].tolist(), strict=True):
                if c and names[i] != "id":
                    out[names[i]] = plain[i][c]
        return out

    def codes_row(self, row: int) -> list[int]:
        """The row's codes in column order."""
        codes = [0] * len(self.names)
        for columns, matrix in self.parts:
            for i, c in zip(columns, matrix[row].tolist(), strict=True):
                codes[i] = c
        return codes


def _table(columns: dict[str, Column]) -> Table:
    names = list(columns)
    rows = len(next(iter(columns.values())).codes) if columns else 0
    by_width: dict[type, list[int]] = {}
    for i, name in enumerate(names):
        by_width.setdefault(_dtype(len(columns[name].values)), []).append(i)
    parts = []
    for dtype, members in by_width.items():
        matrix = np.zeros((rows, len(members)), dtype=dtype)
        for k, i in enumerate(members):
            matrix[:, k] = columns[names[i]].codes
        parts.append((members, matrix))
    plain = [
        [v.isoformat() if isinstance(v, dt.date) else v for v in columns[name].values]
        if isinstance(columns[name].values, list)
        and any(isinstance(v, dt.date) for v in columns[name].values[1:2])
        else columns[name].values
        for name in names
    ]
    return Table(names, parts, plain)


@dataclass
class Projection:
    """The graph as arrays (see the module doc); built by ``build_projection``."""

    generation: int
    labels: list[str]
    types: list[str]
    ids: Sequence[str]  # a list when built; mapped Arrow when loaded (graph/projection_file.py)
    index: Mapping[str, int]
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
    versions: str = ""
    location: str = ""
    token: str | None = None  # the store's disk_token() when read (see GraphStore)
    built_at: float = field(default_factory=time.monotonic)
    build_seconds: float = 0.0
    node_tables: dict[str, Table] = field(default_factory=dict)
    rel_tables: dict[str, Table] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.node_tables or self.rel_tables:  # given (read back from a file)
            return
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
        codes = table.codes_row(int(self.row[node]))
        return {name: columns[name].values[c] for name, c in zip(table.names, codes, strict=True)}

    # -- columnar access for aggregates (queries/projected.py) ---------------------------------

    def _decoded(self, key: tuple[str, str, str], make: Any) -> np.ndarray:
        cache = self.__dict__.setdefault("_decoded_cache", {})
        if key not in cache:
            cache[key] = make()
        return cache[key]

    def _column(self, kind: str, owner: str, name: str) -> tuple[Table, int, Column]:
        tables = self.node_tables if kind == "node" else self.rel_tables
        columns = self.node_columns if kind == "node" else self.rel_columns
        table = tables[owner]
        return table, table.names.index(name), columns[owner][name]

    def codes(self, kind: str, owner: str, name: str) -> tuple[np.ndarray, list[Any]]:
        """(codes per row, distinct values) of a node (``kind`` "node", ``owner`` a label) or
        relationship ("rel", a type) property: ``values[codes[row]]``, code 0 being None."""
        table, i, column = self._column(kind, owner, name)
        return table.column(i), column.values

    def numbers(self, kind: str, owner: str, name: str) -> np.ndarray:
        """A numeric property per row as float64, NaN where unset."""

        def make() -> np.ndarray:
            codes, values = self.codes(kind, owner, name)
            if isinstance(values, ArrowValues):  # no None past index 0: one vector cast
                known = values.array.to_numpy(zero_copy_only=False).astype(np.float64)
                return np.concatenate([[np.nan], known])[codes]
            lut = np.array([np.nan if v is None else float(v) for v in values], dtype=np.float64)
            return lut[codes]

        return self._decoded((kind, owner, name), make)

    def flags(self, kind: str, owner: str, name: str) -> np.ndarray:
        """A boolean property per row as int8: 1 true, 0 false, -1 unset."""

        def make() -> np.ndarray:
            codes, values = self.codes(kind, owner, name)
            lut = np.array([-1 if v is None else int(bool(v)) for v in values], dtype=np.int8)
            return lut[codes]

        return self._decoded((kind, owner, f"{name}?"), make)

    def edges_of(self, rel_type: str) -> np.ndarray:
        """The relationship numbers of one type (in their rows' order)."""
        code = self.types.index(rel_type)
        return self._decoded(("edges", rel_type, ""), lambda: np.flatnonzero(self.type == code))

    def gather(self, nodes: np.ndarray, outgoing: bool) -> tuple[np.ndarray, np.ndarray]:
        """All relationships leaving (``outgoing``) or entering ``nodes``, and for each the
        node of ``nodes`` it belongs to: a gather over the CSR arrays, so the work follows
        those nodes' degree, not the graph's size."""
        ptr, by_node = (self.out_ptr, self.out_edges) if outgoing else (self.in_ptr, self.in_edges)
        nodes = np.asarray(nodes, dtype=np.int64)
        starts = ptr[nodes]
        counts = ptr[nodes + 1] - starts
        total = int(counts.sum())
        if not total:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        ends = np.cumsum(counts)
        e = by_node[np.repeat(starts - ends + counts, counts) + np.arange(total)]
        return e, np.repeat(nodes, counts)

    def incident(self, nodes: np.ndarray, rel_type: str, outgoing: bool) -> np.ndarray:
        """The ``rel_type`` relationships leaving (``outgoing``) or entering ``nodes``."""
        e, _ = self.gather(nodes, outgoing)
        return e[self.type[e] == self.types.index(rel_type)]

    def node_fields(self, node: int, fields: Iterable[str]) -> Row:
        """Some properties of node ``node`` (None where unset), as a store row."""
        label = self.labels[self.label[node]]
        table, columns, row = self.node_tables[label], self.node_columns[label], self.row[node]
        return {f: columns[f].values[int(table.column(table.names.index(f))[row])] for f in fields}

    def nodes_of(self, label: str) -> np.ndarray:
        """The node numbers of one label, by row."""
        code = self.labels.index(label)
        return self._decoded(("nodes", label, ""), lambda: np.flatnonzero(self.label == code))

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
            total += table.nbytes
        return total


def _encode(array: pa.ChunkedArray | pa.Array) -> Column:
    """Dictionary-encode one column read in bulk (arrow's hash encoder, in C++); list
    columns, which it cannot encode, go through the Python builder."""
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    if pa.types.is_list(array.type) or pa.types.is_large_list(array.type):
        builder = _ColumnBuilder()
        builder.add_all(array.to_pylist())
        return builder.build()
    if pa.types.is_null(array.type) or len(array) == 0:
        return Column([None], np.zeros(len(array), dtype=np.uint8))
    encoded = array.dictionary_encode()
    string = pa.types.is_string(array.type) or pa.types.is_large_string(array.type)
    values: Sequence[Any] = (
        ArrowValues(encoded.dictionary)
        if string and len(encoded.dictionary) > COMPACT_OVER
        else [None, *encoded.dictionary.to_pylist()]
    )
    codes = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False).astype(np.int64) + 1
    n = len(values)
    dtype = np.uint8 if n <= 2**8 else np.uint16 if n <= 2**16 else np.uint32
    return Column(values, codes.astype(dtype))


def _text(array: pa.ChunkedArray | pa.Array) -> pa.Array:
    """A column as strings ("" for null), for the product key."""
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    if not pa.types.is_string(array.type) and not pa.types.is_large_string(array.type):
        array = (
            pc.cast(array, pa.string())
            if not pa.types.is_null(array.type)
            else (pa.nulls(len(array), pa.string()))
        )
    return pc.fill_null(array.cast(pa.large_string()), "")


def _numbers(ends: pa.ChunkedArray, all_ids: pa.Array) -> np.ndarray:
    """Node numbers of relationship ends given as ids (-1 where unknown): one hash lookup."""
    found = pc.index_in(ends.cast(pa.large_string()), value_set=all_ids)
    return pc.fill_null(found, -1).to_numpy(zero_copy_only=False).astype(np.int32)


def _csr(keys: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    order = np.argsort(keys, kind="stable").astype(np.int32)
    ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(keys, minlength=n), out=ptr[1:])
    return ptr, order


def build_projection(store: GraphStore, *, versions: str | None = None) -> Projection:
    """Read the whole graph of ``store`` (open) into a Projection tagged with its generation
    and ``versions``: the fingerprint of the list versions in force
    (``graph.versions.versions_in_force(store).fingerprint``, read here when None). For an
    as-of copy (``graph_as_of``) pass the fingerprint at that date: the copy's own version
    list still names the versions in force now.

    Each label and each relationship type (per endpoint pair) is one query read as columns
    (``GraphStore.read_columns``: Arrow straight from the embedded engine); columns are
    dictionary-encoded by Arrow and relationship ends are turned into node numbers with one
    hash lookup over all ids (``pyarrow.compute.index_in``): no Python object per row.
    """
    from chainkg.graph.versions import versions_in_force

    started = time.perf_counter()
    generation = store.generation  # read first: a write during the build makes it stale
    if versions is None:
        versions = versions_in_force(store).fingerprint
    schema = store.schema
    labels = [k.label for k in schema.nodes]
    types = [r.type for r in schema.rels]
    id_parts: list[pa.Array] = []
    label_codes: list[np.ndarray] = []
    rows_in_label: list[np.ndarray] = []
    node_columns: dict[str, dict[str, Column]] = {}
    offsets = store.node_offsets
    where: dict[str, np.ndarray] = {}  # label -> node number by engine offset (offsets only)
    base = 0
    for code, kind in enumerate(schema.nodes):
        names = [p.name for p in kind.all_props]
        table = store.read_columns(
            statements.node_table(kind, offsets), ["_offset", *names] if offsets else names
        )
        count = table.num_rows
        node_columns[kind.label] = {name: _encode(table.column(name)) for name in names}
        id_parts.append(table.column("id").combine_chunks().cast(pa.large_string()))
        if offsets:
            found = table.column("_offset").to_numpy()
            lookup = np.full(int(found.max()) + 1 if count else 0, -1, dtype=np.int32)
            lookup[found] = base + np.arange(count, dtype=np.int32)
            where[kind.label] = lookup
        label_codes.append(np.full(count, code, dtype=np.int8))
        rows_in_label.append(np.arange(count, dtype=np.int32))
        base += count
        del table
    all_ids = pa.concat_arrays(id_parts) if id_parts else pa.array([], pa.large_string())
    del id_parts
    ids: list[str] = all_ids.to_pylist()
    n = len(ids)
    index = dict(zip(ids, range(n), strict=True))
    if len(index) != n:
        raise StoreError(
            f"{store.location} holds {n - len(index)} node ids under more than one label; "
            "a projection needs ids unique across labels"
        )
    # A label's id column shares the str objects of ``ids`` (ids are unique: code = row + 1).
    start = 0
    for kind, codes in zip(schema.nodes, label_codes, strict=True):
        count = len(codes)
        node_columns[kind.label]["id"] = Column(
            [None, *ids[start : start + count]], np.arange(1, count + 1, dtype=np.uint32)
        )
        start += count
    label = np.concatenate(label_codes) if label_codes else np.zeros(0, np.int8)
    row = np.concatenate(rows_in_label) if rows_in_label else np.zeros(0, np.int32)
    rank = np.empty(n, dtype=np.int32)
    # Arrow sorts strings by their UTF-8 bytes: code point order, as Python and the stores.
    rank[pc.sort_indices(all_ids).to_numpy()] = np.arange(n, dtype=np.int32)

    src_parts: list[np.ndarray] = []
    dst_parts: list[np.ndarray] = []
    rel_type: list[np.ndarray] = []
    rel_rows: list[np.ndarray] = []
    product_parts: list[tuple[list[str], np.ndarray]] = []
    rel_columns: dict[str, dict[str, Column]] = {}
    has_product = {r.type: any(p.name == "product" for p in r.all_props) for r in schema.rels}
    for code, rel in enumerate(schema.rels):
        names = ["from_id", "to_id", *(p.name for p in rel.all_props)]
        ends: list[tuple[np.ndarray, np.ndarray]] = []
        tables = []
        for a, b in rel.endpoints:
            t = store.read_columns(statements.rel_table(rel, a, b, offsets), names)
            if offsets:
                ends.append(
                    (
                        where[a][t.column("from_id").to_numpy()],
                        where[b][t.column("to_id").to_numpy()],
                    )
                )
            else:
                ends.append(
                    (_numbers(t.column("from_id"), all_ids), _numbers(t.column("to_id"), all_ids))
                )
            tables.append(t.drop_columns(["from_id", "to_id"]))
        table = pa.concat_tables(tables, promote_options="permissive")
        del tables
        count = table.num_rows
        src_parts.append(np.concatenate([x for x, _ in ends]).astype(np.int32))
        dst_parts.append(np.concatenate([y for _, y in ends]).astype(np.int32))
        if count and min(src_parts[-1].min(), dst_parts[-1].min()) < 0:
            raise StoreError(
                f"{store.location}: a {rel.type} relationship ends at a node the "
                "projection did not read; rebuild it"
            )
        if has_product[rel.type]:
            encoded = _text(table.column("product")).dictionary_encode()
            product_parts.append(
                (encoded.dictionary.to_pylist(), encoded.indices.to_numpy(zero_copy_only=False))
            )
        else:
            product_parts.append(([""], np.zeros(count, dtype=np.int32)))
        rel_columns[rel.type] = {p.name: _encode(table.column(p.name)) for p in rel.all_props}
        rel_type.append(np.full(count, code, dtype=np.int16))
        rel_rows.append(np.arange(count, dtype=np.int32))
        del table
    # Products (SUPPLIES' key, "" when unset) as ranks in sorted order, for hop ordering.
    products = sorted({""}.union(*(distinct for distinct, _ in product_parts)))
    position = {text: i for i, text in enumerate(products)}
    product = (
        np.concatenate(
            [
                np.asarray([position[t] for t in distinct], dtype=np.int32)[codes]
                for distinct, codes in product_parts
            ]
        )
        if product_parts
        else np.zeros(0, np.int32)
    )
    src_a = np.concatenate(src_parts) if src_parts else np.zeros(0, np.int32)
    dst_a = np.concatenate(dst_parts) if dst_parts else np.zeros(0, np.int32)
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
        product=product.astype(np.int32),
        products=products,
        rel_columns=rel_columns,
        out_ptr=out_ptr,
        out_edges=out_edges,
        in_ptr=in_ptr,
        in_edges=in_edges,
        versions=versions,
        location=store.location,
        token=store.disk_token(),
    )
    projection.build_seconds = time.perf_counter() - started
    return projection


class ProjectionHolder:
    """The process's projection of one store, rebuilt when the store's graph changed.

    Where the store sees every write (``sees_all_writes``: the embedded store), a
    projection is current while its generation equals the store's; elsewhere (a
    Neo4j server other processes may write) it is used only with ``ttl`` > 0 and
    rebuilt once older than that many seconds. An embedded store's projection is the one
    saved beside its graph (graph/projection_cache.py) when current, and a rebuilt one is
    saved there for later processes. One build at a time; requests
    during a rebuild wait for it. A holder serves the first store it is asked about;
    any other (e.g. a temporary as-of copy, graph/versions.py ``graph_as_of``) gets None,
    so that a read of another graph never evicts the projection of the live one.
    """

    def __init__(self, ttl: float = 0.0, file: str | None = None) -> None:
        self.ttl = ttl
        self.file = file  # a projection saved by another process (save_projection), if any
        self._projection: Projection | None = None
        self._location: str | None = None
        self._lock = threading.Lock()

    def enabled_for(self, store: GraphStore) -> bool:
        """Whether reads from ``store`` may be answered from a projection."""
        if self._location is not None and store.location != self._location:
            return False
        return store.sees_all_writes or self.ttl > 0

    def _current(self, store: GraphStore, p: Projection | None) -> bool:
        if p is None:
            return False
        if store.sees_all_writes:
            # The token (the graph files' size and time) also changes when another process
            # wrote, which this store object's generation does not count.
            return p.generation == store.generation and p.token == store.disk_token()
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
                p = self._from_file(store) or self._persisted(store) or build_projection(store)
                self._projection = p
                self._location = store.location
        return p

    @staticmethod
    def _persisted(store: GraphStore) -> Projection | None:
        """The projection saved beside an embedded graph (built and saved when out of date,
        graph/projection_cache.py): one build serves later processes and restarts too."""
        if not store.sees_all_writes:
            return None
        from chainkg.graph.projection_cache import cached_projection

        return cached_projection(store)

    def _from_file(self, store: GraphStore) -> Projection | None:
        """The projection in ``file`` when it was read from this graph as it is now."""
        if not self.file:
            return None
        from chainkg.graph.projection_file import load_projection

        try:
            p = load_projection(self.file)
        except FileNotFoundError:
            # The saved projection (graph/projection_cache.py) was replaced by a newer one
            # after a write: this graph is not the one it was read from.
            return None
        p.generation = store.generation  # this process's counter; the token says it is current
        return p if p.location == store.location and self._current(store, p) else None

    def invalidate(self) -> None:
        """Drop the projection (the next ``get`` builds a new one)."""
        self._projection = None
