"""Run the `chainkg` CLI against a test store, embedded or Neo4j (no tests here)."""

from __future__ import annotations

import io
from contextlib import redirect_stderr, redirect_stdout

from conftest import neo4j_settings

from chainkg.cli.main import main
from chainkg.graph.embedded import EmbeddedStore
from chainkg.graph.store import GraphStore


def store_options(store: GraphStore) -> list[str]:
    """The global options that point the CLI at ``store``."""
    if isinstance(store, EmbeddedStore):
        return ["--data-dir", str(store.data_dir)]
    s = neo4j_settings()
    return ["--store", "neo4j", "--neo4j-uri", s["uri"], "--neo4j-user", s["user"],
            "--neo4j-password", s["password"], "--neo4j-database", s["database"]]  # fmt: skip


def run_cli(store: GraphStore, argv: list[str]) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of ``chainkg ARGV`` on ``store`` (an embedded store is
    closed meanwhile: one process holds its folder at a time)."""
    embedded = isinstance(store, EmbeddedStore)
    if embedded:
        store.close()
    out, err = io.StringIO(), io.StringIO()
    try:
        with redirect_stdout(out), redirect_stderr(err):
            code = main([*store_options(store), *argv])
    finally:
        if embedded:
            store.open()
    return code, out.getvalue(), err.getvalue()
