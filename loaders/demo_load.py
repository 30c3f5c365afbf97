"""Write the synthetic demo data (示例数据) into a store: ``load_demo``.

The demo sits on top of the real graph: the roster and the chain templates
must be loaded first (their Segment nodes are what demo enterprises operate
in). The 18 City nodes are added when missing (real reference data, not
synthetic). A load *replaces* the previous demo: every node and relationship
with ``synthetic = true`` is deleted first, then the new rows are inserted
with the store's bulk path (COPY on the embedded store, batched UNWIND on
Neo4j). So running the demo twice with the same seed and scale gives the same
graph, and real (non-synthetic) data is never touched. The load is not one
transaction: if it fails half-way, run it again.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from chainkg.errors import ChainkgError
from chainkg.graph import statements
from chainkg.graph.bulk import (
    bulk_write_nodes,
    bulk_write_rels,
    choose_full_import,
    delete_synthetic,
    ids_of,
)
from chainkg.graph.catalog import query
from chainkg.graph.ids import city_id
from chainkg.graph.store import GraphStore, Row
from chainkg.loaders.demo_data import (
    DEFAULT_SCALE,
    DEFAULT_SEED,
    HENAN_CITIES,
    DemoData,
    DemoManifest,
    DemoTable,
    TemplateLike,
    generate_demo,
)
from chainkg.loaders.demo_lists import generate_demo_lists

CITY_SOURCE = "GB/T 2260 行政区划代码"

Progress = Callable[[str, int, int], None]
"""progress(what was just done, steps done, steps in all)."""


@dataclass
class DemoLoadReport:
    """What ``load_demo`` did: the manifest of planted weak links, rows written, timings."""

    manifest: DemoManifest
    rows: dict[str, int] = field(default_factory=dict)
    removed_nodes: int = 0
    cities_added: int = 0
    seconds: float = 0.0
    method: str = "batched writes"


def city_rows() -> list[Row]:
    """City nodes for the 17 省辖市 and 济源示范区 (real, not synthetic)."""
    return [
        {
            "id": city_id(c.name),
            "name": c.name,
            "code": c.code,
            "source": CITY_SOURCE,
            "synthetic": False,
        }
        for c in HENAN_CITIES
    ]


def ensure_cities(store: GraphStore) -> int:
    """Add the City nodes the graph lacks (existing ones are left as they are); returns added."""
    have = ids_of(store, "City")
    missing = [row for row in city_rows() if row["id"] not in have]
    if missing:
        with store.transaction() as tx:
            tx.upsert_nodes("City", missing)
    return len(missing)


def _check_segments(store: GraphStore, data: DemoData) -> None:
    have = ids_of(store, "Segment")
    wanted = sorted(set(data.segment_ids))
    missing = [i for i in wanted if i not in have]
    if missing:
        shown = ", ".join(missing[:3]) + (" ..." if len(missing) > 3 else "")
        raise ChainkgError(
            f"{len(missing)} of the {len(wanted)} segments (环节) of the chain templates are not "
            f"in the graph ({shown}); demo enterprises operate in them",
            hint="load the roster and the chain templates into this graph before the demo data",
        )


def _check_clashes(store: GraphStore, data: DemoData) -> None:
    # Only real organisations are left after delete_synthetic: a demo name equal to a
    # real one would make the insert fail (embedded) or overwrite it (Neo4j).
    real = ids_of(store, "Organization")
    clash = sorted(i for i in data.organization_ids if i in real)
    if clash:
        raise ChainkgError(
            f"demo enterprise names clash with real organisations in the graph: {clash[:5]}",
            hint="run the demo with another --seed",
        )


def import_with_real_part(
    store: GraphStore, tables: Sequence[DemoTable], progress: Progress | None = None
) -> None:
    """Replace the graph by offline import with its real (non-synthetic) part, read first,
    and ``tables``: the previous demo goes without deleting it."""
    schema = store.schema
    nodes: list[tuple[str, Iterable[Row]]] = [
        (kind.label, store.read(statements.real_nodes(kind))) for kind in schema.nodes
    ]
    rels: list[tuple[str, str, str, Iterable[Row]]] = [
        (rel.type, a, b, store.read(statements.real_rels(rel, a, b)))
        for rel in schema.rels
        for a, b in rel.endpoints
    ]
    real = sum(len(rows) for _, rows in nodes) + sum(len(r[3]) for r in rels)  # type: ignore[arg-type]
    nodes += [(t.name, t.rows()) for t in tables if t.from_label is None]
    rels += [(t.name, t.from_label, t.to_label or "", t.rows()) for t in tables if t.from_label]
    store.full_import(nodes, rels, total=real + sum(t.size for t in tables), progress=progress)


def _import_demo(
    store: GraphStore,
    data: DemoData,
    tables: Sequence[DemoTable],
    report: DemoLoadReport,
    progress: Progress | None,
) -> None:
    """The demo by offline import: the graph is rebuilt from its real (non-synthetic) part,
    read first, and the demo tables, so the previous demo goes without deleting it."""
    schema = store.schema
    report.removed_nodes = sum(
        int(store.read(statements.count_synthetic(kind))[0]["n"]) for kind in schema.nodes
    )
    _check_clashes(store, data)
    import_with_real_part(store, tables, progress)
    for t in tables:
        report.rows[t.name] = report.rows.get(t.name, 0) + t.size


def load_demo(
    store: GraphStore,
    *,
    scale: int = DEFAULT_SCALE,
    seed: int = DEFAULT_SEED,
    templates: Sequence[TemplateLike] | None = None,
    progress: Progress | None = None,
) -> DemoLoadReport:
    """Replace the store's demo data with ``scale`` synthetic enterprises made from ``seed``.

    ``templates`` default to the shipped chain templates; their segments must be
    in the graph already. Returns the manifest of planted weak links (MISSING,
    THIN, DEPENDENT segments) and the rows written per table.
    """
    started = time.perf_counter()
    if templates is None:
        from chainkg.loaders.chain_templates import load_templates

        templates = load_templates()
    data = generate_demo(templates, scale=scale, seed=seed)
    # The enterprises, then the other lists (平台、技术、人才、项目) of the chains in the graph.
    chains = {r["name"] for r in store.read(query("chain_names"))}
    tables = data.tables() + generate_demo_lists(data, chains).tables()
    steps = len(tables) + 3

    def tell(what: str, step: int) -> None:
        if progress is not None:
            progress(what, step, steps)

    tell(f"generated {scale:,} enterprises (seed {seed})", 1)
    _check_segments(store, data)
    report = DemoLoadReport(data.manifest)
    report.cities_added = ensure_cities(store)
    use_import, report.method = choose_full_import(store, sum(t.size for t in tables))
    if use_import:
        _import_demo(store, data, tables, report, progress)
        report.seconds = time.perf_counter() - started
        return report
    report.removed_nodes = delete_synthetic(store)
    tell(f"removed {report.removed_nodes:,} nodes of the previous demo", 2)
    _check_clashes(store, data)
    tell("checked the graph for name clashes", 3)
    for step, table in enumerate(tables, start=4):
        if table.from_label is None:
            n = bulk_write_nodes(store, table.name, table.rows())
        else:
            n = bulk_write_rels(
                store, table.name, table.from_label, table.to_label or "", table.rows()
            )
        report.rows[table.name] = report.rows.get(table.name, 0) + n
        tell(f"wrote {n:,} {table.name}", step)
    report.seconds = time.perf_counter() - started
    return report
