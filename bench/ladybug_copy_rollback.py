"""Reproduces why list loads do not ``COPY`` inside their transaction (LadybugDB 0.22).

    .venv/bin/python bench/ladybug_copy_rollback.py          # expected: crash at close

COPY works inside ``BEGIN TRANSACTION`` and a rollback takes it back, but when the table
held committed rows, closing the database after that rollback aborts the process
(``free(): invalid next size``: the heap is corrupted). A list load must roll back
cleanly on any error, so it copies new organisations in *before* its transaction and
deletes them if the transaction fails (graph/preinsert.py). Also seen: a MERGE and a COPY into one node table in one
transaction, then a COPY of relationships between its nodes, fails with "Primary-key
index contains an invalid local node offset".
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from chainkg.graph.embedded import EmbeddedStore


def main() -> None:
    """Commit one organisation, COPY five more in a transaction, fail, roll back, close."""
    folder = Path(tempfile.mkdtemp(prefix="chainkg-copy-rollback-"))
    store = EmbeddedStore(folder / "graph")
    store.ensure_schema()
    with store.transaction() as tx:
        tx.upsert_nodes("Organization", [{"id": "org:z", "name": "z"}])
    csv = folder / "orgs.csv"
    csv.write_text("id,name\n" + "".join(f"org:{i},n{i}\n" for i in range(5)), encoding="utf-8")
    try:
        with store.transaction() as tx:
            tx.run(f"COPY Organization(id, name) FROM '{csv}' (HEADER=true)")
            raise RuntimeError("a later step of the load fails")
    except RuntimeError as exc:
        print("rolled back:", exc, flush=True)
    print(
        "organisations after rollback:", store.read("MATCH (o:Organization) RETURN count(o) AS n")
    )
    store.close()  # LadybugDB 0.22: aborts here
    print("closed cleanly (the engine no longer has the bug)")


if __name__ == "__main__":
    main()
