"""Initial loads into Neo4j with ``neo4j-admin database import full`` (offline, from CSV).

Over Bolt, batched ``UNWIND ... MERGE`` writes a few thousand rows a second on this
machine (bench/README.md); the import tool writes the store files directly, tens
of thousands of rows a second and more. It needs the database's files and the
database stopped, so it serves only the chainkg dev server on this machine
(``scripts/neo4j-dev-server``, whose ``import`` command stops the server, imports
from the same Maven Central jars the server runs on and starts it again). A remote
server, or a local one not started by that script, is loaded over Bolt instead,
and ``full_import_blocker`` says why.

The CSV files are those of the embedded bulk path (``graph.bulk.write_csv``) with
neo4j-admin's header line (``id:ID(Label)``, ``:START_ID(Label)``, ``name:type``)
and lists joined by U+001F. An import *replaces* the whole database; the
constraints and indexes are created afterwards by ``ensure_schema``, and the
counts are checked against the rows written.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from chainkg.errors import StoreError
from chainkg.graph.bulk import Row, set_late_lists, write_csv
from chainkg.graph.schema import NodeKind, PropType, RelKind
from chainkg.graph.scratch import is_scratch_database, mark_scratch_database

if TYPE_CHECKING:
    from chainkg.graph.neo4j_store import Neo4jStore

# In a checkout (editable install) the script sits beside graph/; elsewhere
# CHAINKG_NEO4J_DEV_SERVER names it.
CHECKOUT_SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "neo4j-dev-server"
ARRAY_DELIMITER = "\x1f"
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
_TYPES = {
    PropType.STRING: "string",
    PropType.INT: "long",
    PropType.FLOAT: "double",
    PropType.BOOL: "boolean",
    PropType.DATE: "date",
    PropType.STRING_LIST: "string[]",
}
# neo4j-admin's progress: "(2/4) Relationship import" stages and "... 45% ∆1s" lines.
_STAGE = re.compile(r"^\((\d+)/(\d+)\)\s+(.+?)\s*$")
_PERCENT = re.compile(r"\s(\d{1,3})%\s")

NodeTable = tuple[str, Iterable[Row]]
"""(label, rows) of nodes to import."""
RelTable = tuple[str, str, str, Iterable[Row]]
"""(relationship type, from label, to label, rows) to import."""
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class DevServer:
    """A chainkg dev server on this machine: its control script, cache folder and Bolt port."""

    script: Path
    cache: Path
    port: int


def dev_server_script() -> Path:
    """The dev server's control script (CHAINKG_NEO4J_DEV_SERVER, else the checkout's)."""
    return Path(os.environ.get("CHAINKG_NEO4J_DEV_SERVER") or CHECKOUT_SCRIPT)


def dev_server_cache(script: Path) -> Path:
    """The dev server's cache folder, as the script finds it (CHAINKG_NEO4J_CACHE, else
    .cache/neo4j in its checkout)."""
    default = script.resolve().parents[1] / ".cache" / "neo4j"
    return Path(os.environ.get("CHAINKG_NEO4J_CACHE") or default)


def local_dev_server(uri: str, database: str) -> tuple[DevServer | None, str]:
    """The dev server behind ``uri`` and ``database``, or None and why the import can't be used."""
    parts = urlsplit(uri)
    if parts.hostname not in LOCAL_HOSTS:
        return None, (
            f"{uri} is not on this machine: neo4j-admin import writes the database files, "
            "so it serves only the local dev server"
        )
    if database != "neo4j":
        return None, f"the import replaces database 'neo4j', not {database!r}"
    script = dev_server_script()
    if not script.is_file():
        return None, (
            f"the dev server script {script} is not here (set CHAINKG_NEO4J_DEV_SERVER to "
            "scripts/neo4j-dev-server of a chainkg checkout)"
        )
    cache = dev_server_cache(script)
    try:
        port = int((cache / "neo4j.port").read_text().strip())
    except (OSError, ValueError):
        return None, (
            f"no dev server runs from {cache} (set CHAINKG_NEO4J_CACHE to the cache of the "
            "server you started with scripts/neo4j-dev-server)"
        )
    if port != (parts.port or 7687):
        return None, f"the dev server of {cache} listens on port {port}, not {parts.port}"
    return DevServer(script, cache, port), ""


def node_header(kind: NodeKind) -> list[str]:
    """neo4j-admin's header for a node file of ``kind`` (id is the ID, kept as property)."""
    return [
        f"id:ID({kind.label})" if p.name == "id" else f"{p.name}:{_TYPES[p.type]}"
        for p in kind.all_props
    ]


def rel_header(rel: RelKind, from_label: str, to_label: str) -> list[str]:
    """neo4j-admin's header for a relationship file of ``rel`` between the two labels."""
    return [
        f":START_ID({from_label})",
        f":END_ID({to_label})",
        *(f"{p.name}:{_TYPES[p.type]}" for p in rel.all_props),
    ]


@dataclass
class ImportReport:
    """Rows written per node label and relationship type, and the tool's last lines."""

    nodes: dict[str, int] = field(default_factory=dict)
    relationships: dict[str, int] = field(default_factory=dict)
    output: list[str] = field(default_factory=list)
    # Seconds per phase: reading and writing the CSV files, the tool (server stop and start
    # included), constraints and indexes with the count check.
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def rows(self) -> int:
        """Nodes plus relationships imported."""
        return sum(self.nodes.values()) + sum(self.relationships.values())


