"""Scratch databases: the marker that lets tests and benchmarks clear a Neo4j database.

Tests and benchmarks start from an empty graph, so they clear the database they are
given. A user's own database must never be that database by mistake (a copied
``NEO4J_URI``, a shell left with the wrong exports). So a database may be cleared by
them only when it carries the scratch marker (one ``ChainkgScratchDatabase`` node), and
the marker is put only into a database that holds nothing at all. A database with data
and no marker is refused with a message saying how to get a scratch database.
"""

from __future__ import annotations

from chainkg.errors import StoreError
from chainkg.graph.store import GraphStore

#: The label of the marker node; not in the schema, so ``clear()`` leaves it in place.
MARKER_LABEL = "ChainkgScratchDatabase"
MARKER_ID = "chainkg-scratch-database"


class NotAScratchDatabaseError(StoreError):
    """A test or benchmark was pointed at a database that holds data and no scratch marker."""


def is_scratch_database(store: GraphStore) -> bool:
    """Whether ``store`` carries the scratch marker."""
    return bool(store.read(f"MATCH (m:{MARKER_LABEL}) RETURN count(m) AS n")[0]["n"])


def claim_scratch_database(store: GraphStore) -> None:
    """Make sure ``store`` may be cleared by a test or benchmark, or raise.

    Marked: fine. Unmarked and empty: marked now. Unmarked with data: refused with
    NotAScratchDatabaseError (nothing is written).
    """
    if is_scratch_database(store):
        return
    found = store.read(f"MATCH (n) WHERE NOT n:{MARKER_LABEL} RETURN labels(n) AS labels LIMIT 1")
    if found:
        label = ":".join(found[0]["labels"]) or "(no label)"
        raise NotAScratchDatabaseError(
            f"refusing to clear {store.location}: it holds data (a node labelled {label}) "
            f"and no scratch marker, so it may be someone's real database",
            hint=(
                "point CHAINKG_TEST_NEO4J_URI (and _USER, _PASSWORD, _DATABASE) at a database "
                'kept for tests, e.g. `eval "$(scripts/neo4j-dev-server env --test)"`; '
                "an empty database is marked as a scratch database on first use"
            ),
        )
    mark_scratch_database(store)


def mark_scratch_database(store: GraphStore) -> None:
    """Put the marker in (e.g. back after an import replaced a scratch database whole)."""
    with store.transaction() as tx:
        tx.run(f"MERGE (:{MARKER_LABEL} {{id: $id}})", {"id": MARKER_ID})


def remove_scratch_marker(store: GraphStore) -> None:
    """Remove the marker (tests of the refusal itself use this)."""
    with store.transaction() as tx:
        tx.run(f"MATCH (m:{MARKER_LABEL}) DELETE m")
