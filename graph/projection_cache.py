"""The read projection saved beside the embedded graph and reused while the graph is unchanged.

Building the projection (graph/projection.py) reads the whole graph: ~15 s of CPU at a
million enterprises, about as much as one all-chains weak-link report by Cypher. Saved once, every
later process maps it (graph/projection_file.py) instead: ``cached_projection(store)`` loads
the saved projection when it was read from the graph as it is now, and otherwise builds it
and saves it for the next process.

Where: ``<data dir>/projection-cache/<key>/``, one folder per saved projection (normally one:
older ones are removed after a save). ``key`` is a hash of the store's ``disk_token`` (size and
modification time of the database file and its write-ahead log), the schema and the file
format; ``meta.json`` inside repeats the token, which a load checks.

What proves the graph unchanged: the disk token. Any committed write, by this process or
another, changes the write-ahead log or the database file, so a saved projection never
answers for a graph written since (tested). Two things change the token without changing the
graph, and chainkg carries the saved projection over to the new token there
(``carry_over``): closing a read-write store (LadybugDB rewrites the file's header on close,
even when nothing was written: measured) and a ``CHECKPOINT`` (``copy_files_to``). Both run
under the store's write lock and only when the token just before equals the saved
projection's: nothing was written in between. A program other than chainkg that opens the
graph read-write makes the next chainkg call rebuild (its close changes the token with no
carry-over): slower, never stale.

A read-only store (``chainkg serve --read-only`` workers) keeps the state it saw when it
opened, while a read-write process may go on writing: it uses the cache only while the token
equals the token at its open (``EmbeddedStore.opened_token``).

Atomic: a projection is written into ``tmp-*`` under the cache folder, flushed to disk, then
renamed to its key (a rename is atomic; a reader finds the whole folder or none). A crash
leaves a ``tmp-*`` folder (removed by a later save) and the previous projection, or none.

Neo4j: no persisted projection (``None``): other processes write a server's graph and
nothing cheap read through Bolt proves it unchanged since a save (no file token), and a
projection rebuilt per process would cost about what the Cypher answer it speeds up costs
(every node and relationship read through Bolt). Callers then read by Cypher; the answers are the same.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from chainkg.graph.projection import Projection
    from chainkg.graph.store import GraphStore

log = logging.getLogger(__name__)

FOLDER = "projection-cache"
FORMAT = 2  # bump when graph/projection_file.py's layout changes
STALE_TMP_SECONDS = 3600  # a tmp-* folder this old belongs to a crashed save
_lock = threading.Lock()  # one build per process at a time
_memo: dict[str, tuple[str, Projection]] = {}  # cache folder -> (key, projection), oldest first
MEMO = 2


def cache_folder(store: GraphStore) -> Path | None:
    """Where ``store``'s projections are saved (None: a store without files, e.g. Neo4j)."""
    data_dir = getattr(store, "data_dir", None)
    if data_dir is None or store.disk_token() is None:
        return None
    return Path(data_dir) / FOLDER


def _schema_signature(store: GraphStore) -> str:
    nodes = [(k.label, [p.name for p in k.all_props]) for k in store.schema.nodes]
    rels = [(r.type, r.endpoints, [p.name for p in r.all_props]) for r in store.schema.rels]
    return json.dumps([FORMAT, nodes, rels], ensure_ascii=True, default=list)


def cache_key(store: GraphStore, token: str) -> str:
    """The folder name of a projection of ``store`` read when its disk token was ``token``."""
    text = f"{_schema_signature(store)}|{token}"
    return hashlib.blake2b(text.encode("utf-8"), digest_size=12).hexdigest()


def _usable_token(store: GraphStore) -> str | None:
    """The disk token a saved projection must carry to answer for ``store`` now; None when no
    saved projection may (no files, or a read-only store whose graph changed since it opened:
    its reads still see the graph as it was)."""
    token = store.disk_token()
    if token is None:
        return None
    if getattr(store, "read_only", False) and token != getattr(store, "opened_token", None):
        return None
    return token


def _load_meta(folder: Path, token: str) -> bool:
    """Whether ``folder`` holds a complete saved projection for ``token``."""
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return meta.get("token") == token and meta.get("format") == FORMAT


def _load(folder: Path, token: str) -> Projection | None:
    from chainkg.graph.projection_file import load_projection

    if not _load_meta(folder, token):
        return None
    try:
        return load_projection(folder)
    except FileNotFoundError:
        return None  # not saved, or removed while we read it (a newer one replaced it)
    except Exception as exc:  # a damaged cache (truncated file, bad pickle)
        # must never fail the command: it is rebuilt, as if it were not there.
        log.warning("ignoring the unreadable saved projection %s: %s", folder, exc)
        return None


def _remember(root: Path, key: str, p: Projection) -> None:
    """Keep ``p`` for later calls in this process: the last ``MEMO`` graphs (a live graph and,
    say, one as-of copy), so that a long-running process does not hold old graphs."""
    _memo.pop(str(root), None)
    _memo[str(root)] = (key, p)
    while len(_memo) > MEMO:
        del _memo[next(iter(_memo))]


