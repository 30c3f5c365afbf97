"""A read projection saved to a folder once and mapped into memory by several processes.

``chainkg serve --workers N --read-only`` builds the projection in the parent process and
saves it here before the workers start (uvicorn starts them with ``spawn``, so nothing built
before is inherited); each worker then maps the numpy arrays (CSR, code matrices: most of the
bytes) read-only from the same files, shared through the page cache, and unpickles the
Python part (ids, distinct values). The projection keeps the store's ``disk_token``: a
worker whose graph files changed since builds its own (``ProjectionHolder``).
"""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import numpy as np

from chainkg.graph.projection import Projection, Table

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


def _tables_meta(tables: dict[str, Table], prefix: str, folder: Path) -> dict:
    meta = {}
    for name, table in tables.items():
        parts = []
        for k, (columns, matrix) in enumerate(table.parts):
            file = f"{prefix}-{len(meta)}-{k}.npy"
            np.save(folder / file, np.ascontiguousarray(matrix))
            parts.append((columns, file))
        meta[name] = {"names": table.names, "parts": parts, "plain": table.plain}
    return meta


def save_projection(p: Projection, folder: Path | str) -> Path:
    """Write ``p`` to ``folder`` (created; files replaced); returns the folder."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name in ARRAYS:
        np.save(folder / f"{name}.npy", getattr(p, name))
    python = {
        "labels": p.labels,
        "types": p.types,
        "ids": p.ids,
        "products": p.products,
        "node_columns": p.node_columns,
        "rel_columns": p.rel_columns,
        "node_tables": _tables_meta(p.node_tables, "node", folder),
        "rel_tables": _tables_meta(p.rel_tables, "rel", folder),
    }
    with open(folder / "python.pickle", "wb") as f:
        pickle.dump(python, f, protocol=pickle.HIGHEST_PROTOCOL)
    meta = {
        "generation": p.generation,
        "versions": p.versions,
        "location": p.location,
        "token": p.token,
        "build_seconds": p.build_seconds,
    }
    (folder / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    return folder


def _mapped(path: Path) -> np.ndarray:
    # A plain ndarray view of the read-only mapping: np.memmap's subclass hooks cost ~50 us
    # per small indexing call, which the per-node reads of an answer make thousands of.
    return np.load(path, mmap_mode="r").view(np.ndarray)


def load_projection(folder: Path | str) -> Projection:
    """The projection saved in ``folder``, its arrays memory-mapped read-only."""
    folder = Path(folder)
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    with open(folder / "python.pickle", "rb") as f:
        python = pickle.load(f)

    def tables(kind: str) -> dict[str, Table]:
        return {
            name: Table(
                t["names"],
                [(cols, _mapped(folder / file)) for cols, file in t["parts"]],
                t["plain"],
            )
            for name, t in python[f"{kind}_tables"].items()
        }

    ids = python["ids"]
    p = Projection(
        generation=meta["generation"],
        labels=python["labels"],
        types=python["types"],
        ids=ids,
        index=dict(zip(ids, range(len(ids)), strict=True)),
        node_columns=python["node_columns"],
        products=python["products"],
        rel_columns=python["rel_columns"],
        versions=meta["versions"],
        location=meta["location"],
        token=meta["token"],
        node_tables=tables("node"),
        rel_tables=tables("rel"),
        **{name: _mapped(folder / f"{name}.npy") for name in ARRAYS},
    )
    p.build_seconds = meta["build_seconds"]
    return p
