"""Load benchmark: the bulk path against a naive one-row-per-transaction loader.

    .venv/bin/python bench/load_bench.py --store embedded --enterprises 1000000 --supplies 3000000
    eval "$(scripts/neo4j-dev-server env --test)"
    .venv/bin/python bench/load_bench.py --store neo4j --enterprises 100000

The rows are the synthetic demo (``loaders.demo_data``) made from the shipped
chain templates. Each repetition starts from a graph holding only the chain
segments and the cities, and writes every demo table with the bulk path
(``graph.bulk``: COPY on the embedded store, UNWIND batches on Neo4j), timed
end to end (row building included). The naive loader writes a sample (by
default 1,000 organisations and 1,000 of their OPERATES_IN relationships), one
row per transaction, and its rate is extrapolated to the whole table mix.
Medians of ``--repeat`` runs; peak memory is this process's maximum RSS
(``getrusage``), the Neo4j server's memory is not included. Results go to
``bench/results/load-<store>-<enterprises>.json``.

On Neo4j the benchmark empties the database it is pointed at, so it takes the test
database (CHAINKG_TEST_NEO4J_URI, ``eval "$(scripts/neo4j-dev-server env --test)"``) and,
like the tests, refuses one that holds data without the scratch marker
(``graph/scratch.py``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import islice
from pathlib import Path
from typing import Any

from chainkg.graph.bulk import bulk_write_nodes, bulk_write_rels
from chainkg.graph.ids import segment_id
from chainkg.graph.scratch import claim_scratch_database
from chainkg.graph.store import GraphStore
from chainkg.loaders.chain_templates import load_templates
from chainkg.loaders.demo_data import DemoData, generate_demo
from chainkg.loaders.demo_load import ensure_cities

RESULTS = Path(__file__).resolve().parent / "results"
TARGET_RATE = {"embedded": 200_000, "neo4j": 30_000}
TARGET_SPEEDUP = 50


def rss_mb() -> float:
    """This process's current resident memory (MB)."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def peak_rss_mb() -> float:
    """This process's peak resident memory so far (MB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@contextmanager
def fresh_store(args: argparse.Namespace, templates: list) -> Iterator[GraphStore]:
    """An opened store holding only the template segments and the cities."""
    folder: str | None = None
    store: GraphStore
    if args.store == "embedded":
        from chainkg.graph.embedded import EmbeddedStore

        folder = tempfile.mkdtemp(prefix="chainkg-bench-", dir=args.work_dir)
        store = EmbeddedStore(Path(folder) / "graph")
        store.open()
    else:
        from chainkg.graph.neo4j_store import Neo4jStore

        store = Neo4jStore(args.neo4j_uri, args.neo4j_user, args.neo4j_password)
        store.open()
        claim_scratch_database(store)  # never empty someone's real database
        store.clear()
    try:
        segments = [
            {"id": segment_id(t.chain, s.name), "name": s.name, "chain": t.chain}
            for t in templates
            for s in t.segments
        ]
        with store.transaction() as tx:
            tx.upsert_nodes("Segment", segments)
        ensure_cities(store)
        yield store
    finally:
        store.close()
        if folder:
            shutil.rmtree(folder, ignore_errors=True)


def bulk_run(store: GraphStore, data: DemoData) -> dict[str, Any]:
    """Write every demo table with the bulk path; seconds per table and in all."""
    per_table: dict[str, float] = {}
    started = time.perf_counter()
    for table in data.tables():
        t0 = time.perf_counter()
        if table.from_label is None:
            bulk_write_nodes(store, table.name, table.rows())
        else:
            bulk_write_rels(store, table.name, table.from_label, table.to_label or "", table.rows())
        key = (
            table.name
            if table.from_label is None
            else (f"{table.name}({table.from_label}->{table.to_label})")
        )
        per_table[key] = round(time.perf_counter() - t0, 3)
    return {"seconds": time.perf_counter() - started, "per_table": per_table}


def import_run(store: GraphStore, data: DemoData) -> dict[str, Any]:
    """The whole graph by neo4j-admin import (the store's real part read first, as
    ``chainkg demo`` does); seconds end to end, server stop/start and indexes included."""
    from chainkg.loaders.demo_load import import_with_real_part

    started = time.perf_counter()
    import_with_real_part(store, data.tables())
    phases = {k: round(v, 1) for k, v in getattr(store, "last_import_seconds", {}).items()}
    return {"seconds": time.perf_counter() - started, "per_table": phases}


def naive_run(store: GraphStore, data: DemoData, sample: int) -> dict[str, float]:
    """One row per transaction: ``sample`` organisations, then ``sample`` OPERATES_IN rows."""
    tables = {t.name: t for t in data.tables() if t.from_label in (None, "Organization")}
    orgs = list(islice(tables["Organization"].rows(), sample))
    ids = {o["id"] for o in orgs}
    rels = list(islice((r for r in tables["OPERATES_IN"].rows() if r["from_id"] in ids), sample))
    t0 = time.perf_counter()
    for row in orgs:
        with store.transaction() as tx:
            tx.upsert_nodes("Organization", [row])
    t1 = time.perf_counter()
    for row in rels:
        with store.transaction() as tx:
            tx.upsert_rels("OPERATES_IN", "Organization", "Segment", [row])
    t2 = time.perf_counter()
    return {
        "node_rows_per_second": len(orgs) / (t1 - t0),
        "rel_rows_per_second": len(rels) / (t2 - t1),
        "rows": len(orgs) + len(rels),
    }


def machine() -> dict[str, Any]:
    """What the numbers were measured on."""
    import ladybug

    mem_kb = 0
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    return {
        "cores": os.cpu_count(),
        "memory_gib": round(mem_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "ladybug": getattr(ladybug, "__version__", "?"),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "note": "2 cores shared with other work; expect noise of tens of percent",
    }


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and write its JSON result."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--store", choices=("embedded", "neo4j"), default="embedded")
    p.add_argument("--enterprises", type=int, default=1_000_000)
    p.add_argument("--supplies", type=int, default=None, help="default: 3 x enterprises")
    p.add_argument("--seed", type=int, default=61)
    p.add_argument("--repeat", type=int, default=3, help="bulk repetitions (median)")
    p.add_argument(
        "--naive-sample",
        type=int,
        default=1_000,
        help="organisations (and as many OPERATES_IN) the naive loader writes",
    )
    p.add_argument("--naive-repeat", type=int, default=3)
    p.add_argument("--work-dir", default=None, help="where embedded graphs go (default: /tmp)")
    p.add_argument("--neo4j-uri", default=os.environ.get("CHAINKG_TEST_NEO4J_URI"))
    p.add_argument("--neo4j-user", default=os.environ.get("CHAINKG_TEST_NEO4J_USER", "neo4j"))
    p.add_argument(
        "--neo4j-password",
        default=os.environ.get("CHAINKG_TEST_NEO4J_PASSWORD", "chainkg-dev-password"),
    )
    p.add_argument("--out", type=Path, default=None)
    p.add_argument(
        "--method",
        choices=("bulk", "import"),
        default="bulk",
        help="bulk: COPY (embedded) / UNWIND batches (Neo4j); import: neo4j-admin import",
    )
    args = p.parse_args(argv)
    if args.store == "neo4j" and not args.neo4j_uri:
        p.error("--store neo4j needs --neo4j-uri or CHAINKG_TEST_NEO4J_URI (a scratch database)")

    info = machine()
    templates = load_templates()
    t0 = time.perf_counter()
    data = generate_demo(templates, scale=args.enterprises, seed=args.seed, supplies=args.supplies)
    generation = time.perf_counter() - t0
    counts = data.counts()
    total = sum(counts.values())
    print(f"generated {total:,} rows in {generation:.1f} s: {counts}", flush=True)

    # What building the row dicts alone costs (the bulk runs include it).
    t0 = time.perf_counter()
    for table in data.tables():
        for _ in table.rows():
            pass
    row_building = time.perf_counter() - t0
    print(f"building the rows alone: {row_building:.1f} s", flush=True)

    rss_before = rss_mb()
    runs: list[dict[str, Any]] = []
    for i in range(args.repeat):
        with fresh_store(args, templates) as store:
            run = import_run(store, data) if args.method == "import" else bulk_run(store, data)
            runs.append(run)
            print(
                f"bulk run {i + 1}: {run['seconds']:.1f} s "
                f"({total / run['seconds']:,.0f} rows/s) {run['per_table']}",
                flush=True,
            )
    peak_after_bulk = peak_rss_mb()

    naive: list[dict[str, float]] = []
    for i in range(args.naive_repeat):
        with fresh_store(args, templates) as store:
            naive.append(naive_run(store, data, args.naive_sample))
            print(f"naive run {i + 1}: {naive[-1]}", flush=True)

    bulk_seconds = statistics.median(r["seconds"] for r in runs)
    node_rate = statistics.median(n["node_rows_per_second"] for n in naive)
    rel_rate = statistics.median(n["rel_rows_per_second"] for n in naive)
    node_rows = sum(n for name, n in counts.items() if name in ("Park", "Organization"))
    naive_seconds = node_rows / node_rate + (total - node_rows) / rel_rate
    bulk_rate = total / bulk_seconds
    naive_rate = total / naive_seconds
    result = {
        "benchmark": "load",
        "store": args.store,
        "method": args.method,
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": info,
        "enterprises": args.enterprises,
        "seed": args.seed,
        "rows": counts,
        "rows_total": total,
        "generation_seconds": round(generation, 2),
        "bulk": {
            "path": "COPY FROM temporary CSV"
            if args.store == "embedded"
            else "UNWIND batches of 20,000, one transaction each",
            "runs_seconds": [round(r["seconds"], 2) for r in runs],
            "median_seconds": round(bulk_seconds, 2),
            "rows_per_second": round(bulk_rate),
            "row_building_seconds": round(row_building, 2),
            "rows_per_second_excluding_row_building": round(
                total / max(bulk_seconds - row_building, 1e-9)
            ),
            "per_table_seconds_first_run": runs[0]["per_table"],
        },
        "naive": {
            "path": "upsert one row per transaction",
            "sample_rows_per_run": naive[0]["rows"],
            "runs": [{k: round(v, 1) for k, v in n.items()} for n in naive],
            "node_rows_per_second": round(node_rate, 1),
            "rel_rows_per_second": round(rel_rate, 1),
            "extrapolated_rows_per_second": round(naive_rate, 1),
            "extrapolated_seconds_for_all_rows": round(naive_seconds),
        },
        "speedup": round(bulk_rate / naive_rate, 1),
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        "memory_mb": {
            "rss_after_generation": round(rss_before),
            "peak_rss_after_bulk_runs": round(peak_after_bulk),
            "peak_rss": round(peak_rss_mb()),
        },
        "targets": {
            "rows_per_second": TARGET_RATE[args.store],
            "speedup": TARGET_SPEEDUP,
            "rate_met": bulk_rate >= TARGET_RATE[args.store],
            "speedup_met": bulk_rate / naive_rate >= TARGET_SPEEDUP,
        },
    }
    suffix = "-import" if args.method == "import" else ""
    out = args.out or RESULTS / f"load-{args.store}{suffix}-{args.enterprises}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(
        json.dumps(
            {k: result[k] for k in ("bulk", "naive", "speedup", "memory_mb", "targets")},
            ensure_ascii=False,
            indent=2,
        )
    )
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
