"""A read projection saved to a folder once and mapped into memory by several processes.

``chainkg serve --workers N --read-only`` builds the projection in the parent process and
saves it here before the workers start (uvicorn starts them with ``spawn``, so nothing built
before is inherited); each worker then maps the numpy arrays (CSR, code matrices: most of the
bytes) read-only from the same files, shared through the page cache, and unpickles the
Python part (ids, distinct values). The projection keeps the store's ``disk_token``: a
worker whose graph files changed since builds its own (``ProjectionHolder``).
"""

from __future__ import annotations

import bisect
import json
import mmap
import pickle
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from chainkg.graph.projection import COMPACT_OVER, ArrowValues, Column, Projection, Table

ARRAYS = (
    "label",
    "rank",
    "row",
    "src",
    "dst",
    "type",
    "rel_row",
    "product",
    "out_ptr",
    "out_edges",
    "in_ptr",
    "in_edges",
)


class ArrowList(Sequence[Any]):
    """A list read from an Arrow array mapped from a file (ids): nothing unpickled at load,
    ~1 us per item read."""

    def __init__(self, array: pa.Array) -> None:
        self.array = array

    def __len__(self) -> int:
        return len(self.array)

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return self.array[i].to_pylist()
        return self.array[i].as_py()

    def __eq__(self, other: object) -> bool:
        return list(self) == list(other) if isinstance(other, Sequence) else NotImplemented


class IdValues(Sequence[Any]):
    """A label's ``id`` column values (index 0: None) as a view of the projection's ids: its
    nodes are numbered ``start``, ``start + 1``, ... in row order (``build_projection``)."""

    def __init__(self, ids: Sequence[str], start: int, count: int) -> None:
        self.ids, self.start, self.count = ids, start, count

    def __len__(self) -> int:
        return self.count + 1

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        if not 0 <= i <= self.count:
            raise IndexError(i)
        return None if i == 0 else self.ids[self.start + i - 1]


class SortedIndex(Mapping[str, int]):
    """id -> node number by binary search over the ids in sorted order (the inverse of the
    projection's ``rank``): nothing to build at load where a dict of a million ids took ~1 s;
    ~20 us per lookup."""

    def __init__(self, ids: Sequence[str], rank: np.ndarray) -> None:
        order = np.empty(len(rank), dtype=np.int64)
        order[rank] = np.arange(len(rank), dtype=np.int64)
        self._ids = ids
        self._order = order.tolist()

    def _find(self, key: object) -> int:
        if not isinstance(key, str):
            return -1
        ids, order = self._ids, self._order
        i = bisect.bisect_left(order, key, key=lambda n: ids[n])
        return order[i] if i < len(order) and ids[order[i]] == key else -1

    def __getitem__(self, key: str) -> int:
        node = self._find(key)
        if node < 0:
            raise KeyError(key)
        return node

    def __contains__(self, key: object) -> bool:
        return self._find(key) >= 0

    def __len__(self) -> int:
        return len(self._order)

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)


@dataclass(frozen=True)
class _Saved:
    """In the pickle, a column's distinct values kept elsewhere: ``("ids", start)`` a view of
    the ids, ``("arrow", file)`` an Arrow array in its own file."""

    kind: str
    ref: Any


def _write_arrow(folder: Path, name: str, array: pa.Array) -> str:
    file = f"{name}.arrow"
    table = pa.table({"v": array})
    with pa.OSFile(str(folder / file), "wb") as sink, pa.ipc.new_file(sink, table.schema) as w:
        w.write_table(table)
    return file


def _read_arrow(folder: Path, file: str) -> pa.Array:
    source = pa.memory_map(str(folder / file), "r")  # zero-copy: the array reads the mapping
    return pa.ipc.open_file(source).get_batch(0).column(0)


def _arrow_of(values: list[Any]) -> pa.Array | None:
    """A long list of distinct numbers as an Arrow array (None when not all of one type:
    an int must come back an int, a float a float)."""
    kinds = {type(v) for v in values[1:]}
    if len(values) <= COMPACT_OVER or len(kinds) != 1 or kinds - {int, float}:
        return None
    return pa.array(values[1:], pa.float64() if float in kinds else pa.int64())


def _columns_out(
    columns: dict[str, dict[str, Column]], starts: Mapping[str, int], folder: Path, kind: str
) -> tuple[dict[str, dict[str, Any]], dict[int, _Saved]]:
    """The columns with large distinct-value lists replaced by ``_Saved`` references, and
    those references by ``id()`` of the values object (the tables' ``plain`` share them)."""
    out: dict[str, dict[str, Any]] = {}
    saved: dict[int, _Saved] = {}
    for owner, cols in columns.items():
        out[owner] = {}
        for name, column in cols.items():
            values = column.values
            ref: _Saved | None = None
            if name == "id" and owner in starts:
                ref = _Saved("ids", starts[owner])
            elif isinstance(values, ArrowValues):
                ref = _Saved("arrow", _write_arrow(folder, f"{kind}-{owner}-{name}", values.array))
            elif isinstance(values, list) and (array := _arrow_of(values)) is not None:
                ref = _Saved("arrow", _write_arrow(folder, f"{kind}-{owner}-{name}", array))
            if ref is None:
                out[owner][name] = column
                continue
            saved[id(values)] = ref
            out[owner][name] = Column(ref, column.codes)  # type: ignore[arg-type]
    return out, saved


def _save_array(folder: Path, file: str, array: np.ndarray, meta: dict[str, Any]) -> None:
    array = np.ascontiguousarray(array)
    np.save(folder / file, array)
    size = (folder / file).stat().st_size
    meta[file] = [array.dtype.str, list(array.shape), size - array.nbytes]