def _counted(rows: Iterable[Row], on_row: Callable[[int], None], every: int = 10_000) -> Iterator:
    n = 0
    for row in rows:
        yield row
        n += 1
        if n % every == 0:
            on_row(every)
    on_row(n % every)


def import_full(
    store: Neo4jStore,
    server: DevServer,
    nodes: Iterable[NodeTable],
    rels: Iterable[RelTable],
    *,
    total: int = 0,
    progress: Progress | None = None,
    work_dir: Path | None = None,
) -> ImportReport:
    """Replace the graph of ``store`` with ``nodes`` and ``rels`` through neo4j-admin import.

    ``total``: rows expected (for the progress bar only). The store is closed during the
    import and opened again after it (constraints and indexes are then built). Raises
    StoreError when the tool fails (the database is then incomplete: load again) or the
    counts afterwards differ from the rows written.
    """
    report = ImportReport()
    written = 0

    def tell(what: str, done: int, of: int) -> None:
        if progress is not None:
            progress(what, done, of)

    def advance(what: str) -> Callable[[int], None]:
        def step(n: int) -> None:
            nonlocal written
            written += n
            tell(f"writing CSV: {what}", written, max(total, written))

        return step

    clock = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="chainkg-import-", dir=work_dir) as folder:
        args: list[str] = []
        late: list[tuple[str, list]] = []
        multiline = False
        tables: list[tuple[NodeKind | RelKind, list[str], Iterable[Row]]] = [
            (store.schema.node(label), node_header(store.schema.node(label)), rows)
            for label, rows in nodes
        ]
        tables += [
            (store.schema.rel(t), rel_header(store.schema.rel(t), a, b), rows)
            for t, a, b, rows in rels
        ]
        for i, (kind, header, rows) in enumerate(tables):
            is_node = isinstance(kind, NodeKind)
            name = kind.label if isinstance(kind, NodeKind) else kind.type
            path = Path(folder) / f"{i}-{name}.csv"
            out = write_csv(
                path,
                kind,
                _counted(rows, advance(name)),
                header=header,
                list_delimiter=ARRAY_DELIMITER,
            )
            counts = report.nodes if is_node else report.relationships
            counts[name] = counts.get(name, 0) + out.rows
            multiline |= out.multiline
            if out.late_lists:
                late.append((name, out.late_lists))
            if out.rows:
                args.append(f"--{'nodes' if is_node else 'relationships'}={name}={path}")
        options = ["--array-delimiter=U+001F", "--id-type=string"]
        if multiline:
            options.append("--multiline-fields=true")
        # A scratch database (tests, benchmarks) stays one after the import.
        scratch = is_scratch_database(store)
        store.close()
        report.seconds["csv"] = time.perf_counter() - clock
        clock = time.perf_counter()
        try:
            report.output = _run_tool(server, [*options, *args], tell)
        finally:
            report.seconds["tool_and_restart"] = time.perf_counter() - clock
            clock = time.perf_counter()
            tell("building constraints and indexes", 0, 0)
            store.open()
    if scratch:
        mark_scratch_database(store)
    for label, lists in late:
        set_late_lists(lambda q, p: _write(store, q, p), label, lists)
    store._committed()
    _check_counts(store, report)
    report.seconds["indexes_and_check"] = time.perf_counter() - clock
    return report


def _write(store: Neo4jStore, query: object, params: object) -> list[Row]:
    with store.transaction() as tx:
        return tx.run(query, params)  # type: ignore[arg-type]


def _run_tool(server: DevServer, args: list[str], tell: Progress) -> list[str]:
    """Run ``neo4j-dev-server import`` with ``args``; its output lines (StoreError on failure)."""
    env = {**os.environ, "CHAINKG_NEO4J_CACHE": str(server.cache)}
    lines: list[str] = []
    stage = "starting"
    with subprocess.Popen(
        [str(server.script), "import", "--", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        env=env,
        text=True,
        encoding="utf-8",
        errors="replace",
        # The server the script starts again must not share our process group: a Ctrl-C
        # or a signal to this process later would stop it too.
        start_new_session=True,
    ) as tool:
        assert tool.stdout is not None
        for line in tool.stdout:
            lines.append(line.rstrip())
            if match := _STAGE.match(line.strip()):
                stage = f"neo4j-admin import ({match.group(1)}/{match.group(2)}) {match.group(3)}"
                tell(stage, 0, 100)
            elif match := _PERCENT.search(line):
                tell(stage, min(int(match.group(1)), 100), 100)
            elif line.startswith("neo4j-dev-server:"):
                tell(line.split(":", 1)[1].strip(), 0, 0)
        status = tool.wait()
    if status != 0:
        tail = "\n".join(lines[-15:])
        raise StoreError(
            f"neo4j-admin import into the dev server of {server.cache} failed (exit {status}); "
            f"the database is now incomplete. Last lines:\n{tail}",
            hint=f"fix the cause and load again; the tool's report is {server.cache}/import.report",
        )
    return lines[-20:]


def _check_counts(store: Neo4jStore, report: ImportReport) -> None:
    got = store.counts()
    differ = [
        f"{name} {want} -> {have.get(name, 0)}"
        for want_of, have in ((report.nodes, got.nodes), (report.relationships, got.relationships))
        for name, want in want_of.items()
        if want != have.get(name, 0)
    ]
    if differ:
        raise StoreError(
            f"the import into {store.location} wrote other counts than the files held: "
            + ", ".join(differ),
            hint="duplicate ids or relationships to missing nodes in the input; load again "
            "after fixing them",
        )
