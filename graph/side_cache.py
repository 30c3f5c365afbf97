"""Where data derived from a graph is kept beside it (e.g. a closed year's evaluation reading).

An embedded graph lives in its own folder: derived files go to ``<data dir>/cache/<name>``,
so they go wherever the graph goes and nothing else shares them. A Neo4j server has no such
folder here: ``side_folder`` is None and callers compute what they need each time.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from chainkg.graph.store import GraphStore


def side_folder(store: GraphStore, name: str) -> Path | None:
    """The folder for ``name``'s files beside ``store`` (not created), or None."""
    from chainkg.graph.embedded import EmbeddedStore

    if not isinstance(store, EmbeddedStore) or store.read_only:
        return None
    return store.data_dir / "cache" / name


def write_json(path: Path, data: Any) -> bool:
    """Write ``data`` as JSON to ``path`` atomically (a reader sees the old file or the new
    one, never half of one). False when the folder cannot be written (nothing kept)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, ensure_ascii=False)
        os.replace(tmp, path)
    except OSError:
        return False
    return True


def read_json(path: Path) -> Any | None:
    """The JSON in ``path``, or None when it is missing or unreadable."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
