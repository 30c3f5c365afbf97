"""The embedded store: LadybugDB, an on-disk graph database with Cypher, no server.

The graph lives in one database file under the data folder. LadybugDB allows one
read-write process per database; a second one gets a clear StoreUnavailableError.
Within the process, each thread reads through its own connection and writes are
serialised by a lock (the engine runs one write transaction at a time).
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from chainkg.errors import SchemaError, StoreError, StoreUnavailableError
from chainkg.graph.cypher import Cypher
from chainkg.graph.schema import NodeKind, RelKind
from chainkg.graph.store import GraphStore, Row, Transaction, normalize

DB_FILE = "graph.lbug"
_LOCK_PID = re.compile(r"Lock is held by PID (\d+)")


def node_table_ddl(kind: NodeKind) -> str:
    """``CREATE NODE TABLE`` for a node kind (the key is the primary key)."""
    cols = ", ".join(f"{p.name} {p.type.value}" for p in kind.all_props)
    return f"CREATE NODE TABLE IF NOT EXISTS {kind.label}({cols}, PRIMARY KEY (id))"


def rel_table_ddl(rel: RelKind) -> str:
    """``CREATE REL TABLE`` for a relationship kind with all its endpoint pairs."""
    pairs = ", ".join(f"FROM {a} TO {b}" for a, b in rel.endpoints)
    cols = "".join(f", {p.name} {p.type.value}" for p in rel.all_props)
    return f"CREATE REL TABLE IF NOT EXISTS {rel.type}({pairs}{cols})"


class _EmbeddedTransaction(Transaction):
    def __init__(self, store: EmbeddedStore, conn: Any) -> None:
        self._store = store
        self._conn = conn

    def run(self, query: Cypher | str, params: Mapping[str, Any] | None = None) -> list[Row]:
        return self._store._execute(self._conn, query, params)


class EmbeddedStore(GraphStore):
    """GraphStore on LadybugDB files in ``data_dir``."""

    dialect = "ladybug"
    # One read-write process per database folder: every write goes through this object.
    sees_all_writes = True
    # Only `{id: $id}` with one value is a primary-key lookup (see graph/statements.py).
    hop_one_id_at_a_time = True
    # offset(id(n)): relationship ends read as integers in a bulk read (graph/projection.py).
    node_offsets = True

    def __init__(self, data_dir: Path | str, *, read_only: bool = False) -> None:
        self.data_dir = Path(data_dir)
        self.read_only = read_only
        self._db: Any = None
        self._local = threading.local()
        self._write_lock = threading.Lock()
        self._conns: list[Any] = []
        # The disk token when this object opened the graph: a read-only store keeps seeing
        # the graph as it was then (graph/projection_cache.py).
        self.opened_token: str | None = None

    @property
    def location(self) -> str:
        return str(self.data_dir / DB_FILE)

    def open(self) -> None:
        if self._db is not None:
            return
        import ladybug

        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreUnavailableError(
                f"cannot create the data folder {self.data_dir}: {exc.strerror}",
                hint="set CHAINKG_DATA_DIR to a folder you can write to",
            ) from None
        self.opened_token = self.disk_token()
        try:
            self._db = ladybug.Database(self.location, read_only=self.read_only)
        except RuntimeError as exc:
            raise self._open_error(exc) from None
        if not self.read_only:
            self.ensure_schema()

    def _open_error(self, exc: Exception) -> StoreUnavailableError:
        text = str(exc)
        match = _LOCK_PID.search(text)
        if match or "lock" in text.lower():
            pid = f" (process {match.group(1)})" if match else ""
            return StoreUnavailableError(
                f"the embedded graph {self.location} is in use by another chainkg process{pid}",
                hint="stop that process (e.g. a running `chainkg serve`), or point "
                "CHAINKG_DATA_DIR at another folder",
            )
        return StoreUnavailableError(
            f"cannot open the embedded graph {self.location}: {text}",
            hint="check the folder's permissions, or move it away to start a new graph",
        )

    def close(self) -> None:
        if self._db is None or self.read_only:
            self._close()
            return
        # Closing read-write rewrites the file's header even when nothing was written: a
        # projection saved for the graph as it is stays valid (graph/projection_cache.py).
        with self._write_lock, self._files_settling():
            self._close()

    def _close(self) -> None:
        for conn in self._conns:
            conn.close()
        self._conns.clear()
        self._local = threading.local()
        if self._db is not None:
            self._db.close()
            self._db = None

    @contextmanager
    def _files_settling(self) -> Iterator[None]:
        """Wrap a step that changes the database files but not the graph (close, checkpoint);
        the caller holds the write lock, so no write can fall in between."""
        before = self.disk_token()
        yield
        after = self.disk_token()
        if before is not None and after != before:
            from chainkg.graph.projection_cache import carry_over

            carry_over(self, before, after)

    def _conn(self) -> Any:
        if self._db is None:
            self.open()
        conn = getattr(self._local, "conn", None)
        if conn is None:
            import ladybug

            conn = ladybug.Connection(self._db)
            self._local.conn = conn
            self._conns.append(conn)
        return conn

    def _execute(
        self, conn: Any, query: Cypher | str, params: Mapping[str, Any] | None
    ) -> list[Row]:
        statement = Cypher.of(query)
        text = statement.for_dialect(self.dialect)
        try:
            result = conn.execute(text, dict(params or {}))
        except RuntimeError as exc:
            raise StoreError(
                f"query {statement.name} failed on the embedded store: {exc}"
            ) from None
        columns = result.get_column_names()
        rows = [
            dict(zip(columns, (normalize(v) for v in values), strict=True))
            for values in result.get_all()
        ]
        result.close()
        return rows

    def read(self, query: Cypher | str, params: Mapping[str, Any] | None = None) -> list[Row]:
        return self._execute(self._conn(), query, params)

    def disk_token(self) -> str | None:
        """Size and modification time of the database file and its write-ahead log."""
        parts = []
        for path in (Path(self.location), Path(self.location + ".wal")):
            try:
                st = path.stat()
            except OSError:
                parts.append("-")
                continue
            parts.append(f"{st.st_size}:{st.st_mtime_ns}")
        return "|".join(parts)

    def read_columns(
        self, query: Cypher | str, columns: Sequence[str], params: Mapping[str, Any] | None = None
    ) -> Any:
        """The engine's own Arrow result (no Python object per value); see GraphStore."""
        statement = Cypher.of(query)
        try:
            result = self._conn().execute(statement.for_dialect(self.dialect), dict(params or {}))
            table = result.get_as_arrow()
        except RuntimeError as exc:
            raise StoreError(
                f"query {statement.name} failed on the embedded store: {exc}"
            ) from None
        result.close()
        return table.select(list(columns))

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        conn = self._conn()
        with self._write_lock:
            conn.execute("BEGIN TRANSACTION")
            try:
                yield _EmbeddedTransaction(self, conn)
            except BaseException:
                # A failed statement has already rolled the transaction back.
                with suppress(RuntimeError):
                    conn.execute("ROLLBACK")
                raise
            try:
                conn.execute("COMMIT")
            except RuntimeError as exc:
                raise StoreError(f"commit failed on the embedded store: {exc}") from None
            self._committed()

    def copy_files_to(self, data_dir: Path | str) -> EmbeddedStore:
        """A copy of this graph in ``data_dir`` made by copying the database file (not opened).

        Seconds for a million enterprises where a row-by-row copy takes many minutes (the
        as-of reads of ``graph.versions.graph_as_of`` use it). Writes wait meanwhile: the
        write lock is held while the log is checkpointed into the file and the file copied.
        """
        import shutil

        target = Path(data_dir)
        target.mkdir(parents=True, exist_ok=True)
        conn = self._conn()
        with self._write_lock, self._files_settling():
            if not self.read_only:
                conn.execute("CHECKPOINT")
            for name in (DB_FILE, DB_FILE + ".wal"):
                if (self.data_dir / name).exists():
                    shutil.copyfile(self.data_dir / name, target / name)
        return EmbeddedStore(target)

    def ensure_schema(self) -> None:
        conn = self._conn()
        existing = self._tables(conn)
        for kind in self.schema.nodes:
            if kind.label in existing:
                self._add_missing_columns(conn, kind.label, kind.all_props)
            else:
                conn.execute(node_table_ddl(kind))
        for rel in self.schema.rels:
            if rel.type in existing:
                self._check_endpoints(conn, rel)
                self._add_missing_columns(conn, rel.type, rel.all_props)
            else:
                conn.execute(rel_table_ddl(rel))

    @staticmethod
    def _tables(conn: Any) -> set[str]:
        result = conn.execute("CALL show_tables() RETURN name")
        return {row[0] for row in result.get_all()}

    @staticmethod
    def _add_missing_columns(conn: Any, table: str, props: tuple) -> None:
        result = conn.execute(f"CALL table_info('{table}') RETURN name")
        have = {row[0] for row in result.get_all()}
        for p in props:
            if p.name not in have:
                conn.execute(f"ALTER TABLE {table} ADD {p.name} {p.type.value}")

    @staticmethod
    def _check_endpoints(conn: Any, rel: RelKind) -> None:
        result = conn.execute(f"CALL show_connection('{rel.type}') RETURN *")
        have = {(row[0], row[1]) for row in result.get_all()}
        missing = [pair for pair in rel.endpoints if pair not in have]
        if missing:
            raise SchemaError(
                f"the embedded graph's {rel.type} table cannot join {missing}: it was created "
                "by an older chainkg",
                hint="export what you need, move the data folder away and load again",
            )

    def bulk_insert(
        self,
        label_or_type: str,
        rows: Iterable[Mapping[str, Any]],
        *,
        from_label: str | None = None,
        to_label: str | None = None,
    ) -> int:
        """Insert new nodes or relationships with COPY FROM a temporary CSV; returns rows.

        About 100x faster than ``bulk_upsert_*``, but insert-only: a node id that
        is in the graph already fails the whole COPY (nothing is written). See
        ``chainkg.graph.bulk`` for the encoding; relationship types with several
        endpoint pairs need ``from_label`` and ``to_label``.
        """
        from chainkg.graph.bulk import copy_into

        conn = self._conn()
        is_node = label_or_type in {kind.label for kind in self.schema.nodes}
        with self._write_lock:
            if is_node:
                # LadybugDB 0.22's parallel COPY into a node table hangs now and then
                # (seen at 700k-1M rows: every thread waiting, no CPU); one thread does not.
                conn.set_max_threads_for_exec(1)
            try:
                return copy_into(
                    lambda query, params: self._execute(conn, query, params),
                    self.schema,
                    label_or_type,
                    rows,
                    from_label=from_label,
                    to_label=to_label,
                )
            finally:
                if is_node:
                    conn.set_max_threads_for_exec(os.cpu_count() or 1)
                self._committed()
