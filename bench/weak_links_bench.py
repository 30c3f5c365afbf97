"""Weak-links benchmark: all findings for one chain and for all 30 chains on the demo graph.

    .venv/bin/python bench/weak_links_bench.py --store embedded --data-dir /tmp/demo1m \
        --scale 1000000
    .venv/bin/python bench/weak_links_bench.py --store neo4j --neo4j-uri bolt://127.0.0.1:7687 \
        --scale 1000000

The graph must hold the roster, the chain templates and the demo at ``--scale``; with
``--load`` the benchmark loads them first (embedded: into ``--data-dir``; Neo4j: WARNING,
the demo replaces the synthetic data of the database it is pointed at). It then times, with
``--repeat`` runs each (first run reported apart as "cold"):

- ``one chain``: ``weak_links`` for ``--chain`` (default: the chain with most segments);
- ``all chains``: ``weak_links`` for every chain;
- the time spent in each query during one all-chains run (where the time goes);
- ``chain_criticality`` for the one chain (its SUPPLIES network into networkx).

With ``--projection`` the read projection (graph/projection.py) is built first (its build
time and memory reported) and every timing reads from it (queries/projected.py,
queries/projected_criticality.py); ``--check`` also compares the all-chains report with the
Cypher one (floats to 1e-9).

Targets (embedded): one chain <= 1 s, all chains <= 10 s. Results go to
``bench/results/weak-links-<store>-<scale>.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from chainkg.config import load_settings
from chainkg.graph.catalog import query
from chainkg.graph.factory import make_store
from chainkg.graph.store import GraphStore
from chainkg.queries.criticality import chain_criticality
from chainkg.queries.findings import ChainRef, list_chains, weak_links
from chainkg.queries.thresholds import WeakLinkThresholds

RESULTS = Path(__file__).resolve().parent / "results"
TARGETS = {"one_chain": 1.0, "all_chains": 10.0}


class QueryClock:
    """Wraps a store's ``read`` to add up the time spent in each named query."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self.seconds: dict[str, float] = {}
        self.calls: dict[str, int] = {}
        self._read = store.read

    def __enter__(self) -> QueryClock:
        def read(q: Any, params: Any = None) -> Any:
            start = time.perf_counter()
            try:
                return self._read(q, params)
            finally:
                name = getattr(q, "name", "<inline>")
                self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - start
                self.calls[name] = self.calls.get(name, 0) + 1

        self.store.read = read  # type: ignore[method-assign]
        return self

    def __exit__(self, *exc: object) -> None:
        self.store.read = self._read  # type: ignore[method-assign]


def timed(fn: Callable[[], Any], repeat: int) -> dict[str, float]:
    """Cold (first) time and median of the following ``repeat`` runs, in seconds; also the
    median CPU seconds of this process (all its threads: what a busy machine cannot inflate)."""
    start = time.perf_counter()
    fn()
    cold = time.perf_counter() - start
    runs, cpu = [], []
    for _ in range(repeat):
        start, started_cpu = time.perf_counter(), time.process_time()
        fn()
        runs.append(time.perf_counter() - start)
        cpu.append(time.process_time() - started_cpu)
    return {
        "cold": round(cold, 3),
        "median": round(statistics.median(runs), 3),
        "cpu_median": round(statistics.median(cpu), 3),
    }


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def differences(got: Any, want: Any, path: str = "") -> list[str]:
    """Paths where two answers differ (floats compared to 1e-9 relative)."""
    import math

    if isinstance(want, float) or isinstance(got, float):
        ok = got is not None and want is not None and math.isclose(got, want, rel_tol=1e-9)
        return [] if ok or got == want else [f"{path}: {got!r} != {want!r}"]
    if isinstance(want, dict) and isinstance(got, dict):
        if set(got) != set(want):
            return [f"{path}: keys {sorted(set(got) ^ set(want))}"]
        return [d for k in want for d in differences(got[k], want[k], f"{path}.{k}")]
    if isinstance(want, list) and isinstance(got, list):
        if len(got) != len(want):
            return [f"{path}: {len(got)} items != {len(want)}"]
        return [
            d
            for i, (g, w) in enumerate(zip(got, want, strict=True))
            for d in differences(g, w, f"{path}[{i}]")
        ]
    return [] if got == want else [f"{path}: {got!r} != {want!r}"]


def load(store: GraphStore, scale: int) -> float:
    """Load roster, templates and the demo at ``scale``; seconds taken."""
    from chainkg.loaders.demo_load import load_demo
    from chainkg.loaders.roster_load import load_roster
    from chainkg.loaders.template_load import load_chain_templates

    start = time.perf_counter()
    load_roster(store)
    load_chain_templates(store)
    load_demo(store, scale=scale)
    return time.perf_counter() - start


