"""The Neo4j store: the same graph on a Neo4j 5 server, through the official driver.

Constraints and indexes come from ``graph/schema.py`` (the same SCHEMA the
embedded store turns into tables): a uniqueness constraint on every label's
``id``, a range index for every ``indexed`` property and one full-text index
(``cjk`` analyzer, for Chinese names) over the ``search`` properties.

Reads run in READ transactions, so a cluster serves them from its followers;
writes run in explicit write transactions. Results are normalised to the same
plain Python values the embedded store returns.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from chainkg.errors import StoreError, StoreUnavailableError
from chainkg.graph.cypher import Cypher
from chainkg.graph.schema import NodeKind, Schema
from chainkg.graph.store import GraphCounts, GraphStore, Row, Transaction, normalize

SEARCH_INDEX = "chainkg_search"
SEARCH_ANALYZER = "cjk"
# Deletes in server-side batches, so clearing a big graph never needs one huge transaction.
CLEAR_BATCH = 10_000


def constraint_name(kind: NodeKind) -> str:
    """The name of the uniqueness constraint on ``kind``'s id."""
    return f"chainkg_{kind.label}_id"


def index_name(kind: NodeKind, prop: str) -> str:
    """The name of the range index on ``kind``'s property ``prop``."""
    return f"chainkg_{kind.label}_{prop}"


def search_kinds(schema: Schema) -> list[NodeKind]:
    """The node kinds that have ``search`` properties."""
    return [k for k in schema.nodes if k.search]


def search_props(schema: Schema) -> list[str]:
    """The union of every kind's ``search`` properties, in schema order."""
    props: list[str] = []
    for kind in search_kinds(schema):
        props += [p for p in kind.search if p not in props]
    return props


def schema_statements(schema: Schema) -> list[tuple[str, str]]:
    """(name, DDL) for every constraint and index the schema needs, idempotent (IF NOT EXISTS)."""
    out: list[tuple[str, str]] = []
    for kind in schema.nodes:
        name = constraint_name(kind)
        out.append(
            (
                name,
                f"CREATE CONSTRAINT {name} IF NOT EXISTS "
                f"FOR (n:{kind.label}) REQUIRE n.id IS UNIQUE",
            )
        )
    for kind in schema.nodes:
        for prop in kind.props:
            if prop.indexed:
                name = index_name(kind, prop.name)
                out.append(
                    (
                        name,
                        f"CREATE INDEX {name} IF NOT EXISTS "
                        f"FOR (n:{kind.label}) ON (n.{prop.name})",
                    )
                )
    out.append((SEARCH_INDEX, search_index_ddl(schema)))
    return out


def search_index_ddl(schema: Schema) -> str:
    """The full-text index over every ``search`` property, with the CJK analyzer."""
    labels = "|".join(k.label for k in search_kinds(schema))
    props = ", ".join(f"n.{p}" for p in search_props(schema))
    return (
        f"CREATE FULLTEXT INDEX {SEARCH_INDEX} IF NOT EXISTS FOR (n:{labels}) ON EACH [{props}] "
        f"OPTIONS {{indexConfig: {{`fulltext.analyzer`: '{SEARCH_ANALYZER}'}}}}"
    )


class _Neo4jTransaction(Transaction):
    def __init__(self, store: Neo4jStore, tx: Any) -> None:
        self._store = store
        self._tx = tx

    def run(self, query: Cypher | str, params: Mapping[str, Any] | None = None) -> list[Row]:
        return self._store._run(self._tx, query, params)