def saved_projection(store: GraphStore) -> Projection | None:
    """The projection saved for ``store``'s graph as it is now, mapped from its folder; None
    when there is none (nothing is built: see ``cached_projection``). ``store`` is open."""
    root = cache_folder(store)
    token = _usable_token(store) if root is not None else None
    if root is None or token is None:
        return None
    key = cache_key(store, token)
    memo = _memo.get(str(root))
    if memo is not None and memo[0] == key:
        p = memo[1]
    else:
        p = _load(root / key, token)
        if p is None:
            return None
        _remember(root, key, p)
    p.generation = store.generation  # this process's counter; the token says it is current
    p.location = store.location
    return p


def cached_projection(
    store: GraphStore, *, progress: Callable[[str], None] | None = None
) -> Projection | None:
    """The read projection of ``store``'s graph as it is now: the saved one when the graph is
    unchanged since it was saved, otherwise built now (``progress`` is told first; ~15 s of
    CPU at a million enterprises) and saved for later processes. None for a store whose
    projections cannot be saved (Neo4j; see the module doc): read by Cypher then.

    A projection built while the graph changed is returned (it is tagged with the token read
    before the build, so it is not current and not saved).
    """
    root = cache_folder(store)
    if root is None or _usable_token(store) is None:
        return None
    with _lock:
        found = saved_projection(store)
        if found is not None:
            return found
        from chainkg.graph.projection import build_projection

        before = store.disk_token()
        if progress is not None:
            progress(f"building the read projection of {store.location} (saved for later runs)")
        p = build_projection(store)
        after = store.disk_token()
        p.token = before
        if before is None or before != after or _usable_token(store) != before:
            return p  # written meanwhile: use it once, never save it
        key = cache_key(store, before)
        try:
            _save(p, root, key)
        except OSError as exc:  # e.g. a read-only data folder: the projection still answers
            log.warning("could not save the read projection to %s: %s", root, exc)
            return p
        _remember(root, key, p)
        return p


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _save(p: Projection, root: Path, key: str) -> Path:
    """Write ``p`` to ``root/key`` atomically (temp folder, flushed, renamed) and remove the
    other saved projections; returns the folder."""
    from chainkg.graph.projection_file import save_projection

    root.mkdir(parents=True, exist_ok=True)
    tmp = root / f"tmp-{os.getpid()}-{threading.get_ident()}-{time.monotonic_ns()}"
    try:
        save_projection(p, tmp)
        meta = json.loads((tmp / "meta.json").read_text(encoding="utf-8"))
        meta["format"] = FORMAT
        (tmp / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
        for path in tmp.iterdir():  # on disk before the rename makes them visible
            _fsync(path)
        _fsync(tmp)
        target = root / key
        try:
            os.rename(tmp, target)
        except OSError:
            if not (target / "meta.json").exists():
                raise
            # Another process saved the same projection first: keep theirs.
        _fsync(root)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    _remove_others(root, keep=key)
    return root / key


def _remove_others(root: Path, keep: str) -> None:
    """Remove saved projections other than ``keep`` and temp folders of crashed saves. A
    process still mapping a removed one keeps its mapping (the files go when it unmaps)."""
    now = time.time()
    for path in root.iterdir():
        if path.name == keep:
            continue
        try:
            if path.name.startswith("tmp-") and now - path.stat().st_mtime < STALE_TMP_SECONDS:
                continue  # perhaps another process saving right now
        except OSError:
            continue  # gone meanwhile (another process cleaning up)
        shutil.rmtree(path, ignore_errors=True)


def carry_over(store: GraphStore, before: str, after: str) -> None:
    """Declare the projection saved for token ``before`` valid for ``after``: the store's files
    changed without a write to the graph (closing a read-write store, a checkpoint). Callers
    hold the store's write lock across reading ``before``, the change and ``after``."""
    root = cache_folder(store)
    if root is None or before == after:
        return
    source = root / cache_key(store, before)
    meta_file = source / "meta.json"
    try:
        meta: dict[str, Any] = json.loads(meta_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    if meta.get("token") != before:
        return
    meta["token"] = after
    try:
        fresh = source / "meta.json.tmp"
        fresh.write_text(json.dumps(meta), encoding="utf-8")
        os.replace(fresh, meta_file)  # the folder no longer answers for ``before``: gone
        target = root / cache_key(store, after)
        shutil.rmtree(target, ignore_errors=True)
        os.rename(source, target)
        memo = _memo.get(str(root))
        if memo is not None and memo[0] == source.name:
            memo[1].token = after
            _memo[str(root)] = (target.name, memo[1])
    except OSError as exc:
        log.warning("could not carry the saved projection %s over: %s", source, exc)


def current_folder(store: GraphStore) -> Path | None:
    """The folder holding the saved projection of ``store``'s graph as it is now (for
    processes that map it by path: ``chainkg serve --workers N``); None when there is none."""
    root = cache_folder(store)
    token = _usable_token(store) if root is not None else None
    if root is None or token is None:
        return None
    folder = root / cache_key(store, token)
    return folder if _load_meta(folder, token) else None