def biggest_chain(store: GraphStore, chains: list[ChainRef]) -> ChainRef:
    """The chain with the most segments (ties: roster order)."""
    rows = store.read(query("weak_segments"), {"chains": [c.name for c in chains]})
    count: dict[str, int] = {}
    for r in rows:
        count[r["chain"]] = count.get(r["chain"], 0) + 1
    return max(chains, key=lambda c: count.get(c.name, 0))


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and write its results."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--store", choices=("embedded", "neo4j"), default="embedded")
    ap.add_argument("--data-dir", type=Path, help="embedded graph folder")
    ap.add_argument("--neo4j-uri")
    ap.add_argument("--neo4j-password", default=os.environ.get("NEO4J_PASSWORD"))
    ap.add_argument("--scale", type=int, default=1_000_000, help="demo enterprises (for --load)")
    ap.add_argument("--load", action="store_true", help="load roster, templates and demo first")
    ap.add_argument("--chain", help="the one chain to time (default: most segments)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--label", help="suffix of the results file (e.g. base, to compare code)")
    ap.add_argument("--projection", action="store_true", help="answer from a read projection")
    ap.add_argument("--check", action="store_true", help="with --projection: compare with Cypher")
    args = ap.parse_args(argv)

    settings = load_settings(
        store=args.store,
        data_dir=args.data_dir,
        neo4j_uri=args.neo4j_uri,
        neo4j_password=args.neo4j_password or "chainkg-dev-password",
    )
    store = make_store(settings)
    result: dict[str, Any] = {
        "store": args.store,
        "scale": args.scale,
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {
            "python": sys.version.split()[0],
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
        },
        "load_average": os.getloadavg(),
    }
    with store:
        if args.load:
            result["load_seconds"] = round(load(store, args.scale), 1)
        counts = store.counts().to_dict()
        result["graph"] = {
            "organizations": counts["nodes"]["Organization"],
            "segments": counts["nodes"]["Segment"],
            "supplies": counts["relationships"]["SUPPLIES"],
            "operates_in": counts["relationships"]["OPERATES_IN"],
        }
        chains = list_chains(store)
        one = (
            next(c for c in chains if c.name == args.chain)
            if args.chain
            else biggest_chain(store, chains)
        )
        t = WeakLinkThresholds()
        p = None
        if args.projection:
            from chainkg.graph.projection import build_projection

            rss = _rss_mb()
            start, started_cpu = time.perf_counter(), time.process_time()
            p = build_projection(store)
            result["projection"] = {
                "build_seconds": round(time.perf_counter() - start, 1),
                "build_cpu_seconds": round(time.process_time() - started_cpu, 1),
                "rss_growth_mb": round(_rss_mb() - rss),
                "array_mb": round(p.array_bytes() / 2**20),
                "nodes": p.nodes,
                "relationships": p.relationships,
            }
        result["one_chain_name"] = one.name
        result["one_chain"] = timed(lambda: weak_links(store, [one], t, projection=p), args.repeat)
        result["all_chains"] = timed(
            lambda: weak_links(store, chains, t, projection=p), args.repeat
        )
        with QueryClock(store) as clock:
            report = weak_links(store, chains, t, projection=p)
        if p is not None and args.check:
            want = weak_links(store, chains, t)
            result["differences_from_cypher"] = differences(report, want)
        result["queries_all_chains"] = {
            q: round(sec, 3) for q, sec in sorted(clock.seconds.items(), key=lambda kv: -kv[1])
        }
        by_status: dict[str, int] = {}
        for ch in report["chains"]:
            for s, n in ch["summary"]["by_status"].items():
                by_status[s] = by_status.get(s, 0) + n
        result["findings"] = by_status
        again = max(1, args.repeat - 1)
        result["one_chain_criticality"] = timed(
            lambda: chain_criticality(store, one.name, projection=p), again
        )
        if p is not None and args.check:
            result["criticality_differences"] = differences(
                chain_criticality(store, one.name, projection=p), chain_criticality(store, one.name)
            )
    result["meets_targets"] = (
        {k: result[k]["median"] <= v for k, v in TARGETS.items()}
        if args.store == "embedded"
        else None
    )
    RESULTS.mkdir(exist_ok=True)
    suffix = f"-{args.label}" if args.label else ""
    suffix += "-projection" if args.projection else ""
    out = RESULTS / f"weak-links-{args.store}-{args.scale}{suffix}.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, ensure_ascii=False, indent=2))
    print(f"written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