def _tables_meta(
    tables: dict[str, Table], prefix: str, folder: Path, saved: dict[int, _Saved], arrays: dict
) -> dict:
    meta = {}
    for name, table in tables.items():
        parts = []
        for k, (columns, matrix) in enumerate(table.parts):
            file = f"{prefix}-{len(meta)}-{k}.npy"
            _save_array(folder, file, matrix, arrays)
            parts.append((columns, file))
        plain = [saved.get(id(values), values) for values in table.plain]
        meta[name] = {"names": table.names, "parts": parts, "plain": plain}
    return meta


def _label_starts(p: Projection) -> dict[str, int]:
    """Per label, the number of its first node where its ``id`` column is a view of the ids
    (nodes numbered label by label in row order, as ``build_projection`` does)."""
    starts = {}
    for code, label in enumerate(p.labels):
        first = int(np.searchsorted(p.label, code)) if len(p.label) else 0
        column = p.node_columns[label].get("id")
        count = len(column.values) - 1 if column is not None else -1
        if count < 0 or (count and column.values[1] != p.ids[first]):  # type: ignore[union-attr]
            continue
        if count and column.values[count] != p.ids[first + count - 1]:  # type: ignore[union-attr]
            continue
        starts[label] = first
    return starts


def save_projection(p: Projection, folder: Path | str) -> Path:
    """Write ``p`` to ``folder`` (created; files replaced); returns the folder.

    Laid out to load in a fraction of a second at a million enterprises: numpy arrays in
    ``.npy`` files mapped read-only (their dtype, shape and data offset in ``meta.json``, so a
    load parses no header); ids and large distinct-value columns (names, credit codes,
    revenues) as Arrow files mapped without copying; the rest (small value lists) pickled.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    arrays: dict[str, Any] = {}
    for name in ARRAYS:
        _save_array(folder, f"{name}.npy", getattr(p, name), arrays)
    ids = p.ids.array if isinstance(p.ids, ArrowList) else pa.array(p.ids, pa.large_string())
    ids_file = _write_arrow(folder, "ids", ids)
    node_columns, saved = _columns_out(p.node_columns, _label_starts(p), folder, "node")
    rel_columns, saved_rel = _columns_out(p.rel_columns, {}, folder, "rel")
    saved.update(saved_rel)
    python = {
        "labels": p.labels,
        "types": p.types,
        "products": p.products,
        "node_columns": node_columns,
        "rel_columns": rel_columns,
        "node_tables": _tables_meta(p.node_tables, "node", folder, saved, arrays),
        "rel_tables": _tables_meta(p.rel_tables, "rel", folder, saved, arrays),
    }
    with open(folder / "python.pickle", "wb") as f:
        pickle.dump(python, f, protocol=pickle.HIGHEST_PROTOCOL)
    meta = {
        "generation": p.generation,
        "versions": p.versions,
        "location": p.location,
        "token": p.token,
        "build_seconds": p.build_seconds,
        "ids": ids_file,
        "arrays": arrays,
    }
    (folder / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    return folder


def _mapped(path: Path, spec: list[Any]) -> np.ndarray:
    # A plain read-only ndarray over a mapping of the file (np.load's header parsing cost
    # ~3 ms per file; np.memmap's subclass hooks ~50 us per small indexing call).
    dtype, shape, offset = np.dtype(spec[0]), tuple(spec[1]), spec[2]
    count = int(np.prod(shape)) if shape else 1
    with open(path, "rb") as f:
        mapping = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    return np.frombuffer(mapping, dtype=dtype, count=count, offset=offset).reshape(shape)


def load_projection(folder: Path | str) -> Projection:
    """The projection saved in ``folder``, its arrays memory-mapped read-only."""
    folder = Path(folder)
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    with open(folder / "python.pickle", "rb") as f:
        python = pickle.load(f)
    arrays = meta["arrays"]
    ids = ArrowList(_read_arrow(folder, meta["ids"]))
    label = _mapped(folder / "label.npy", arrays["label.npy"])
    counts = np.bincount(label, minlength=len(python["labels"])) if len(label) else None
    cache: dict[tuple[_Saved, str], Any] = {}  # a column's values, shared by its table

    def values(v: Any, owner: str) -> Any:
        if not isinstance(v, _Saved):
            return v
        if (v, owner) not in cache:
            if v.kind == "ids":
                count = int(counts[python["labels"].index(owner)]) if counts is not None else 0
                cache[v, owner] = IdValues(ids, v.ref, count)
            else:
                cache[v, owner] = ArrowValues(_read_arrow(folder, v.ref))
        return cache[v, owner]

    def columns(kind: str) -> dict[str, dict[str, Column]]:
        return {
            owner: {name: Column(values(c.values, owner), c.codes) for name, c in cols.items()}
            for owner, cols in python[f"{kind}_columns"].items()
        }

    def tables(kind: str) -> dict[str, Table]:
        return {
            name: Table(
                t["names"],
                [(cols, _mapped(folder / file, arrays[file])) for cols, file in t["parts"]],
                [values(v, name) for v in t["plain"]],
            )
            for name, t in python[f"{kind}_tables"].items()
        }

    mapped = {name: _mapped(folder / f"{name}.npy", arrays[f"{name}.npy"]) for name in ARRAYS}
    p = Projection(
        generation=meta["generation"],
        labels=python["labels"],
        types=python["types"],
        ids=ids,
        index=SortedIndex(ids, mapped["rank"]),
        node_columns=columns("node"),
        products=python["products"],
        rel_columns=columns("rel"),
        versions=meta["versions"],
        location=meta["location"],
        token=meta["token"],
        node_tables=tables("node"),
        rel_tables=tables("rel"),
        **mapped,
    )
    p.build_seconds = meta["build_seconds"]
    return p
