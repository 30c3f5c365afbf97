"""List-load benchmark: an N-row enterprise list (企业清单) through `chainkg load list`'s path.

    .venv/bin/python bench/list_bench.py --store embedded --rows 100000

Writes a CSV like a real list (a 亿元 revenue column, places given as counties,
districts, zones and out-of-province cities), builds a graph holding one chain
with three segments, then times each stage of ``load_lists`` separately: reading
(layout detection), shaping (cells, units, places, duplicates; ``check_lists``)
and the whole load (shaping again + the one-transaction write), then the same file
again (nothing changes: ``reload_s``); ``--repeat`` runs, each on an empty store, medians
reported. Results go to ``bench/results/list-<store>-<rows>.json``. The Neo4j run empties
the test database (CHAINKG_TEST_NEO4J_*), like the tests.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from chainkg.graph.ids import chain_id, segment_id
from chainkg.graph.store import GraphStore
from chainkg.loaders.list_formats import ENTERPRISES
from chainkg.loaders.list_load import ListFile, check_lists, load_lists
from chainkg.loaders.list_reader import read_table

CHAIN = "尼龙新材料产业链"
SEGMENTS = ("己二腈与己二胺", "尼龙6与尼龙66切片", "尼龙工程塑料")
PLACES = (
    "平顶山市",
    "孟州市",
    "郑州市金水区",
    "洛阳市栾川县",
    "江苏省苏州市",
    "郑州高新技术产业开发区",
)
RESULTS = Path(__file__).parent / "results"


def write_list(path: Path, rows: int) -> None:
    """An enterprise list of ``rows`` rows, as a department would send it."""
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["名称", "地市", "产业链", "环节", "营业收入（亿元）", "从业人数", "龙头"])
        for i in range(rows):
            w.writerow(
                [
                    f"河南示例企业{i:07d}有限公司",
                    PLACES[i % len(PLACES)],
                    CHAIN,
                    SEGMENTS[i % len(SEGMENTS)],
                    f"{i % 97 / 10}",
                    i % 500,
                    "否",
                ]
            )


def chain_graph(store: GraphStore) -> None:
    """One chain and its segments, as the roster and templates would leave them."""
    prov = {
        "source": "bench",
        "source_ref": "bench",
        "loaded_at": "2025-01-01T00:00:00+00:00",
        "as_of": dt.date(2024, 12, 31),
        "synthetic": True,
    }
    segs = [
        {"id": segment_id(CHAIN, s), "name": s, "chain": CHAIN, "position": i, **prov}
        for i, s in enumerate(SEGMENTS, 1)
    ]
    with store.transaction() as tx:
        tx.upsert_nodes("Chain", [{"id": chain_id(CHAIN), "name": CHAIN, "seq": 1, **prov}])
        tx.upsert_nodes("Segment", segs)
        tx.upsert_rels(
            "HAS_SEGMENT",
            "Chain",
            "Segment",
            [{"from_id": chain_id(CHAIN), "to_id": s["id"], **prov} for s in segs],
        )


def open_bench_store(kind: str, folder: Path) -> GraphStore:
    """An empty store of ``kind`` (the embedded one in ``folder``)."""
    if kind == "embedded":
        from chainkg.graph.embedded import EmbeddedStore

        store: GraphStore = EmbeddedStore(folder / "graph")
    else:
        from chainkg.graph.neo4j_store import Neo4jStore

        store = Neo4jStore(
            os.environ["CHAINKG_TEST_NEO4J_URI"],
            os.environ.get("CHAINKG_TEST_NEO4J_USER", "neo4j"),
            os.environ["CHAINKG_TEST_NEO4J_PASSWORD"],
        )
        store.clear()
    store.ensure_schema()
    return store


def one_run(kind: str, rows: int, path: Path) -> dict:
    """One timed run on an empty store: read, shape, load, reload (wall and CPU seconds)."""
    folder = Path(tempfile.mkdtemp(prefix="chainkg-list-bench-"))
    files = [ListFile("enterprises", path)]
    before = os.getloadavg()
    t = time.perf_counter()
    read_table(path, fmt=ENTERPRISES)
    read_s = time.perf_counter() - t
    # CPU seconds of this process (engine threads included): on a shared machine they say
    # more than the wall clock, which waits for other people's work.
    store = open_bench_store(kind, folder)
    try:
        chain_graph(store)
        t, c = time.perf_counter(), time.process_time()
        checked = check_lists(store, files)
        shape_s, shape_cpu = time.perf_counter() - t, time.process_time() - c
        assert not checked.problems, checked.problems[:3]
        t, c = time.perf_counter(), time.process_time()
        report = load_lists(store, files)
        total_s, total_cpu = time.perf_counter() - t, time.process_time() - c
        t, c = time.perf_counter(), time.process_time()
        again = load_lists(store, files)  # the same file again: nothing changes
        reload_s, reload_cpu = time.perf_counter() - t, time.process_time() - c
        assert again.versions is not None
        assert all(v["unchanged"] for v in again.versions.versions)
        assert report.rows_loaded == rows
    finally:
        store.close()
        shutil.rmtree(folder, ignore_errors=True)
    return {
        "read_s": round(read_s, 2),
        "read_and_shape_s": round(shape_s, 2),
        "load_s": round(total_s, 2),
        "write_s": round(total_s - shape_s, 2),
        "reload_s": round(reload_s, 2),
        "cpu_s": {
            "read_and_shape": round(shape_cpu, 2),
            "load": round(total_cpu, 2),
            "write": round(total_cpu - shape_cpu, 2),
            "reload": round(reload_cpu, 2),
        },
        "load_average_before": [round(x, 2) for x in before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
    }


def main() -> None:
    """Run the benchmark ``--repeat`` times and write the medians and every run as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--store", choices=("embedded", "neo4j"), default="embedded")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs (medians are reported)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="chainkg-list-bench-file-"))
    path = folder / "企业清单.csv"
    write_list(path, args.rows)
    runs = []
    for i in range(args.repeat):
        runs.append(one_run(args.store, args.rows, path))
        print(f"run {i + 1}: {json.dumps(runs[-1])}", flush=True)
    shutil.rmtree(folder, ignore_errors=True)

    def median(get: Callable[[dict], float]) -> float:
        return round(statistics.median(get(r) for r in runs), 2)

    keys = ("read_s", "read_and_shape_s", "load_s", "write_s", "reload_s")
    result = {
        "store": args.store,
        "rows": args.rows,
        "runs": len(runs),
        **{k: median(lambda r, k=k: r[k]) for k in keys},
        "rows_per_s": round(args.rows / median(lambda r: r["load_s"])),
        "cpu_s": {k: median(lambda r, k=k: r["cpu_s"][k]) for k in runs[0]["cpu_s"]},
        "each_run": runs,
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"list-{args.store}-{args.rows}.json"
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in result.items() if k != "each_run"}, indent=2))


if __name__ == "__main__":
    main()