class Neo4jStore(GraphStore):
    """GraphStore on a Neo4j 5 server (bolt:// or neo4j:// URI)."""

    dialect = "neo4j"
    search_index_name = SEARCH_INDEX
    #: Seconds per phase of the last ``full_import`` (see graph/neo4j_import.py).
    last_import_seconds: dict[str, float] | None = None

    def __init__(self, uri: str, user: str, password: str, *, database: str = "neo4j") -> None:
        self.uri = uri
        self.user = user
        self._password = password
        self.database = database
        self._driver: Any = None
        self._opening = threading.Lock()

    @property
    def location(self) -> str:
        return f"{self.uri} (database {self.database!r})"

    # -- connecting ------------------------------------------------------------------

    def open(self) -> None:
        # Threads of a server may all open lazily at once: one driver for all.
        with self._opening:
            if self._driver is None:
                self._open()

    def _open(self) -> None:
        import neo4j

        try:
            driver = neo4j.GraphDatabase.driver(self.uri, auth=(self.user, self._password))
        except (ValueError, neo4j.exceptions.ConfigurationError) as exc:
            raise StoreUnavailableError(
                f"{self.uri!r} is not a Neo4j URI: {exc}",
                hint="set NEO4J_URI to e.g. bolt://127.0.0.1:7687",
            ) from None
        try:
            driver.verify_connectivity()
            # Auth and the database's existence show only once a query runs there.
            with driver.session(
                database=self.database, default_access_mode=neo4j.READ_ACCESS
            ) as session:
                session.run("RETURN 1").consume()
        except Exception as exc:
            driver.close()
            raise self._connect_error(exc) from None
        self._driver = driver
        try:
            self.ensure_schema()
        except BaseException:
            self.close()
            raise

    def _connect_error(self, exc: Exception) -> StoreError:
        from neo4j import exceptions as ne

        tried = f"user {self.user!r}, database {self.database!r}"
        if isinstance(exc, ne.AuthError):
            return StoreUnavailableError(
                f"Neo4j at {self.uri} refused user {self.user!r}: wrong password",
                hint="set NEO4J_PASSWORD (or pass --neo4j-password)",
            )
        if isinstance(exc, ne.Neo4jError) and exc.code == (
            "Neo.ClientError.Database.DatabaseNotFound"
        ):
            return StoreUnavailableError(
                f"Neo4j at {self.uri} has no database {self.database!r} (user {self.user!r})",
                hint="set NEO4J_DATABASE to an existing database "
                "(Community edition has only 'neo4j')",
            )
        if isinstance(exc, (ne.ServiceUnavailable, ne.SessionExpired, OSError)):
            return StoreUnavailableError(
                f"no Neo4j answers at {self.uri} ({tried}): is the server running? "
                "Start the dev server with `scripts/neo4j-dev-server start` or set NEO4J_URI"
            )
        return StoreUnavailableError(
            f"cannot use Neo4j at {self.uri} ({tried}): {_message(exc)}",
            hint="check the server's log and the NEO4J_* settings",
        )

    def close(self) -> None:
        if self._driver is not None:
            self._driver.close()
            self._driver = None

    def _session(self, *, read: bool) -> Any:
        import neo4j

        if self._driver is None:
            self.open()
        mode = neo4j.READ_ACCESS if read else neo4j.WRITE_ACCESS
        return self._driver.session(database=self.database, default_access_mode=mode)

    # -- running statements ---------------------------------------------------------

    def _run(self, tx: Any, query: Cypher | str, params: Mapping[str, Any] | None) -> list[Row]:
        from neo4j import exceptions as ne

        statement = Cypher.of(query)
        try:
            result = tx.run(statement.for_dialect(self.dialect), dict(params or {}))
            return [{key: self._plain(value) for key, value in record.items()} for record in result]
        except ne.Neo4jError as exc:
            raise StoreError(
                f"query {statement.name} failed on Neo4j at {self.uri}: {_message(exc)}"
            ) from None
        except (ne.ServiceUnavailable, ne.SessionExpired) as exc:
            raise self._connect_error(exc) from None

    def _plain(self, value: Any) -> Any:
        """Plain values; nodes and relationships as their schema properties, like the embedded store."""
        from neo4j.graph import Node, Path, Relationship

        if isinstance(value, Node):
            for label in value.labels:
                kind = self.schema._by_label.get(label)
                if kind is not None:
                    return {p.name: normalize(value.get(p.name)) for p in kind.all_props}
            return normalize(dict(value.items()))
        if isinstance(value, Relationship):
            rel = self.schema._by_type.get(value.type)
            if rel is not None:
                return {p.name: normalize(value.get(p.name)) for p in rel.all_props}
            return normalize(dict(value.items()))
        if isinstance(value, Path):
            return {
                "nodes": [self._plain(n) for n in value.nodes],
                "rels": [self._plain(r) for r in value.relationships],
            }
        if isinstance(value, (list, tuple)):
            return [self._plain(v) for v in value]
        if isinstance(value, dict):
            return {k: self._plain(v) for k, v in value.items()}
        return normalize(value)

    def read(self, query: Cypher | str, params: Mapping[str, Any] | None = None) -> list[Row]:
        from neo4j import exceptions as ne

        try:
            with self._session(read=True) as session:
                return session.execute_read(lambda tx: self._run(tx, query, params))
        except (ne.ServiceUnavailable, ne.SessionExpired) as exc:
            raise self._connect_error(exc) from None

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        from neo4j import exceptions as ne

        try:
            session = self._session(read=False)
            tx = session.begin_transaction()
        except (ne.ServiceUnavailable, ne.SessionExpired) as exc:
            raise self._connect_error(exc) from None
        try:
            try:
                yield _Neo4jTransaction(self, tx)
            except BaseException:
                if not tx.closed():
                    tx.rollback()
                raise
            try:
                tx.commit()
            except ne.Neo4jError as exc:
                raise StoreError(f"commit failed on Neo4j at {self.uri}: {_message(exc)}") from None
            self._committed()
        finally:
            session.close()

    def _autocommit(self, text: str, params: Mapping[str, Any] | None = None) -> None:
        """Run a statement in its own auto-commit transaction (needed for schema changes and
        ``CALL {} IN TRANSACTIONS``, which cannot run in an explicit transaction)."""
        from neo4j import exceptions as ne

        try:
            with self._session(read=False) as session:
                session.run(text, dict(params or {})).consume()
        except ne.Neo4jError as exc:
            raise StoreError(
                f"statement failed on Neo4j at {self.uri}: {_message(exc)} (statement: {text})"
            ) from None
        except (ne.ServiceUnavailable, ne.SessionExpired) as exc:
            raise self._connect_error(exc) from None

    # -- schema and bulk operations -------------------------------------------------

    def ensure_schema(self) -> None:
        existing = {row["name"] for row in self.read("SHOW CONSTRAINTS YIELD name RETURN name")}
        indexes = {
            row["name"]: row
            for row in self.read(
                "SHOW INDEXES YIELD name, labelsOrTypes, properties, options "
                "RETURN name, labelsOrTypes, properties, options"
            )
        }
        existing |= set(indexes)
        stale = indexes.get(SEARCH_INDEX)
        if stale is not None and not self._search_index_matches(stale):
            # The schema's search properties changed: the index must cover the new ones.
            self._autocommit(f"DROP INDEX {SEARCH_INDEX}")
            existing.discard(SEARCH_INDEX)
        created = False
        for name, ddl in schema_statements(self.schema):
            if name not in existing:
                self._autocommit(ddl)
                created = True
        if created:
            self._autocommit("CALL db.awaitIndexes(300)")

    def _search_index_matches(self, row: Mapping[str, Any]) -> bool:
        analyzer = (row.get("options") or {}).get("indexConfig", {}).get("fulltext.analyzer")
        return (
            sorted(row.get("labelsOrTypes") or [])
            == sorted(k.label for k in search_kinds(self.schema))
            and sorted(row.get("properties") or []) == sorted(search_props(self.schema))
            and analyzer == SEARCH_ANALYZER
        )

    def full_import_blocker(self) -> str | None:
        """None when this is the local dev server, which neo4j-admin import can replace."""
        from chainkg.graph.neo4j_import import local_dev_server

        return local_dev_server(self.uri, self.database)[1] or None

    def full_import(
        self,
        nodes: Iterable[tuple[str, Iterable[Row]]],
        rels: Iterable[tuple[str, str, str, Iterable[Row]]],
        *,
        total: int = 0,
        progress: Callable[[str, int, int], None] | None = None,
    ) -> GraphCounts:
        """Replace the graph with neo4j-admin import (see ``graph.neo4j_import``)."""
        from chainkg.graph.neo4j_import import import_full, local_dev_server

        server, why = local_dev_server(self.uri, self.database)
        if server is None:
            raise StoreError(f"cannot bulk-import into {self.location}: {why}")
        report = import_full(self, server, nodes, rels, total=total, progress=progress)
        self.last_import_seconds = report.seconds
        return GraphCounts(report.nodes, report.relationships)

    def clear(self) -> None:
        """Delete every node of the schema's labels, in server-side batches.

        Relationships go first, in batches of their own: a node with a hundred
        thousand relationships (a city) would otherwise be one transaction too large.
        """
        for rel in self.schema.rels:
            self._autocommit(
                f"MATCH ()-[e:{rel.type}]->() CALL (e) {{ DELETE e }} "
                f"IN TRANSACTIONS OF {CLEAR_BATCH} ROWS"
            )
        for kind in self.schema.nodes:
            self._autocommit(
                f"MATCH (n:{kind.label}) CALL (n) {{ DETACH DELETE n }} "
                f"IN TRANSACTIONS OF {CLEAR_BATCH} ROWS"
            )


def _message(exc: Exception) -> str:
    """The server's one-line message for a driver error (no code, no stack)."""
    message = getattr(exc, "message", None) or str(exc)
    return " ".join(str(message).split())
