"""A closed year's evaluation reading, kept beside the graph until what it was read from changes.

The evaluation reads a past year from the graph as it stood at the year's end
(``graph.versions.graph_as_of``): an embedded copy of the database with the list versions of
that date re-materialised, on which every eval query and every chain's weak links run —
the largest part of a 蓝皮书 at 1,000,000 enterprises. That reading changes only when

- the list versions in force at that date change: a back-dated correction (a list loaded as
  of a date on or before the year end, a version reloaded under the same as-of date with
  other content, or one dropped) — each version counts by its id and a sha256 of its stored
  content (``as_of_content_key``);
- the facts outside list versions change (roster, chain templates, the bulk demo;
  ``eval_base_digest``: counts, sums and flag counts per kind, sums rounded to 0.1; and
  ``eval_base_structure``: every chain, segment and FEEDS edge in full, so that a template
  correction that keeps the counts still counts);
- what is asked or how it is computed changes: the eval queries and their vocabulary, the
  weak-link thresholds, findings with or without advice, the text of the catalogue queries
  and of the modules that compute the reading.

``reading_key`` hashes all of that; the reading (a dict of JSON values) is kept in
``<data dir>/cache/years/<year>-<key>.json`` (``graph/side_cache.py``; embedded store only)
and used while a new key equals it. A year read from the live graph itself (no list version
differs then) is not kept: it costs what reading now costs.
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import inspect
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from chainkg.graph.catalog import all_queries, query
from chainkg.graph.side_cache import read_json, side_folder, write_json
from chainkg.graph.store import GraphStore
from chainkg.graph.versions import as_of_content_key

FORMAT = 1  # bump when the kept reading's shape changes
FOLDER = "years"


# The modules whose code computes a year's reading: a change to any of them is a new key.
_READING_MODULES = (
    "chainkg.graph.versions",
    "chainkg.queries.criticality",
    "chainkg.queries.evaluation",
    "chainkg.queries.findings",
    "chainkg.queries.projected",
    "chainkg.queries.projected_evaluation",
    "chainkg.queries.recommend",
    "chainkg.queries.thresholds",
)


@functools.cache
def _code_text() -> str:
    """A sha256 of the catalogue queries and of the modules that compute a year's reading."""
    h = hashlib.sha256()
    for name, q in sorted(all_queries().items()):
        h.update(f"{name}\n{q.text}\n{sorted(q.variants.items())}".encode())
    for module in _READING_MODULES:
        h.update(_source(importlib.import_module(module)))
    return h.hexdigest()


def _source(module: Any) -> bytes:
    """A module's source text; its compiled file where the source is not shipped."""
    try:
        return inspect.getsource(module).encode("utf-8")
    except (OSError, TypeError):
        return Path(module.__file__ or "").read_bytes() if module.__file__ else b""


def base_digest(store: GraphStore) -> list[list[Any]]:
    """``eval_base_digest``'s answer as lists by kind (the parts of a UNION come in varying
    order), float sums rounded to 0.1 (the engines add them in varying order)."""
    return sorted(
        [r["kind"], r["facts"], *(round(float(r[k] or 0.0), 1) for k in ("sum_a", "sum_b"))]
        + [r[k] for k in ("count_a", "count_b", "count_c", "count_d")]
        for r in store.read(query("eval_base_digest"))
    )


def base_structure(store: GraphStore) -> str:
    """A sha256 of ``eval_base_structure``'s rows, sorted (UNION parts come in varying order)."""
    rows = sorted(
        json.dumps(
            [r[k] for k in ("kind", "a", "b", "c", "d", "e")], ensure_ascii=False, default=str
        )
        for r in store.read(query("eval_base_structure"))
    )
    return hashlib.sha256("\n".join(rows).encode("utf-8")).hexdigest()


def reading_key(store: GraphStore, year_end: Any, asked: Mapping[str, Any]) -> str | None:
    """The key of the reading of the year ending ``year_end`` with ``asked`` (what the caller
    asks: queries, vocabulary, thresholds, ... as JSON values), or None when nothing is kept:
    the store has no folder of its own, or that year is read from the live graph."""
    if side_folder(store, FOLDER) is None:
        return None
    versions = as_of_content_key(store, year_end)
    if versions is None:
        return None
    parts = {
        "format": FORMAT,
        "versions": versions,
        "base": base_digest(store),
        "structure": base_structure(store),
        "asked": asked,
        "code": _code_text(),
    }
    text = json.dumps(parts, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _path(store: GraphStore, year: int, key: str) -> Path | None:
    folder = side_folder(store, FOLDER)
    return None if folder is None else folder / f"{year}-{key}.json"


def load_reading(store: GraphStore, year: int, key: str) -> dict[str, Any] | None:
    """The kept reading of ``year`` under ``key`` (None: none kept, or kept under another)."""
    path = _path(store, year, key)
    data = read_json(path) if path is not None else None
    return data if isinstance(data, dict) and data.get("key") == key else None


def keep_reading(store: GraphStore, year: int, key: str, reading: dict[str, Any]) -> bool:
    """Keep ``reading`` (JSON values) for ``year`` under ``key``, replacing the year's older
    readings. Not kept (False) when it does not read back equal (a value JSON cannot hold)
    or the folder cannot be written."""
    path = _path(store, year, key)
    if path is None:
        return False
    data = {"key": key, "year": year, **reading}
    if json.loads(json.dumps(data, ensure_ascii=False)) != data:
        return False
    if not write_json(path, data):
        return False
    for old in path.parent.glob(f"{year}-*.json"):
        if old != path:
            old.unlink(missing_ok=True)
    return True


def kept_files(store: GraphStore) -> Sequence[Path]:
    """The readings kept beside ``store`` (for tests and ``docs``: what is cached where)."""
    folder = side_folder(store, FOLDER)
    return sorted(folder.glob("*.json")) if folder is not None and folder.exists() else []
